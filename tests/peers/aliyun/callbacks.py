"""What Aliyun pushes to the customer: SmsReport, SmsUp and VoiceReport, as HTTP batch push.

Each push is a JSON array POSTed to the URL configured in the console; the customer must
answer HTTP 200 with a JSON object whose `code` is a number (`{"code": 0, "msg": "接收成功"}`),
otherwise Aliyun pushes again after 1, 5 and 10 minutes and then gives up. Receipts are
not idempotent: the same report may come twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from .._sms import CallbackAnswer, PeerClock, Receipt, SmsMessage, VoiceCall, format_time, post_json

#: Aliyun's voice call result codes (呼叫结果状态码) the peer knows how to describe.
CALL_STATUS = {
    "200000": "用户听完语音",
    "200001": "用户提前挂机未完整收听",
    "200002": "用户占线",
    "200003": "用户收到呼叫但未接听",
    "200005": "被叫用户无法接通",
    "200010": "关机",
    "200011": "停机",
}
_ANSWERED = ("200000", "200001")


def aliyun_accepts(status: int, answer: Any) -> bool:
    """Aliyun's rule: HTTP 200 and a JSON object whose `code` is a number."""
    code = answer.get("code") if isinstance(answer, dict) else None
    return status == 200 and isinstance(code, int | float) and not isinstance(code, bool)


class AliyunCallbacks:
    """Report, uplink and call-record pushes for AliyunPeer (which provides the state)."""

    _lock: threading.Lock
    _receipts: dict[tuple[str, str], Receipt]
    _messages: list[SmsMessage]
    _sequence: int
    clock: PeerClock

    def _receipt_targets(self, messages: Iterable[SmsMessage] | None) -> list[SmsMessage]:
        with self._lock:
            if messages is None:
                return [m for m in self._messages if (m.id, m.phone) not in self._receipts]
            return list(messages)

    def report_payload(
        self,
        messages: Iterable[SmsMessage] | None = None,
        *,
        success: bool = True,
        err_code: str | None = None,
        err_msg: str | None = None,
    ) -> list[dict[str, Any]]:
        """SmsReport entries for `messages` (default: all not yet reported), recorded as
        their receipts so QuerySendDetails answers the same."""
        code = err_code or ("DELIVERED" if success else "UNDELIVERED")
        description = err_msg or ("用户接收成功" if success else "用户接收失败")
        now = self.clock.now()
        targets = self._receipt_targets(messages)
        with self._lock:
            for message in targets:
                self._receipts[(message.id, message.phone)] = Receipt(
                    success, code, description, now
                )
        return [
            {
                "phone_number": message.phone,
                "send_time": format_time(message.sent_at),
                "report_time": format_time(now),
                "success": success,
                "err_code": code,
                "err_msg": description,
                "sms_size": str(message.parts),
                "biz_id": message.id,
                "out_id": message.out_id,
            }
            for message in targets
        ]

    def post_reports(
        self,
        url: str,
        messages: Iterable[SmsMessage] | None = None,
        *,
        success: bool = True,
        err_code: str | None = None,
        err_msg: str | None = None,
    ) -> CallbackAnswer:
        """Push SmsReport for `messages` (default: all not yet reported) in one array."""
        payload = self.report_payload(messages, success=success, err_code=err_code, err_msg=err_msg)
        return post_json(url, payload, aliyun_accepts)

    def uplink_payload(
        self, phone: str, content: str, *, sign_name: str | None = None, dest_code: str = ""
    ) -> list[dict[str, Any]]:
        """An SmsUp entry: the resident at `phone` replied `content` (e.g. "TD")."""
        with self._lock:
            self._sequence += 1
            sequence = self._sequence
            if sign_name is None:
                sent = [m.sign_name for m in self._messages if m.phone == phone]
                sign_name = sent[-1] if sent else ""
        return [
            {
                "phone_number": phone,
                "send_time": format_time(self.clock.now()),
                "content": content,
                "sign_name": sign_name,
                "dest_code": dest_code,
                "sequence_id": sequence,
            }
        ]

    def post_uplink(
        self, url: str, phone: str, content: str, *, sign_name: str | None = None
    ) -> CallbackAnswer:
        """Push one SmsUp: the resident at `phone` replied `content`."""
        return post_json(
            url, self.uplink_payload(phone, content, sign_name=sign_name), aliyun_accepts
        )

    def voice_report_payload(
        self, call: VoiceCall, *, status_code: str = "200000", duration: int | None = None
    ) -> list[dict[str, Any]]:
        """A VoiceReport (call record) for `call` ending with `status_code`."""
        answered = status_code in _ANSWERED
        seconds = duration if duration is not None else (len(call.text) // 4 + 1 if answered else 0)
        start = call.called_at + 2
        return [
            {
                "status_code": status_code,
                "status_msg": CALL_STATUS.get(status_code, "呼叫失败"),
                "callee": call.phone,
                "caller": "",
                "call_id": call.id,
                "out_id": call.out_id,
                "voice_type": "voice",
                "toll_type": "LOCAL",
                "duration": str(seconds),
                "originate_time": format_time(call.called_at),
                "ring_time": format_time(call.called_at + 1),
                "b_start_time": format_time(start) if answered else "",
                "end_time": format_time(start + seconds),
                "dtmf": "",
            }
        ]

    def post_voice_report(
        self, url: str, call: VoiceCall, *, status_code: str = "200000", duration: int | None = None
    ) -> CallbackAnswer:
        """Push the VoiceReport for `call`."""
        payload = self.voice_report_payload(call, status_code=status_code, duration=duration)
        return post_json(url, payload, aliyun_accepts)
