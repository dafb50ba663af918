"""What Tencent pushes to the customer's callback URLs, and queues for the Pull* actions.

Status reports (短信下发状态通知) are a JSON array of reports; a reply (短信回复) is one
JSON object; a voice-notification result is {"voiceprompt_callback": {...}}. The customer
answers `{"result": 0, "errmsg": "OK"}`. The same reports and replies are queued for
PullSmsSendStatus / PullSmsReplyStatus, each handed out once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from .._sms import CallbackAnswer, PeerClock, Receipt, SmsMessage, VoiceCall, format_time, post_json

#: Voice results: 0 answered, 1 not answered, 2 the call failed.
VOICE_RESULTS = ("0", "1", "2")


def tencent_accepts(status: int, answer: Any) -> bool:
    """Tencent's rule: HTTP 200 and `{"result": 0, ...}`."""
    return status == 200 and isinstance(answer, dict) and answer.get("result") == 0


class TencentCallbacks:
    """Status reports, replies and voice results for TencentPeer (which provides the state)."""

    _lock: threading.Lock
    _messages: list[SmsMessage]
    _receipts: dict[str, Receipt]
    _unpulled_reports: list[dict[str, Any]]
    _unpulled_replies: list[dict[str, Any]]
    clock: PeerClock

    def report_payload(
        self,
        messages: Iterable[SmsMessage] | None = None,
        *,
        success: bool = True,
        errmsg: str | None = None,
        description: str | None = None,
    ) -> list[dict[str, Any]]:
        """Status reports for `messages` (default: all not yet reported): recorded as their
        receipts, queued for PullSmsSendStatus, returned as the callback's JSON array."""
        errmsg = errmsg or ("DELIVRD" if success else "UNDELIV")
        description = description or ("用户短信送达成功" if success else "用户短信接收失败")
        now = self.clock.now()
        with self._lock:
            if messages is None:
                targets = [m for m in self._messages if m.id not in self._receipts]
            else:
                targets = list(messages)
            for message in targets:
                self._receipts[message.id] = Receipt(success, errmsg, description, now)
                self._unpulled_reports.append(
                    {
                        "UserReceiveTime": int(now),
                        "CountryCode": "86",
                        "SubscriberNumber": message.phone,
                        "PhoneNumber": f"+86{message.phone}",
                        "SerialNo": message.id,
                        "ReportStatus": "SUCCESS" if success else "FAIL",
                        "Description": description,
                        "SessionContext": message.out_id,
                    }
                )
        return [
            {
                "user_receive_time": format_time(now),
                "nationcode": "86",
                "mobile": message.phone,
                "report_status": "SUCCESS" if success else "FAIL",
                "errmsg": errmsg,
                "description": description,
                "sid": message.id,
            }
            for message in targets
        ]

    def post_reports(
        self,
        url: str,
        messages: Iterable[SmsMessage] | None = None,
        *,
        success: bool = True,
        errmsg: str | None = None,
        description: str | None = None,
    ) -> CallbackAnswer:
        """POST the status reports for `messages` (default: all not yet reported)."""
        payload = self.report_payload(
            messages, success=success, errmsg=errmsg, description=description
        )
        return post_json(url, payload, tencent_accepts)

    def reply_payload(
        self, phone: str, text: str, *, sign_name: str | None = None
    ) -> dict[str, Any]:
        """The resident at `phone` replied `text`: queued for PullSmsReplyStatus, returned
        as the reply callback's JSON object."""
        now = self.clock.now()
        with self._lock:
            if sign_name is None:
                sent = [m.sign_name for m in self._messages if m.phone == phone]
                sign_name = sent[-1] if sent else ""
            self._unpulled_replies.append(
                {
                    "ExtendCode": "",
                    "CountryCode": "86",
                    "PhoneNumber": f"+86{phone}",
                    "SignName": sign_name,
                    "ReplyContent": text,
                    "ReplyTime": int(now),
                    "SubscriberNumber": phone,
                }
            )
        return {
            "extend": "",
            "mobile": phone,
            "nationcode": "86",
            "sign": sign_name,
            "text": text,
            "time": int(now),
        }

    def post_reply(
        self, url: str, phone: str, text: str, *, sign_name: str | None = None
    ) -> CallbackAnswer:
        """POST one reply callback: the resident at `phone` replied `text` (e.g. "TD")."""
        return post_json(url, self.reply_payload(phone, text, sign_name=sign_name), tencent_accepts)

    def voice_report_payload(self, call: VoiceCall, *, result: str = "0") -> dict[str, Any]:
        """The voice-notification result for `call`: "0" answered, "1" not answered, "2" failed."""
        if result not in VOICE_RESULTS:
            raise ValueError(f"result must be one of {VOICE_RESULTS}")
        start = int(call.called_at)
        accepted = start + 5 if result == "0" else 0
        end = accepted + len(call.text) // 4 * call.play_times if accepted else start + 30
        return {
            "voiceprompt_callback": {
                "result": result,
                "accept_time": str(accepted) if accepted else "0",
                "call_from": "",
                "callid": call.id,
                "end_calltime": str(end),
                "fee": "1" if result == "0" else "0",
                "mobile": call.phone,
                "nationcode": "86",
                "start_calltime": str(start),
            }
        }

    def post_voice_report(self, url: str, call: VoiceCall, *, result: str = "0") -> CallbackAnswer:
        """POST the voice-notification result for `call`."""
        return post_json(url, self.voice_report_payload(call, result=result), tencent_accepts)
