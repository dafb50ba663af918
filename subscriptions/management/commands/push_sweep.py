from django.core.management import BaseCommand

from subscriptions.sweep import push_sweep


class Command(BaseCommand):
    help = "Requeue deliveries left by crashed workers, release held ones, start due digests."

    def handle(self, *args, **options):
        report = push_sweep()
        if options["verbosity"] > 1 or any(report.values()):
            self.stdout.write(" ".join(f"{key}={value}" for key, value in report.items()))
