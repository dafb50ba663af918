"""Aliyun's SMS (Dysmsapi) and voice (Dyvmsapi) OpenAPI on loopback, signature checked.

Point the real SDK at it (RPC style, ACS3-HMAC-SHA256 signature, the SDK's default)::

    from alibabacloud_tea_openapi.models import Config
    from alibabacloud_dysmsapi20170525.client import Client

    client = Client(Config(**aliyun_peer.sdk_config()))
    # == Config(access_key_id=..., access_key_secret=..., endpoint="127.0.0.1:<port>",
    #           protocol="http")

The same peer answers Dyvmsapi (`alibabacloud_dyvmsapi20170525.client.Client`).
"""

from __future__ import annotations

import calendar
import json
import re
import secrets
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .._http import HTTPPeer, PeerHandler, lower_headers
from .._signatures import acs3_signature, acs3_string_to_sign, sha256_hex
from .._sms import (
    PeerClock,
    Receipt,
    SlidingLimits,
    SmsMessage,
    SmsPeerRecords,
    Template,
    VoiceCall,
)
from .actions import VARIABLE, AliyunActions, AliyunError
from .callbacks import AliyunCallbacks

API_VERSION = "2017-05-25"
#: How far the request's x-acs-date may be from the server's clock, and how long a
#: signature nonce stays used.
SIGNATURE_WINDOW = 15 * 60
_AUTH = re.compile(
    r"ACS3-HMAC-SHA256 Credential=(?P<key>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),"
    r"\s*Signature=(?P<signature>[0-9a-f]{64})"
)


