"""Project every live page into the API's read model again."""

import sys
import time

from django.core.management import BaseCommand, CommandError

from tqdm import tqdm

from items.rebuild import DEFAULT_BATCH_SIZE, items_rebuild


class Command(BaseCommand):
    help = (
        "Re-render every item the API serves (after an upgrade that changed the item shape). "
        "Batch by batch, each in its own transaction: clients keep getting the old item until "
        "its batch commits, and only items that come out different are written and logged. "
        "Safe to interrupt and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="Pages (with their translations) rendered and written per transaction.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes rendering batches while this one writes (default: one per core; "
            "0 renders here).",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show a progress bar even when stderr is not a terminal.",
        )

    def handle(
        self,
        *args,
        batch_size: int,
        workers: int | None,
        progress: bool,
        verbosity: int,
        **options,
    ):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if workers is not None and workers < 0:
            raise CommandError("--workers must be 0 or more.")
        show = verbosity >= 1 and (progress or sys.stderr.isatty())
        started = time.monotonic()
        with tqdm(unit="page", file=sys.stderr, disable=not show) as bar:
            result = items_rebuild(
                batch_size=batch_size,
                workers=workers,
                progress=bar.update,
                on_start=lambda total: bar.reset(total=total),
            )
        self.stdout.write(
            f"{result.groups} pages looked at, {result.saved} items written, "
            f"{result.deleted} removed, {result.changes} changes logged "
            f"in {time.monotonic() - started:.1f}s."
        )
