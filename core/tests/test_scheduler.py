from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from notices.factories import NoticePageFactory
from notices.models import NoticePage


def test_the_scheduler_publishes_a_notice_whose_time_has_come(tree):
    notice = NoticePageFactory(parent=tree.street.notices, live=False)
    notice.go_live_at = timezone.now() + timedelta(minutes=5)
    notice.save_revision().publish()
    notice.refresh_from_db()
    assert not notice.live
    # Five minutes pass.
    revision = notice.scheduled_revision
    past = timezone.now() - timedelta(seconds=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()

    call_command("run_scheduler", once=True)

    assert NoticePage.objects.get(pk=notice.pk).live


def test_the_scheduler_unpublishes_a_page_past_its_expiry(tree):
    notice = NoticePageFactory(parent=tree.street.notices)
    NoticePage.objects.filter(pk=notice.pk).update(expire_at=timezone.now() - timedelta(seconds=1))

    call_command("run_scheduler", once=True)

    notice.refresh_from_db()
    assert not notice.live
    assert notice.expired
