"""Fallback: an urgent notice passes from a subscriber's channel to the next until one arrives.

Planning gives an urgent notice to each subscriber's first live channel only
(their order: `Address.preference`, then each channel's `fallback_rank`) and
sets that delivery's `fallback_at`, `LINLI_REACH_FALLBACK_MINUTES` after the
message may go. The sweep (`fallbacks_pass_on`, a step of `push_sweep`)
then gives the message to the subscriber's next live channel that has no
delivery of it yet, as a new `Delivery` that points back (`fallback_from`)
and waits in turn, when:

- the delivery failed for good: `dead`, or cancelled because its address
  is gone, switched off or removed (at the next sweep);
- the provider's receipt says it did not arrive (at the next sweep);
- `fallback_at` has come and no receipt said it arrived: an SMS whose
  receipt is still `accepted`, or a channel without receipts (email, web
  push), where a mail server's or push service's acceptance proves nothing
  about the person (docs/decisions/0013-fallback-across-channels.md).

A receipt saying `delivered` ends the chain; so do the last channel, a notice
withdrawn since, and a message cancelled because the notice is void.
Handled deliveries have their `fallback_at` cleared in the same transaction
as the new rows, which are inserted with `ON CONFLICT DO NOTHING` against the
unique (notification, subscription, channel): two sweeps at once, or one
killed half way, add each next row once, and nobody hears twice on a channel.
Each batch costs the same few queries whatever its size.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from subscriptions.channels.registry import address_channels
from subscriptions.delivery import NOT_CURRENT
from subscriptions.models import Address, Delivery, Notification, Receipt
from subscriptions.planning import Row, deliveries_insert, fallback_deadline

Status = Delivery.Status
# Over for good: nothing more will come of these deliveries.
ENDED = (Status.DEAD, Status.CANCELLED)


def _void(status: str, error: str) -> bool:
    """Cancelled because the message itself is void (withdrawn, expired): nothing passes on."""
    return status == Status.CANCELLED and (error == NOT_CURRENT or error.startswith("superseded"))


def fallbacks_due(now: datetime.datetime):
    """Deliveries whose message passes on now: failed for good, failed receipt, or the wait is over."""
    return (
        Delivery.objects.filter(fallback_at__isnull=False)
        .filter(
            Q(fallback_at__lte=now) | Q(status__in=ENDED) | Q(receipt__status=Receipt.Status.FAILED)
        )
        .exclude(receipt__status=Receipt.Status.DELIVERED)
    )


def _orders(subscription_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Each subscription's live addresses as (address id, channel), in the order they are tried."""
    ranks = {
        spec.code: spec.fallback_rank for spec in address_channels() if not spec.beside_fallback
    }
    addresses = (
        Address.objects.live()
        .filter(subscription_id__in=subscription_ids, channel__in=list(ranks))
        .values_list("subscription_id", "pk", "channel", "preference")
    )
    orders: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for subscription_id, pk, code, _preference in sorted(
        addresses, key=lambda row: (row[0], row[3], ranks[row[2]], row[2])
    ):
        orders[subscription_id].append((pk, code))
    return orders


def _withdrawn(notification_ids: set[int]) -> set[int]:
    """Those of these notifications whose page was corrected since (a notice: withdrawn)."""
    later = Notification.objects.filter(
        kind=Notification.Kind.CORRECTION,
        translation_key=OuterRef("translation_key"),
        pk__gt=OuterRef("pk"),
    )
    return set(
        Notification.objects.filter(pk__in=notification_ids)
        .filter(Exists(later))
        .values_list("pk", flat=True)
    )


def fallback_rows(due: list[tuple], now: datetime.datetime) -> dict[int, list[Row]]:
    """The next delivery of each due one, by notification: (pk, notification, subscription, status, error)."""
    subscription_ids = {row[2] for row in due if row[2] is not None}
    orders = _orders(subscription_ids)
    used = set(
        Delivery.objects.filter(
            notification_id__in={row[1] for row in due}, subscription_id__in=subscription_ids
        ).values_list("notification_id", "subscription_id", "channel")
    )
    withdrawn = _withdrawn({row[1] for row in due})
    rows: dict[int, list[Row]] = defaultdict(list)
    deadline = fallback_deadline(now)
    for pk, notification_id, subscription_id, status, error in due:
        if subscription_id is None or notification_id in withdrawn or _void(status, error):
            continue
        for address_id, code in orders.get(subscription_id, []):
            if (notification_id, subscription_id, code) in used:
                continue
            used.add((notification_id, subscription_id, code))
            rows[notification_id].append(
                Row(
                    subscription_id,
                    None,
                    address_id,
                    code,
                    Status.QUEUED,
                    next_attempt_at=now,
                    fallback_at=deadline,
                    fallback_from_id=pk,
                )
            )
            break
    return rows


def fallbacks_read(now: datetime.datetime, size: int) -> list[tuple]:
    """The next `size` due deliveries, locked for this sweep where the database can (PostgreSQL)."""
    return list(
        fallbacks_due(now)
        .order_by("pk")
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", "notification_id", "subscription_id", "status", "last_error")[:size]
    )


def fallbacks_write(due: list[tuple], now: datetime.datetime) -> int:
    """Insert the next deliveries of these and end their wait; returns the rows planned."""
    made = 0
    for notification_id, rows in fallback_rows(due, now).items():
        deliveries_insert(notification_id, rows, now)
        made += len(rows)
    Delivery.objects.filter(pk__in=[row[0] for row in due]).update(fallback_at=None)
    return made


def fallbacks_pass_on(now: datetime.datetime | None = None, *, batch: int | None = None) -> int:
    """Pass every due urgent message to its subscriber's next channel; returns the rows planned.

    The new rows are queued but not enqueued: the sweep's next step sends them.
    """
    now = now or timezone.now()
    size = batch or settings.LINLI_PUSH_PLAN_BATCH
    # Arrived: the chain ends here.
    Delivery.objects.filter(
        fallback_at__isnull=False, receipt__status=Receipt.Status.DELIVERED
    ).update(fallback_at=None)
    made = 0
    while True:
        with transaction.atomic():
            due = fallbacks_read(now, size)
            made += fallbacks_write(due, now) if due else 0
        if len(due) < size:
            return made
