"""Where a text message goes: the outbox (files), Aliyun or Tencent Cloud, chosen in settings.

Each provider takes one `Sms` (number, approved template, parameters, and the
text the resident will read) and returns the provider's id for it (Aliyun's
BizId, Tencent's SerialNo), or raises; `send_batch` takes many (up to
`batch_size` in one call: Aliyun 100, Tencent 200) and answers each with its
id or its error. The errors: `Limited` when the provider's limit for
the number refused it for now, `Gone` when the number cannot receive (or opted
out at the provider), `Rejected` when this message can never go, and
`DeliveryError` for anything worth another try (network, credentials,
templates not yet approved, credit). Both SDKs refuse a message's content in
the answer's body, not by raising: the body's code is read every time. See
docs/push.md, "Provider SDKs and their test peers".
"""

import datetime
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from subscriptions.channels import DeliveryError, Gone, Limited, Rejected
from subscriptions.channels.clouds import aliyun_client, tencent_client
from subscriptions.channels.outbox import outbox_write


@dataclass(frozen=True)
class Sms:
    """One text message to one number, as an approved template with its parameters."""

    to: str  # E.164, +86…
    template: str  # our name: notice, urgent, code
    params: dict[str, str]  # in the template's order (Tencent numbers them)
    text: str  # exactly what the resident reads, 【signature】 included
    url: str | None = None  # the page the short link opens
    # The delivery's idempotency key (none for a code): Aliyun's OutId, Tencent's SessionContext.
    key: str = ""

    @property
    def national(self) -> str:
        return self.to.removeprefix("+86")

    @property
    def template_code(self) -> str:
        return settings.LINLI_SMS_TEMPLATES[self.template]


class OneByOne:
    """A provider sending each message in its own call."""

    batch_size = 1

    def send_batch(self, messages: list[Sms]) -> list[str | DeliveryError]:
        """Each message's id, or what refused it."""
        results: list[str | DeliveryError] = []
        for sms in messages:
            try:
                results.append(self.send(sms))
            except DeliveryError as exc:
                results.append(exc)
        return results


class OutboxProvider(OneByOne):
    """Writes each message as one JSON file under LINLI_OUTBOX_DIR/sms/ (`make run`, tests)."""

    name = "outbox"

    def __init__(self):
        # The carrier's report comes at once, as if the phone had it (LINLI_OUTBOX_RECEIPTS).
        self.reports_at_once = settings.LINLI_OUTBOX_RECEIPTS

    def close(self):
        pass

    def send(self, sms: Sms) -> str:
        return outbox_write(
            "sms",
            to=sms.to,
            text=sms.text,
            template=sms.template,
            template_code=sms.template_code,
            params=sms.params,
            url=sms.url,
            key=sms.key,
        )


# Aliyun words its limits by window: 分钟级 (a minute), 小时级 (an hour), 天级 (a rolling day).
_ALIYUN_WAIT = {"分钟级": 60, "小时级": 15 * 60, "天级": 3600}
_ALIYUN_GONE = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.BLACK_KEY_CONTROL_LIMIT"}
_ALIYUN_REJECTED = {
    "isv.PARAM_LENGTH_LIMIT",
    "isv.INVALID_JSON_PARAM",
    "isv.TEMPLATE_PARAMS_ILLEGAL",
    "isv.INVALID_PARAMETERS",
}


