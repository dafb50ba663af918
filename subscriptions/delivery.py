"""Sending: claim due deliveries under a lease, send them, record each outcome.

A claim sets a lease; each outcome is written before the next message goes,
so a worker that dies mid-batch leaves at most one message in flight, and
rows whose lease runs out go back to the queue through the sweep. A provider
that takes many numbers in one call (SMS: up to 100 for Aliyun, 200 for
Tencent, LINLI_SMS_BATCH at most) is given them in one call, and their
outcomes are written together before the next call: what can be in flight is
then that one call. The row itself is unique per (notification, subscription,
channel): a crash can at worst repeat what was in flight, never fan out
again, and a repeat carries the key it first went with (`delivery_key`: the
Message-ID, the push payload's `id`, the `webhook-id`; an SMS call's key) so
its receiver can drop it.

Nothing here knows a channel by name: each delivery's channel (from
`subscriptions.channels.registry`) names its recipient, sends, and says what
"gone" means.
"""

import functools
import logging
import random
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from subscriptions.channels import DeliveryError, Gone, Limited, Refused, Rejected
from subscriptions.channels.base import Unavailable
from subscriptions.channels.registry import all_channels, channel
from subscriptions.messages import MessageBuilder
from subscriptions.models import Delivery, Notification

logger = logging.getLogger("linli.push")
Status = Delivery.Status
# Why a message is cancelled when its page is no longer what was announced.
NOT_CURRENT = "no longer current"


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

    def wait(self, count: int = 1):
        """Wait for the turn of the next `count` messages (a batch goes in one call)."""
        if not self.gap:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.gap * count


@functools.cache
def _sent_sql(count: int) -> str:
    """Mark `count` rows sent: parameters status, sent_at, claim, status, then the ids."""
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(Delivery._meta.get_field(name).column)

    ids = ", ".join(["%s"] * count)
    # Table and column names come from the model; every value is a parameter.
    return (
        f"UPDATE {quote(Delivery._meta.db_table)} SET {column('status')} = %s, "  # noqa: S608
        f"{column('sent_at')} = %s, {column('lease_until')} = NULL, {column('last_error')} = '' "
        f"WHERE {column('claim')} = %s AND {column('status')} = %s AND {column('id')} IN ({ids})"
    )


class ClaimLost(Exception):
    """This worker's lease ran out and the sweep gave its rows back to the queue."""


