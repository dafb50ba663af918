"""Dysmsapi and Dyvmsapi actions as Aliyun answers them, with the checks Aliyun makes."""

from __future__ import annotations

import json
import re
import secrets
import threading
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

#: Aliyun's length rule for one template variable (notifications) and for a code.
MAXVARIABLE_CHARS = 35
_CODE = re.compile(r"[0-9A-Za-z]{4,6}")
VARIABLE = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
_LIMIT_WORDS = {60: "分钟级", 3600: "小时级", 86400: "天级"}


class AliyunError(Exception):
    """An answer in Aliyun's error shape: HTTP 200 for business codes, 4xx/5xx for the rest."""

    def __init__(self, code: str, message: str, status: int = 200) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class AliyunActions:
    """SendSms, SendBatchSms, QuerySendDetails, SingleCallByTts for AliyunPeer."""

    _lock: threading.Lock
    _changed: threading.Condition
    _signs: set[str]
    _templates: dict[str, Template]
    _tts_templates: dict[str, Template]
    _messages: list[SmsMessage]
    _calls: list[VoiceCall]
    _receipts: dict[tuple[str, str], Receipt]
    clock: PeerClock
    notify_limits: SlidingLimits
    verify_limits: SlidingLimits
    voice_limits: SlidingLimits
    out_of_credit: bool

    # -- SMS --------------------------------------------------------------------------

    def _send_sms(self, params: dict[str, str]) -> dict[str, Any]:
        raw = _required(params, "PhoneNumbers").split(",")
        if len(raw) > 1000:
            raise AliyunError("isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制")
        template = self._sms_template(_required(params, "TemplateCode"))
        sign = _required(params, "SignName")
        values = _values(template, params.get("TemplateParam"))
        jobs = [(_phone(number), sign, values) for number in raw]
        return self._accept_sms(template, jobs, params.get("OutId", ""))

    def _send_batch_sms(self, params: dict[str, str]) -> dict[str, Any]:
        template = self._sms_template(_required(params, "TemplateCode"))
        numbers = _json_list(_required(params, "PhoneNumberJson"))
        signs = _json_list(_required(params, "SignNameJson"))
        param_list = _json_list(params.get("TemplateParamJson") or "[]")
        if len(numbers) > 100:
            raise AliyunError("isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制")
        if len(signs) != len(numbers) or (param_list and len(param_list) != len(numbers)):
            raise AliyunError("isv.INVALID_PARAMETERS", "参数异常")
        jobs = [
            (
                _phone(str(number)),
                str(sign),
                _values(template, json.dumps(param_list[i]) if param_list else None),
            )
            for i, (number, sign) in enumerate(zip(numbers, signs, strict=True))
        ]
        return self._accept_sms(template, jobs, params.get("OutId", ""))

    def _sms_template(self, code: str) -> Template:
        template = self._templates.get(code)
        if template is None:
            raise AliyunError("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        return template

    def _accept_sms(
        self, template: Template, jobs: list[tuple[str, str, dict[str, str]]], out_id: str
    ) -> dict[str, Any]:
        now = self.clock.now()
        texts = []
        for _phone, sign, values in jobs:
            if sign not in self._signs:
                raise AliyunError("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
            text = f"【{sign}】{template.render(values, VARIABLE)}"
            if len(text) > MAX_SMS_CHARS:
                raise AliyunError("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制")
            texts.append(text)
        if self.out_of_credit:
            raise AliyunError("isv.AMOUNT_NOT_ENOUGH", "账户余额不足")
        biz_id = f"{secrets.randbelow(10**17):017d}^0"
        with self._lock:
            limits = self.verify_limits if template.kind == "verify" else self.notify_limits
            keys = [
                (sign, phone) if template.kind == "verify" else (sign, template.code, phone)
                for phone, sign, _ in jobs
            ]
            for key in keys:
                blocked = limits.blocked(key, now)
                if blocked is not None:
                    window, limit = blocked
                    raise AliyunError(
                        "isv.BUSINESS_LIMIT_CONTROL",
                        f"触发{_LIMIT_WORDS[window]}流控Permits:{limit}",
                    )
            for key, (phone, sign, values), text in zip(keys, jobs, texts, strict=True):
                limits.count(key, now)
                self._messages.append(
                    SmsMessage(
                        "aliyun",
                        biz_id,
                        phone,
                        sign,
                        template.code,
                        values,
                        text,
                        billed_parts(text),
                        out_id,
                        now,
                    )
                )
            self._changed.notify_all()
        return {"Code": "OK", "Message": "OK", "BizId": biz_id}

    def _query_send_details(self, params: dict[str, str]) -> dict[str, Any]:
        phone = _phone(_required(params, "PhoneNumber"))
        day = _required(params, "SendDate")
        try:
            size, page = int(_required(params, "PageSize")), int(_required(params, "CurrentPage"))
        except ValueError as error:
            raise AliyunError("isv.INVALID_PARAMETERS", "参数异常") from error
        if not 1 <= size <= 50 or page < 1:
            raise AliyunError("isv.INVALID_PARAMETERS", "参数异常")
        biz_id = params.get("BizId")
        with self._lock:
            found = [
                message
                for message in reversed(self._messages)
                if message.phone == phone
                and format_time(message.sent_at)[:10].replace("-", "") == day
                and biz_id in (None, "", message.id)
            ]
            details = [self._detail(message) for message in found[(page - 1) * size : page * size]]
        return {
            "Code": "OK",
            "Message": "OK",
            "TotalCount": len(found),
            "SmsSendDetailDTOs": {"SmsSendDetailDTO": details},
        }

    def _detail(self, message: SmsMessage) -> dict[str, Any]:
        receipt = self._receipts.get((message.id, message.phone))
        status = 1 if receipt is None else 3 if receipt.success else 2
        return {
            "PhoneNum": message.phone,
            "SendStatus": status,
            "ErrCode": "" if receipt is None else receipt.code,
            "TemplateCode": message.template,
            "Content": message.text,
            "SendDate": format_time(message.sent_at),
            "ReceiveDate": "" if receipt is None else format_time(receipt.reported_at),
            "OutId": message.out_id,
        }

    # -- voice ------------------------------------------------------------------------

    def _single_call_by_tts(self, params: dict[str, str]) -> dict[str, Any]:
        phone = _phone(_required(params, "CalledNumber"))
        template = self._tts_templates.get(_required(params, "TtsCode"))
        if template is None:
            raise AliyunError("isv.TTS_TEMPLATE_ILLEGAL", "TTS模板不合法")
        try:
            values = _values(template, params.get("TtsParam"))
        except AliyunError as error:
            raise AliyunError("isv.TEMPLATE_PARAMS_ILLEGAL", "模板变量非法") from error
        play_times = int(params.get("PlayTimes") or 3)
        if not 1 <= play_times <= 3:
            raise AliyunError("isv.INVALID_PARAMETERS", "参数异常")
        if self.out_of_credit:
            raise AliyunError("isv.AMOUNT_NOT_ENOUGH", "账户余额不足")
        now = self.clock.now()
        call_id = f"{secrets.randbelow(10**12):012d}^{secrets.randbelow(10**12):012d}"
        with self._lock:
            blocked = self.voice_limits.blocked(phone, now)
            if blocked is not None:
                window, limit = blocked
                raise AliyunError(
                    "isv.BUSINESS_LIMIT_CONTROL", f"触发{_LIMIT_WORDS[window]}流控Permits:{limit}"
                )
            self.voice_limits.count(phone, now)
            text = template.render(values, VARIABLE)
            self._calls.append(
                VoiceCall(
                    "aliyun",
                    call_id,
                    phone,
                    template.code,
                    values,
                    text,
                    play_times,
                    params.get("OutId", ""),
                    now,
                )
            )
            self._changed.notify_all()
        return {"Code": "OK", "Message": "OK", "CallId": call_id}


def _required(params: dict[str, str], name: str) -> str:
    value = params.get(name, "")
    if not value:
        raise AliyunError(f"Missing{name}", f"{name} is mandatory for this action.", 400)
    return value


def _phone(number: str) -> str:
    phone = mainland_mobile(number)
    if phone is None:
        raise AliyunError("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
    return phone


def _json_list(raw: str) -> list[Any]:
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise AliyunError("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值") from error
    if not isinstance(value, list):
        raise AliyunError("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
    return value


def _values(template: Template, raw: str | None) -> dict[str, str]:
    """The template's variables from the TemplateParam JSON, checked as Aliyun checks them."""
    if not template.variables:
        return {}
    if not raw:
        raise AliyunError("isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量")
    try:
        values = json.loads(raw)
    except ValueError as error:
        raise AliyunError("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值") from error
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise AliyunError("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
    if any(name not in values for name in template.variables):
        raise AliyunError("isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量")
    for name in template.variables:
        value = values[name]
        too_long = len(value) > MAXVARIABLE_CHARS
        if too_long or (template.kind == "verify" and not _CODE.fullmatch(value)):
            raise AliyunError("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制")
    return {name: values[name] for name in template.variables}
