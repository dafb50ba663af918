"""Add many published services, notices and events to the demo tree, for benchmarks."""

import sys
import time

from django.core.management import BaseCommand, CommandError, call_command

from wagtail.models import Locale

from tqdm import tqdm

from demo.bulk import BulkSeedError, bulk_pages_create
from home.models import StreetHomePage
from subscriptions.notifications import notifications_suppressed


class Command(BaseCommand):
    help = (
        "Add N live services, notices and events (about 50/25/25) under every index page. "
        "Loads the demo first if there is no street office. Search and reference indexes "
        "are not updated: run update_index and rebuild_references_index afterwards if needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, required=True, help="How many pages to add.")
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help="Random seed: the same seed on the same database picks the same content.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Pages written per round of inserts."
        )

    def handle(self, *args, pages: int, seed: int, batch_size: int, verbosity: int, **options):
        if pages < 1 or batch_size < 1:
            raise CommandError("--pages and --batch-size must be at least 1.")
        if not StreetHomePage.objects.filter(locale=Locale.get_default()).exists():
            call_command("seed_demo", stdout=self.stdout, stderr=self.stderr)

        started = time.monotonic()
        with tqdm(total=pages, unit="page", file=sys.stderr, disable=verbosity < 1) as bar:
            try:
                with notifications_suppressed():
                    created = bulk_pages_create(
                        count=pages, seed=seed, batch_size=batch_size, progress=bar.update
                    )
            except BulkSeedError as error:
                raise CommandError(str(error)) from error
        summary = ", ".join(
            f"{count} {model._meta.verbose_name}" for model, count in created.items()
        )
        self.stdout.write(f"Added {summary} in {time.monotonic() - started:.1f}s.")