class Outcomes:
    """Writes each delivery's outcome as soon as it is known, before the next message goes.

    So a worker that dies leaves at most one message whose fate is unknown,
    the one in flight; the rest of its claim was never sent and returns to
    the queue when the lease runs out. A live worker renews its lease once
    half of it has passed, and stops sending the moment its claim was taken
    back (it was too slow), so two workers never send the same rows.
    """

    def __init__(self, claim: str, rows: list[Delivery]):
        self.claim = claim
        self.lease = timedelta(seconds=settings.LINLI_PUSH_LEASE_SECONDS)
        # The lease is wall-clock time, as the sweep reads it.
        self.renew_at = timezone.now() + self.lease / 2
        self.left = len(rows)

    def _record(self, delivery: Delivery, **fields) -> None:
        recorded = Delivery.objects.filter(
            pk=delivery.pk, claim=self.claim, status=Status.SENDING
        ).update(lease_until=None, **fields)
        self._recorded(recorded)

    def _recorded(self, rows: int) -> None:
        self.left -= 1
        if not rows:
            # Released by the sweep (or deleted with its gateway): is the rest still ours?
            self.renew()

    def renew(self) -> None:
        """Extend the lease on the rows not yet sent; ClaimLost if they are not ours any more."""
        if self.left <= 0:
            return
        now = timezone.now()
        renewed = Delivery.objects.filter(claim=self.claim, status=Status.SENDING).update(
            lease_until=now + self.lease
        )
        if not renewed:
            raise ClaimLost(self.claim)
        self.renew_at = now + self.lease / 2

    def before_send(self) -> None:
        if timezone.now() >= self.renew_at:
            self.renew()

    def sent(self, delivery: Delivery) -> None:
        self.sent_many([delivery])

    def sent_many(self, deliveries: list[Delivery]) -> None:
        """These went (one message, or one provider call's): one statement for them all."""
        # Plain SQL: it runs once per message, and the ORM's update cost four times as much.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        ids = [delivery.pk for delivery in deliveries]
        with connection.cursor() as cursor:
            cursor.execute(
                _sent_sql(len(ids)), [Status.SENT, now, self.claim, Status.SENDING, *ids]
            )
            recorded = cursor.rowcount
        self.left -= len(ids) - 1
        self._recorded(recorded if recorded == len(ids) else 0)

    def finish(self, delivery: Delivery, status: str, error: str = ""):
        self._record(delivery, status=status, last_error=error[:2000])

    def hold(self, delivery: Delivery, error: str, seconds: float):
        """A provider's limit refused it for now: wait, and the attempt does not count."""
        self._record(
            delivery,
            status=Status.HELD,
            next_attempt_at=timezone.now() + timedelta(seconds=seconds),
            attempts=F("attempts") - 1,
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
        self._record(
            delivery,
            status=Status.FAILED,
            next_attempt_at=now + delay,
            enqueued_at=None,
            last_error=error[:2000],
        )

    def postpone(self, delivery: Delivery, until) -> None:
        """Not yet: held until `until`, without using up an attempt."""
        recorded = Delivery.objects.filter(
            pk=delivery.pk, claim=self.claim, status=Status.SENDING
        ).update(
            status=Status.HELD,
            next_attempt_at=until,
            lease_until=None,
            enqueued_at=None,
            attempts=F("attempts") - 1,
        )
        self._recorded(recorded)


class Postponed(Exception):
    """The page cannot be opened yet: send when it can."""

    def __init__(self, until):
        super().__init__(f"not visible before {until.isoformat()}")
        self.until = until


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


def _prepare(delivery: Delivery, builder: MessageBuilder):
    """(channel, recipient, message) for one delivery, or the reason nothing is to be sent."""
    spec = channel(delivery.channel)
    try:
        recipient, locale = spec.recipient(delivery)
    except Unavailable as exc:
        return str(exc)
    notification = delivery.notification
    if until := builder.hidden_until(notification, locale):
        raise Postponed(until)
    if notification.kind == Notification.Kind.DIGEST:
        message = builder.for_digest(notification, _bundled(delivery), locale)
    else:
        message = builder.for_notification(notification, locale)
    if message is None:
        return NOT_CURRENT
    return spec, recipient, builder.for_recipient(message, delivery.subscription)


def _failed(outcomes: Outcomes, delivery: Delivery, exc: Exception) -> None:
    """Record what went wrong with one delivery, by what the channel raised."""
    if isinstance(exc, Postponed):
        outcomes.postpone(delivery, exc.until)
    elif isinstance(exc, Refused):
        # It leads into the office network: never to be tried again.
        logger.warning("delivery %s refused: %s", delivery.pk, exc)
        channel(delivery.channel).gone(delivery, str(exc))
        outcomes.finish(delivery, Status.DEAD, f"refused: {exc}")
    elif isinstance(exc, Gone):
        channel(delivery.channel).gone(delivery, str(exc))
        outcomes.finish(delivery, Status.CANCELLED, str(exc))
    elif isinstance(exc, Rejected):
        outcomes.finish(delivery, Status.DEAD, str(exc))
    elif isinstance(exc, Limited):
        outcomes.hold(delivery, str(exc), exc.retry_after)
    elif isinstance(exc, DeliveryError):
        outcomes.retry(delivery, str(exc))
    else:
        # A fault of ours: keep the delivery and try again later.
        logger.error("delivery %s failed", delivery.pk, exc_info=exc)
        outcomes.retry(delivery, f"{type(exc).__name__}: {exc}")


class Batches:
    """Messages waiting to go together in one provider call (SMS: one template, many numbers).

    A channel whose sender takes more than one message per call (`Channel.batch_size`)
    collects them here by `Channel.batch_key` (SMS: one notification, one template);
    a full batch goes at once, the rest once every row of the claim has been prepared.
    Its outcomes are written together, in one transaction, as soon as the provider
    answered, before the next call.
    """

    def __init__(self, outcomes: Outcomes, senders: Senders):
        self.outcomes = outcomes
        self.senders = senders
        self.waiting: dict = {}

    def add(self, spec, sender, size: int, item: tuple) -> None:
        key = (spec.code, spec.batch_key(*item))
        items = self.waiting.setdefault(key, [])
        items.append(item)
        if len(items) >= size:
            self._send(spec, sender, self.waiting.pop(key))

    def flush(self) -> None:
        while self.waiting:
            (code, _key), items = self.waiting.popitem()
            self._send(channel(code), self.senders.get(code), items)

    def _send(self, spec, sender, items: list[tuple]) -> None:
        self.outcomes.before_send()
        self.senders.pacers[spec.code].wait(len(items))
        try:
            errors = spec.send_batch(sender, items)
        except Exception as exc:  # noqa: BLE001 - the whole call failed, so each message did
            errors = [exc] * len(items)
        sent = [d for (_, _, d), error in zip(items, errors, strict=True) if error is None]
        lost = False
        with transaction.atomic():
            for (_recipient, _message, delivery), error in zip(items, errors, strict=True):
                if error is None:
                    continue
                try:
                    _failed(self.outcomes, delivery, error)
                except ClaimLost:
                    lost = True  # the rest of the call's outcomes are still written
            if sent:
                try:
                    self.outcomes.sent_many(sent)
                except ClaimLost:
                    lost = True
        if lost:
            raise ClaimLost(self.outcomes.claim)


def deliveries_send(*, notification_id: int | None = None, limit: int | None = None) -> int:
    """Claim and send one batch; returns how many were claimed."""
    claim, rows = deliveries_claim(notification_id=notification_id, limit=limit)
    if not rows:
        return 0
    outcomes = Outcomes(claim, rows)
    builder = MessageBuilder()
    senders = Senders()
    batches = Batches(outcomes, senders)
    try:
        for delivery in rows:
            outcomes.before_send()
            batch = None
            try:
                prepared = _prepare(delivery, builder)
                if not isinstance(prepared, str):
                    spec, recipient, message = prepared
                    sender = senders.get(spec.code)
                    if (size := spec.batch_size(sender)) > 1:
                        batch = (spec, sender, size, (recipient, message, delivery))
                    else:
                        senders.pacers[spec.code].wait()
                        spec.send(sender, recipient, message, delivery)
            except Exception as exc:  # noqa: BLE001 - _failed logs a fault of ours with its trace
                _failed(outcomes, delivery, exc)
            else:
                if isinstance(prepared, str):
                    outcomes.finish(delivery, Status.CANCELLED, prepared)
                elif batch:
                    batches.add(*batch)
                else:
                    outcomes.sent(delivery)
        batches.flush()
    except ClaimLost:
        logger.warning("claim %s lost to the sweep (lease ran out); its rows went back", claim)
    finally:
        senders.close()
    return len(rows)
