"""Write-side of feedback: recording ratings and corrections, opening and moving cases."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from feedback import sealing
from feedback.models import (
    BAD_SCORES,
    CASE_MOVES,
    Case,
    CaseState,
    CaseStep,
    Correction,
    CorrectionState,
    Rating,
    ServiceSatisfaction,
)
from feedback.selectors import (
    case_handlers,
    community_code,
    satisfaction_counts,
    satisfaction_public,
    street_reviewers,
)
from feedback.tasks import staff_mail_send
from feedback.workdays import previous_working_day, working_days_after
from items.projection import items_project_page
from services.models import ServicePage


class MoveRefused(ValueError):
    """A case or correction cannot make this step (a wrong state, or a reason missing)."""


@transaction.atomic
def rating_record(
    *,
    service: ServicePage,
    score: int,
    reasons: list[str],
    comment: str = "",
    callback_phone: str = "",
    via: str = "api",
    now: datetime.datetime | None = None,
) -> Rating:
    """Keep a resident's rating; a bad one opens a case; the published aggregate follows."""
    now = now or timezone.now()
    rating = Rating.objects.create(
        service=service,
        community=community_code(service),
        score=score,
        reasons=list(dict.fromkeys(reasons)),
        comment=comment,
        callback_phone=sealing.seal(callback_phone) if score in BAD_SCORES else "",
        via=via,
        created_at=now,
    )
    if score in BAD_SCORES:
        case_open(rating=rating, now=now)
    service_satisfaction_refresh(service=service, now=now)
    return rating


def case_open(*, rating: Rating, now: datetime.datetime) -> Case:
    """A case for a bad rating, due LINLI_RECTIFY_WORKING_DAYS working days after the rating."""
    service = rating.service
    deadline = working_days_after(timezone.localdate(now), settings.LINLI_RECTIFY_WORKING_DAYS)
    case = Case.objects.create(
        rating=rating,
        service=service,
        provider_id=service.provider_id,
        community=rating.community,
        deadline=deadline,
        created_at=now,
    )
    CaseStep.objects.create(
        case=case, from_state="", to_state=CaseState.PENDING, note="差评自动立案", created_at=now
    )
    return case


@transaction.atomic
def case_move(*, case: Case, to: str, user, note: str = "") -> Case:
    """Move a case one step (待核实 → 整改中 → 已回访 → 已办结, or 待核实 → 不属实), recording who and why."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to not in CASE_MOVES[CaseState(case.state)]:
        raise MoveRefused(
            f"“{case.get_state_display()}”的案件不能改为“{CaseState(to).label}”。"
            if to in CaseState.values
            else f"未知的状态：{to}"
        )
    note = note.strip()
    if to == CaseState.UNFOUNDED and not note:
        raise MoveRefused("标记为不属实时必须写明理由。")
    CaseStep.objects.create(case=case, from_state=case.state, to_state=to, user=user, note=note)
    case.state = to
    case.save(update_fields=["state", "updated_at"])
    return case


def _case_lines(case: Case) -> str:
    return (
        f"服务：{case.service.title}\n"
        f"社区：{case.community or '街道'}\n"
        f"状态：{case.get_state_display()}\n"
        f"整改期限：{case.deadline:%Y-%m-%d}\n"
    )


def _emails(users) -> list[str]:
    return sorted({user.email for user in users})


@transaction.atomic
def cases_sweep(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Remind handlers the working day before a deadline; escalate overdue cases to the street.

    Each case is reminded once and escalated once, so running twice sends nothing twice.
    Returns (reminded, escalated).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminded = escalated = 0
    for case in (
        Case.objects.open().filter(reminded_at=None, deadline__gte=today).select_related("service")
    ):
        if previous_working_day(case.deadline) > today:
            continue
        case.reminded_at = now
        case.save(update_fields=["reminded_at", "updated_at"])
        recipients = _emails(case_handlers(case))
        transaction.on_commit(
            lambda case=case, recipients=recipients: staff_mail_send.enqueue(
                f"差评整改明天到期：{case.service.title}",
                _case_lines(case) + "请在期限内整改并回访居民。",
                recipients,
            )
        )
        reminded += 1
    reviewers = _emails(street_reviewers())
    for case in Case.objects.overdue(today).filter(escalated_at=None).select_related("service"):
        case.escalated_at = now
        case.save(update_fields=["escalated_at", "updated_at"])
        CaseStep.objects.create(
            case=case,
            from_state=case.state,
            to_state=case.state,
            note="逾期未办结，已转街道审核员督办",
            created_at=now,
        )
        transaction.on_commit(
            lambda case=case: staff_mail_send.enqueue(
                f"差评整改逾期：{case.service.title}",
                _case_lines(case) + "已超过整改期限，请督办。",
                reviewers,
            )
        )
        escalated += 1
    return reminded, escalated


def correction_report(
    *, service: ServicePage, reason: str, comment: str = "", now: datetime.datetime | None = None
) -> Correction:
    """Open a correction task for the service's community editors."""
    return Correction.objects.create(
        service=service,
        community=community_code(service),
        reason=reason,
        comment=comment,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def correction_close(*, correction: Correction, user, fixed: bool, note: str = "") -> Correction:
    """Close a correction task: fixed by the service's live revision, or unfounded with a reason."""
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.state != CorrectionState.OPEN:
        raise MoveRefused("这条纠错已经处理过了。")
    note = note.strip()
    if fixed:
        service = ServicePage.objects.get(pk=correction.service_id)
        revision = service.live_revision
        if revision is None or revision.created_at < correction.created_at:
            raise MoveRefused("请先修改并发布这项服务，再标记为已更正。")
        correction.state = CorrectionState.FIXED
        correction.revision = revision
    else:
        if not note:
            raise MoveRefused("标记为不属实时必须写明理由。")
        correction.state = CorrectionState.UNFOUNDED
    correction.closed_by = user
    correction.closed_note = note
    correction.closed_at = timezone.now()
    correction.save()
    return correction


def service_satisfaction_refresh(*, service: ServicePage, now: datetime.datetime) -> bool:
    """Recount a service's last 12 months; re-project its item when what it shows changed."""
    count, satisfied = satisfaction_counts(service_id=service.pk, now=now)
    public = satisfaction_public(count, satisfied)
    current = ServiceSatisfaction.objects.filter(service_id=service.pk).first()
    changed = (current.public if current else None) != public
    ServiceSatisfaction.objects.update_or_create(
        service_id=service.pk,
        defaults={"count": count, "satisfied": satisfied, "public": public},
    )
    if changed:
        items_project_page(page=service, reason="satisfaction")
    return changed


def satisfaction_refresh_all(*, now: datetime.datetime | None = None) -> int:
    """Recount every rated service, as ratings leave the 12-month window; returns items changed."""
    now = now or timezone.now()
    changed = 0
    ids = set(ServiceSatisfaction.objects.values_list("service_id", flat=True))
    for service in ServicePage.objects.filter(pk__in=ids):
        changed += service_satisfaction_refresh(service=service, now=now)
    return changed
