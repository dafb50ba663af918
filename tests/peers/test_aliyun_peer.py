"""Self-tests: Aliyun's real SDKs (Dysmsapi, Dyvmsapi) against the loopback Aliyun peer."""

import json
import time

import pytest
from alibabacloud_dysmsapi20170525 import models as sms
from alibabacloud_dysmsapi20170525.client import Client as SmsClient
from alibabacloud_dyvmsapi20170525 import models as vms
from alibabacloud_dyvmsapi20170525.client import Client as VmsClient
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_openapi.utils import Utils

from tests.peers._sms import SlidingLimits, format_time
from tests.peers.aliyun import aliyun_accepts
from tests.peers.inbox import json_answer

SIGN = "临里街道"
NOTICE = "SMS_460001"
CODE = "SMS_460002"
PHONE = "13800138000"


@pytest.fixture
def peer(aliyun_peer):
    aliyun_peer.add_sign(SIGN)
    aliyun_peer.add_template(NOTICE, "紧急通知：${title}，详见${url}")
    aliyun_peer.add_template(CODE, "您的验证码为${code}，10分钟内有效。", kind="verify")
    aliyun_peer.add_tts_template("TTS_470001", "临里街道紧急通知：${title}。${summary}")
    return aliyun_peer


@pytest.fixture
def client(peer):
    return SmsClient(Config(**peer.sdk_config()))


def _send(client, phone=PHONE, template=NOTICE, sign=SIGN, **params):
    params = params or {"title": "明天九点停水", "url": "l.example/s/ab12"}
    request = sms.SendSmsRequest(
        phone_numbers=phone,
        sign_name=sign,
        template_code=template,
        template_param=json.dumps(params, ensure_ascii=False),
    )
    return client.send_sms(request).body


def test_sms_is_accepted_and_recorded_as_the_resident_reads_it(peer, client):
    # Spaces, "~", "+", "*", "&" and "=" test the query encoding both sides sign.
    body = _send(client, title="明天 9:00~17:00 停水 (A+B栋)*", url="l.example/s/a&b=1")

    assert body.code == "OK"
    assert body.biz_id.endswith("^0")
    assert body.request_id
    [message] = peer.messages
    assert message.phone == PHONE
    assert (
        message.text == "【临里街道】紧急通知：明天 9:00~17:00 停水 (A+B栋)*，详见l.example/s/a&b=1"
    )
    assert message.parts == 1
    assert message.id == body.biz_id
    assert peer.rejections == []


def test_text_over_seventy_characters_is_billed_in_parts_of_sixty_seven(peer, client):
    title = "因供水管网改造，明天九点至下午五点临里小区一至六号楼停水"  # 30 characters
    body = _send(client, title=title, url="linli.example.org/s/ab12cd34ef")

    assert body.code == "OK"
    [message] = peer.messages
    assert 70 < len(message.text) <= 2 * 67
    assert message.parts == 2


def test_a_request_signed_with_a_wrong_secret_is_refused_like_aliyun(peer):
    wrong = SmsClient(Config(**{**peer.sdk_config(), "access_key_secret": "not-the-secret"}))

    with pytest.raises(ClientException) as caught:
        _send(wrong)

    assert caught.value.code == "SignatureDoesNotMatch"
    assert caught.value.status_code == 400
    assert peer.messages == []
    assert peer.rejections[0].startswith("SendSms: SignatureDoesNotMatch")


def test_an_unknown_access_key_is_refused(peer):
    stranger = SmsClient(Config(**{**peer.sdk_config(), "access_key_id": "LTAI5tSomeoneElse"}))

    with pytest.raises(ClientException) as caught:
        _send(stranger)

    assert caught.value.code == "InvalidAccessKeyId.NotFound"
    assert caught.value.status_code == 404


def test_a_client_clock_twenty_minutes_slow_is_refused(peer, client, monkeypatch):
    slow = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 20 * 60))
    monkeypatch.setattr(Utils, "get_timestamp", staticmethod(lambda: slow))

    with pytest.raises(ClientException) as caught:
        _send(client)

    assert caught.value.code == "InvalidTimeStamp.Expired"


