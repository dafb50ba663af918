"""Where a voice call goes: the outbox (files), Aliyun or Tencent Cloud, chosen in settings.

Each provider takes one `Call` (number, approved text-to-speech template,
parameters, how often it plays, and the text the resident will hear) and
returns the provider's id for it (Aliyun's and Tencent's CallId), or raises as
the SMS providers do: `Limited` when the provider's limit for the number
refused it for now, `Gone` when the number cannot be called, `Rejected` when
this call can never go, `DeliveryError` for anything worth another try
(network, credentials, a template not yet approved, credit). Like their SMS
APIs, both answer a refusal of the content in the body: it is read every time.
"""

import json
from dataclasses import dataclass

from django.conf import settings

from subscriptions.channels import DeliveryError, Gone, Limited, Rejected
from subscriptions.channels.clouds import aliyun_client, tencent_client
from subscriptions.channels.outbox import outbox_write
from subscriptions.channels.sms_providers import _ALIYUN_WAIT


@dataclass(frozen=True)
class Call:
    """One text-to-speech call to one number, as an approved template with its parameters."""

    to: str  # E.164, +86…
    template: str  # our name: urgent, correction
    params: dict[str, str]  # in the template's order (Tencent numbers them)
    text: str  # exactly what the resident hears, played `play_times` times
    play_times: int
    key: str  # the delivery's idempotency key, carried as Aliyun's OutId, Tencent's SessionContext
    url: str | None = None  # the page the call is about

    @property
    def national(self) -> str:
        return self.to.removeprefix("+86")

    @property
    def template_code(self) -> str:
        return settings.LINLI_VOICE_TEMPLATES[self.template]


class OutboxProvider:
    """Writes each call as one JSON file under LINLI_OUTBOX_DIR/voice/ (`make run`, tests)."""

    name = "outbox"

    def close(self):
        pass

    def call(self, call: Call) -> str:
        return outbox_write(
            "voice",
            to=call.to,
            text=call.text,
            template=call.template,
            template_code=call.template_code,
            params=call.params,
            play_times=call.play_times,
            url=call.url or "",
            key=call.key,
        )


_ALIYUN_GONE = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.BLACK_KEY_CONTROL_LIMIT"}
_ALIYUN_REJECTED = {
    "isv.PARAM_LENGTH_LIMIT",
    "isv.INVALID_JSON_PARAM",
    "isv.TEMPLATE_PARAMS_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
}


class AliyunProvider:
    """Dyvmsapi SingleCallByTts through Aliyun's SDK (`alibabacloud-dyvmsapi20170525`)."""

    name = "aliyun"

    def __init__(self):
        # Imported here, and made after the worker forked, as for SMS.
        from alibabacloud_dyvmsapi20170525.client import Client

        self.client = aliyun_client(
            Client,
            key_id=settings.LINLI_VOICE_ALIYUN_ACCESS_KEY_ID,
            key_secret=settings.LINLI_VOICE_ALIYUN_ACCESS_KEY_SECRET,
            endpoint=settings.LINLI_VOICE_ALIYUN_ENDPOINT,
        )

    def close(self):
        pass

    def call(self, call: Call) -> str:
        from alibabacloud_dyvmsapi20170525 import models
        from alibabacloud_tea_openapi.exceptions import ClientException, ThrottlingException
        from Tea.exceptions import TeaException

        request = models.SingleCallByTtsRequest(
            called_number=call.national,
            called_show_number=settings.LINLI_VOICE_ALIYUN_SHOW_NUMBER or None,
            tts_code=call.template_code,
            tts_param=json.dumps(call.params, ensure_ascii=False),
            play_times=call.play_times,
            out_id=call.key,
        )
        try:
            body = self.client.single_call_by_tts(request).body
        except ThrottlingException as exc:
            raise Limited(f"aliyun: {exc.code}", getattr(exc, "retry_after", None) or 60) from exc
        except ClientException as exc:  # 4xx: the key, the signature of the request
            raise DeliveryError(f"aliyun: {exc.code}: {exc.message}") from exc
        except TeaException as exc:  # 5xx, the network
            raise DeliveryError(f"aliyun: {exc.code}: {exc.message}") from exc
        code = body.code or ""
        if code == "OK":
            return body.call_id
        refusal = f"aliyun: {code}: {body.message}"
        if code == "isv.BUSINESS_LIMIT_CONTROL":
            window = next((w for w in _ALIYUN_WAIT if w in (body.message or "")), "天级")
            raise Limited(refusal, _ALIYUN_WAIT[window])
        if code in _ALIYUN_GONE:
            raise Gone(refusal)
        if code in _ALIYUN_REJECTED:
            raise Rejected(refusal)
        raise DeliveryError(refusal)  # templates, show number, credit: fixable, so retried


# Tencent names no window in its voice limit (30 s, an hour, two days by default).
TENCENT_LIMIT_WAIT = 60
_TENCENT_GONE = {
    "InvalidParameterValue.IncorrectPhoneNumber",
    "FailedOperation.PhoneNumberInBlacklist",
}
_TENCENT_REJECTED = {
    "InvalidParameterValue.ContentLengthLimit",
    "InvalidParameterValue.TemplateParameterLengthLimit",
    "InvalidParameterValue.TemplateParameterFormatError",
    "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
}


class TencentProvider:
    """SendTtsVoice (VMS 2020-09-02) through Tencent Cloud's SDK (`tencentcloud-sdk-python-vms`)."""

    name = "tencent"

    def __init__(self):
        from tencentcloud.vms.v20200902.vms_client import VmsClient

        self.client = tencent_client(
            VmsClient,
            secret_id=settings.LINLI_VOICE_TENCENT_SECRET_ID,
            secret_key=settings.LINLI_VOICE_TENCENT_SECRET_KEY,
            region=settings.LINLI_VOICE_TENCENT_REGION,
            endpoint=settings.LINLI_VOICE_TENCENT_ENDPOINT,
        )

    def close(self):
        pass

    def call(self, call: Call) -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.vms.v20200902 import models

        request = models.SendTtsVoiceRequest()
        request.TemplateId = call.template_code
        request.TemplateParamSet = list(call.params.values())
        request.CalledNumber = call.to
        request.VoiceSdkAppid = settings.LINLI_VOICE_TENCENT_SDK_APP_ID
        request.PlayTimes = call.play_times
        request.SessionContext = call.key
        try:
            status = self.client.SendTtsVoice(request).SendStatus
        except TencentCloudSDKException as exc:
            raise self._refusal(exc.get_code() or "", exc.get_message()) from exc
        if status is None or not status.CallId:
            raise DeliveryError("tencent: an answer without a CallId")
        return status.CallId

    @staticmethod
    def _refusal(code: str, message: str | None) -> DeliveryError:
        text = f"tencent: {code}: {message}"
        if code.startswith("LimitExceeded."):
            return Limited(text, TENCENT_LIMIT_WAIT)
        if code in _TENCENT_GONE:
            return Gone(text)
        if code in _TENCENT_REJECTED:
            return Rejected(text)
        return DeliveryError(text)


PROVIDERS = {"outbox": OutboxProvider, "aliyun": AliyunProvider, "tencent": TencentProvider}


def provider_new():
    """The provider settings name, ready to call (one per batch)."""
    return PROVIDERS[settings.LINLI_VOICE_PROVIDER]()
