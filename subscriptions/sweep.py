"""The push hub's clock: recover from crashed workers, release held messages, start digests,
pass urgent notices on to the next channel.

Run every few seconds by `run_scheduler` (job `push_sweep`); each step is
idempotent, so two sweeps overlapping during a restart do no harm.
"""

import datetime
import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from subscriptions.fallback import fallbacks_pass_on
from subscriptions.models import Delivery, Notification

Status = Delivery.Status


def digests_due(now: datetime.datetime) -> list[str]:
    """Digest keys whose sending time has come (within the window after the digest hour)."""
    local = timezone.localtime(now)
    start = local.replace(hour=settings.LINLI_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if not start <= local < start + timedelta(hours=settings.LINLI_DIGEST_WINDOW_HOURS):
        return []
    keys = [f"daily:{local.date().isoformat()}"]
    if local.isoweekday() == 1:
        year, week, _ = local.isocalendar()
        keys.append(f"weekly:{year}-W{week:02d}")
    return keys


def _digests_start(now) -> int:
    from subscriptions.tasks import notification_plan

    started = 0
    for key in digests_due(now):
        notification, created = Notification.objects.get_or_create(
            kind=Notification.Kind.DIGEST,
            key=key,
            defaults={"title": key, "planning_touched_at": now},
        )
        if created:
            started += 1
            transaction.on_commit(lambda pk=notification.pk: notification_plan.enqueue(pk))
    return started


def push_sweep(now: datetime.datetime | None = None) -> dict:
    from subscriptions.tasks import notification_plan, send_task

    now = now or timezone.now()
    lease = timedelta(seconds=settings.LINLI_PUSH_LEASE_SECONDS)
    report = {}
    # A worker that died while sending left its claimed rows behind.
    report["released"] = Delivery.objects.filter(status=Status.SENDING, lease_until__lt=now).update(
        status=Status.QUEUED, next_attempt_at=now, enqueued_at=None, claim=""
    )
    # A worker that died while planning left a notification half planned.
    stalled = list(
        Notification.objects.filter(
            planned_at__isnull=True, planning_touched_at__lt=now - lease
        ).values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=stalled).update(planning_touched_at=now)
    for pk in stalled:
        transaction.on_commit(lambda pk=pk: notification_plan.enqueue(pk))
    report["replanned"] = len(stalled)
    report["digests"] = _digests_start(now)
    # Urgent notices without proof of delivery go to the next channel (queued for the step below).
    report["passed_on"] = fallbacks_pass_on(now)
    # Due rows nobody has queued (held ones whose quiet hours ended, retries, released ones).
    due = Delivery.objects.filter(status__in=Delivery.DUE, next_attempt_at__lte=now).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - lease)
    )
    cap = settings.LINLI_PUSH_SEND_BATCH * settings.LINLI_PUSH_SWEEP_TASKS
    queued = 0
    for row in due.values("notification_id").annotate(n=Count("pk")).order_by("notification_id"):
        if queued >= cap:
            break
        ids = list(
            due.filter(notification_id=row["notification_id"])
            .order_by("pk")
            .values_list("pk", flat=True)[: cap - queued]
        )
        Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
        queued += len(ids)
        for _ in range(math.ceil(len(ids) / settings.LINLI_PUSH_SEND_BATCH)):
            transaction.on_commit(lambda pk=row["notification_id"]: send_task().enqueue(pk))
    report["queued"] = queued
    return report
