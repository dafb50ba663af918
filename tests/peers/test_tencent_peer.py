"""Self-tests: Tencent Cloud's real SDKs (SMS 2021-01-11, VMS 2020-09-02) against the peer."""

import time

import pytest
from tencentcloud.common import abstract_client
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as sms
from tencentcloud.sms.v20210111.sms_client import SmsClient
from tencentcloud.vms.v20200902 import models as vms
from tencentcloud.vms.v20200902.vms_client import VmsClient

from tests.peers._sms import SlidingLimits
from tests.peers.inbox import json_answer
from tests.peers.tencent import tencent_accepts

SIGN = "临里街道"
PHONE = "13800138000"


@pytest.fixture
def peer(tencent_peer):
    tencent_peer.add_sign(SIGN)
    tencent_peer.add_template("2001", "紧急通知：{1}，详见{2}")
    tencent_peer.add_template("2002", "您的验证码为{1}，10分钟内有效。", kind="verify")
    tencent_peer.add_tts_template("3001", "临里街道紧急通知：{1}。{2}")
    return tencent_peer


def _profile(peer):
    return ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=peer.endpoint))


def _client(peer, secret_key=None, secret_id=None):
    credential = Credential(secret_id or peer.secret_id, secret_key or peer.secret_key)
    return SmsClient(credential, "ap-guangzhou", _profile(peer))


@pytest.fixture
def client(peer):
    return _client(peer)


def _send(
    client, peer, numbers=(PHONE,), template="2001", params=("明天九点停水", "l.example/s/ab12")
):
    request = sms.SendSmsRequest()
    request.SmsSdkAppId = peer.sdk_app_id
    request.SignName = SIGN
    request.TemplateId = template
    request.TemplateParamSet = list(params)
    request.PhoneNumberSet = list(numbers)
    request.SessionContext = "delivery-17"
    return client.SendSms(request)


def test_sms_is_accepted_and_recorded_as_the_resident_reads_it(peer, client):
    response = _send(client, peer)

    [status] = response.SendStatusSet
    assert (status.Code, status.PhoneNumber, status.Fee) == ("Ok", "+8613800138000", 1)
    assert status.SerialNo and status.SessionContext == "delivery-17"
    assert response.RequestId
    [message] = peer.messages
    assert message.text == "【临里街道】紧急通知：明天九点停水，详见l.example/s/ab12"
    assert (message.id, message.phone, message.parts) == (status.SerialNo, PHONE, 1)


def test_numbers_are_answered_in_e164_and_a_bad_one_fails_alone(peer, client):
    response = _send(client, peer, numbers=["+8613800138000", "008613900139000", "12345"])

    assert [(s.PhoneNumber, s.Code) for s in response.SendStatusSet] == [
        ("+8613800138000", "Ok"),
        ("+8613900139000", "Ok"),
        ("12345", "InvalidParameterValue.IncorrectPhoneNumber"),
    ]
    assert len(peer.messages) == 2


def test_a_long_text_is_billed_in_parts(peer, client):
    title = "因供水管网改造，明天上午九点至下午五点临里小区一至六号楼停水，请各位居民提前储水"
    [status] = _send(client, peer, params=(title, "linli.example.org/s/ab12cd34")).SendStatusSet

    assert status.Fee == 2
    assert peer.messages[0].parts == 2


@pytest.mark.parametrize(
    ("secret_id", "secret_key", "code"),
    [
        (None, "not-the-key", "AuthFailure.SignatureFailure"),
        ("AKIDSomeoneElse", None, "AuthFailure.SecretIdNotFound"),
    ],
)
def test_a_badly_signed_request_is_refused_like_tencent(peer, secret_id, secret_key, code):
    with pytest.raises(TencentCloudSDKException) as caught:
        _send(_client(peer, secret_key=secret_key, secret_id=secret_id), peer)

    assert caught.value.get_code() == code
    assert caught.value.get_request_id()
    assert peer.messages == []
    assert peer.rejections == [f"SendSms: {code}: {caught.value.get_message()}"]


def test_a_client_clock_ten_minutes_fast_is_refused(peer, client, monkeypatch):
    class FastClock:
        @staticmethod
        def time():
            return time.time() + 600

    monkeypatch.setattr(abstract_client, "time", FastClock)

    with pytest.raises(TencentCloudSDKException) as caught:
        _send(client, peer)

    assert caught.value.get_code() == "AuthFailure.SignatureExpire"


@pytest.mark.parametrize(
    ("template", "params", "code"),
    [
        ("9999", ("a", "b"), "FailedOperation.TemplateIncorrectOrUnapproved"),
        ("2001", ("只有一个",), "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"),
        ("2002", ("12ab",), "InvalidParameterValue.TemplateParameterFormatError"),
    ],
)
def test_what_tencent_checks_for_the_whole_request_raises_its_code(
    peer, client, template, params, code
):
    with pytest.raises(TencentCloudSDKException) as caught:
        _send(client, peer, template=template, params=params)

    assert caught.value.get_code() == code


