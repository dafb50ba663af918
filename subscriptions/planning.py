"""Fan-out: turn a notification into delivery rows, one batch of subscriptions at a time.

Subscriptions are planned in id order and the notification remembers the
last id planned, in the same transaction as the rows it created; a worker
killed mid-batch rolls that batch back and the next run continues from the
last committed one. The unique constraint on deliveries makes a repeated
batch harmless anyway.
"""

import math

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from subscriptions.audience import endpoints_matching, subscription_matches, subscriptions_matching
from subscriptions.models import Channel, Delivery, Frequency, Notification, Subscription
from subscriptions.quiet import quiet_until

Status = Delivery.Status


class Planner:
    """Decides each new row's status: now, held for quiet hours, or waiting for a digest."""

    def __init__(self, notification: Notification, now):
        self.notification = notification
        self.now = now
        self._quiet: dict = {}

    def _release(self, start, end):
        key = (start, end)
        if key not in self._quiet:
            self._quiet[key] = quiet_until(start, end, self.now)
        return self._quiet[key]

    def row(self, *, channel, frequency=Frequency.IMMEDIATE, quiet=(None, None), **recipient):
        n = self.notification
        if (
            frequency != Frequency.IMMEDIATE
            and n.kind == Notification.Kind.PUBLISHED
            and not n.urgent
        ):
            return Delivery(notification=n, channel=channel, status=Status.WAITING, **recipient)
        release = None if n.urgent else self._release(*quiet)
        if release:
            return Delivery(
                notification=n,
                channel=channel,
                status=Status.HELD,
                next_attempt_at=release,
                **recipient,
            )
        return Delivery(
            notification=n,
            channel=channel,
            status=Status.QUEUED,
            next_attempt_at=self.now,
            enqueued_at=self.now,
            **recipient,
        )


def _channels(email, email_confirmed_at, push_active, push_endpoint) -> list[str]:
    out = []
    if push_active and push_endpoint:
        out.append(Channel.WEBPUSH)
    if email and email_confirmed_at:
        out.append(Channel.EMAIL)
    return out


FIELDS = (
    "pk",
    "content_types",
    "communities",
    "resident_categories",
    "frequency",
    "quiet_start",
    "quiet_end",
    "email",
    "email_confirmed_at",
    "push_active",
    "push_endpoint",
)


def _published_batch(n: Notification, planner: Planner, size: int):
    rows, last = [], None
    candidates = (
        subscriptions_matching(type=n.type, community=n.community, audience=n.audience)
        .filter(pk__gt=n.planned_through)
        .order_by("pk")
        .values_list(*FIELDS)[:size]
    )
    count = 0
    for pk, types, communities, categories, frequency, start, end, *channel_facts in candidates:
        count += 1
        last = pk
        if not subscription_matches(
            types, communities, categories, type=n.type, community=n.community, audience=n.audience
        ):
            continue
        for channel in _channels(*channel_facts):
            rows.append(
                planner.row(
                    channel=channel, frequency=frequency, quiet=(start, end), subscription_id=pk
                )
            )
    return rows, last, count < size


def _quiet_of(pks: set[int]) -> dict:
    return {
        pk: (start, end)
        for pk, start, end in Subscription.objects.filter(pk__in=pks).values_list(
            "pk", "quiet_start", "quiet_end"
        )
    }


def _correction_batch(n: Notification, planner: Planner, size: int):
    """Those who were told about an earlier version: directly, or in a digest that went out."""
    told = Delivery.objects.filter(
        notification__translation_key=n.translation_key,
        notification__kind=Notification.Kind.PUBLISHED,
        notification__pk__lt=n.pk,
        subscription_id__gt=n.planned_through,
    ).filter(Q(status=Status.SENT) | Q(status=Status.BUNDLED, digest__status=Status.SENT))
    pairs = list(
        told.order_by("subscription_id", "channel")
        .values_list("subscription_id", "channel")
        .distinct()[:size]
    )
    quiet = _quiet_of({pk for pk, _ in pairs})
    rows = [
        planner.row(channel=channel, quiet=quiet.get(pk, (None, None)), subscription_id=pk)
        for pk, channel in pairs
    ]
    last = pairs[-1][0] if pairs else None
    return rows, last, len(pairs) < size


def _digest_batch(n: Notification, planner: Planner, size: int):
    frequency = Frequency.WEEKLY if n.key.startswith("weekly") else Frequency.DAILY
    pairs = list(
        Delivery.objects.filter(
            status=Status.WAITING,
            subscription__frequency=frequency,
            subscription_id__gt=n.planned_through,
        )
        .order_by("subscription_id", "channel")
        .values_list("subscription_id", "channel")
        .distinct()[:size]
    )
    quiet = _quiet_of({pk for pk, _ in pairs})
    rows = [
        planner.row(channel=channel, quiet=quiet.get(pk, (None, None)), subscription_id=pk)
        for pk, channel in pairs
    ]
    last = pairs[-1][0] if pairs else None
    return rows, last, len(pairs) < size


def _bundle(n: Notification, subscription_ids: set[int]):
    """Point each waiting delivery of these subscribers at their new digest delivery."""
    for channel in (Channel.WEBPUSH, Channel.EMAIL):
        digest_row = Delivery.objects.filter(
            notification=n, subscription_id=OuterRef("subscription_id"), channel=channel
        ).values("pk")[:1]
        Delivery.objects.filter(
            status=Status.WAITING, channel=channel, subscription_id__in=subscription_ids
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
        if finished and n.kind != Notification.Kind.DIGEST:
            rows += _endpoint_rows(n, planner)
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        if n.kind == Notification.Kind.DIGEST and rows:
            _bundle(n, {row.subscription_id for row in rows})
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


def _endpoint_rows(n: Notification, planner: Planner) -> list[Delivery]:
    if n.kind == Notification.Kind.CORRECTION:
        told = set(
            Delivery.objects.filter(
                notification__translation_key=n.translation_key,
                notification__kind=Notification.Kind.PUBLISHED,
                notification__pk__lt=n.pk,
                channel=Channel.WEBHOOK,
                status=Status.SENT,
            ).values_list("endpoint_id", flat=True)
        )
        endpoints = [
            e
            for e in endpoints_matching(type=n.type, community=n.community, audience=n.audience)
            if e.pk in told
        ]
    else:
        endpoints = endpoints_matching(type=n.type, community=n.community, audience=n.audience)
    return [
        planner.row(channel=Channel.WEBHOOK, quiet=(e.quiet_start, e.quiet_end), endpoint_id=e.pk)
        for e in endpoints
    ]


def send_tasks_needed(due: int) -> int:
    return math.ceil(due / settings.LINLI_PUSH_SEND_BATCH) if due else 0
