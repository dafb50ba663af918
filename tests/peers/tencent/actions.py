"""Tencent's SMS and VMS actions, with the checks and answers Tencent gives."""

from __future__ import annotations

import re
import secrets
import threading
import uuid
from typing import Any

from .._sms import (
    MAX_SMS_CHARS,
    PeerClock,
    Receipt,
    SlidingLimits,
    SmsMessage,
    Template,
    VoiceCall,
    billed_parts,
    format_time,
    mainland_mobile,
)

VARIABLE = re.compile(r"\{(\d+)\}")
_CODE = re.compile(r"[0-9]{0,6}")
#: The longest voice notification Tencent accepts (template with its parameters).
MAX_VOICE_CHARS = 350


class TencentError(Exception):
    """A `Response.Error` answer: HTTP 200, {"Error": {"Code", "Message"}, "RequestId"}."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class TencentActions:
    """The four actions for TencentPeer, which provides the state."""

    _lock: threading.Lock
    _changed: threading.Condition
    _signs: set[str]
    _templates: dict[str, Template]
    _tts_templates: dict[str, Template]
    _blocked: set[str]
    _messages: list[SmsMessage]
    _calls: list[VoiceCall]
    _receipts: dict[str, Receipt]
    _unpulled_reports: list[dict[str, Any]]
    _unpulled_replies: list[dict[str, Any]]
    _rejections: list[str]
    clock: PeerClock
    sdk_app_id: str
    voice_sdk_app_id: str
    same_content_limits: SlidingLimits
    hourly_limits: SlidingLimits
    daily_limits: SlidingLimits
    voice_limits: SlidingLimits
    variable_max_chars: int | None
    out_of_credit: bool

    def _dispatch(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        if action == "SendSms":
            return self._send_sms(params)
        if action == "PullSmsSendStatus":
            return {"PullSmsSendStatusSet": self._pull(params, self._unpulled_reports)}
        if action == "PullSmsReplyStatus":
            return {"PullSmsReplyStatusSet": self._pull(params, self._unpulled_replies)}
        return self._send_tts_voice(params)

    def _pull(self, params: dict[str, Any], queue: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self._app(params, "SmsSdkAppId", self.sdk_app_id)
        limit = params.get("Limit")
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            raise TencentError("InvalidParameterValue", "Limit must be an integer from 1 to 100.")
        with self._lock:
            pulled, queue[:] = queue[:limit], queue[limit:]
        return pulled

    @staticmethod
    def _app(params: dict[str, Any], name: str, expected: str) -> None:
        value = params.get(name)
        if not value:
            raise TencentError("MissingParameter", f"The request is missing `{name}`.")
        if value != expected:
            raise TencentError("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId不存在。")

    def _send_sms(self, params: dict[str, Any]) -> dict[str, Any]:
        self._app(params, "SmsSdkAppId", self.sdk_app_id)
        numbers = params.get("PhoneNumberSet") or []
        if not isinstance(numbers, list) or not numbers:
            raise TencentError(
                "MissingParameter.EmptyPhoneNumberSet",
                "传入的号码列表为空，请确认您的参数中是否传入号码。",
            )
        if len(numbers) > 200:
            raise TencentError(
                "LimitExceeded.PhoneNumberCountLimit", "调用接口单次提交的手机号个数超过200个。"
            )
        template = self._templates.get(str(params.get("TemplateId", "")))
        if template is None:
            raise TencentError(
                "FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配。"
            )
        sign = params.get("SignName") or ""
        if sign not in self._signs:
            raise TencentError(
                "FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误。"
            )
        values = self._values(template, params.get("TemplateParamSet"))
        text = f"【{sign}】{template.render(values, VARIABLE)}"
        if len(text) > MAX_SMS_CHARS:
            raise TencentError("InvalidParameterValue.ContentLengthLimit", "请求的短信内容太长。")
        if self.out_of_credit:
            raise TencentError(
                "FailedOperation.InsufficientBalanceInSmsPackage", "套餐包余量不足。"
            )
        context = str(params.get("SessionContext") or "")
        statuses = [self._send_one(str(n), sign, template, values, text, context) for n in numbers]
        return {"SendStatusSet": statuses}

    def _send_one(
        self,
        number: str,
        sign: str,
        template: Template,
        values: dict[str, str],
        text: str,
        context: str,
    ) -> dict[str, Any]:
        phone = mainland_mobile(number)
        status = {"SessionContext": context, "IsoCode": "CN", "SerialNo": "", "Fee": 0}
        status["PhoneNumber"] = f"+86{phone}" if phone else number
        if phone is None:
            return self._refuse_one(
                status, "InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误。"
            )
        if phone in self._blocked:
            return self._refuse_one(
                status,
                "FailedOperation.PhoneNumberInBlacklist",
                "手机号在免打扰名单库中，通常是用户退订或者命中运营商免打扰名单导致的。",
            )
        now = self.clock.now()
        day = format_time(now)[:10]
        checks = (
            (
                self.same_content_limits,
                (phone, text),
                "LimitExceeded.PhoneNumberThirtySecondLimit",
                "单个手机号30秒内下发短信条数超过设定的上限。",
            ),
            (
                self.hourly_limits,
                phone,
                "LimitExceeded.PhoneNumberOneHourLimit",
                "单个手机号1小时内下发短信条数超过设定的上限。",
            ),
            (
                self.daily_limits,
                (phone, day),
                "LimitExceeded.PhoneNumberDailyLimit",
                "单个手机号日下发短信条数超过设定的上限。",
            ),
        )
        with self._lock:
            for limits, key, code, message in checks:
                if limits.blocked(key, now) is not None:
                    return self._refuse_one(status, code, message, locked=True)
            for limits, key, _, _ in checks:
                limits.count(key, now)
            serial = f"{secrets.randbelow(10**4):04d}:{secrets.randbelow(10**28):028d}"
            parts = billed_parts(text)
            self._messages.append(
                SmsMessage(
                    "tencent", serial, phone, sign, template.code, values, text, parts, context, now
                )
            )
            self._changed.notify_all()
        return {**status, "SerialNo": serial, "Fee": parts, "Code": "Ok", "Message": "send success"}

    def _refuse_one(
        self, status: dict[str, Any], code: str, message: str, *, locked: bool = False
    ) -> dict[str, Any]:
        line = f"SendSms: {code}: {message} ({status['PhoneNumber']})"
        if locked:
            self._rejections.append(line)
        else:
            with self._lock:
                self._rejections.append(line)
        return {**status, "Code": code, "Message": message}

    def _values(self, template: Template, raw: Any) -> dict[str, str]:
        """TemplateParamSet checked as Tencent checks it, as {"1": ..., "2": ...}."""
        params = raw or []
        if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
            raise TencentError("InvalidParameter", "TemplateParamSet must be a list of strings.")
        if len(params) != len(template.variables):
            raise TencentError(
                "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                "请求内容与审核通过的模板内容不匹配。",
            )
        if template.kind == "verify" and not all(_CODE.fullmatch(p) for p in params):
            raise TencentError(
                "InvalidParameterValue.TemplateParameterFormatError",
                "验证码模板参数格式错误，验证码类模版，模版变量只能传入0 - 6位（包括6位）数字。",
            )
        limit = self.variable_max_chars
        if limit is not None and any(len(p) > limit for p in params):
            raise TencentError(
                "InvalidParameterValue.TemplateParameterLengthLimit",
                f"单个模板变量字符数超过{limit}个。",
            )
        return dict(zip(template.variables, params, strict=True))

    def _send_tts_voice(self, params: dict[str, Any]) -> dict[str, Any]:
        self._app(params, "VoiceSdkAppid", self.voice_sdk_app_id)
        template = self._tts_templates.get(str(params.get("TemplateId", "")))
        if template is None:
            raise TencentError(
                "FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配。"
            )
        phone = mainland_mobile(str(params.get("CalledNumber", "")))
        if phone is None:
            raise TencentError("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误。")
        values = self._values(template, params.get("TemplateParamSet"))
        text = template.render(values, VARIABLE)
        if len(text) > MAX_VOICE_CHARS:
            raise TencentError(
                "InvalidParameterValue.ContentLengthLimit", "语音消息的内容长度超过350字。"
            )
        play_times = params.get("PlayTimes", 2)
        if not isinstance(play_times, int) or not 1 <= play_times <= 3:
            raise TencentError("InvalidParameterValue", "PlayTimes must be 1, 2 or 3.")
        if self.out_of_credit:
            raise TencentError("FailedOperation.InsufficientBalance", "余额不足。")
        now = self.clock.now()
        context = str(params.get("SessionContext") or "")
        with self._lock:
            if self.voice_limits.blocked(phone, now) is not None:
                raise TencentError(
                    "LimitExceeded.DeliveryFrequencyLimit", "下发语音消息命中了频率限制策略。"
                )
            self.voice_limits.count(phone, now)
            call_id = str(uuid.uuid4())
            self._calls.append(
                VoiceCall(
                    "tencent", call_id, phone, template.code, values, text, play_times, context, now
                )
            )
            self._changed.notify_all()
        return {"SendStatus": {"CallId": call_id, "SessionContext": context}}