def test_the_same_text_twice_in_thirty_seconds_is_refused_for_that_number(peer, client):
    assert _send(client, peer).SendStatusSet[0].Code == "Ok"

    [again] = _send(client, peer).SendStatusSet
    assert (again.Code, again.Fee, again.SerialNo) == (
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        0,
        "",
    )
    assert _send(client, peer, params=("另一条", "l.example/s/x")).SendStatusSet[0].Code == "Ok"

    peer.advance(31)
    assert _send(client, peer).SendStatusSet[0].Code == "Ok"


def test_the_daily_limit_per_number_is_a_calendar_day(peer, client):
    peer.clock.to_beijing_noon()
    peer.daily_limits = SlidingLimits({2 * 86400: 2})
    for title in ("一", "二"):
        assert _send(client, peer, params=(title, "x")).SendStatusSet[0].Code == "Ok"

    [refused] = _send(client, peer, params=("三", "x")).SendStatusSet
    assert refused.Code == "LimitExceeded.PhoneNumberDailyLimit"

    peer.advance(86400)
    assert _send(client, peer, params=("三", "x")).SendStatusSet[0].Code == "Ok"


def test_a_number_on_the_do_not_disturb_list_is_refused(peer, client):
    peer.block(PHONE)

    [status] = _send(client, peer).SendStatusSet

    assert status.Code == "FailedOperation.PhoneNumberInBlacklist"


def test_status_reports_are_pulled_once_and_pushed_as_documented(peer, client, inbox_peer):
    serial = _send(client, peer).SendStatusSet[0].SerialNo
    inbox_peer.answer = json_answer({"result": 0, "errmsg": "OK"})

    assert peer.post_reports(inbox_peer.url("/sms/tencent/status")).accepted
    [report] = inbox_peer.requests[0].json
    assert report == {
        "user_receive_time": report["user_receive_time"],
        "nationcode": "86",
        "mobile": PHONE,
        "report_status": "SUCCESS",
        "errmsg": "DELIVRD",
        "description": "用户短信送达成功",
        "sid": serial,
    }

    pull = sms.PullSmsSendStatusRequest()
    pull.SmsSdkAppId, pull.Limit = peer.sdk_app_id, 10
    [pulled] = client.PullSmsSendStatus(pull).PullSmsSendStatusSet
    assert (pulled.SerialNo, pulled.ReportStatus, pulled.PhoneNumber) == (
        serial,
        "SUCCESS",
        "+8613800138000",
    )
    assert pulled.SessionContext == "delivery-17"
    assert client.PullSmsSendStatus(pull).PullSmsSendStatusSet == []


def test_a_reply_td_is_pushed_as_one_object_and_can_be_pulled(peer, client, inbox_peer):
    _send(client, peer)
    inbox_peer.answer = json_answer({"result": 0, "errmsg": "OK"})

    assert peer.post_reply(inbox_peer.url("/sms/tencent/reply"), PHONE, "TD").accepted

    reply = inbox_peer.requests[0].json
    assert {k: reply[k] for k in ("mobile", "nationcode", "sign", "text")} == {
        "mobile": PHONE,
        "nationcode": "86",
        "sign": SIGN,
        "text": "TD",
    }
    pull = sms.PullSmsReplyStatusRequest()
    pull.SmsSdkAppId, pull.Limit = peer.sdk_app_id, 10
    [pulled] = client.PullSmsReplyStatus(pull).PullSmsReplyStatusSet
    assert (pulled.ReplyContent, pulled.SubscriberNumber, pulled.SignName) == ("TD", PHONE, SIGN)


def test_a_callback_answer_other_than_result_zero_is_not_accepted(peer, client, inbox_peer):
    _send(client, peer)
    inbox_peer.answer = json_answer({"result": 1, "errmsg": "busy"})

    assert not peer.post_reports(inbox_peer.url()).accepted
    assert not tencent_accepts(502, {"result": 0})


def test_a_voice_notification_is_recorded_with_what_is_heard(peer, inbox_peer):
    voice = VmsClient(Credential(peer.secret_id, peer.secret_key), "ap-guangzhou", _profile(peer))
    request = vms.SendTtsVoiceRequest()
    request.TemplateId = "3001"
    request.CalledNumber = "+8613800138000"
    request.VoiceSdkAppid = peer.voice_sdk_app_id
    request.TemplateParamSet = ["明天停水", "九点到五点"]
    request.PlayTimes = 2

    call_id = voice.SendTtsVoice(request).SendStatus.CallId

    [call] = peer.calls
    assert (call.id, call.text, call.play_times) == (
        call_id,
        "临里街道紧急通知：明天停水。九点到五点",
        2,
    )
    with pytest.raises(TencentCloudSDKException) as caught:
        voice.SendTtsVoice(request)
    assert caught.value.get_code() == "LimitExceeded.DeliveryFrequencyLimit"

    inbox_peer.answer = json_answer({"result": 0, "errmsg": "OK"})
    assert peer.post_voice_report(inbox_peer.url(), call, result="1").accepted
    result = inbox_peer.requests[0].json["voiceprompt_callback"]
    assert (result["callid"], result["result"], result["mobile"]) == (call_id, "1", PHONE)