class AliyunProvider(OneByOne):
    """Dysmsapi SendSms and SendBatchSms through Aliyun's SDK (`alibabacloud-dysmsapi20170525`).

    Messages on one template go in one SendBatchSms call, up to 100 numbers with
    each its own parameters, under one BizId and one OutId (the call's key). A
    refusal that concerns one number (its limit, a number that cannot receive, a
    parameter) refuses the whole call without saying whose: the messages are then
    sent one by one, and each gets its own answer.
    """

    name = "aliyun"
    batch_size = 100  # SendBatchSms's limit
    reports_at_once = False  # reports come later, by callback or pull

    def __init__(self):
        # Imported here: only a worker that sends through Aliyun loads its SDK.
        from alibabacloud_dysmsapi20170525.client import Client

        self.client = aliyun_client(
            Client,
            key_id=settings.LINLI_SMS_ALIYUN_ACCESS_KEY_ID,
            key_secret=settings.LINLI_SMS_ALIYUN_ACCESS_KEY_SECRET,
            endpoint=settings.LINLI_SMS_ALIYUN_ENDPOINT,
        )

    def close(self):
        pass

    def send(self, sms: Sms) -> str:
        from alibabacloud_dysmsapi20170525 import models

        return self._call(
            self.client.send_sms,
            models.SendSmsRequest(
                phone_numbers=sms.national,
                sign_name=settings.LINLI_SMS_SIGN_NAME,
                template_code=sms.template_code,
                template_param=json.dumps(sms.params, ensure_ascii=False) if sms.params else None,
                out_id=sms.key or None,
            ),
        )

    def send_batch(self, messages: list[Sms]) -> list[str | DeliveryError]:
        from alibabacloud_dysmsapi20170525 import models

        alike = {(sms.template_code, sms.key) for sms in messages}
        if len(messages) < 2 or len(alike) > 1:
            return super().send_batch(messages)
        request = models.SendBatchSmsRequest(
            phone_number_json=json.dumps([sms.national for sms in messages]),
            sign_name_json=json.dumps(
                [settings.LINLI_SMS_SIGN_NAME] * len(messages), ensure_ascii=False
            ),
            template_code=messages[0].template_code,
            template_param_json=json.dumps([sms.params for sms in messages], ensure_ascii=False),
            out_id=messages[0].key or None,
        )
        try:
            biz_id = self._call(self.client.send_batch_sms, request)
        except (Limited, Gone, Rejected):
            return super().send_batch(messages)  # one number's trouble: ask for each alone
        except DeliveryError as exc:  # the network, the key, credit: the same for all
            return [exc] * len(messages)
        return [biz_id] * len(messages)

    @staticmethod
    def _call(method, request) -> str:
        """The BizId of an accepted request, or the error its answer means."""
        from alibabacloud_tea_openapi.exceptions import ClientException, ThrottlingException
        from Tea.exceptions import TeaException

        try:
            body = method(request).body
        except ThrottlingException as exc:
            raise Limited(f"aliyun: {exc.code}", getattr(exc, "retry_after", None) or 60) from exc
        except ClientException as exc:  # 4xx: the key, the signature of the request
            raise DeliveryError(f"aliyun: {exc.code}: {exc.message}") from exc
        except TeaException as exc:  # 5xx, the network
            raise DeliveryError(f"aliyun: {exc.code}: {exc.message}") from exc
        code = body.code or ""
        if code == "OK":
            return body.biz_id
        refusal = f"aliyun: {code}: {body.message}"
        if code == "isv.BUSINESS_LIMIT_CONTROL":
            window = next((w for w in _ALIYUN_WAIT if w in (body.message or "")), "天级")
            raise Limited(refusal, _ALIYUN_WAIT[window])
        if code in _ALIYUN_GONE:
            raise Gone(refusal)
        if code in _ALIYUN_REJECTED:
            raise Rejected(refusal)
        raise DeliveryError(refusal)  # templates, signature, credit: fixable, so retried


def _until_beijing_midnight() -> float:
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(0, 1), tzinfo=now.tzinfo
    )
    return (midnight - now).total_seconds()


_TENCENT_LIMITED = {
    "LimitExceeded.PhoneNumberThirtySecondLimit": lambda: 30,
    "LimitExceeded.PhoneNumberOneHourLimit": lambda: 15 * 60,
    "LimitExceeded.PhoneNumberDailyLimit": _until_beijing_midnight,
    "LimitExceeded.PhoneNumberSameContentDailyLimit": _until_beijing_midnight,
}
_TENCENT_GONE = {
    "InvalidParameterValue.IncorrectPhoneNumber",
    "FailedOperation.PhoneNumberInBlacklist",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
}
_TENCENT_REJECTED = re.compile(
    r"InvalidParameterValue\.(ContentLengthLimit|TemplateParameterLengthLimit|"
    r"TemplateParameterFormatError)|FailedOperation\.TemplateParamSetNotMatchApprovedTemplate"
)


