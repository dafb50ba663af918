"""The reach view of an urgent notice: people per state, community, category and channel, live."""

import csv
import io

import pytest

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.models import Delivery, Notification, Receipt
from subscriptions.receipts import Report, receipts_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _carrier_reports(settings):
    """Reports come when a test feeds them, as a carrier's would; not at once from the outbox."""
    settings.LINLI_OUTBOX_RECEIPTS = False


def _phone(n: int, **kwargs):
    subscription = SubscriptionFactory(**kwargs)
    AddressFactory(subscription=subscription, channel="sms", address=f"+861380013{n:04d}")
    return subscription


def _urgent(parent, title="今晚停水的紧急通知", audience=("elderly", "disability")):
    return NoticePageFactory(
        parent=parent, title=title, urgency=NoticePage.Urgency.URGENT, audience=list(audience)
    )


def _report(delivered: int, failed: int) -> None:
    receipts = list(Receipt.objects.order_by("delivery_id"))
    reports = [
        Report(provider_id=receipt.provider_id, phone="", delivered=n < delivered, code=code)
        for n, (receipt, code) in enumerate(
            (r, "DELIVRD" if n < delivered else "UNDELIV")
            for n, r in enumerate(receipts[: delivered + failed])
        )
    ]
    assert receipts_report(channel="sms", provider=receipts[0].provider, reports=reports) == len(
        reports
    )


def _table(html: str, kind: str) -> str:
    start = html.index(f'data-reach="{kind}"')
    return html[start : html.index("</table>", start)]


def test_an_urgent_notice_shows_who_was_reached_per_state_community_category_and_channel(
    tree, sms_outbox, push_peer, publish, admin_client
):
    for n in range(3):
        _phone(n, resident_categories=["elderly"], communities=["dongyuan"])
    _phone(3, resident_categories=["disability", "elderly"], communities=["dongyuan"])
    SubscriptionFactory.with_push(push_peer.new_subscription(), resident_categories=["disability"])
    publish(_urgent(tree.a.notices))
    _report(delivered=2, failed=1)  # the fourth text has no report yet
    notification = Notification.objects.get()

    page = admin_client.get(f"/admin/reports/notifications/{notification.pk}/reach/")

    html = page.content.decode()
    assert page.status_code == 200
    # Five people: two texts confirmed, one push handed over, one text failed, one waiting.
    total = _table(html, "total")
    assert "<td data-targeted>5</td><td>2</td><td>1</td><td>1</td><td>1</td>" in total
    assert "仍在推送，本页每 10 秒刷新" in html
    assert "<td>东园社区</td><td>5</td>" in _table(html, "community")
    # A person in two categories counts in both rows.
    categories = _table(html, "category")
    assert "<td>老年人</td><td>4</td>" in categories
    assert "<td>残疾人</td><td>2</td>" in categories
    channels = _table(html, "channel")
    assert "<td>短信</td><td>4</td><td>2</td><td>0</td><td>1</td><td>1</td>" in channels
    assert "<td>网页推送</td><td>1</td><td>0</td><td>1</td>" in channels
    assert "13800" not in html  # counts only, never a number
    # The page's push panel and the notifications report both lead here.
    reach_url = f'href="/admin/reports/notifications/{notification.pk}/reach/"'
    assert reach_url in admin_client.get(f"/admin/pages/{notification.page_id}/edit/").text
    assert reach_url in admin_client.get("/admin/reports/notifications/").text


def test_the_reach_downloads_as_csv_that_spreadsheets_read(tree, sms_outbox, publish, admin_client):
    _phone(1, communities=["dongyuan"])
    publish(_urgent(tree.a.notices, title="停电通知"))
    _report(delivered=1, failed=0)
    notification = Notification.objects.get()

    answer = admin_client.get(f"/admin/reports/notifications/{notification.pk}/reach.csv")

    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == [
        "维度",
        "名称",
        "对象人数",
        "已确认送达",
        "已发出（无回执）",
        "仍在尝试",
        "未能送达",
    ]
    assert rows[1] == ["合计", "停电通知", "1", "1", "0", "0", "0"]
    assert ["社区", "东园社区", "1", "1", "0", "0", "0"] in rows
    timeline = rows[rows.index(["发布后分钟", "已送达人数"]) + 1 :]
    assert timeline[0] == ["1", "1"]


