"""Sending: claim due deliveries under a lease, send them, record each outcome.

A claim sets a lease; a worker that dies mid-batch leaves rows whose lease
runs out, and the sweep puts them back in the queue. Sending is therefore
at-least-once per delivery row, and the row itself is unique per
(notification, subscription, channel): a crash can at worst repeat the one
message that was in flight, never fan out again. Web push carries a Topic and
webhooks a stable `webhook-id` so receivers can drop such a repeat.

Nothing here knows a channel by name: each delivery's channel (from
`subscriptions.channels.registry`) names its recipient, sends, and says what
"gone" means.
"""

import logging
import random
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from subscriptions.channels import DeliveryError, Gone, Limited, Rejected
from subscriptions.channels.base import Unavailable
from subscriptions.channels.registry import all_channels, channel
from subscriptions.messages import MessageBuilder
from subscriptions.models import Delivery, Notification

logger = logging.getLogger("linli.push")
Status = Delivery.Status


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: 30 s, 1 min, 2 min … capped, each ±20 %."""
    base = settings.LINLI_PUSH_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return min(base, settings.LINLI_PUSH_RETRY_CAP_SECONDS) * random.uniform(0.8, 1.2)  # noqa: S311


def deliveries_claim(*, notification_id: int | None = None, limit: int | None = None):
    """Take up to `limit` due deliveries for this worker; returns them with what sending needs."""
    now = timezone.now()
    limit = limit or settings.LINLI_PUSH_SEND_BATCH
    claim = uuid.uuid4().hex
    with transaction.atomic():
        due = Delivery.objects.filter(status__in=Delivery.DUE, next_attempt_at__lte=now)
        if notification_id is not None:
            due = due.filter(notification_id=notification_id)
        ids = list(
            due.order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return claim, []
        Delivery.objects.filter(pk__in=ids, status__in=Delivery.DUE).update(
            status=Status.SENDING,
            claim=claim,
            lease_until=now + timedelta(seconds=settings.LINLI_PUSH_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    rows = list(
        Delivery.objects.filter(claim=claim, status=Status.SENDING)
        .select_related("subscription", "endpoint", "address")
        .order_by("pk")
    )
    # A batch is mostly about one notification: read it once, not once per row.
    notifications = Notification.objects.in_bulk({row.notification_id for row in rows})
    for row in rows:
        row.notification = notifications[row.notification_id]
    return claim, rows


class Pacer:
    """Keeps one channel under its configured messages per second in this worker."""

    def __init__(self, per_second: int):
        self.gap = 1 / per_second if per_second else 0
        self.next_at = 0.0

    def wait(self):
        if not self.gap:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.gap


class Outcomes:
    def __init__(self, claim: str):
        self.claim = claim
        self.sent: list[int] = []

    def flush_sent(self):
        if self.sent:
            Delivery.objects.filter(pk__in=self.sent, claim=self.claim).update(
                status=Status.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
            )
            self.sent = []

    def finish(self, delivery: Delivery, status: str, error: str = ""):
        Delivery.objects.filter(pk=delivery.pk, claim=self.claim).update(
            status=status, lease_until=None, last_error=error[:2000]
        )

    def hold(self, delivery: Delivery, error: str, seconds: float):
        """A provider's limit refused it for now: wait, and the attempt does not count."""
        Delivery.objects.filter(pk=delivery.pk, claim=self.claim).update(
            status=Status.HELD,
            next_attempt_at=timezone.now() + timedelta(seconds=seconds),
            attempts=F("attempts") - 1,
            lease_until=None,
            enqueued_at=None,
            last_error=error[:2000],
        )

    def retry(self, delivery: Delivery, error: str):
        now = timezone.now()
        delay = timedelta(seconds=retry_delay(delivery.attempts))
        deadline = delivery.created_at + timedelta(hours=settings.LINLI_PUSH_RETRY_HOURS)
        if now + delay > deadline:
            logger.warning(
                "delivery %s dead after %s attempts: %s", delivery.pk, delivery.attempts, error
            )
            self.finish(delivery, Status.DEAD, error)
            return
        Delivery.objects.filter(pk=delivery.pk, claim=self.claim).update(
            status=Status.FAILED,
            next_attempt_at=now + delay,
            lease_until=None,
            enqueued_at=None,
            last_error=error[:2000],
        )


def _bundled(delivery: Delivery) -> list[Notification]:
    return [
        row.notification
        for row in Delivery.objects.filter(digest=delivery).select_related("notification")
    ]


# Senders a channel keeps for the whole worker process (web push: its
# connections to the push services stay open and its VAPID and proxy caches
# warm); the others are made per batch (SMTP servers drop idle connections).
_process_senders: dict = {}


class Senders:
    def __init__(self):
        self._senders: dict = {}
        self.pacers = {spec.code: Pacer(spec.rate()) for spec in all_channels()}

    def get(self, code: str):
        spec = channel(code)
        kept = _process_senders if spec.sender_per_process else self._senders
        if code not in kept:
            kept[code] = spec.new_sender()
        return kept[code]

    def close(self):
        for sender in self._senders.values():
            sender.close()


def _send_one(delivery: Delivery, builder: MessageBuilder, senders: Senders) -> str | None:
    """Send one delivery; returns a reason when there is nothing to send any more."""
    spec = channel(delivery.channel)
    try:
        recipient, locale = spec.recipient(delivery)
    except Unavailable as exc:
        return str(exc)
    notification = delivery.notification
    if notification.kind == Notification.Kind.DIGEST:
        message = builder.for_digest(notification, _bundled(delivery), locale)
    else:
        message = builder.for_notification(notification, locale)
    if message is None:
        return "no longer current"
    senders.pacers[spec.code].wait()
    spec.send(senders.get(spec.code), recipient, message, delivery)
    return None


def deliveries_send(*, notification_id: int | None = None, limit: int | None = None) -> int:
    """Claim and send one batch; returns how many were claimed."""
    claim, rows = deliveries_claim(notification_id=notification_id, limit=limit)
    if not rows:
        return 0
    outcomes = Outcomes(claim)
    builder = MessageBuilder()
    senders = Senders()
    try:
        for delivery in rows:
            try:
                skipped = _send_one(delivery, builder, senders)
            except Gone as exc:
                channel(delivery.channel).gone(delivery, str(exc))
                outcomes.finish(delivery, Status.CANCELLED, str(exc))
            except Rejected as exc:
                outcomes.finish(delivery, Status.DEAD, str(exc))
            except Limited as exc:
                outcomes.hold(delivery, str(exc), exc.retry_after)
            except DeliveryError as exc:
                outcomes.retry(delivery, str(exc))
            except Exception as exc:
                # A fault of ours: keep the delivery and try again later.
                logger.exception("delivery %s failed", delivery.pk)
                outcomes.retry(delivery, f"{type(exc).__name__}: {exc}")
            else:
                if skipped:
                    outcomes.finish(delivery, Status.CANCELLED, skipped)
                else:
                    outcomes.sent.append(delivery.pk)
                    if len(outcomes.sent) >= 50:
                        outcomes.flush_sent()
        outcomes.flush_sent()
    finally:
        senders.close()
    return len(rows)
