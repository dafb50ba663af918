"""The clock process: runs periodic jobs so nobody has to remember a cron line.

`make run` starts exactly one of these beside the web server and the worker.
Run one per deployment; each job is safe to run twice, so an overlap during a
restart does no harm.
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

logger = logging.getLogger("linli.scheduler")


class Command(BaseCommand):
    help = "Run periodic jobs (scheduled publishing and expiry) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once, then exit.")

    def handle(self, *args, once: bool = False, **options):
        schedule: dict[str, int] = dict(settings.LINLI_SCHEDULE)
        next_run = dict.fromkeys(schedule, 0.0)
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write(
            "scheduler: " + ", ".join(f"{name} every {every}s" for name, every in schedule.items())
        )
        while not self._stopping:
            now = time.monotonic()
            for name, every in schedule.items():
                if now >= next_run[name]:
                    self._run(name)
                    next_run[name] = now + every
            if once:
                return
            wake = min(next_run.values()) - time.monotonic()
            self._sleep(max(wake, 0.5))

    def _run(self, name: str) -> None:
        try:
            # Periodic jobs are management commands so an operator can run
            # any of them by hand with the same name. Each runs in one
            # transaction, so what it publishes and what it logs commit together.
            with transaction.atomic():
                call_command(name, verbosity=0)
        except Exception:
            # One failing job must not stop the clock for the others.
            logger.exception("periodic job %s failed", name)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stopping and time.monotonic() < deadline:
            time.sleep(min(0.5, deadline - time.monotonic()))

    def _stop(self, signum, frame) -> None:
        self._stopping = True
