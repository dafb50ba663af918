"""Cases and correction tasks in the admin, each user seeing only their communities' share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View

from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from feedback.models import (
    CASE_MOVES,
    CalendarDay,
    Case,
    CaseState,
    Correction,
    CorrectionState,
    RatingReason,
)
from feedback.operations import MoveRefused, case_move, correction_close
from feedback.sealing import unseal
from feedback.selectors import cases_for, corrections_for


class HandledOnlyPolicy(ModelPermissionPolicy):
    """Nobody adds or deletes these by hand: residents open them, and the trail stays whole."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "copy"):
            return False
        return super().user_has_permission(user, action)


class ScopedIndexView(generic.IndexView):
    """Rows of the user's communities only; a row opens its inspect page."""

    def get_base_queryset(self):
        return self.scoped(self.request.user).select_related("service")

    def get_edit_url(self, instance):
        return reverse(self.inspect_url_name, args=(instance.pk,))


class ScopedInspectView(generic.InspectView):
    """The record, if it is in the user's communities, with what can be done next."""

    template_name = "feedback/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped(self.request.user), pk=self.pk)

    def get_edit_url(self):
        return None


class ScopedActionView(View):
    """A POST moving a record of the user's communities; back to its inspect page."""

    permission_policy = None
    inspect_url_name = None
    scoped = None
    http_method_names = ["post"]

    def post(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        record = self.scoped(request.user).filter(pk=pk).first()
        if record is None:
            raise Http404
        try:
            self.act(record, request.POST, request.user)
        except MoveRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "已保存。")
        return HttpResponseRedirect(reverse(self.inspect_url_name, args=(pk,)))


class OverdueColumn(Column):
    def get_value(self, instance):
        if not instance.is_open:
            return ""
        return "已逾期" if instance.deadline < timezone.localdate() else ""


class CaseInspectView(ScopedInspectView):
    scoped = staticmethod(cases_for)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        rating = case.rating
        reasons = dict(RatingReason.choices)
        context.update(
            rating_lines=[
                ("评价", rating.get_score_display()),
                ("原因", "、".join(str(reasons.get(code, code)) for code in rating.reasons) or "-"),
                ("居民意见（不公开）", rating.comment or "-"),
                ("回访电话", unseal(rating.callback_phone) or "-"),
            ],
            steps=case.steps.select_related("user"),
            moves=[(state, CaseState(state).label) for state in CASE_MOVES[CaseState(case.state)]],
            can_act=self.user_has_permission("change") and bool(CASE_MOVES[CaseState(case.state)]),
            action_url=reverse("feedback_cases:move", args=(case.pk,)),
        )
        return context


class CaseMoveView(ScopedActionView):
    scoped = staticmethod(cases_for)

    def act(self, case, form, user):
        case_move(case=case, to=form.get("to", ""), user=user, note=form.get("note", ""))


class HandledViewSet(ModelViewSet):
    """What residents opened: listed and inspected, moved on by one action, never made by hand."""

    action = ""  # the action's URL name and path segment
    action_view_class = None

    @cached_property
    def action_view(self):
        return self.action_view_class.as_view(
            permission_policy=self.permission_policy,
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        patterns = [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "edit", "delete", "copy")
        ]
        return [*patterns, path(f"{self.action}/<int:pk>/", self.action_view, name=self.action)]


class CaseViewSet(HandledViewSet):
    """差评整改: every bad rating's case, its deadline and its trail."""

    model = Case
    icon = "warning"
    menu_label = "差评整改"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "feedback/cases"
    name = "feedback_cases"
    index_view_class = type(
        "CaseIndexView", (ScopedIndexView,), {"scoped": staticmethod(cases_for)}
    )
    inspect_view_enabled = True
    inspect_view_class = CaseInspectView
    inspect_view_fields = [
        "service",
        "provider",
        "community",
        "state",
        "deadline",
        "created_at",
        "reminded_at",
        "escalated_at",
    ]
    copy_view_enabled = False
    form_fields = ["state"]
    list_display = [
        "service",
        "community",
        "state",
        "deadline",
        OverdueColumn("overdue", label="逾期"),
    ]
    list_filter = ["state", "community"]

    action = "move"

    @property
    def action_view_class(self):
        return CaseMoveView


class CorrectionInspectView(ScopedInspectView):
    scoped = staticmethod(corrections_for)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        correction = self.object
        is_open = correction.state == CorrectionState.OPEN
        context.update(
            steps=[],
            moves=[
                ("fixed", "已更正（已发布修改后的服务）"),
                ("unfounded", CorrectionState.UNFOUNDED.label),
            ],
            can_act=self.user_has_permission("change") and is_open,
            action_url=reverse("feedback_corrections:close", args=(correction.pk,)),
            edit_service_url=reverse("wagtailadmin_pages:edit", args=(correction.service_id,)),
        )
        return context


class CorrectionCloseView(ScopedActionView):
    scoped = staticmethod(corrections_for)

    def act(self, correction, form, user):
        correction_close(
            correction=correction,
            user=user,
            fixed=form.get("to") == "fixed",
            note=form.get("note", ""),
        )


class CorrectionViewSet(HandledViewSet):
    """信息纠错: residents' reports that a guide is wrong, for the service's editors."""

    model = Correction
    icon = "edit"
    menu_label = "信息纠错"
    menu_order = 251
    add_to_admin_menu = True
    url_prefix = "feedback/corrections"
    name = "feedback_corrections"
    index_view_class = type(
        "CorrectionIndexView", (ScopedIndexView,), {"scoped": staticmethod(corrections_for)}
    )
    inspect_view_enabled = True
    inspect_view_class = CorrectionInspectView
    inspect_view_fields = [
        "service",
        "community",
        "reason",
        "comment",
        "state",
        "created_at",
        "closed_by",
        "closed_note",
        "closed_at",
        "revision",
    ]
    copy_view_enabled = False
    form_fields = ["state"]
    list_display = ["service", "community", "reason", "state", "created_at"]
    list_filter = ["state", "reason"]

    action = "close"

    @property
    def action_view_class(self):
        return CorrectionCloseView


class CalendarDayViewSet(ModelViewSet):
    """Holidays and 调休 make-up days for years the calendar package does not know yet."""

    model = CalendarDay
    icon = "date"
    menu_label = "节假日与调休"
    add_to_settings_menu = True
    url_prefix = "feedback/calendar"
    name = "feedback_calendar"
    form_fields = ["date", "working", "name"]
    list_display = ["date", "working", "name"]