@pytest.mark.parametrize(
    ("phone", "sign", "template", "params", "code"),
    [
        ("12345", SIGN, NOTICE, None, "isv.MOBILE_NUMBER_ILLEGAL"),
        (PHONE, "别的街道", NOTICE, None, "isv.SMS_SIGNATURE_ILLEGAL"),
        (PHONE, SIGN, "SMS_000000", None, "isv.SMS_TEMPLATE_ILLEGAL"),
        (PHONE, SIGN, NOTICE, {"title": "停水"}, "isv.TEMPLATE_MISSING_PARAMETERS"),
        (PHONE, SIGN, NOTICE, {"title": "停" * 36, "url": "x"}, "isv.PARAM_LENGTH_LIMIT"),
        (PHONE, SIGN, CODE, {"code": "1234567"}, "isv.PARAM_LENGTH_LIMIT"),
    ],
)
def test_what_aliyun_checks_is_refused_with_its_code(
    peer, client, phone, sign, template, params, code
):
    body = _send(client, phone=phone, sign=sign, template=template, **(params or {}))

    assert body.code == code
    assert body.biz_id is None
    assert peer.messages == []
    assert peer.rejections[-1].startswith(f"SendSms: {code}")


def test_numbers_with_a_country_prefix_are_mainland_numbers(peer, client):
    assert _send(client, phone="+8613800138000,008613900139000").code == "OK"

    assert [message.phone for message in peer.messages] == [PHONE, "13900139000"]


def test_the_daily_limit_per_number_signature_and_template_answers_business_limit_control(
    peer, client
):
    peer.notify_limits = SlidingLimits({86400: 2})
    assert _send(client).code == "OK"
    assert _send(client).code == "OK"

    refused = _send(client)
    assert refused.code == "isv.BUSINESS_LIMIT_CONTROL"
    assert refused.message == "触发天级流控Permits:2"
    assert _send(client, phone="13900139000").code == "OK"

    peer.advance(86400)
    assert _send(client).code == "OK"


def test_verification_codes_are_limited_to_one_a_minute(peer, client):
    assert _send(client, template=CODE, code="204817").code == "OK"

    refused = _send(client, template=CODE, code="551203")
    assert (refused.code, refused.message) == (
        "isv.BUSINESS_LIMIT_CONTROL",
        "触发分钟级流控Permits:1",
    )

    peer.advance(61)
    assert _send(client, template=CODE, code="551203").code == "OK"
    assert peer.messages[-1].text == "【临里街道】您的验证码为551203，10分钟内有效。"


def test_a_batch_shares_one_biz_id(peer, client):
    request = sms.SendBatchSmsRequest(
        phone_number_json=json.dumps([PHONE, "13900139000"]),
        sign_name_json=json.dumps([SIGN, SIGN]),
        template_code=NOTICE,
        template_param_json=json.dumps(
            [{"title": "停水", "url": "l.example/s/a"}, {"title": "停电", "url": "l.example/s/b"}],
            ensure_ascii=False,
        ),
    )
    body = client.send_batch_sms(request).body

    assert body.code == "OK"
    assert [(m.id, m.text) for m in peer.messages] == [
        (body.biz_id, "【临里街道】紧急通知：停水，详见l.example/s/a"),
        (body.biz_id, "【临里街道】紧急通知：停电，详见l.example/s/b"),
    ]


def test_query_send_details_shows_the_receipt_once_reported(peer, client):
    peer.clock.to_beijing_noon()
    biz_id = _send(client).biz_id
    query = sms.QuerySendDetailsRequest(
        phone_number=PHONE,
        send_date=format_time(peer.clock.now())[:10].replace("-", ""),
        page_size=10,
        current_page=1,
        biz_id=biz_id,
    )
    [waiting] = client.query_send_details(query).body.sms_send_detail_dtos.sms_send_detail_dto
    assert (waiting.send_status, waiting.err_code) == (1, "")
    assert waiting.content == "【临里街道】紧急通知：明天九点停水，详见l.example/s/ab12"

    peer.report_payload()
    [done] = client.query_send_details(query).body.sms_send_detail_dtos.sms_send_detail_dto
    assert (done.send_status, done.err_code) == (3, "DELIVERED")
    assert done.receive_date


