"""SMS through Aliyun's and Tencent Cloud's real SDKs, against loopback peers that check
their signatures: the text in one billed message, the receipt, the status callbacks,
and limits that hold a message instead of dropping it."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import Site

import pytest

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.channels.base import delivery_key
from subscriptions.delivery import deliveries_send
from subscriptions.models import Delivery, Receipt, Relay
from subscriptions.relays import relay_save
from subscriptions.tests.sms_fixtures import CALLBACK_TOKEN, CODES, phone_subscriber
from tests.peers._sms import SlidingLimits
from tests.peers.aliyun import aliyun_accepts
from tests.peers.tencent.callbacks import tencent_accepts

pytestmark = pytest.mark.django_db

TITLE = "明天上午九点至下午五点临里小区一至六号楼因管网改造停水"


def _urgent(tree, title=TITLE):
    return NoticePageFactory(
        parent=tree.a.notices, title=title, urgency=NoticePage.Urgency.URGENT, audience=["all"]
    )


def _post(client, provider, kind, payload, token=CALLBACK_TOKEN):
    return client.post(f"/sms/{token}/{provider}/{kind}/", payload, content_type="application/json")


def _come_round():
    """Time passes: every held message is due again."""
    Delivery.objects.filter(status=Delivery.Status.HELD).update(next_attempt_at=timezone.now())


def test_aliyun_sends_one_billed_message_and_records_the_carriers_report(
    tree, sms_aliyun, publish, client
):
    peer = sms_aliyun
    phone_subscriber("+8613800138000")
    publish(_urgent(tree))

    [message] = peer.wait_for(1)
    assert peer.rejections == []
    assert message.phone == "13800138000"
    assert message.sign_name == "临里街道"
    assert message.text.startswith("【临里街道】紧急通知：明天上午九点")
    assert len(message.text) <= 70 and message.parts == 1
    assert f"http://testserver/s/{message.params['code']}" in message.text
    receipt = Delivery.objects.get(status=Delivery.Status.SENT).receipt
    assert (receipt.provider, receipt.provider_id) == ("aliyun", message.id)
    assert receipt.status == Receipt.Status.ACCEPTED

    # Aliyun pushes SmsReport to the callback URL; the answer must satisfy Aliyun.
    payload = peer.report_payload()
    answer = _post(client, "aliyun", "report", payload)
    assert aliyun_accepts(answer.status_code, answer.json())
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.DELIVERED
    assert receipt.code == "DELIVERED"
    assert receipt.reported_at is not None
    # Reports may come twice: the same again changes nothing.
    assert aliyun_accepts(*_status_json(_post(client, "aliyun", "report", payload)))
    assert Receipt.objects.get().status == Receipt.Status.DELIVERED


def _status_json(answer):
    return answer.status_code, answer.json()


def test_a_failed_report_is_recorded_and_a_report_on_another_number_is_not(
    tree, sms_aliyun, publish, client
):
    peer = sms_aliyun
    phone_subscriber("+8613800138000")
    publish(_urgent(tree))
    [message] = peer.wait_for(1)

    forged = peer.report_payload([message], success=False, err_code="MK:0001")
    forged[0]["phone_number"] = "13900139000"
    assert aliyun_accepts(*_status_json(_post(client, "aliyun", "report", forged)))
    assert Receipt.objects.get().status == Receipt.Status.ACCEPTED

    failed = peer.report_payload([message], success=False, err_code="MK:0001")
    _post(client, "aliyun", "report", failed)
    receipt = Receipt.objects.get()
    assert (receipt.status, receipt.code) == (Receipt.Status.FAILED, "MK:0001")


def test_callbacks_exist_only_under_the_secret_path(tree, sms_aliyun, publish, client, settings):
    peer = sms_aliyun
    phone_subscriber()
    publish(_urgent(tree))
    peer.wait_for(1)
    payload = peer.report_payload()

    assert _post(client, "aliyun", "report", payload, token="guessed").status_code == 404
    assert client.get(f"/sms/{CALLBACK_TOKEN}/aliyun/report/").status_code == 405
    settings.LINLI_SMS_CALLBACK_TOKEN = ""
    assert _post(client, "aliyun", "report", payload, token="").status_code == 404
    assert Receipt.objects.get().status == Receipt.Status.ACCEPTED


def test_aliyuns_daily_limit_holds_the_message_until_it_can_go(tree, sms_aliyun, publish):
    peer = sms_aliyun
    peer.notify_limits = SlidingLimits({86400: 1})
    phone_subscriber("+8613800138000")
    publish(_urgent(tree, "第一条紧急通知"))
    publish(_urgent(tree, "第二条紧急通知"))

    assert len(peer.messages) == 1
    assert peer.rejections[-1] == "SendSms: isv.BUSINESS_LIMIT_CONTROL: 触发天级流控Permits:1"
    held = Delivery.objects.get(status=Delivery.Status.HELD)
    assert held.attempts == 0  # a limit is no failure: no backoff, no deadline
    assert held.next_attempt_at > timezone.now() + timedelta(minutes=50)
    assert "BUSINESS_LIMIT_CONTROL" in held.last_error

    # Still within the provider's day: asked again, refused again, held again.
    _come_round()
    deliveries_send()
    assert Delivery.objects.get(pk=held.pk).status == Delivery.Status.HELD

    peer.advance(86400)
    _come_round()
    deliveries_send()
    assert Delivery.objects.get(pk=held.pk).status == Delivery.Status.SENT
    assert [m.params["title"] for m in peer.messages] == ["第一条紧急通知", "第二条紧急通知"]


def test_tencent_sends_in_e164_and_records_the_serial_number_and_report(
    tree, sms_tencent, publish, client
):
    peer = sms_tencent
    phone_subscriber("+8613800138000")
    publish(_urgent(tree))

    [message] = peer.wait_for(1)
    assert peer.rejections == []
    assert message.text.startswith("【临里街道】紧急通知：明天上午九点")
    assert len(message.text) <= 70 and message.parts == 1
    assert message.text.endswith(f"http://testserver/s/{message.params['2']}")
    receipt = Receipt.objects.get()
    assert (receipt.provider, receipt.provider_id) == ("tencent", message.id)

    answer = _post(client, "tencent", "report", peer.report_payload())
    assert tencent_accepts(answer.status_code, answer.json())
    receipt.refresh_from_db()
    assert (receipt.status, receipt.code) == (Receipt.Status.DELIVERED, "DELIVRD")


def test_tencents_thirty_second_rule_holds_the_second_identical_text(tree, sms_tencent, publish):
    peer = sms_tencent
    # A carer who subscribed twice with one number: two subscriptions, one identical text.
    phone_subscriber("+8613800138000")
    phone_subscriber("+8613800138000", resident_categories=["disabled"])
    publish(_urgent(tree))

    assert len(peer.messages) == 1
    assert peer.rejections[-1].startswith("SendSms: LimitExceeded.PhoneNumberThirtySecondLimit")
    held = Delivery.objects.get(status=Delivery.Status.HELD)
    wait = (held.next_attempt_at - timezone.now()).total_seconds()
    assert 20 < wait <= 30
    assert held.attempts == 0

    peer.advance(30)
    _come_round()
    deliveries_send()
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    assert len(peer.messages) == 2
    assert Receipt.objects.count() == 2


def test_a_number_on_tencents_blocklist_is_switched_off(tree, sms_tencent, publish):
    peer = sms_tencent
    subscription = phone_subscriber("+8613800138000")
    peer.block("13800138000")
    publish(_urgent(tree))

    assert peer.messages == []
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED
    assert not subscription.addresses.get(channel="sms").active


def test_a_provider_that_fails_is_tried_again(tree, sms_aliyun, publish):
    peer = sms_aliyun
    phone_subscriber()
    peer.fail_next(1, status=503)
    publish(_urgent(tree))

    failed = Delivery.objects.get()
    assert failed.status == Delivery.Status.FAILED
    assert "ServiceUnavailable" in failed.last_error
    assert not Receipt.objects.exists()
    Delivery.objects.update(next_attempt_at=timezone.now())
    deliveries_send()
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert len(peer.messages) == 1


def test_aliyun_sends_many_numbers_in_one_call_each_with_its_own_receipt(
    tree, sms_aliyun, publish, client
):
    peer = sms_aliyun
    phone_subscriber("+8613800138000")
    phone_subscriber("+8613900139000")
    publish(_urgent(tree))

    first, second = peer.wait_for(2)
    assert peer.rejections == []
    assert peer.attempts == 1  # SendBatchSms: one call for both numbers
    assert first.id == second.id
    assert {first.phone, second.phone} == {"13800138000", "13900139000"}
    assert first.text == second.text and len(first.text) <= 70
    receipts = {r.delivery.address.address: r for r in Receipt.objects.select_related("delivery")}
    assert {r.provider_id for r in receipts.values()} == {first.id}
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2

    # The report on one number of the call marks that delivery only.
    _post(client, "aliyun", "report", peer.report_payload([first]))
    receipts = {r.delivery.address.address: r.status for r in Receipt.objects.all()}
    assert receipts == {
        f"+86{first.phone}": Receipt.Status.DELIVERED,
        f"+86{second.phone}": Receipt.Status.ACCEPTED,
    }


def test_one_number_over_its_limit_holds_that_message_only(tree, sms_aliyun, publish):
    peer = sms_aliyun
    peer.notify_limits = SlidingLimits({86400: 1})
    phone_subscriber("+8613800138000")
    publish(_urgent(tree, "第一条紧急通知"))
    phone_subscriber("+8613900139000")
    publish(_urgent(tree, "第二条紧急通知"))

    # The second call carried both numbers and was refused for one of them, without
    # saying which: each went alone, and only the one over its limit waits.
    assert peer.rejections[0] == "SendBatchSms: isv.BUSINESS_LIMIT_CONTROL: 触发天级流控Permits:1"
    assert [(m.phone, m.params["title"]) for m in peer.messages] == [
        ("13800138000", "第一条紧急通知"),
        ("13900139000", "第二条紧急通知"),
    ]
    held = Delivery.objects.get(status=Delivery.Status.HELD)
    assert held.address.address == "+8613800138000"
    assert held.attempts == 0
    assert Receipt.objects.count() == 2


def test_tencent_sends_many_numbers_in_one_call_and_answers_each(tree, sms_tencent, publish):
    peer = sms_tencent
    phone_subscriber("+8613800138000")
    phone_subscriber("+8613900139000")
    phone_subscriber("+8613700137000")
    peer.block("13900139000")
    publish(_urgent(tree))

    assert peer.attempts == 1  # one SendSms call with three numbers
    assert sorted(m.phone for m in peer.messages) == ["13700137000", "13800138000"]
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).select_related("receipt")
    assert {d.address.address: d.receipt.provider_id for d in sent} == {
        f"+86{m.phone}": m.id for m in peer.messages
    }
    # Only the number on the blocklist is switched off.
    blocked = Delivery.objects.get(status=Delivery.Status.CANCELLED)
    assert blocked.address.address == "+8613900139000"
    assert not blocked.address.active


def test_a_notices_texts_go_in_one_call_per_template_each_keeping_its_receipt(
    tree, sms_aliyun, publish
):
    peer = sms_aliyun
    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    phone_subscriber("+8613800138000")
    phone_subscriber("+8613700137000")
    phone_subscriber(
        "+8613600136000", on_behalf_relationship="mother", on_behalf_agreed_at=timezone.now()
    )
    relay = Relay(name="张建国", community="dongyuan", grid="第三网格", households=40)
    relay_save(relay=relay, addresses={"sms": "+8613900139000", "email": ""})
    publish(_urgent(tree))

    messages = peer.wait_for(4)
    assert peer.rejections == []
    # Residents, the carer and the relay read different templates: three calls, one each.
    assert peer.attempts == 3
    by_phone = {m.phone: m for m in messages}
    templates = {phone: m.template for phone, m in by_phone.items()}
    assert templates == {
        "13800138000": CODES["aliyun"]["urgent"],
        "13700137000": CODES["aliyun"]["urgent"],
        "13600136000": CODES["aliyun"]["carer_urgent"],
        "13900139000": CODES["aliyun"]["relay"],
    }
    assert "/relay/" not in by_phone["13800138000"].text
    # The two residents went together under one BizId and one key; the others alone.
    assert by_phone["13800138000"].id == by_phone["13700137000"].id
    assert by_phone["13800138000"].out_id == by_phone["13700137000"].out_id
    assert len({m.out_id for m in messages}) == 3 and "" not in {m.out_id for m in messages}
    # Each delivery has its own receipt, with the id of the call that carried its number.
    sent = Delivery.objects.filter(channel="sms").select_related("receipt", "address")
    assert {d.address.address: d.receipt.provider_id for d in sent} == {
        f"+86{phone}": m.id for phone, m in by_phone.items()
    }
    assert {d.status for d in sent} == {Delivery.Status.SENT}


def test_with_batches_of_one_each_text_goes_alone_with_its_deliverys_key(
    tree, sms_tencent, publish, settings
):
    settings.LINLI_SMS_BATCH = 1
    peer = sms_tencent
    phone_subscriber("+8613800138000")
    phone_subscriber("+8613900139000")
    publish(_urgent(tree))

    assert peer.attempts == 2
    sent = Delivery.objects.filter(channel="sms").select_related("address")
    assert {f"+86{m.phone}": m.out_id for m in peer.messages} == {
        d.address.address: delivery_key(d) for d in sent
    }
