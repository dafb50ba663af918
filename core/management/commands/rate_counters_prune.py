"""Forget rate counters whose window has ended (run by the scheduler)."""

from django.core.management import BaseCommand

from core.limits import rate_counters_prune


class Command(BaseCommand):
    help = "Delete rate-limit counters of windows that have ended."

    def handle(self, *args, **options):
        deleted = rate_counters_prune()
        if options["verbosity"] > 1:
            self.stdout.write(f"{deleted} counters pruned")