class AliyunPeer(SmsPeerRecords, AliyunActions, AliyunCallbacks, HTTPPeer):
    """Dysmsapi SendSms / SendBatchSms / QuerySendDetails and Dyvmsapi SingleCallByTts.

    Every request's ACS3-HMAC-SHA256 signature is recomputed with the AccessKey secret
    the peer was given; a bad one is answered `SignatureDoesNotMatch` (HTTP 400), a stale
    `x-acs-date` `InvalidTimeStamp.Expired`, a reused nonce `SignatureNonceUsed`, an
    unknown key `InvalidAccessKeyId.NotFound` (404). Then numbers, signature names,
    templates, variables, lengths and Aliyun's default frequency limits are checked; such
    refusals are HTTP 200 with an `isv.*` Code, as Aliyun answers them. Every refusal is
    recorded in `rejections`. Accepted messages are recorded with the text the resident
    reads (【signature】 included) and the number of messages billed.
    """

    def __init__(self, access_key_id: str = "LTAI5tLinliPeerKey", secret: str | None = None):
        super().__init__()
        self.access_key_id = access_key_id
        self.access_key_secret = secret or secrets.token_urlsafe(22)
        self.clock = PeerClock()
        self.notify_limits = SlidingLimits({86400: 50})
        self.verify_limits = SlidingLimits({60: 1, 3600: 5, 86400: 10})
        self.voice_limits = SlidingLimits({60: 1, 3600: 5, 86400: 20})
        self.out_of_credit = False
        self._signs: set[str] = set()
        self._templates: dict[str, Template] = {}
        self._tts_templates: dict[str, Template] = {}
        self._failures: list[int] = []
        self._nonces: dict[str, float] = {}
        self._messages: list[SmsMessage] = []
        self._calls: list[VoiceCall] = []
        self._receipts: dict[tuple[str, str], Receipt] = {}
        self._rejections: list[str] = []
        self._attempts = 0
        self._sequence = 0

    # -- setup ------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """`127.0.0.1:<port>`, the SDK Config's `endpoint`."""
        return f"127.0.0.1:{self.port}"

    def sdk_config(self) -> dict[str, str]:
        """Keyword arguments for `alibabacloud_tea_openapi.models.Config`."""
        return {
            "access_key_id": self.access_key_id,
            "access_key_secret": self.access_key_secret,
            "endpoint": self.endpoint,
            "protocol": "http",
        }

    def add_sign(self, name: str) -> None:
        """Register an approved signature name (签名), e.g. "临里街道"."""
        self._signs.add(name)

    def add_template(self, code: str, text: str, kind: str = "notify") -> Template:
        """Register an approved SMS template: `kind` "notify" (通知) or "verify" (验证码).

        `text` names its variables as Aliyun does: "${title}".
        """
        if kind not in ("notify", "verify"):
            raise ValueError(f"unknown template kind {kind!r}")
        template = Template(code, text, kind, tuple(VARIABLE.findall(text)))
        self._templates[code] = template
        return template

    def add_tts_template(self, code: str, text: str) -> Template:
        """Register an approved text-to-speech template for SingleCallByTts."""
        template = Template(code, text, "tts", tuple(VARIABLE.findall(text)))
        self._tts_templates[code] = template
        return template

    def fail_next(self, count: int = 1, status: int = 503) -> None:
        """Answer the next `count` requests with a server error before any check."""
        with self._lock:
            self._failures.extend([status] * count)

    # -- records: SmsPeerRecords ----------------------------------------------------

    def clear(self) -> None:
        """Forget messages, calls, receipts, rejections, counters; setup stays."""
        with self._lock:
            for records in (self._messages, self._calls, self._rejections):
                records.clear()
            self._receipts.clear()
            self._attempts = 0
            for limits in (self.notify_limits, self.verify_limits, self.voice_limits):
                limits.clear()

    # -- serving ----------------------------------------------------------------------

    def _on_post(self, handler: PeerHandler, body: bytes) -> None:
        headers = lower_headers(handler.headers.items())
        action = headers.get("x-acs-action", "?")
        request_id = str(uuid.uuid4()).upper()
        with self._lock:
            self._attempts += 1
            failure = self._failures.pop(0) if self._failures else None
            self._changed.notify_all()
        try:
            if failure is not None:
                raise AliyunError(
                    "ServiceUnavailable",
                    "The request has failed due to a temporary failure of the server.",
                    failure,
                )
            self._verify(handler.command, handler.path, headers, body)
            params = dict(parse_qsl(urlsplit(handler.path).query, keep_blank_values=True))
            if "x-www-form-urlencoded" in headers.get("content-type", ""):
                params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            answer = self._dispatch(action, headers.get("x-acs-version", ""), params)
        except AliyunError as error:
            with self._lock:
                self._rejections.append(f"{action}: {error.code}: {error.message}")
                self._changed.notify_all()
            answer = {"RequestId": request_id, "Code": error.code, "Message": error.message}
            if error.status != 200:
                answer["HostId"] = "dysmsapi.aliyuncs.com"
            self._reply(handler, error.status, answer)
            return
        self._reply(handler, 200, {"RequestId": request_id, **answer})

    @staticmethod
    def _reply(handler: PeerHandler, status: int, answer: dict[str, Any]) -> None:
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        handler.reply(status, body, content_type="application/json;charset=utf-8")

    def _verify(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        match = _AUTH.fullmatch(headers.get("authorization", "").strip())
        if match is None:
            raise AliyunError(
                "IncompleteSignature",
                "The request signature does not conform to Aliyun standards.",
                400,
            )
        if match["key"] != self.access_key_id:
            raise AliyunError(
                "InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404
            )
        signed = match["signed"].split(";")
        required = {"host"} | {name for name in headers if name.startswith("x-acs-")}
        if "content-type" in headers:
            required.add("content-type")
        if (
            signed != sorted(signed)
            or not required <= set(signed)
            or not set(signed) <= set(headers)
        ):
            raise AliyunError(
                "IncompleteSignature",
                f"SignedHeaders must list, sorted, host, content-type and every x-acs-* "
                f"header sent; got {match['signed']}",
                400,
            )
        try:
            sent_at = calendar.timegm(time.strptime(headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ"))
        except ValueError as error:
            raise AliyunError(
                "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.",
                400,
            ) from error
        now = time.time()
        if abs(now - sent_at) > SIGNATURE_WINDOW:
            raise AliyunError(
                "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", 400
            )
        if headers.get("x-acs-content-sha256") != sha256_hex(body):
            raise AliyunError(
                "SignatureDoesNotMatch", "x-acs-content-sha256 is not the SHA-256 of the body.", 400
            )
        string_to_sign = acs3_string_to_sign(method, target, headers, signed, body)
        expected = acs3_signature(self.access_key_secret, string_to_sign)
        if not secrets.compare_digest(expected, match["signature"]):
            raise AliyunError(
                "SignatureDoesNotMatch",
                "Specified signature does not match our calculation. server string to sign "
                f"is:{string_to_sign}",
                400,
            )
        nonce = headers["x-acs-signature-nonce"]
        with self._lock:
            self._nonces = {n: at for n, at in self._nonces.items() if at > now - SIGNATURE_WINDOW}
            if nonce in self._nonces:
                raise AliyunError(
                    "SignatureNonceUsed", "Specified signature nonce was used already.", 400
                )
            self._nonces[nonce] = now

    def _dispatch(self, action: str, version: str, params: dict[str, str]) -> dict[str, Any]:
        handlers = {
            "SendSms": self._send_sms,
            "SendBatchSms": self._send_batch_sms,
            "QuerySendDetails": self._query_send_details,
            "SingleCallByTts": self._single_call_by_tts,
        }
        if action not in handlers:
            raise AliyunError(
                "InvalidAction.NotFound",
                "Specified api is not found, please check your url and method.",
                404,
            )
        if version != API_VERSION:
            raise AliyunError(
                "InvalidVersion", f"Specified parameter Version is not valid: {version}", 400
            )
        return handlers[action](params)
