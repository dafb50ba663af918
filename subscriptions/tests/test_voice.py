"""Voice calls for urgent notices: what is said, to whom, through each provider's real SDK
against its loopback peer, the call reports, and the number proved by the SMS code."""

import re
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Site

import pytest

from home.models import ResidentCategory
from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.channels.base import delivery_key
from subscriptions.delivery import deliveries_send
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.models import Address, Delivery, Receipt
from subscriptions.panels import audience_summary
from subscriptions.tests.sms_fixtures import CALLBACK_TOKEN, phone_subscriber
from subscriptions.tests.voice_fixtures import voice_subscriber
from tests.peers.aliyun import aliyun_accepts
from tests.peers.tencent import tencent_accepts

pytestmark = pytest.mark.django_db

PHONE = "+8613800138000"
TITLE = "今晚八点至明早六点东园社区停电检修"
SUMMARY = "请提前准备照明，电梯停运。行动不便的居民可拨打社区电话求助。"
SUBSCRIBE = "/api/v1/subscriptions/"
CONFIRM = "/api/v1/subscriptions/phone/confirm/"


def _urgent(tree, title=TITLE, summary=SUMMARY, audience=("all",)):
    return NoticePageFactory(
        parent=tree.a.notices,
        title=title,
        summary=summary,
        urgency=NoticePage.Urgency.URGENT,
        audience=list(audience),
    )


def _report(client, provider, payload, token=CALLBACK_TOKEN):
    return client.post(
        f"/voice/{token}/{provider}/report/", payload, content_type="application/json"
    )


def _come_round():
    """Time passes: every held call is due again."""
    Delivery.objects.filter(status=Delivery.Status.HELD).update(next_attempt_at=timezone.now())


# What is said, and to whom


def test_an_urgent_notice_is_read_out_with_its_title_and_first_sentence_twice(
    tree, voice_outbox, publish
):
    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    voice_subscriber(PHONE)
    page = _urgent(tree)
    publish(page)

    [call] = voice_outbox.to(PHONE)
    assert call["text"] == f"这里是临里街道。紧急通知：{TITLE}。请提前准备照明，电梯停运。"
    assert call["template"] == "urgent"
    assert call["params"] == {"title": TITLE, "summary": "请提前准备照明，电梯停运"}
    assert call["play_times"] == 2
    assert call["url"] == f"http://testserver{page.url}"
    delivery = Delivery.objects.get(channel="voice")
    assert delivery.status == Delivery.Status.SENT
    assert call["key"] == delivery_key(delivery)
    assert (delivery.receipt.provider, delivery.receipt.provider_id) == ("outbox", call["id"])


def test_a_notice_that_is_not_urgent_never_makes_a_call(tree, voice_outbox, sms_outbox, publish):
    subscription = phone_subscriber(PHONE)
    Address.objects.create(
        subscription=subscription, channel="voice", address=PHONE, confirmed_at=timezone.now()
    )
    publish(NoticePageFactory(parent=tree.a.notices, title="社区图书室周末开放", audience=["all"]))

    assert [d.channel for d in Delivery.objects.all()] == ["sms"]
    assert len(sms_outbox.to(PHONE)) == 1
    assert voice_outbox.messages() == []

    publish(_urgent(tree))
    assert sorted(
        Delivery.objects.filter(notification__urgent=True).values_list("channel", flat=True)
    ) == [
        "sms",
        "voice",
    ]
    assert len(voice_outbox.to(PHONE)) == 1


def test_editors_count_residents_who_asked_only_for_calls_on_urgent_notices_only(tree):
    voice_subscriber(PHONE)
    phone_subscriber("+8613900139000")
    notice = NoticePageFactory(parent=tree.a.notices, title="社区图书室周末开放", audience=["all"])

    assert audience_summary(notice)["reach"] == 1
    assert audience_summary(_urgent(tree))["reach"] == 2


def test_the_call_never_names_the_residents_category(tree, voice_outbox, publish):
    category = ResidentCategory.objects.get(code="disability", locale__language_code="zh-hans")
    voice_subscriber(PHONE, resident_categories=["disability"])
    publish(
        _urgent(
            tree, title="无障碍通道今日封闭维修", summary="请改走东门。", audience=["disability"]
        )
    )

    [call] = voice_outbox.to(PHONE)
    assert call["text"] == "这里是临里街道。紧急通知：无障碍通道今日封闭维修。请改走东门。"
    assert category.name not in call["text"] and "disability" not in str(call)


def test_a_long_title_and_summary_are_cut_to_one_template_variable_each(
    tree, voice_outbox, publish
):
    voice_subscriber(PHONE)
    publish(_urgent(tree, title="长" * 50, summary="短" * 60))

    [call] = voice_outbox.to(PHONE)
    assert call["params"] == {"title": "长" * 35, "summary": "短" * 35}


