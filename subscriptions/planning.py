"""Fan-out: turn a notification into delivery rows, one batch of subscriptions at a time.

Subscriptions are planned in id order and the notification remembers the
last id planned, in the same transaction as the rows it created; a worker
killed mid-batch rolls that batch back and the next run continues from the
last committed one. The unique constraint on deliveries makes a repeated
batch harmless anyway.

A subscription's channels are its live `Address` rows, joined in SQL: one
row per (subscription, address) comes back, whatever the channel, so a new
channel needs nothing here. Gateways and other recipients that are not
addresses come from each channel's `extra_rows`.
"""

import math
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from subscriptions.audience import addresses_matching, rule_columns, rule_matcher
from subscriptions.channels.registry import address_channels, all_channels
from subscriptions.models import Address, Delivery, Frequency, Notification, Subscription
from subscriptions.quiet import quiet_until
from subscriptions.relays import relay_rows

Status = Delivery.Status


class Row(NamedTuple):
    """One delivery to create; the rest of its columns start empty."""

    subscription_id: int | None
    endpoint_id: int | None
    address_id: int | None
    channel: str
    status: str
    next_attempt_at: datetime | None = None
    enqueued_at: datetime | None = None
    fallback_at: datetime | None = None
    fallback_from_id: int | None = None


def fallback_applies(notification: Notification) -> bool:
    """Whether a notification goes channel by channel: an urgent notice (docs/push.md, "Fallback")."""
    return notification.kind == Notification.Kind.PUBLISHED and notification.urgent


def fallback_deadline(start: datetime) -> datetime:
    """Until when a delivery made at `start` may prove it arrived before the message passes on."""
    return start + timedelta(minutes=settings.LINLI_REACH_FALLBACK_MINUTES)


def channel_rank():
    """Each address channel's `fallback_rank`, in SQL: a subscriber's order where they gave none."""
    return Case(
        *[When(channel=spec.code, then=Value(spec.fallback_rank)) for spec in address_channels()],
        default=Value(1000),
        output_field=IntegerField(),
    )


class Planner:
    """Decides each new row's status: now, held for quiet hours, or waiting for a digest."""

    def __init__(self, notification: Notification, now):
        self.notification = notification
        self.now = now
        self._quiet: dict = {}
        self._digestible = (
            notification.kind == Notification.Kind.PUBLISHED and not notification.urgent
        )
        # An urgent notice goes to each subscriber's first live channel only;
        # the sweep passes it on (subscriptions.fallback).
        self.first_channel_only = fallback_applies(notification)

    def _release(self, start, end, at):
        key = (start, end, at)
        if key not in self._quiet:
            self._quiet[key] = quiet_until(start, end, at)
        return self._quiet[key]

    def row(
        self,
        *,
        channel,
        frequency=Frequency.IMMEDIATE,
        quiet=(None, None),
        subscription_id=None,
        endpoint_id=None,
        address_id=None,
    ) -> Row:
        ids = (subscription_id, endpoint_id, address_id, channel)
        if frequency != Frequency.IMMEDIATE and self._digestible:
            return Row(*ids, Status.WAITING)
        # Nothing goes before residents can open the page; quiet hours count from then.
        visible = self.notification.visible_from
        at = visible if visible and visible > self.now else self.now
        release = None if self.notification.urgent else self._release(*quiet, at)
        # Counted from when the message may go: before, nobody could be reached.
        chained = self.first_channel_only and address_id and channel not in _beside_fallback()
        fallback_at = fallback_deadline(at) if chained else None
        if release or at > self.now:
            return Row(*ids, Status.HELD, release or at, fallback_at=fallback_at)
        return Row(*ids, Status.QUEUED, self.now, self.now, fallback_at=fallback_at)


# Only what planning decides on; the JSON lists come as text (see rule_matcher).
FIELDS = (
    "subscription_id",
    "pk",
    "channel",
    "subscription__frequency",
    "subscription__quiet_start",
    "subscription__quiet_end",
)
RULES = rule_columns("subscription__")


def _urgent_only() -> list[str]:
    """The channels that carry urgent notices only (voice calls)."""
    return [spec.code for spec in all_channels() if spec.urgent_only]


