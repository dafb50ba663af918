"""Residents' voice on services (好差评) and the office's duty to answer it.

A rating is anonymous: a score, reason codes, a comment that is never
published and, for a bad score, a call-back number kept encrypted. Every bad
score opens a case with a deadline in working days; every report that the
guide is wrong opens a correction task for the service's community editors.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Score(models.IntegerChoices):
    """The five national levels of 政务服务“好差评”."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIRLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# Scores that count as satisfied in 满意率, and scores that open a case.
SATISFIED_SCORES = (3, 4, 5)
BAD_SCORES = (1, 2)


class RatingReason(models.TextChoices):
    """The chips a resident may tick with a rating."""

    ATTITUDE = "attitude", _("态度")
    WAITING = "waiting", _("等候时间")
    FEES = "fees", _("收费")
    REPEATED_DOCUMENTS = "repeated_documents", _("材料反复提交")
    NOT_DONE = "not_done", _("没办成")
    GUIDE_WRONG = "guide_wrong", _("指南信息不对")
    OTHER = "other", _("其他")


class Rating(models.Model):
    """One resident's rating of one service (一次一评), anonymous."""

    service = models.ForeignKey(
        "services.ServicePage",
        verbose_name=_("服务事项"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The community of the service when it was rated ("" for street-wide services).
    community = models.CharField(_("社区"), max_length=40, blank=True, db_index=True)
    score = models.PositiveSmallIntegerField(_("评价"), choices=Score.choices)
    reasons = models.JSONField(_("原因"), default=list, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    # A Fernet token (feedback.sealing); shown only to whoever handles the case.
    callback_phone = models.TextField(_("回访电话（加密）"), blank=True)
    via = models.CharField(_("来源"), max_length=20, default="api")
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["service", "created_at"], name="rating_service_time")]

    def __str__(self):
        return f"{self.get_score_display()} · {self.created_at:%Y-%m-%d}"


class ServiceSatisfaction(models.Model):
    """A service's published aggregate, kept so its API item can carry it (`satisfaction`)."""

    service = models.OneToOneField(
        "services.ServicePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="satisfaction",
    )
    count = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    # What the item shows: {"count", "rate"}, or None below LINLI_RATINGS_MIN_PUBLIC.
    public = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("满意度")
        verbose_name_plural = _("满意度")

    def __str__(self):
        return f"{self.service_id}: {self.satisfied}/{self.count}"


class CaseState(models.TextChoices):
    PENDING = "pending", _("待核实")
    RECTIFYING = "rectifying", _("整改中")
    CALLED_BACK = "called_back", _("已回访")
    CLOSED = "closed", _("已办结")
    UNFOUNDED = "unfounded", _("不属实")


# Where a case may go from each state.
CASE_MOVES = {
    CaseState.PENDING: (CaseState.RECTIFYING, CaseState.UNFOUNDED),
    CaseState.RECTIFYING: (CaseState.CALLED_BACK,),
    CaseState.CALLED_BACK: (CaseState.CLOSED,),
    CaseState.CLOSED: (),
    CaseState.UNFOUNDED: (),
}
OPEN_CASE_STATES = (CaseState.PENDING, CaseState.RECTIFYING, CaseState.CALLED_BACK)


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_CASE_STATES)

    def overdue(self, today):
        """Open cases whose deadline has passed by `today` (a local date)."""
        return self.open().filter(deadline__lt=today)

    def in_communities(self, codes):
        """Cases of these communities; None means every community."""
        return self if codes is None else self.filter(community__in=codes)


class Case(models.Model):
    """A bad rating to verify, rectify and answer within the deadline (差评整改)."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="case"
    )
    service = models.ForeignKey(
        "services.ServicePage",
        verbose_name=_("服务事项"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    provider = models.ForeignKey(
        "home.Organisation",
        verbose_name=_("服务提供方"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    community = models.CharField(_("社区"), max_length=40, blank=True, db_index=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=CaseState.choices, default=CaseState.PENDING
    )
    deadline = models.DateField(_("整改期限"))
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报街道时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return f"#{self.pk} {self.service} · {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES


class CaseStep(models.Model):
    """One step of a case: who moved it, when, from which state to which, and why (the audit trail)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20)
    # None: the system (opening, escalation, reminder).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.from_state} → {self.to_state}"


class CorrectionReason(models.TextChoices):
    """What a resident found wrong in the guide (信息有误)."""

    PHONE = "phone", _("电话打不通")
    HOURS = "hours", _("时间不对")
    DOCUMENTS = "documents", _("材料不对")
    FEES = "fees", _("收费不对")
    OTHER = "other", _("其他")


class CorrectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    FIXED = "fixed", _("已更正")
    UNFOUNDED = "unfounded", _("不属实")


class CorrectionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=CorrectionState.OPEN)

    def in_communities(self, codes):
        return self if codes is None else self.filter(community__in=codes)


class Correction(models.Model):
    """A resident's report that a service's guide is wrong: a task for its community editors."""

    service = models.ForeignKey(
        "services.ServicePage",
        verbose_name=_("服务事项"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    community = models.CharField(_("社区"), max_length=40, blank=True, db_index=True)
    reason = models.CharField(_("问题"), max_length=20, choices=CorrectionReason.choices)
    comment = models.TextField(_("说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=CorrectionState.choices, default=CorrectionState.OPEN
    )
    # The published revision that fixed the guide.
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("更正的版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_note = models.TextField(_("处理说明"), blank=True)
    closed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报告时间"), default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("信息纠错")
        verbose_name_plural = _("信息纠错")
        ordering = ["-created_at"]

    def __str__(self):
        return f"#{self.pk} {self.service} · {self.get_reason_display()}"


class CalendarDay(models.Model):
    """A day off or a make-up working day for years the holiday calendar package does not know yet."""

    date = models.DateField(_("日期"), unique=True)
    working = models.BooleanField(
        _("上班"),
        help_text=_("勾选：调休上班日（周末也要上班）；不勾选：放假（节假日）。"),
    )
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("例如：国庆节"))

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"