def test_community_editors_see_their_own_community_only(tree, people, sms_outbox, publish, client):
    _phone(1, communities=["dongyuan"])
    _phone(2, communities=["xili"])
    _phone(3, communities=["xili"])
    publish(_urgent(tree.street.notices, title="全街道停水"))
    publish(_urgent(tree.a.notices, title="东园停电"))
    street_wide, dongyuan_only = Notification.objects.order_by("pk")

    client.force_login(people.editor_b)
    html = client.get(f"/admin/reports/notifications/{street_wide.pk}/reach/").content.decode()
    assert "<td data-targeted>2</td>" in _table(html, "total")
    assert "西里社区" in _table(html, "community")
    assert "东园社区" not in html
    assert "只显示您所管社区的人数" in html
    # Another community's own notice is not theirs to see, in the view or the list.
    assert client.get(f"/admin/reports/notifications/{dongyuan_only.pk}/reach/").status_code == 404
    assert (
        client.get(f"/admin/reports/notifications/{dongyuan_only.pk}/reach.csv").status_code == 404
    )
    listing = client.get("/admin/reports/notifications/").content.decode()
    assert "全街道停水" in listing and "东园停电" not in listing

    client.force_login(people.reviewer)
    html = client.get(f"/admin/reports/notifications/{street_wide.pk}/reach/").content.decode()
    assert "<td data-targeted>3</td>" in _table(html, "total")


def test_a_person_reached_on_any_channel_counts_once_as_reached(
    tree, sms_outbox, push_peer, publish
):
    from subscriptions.reach import DELIVERED, SENT, reach_of

    subscription = _phone(1)
    AddressFactory(subscription=subscription, channel="email")
    # Not urgent: both channels at once (an urgent notice would wait to fall back).
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    _report(delivered=0, failed=1)  # the text failed; the email went

    reach = reach_of(Notification.objects.get())

    assert reach.targeted == 1
    assert reach.people[SENT] == 1 and reach.people[DELIVERED] == 0
    assert Delivery.objects.count() == 2


def test_the_outbox_reports_delivered_unless_told_to_wait(tree, sms_outbox, publish, settings):
    from subscriptions.reach import DELIVERED, PENDING, reach_of

    settings.LINLI_OUTBOX_RECEIPTS = True  # as `make run` has it
    _phone(1)
    publish(_urgent(tree.a.notices))
    assert reach_of(Notification.objects.get()).people[DELIVERED] == 1
    assert Receipt.objects.get().code == "OUTBOX"

    settings.LINLI_OUTBOX_RECEIPTS = False
    publish(_urgent(tree.a.notices, title="又一条紧急通知"))
    later = Notification.objects.order_by("pk").last()
    assert reach_of(later).people[PENDING] == 1


def test_relays_count_apart_from_residents_with_the_households_they_told(
    tree, sms_outbox, publish, admin_client
):
    from subscriptions.models import Relay
    from subscriptions.relays import relay_acknowledge, relay_save

    _phone(1, communities=["dongyuan"])
    told = relay_save(
        relay=Relay(name="张建国", community="dongyuan", households=40),
        addresses={"sms": "+8613900000001", "email": ""},
    )
    relay_save(
        relay=Relay(name="李秀英", community="dongyuan", households=25),
        addresses={"sms": "+8613900000002", "email": ""},
    )
    publish(_urgent(tree.a.notices))
    notification = Notification.objects.get()
    relay_acknowledge(relay=told, notification=notification)

    html = admin_client.get(f"/admin/reports/notifications/{notification.pk}/reach/").text

    # One resident; the two relays are not counted among them.
    assert "<td data-targeted>1</td>" in _table(html, "total")
    relays = _table(html, "relays")
    assert "<td>2</td><td>1</td><td>65</td><td>40</td>" in relays
    csv_text = admin_client.get(f"/admin/reports/notifications/{notification.pk}/reach.csv").text
    assert "合计,2,1,65,40" in csv_text
