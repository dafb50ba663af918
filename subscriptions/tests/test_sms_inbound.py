"""Replies: TD, T, 退订 or 取消 stop that number, by the providers' callbacks or channel_inbound."""

from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.factories import AddressFactory
from subscriptions.models import Address, Delivery, Subscription, Unsubscription
from subscriptions.sms_inbound import stop_word
from subscriptions.tests.sms_fixtures import CALLBACK_TOKEN, phone_subscriber
from tests.peers.aliyun import aliyun_accepts
from tests.peers.tencent.callbacks import tencent_accepts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("TD", "TD"),
        ("td", "TD"),
        (" ＴＤ ", "TD"),  # full-width, as some phones type it
        ("t", "T"),
        ("退订", "退订"),
        ("退订。", "退订"),
        ("取消", "取消"),
        ("TDX", None),
        ("谢谢", None),
        ("不要取消", None),
        ("", None),
    ],
)
def test_stop_words_are_read_whatever_their_width_case_or_punctuation(text, word):
    assert stop_word(text) == word


def _inbound(phone, text) -> str:
    out = StringIO()
    call_command("channel_inbound", "sms", phone, text, stdout=out)
    return out.getvalue()


def test_td_through_channel_inbound_forgets_the_number_and_a_subscription_left_with_nothing():
    only_sms = phone_subscriber("+8613800138000")
    assert _inbound("13800138000", "TD") == "1 subscription(s) changed\n"

    assert not Subscription.objects.filter(pk=only_sms.pk).exists()
    assert not Address.objects.filter(channel="sms").exists()
    unsubscription = Unsubscription.objects.get()
    assert (unsubscription.channel, unsubscription.reason) == ("sms", "短信回复 TD")


def test_td_keeps_the_subscriptions_other_channels():
    subscription = phone_subscriber("+8613800138000")
    AddressFactory(subscription=subscription, channel="email")
    other = phone_subscriber("+8613900139000")

    _inbound("+86 138 0013 8000", "退订")

    assert [a.channel for a in subscription.addresses.all()] == ["email"]
    assert other.addresses.get().channel == "sms"


def test_any_other_reply_changes_nothing():
    phone_subscriber("+8613800138000")
    assert _inbound("13800138000", "收到，谢谢") == "0 subscription(s) changed\n"
    assert Address.objects.filter(channel="sms").count() == 1


def test_channel_inbound_refuses_a_channel_without_replies():
    with pytest.raises(CommandError, match="takes no replies"):
        call_command("channel_inbound", "email", "a@example.org", "TD")
    with pytest.raises(CommandError, match="no channel"):
        call_command("channel_inbound", "fax", "1", "TD")


def _urgent(tree):
    return NoticePageFactory(
        parent=tree.a.notices, title="停水通知", urgency=NoticePage.Urgency.URGENT, audience=["all"]
    )


def test_an_aliyun_uplink_td_unsubscribes_and_the_next_notice_is_not_sent(
    tree, sms_aliyun, publish, client
):
    peer = sms_aliyun
    phone_subscriber("+8613800138000")
    publish(_urgent(tree))
    peer.wait_for(1)

    answer = client.post(
        f"/sms/{CALLBACK_TOKEN}/aliyun/reply/",
        peer.uplink_payload("13800138000", "TD"),
        content_type="application/json",
    )
    assert aliyun_accepts(answer.status_code, answer.json())
    assert not Address.objects.filter(channel="sms").exists()

    publish(_urgent(tree))
    assert len(peer.messages) == 1
    assert Delivery.objects.count() == 1


def test_an_uplink_under_another_signature_is_not_ours(tree, sms_aliyun, client):
    phone_subscriber("+8613800138000")
    payload = sms_aliyun.uplink_payload("13800138000", "TD", sign_name="别的街道")
    client.post(f"/sms/{CALLBACK_TOKEN}/aliyun/reply/", payload, content_type="application/json")
    assert Address.objects.filter(channel="sms").count() == 1


def test_a_tencent_reply_td_unsubscribes(tree, sms_tencent, publish, client):
    peer = sms_tencent
    phone_subscriber("+8613800138000")
    publish(_urgent(tree))
    peer.wait_for(1)

    answer = client.post(
        f"/sms/{CALLBACK_TOKEN}/tencent/reply/",
        peer.reply_payload("13800138000", "取消"),
        content_type="application/json",
    )
    assert tencent_accepts(answer.status_code, answer.json())
    assert not Address.objects.filter(channel="sms").exists()
    assert Unsubscription.objects.get().reason == "短信回复 取消"


def test_a_reply_callback_needs_the_secret_path(tree, sms_tencent, client):
    phone_subscriber("+8613800138000")
    answer = client.post(
        "/sms/not-the-token/tencent/reply/",
        sms_tencent.reply_payload("13800138000", "TD"),
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert Address.objects.filter(channel="sms").count() == 1