def _beside_fallback() -> set[str]:
    """The channels an urgent notice goes to beside the first one, outside the chain (calls)."""
    return {spec.code for spec in all_channels() if spec.beside_fallback}


def _published_batch(n: Notification, planner: Planner, size: int):
    """The next `size` live addresses of matching subscriptions (and the rest of the last one)."""
    addresses = addresses_matching(type=n.type, community=n.community, audience=n.audience)
    if not n.urgent:
        addresses = addresses.exclude(channel__in=_urgent_only())
    candidates = (
        addresses.filter(subscription_id__gt=n.planned_through)
        .annotate(**RULES, _rank=channel_rank())
        .order_by("subscription_id", "preference", "_rank", "channel")
        .values_list(*FIELDS, *RULES)
    )
    fetched = list(candidates[:size])
    finished = len(fetched) < size
    if not finished:
        # The limit may have cut the last subscription's addresses short, and the
        # next batch starts after it: take all of that subscription's addresses.
        last_pk = fetched[-1][0]
        fetched = [row for row in fetched if row[0] != last_pk]
        fetched += candidates.filter(subscription_id=last_pk)
    matches = rule_matcher(type=n.type, community=n.community, audience=n.audience)
    if planner.first_channel_only:
        # The subscriber's addresses come in their order: keep the first of each, and
        # the channels asked for beside it (calls).
        beside = _beside_fallback()
        seen: set[int] = set()
        fetched = [
            row for row in fetched if row[2] in beside or not (row[0] in seen or seen.add(row[0]))
        ]
    rows = [
        planner.row(
            channel=channel,
            frequency=frequency,
            quiet=(start, end),
            subscription_id=pk,
            address_id=address_id,
        )
        for pk, address_id, channel, frequency, start, end, *rules in fetched
        if matches(*rules)
    ]
    return rows, (fetched[-1][0] if fetched else None), finished


def _whole_subscriptions(deliveries, size: int) -> tuple[list[tuple[int, str]], bool]:
    """The next `size` (subscription, channel) pairs of these deliveries, and whether all came.

    The next batch starts after the last subscription, so all of its channels
    come in this one, even beyond `size`.
    """
    ordered = (
        deliveries.order_by("subscription_id", "channel")
        .values_list("subscription_id", "channel")
        .distinct()
    )
    pairs = list(ordered[:size])
    finished = len(pairs) < size
    if not finished:
        last = pairs[-1][0]
        pairs = [pair for pair in pairs if pair[0] != last] + list(
            ordered.filter(subscription_id=last)
        )
    return pairs, finished


def _rows_for_pairs(planner: Planner, pairs: list[tuple[int, str]]) -> list[Row]:
    """Rows for (subscription, channel) pairs, to each one's current address on the channel."""
    pks = {pk for pk, _ in pairs}
    quiet = {
        pk: (start, end)
        for pk, start, end in Subscription.objects.filter(pk__in=pks).values_list(
            "pk", "quiet_start", "quiet_end"
        )
    }
    addresses = {
        (pk, channel): address_id
        for pk, channel, address_id in Address.objects.filter(subscription_id__in=pks).values_list(
            "subscription_id", "channel", "pk"
        )
    }
    return [
        planner.row(
            channel=channel,
            quiet=quiet.get(pk, (None, None)),
            subscription_id=pk,
            address_id=addresses.get((pk, channel)),
        )
        for pk, channel in pairs
    ]


def _correction_batch(n: Notification, planner: Planner, size: int):
    """Those who were told about an earlier version: directly, or in a digest that went out."""
    told = Delivery.objects.filter(
        notification__translation_key=n.translation_key,
        notification__kind=Notification.Kind.PUBLISHED,
        notification__pk__lt=n.pk,
        subscription_id__gt=n.planned_through,
    ).filter(Q(status=Status.SENT) | Q(status=Status.BUNDLED, digest__status=Status.SENT))
    pairs, finished = _whole_subscriptions(told, size)
    return _rows_for_pairs(planner, pairs), (pairs[-1][0] if pairs else None), finished


