"""Relays (网格员, 楼栋长): told of urgent notices by SMS or email, they tap 已转告 once."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from wagtail.models import Site

import pytest
from freezegun import freeze_time

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.audience import subscriptions_matching
from subscriptions.models import Notification, Relay, RelayAcknowledgement, Subscription
from subscriptions.relays import ack_token, relay_save
from subscriptions.selectors import notification_relay_reach
from subscriptions.tests.sms_fixtures import phone_subscriber

pytestmark = pytest.mark.django_db

RELAY_PHONE = "+8613900139000"


def _relay(community="dongyuan", phone=RELAY_PHONE, email="", households=40, name="张建国"):
    relay = Relay(name=name, community=community, grid="第三网格", households=households)
    return relay_save(relay=relay, addresses={"sms": phone, "email": email})


def _urgent(parent, title="明早八点起全域停水的紧急通知", **kwargs):
    return NoticePageFactory(
        parent=parent,
        title=title,
        urgency=NoticePage.Urgency.URGENT,
        audience=["elderly"],
        **kwargs,
    )


def _ack_path(client, sms) -> str:
    """Where the relay's short link leads (the 已转告 page), as a path."""
    short = sms["text"].rsplit(" ", 1)[1]
    target = client.get(urlsplit(short).path)["Location"]
    assert target == sms["url"]
    return urlsplit(target).path


