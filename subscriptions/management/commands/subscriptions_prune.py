from django.core.management import BaseCommand

from subscriptions.operations import subscriptions_unconfirmed_prune


class Command(BaseCommand):
    help = "Forget email addresses never confirmed within 7 days (and with no push)."

    def handle(self, *args, **options):
        pruned = subscriptions_unconfirmed_prune()
        if pruned or options["verbosity"] > 1:
            self.stdout.write(f"pruned={pruned}")
