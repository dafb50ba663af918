"""The yearly reminder to confirm sensitive topics again, and their lapse (run by the scheduler)."""

from django.core.management import BaseCommand

from subscriptions.reconfirm import sensitive_subscriptions_reconfirm


class Command(BaseCommand):
    help = (
        "Remind subscribers of sensitive topics four weeks before their yearly consent runs "
        "out, and drop the topics of those who did not confirm by then."
    )

    def handle(self, *args, **options):
        done = sensitive_subscriptions_reconfirm()
        if any(done.values()) or options["verbosity"] > 1:
            self.stdout.write(f"reminded={done['reminded']} lapsed={done['lapsed']}")
