"""Feedback in the admin: cases, correction tasks and the holiday table."""

from django.utils import timezone

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from feedback.models import Case, Correction
from feedback.selectors import cases_for
from feedback.views import CalendarDayViewSet, CaseViewSet, CorrectionViewSet, HandledOnlyPolicy

register_permission_policy(Case, HandledOnlyPolicy(Case))
register_permission_policy(Correction, HandledOnlyPolicy(Correction))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [CaseViewSet(), CorrectionViewSet(), CalendarDayViewSet()]


class OverduePanel(Component):
    """On the dashboard: the open cases past their deadline that this user may handle."""

    name = "feedback_overdue"
    order = 90
    template_name = "feedback/panels/overdue.html"

    def __init__(self, overdue):
        self.overdue = overdue

    def get_context_data(self, parent_context):
        return {"overdue": self.overdue}


@hooks.register("construct_homepage_panels")
def add_overdue_panel(request, panels):
    if not request.user.has_perm("feedback.view_case"):
        return
    overdue = list(
        cases_for(request.user).overdue(timezone.localdate()).select_related("service")[:20]
    )
    if overdue:
        panels.append(OverduePanel(overdue))
