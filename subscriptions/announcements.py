"""One announcement per page a day: republishing with the box ticked does not re-notify everyone.

An editor could tick 推送给订阅居民 on every republish and message every
subscriber each time. A page is announced at most once in 24 hours, unless
it is urgent (an urgent notice) or a reviewer of the page ticks the box (the
street's reviewers, or an administrator): that tick is the confirmation.
The page editor greys the box out and says why and until when
(`core.forms.ContentPageForm`); publishing checks the same rule, whatever
path the publish took.
"""

from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wagtail.models import GroupApprovalTask

from core.content_types import content_type_of
from subscriptions.models import Notification

ANNOUNCE_EVERY = timedelta(hours=24)


def reviewer_of(page, user) -> bool:
    """Whether `user` approves pages like this one: an administrator, or in its workflow's groups."""
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    workflow = page.get_workflow() if page.pk else None
    if workflow is None:
        return False
    return GroupApprovalTask.objects.filter(
        active=True, workflow_tasks__workflow=workflow, groups__in=user.groups.all()
    ).exists()


def last_announcement(page, now: datetime) -> Notification | None:
    """This page's announcement within the last 24 hours, in any locale, if there was one."""
    if not page.pk:
        return None
    return (
        Notification.objects.filter(
            translation_key=page.translation_key,
            kind=Notification.Kind.PUBLISHED,
            created_at__gt=now - ANNOUNCE_EVERY,
        )
        .order_by("-created_at")
        .first()
    )


def announcement_refusal(page, user, *, now: datetime | None = None) -> str | None:
    """Why `user` may not announce `page` again now (for the editor's eyes), or None if they may."""
    content_type = content_type_of(page)
    if content_type is None or content_type.urgent(page) or reviewer_of(page, user):
        return None
    now = now or timezone.now()
    last = last_announcement(page, now)
    if last is None:
        return None
    return _(
        "本页已在 %(sent)s 推送过。为免反复打扰居民，同一页面 24 小时内只推送一次，"
        "%(free)s 后可以再次勾选。紧急通知不受此限；确需提前再推送，请街道审核员勾选。"
    ) % {
        "sent": formats.date_format(timezone.localtime(last.created_at), "Y-m-d H:i"),
        "free": formats.date_format(
            timezone.localtime(last.created_at + ANNOUNCE_EVERY), "Y-m-d H:i"
        ),
    }