def _digest_batch(n: Notification, planner: Planner, size: int):
    frequency = Frequency.WEEKLY if n.key.startswith("weekly") else Frequency.DAILY
    waiting = Delivery.objects.filter(
        status=Status.WAITING,
        subscription__frequency=frequency,
        subscription_id__gt=n.planned_through,
    ).exclude(notification__visible_from__gt=planner.now)  # those wait for the next digest
    pairs, finished = _whole_subscriptions(waiting, size)
    return _rows_for_pairs(planner, pairs), (pairs[-1][0] if pairs else None), finished


def _bundle(n: Notification, subscription_ids: set[int], now: datetime):
    """Point each waiting delivery of these subscribers at their new digest delivery.

    Not those about pages residents cannot see yet: they wait for the next digest.
    """
    digest_row = Delivery.objects.filter(
        notification=n,
        subscription_id=OuterRef("subscription_id"),
        channel=OuterRef("channel"),
    ).values("pk")[:1]
    Delivery.objects.filter(status=Status.WAITING, subscription_id__in=subscription_ids).exclude(
        notification__visible_from__gt=now
    ).update(status=Status.BUNDLED, digest_id=Subquery(digest_row))


BATCHES = {
    Notification.Kind.PUBLISHED: _published_batch,
    Notification.Kind.CORRECTION: _correction_batch,
    Notification.Kind.DIGEST: _digest_batch,
}


def notification_plan_batch(notification_id: int, *, size: int | None = None) -> tuple[bool, int]:
    """Plan the next batch. Returns (more batches to plan, deliveries due now)."""
    size = size or settings.LINLI_PUSH_PLAN_BATCH
    now = timezone.now()
    with transaction.atomic():
        n = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if n is None or n.planned_at:
            return False, 0
        planner = Planner(n, now)
        rows, last, finished = BATCHES[n.kind](n, planner, size)
        if finished:
            for spec in all_channels():
                rows += spec.extra_rows(n, planner)
            rows += relay_rows(n, planner)
        deliveries_insert(n, rows, now)
        if n.kind == Notification.Kind.DIGEST and rows:
            _bundle(n, {row.subscription_id for row in rows}, now)
        n.audience_size += len(rows)
        if last is not None:
            n.planned_through = last
        n.planning_touched_at = now
        if finished:
            n.planned_at = now
        n.save(
            update_fields=["audience_size", "planned_through", "planning_touched_at", "planned_at"]
        )
    return not finished, sum(1 for row in rows if row.status == Status.QUEUED)


_COLUMNS = (
    "notification",
    "subscription",
    "endpoint",
    "address",
    "channel",
    "status",
    "attempts",
    "next_attempt_at",
    "lease_until",
    "claim",
    "enqueued_at",
    "sent_at",
    "last_error",
    "digest",
    "created_at",
    "fallback_at",
    "fallback_from",
)


def deliveries_insert(n: Notification | int, rows: list[Row], now: datetime) -> None:
    """Insert the rows in one statement run per row, skipping any that exist already.

    Plain SQL rather than bulk_create: building a model instance per row was
    most of planning's time. `ON CONFLICT DO NOTHING` (SQLite 3.24+ and
    PostgreSQL) keeps a rerun of a batch harmless, as the unique constraints
    decide. Every column is given, as Django does not rely on database defaults.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Delivery._meta.get_field(name).column) for name in _COLUMNS)
    # Table and column names come from the model; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) ON CONFLICT DO NOTHING"
    )
    adapted: dict = {None: None}

    def adapt(value):
        if value not in adapted:
            adapted[value] = connection.ops.adapt_datetimefield_value(value)
        return adapted[value]

    created = adapt(now)
    notification_id = n if isinstance(n, int) else n.pk
    params = [
        (
            notification_id,
            row.subscription_id,
            row.endpoint_id,
            row.address_id,
            row.channel,
            row.status,
            0,
            adapt(row.next_attempt_at),
            None,
            "",
            adapt(row.enqueued_at),
            None,
            "",
            None,
            created,
            adapt(row.fallback_at),
            row.fallback_from_id,
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def send_tasks_needed(due: int) -> int:
    return math.ceil(due / settings.LINLI_PUSH_SEND_BATCH) if due else 0
