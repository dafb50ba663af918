"""The voice providers' call reports: an answered call is a delivered message.

Aliyun pushes VoiceReport (a JSON array of call records: `call_id`,
`callee`, `status_code` 200000 heard to the end, 200001 answered and hung up
early, 200002 busy, 200003 not answered, 200005 unreachable, 200010 off,
200011 out of service…, `end_time`); Tencent posts one
`{"voiceprompt_callback": {"callid", "mobile", "result": "0" answered, "1" not
answered, "2" failed, "end_calltime"…}}`. Like the SMS callbacks, neither is
signed: the URL carries `LINLI_SMS_CALLBACK_TOKEN` as a secret path segment
(404 without it), and a report changes only the call whose id and number it
names. Each provider gets the answer it wants (see `sms_views.ANSWERS`).
"""

import datetime
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from subscriptions.channels.sms import phone_e164
from subscriptions.receipts import Report, receipts_report
from subscriptions.sms_views import _answer, _beijing_time, _entries

logger = logging.getLogger("linli.push")

# Aliyun's call results in which the resident picked up: heard to the end, or hung up early.
ALIYUN_ANSWERED = frozenset({"200000", "200001"})


def _epoch(value: Any) -> datetime.datetime | None:
    try:
        seconds = int(str(value))
    except ValueError:
        return None
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC) if seconds > 0 else None


def aliyun_calls(payload: Any) -> int:
    """VoiceReport: a JSON array of {call_id, callee, status_code, status_msg, end_time…}."""
    reports = [
        Report(
            provider_id=str(entry.get("call_id") or ""),
            phone=phone_e164(str(entry.get("callee") or "")) or "",
            delivered=str(entry.get("status_code") or "") in ALIYUN_ANSWERED,
            code=str(entry.get("status_code") or ""),
            reported_at=_beijing_time(entry.get("end_time")),
        )
        for entry in _entries(payload)
        if entry.get("call_id")
    ]
    return receipts_report(channel="voice", provider="aliyun", reports=reports)


def tencent_calls(payload: Any) -> int:
    """{"voiceprompt_callback": {callid, mobile, nationcode, result, end_calltime…}}."""
    entry = payload.get("voiceprompt_callback") if isinstance(payload, dict) else None
    if not isinstance(entry, dict) or not entry.get("callid"):
        return 0
    if str(entry.get("nationcode") or "86") != "86":
        return 0
    result = str(entry.get("result") or "")
    report = Report(
        provider_id=str(entry["callid"]),
        phone=phone_e164(str(entry.get("mobile") or "")) or "",
        delivered=result == "0",
        code=f"result {result}",
        reported_at=_epoch(entry.get("end_calltime")) or timezone.now(),
    )
    return receipts_report(channel="voice", provider="tencent", reports=[report])


HANDLERS: dict[str, Callable[[Any], int]] = {"aliyun": aliyun_calls, "tencent": tencent_calls}


@csrf_exempt  # the providers post without a CSRF token; the secret path is the check
@require_POST
def callback(request: HttpRequest, token: str, provider: str) -> HttpResponse:
    expected = settings.LINLI_SMS_CALLBACK_TOKEN
    handler = HANDLERS.get(provider)
    if not expected or not constant_time_compare(token, expected) or handler is None:
        raise Http404("no such callback")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return _answer(provider, ok=False)
    matched = handler(payload)
    logger.info("voice %s callback: %s matched", provider, matched)
    return _answer(provider, ok=True)
