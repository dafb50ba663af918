"""SMS over HTTP: the short links in messages, and the providers' callbacks.

Neither Aliyun nor Tencent signs its callbacks (Tencent publishes the
addresses it calls from; Aliyun nothing), so each callback URL carries a
secret path segment, `LINLI_SMS_CALLBACK_TOKEN`: without it, or with another
one, the URL does not exist (404). Behind it, a status report only changes
the receipt whose provider id (and number) it names, and a reply must carry
this hub's signature. A reply (Aliyun's SmsUp, Tencent's 短信回复) goes where
`manage.py channel_inbound sms` goes: `sms_inbound`. Each provider wants its own answer: Aliyun
`{"code": 0, "msg": "接收成功"}` (else it pushes again after 1, 5 and 10
minutes), Tencent `{"result": 0, "errmsg": "OK"}`.
"""

import datetime
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.http import http_get
from subscriptions.channels.sms import phone_e164
from subscriptions.receipts import Report, receipts_report
from subscriptions.shortlinks import short_link_target
from subscriptions.sms_inbound import sms_inbound

logger = logging.getLogger("linli.push")


def _short_link(request: HttpRequest, code: str) -> HttpResponse:
    target = short_link_target(code)
    if target is None:
        raise Http404("no such link")
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Through the one HTTP dialect: a client guessing codes meets the per-minute budget.
short_link = http_get(_short_link, cached=False)


def _beijing_time(value: Any) -> datetime.datetime | None:
    """ "YYYY-MM-DD HH:MM:SS" in Beijing time, as both providers write it."""
    try:
        naive = datetime.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _entries(payload: Any) -> list[dict]:
    items = payload if isinstance(payload, list) else [payload]
    return [item for item in items if isinstance(item, dict)]


def aliyun_reports(payload: Any) -> int:
    """SmsReport: a JSON array of {biz_id, phone_number, success, err_code, report_time…}."""
    reports = [
        Report(
            provider_id=str(entry.get("biz_id") or ""),
            phone=phone_e164(str(entry.get("phone_number") or "")) or "",
            delivered=entry.get("success") is True,
            code=str(entry.get("err_code") or ""),
            reported_at=_beijing_time(entry.get("report_time")),
        )
        for entry in _entries(payload)
        if entry.get("biz_id")
    ]
    return receipts_report(channel="sms", provider="aliyun", reports=reports)


def tencent_reports(payload: Any) -> int:
    """Status reports: a JSON array of {sid, mobile, report_status, errmsg, user_receive_time…}."""
    reports = [
        Report(
            provider_id=str(entry.get("sid") or ""),
            phone=phone_e164(str(entry.get("mobile") or "")) or "",
            delivered=entry.get("report_status") == "SUCCESS",
            code=str(entry.get("errmsg") or ""),
            reported_at=_beijing_time(entry.get("user_receive_time")),
        )
        for entry in _entries(payload)
        if entry.get("sid")
    ]
    return receipts_report(channel="sms", provider="tencent", reports=reports)


def _replies(entries: list[tuple[Any, Any, Any]]) -> int:
    """(number, text, signature) of each reply; one under another signature is not ours."""
    changed = 0
    for phone, text, sign in entries:
        if sign and sign != settings.LINLI_SMS_SIGN_NAME:
            continue
        changed += sms_inbound(phone=str(phone or ""), text=str(text or ""))
    return changed


def aliyun_replies(payload: Any) -> int:
    """SmsUp: a JSON array of {phone_number, content, sign_name, send_time…}."""
    return _replies(
        [(e.get("phone_number"), e.get("content"), e.get("sign_name")) for e in _entries(payload)]
    )


def tencent_replies(payload: Any) -> int:
    """A reply: one JSON object {mobile, nationcode, text, sign, time…}."""
    return _replies(
        [
            (e.get("mobile"), e.get("text"), e.get("sign"))
            for e in _entries(payload)
            if str(e.get("nationcode") or "86") == "86"
        ]
    )


ANSWERS = {
    "aliyun": ({"code": 0, "msg": "接收成功"}, {"code": 1, "msg": "无法解析"}),
    "tencent": ({"result": 0, "errmsg": "OK"}, {"result": 1, "errmsg": "bad request"}),
}
HANDLERS: dict[tuple[str, str], Callable[[Any], int]] = {
    ("aliyun", "report"): aliyun_reports,
    ("tencent", "report"): tencent_reports,
    ("aliyun", "reply"): aliyun_replies,
    ("tencent", "reply"): tencent_replies,
}


def _answer(provider: str, ok: bool) -> JsonResponse:
    accepted, refused = ANSWERS[provider]
    return JsonResponse(
        accepted if ok else refused,
        status=200 if ok else 400,
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt  # the providers post without a CSRF token; the secret path is the check
@require_POST
def callback(request: HttpRequest, token: str, provider: str, kind: str) -> HttpResponse:
    expected = settings.LINLI_SMS_CALLBACK_TOKEN
    handler = HANDLERS.get((provider, kind))
    if not expected or not constant_time_compare(token, expected) or handler is None:
        raise Http404("no such callback")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return _answer(provider, ok=False)
    matched = handler(payload)
    logger.info("sms %s %s callback: %s matched", provider, kind, matched)
    return _answer(provider, ok=True)