class TencentProvider:
    """SendSms (2021-01-11) through Tencent Cloud's SDK (`tencentcloud-sdk-python-sms`).

    One call takes up to 200 numbers with one set of template parameters and one
    SessionContext (the call's key), and answers for each number: messages alike
    (one notification's, one template, the same parameters) go together, and each
    gets its own SerialNo or refusal.
    """

    name = "tencent"
    batch_size = 200  # SendSms's limit
    reports_at_once = False  # reports come later, by callback or pull

    def __init__(self):
        from tencentcloud.sms.v20210111.sms_client import SmsClient

        self.client = tencent_client(
            SmsClient,
            secret_id=settings.LINLI_SMS_TENCENT_SECRET_ID,
            secret_key=settings.LINLI_SMS_TENCENT_SECRET_KEY,
            region=settings.LINLI_SMS_TENCENT_REGION,
            endpoint=settings.LINLI_SMS_TENCENT_ENDPOINT,
        )

    def close(self):
        pass

    def send(self, sms: Sms) -> str:
        [result] = self._send_set([sms])
        if isinstance(result, DeliveryError):
            raise result
        return result

    def send_batch(self, messages: list[Sms]) -> list[str | DeliveryError]:
        """Messages with the same template, parameters and key go up to 200 numbers a call."""
        groups: dict[tuple, list[int]] = {}
        seen: dict[tuple, int] = {}
        for n, sms in enumerate(messages):
            alike = (sms.template_code, sms.key, *sms.params.values())
            # A number twice (two subscriptions, one phone) goes in another call.
            number = (*alike, sms.to)
            seen[number] = seen.get(number, -1) + 1
            groups.setdefault((*alike, seen[number]), []).append(n)
        results: list[str | DeliveryError] = [""] * len(messages)
        for indices in groups.values():
            for start in range(0, len(indices), self.batch_size):
                chunk = indices[start : start + self.batch_size]
                sent = self._send_set([messages[n] for n in chunk])
                for n, result in zip(chunk, sent, strict=True):
                    results[n] = result
        return results

    def _send_set(self, messages: list[Sms]) -> list[str | DeliveryError]:
        """One SendSms call for numbers sharing a template, its parameters and a key: per
        number its SerialNo, or what refused it."""
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        first = messages[0]
        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.LINLI_SMS_TENCENT_SDK_APP_ID
        request.SignName = settings.LINLI_SMS_SIGN_NAME
        request.TemplateId = first.template_code
        request.TemplateParamSet = list(first.params.values())
        request.PhoneNumberSet = [sms.to for sms in messages]
        if first.key:
            request.SessionContext = first.key
        try:
            statuses = self.client.SendSms(request).SendStatusSet or []
        except TencentCloudSDKException as exc:
            return [self._refusal(exc.get_code() or "", exc.get_message())] * len(messages)
        # One status per number, in the order sent.
        answered = [(status.PhoneNumber or "").removeprefix("+86") for status in statuses]
        if answered != [sms.national for sms in messages]:
            error = DeliveryError(f"tencent: {len(statuses)} statuses for {len(messages)} numbers")
            return [error] * len(messages)
        return [
            status.SerialNo
            if status.Code == "Ok"
            else self._refusal(status.Code or "", status.Message)
            for status in statuses
        ]

    @staticmethod
    def _refusal(code: str, message: str | None) -> DeliveryError:
        text = f"tencent: {code}: {message}"
        if code in _TENCENT_LIMITED:
            return Limited(text, _TENCENT_LIMITED[code]())
        if code in _TENCENT_GONE:
            return Gone(text)
        if _TENCENT_REJECTED.fullmatch(code):
            return Rejected(text)
        return DeliveryError(text)


PROVIDERS = {"outbox": OutboxProvider, "aliyun": AliyunProvider, "tencent": TencentProvider}


def provider_new():
    """The provider settings name, ready to send (one per batch or per code sent)."""
    return PROVIDERS[settings.LINLI_SMS_PROVIDER]()