def test_delivery_reports_are_pushed_as_aliyun_documents_them(peer, client, inbox_peer):
    inbox_peer.answer = json_answer({"code": 0, "msg": "接收成功"})
    biz_id = _send(client).biz_id

    answer = peer.post_reports(inbox_peer.url("/sms/aliyun/report"))

    assert answer.accepted
    [request] = inbox_peer.requests
    assert request.headers["content-type"].startswith("application/json")
    [report] = request.json
    assert set(report) == {
        "phone_number", "send_time", "report_time", "success", "err_code", "err_msg",
        "sms_size", "biz_id", "out_id",
    }  # fmt: skip
    assert (report["phone_number"], report["biz_id"], report["success"]) == (PHONE, biz_id, True)
    assert (report["err_code"], report["sms_size"]) == ("DELIVERED", "1")
    assert peer.post_reports(inbox_peer.url()).json is not None  # nothing left: an empty array
    assert inbox_peer.requests[-1].json == []


def test_a_callback_answer_without_a_numeric_code_is_not_accepted(peer, client, inbox_peer):
    _send(client)
    inbox_peer.answer = json_answer({"code": "ok"})
    assert not peer.post_reports(inbox_peer.url()).accepted
    assert not aliyun_accepts(500, {"code": 0})


def test_a_reply_td_is_pushed_as_an_sms_up(peer, client, inbox_peer):
    inbox_peer.answer = json_answer({"code": 0, "msg": "接收成功"})
    _send(client)

    assert peer.post_uplink(inbox_peer.url("/sms/aliyun/up"), PHONE, "TD").accepted

    [uplink] = inbox_peer.requests[0].json
    assert (uplink["phone_number"], uplink["content"], uplink["sign_name"]) == (PHONE, "TD", SIGN)
    assert {"send_time", "dest_code", "sequence_id"} <= set(uplink)


def test_a_text_to_speech_call_is_recorded_with_what_is_heard(peer, inbox_peer):
    voice = VmsClient(Config(**peer.sdk_config()))
    request = vms.SingleCallByTtsRequest(
        called_number=PHONE,
        tts_code="TTS_470001",
        tts_param=json.dumps({"title": "明天停水", "summary": "九点到五点"}, ensure_ascii=False),
        play_times=2,
    )
    body = voice.single_call_by_tts(request).body

    assert body.code == "OK"
    [call] = peer.calls
    assert (call.id, call.text, call.play_times) == (
        body.call_id,
        "临里街道紧急通知：明天停水。九点到五点",
        2,
    )
    assert voice.single_call_by_tts(request).body.code == "isv.BUSINESS_LIMIT_CONTROL"

    inbox_peer.answer = json_answer({"code": 0, "msg": "接收成功"})
    assert peer.post_voice_report(inbox_peer.url(), call, status_code="200003").accepted
    [record] = inbox_peer.requests[0].json
    assert (record["call_id"], record["status_code"], record["duration"]) == (
        body.call_id,
        "200003",
        "0",
    )


def test_an_unknown_tts_template_is_refused(peer):
    voice = VmsClient(Config(**peer.sdk_config()))
    request = vms.SingleCallByTtsRequest(called_number=PHONE, tts_code="TTS_0", tts_param="{}")

    assert voice.single_call_by_tts(request).body.code == "isv.TTS_TEMPLATE_ILLEGAL"


def test_an_outage_raises_a_server_exception(peer, client):
    peer.fail_next(1, status=503)

    with pytest.raises(ServerException) as caught:
        _send(client)

    assert caught.value.code == "ServiceUnavailable"
    assert _send(client).code == "OK"
