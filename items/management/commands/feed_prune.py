"""Forget change-log entries older than the retention period."""

from django.core.management import BaseCommand

from items.projection import feed_prune
from items.selectors import retention_cutoff


class Command(BaseCommand):
    help = "Prune the change feed; clients with older cursors are told to resync."

    def handle(self, *args, **options):
        count = feed_prune(before=retention_cutoff())
        if options["verbosity"] > 1:
            self.stdout.write(f"{count} changes pruned")