def test_residents_called_about_an_urgent_notice_are_called_when_it_is_withdrawn(
    tree, voice_outbox, publish, django_capture_on_commit_callbacks
):
    voice_subscriber(PHONE)
    page = _urgent(tree)
    publish(page)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    first, correction = voice_outbox.to(PHONE)
    assert correction["template"] == "correction"
    assert correction["text"] == f"这里是临里街道。通知更正：{TITLE}。通知已撤回。"


# Through the providers' SDKs


def test_aliyun_calls_through_its_sdk_and_an_answered_call_is_delivered(
    tree, voice_aliyun, publish, client
):
    peer = voice_aliyun
    voice_subscriber(PHONE)
    publish(_urgent(tree))

    [call] = peer.wait_for_calls(1)
    assert peer.rejections == []
    assert call.phone == "13800138000"
    # The peer speaks the registered wording with the parameters: what the hub says it says.
    assert call.text == f"这里是临里街道。紧急通知：{TITLE}。请提前准备照明，电梯停运。"
    assert call.play_times == 2
    delivery = Delivery.objects.get(channel="voice")
    assert call.out_id == delivery_key(delivery)
    receipt = delivery.receipt
    assert (receipt.provider, receipt.provider_id, receipt.status) == (
        "aliyun",
        call.id,
        Receipt.Status.ACCEPTED,
    )

    # Aliyun pushes VoiceReport; the resident picked up and hung up before the end.
    answer = _report(client, "aliyun", peer.voice_report_payload(call, status_code="200001"))
    assert aliyun_accepts(answer.status_code, answer.json())
    receipt.refresh_from_db()
    assert (receipt.status, receipt.code) == (Receipt.Status.DELIVERED, "200001")
    assert receipt.reported_at is not None


def test_an_unanswered_aliyun_call_is_recorded_as_failed(tree, voice_aliyun, publish, client):
    peer = voice_aliyun
    voice_subscriber(PHONE)
    publish(_urgent(tree))
    [call] = peer.wait_for_calls(1)

    # A report naming another number changes nothing; the true one does.
    forged = peer.voice_report_payload(call, status_code="200000")
    forged[0]["callee"] = "13900139000"
    assert _report(client, "aliyun", forged).status_code == 200
    assert Receipt.objects.get().status == Receipt.Status.ACCEPTED
    assert (
        _report(client, "aliyun", peer.voice_report_payload(call, status_code="200003")).status_code
        == 200
    )

    receipt = Receipt.objects.get()
    assert (receipt.status, receipt.code) == (Receipt.Status.FAILED, "200003")
    # Without the secret path segment the URL does not exist.
    assert _report(client, "aliyun", forged, token="guess").status_code == 404


def test_aliyuns_limit_per_number_holds_the_second_call_until_it_allows_it(
    tree, voice_aliyun, publish
):
    peer = voice_aliyun
    voice_subscriber(PHONE)
    publish(_urgent(tree))
    publish(_urgent(tree, title="明早自来水管网抢修"))

    assert len(peer.wait_for_calls(1)) == 1
    held = Delivery.objects.get(status=Delivery.Status.HELD)
    assert "isv.BUSINESS_LIMIT_CONTROL" in held.last_error
    assert held.attempts == 0  # a limit is no failed attempt

    peer.advance(61)
    _come_round()
    deliveries_send()
    assert [c.params["title"] for c in peer.calls] == [TITLE, "明早自来水管网抢修"]


def test_tencent_calls_through_its_sdk_and_reports_who_answered(
    tree, voice_tencent, publish, client
):
    peer = voice_tencent
    voice_subscriber(PHONE)
    voice_subscriber("+8613900139000")
    publish(_urgent(tree))

    first, second = peer.wait_for_calls(2)
    assert peer.rejections == []
    assert first.text == f"这里是临里街道。紧急通知：{TITLE}。请提前准备照明，电梯停运。"
    assert first.play_times == 2
    keys = {delivery_key(d) for d in Delivery.objects.filter(channel="voice")}
    assert {first.out_id, second.out_id} == keys

    for call, result in ((first, "0"), (second, "1")):
        answer = _report(client, "tencent", peer.voice_report_payload(call, result=result))
        assert tencent_accepts(answer.status_code, answer.json())
    statuses = {
        r.delivery.address.address: r.status
        for r in Receipt.objects.select_related("delivery__address")
    }
    assert statuses == {
        f"+86{first.phone}": Receipt.Status.DELIVERED,
        f"+86{second.phone}": Receipt.Status.FAILED,
    }


def test_tencents_frequency_limit_holds_the_call(tree, voice_tencent, publish):
    peer = voice_tencent
    voice_subscriber(PHONE)
    publish(_urgent(tree))
    publish(_urgent(tree, title="明早自来水管网抢修"))

    assert len(peer.wait_for_calls(1)) == 1
    held = Delivery.objects.get(status=Delivery.Status.HELD)
    assert "LimitExceeded.DeliveryFrequencyLimit" in held.last_error

    peer.advance(31)
    _come_round()
    deliveries_send()
    assert len(peer.calls) == 2


# The number, proved by the SMS code


