"""What triggers a message, who it reaches, and when: revisions, audiences, quiet hours, digests, corrections."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone

from wagtail.signals import page_published

import pytest
from freezegun import freeze_time

from events.factories import EventPageFactory
from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.models import Delivery, Notification
from subscriptions.sweep import push_sweep
from subscriptions.tasks import notification_plan

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


def test_one_notification_per_revision_whatever_repeats(tree, push_peer, publish, run_on_commit):
    SubscriptionFactory.with_push(push_peer.new_subscription())
    page = NoticePageFactory(parent=tree.a.notices, audience=["elderly"])
    revision = publish(page)
    # The signal fires again, the planning task runs again: nothing new.
    run_on_commit(page_published.send, sender=type(page), instance=page, revision=revision)
    run_on_commit(notification_plan.call, Notification.objects.get().pk)
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 1
    # Republishing an edit does not announce it again: the box was unticked after the first push.
    page.refresh_from_db()
    assert page.notify_subscribers is False
    assert page.get_latest_revision().content["notify_subscribers"] is False
    page.summary = "改了错别字。"
    publish(page)
    assert Notification.objects.count() == 1
    # Ticking it again a day later announces this revision, once (within the day it would not:
    # test_announcements.py).
    Notification.objects.update(created_at=timezone.now() - timedelta(hours=25))
    page.notify_subscribers = True
    publish(page)
    assert Notification.objects.count() == 2
    assert len(push_peer.wait_for(2)) == 2


def test_audience_categories_communities_and_types(tree, publish):
    elderly_a = SubscriptionFactory(confirmed_email=True, communities=["dongyuan"])
    disability = SubscriptionFactory(confirmed_email=True, resident_categories=["disability"])
    elderly_b = SubscriptionFactory(confirmed_email=True, communities=["xili"])
    events_only = SubscriptionFactory(confirmed_email=True, content_types=["event"])
    unconfirmed = AddressFactory(address="x@example.org", confirmed_at=None).subscription

    def reached(page):
        publish(page)
        notification = Notification.objects.latest("pk")
        return set(notification.deliveries.values_list("subscription_id", flat=True))

    assert reached(NoticePageFactory(parent=tree.a.notices, audience=["elderly"])) == {elderly_a.pk}
    # Street-wide pages reach every community; "all residents" reaches every category.
    assert reached(NoticePageFactory(parent=tree.street.notices, audience=["elderly"])) == {
        elderly_a.pk,
        elderly_b.pk,
    }
    assert reached(NoticePageFactory(parent=tree.street.notices, audience=["all"])) == {
        elderly_a.pk,
        elderly_b.pk,
        disability.pk,
    }
    assert reached(EventPageFactory(parent=tree.b.events, audience=["all"])) == {
        elderly_b.pk,
        disability.pk,
        events_only.pk,
    }
    assert unconfirmed.pk not in Delivery.objects.values_list("subscription_id", flat=True)


def test_scheduled_publishing_notifies_too(tree, push_peer, django_capture_on_commit_callbacks):
    SubscriptionFactory.with_push(push_peer.new_subscription())
    page = NoticePageFactory(parent=tree.a.notices, audience=["elderly"], live=False)
    page.go_live_at = timezone.now() - timedelta(minutes=1)
    page.save_revision(approved_go_live_at=page.go_live_at)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert Notification.objects.count() == 1
    assert len(push_peer.wait_for(1)) == 1


def test_quiet_hours_hold_normal_news_until_morning_but_not_urgent_ones(
    tree, push_peer, publish, run_on_commit
):
    browser = push_peer.new_subscription()
    SubscriptionFactory.with_push(browser, quiet_start=at(21).time(), quiet_end=at(8).time())
    with freeze_time(at(23, 30)):
        publish(NoticePageFactory(parent=tree.a.notices, title="普通通知", audience=["elderly"]))
        held = Delivery.objects.get()
        assert held.status == Delivery.Status.HELD
        assert held.next_attempt_at == at(8, day=24)
        publish(
            NoticePageFactory(
                parent=tree.a.notices,
                title="燃气泄漏紧急通知",
                summary="请立即关闭燃气阀门。",
                urgency=NoticePage.Urgency.URGENT,
                audience=["elderly"],
            )
        )
        [urgent] = push_peer.wait_for(1)
        assert urgent.json["title"] == "【紧急】燃气泄漏紧急通知"
    with freeze_time(at(7, 59, day=24)):
        assert run_on_commit(push_sweep)["queued"] == 0
    with freeze_time(at(8, 0, day=24) + timedelta(seconds=5)):
        assert run_on_commit(push_sweep)["queued"] == 1
    assert [m.json["title"] for m in push_peer.wait_for(2)][1] == "普通通知"


def test_daily_digest_carries_the_latest_version_and_leaves_out_expired(
    tree, push_peer, publish, run_on_commit
):
    browser = push_peer.new_subscription()
    SubscriptionFactory.with_push(browser, frequency="daily")
    with freeze_time(at(10)):
        first = NoticePageFactory(parent=tree.a.notices, title="旧标题", audience=["elderly"])
        publish(first)
        short = NoticePageFactory(
            parent=tree.a.notices,
            title="今天下午失效的通知",
            audience=["elderly"],
            valid_until=at(15),
        )
        publish(short)
        # Corrected the same morning: not announced again (once a day), but the digest,
        # rendered when it goes, carries the new title.
        first.title, first.notify_subscribers = "新标题", True
        publish(first)
        assert set(Delivery.objects.values_list("status", flat=True)) == {"waiting"}
        assert push_peer.messages == []
    with freeze_time(at(8, 1, day=24)):
        report = run_on_commit(push_sweep)
        assert report["digests"] == 1
        run_on_commit(push_sweep)  # a second sweep in the same window starts nothing
    [digest] = push_peer.wait_for(1)
    assert digest.json["title"] == "今日社区信息摘要"
    assert digest.json["body"] == "新标题"
    assert Notification.objects.filter(kind="digest").count() == 1
    assert Delivery.objects.filter(status="bundled").count() == 2


def test_cancelling_an_event_corrects_those_who_were_told(tree, push_peer, publish):
    told = push_peer.new_subscription()
    SubscriptionFactory.with_push(told)
    waiting = SubscriptionFactory.with_push(push_peer.new_subscription(), frequency="weekly")
    event = EventPageFactory(parent=tree.a.events, title="重阳节游园会", audience=["elderly"])
    publish(event)
    push_peer.wait_for(1)
    late = push_peer.new_subscription()
    SubscriptionFactory.with_push(late)

    event.status, event.status_reason = "cancelled", "天气原因"
    publish(event)
    correction = Notification.objects.get(kind="correction")
    assert correction.reason == "cancelled"
    messages = push_peer.wait_for(2)
    assert messages[1].endpoint == told["endpoint"]
    assert messages[1].json["title"] == "活动已取消：重阳节游园会"
    assert push_peer.messages_for(late["endpoint"]) == []
    # The weekly digest will not mention it.
    assert Delivery.objects.get(subscription=waiting).status == Delivery.Status.CANCELLED
    # Republishing the cancelled event does not correct twice.
    event.refresh_from_db()
    publish(event)
    assert Notification.objects.filter(kind="correction").count() == 1


def test_withdrawing_a_notice_sends_a_correction(tree, push_peer, publish, run_on_commit):
    SubscriptionFactory.with_push(push_peer.new_subscription())
    page = NoticePageFactory(parent=tree.a.notices, title="停车场收费调整", audience=["elderly"])
    publish(page)
    run_on_commit(page.unpublish)
    messages = push_peer.wait_for(2)
    assert messages[1].json["title"] == "通知已撤回：停车场收费调整"


def test_messages_follow_the_subscriber_locale(tree, push_peer, publish):
    browser = push_peer.new_subscription()
    SubscriptionFactory.with_push(browser, locale="zh-hant")
    publish(
        NoticePageFactory(
            parent=tree.a.notices, title="关于发放高龄津贴的通知", audience=["elderly"]
        )
    )
    [message] = push_peer.wait_for(1)
    assert message.json["title"] == "關於發放高齡津貼的通知"


def test_editor_sees_the_reach_before_publishing(tree, admin_client):
    for _ in range(4):
        SubscriptionFactory(confirmed_email=True)
    SubscriptionFactory(confirmed_email=True, resident_categories=["disability"])
    page = NoticePageFactory(parent=tree.a.notices, audience=["elderly"], live=False)
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "发布后将推送给 <strong data-reach>4</strong> 个订阅" in html
    assert "example.org" not in html  # counts, never who


def test_the_page_editor_shows_how_many_subscriptions_a_page_reaches(tree, admin_client):
    """The push panel (a core slot that subscriptions fills) counts, never names."""
    from django.urls import reverse

    subscription = SubscriptionFactory(resident_categories=["elderly"])
    AddressFactory(subscription=subscription, channel="email", address="lao.wang@example.cn")
    page = NoticePageFactory(parent=tree.a.notices, audience=["elderly"])
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "data-audience-panel" in html
    assert "<strong data-reach>1</strong>" in html
    assert "lao.wang" not in html