def test_staff_add_a_relay_in_the_admin_with_a_number_that_needs_no_code(
    tree, client, admin_user, sms_outbox
):
    client.force_login(admin_user)
    answer = client.post(
        "/admin/snippets/subscriptions/relay/add/",
        {
            "name": "李秀英",
            "community": "dongyuan",
            "grid": "5 号楼",
            "households": "36",
            "phone": "139 0013 9000",
            "email": "",
            "active": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    relay = Relay.objects.get()
    assert (relay.name, relay.community, relay.grid, relay.households) == (
        "李秀英",
        "dongyuan",
        "5 号楼",
        36,
    )
    assert relay.subscription.is_relay
    assert relay.subscription.address("sms").address == RELAY_PHONE
    assert relay.subscription.address("sms").live  # staff vouch for it: no code is texted
    assert sms_outbox.messages() == []
    listed = client.get("/admin/snippets/subscriptions/relay/").content.decode()
    assert "李秀英" in listed and "东园社区" in listed and "5 号楼" in listed
    edit = client.get(f"/admin/snippets/subscriptions/relay/edit/{relay.pk}/").content.decode()
    assert RELAY_PHONE in edit  # the number is shown from the relay's address

    # Without a number or an email the form says what is missing.
    answer = client.post(
        "/admin/snippets/subscriptions/relay/add/",
        {"name": "王芳", "community": "dongyuan", "households": "10", "active": "on"},
    )
    assert answer.status_code == 200
    assert "请至少填写手机号码或电子邮箱" in answer.content.decode()

    # Deleting the relay forgets the number with it.
    answer = client.post(f"/admin/snippets/subscriptions/relay/delete/{relay.pk}/")
    assert answer.status_code == 302
    assert not Relay.objects.exists() and not Subscription.objects.exists()


def test_a_relay_gets_urgent_notices_of_their_community_only_and_not_ordinary_ones(
    tree, client, sms_outbox, publish
):
    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    relay = _relay()
    _relay(community="xili", phone="+8613700137000", name="西里楼栋长")
    resident = phone_subscriber("+8613800138000", content_types=["notice"])

    publish(NoticePageFactory(parent=tree.a.notices, title="社区书画班报名", audience=["elderly"]))
    assert sms_outbox.to(RELAY_PHONE) == []
    assert len(sms_outbox.to("+8613800138000")) == 1

    page = _urgent(tree.a.notices)
    publish(page)
    [sms] = sms_outbox.to(RELAY_PHONE)
    assert sms["template"] == "relay"
    assert sms["text"].startswith(
        "【临里街道】请转告紧急通知：明早八点起全域停水的紧急通知，转告后点 "
    )
    assert len(sms["text"]) <= 70
    assert "/relay/" in sms["url"]
    assert sms_outbox.to("+8613700137000") == []  # xili's relay: not their community
    # The resident's own message is the ordinary urgent one.
    assert sorted(m["template"] for m in sms_outbox.to("+8613800138000")) == ["notice", "urgent"]
    # A relay is no resident: not counted in a page's reach.
    assert list(subscriptions_matching(type="notice", community="dongyuan", audience=[])) == [
        resident
    ]

    # The link opens the notice with the 已转告 button; opening it records nothing.
    path = _ack_path(client, sms)
    shown = client.get(path)
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "明早八点起全域停水的紧急通知" in html and "已转告</button>" in html
    assert "张建国" in html and "40 户" in html
    assert f'href="{page.url}"' in html
    assert "<script" not in html and "style=" not in html  # CSP-clean: nothing inline
    assert not RelayAcknowledgement.objects.exists()
    assert relay.pk


def test_a_street_wide_urgent_notice_reaches_the_relays_of_every_community(
    tree, sms_outbox, publish
):
    _relay()
    _relay(community="xili", phone="+8613700137000", name="西里楼栋长")
    publish(_urgent(tree.street.notices, title="全街道寒潮预警"))
    assert len(sms_outbox.to(RELAY_PHONE)) == 1
    assert len(sms_outbox.to("+8613700137000")) == 1


def test_relay_by_email_reads_the_request_and_the_link(tree, smtp_peer, publish):
    _relay(phone="", email="grid3@example.org")
    publish(_urgent(tree.a.notices))
    [message] = smtp_peer.wait_for(1)
    assert message.rcpt_tos == ["grid3@example.org"]
    assert message.subject.strip() == "请转告：【紧急】明早八点起全域停水的紧急通知"
    assert "您是这条紧急通知的转告人" in message.text
    assert re.search(r"http://testserver/relay/\S+/", message.text)


def test_the_button_records_the_first_tap_only(tree, client, sms_outbox, publish):
    relay = _relay(households=40)
    other = _relay(phone="+8613600136000", households=25, name="赵敏")
    _relay(community="xili", phone="+8613700137000", households=99, name="西里楼栋长")
    publish(_urgent(tree.a.notices))
    notification = Notification.objects.get()
    path = _ack_path(client, sms_outbox.to(RELAY_PHONE)[0])

    first = timezone.now()
    with freeze_time(first):
        answer = client.post(path)
    assert answer.status_code == 200
    assert "已记下" in answer.content.decode()
    with freeze_time(first + timedelta(hours=2)):
        again = client.post(path)
    assert again.status_code == 200
    [ack] = RelayAcknowledgement.objects.all()
    assert ack.acknowledged_at == first
    assert (ack.relay, ack.notification, ack.households) == (relay, notification, 40)
    # The page now says so, and offers no button.
    html = client.get(path).content.decode()
    assert "已记下" in html and "</button>" not in html

    reach = notification_relay_reach(notification=notification)
    assert reach["relays_targeted"] == 2  # both dongyuan relays; xili's was not told
    assert reach["households_targeted"] == 65
    assert reach["relays_acknowledged"] == 1
    assert reach["households_reached"] == 40
    assert reach["by_community"] == {
        "dongyuan": {
            "relays_targeted": 2,
            "households_targeted": 65,
            "relays_acknowledged": 1,
            "households_reached": 40,
        }
    }
    assert reach["acknowledged_at"] == [first]
    assert other.pk


def test_a_forged_or_altered_link_is_refused(tree, client, sms_outbox, publish):
    relay = _relay()
    publish(_urgent(tree.a.notices))
    notification = Notification.objects.get()
    genuine = ack_token(relay.pk, notification.pk)

    # Another relay's id (or another notice's) under the same signature.
    forged = genuine.replace(f"{relay.pk}.{notification.pk}", f"{relay.pk + 1}.{notification.pk}")
    for token in (forged, genuine[:-2] + "xx", "1.1:abc:def"):
        answer = client.post(f"/relay/{token}/")
        assert answer.status_code == 400
        assert "这个链接无效" in answer.content.decode()
    assert not RelayAcknowledgement.objects.exists()

    with freeze_time(timezone.now() + timedelta(days=31)):
        answer = client.post(f"/relay/{genuine}/")
    assert answer.status_code == 410
    assert not RelayAcknowledgement.objects.exists()


def test_a_resident_confirming_the_relays_number_leaves_the_relay_alone(
    tree, client, sms_outbox, run_on_commit, publish
):
    _relay()
    run_on_commit(
        client.post,
        "/api/v1/subscriptions/",
        {"phone": RELAY_PHONE, "resident_categories": ["elderly"], "content_types": ["notice"]},
        content_type="application/json",
    )
    [code] = sms_outbox.to(RELAY_PHONE)
    confirmed = client.post(
        "/api/v1/subscriptions/phone/confirm/",
        {"phone": RELAY_PHONE, "code": code["params"]["code"]},
        content_type="application/json",
    )
    assert confirmed.status_code == 200
    publish(_urgent(tree.a.notices))
    # One message as a resident, one as the relay: two different messages.
    templates = sorted(m["template"] for m in sms_outbox.to(RELAY_PHONE) if m["template"] != "code")
    assert templates == ["relay", "urgent"]


def test_a_withdrawn_notice_is_not_passed_on_and_the_relay_is_told(
    tree, client, sms_outbox, publish, django_capture_on_commit_callbacks
):
    _relay()
    page = _urgent(tree.a.notices)
    publish(page)
    path = _ack_path(client, sms_outbox.to(RELAY_PHONE)[0])
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    answer = client.post(path)
    html = answer.content.decode()
    assert "这条通知已撤回或过期，不用再转告" in html and "</button>" not in html
    assert not RelayAcknowledgement.objects.exists()
    # The correction reaches the relay who was told, as it reaches anyone told.
    correction = [m for m in sms_outbox.to(RELAY_PHONE) if m["template"] != "relay"]
    assert [m["params"]["title"] for m in correction] == [
        "通知已撤回：明早八点起全域停水的紧急通知"
    ]
