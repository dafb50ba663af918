"""Nothing is sent before residents can open it: a notice's 生效时间 and scheduled go-live hold messages.

The clock moves with freezegun; the scheduler process's loop (`run_scheduler
--once`) releases what was held, as it does every few seconds in production.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.management import call_command

from wagtail.models import Site

import pytest
from freezegun import freeze_time

from notices.factories import NoticePageFactory
from subscriptions.delivery import deliveries_send
from subscriptions.factories import SubscriptionFactory
from subscriptions.models import Delivery, Notification

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, second, tzinfo=BEIJING)


@pytest.fixture
def street(tree):
    """The test street as the site residents open, and one subscriber by email (no quiet hours)."""
    site = Site.objects.get(is_default_site=True)
    site.root_page = tree.street.page
    site.save()
    SubscriptionFactory(confirmed_email=True, content_types=["notice"])
    return tree


@pytest.fixture
def scheduler(django_capture_on_commit_callbacks):
    """One turn of the scheduler process, and the tasks it starts."""

    def turn():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_scheduler", once=True)

    return turn


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def opened(client, message) -> str:
    """What a resident sees who follows the message's link."""
    response = client.get(link_in(message))
    assert response.status_code == 200, response.content.decode()[:300]
    return response.content.decode()


def test_a_notice_approved_before_it_is_valid_is_sent_when_it_becomes_valid(
    street, client, publish, scheduler
):
    with freeze_time(at(18, 56)):
        publish(
            NoticePageFactory(
                parent=street.a.notices,
                title="停水通知",
                audience=["elderly"],
                valid_from=at(19, 0),
            )
        )
        assert mail.outbox == []
        assert Delivery.objects.get().status == Delivery.Status.HELD
    with freeze_time(at(18, 59, 55)):
        scheduler()
        assert mail.outbox == []
    with freeze_time(at(19, 0, 5)):
        scheduler()
        [message] = mail.outbox
        assert message.subject == "停水通知"
        assert "停水通知" in opened(client, message)


def test_a_notice_scheduled_to_go_live_is_sent_when_it_goes_live(
    street, client, scheduler, django_capture_on_commit_callbacks
):
    with freeze_time(at(18, 56)):
        page = NoticePageFactory(
            parent=street.a.notices, title="燃气检修通知", audience=["elderly"], live=False
        )
        page.go_live_at = at(19, 0)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        assert mail.outbox == []
        assert not Notification.objects.exists()
    with freeze_time(at(19, 0, 30)):
        scheduler()
        [message] = mail.outbox
        assert message.subject == "燃气检修通知"
        assert "燃气检修通知" in opened(client, message)


def test_a_validity_moved_later_after_planning_holds_the_message_at_sending(
    street, client, publish, scheduler
):
    with freeze_time(at(18, 56)):
        page = NoticePageFactory(
            parent=street.a.notices,
            title="道路施工通知",
            audience=["elderly"],
            valid_from=at(18, 0),
        )
        with pytest.MonkeyPatch.context() as patch:
            # Planned while valid, then sending stalls (no worker) …
            patch.setattr("subscriptions.tasks.send_tasks_needed", lambda due: 0)
            publish(page)
        # … and meanwhile an editor moves the start to 19:00, without a new announcement.
        page.valid_from, page.notify_subscribers = at(19, 0), False
        publish(page)
        assert deliveries_send() == 1
        assert mail.outbox == []
        held = Delivery.objects.get()
        assert (held.status, held.next_attempt_at, held.attempts) == ("held", at(19, 0), 0)
    with freeze_time(at(19, 0, 5)):
        scheduler()
        [message] = mail.outbox
        assert "道路施工通知" in opened(client, message)
