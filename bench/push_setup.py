"""The push benchmark's world: a throwaway hub, its worker processes, an SMTP counter and subscribers."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import BenchError, manage

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
KEY_PAIRS = 50  # real P-256 subscription keys, reused round-robin (generating 100k is slow)
INSERT_BATCH = 5000


class Hub:
    """The throwaway hub: a temporary folder with its SQLite database, and the workers on it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="linli-bench-push-"))
        from subscriptions.vapid import keys_generate

        vapid = keys_generate()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"sqlite:///{self.folder}/bench.sqlite3",
            "LINLI_VAR_DIR": str(self.folder),
            "LINLI_PUSH_INTERNAL_HOSTS": "127.0.0.1",
            "TASKS_BACKEND": "database",
            "LINLI_VAPID_PRIVATE_KEY": vapid["private_key"],
            "LINLI_VAPID_PUBLIC_KEY": vapid["public_key"],
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("REDIS_URL", None)
        self.workers: list[Worker] = []

    def manage(self, *args: str) -> str:
        return manage(self.env, *args)

    def django_setup(self) -> None:
        """Point this process at the hub's database (after it was migrated) and set Django up."""
        os.environ.update(self.env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

    def worker(self, name: str, **env: str) -> Worker:
        worker = Worker(self, name, env)
        self.workers.append(worker)
        return worker

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(self.folder, ignore_errors=True)


class Worker:
    """One `manage.py db_worker` process; its peak memory is read from /proc."""

    def __init__(self, hub: Hub, name: str, env: dict) -> None:
        self.log = hub.folder / f"worker-{name}.log"
        with self.log.open("w") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
                [
                    PYTHON,
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                    # A push worker as deployed: the push queue only (indexing runs elsewhere).
                    "--queue-name",
                    "push",
                ],
                cwd=ROOT,
                env={**hub.env, **env},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.peak_kb = 0

    def sample(self) -> None:
        """Remember the peak resident set (VmHWM) and fail if the process ended."""
        if self.process.poll() is not None:
            raise BenchError(
                f"the worker exited with {self.process.returncode}:\n"
                f"{self.log.read_text(errors='replace')[-3000:]}"
            )
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
        except FileNotFoundError:
            pass

    def cpu_seconds(self) -> float:
        """User + system CPU time the worker has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    def stop(self) -> None:
        """Graceful stop (the task running is finished), forced after 30 s."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Fanout:
    """What one channel measured."""

    planned: int = 0
    planning_seconds: float = 0.0
    received: int = 0
    sending_seconds: float = 0.0
    capped: bool = False
    statuses: dict = field(default_factory=dict)
    peak_mb: float = 0.0
    connections: int = 0
    cpu_ms: float = 0.0

    @property
    def planning_rate(self) -> float:
        return self.planned / self.planning_seconds if self.planning_seconds else 0.0

    @property
    def rate(self) -> float:
        # From the first message received to the last: received - 1 intervals.
        return (self.received - 1) / self.sending_seconds if self.sending_seconds else 0.0


def smtp_counter():
    """The loopback SMTP peer, counting messages instead of keeping 100,000 of them."""
    import logging

    from tests.peers.smtp import SmtpPeer

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command otherwise

    class SmtpCounter(SmtpPeer):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0
            self.first_at: float | None = None
            self.last_at: float | None = None

        def _deliver(self, message) -> None:
            now = time.monotonic()
            if self.first_at is None:
                self.first_at = now
            self.last_at = now
            self.count += 1

    return SmtpCounter()


def smtp_env(peer) -> dict[str, str]:
    """A worker's settings for sending email to the SMTP peer."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": peer.host,
        "EMAIL_PORT": str(peer.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
    }


def push_keys(count: int) -> list[tuple[str, str]]:
    """Browser-style (p256dh, auth) pairs: real P-256 public points and 16 random bytes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from subscriptions.vapid import b64url

    keys = []
    for _ in range(count):
        point = (
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        )
        keys.append((b64url(point), b64url(secrets.token_bytes(16))))
    return keys


def subscriptions_create(
    count: int, *, prefix: str, push_url: str | None = None, addresses_of=None
) -> None:
    """`count` subscribers to notices for the elderly, by web push (push_url) or by email;
    or at the unsaved `Address` rows `addresses_of(n)` gives subscriber n."""
    from django.db import transaction
    from django.utils import timezone

    from subscriptions.models import Address, Subscription

    keys = push_keys(KEY_PAIRS) if push_url else []
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, count, INSERT_BATCH):
            numbers = range(start, min(start + INSERT_BATCH, count))
            subscriptions = Subscription.objects.bulk_create(
                [
                    Subscription(
                        token_hash=hashlib.sha256(f"{prefix}-{n}".encode()).hexdigest(),
                        content_types=["notice"],
                        resident_categories=["elderly"],
                        quiet_start=None,
                        quiet_end=None,
                    )
                    for n in numbers
                ],
                batch_size=INSERT_BATCH,
            )
            addresses = []
            for n, subscription in zip(numbers, subscriptions, strict=True):
                if addresses_of:
                    for address in addresses_of(n):
                        address.subscription, address.confirmed_at = subscription, now
                        addresses.append(address)
                    continue
                if push_url:
                    p256dh, auth = keys[n % len(keys)]
                    address = Address(
                        channel="webpush",
                        address=f"{push_url}/push/{n}",
                        data={"p256dh": p256dh, "auth": auth},
                    )
                else:
                    address = Address(channel="email", address=f"{prefix}-{n}@example.test")
                address.subscription, address.confirmed_at = subscription, now
                addresses.append(address)
            Address.objects.bulk_create(addresses, batch_size=INSERT_BATCH)


# What the delivery rows say ----------------------------------------------------


def sends_enqueue(notification_id: int, due: int) -> int:
    """Queue the send tasks planning would have queued (one per LINLI_PUSH_SEND_BATCH rows)."""
    from subscriptions.planning import send_tasks_needed
    from subscriptions.tasks import deliveries_send

    tasks = send_tasks_needed(due)
    for _ in range(tasks):
        deliveries_send.enqueue(notification_id)
    return tasks


def pending(notification_id: int) -> bool:
    from subscriptions.models import Delivery

    return Delivery.objects.filter(
        notification_id=notification_id,
        status__in=[*Delivery.DUE, Delivery.Status.SENDING],
    ).exists()


def statuses(notification_id: int) -> dict:
    from django.db.models import Count

    from subscriptions.models import Delivery

    return dict(
        Delivery.objects.filter(notification_id=notification_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by("status")
    )


def halt(notification_id: int) -> None:
    """Stop a fan-out: no more planning, queued tasks dropped, unsent deliveries cancelled."""
    from django.utils import timezone

    from django_tasks_db.models import DBTaskResult

    from subscriptions.models import Delivery, Notification

    Notification.objects.filter(pk=notification_id, planned_at__isnull=True).update(
        planned_at=timezone.now()
    )
    DBTaskResult.objects.ready().delete()
    Delivery.objects.filter(notification_id=notification_id, status__in=Delivery.DUE).update(
        status=Delivery.Status.CANCELLED, last_error="benchmark window over"
    )


def failure_sample(notification_id: int) -> str:
    from subscriptions.models import Delivery

    error = (
        Delivery.objects.filter(notification_id=notification_id)
        .exclude(last_error="")
        .exclude(last_error="benchmark window over")
        .values_list("last_error", flat=True)
        .first()
    )
    return (error or "")[:300]
