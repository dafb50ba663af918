"""Feedback in the admin: cases, correction tasks and the holiday table."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from feedback.models import Case, Correction
from feedback.views import CalendarDayViewSet, CaseViewSet, CorrectionViewSet, HandledOnlyPolicy

register_permission_policy(Case, HandledOnlyPolicy(Case))
register_permission_policy(Correction, HandledOnlyPolicy(Correction))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [CaseViewSet(), CorrectionViewSet(), CalendarDayViewSet()]
