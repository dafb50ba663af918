"""One announcement per page a day: ticking the box again within 24 hours re-notifies nobody.

Unless the notice is urgent or a reviewer ticks it; the page editor greys
the box out for everyone else and says why and until when.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

import pytest
from freezegun import freeze_time

from core.testing import post_admin_form, streamfield
from events.factories import EventPageFactory
from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.models import Notification

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=BEIJING)


def announcements() -> int:
    return Notification.objects.filter(kind=Notification.Kind.PUBLISHED).count()


@pytest.fixture
def republish(django_capture_on_commit_callbacks):
    """Tick the box in a revision `user` saves (None: a script), and publish it (as a review does)."""

    def _republish(page, user=None, **changes):
        page.refresh_from_db()
        for name, value in {"notify_subscribers": True, **changes}.items():
            setattr(page, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision(user=user).publish()
        page.refresh_from_db()

    return _republish


def test_ticking_the_box_again_within_a_day_announces_nothing(tree, people, publish, republish):
    with freeze_time(MORNING):
        page = NoticePageFactory(parent=tree.a.notices, audience=["elderly"])
        publish(page)
    with freeze_time(MORNING + timedelta(minutes=30)):
        republish(page, user=people.editor_a)
        assert announcements() == 1
        assert page.notify_subscribers is False  # the refused tick is undone too
    with freeze_time(MORNING + timedelta(hours=23, minutes=59)):
        republish(page, user=people.editor_a)
        assert announcements() == 1
    with freeze_time(MORNING + timedelta(hours=24, minutes=1)):
        republish(page, user=people.editor_a)
        assert announcements() == 2


def test_an_urgent_notice_or_a_reviewers_tick_announces_again(tree, people, publish, republish):
    with freeze_time(MORNING):
        page = NoticePageFactory(parent=tree.a.notices, audience=["elderly"], summary="停水。")
        publish(page)
    with freeze_time(MORNING + timedelta(minutes=10)):
        republish(page, user=people.reviewer)
        assert announcements() == 2
    with freeze_time(MORNING + timedelta(minutes=20)):
        republish(page, user=people.editor_a, urgency=NoticePage.Urgency.URGENT)
        assert announcements() == 3


def _box(html: str) -> str:
    start = html.index('name="notify_subscribers"')
    return html[html.rindex("<input", 0, start) : html.index(">", start) + 1]


def test_the_editor_sees_the_box_greyed_out_with_the_reason_and_when_it_frees_up(
    tree, people, client, publish
):
    with freeze_time(MORNING):
        event = EventPageFactory(parent=tree.a.events, title="重阳节游园会", audience=["elderly"])
        publish(event)
    edit = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    with freeze_time(MORNING + timedelta(hours=2)):
        client.force_login(people.editor_a)
        html = client.get(edit).content.decode()
        assert "disabled" in _box(html)
        assert "本页已在 2026-11-23 10:00 推送过" in html
        assert "2026-11-24 10:00 后可以再次勾选" in html
        # A tick posted anyway (the form as a script would send it) is ignored.
        response = post_admin_form(
            client,
            edit,
            {"body": streamfield([]), "notify_subscribers": "on", "action-publish": "1"},
        )
        assert response.status_code == 302
        assert announcements() == 1

        client.force_login(people.reviewer)
        assert "disabled" not in _box(client.get(edit).content.decode())