def _subscribe(client, run_on_commit, **fields):
    data = {"resident_categories": ["elderly"], "content_types": ["notice"], **fields}
    return run_on_commit(client.post, SUBSCRIBE, data, content_type="application/json")


def _codes(sms_outbox, phone=PHONE) -> list[str]:
    return [m["params"]["code"] for m in sms_outbox.to(phone) if m["template"] == "code"]


def test_one_code_confirms_a_number_for_texts_and_calls(
    tree, client, sms_outbox, voice_outbox, run_on_commit, publish
):
    answer = _subscribe(client, run_on_commit, phone="138 0013 8000", voice_phone="13800138000")

    assert answer.status_code == 201
    shown = answer.json()["subscription"]
    assert (shown["phone"], shown["voice_phone"]) == (PHONE, PHONE)
    assert (shown["phone_confirmed"], shown["voice_phone_confirmed"]) == (False, False)
    [code] = _codes(sms_outbox)

    assert (
        client.post(
            CONFIRM, {"phone": PHONE, "code": code}, content_type="application/json"
        ).status_code
        == 200
    )
    assert {a.channel: a.live for a in Address.objects.all()} == {"sms": True, "voice": True}
    token = answer.json()["manage_token"]
    own = client.get(f"{SUBSCRIBE}self/", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert own["subscription"]["voice_phone_confirmed"] is True

    publish(_urgent(tree, audience=["elderly"]))
    assert len(voice_outbox.to(PHONE)) == 1


def test_calls_alone_are_confirmed_by_a_code_texted_to_the_number(
    tree, client, sms_outbox, run_on_commit
):
    answer = _subscribe(client, run_on_commit, voice_phone="13800138000")

    assert answer.status_code == 201
    assert answer.json()["subscription"]["phone"] is None
    [code] = _codes(sms_outbox)
    assert re.fullmatch(r"\d{6}", code)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert (
        client.post(
            CONFIRM, {"phone": PHONE, "code": wrong}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            CONFIRM, {"phone": PHONE, "code": code}, content_type="application/json"
        ).status_code
        == 200
    )
    [address] = Address.objects.all()
    assert (address.channel, address.live) == ("voice", True)


def test_adding_calls_to_a_confirmed_number_needs_no_new_code(
    tree, client, sms_outbox, run_on_commit
):
    answer = _subscribe(client, run_on_commit, phone="13800138000")
    [code] = _codes(sms_outbox)
    client.post(CONFIRM, {"phone": PHONE, "code": code}, content_type="application/json")
    token = answer.json()["manage_token"]

    changed = run_on_commit(
        client.patch,
        f"{SUBSCRIBE}self/",
        {"voice_phone": "+86 138 0013 8000"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert changed.status_code == 200
    assert _codes(sms_outbox) == [code]
    assert Address.objects.get(channel="voice").live
    own = client.get(f"{SUBSCRIBE}self/", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert own["subscription"]["voice_phone_confirmed"] is True


def test_another_number_for_calls_gets_its_own_code(tree, client, sms_outbox, run_on_commit):
    _subscribe(client, run_on_commit, phone="13800138000", voice_phone="13900139000")

    assert len(_codes(sms_outbox)) == 1
    [other] = _codes(sms_outbox, "+8613900139000")
    client.post(CONFIRM, {"phone": "13900139000", "code": other}, content_type="application/json")
    assert {a.channel: a.live for a in Address.objects.all()} == {"sms": False, "voice": True}


def test_a_number_that_is_no_mainland_mobile_is_refused_on_the_voice_phone_field(
    tree, client, run_on_commit
):
    answer = _subscribe(client, run_on_commit, voice_phone="010 6512 0000")

    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "voice_phone"


def test_the_templates_to_register_are_printed_in_each_providers_syntax(settings):
    settings.LINLI_SMS_SIGN_NAME = "临里街道"
    out = StringIO()
    call_command("voice_templates", "--provider", "tencent", stdout=out)

    assert "这里是临里街道。紧急通知：{1}。{2}。" in out.getvalue()
    assert "LINLI_VOICE_TEMPLATE_CORRECTION" in out.getvalue()


def test_a_call_goes_beside_the_first_channel_and_is_never_a_fallback_step(
    tree, sms_outbox, voice_outbox, publish, settings
):
    """Calls are asked for in their own right: with the text at once, not after it failed."""
    from subscriptions.fallback import fallbacks_pass_on

    settings.LINLI_OUTBOX_RECEIPTS = False
    subscription = SubscriptionFactory()
    for channel in ("sms", "voice", "email"):
        AddressFactory(
            subscription=subscription,
            channel=channel,
            address=PHONE if channel != "email" else "r@example.org",
        )
    publish(_urgent(tree))
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["sms", "voice"]
    call = Delivery.objects.get(channel="voice")
    assert call.fallback_at is None

    Delivery.objects.update(fallback_at=timezone.now())
    fallbacks_pass_on()
    # The text found no receipt: the email follows it; the call made no step of its own.
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "sms", "voice"]
    assert Delivery.objects.get(channel="email").fallback_from.channel == "sms"
