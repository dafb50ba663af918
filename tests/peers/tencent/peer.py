"""Tencent Cloud SMS (2021-01-11) and VMS (2020-09-02) on loopback, TC3 signature checked.

Point the real SDK at it with an `http` HttpProfile whose endpoint is the peer::

    from tencentcloud.common.credential import Credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sms.v20210111.sms_client import SmsClient

    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=peer.endpoint))
    client = SmsClient(Credential(peer.secret_id, peer.secret_key), "ap-guangzhou", profile)

`VmsClient` (tencentcloud.vms.v20200902) is pointed the same way.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from .._http import HTTPPeer, PeerHandler, lower_headers
from .._signatures import tc3_signature, tc3_string_to_sign
from .._sms import (
    PeerClock,
    Receipt,
    SlidingLimits,
    SmsMessage,
    SmsPeerRecords,
    Template,
    VoiceCall,
)
from .actions import VARIABLE, TencentActions, TencentError
from .callbacks import TencentCallbacks

#: How far X-TC-Timestamp may be from the server's clock.
SIGNATURE_WINDOW = 5 * 60
SMS_REGIONS = frozenset({"ap-guangzhou", "ap-beijing", "ap-nanjing"})
#: Action -> (service in the credential scope, API version).
ACTIONS = {
    "SendSms": ("sms", "2021-01-11"),
    "PullSmsSendStatus": ("sms", "2021-01-11"),
    "PullSmsReplyStatus": ("sms", "2021-01-11"),
    "SendTtsVoice": ("vms", "2020-09-02"),
}
_AUTH = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<id>[^/\s]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)"
    r"/tc3_request,\s*SignedHeaders=(?P<signed>[a-z0-9;-]+),\s*Signature=(?P<signature>[0-9a-f]{64})"
)


class TencentPeer(SmsPeerRecords, TencentActions, TencentCallbacks, HTTPPeer):
    """SendSms, PullSmsSendStatus, PullSmsReplyStatus and SendTtsVoice, answered like Tencent.

    The TC3-HMAC-SHA256 signature of every request is recomputed with the SecretKey the
    peer was given: a bad one is answered `AuthFailure.SignatureFailure`, an X-TC-Timestamp
    more than 5 minutes off `AuthFailure.SignatureExpire`, an unknown SecretId
    `AuthFailure.SecretIdNotFound`; always HTTP 200 with `Response.Error`, which the SDK
    raises as `TencentCloudSDKException`. A request that passes is checked as Tencent
    checks it (SdkAppId, signature name, template, parameters, lengths) and each number gets
    its own entry in `SendStatusSet`: `Code: "Ok"` with its `Fee` (messages billed), or a
    per-number refusal such as `LimitExceeded.PhoneNumberThirtySecondLimit` (the default
    rule: one identical text per number per 30 s). Refusals are recorded in `rejections`.
    """

    def __init__(
        self,
        secret_id: str = "AKIDLinliPeerSecretId",  # noqa: S107 - a test identifier
        secret_key: str | None = None,
    ) -> None:
        super().__init__()
        self.secret_id = secret_id
        self.secret_key = secret_key or secrets.token_urlsafe(24)
        self.sdk_app_id = "1400000001"
        self.voice_sdk_app_id = "1400000002"
        self.clock = PeerClock()
        self.same_content_limits = SlidingLimits({30: 1})
        self.hourly_limits = SlidingLimits({3600: 5})
        self.daily_limits = SlidingLimits({2 * 86400: 10})
        self.voice_limits = SlidingLimits({30: 1, 3600: 5, 2 * 86400: 10})
        #: Tencent limits one variable to 12 characters for accounts verified as a person;
        #: organisations have no such limit (None).
        self.variable_max_chars: int | None = None
        self.out_of_credit = False
        self._signs: set[str] = set()
        self._templates: dict[str, Template] = {}
        self._tts_templates: dict[str, Template] = {}
        self._blocked: set[str] = set()
        self._messages: list[SmsMessage] = []
        self._calls: list[VoiceCall] = []
        self._receipts: dict[str, Receipt] = {}
        self._unpulled_reports: list[dict[str, Any]] = []
        self._unpulled_replies: list[dict[str, Any]] = []
        self._rejections: list[str] = []
        self._attempts = 0

    # -- setup ------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """`127.0.0.1:<port>`, the HttpProfile's `endpoint` (with `protocol="http"`)."""
        return f"127.0.0.1:{self.port}"

    def add_sign(self, name: str) -> None:
        """Register an approved signature name (签名), e.g. "临里街道"."""
        self._signs.add(name)

    def add_template(self, template_id: str, text: str, kind: str = "notify") -> Template:
        """Register an approved SMS template, "notify" or "verify"; variables are "{1}", "{2}"."""
        if kind not in ("notify", "verify"):
            raise ValueError(f"unknown template kind {kind!r}")
        template = Template(template_id, text, kind, _positions(text))
        self._templates[template_id] = template
        return template

    def add_tts_template(self, template_id: str, text: str) -> Template:
        """Register an approved voice-notification template for SendTtsVoice."""
        template = Template(template_id, text, "tts", _positions(text))
        self._tts_templates[template_id] = template
        return template

    def block(self, phone: str) -> None:
        """Put a number on the do-not-disturb list (免打扰): sends to it are refused."""
        self._blocked.add(phone)

    # -- records: SmsPeerRecords ----------------------------------------------------

    def clear(self) -> None:
        """Forget messages, calls, reports, rejections and counters; setup stays."""
        with self._lock:
            for records in (
                self._messages,
                self._calls,
                self._rejections,
                self._unpulled_reports,
                self._unpulled_replies,
            ):
                records.clear()
            self._receipts.clear()
            self._attempts = 0
            for limits in (
                self.same_content_limits,
                self.hourly_limits,
                self.daily_limits,
                self.voice_limits,
            ):
                limits.clear()

    # -- serving ----------------------------------------------------------------------

    def _on_post(self, handler: PeerHandler, body: bytes) -> None:
        headers = lower_headers(handler.headers.items())
        action = headers.get("x-tc-action", "")
        with self._lock:
            self._attempts += 1
            self._changed.notify_all()
        try:
            self._verify(handler.command, handler.path, headers, body, action)
            try:
                params = json.loads(body or b"{}")
            except ValueError as error:
                raise TencentError("InvalidParameter", "The request body is not JSON.") from error
            if not isinstance(params, dict):
                raise TencentError("InvalidParameter", "The request body is not a JSON object.")
            answer = self._dispatch(action, params)
        except TencentError as error:
            self._refused(action, error)
            answer = {"Error": {"Code": error.code, "Message": error.message}}
        answer["RequestId"] = str(uuid.uuid4())
        body_out = json.dumps({"Response": answer}, ensure_ascii=False).encode("utf-8")
        # Exactly "application/json": the SDK only looks for Response.Error under that type.
        handler.reply(200, body_out, content_type="application/json")

    def _refused(self, action: str, error: TencentError) -> None:
        with self._lock:
            self._rejections.append(f"{action}: {error.code}: {error.message}")
            self._changed.notify_all()

    def _verify(
        self, method: str, target: str, headers: dict[str, str], body: bytes, action: str
    ) -> None:
        match = _AUTH.fullmatch(headers.get("authorization", "").strip())
        signed = match["signed"].split(";") if match else []
        if match is None or not {"content-type", "host"} <= set(signed) <= set(headers):
            raise TencentError(
                "AuthFailure.InvalidAuthorization",
                "Authorization header does not conform to the TC3-HMAC-SHA256 standard.",
            )
        if match["id"] != self.secret_id:
            raise TencentError("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        if action not in ACTIONS:
            raise TencentError("InvalidAction", f"The action `{action}` is not found.")
        service, version = ACTIONS[action]
        if headers.get("x-tc-version") != version:
            raise TencentError("NoSuchVersion", f"The API version is not {version}.")
        try:
            timestamp = int(headers.get("x-tc-timestamp", ""))
        except ValueError as error:
            raise TencentError("MissingParameter", "X-TC-Timestamp is missing.") from error
        if abs(time.time() - timestamp) > SIGNATURE_WINDOW:
            raise TencentError(
                "AuthFailure.SignatureExpire",
                "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
            )
        date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        scope = f"{match['date']}/{match['service']}/tc3_request"
        string_to_sign = tc3_string_to_sign(
            method, target, headers, signed, body, str(timestamp), scope
        )
        expected = tc3_signature(self.secret_key, match["date"], match["service"], string_to_sign)
        if (
            match["date"] != date
            or match["service"] != service
            or not secrets.compare_digest(expected, match["signature"])
        ):
            raise TencentError(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. "
                "Please check your signature is correct.",
            )
        region = headers.get("x-tc-region")
        if service == "sms" and not region:
            raise TencentError("MissingParameter", "The request is missing `Region`.")
        if service == "sms" and region not in SMS_REGIONS:
            raise TencentError("UnsupportedRegion", f"The region `{region}` is not supported.")


def _positions(text: str) -> tuple[str, ...]:
    numbers = sorted({int(n) for n in VARIABLE.findall(text)})
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"template variables must be {{1}}..{{n}}: {text!r}")
    return tuple(str(n) for n in numbers)
