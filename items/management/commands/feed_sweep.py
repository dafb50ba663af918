"""Log the items whose visibility changed with the clock; the scheduler runs this every few seconds."""

from django.core.management import BaseCommand

from items.projection import feed_sweep_time_boundaries


class Command(BaseCommand):
    help = "Record notices that started or expired (and events that aged out) in the change feed."

    def handle(self, *args, **options):
        count = feed_sweep_time_boundaries()
        if options["verbosity"] > 1:
            self.stdout.write(f"{count} items crossed a time boundary")
