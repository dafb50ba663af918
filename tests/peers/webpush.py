"""A Web Push service on loopback: checks VAPID (RFC 8292), decrypts aes128gcm (RFC 8291)."""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import struct
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ._http import HTTPPeer, PeerHandler, StatusScript, lower_headers

#: Largest encrypted body a push service must accept (RFC 8291 section 4).
MAX_PAYLOAD = 4096
#: Longest VAPID token lifetime a push service accepts (RFC 8292 section 2).
MAX_EXP_AHEAD = 24 * 60 * 60
URGENCIES = frozenset({"very-low", "low", "normal", "high"})

_PUSH_PATH = re.compile(r"/push/([A-Za-z0-9_-]+)")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_TTL = re.compile(r"[0-9]+")
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dataclass(frozen=True)
class PushMessage:
    """One push message the service accepted, decrypted."""

    subscription_id: str
    endpoint: str
    headers: dict[str, str]
    ttl: int
    urgency: str | None
    topic: str | None
    payload: bytes
    json: Any
    vapid_claims: dict[str, Any]
    vapid_public_key: str


@dataclass(frozen=True)
class _Subscription:
    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes


class _Rejected(Exception):
    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


def b64url_encode(data: bytes) -> str:
    """Base64url without padding, as Web Push keys and JWT segments are written."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(value: str, what: str) -> bytes:
    if not _B64URL.fullmatch(value) or len(value) % 4 == 1:
        raise _Rejected(f"{what} is not unpadded base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise _Rejected(f"{what} is not base64url: {error}") from error


class PushPeer(HTTPPeer):
    """A push service at `http://127.0.0.1:<port>` that accepts `POST /push/<id>`.

    Every request is checked the way a real push service checks it; a failed check is
    answered 400 (413 for an oversized body) and recorded in `rejections`. Accepted
    messages are recorded only when the scripted status is 2xx.
    """

    def __init__(self) -> None:
        super().__init__()
        self._subscriptions: dict[str, _Subscription] = {}
        self._scripts: dict[str, StatusScript] = {}
        self._messages: list[PushMessage] = []
        self._rejections: list[str] = []
        self._attempts: defaultdict[str, int] = defaultdict(int)

    # -- setup ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The service origin, which is also the `aud` a VAPID token must name."""
        return self.origin

    def new_subscription(self) -> dict[str, Any]:
        """A fresh browser-style PushSubscription JSON for this service."""
        private_key = ec.generate_private_key(ec.SECP256R1())
        public_point = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        auth = secrets.token_bytes(16)
        sub_id = secrets.token_urlsafe(16)
        endpoint = f"{self.url}/push/{sub_id}"
        with self._lock:
            self._subscriptions[sub_id] = _Subscription(sub_id, endpoint, private_key, auth)
        return {
            "endpoint": endpoint,
            "keys": {"p256dh": b64url_encode(public_point), "auth": b64url_encode(auth)},
        }

    def subscription_id(self, endpoint_or_id: str) -> str:
        """The id part of an endpoint URL (an id is returned unchanged)."""
        if "/" not in endpoint_or_id:
            return endpoint_or_id
        match = _PUSH_PATH.fullmatch(urlsplit(endpoint_or_id).path)
        if match is None:
            raise ValueError(f"not a push endpoint of this peer: {endpoint_or_id!r}")
        return match[1]

    def respond(
        self, endpoint_or_id: str, statuses: list[int], *, retry_after: int | None = None
    ) -> None:
        """Answer the next valid POSTs to a subscription with `statuses`, then repeat the last.

        With `retry_after`, error answers carry `Retry-After: <seconds>`.
        """
        sub_id = self.subscription_id(endpoint_or_id)
        with self._lock:
            self._scripts.setdefault(sub_id, StatusScript(201)).set(statuses, retry_after)

    def gone(self, endpoint_or_id: str) -> None:
        """Answer 410 Gone for the subscription from now on."""
        self.respond(endpoint_or_id, [410])

    # -- records ----------------------------------------------------------------------

    @property
    def messages(self) -> list[PushMessage]:
        """Accepted messages, oldest first."""
        with self._lock:
            return list(self._messages)

    @property
    def rejections(self) -> list[str]:
        """One line per request that failed a check: `<subscription id>: <reason>`."""
        with self._lock:
            return list(self._rejections)

    @property
    def attempts(self) -> int:
        """POSTs received for any subscription, whatever the answer."""
        with self._lock:
            return sum(self._attempts.values())

    def messages_for(self, endpoint_or_id: str) -> list[PushMessage]:
        """Accepted messages for one subscription."""
        sub_id = self.subscription_id(endpoint_or_id)
        return [message for message in self.messages if message.subscription_id == sub_id]

    def attempts_for(self, endpoint_or_id: str) -> int:
        """POSTs received for one subscription, whatever the answer."""
        sub_id = self.subscription_id(endpoint_or_id)
        with self._lock:
            return self._attempts.get(sub_id, 0)

    def wait_for(self, count: int, timeout: float = 10) -> list[PushMessage]:
        """Block until at least `count` messages were accepted; return them all."""

        def describe() -> str:
            return (
                f"expected at least {count} push message(s) within {timeout}s, "
                f"got {len(self._messages)}; attempts: {dict(self._attempts)}; "
                f"rejections: {self._rejections}"
            )

        self._wait_until(lambda: len(self._messages) >= count, timeout, describe)
        return self.messages

    def clear(self) -> None:
        """Forget messages, rejections and attempt counts; subscriptions and scripts stay."""
        with self._lock:
            self._messages.clear()
            self._rejections.clear()
            self._attempts.clear()

    # -- serving ----------------------------------------------------------------------

    def _on_post(self, handler: PeerHandler, body: bytes) -> None:
        match = _PUSH_PATH.fullmatch(urlsplit(handler.path).path)
        if match is None:
            handler.reply(404, b"no such push resource\n")
            return
        sub_id = match[1]
        with self._lock:
            self._attempts[sub_id] += 1
            subscription = self._subscriptions.get(sub_id)
            self._changed.notify_all()
        if subscription is None:
            handler.reply(404, b"unknown subscription\n")
            return
        headers = lower_headers(handler.headers.items())
        try:
            message = self._accept(subscription, headers, body)
        except _Rejected as rejected:
            with self._lock:
                self._rejections.append(f"{sub_id}: {rejected}")
                self._changed.notify_all()
            handler.reply(rejected.status, f"{rejected}\n".encode())
            return
        with self._lock:
            script = self._scripts.setdefault(sub_id, StatusScript(201))
            status = script.next()
            extra = script.error_headers(status)
            if 200 <= status < 300:
                self._messages.append(message)
            self._changed.notify_all()
        if status == 201:
            location = f"{self.url}/message/{secrets.token_urlsafe(12)}"
            handler.reply(201, headers={"Location": location})
        else:
            handler.reply(status, f"scripted status {status}\n".encode(), extra)

    def _accept(
        self, subscription: _Subscription, headers: dict[str, str], body: bytes
    ) -> PushMessage:
        claims, public_key = self._check_vapid(headers)
        ttl_header = headers.get("ttl")
        if ttl_header is None:
            raise _Rejected("missing TTL header")
        if not _TTL.fullmatch(ttl_header.strip()):
            raise _Rejected(f"TTL must be a non-negative integer, got {ttl_header!r}")
        urgency = headers.get("urgency")
        if urgency is not None and urgency not in URGENCIES:
            raise _Rejected(f"Urgency must be one of {sorted(URGENCIES)}, got {urgency!r}")
        topic = headers.get("topic")
        if topic is not None and not _TOPIC.fullmatch(topic):
            raise _Rejected(f"Topic must be 1-32 base64url characters, got {topic!r}")
        if len(body) > MAX_PAYLOAD:
            raise _Rejected(f"body of {len(body)} bytes exceeds {MAX_PAYLOAD}", status=413)
        payload = self._decrypt(subscription, headers, body) if body else b""
        try:
            decoded = json.loads(payload) if payload else None
        except ValueError:
            decoded = None
        return PushMessage(
            subscription_id=subscription.id,
            endpoint=subscription.endpoint,
            headers=headers,
            ttl=int(ttl_header),
            urgency=urgency,
            topic=topic,
            payload=payload,
            json=decoded,
            vapid_claims=claims,
            vapid_public_key=public_key,
        )

    def _decrypt(self, subscription: _Subscription, headers: dict[str, str], body: bytes) -> bytes:
        encoding = headers.get("content-encoding")
        if encoding is None or encoding.strip().lower() != "aes128gcm":
            raise _Rejected(f"Content-Encoding must be aes128gcm, got {encoding!r}")
        try:
            return http_ece.decrypt(
                body,
                private_key=subscription.private_key,
                auth_secret=subscription.auth,
                version="aes128gcm",
            )
        except (http_ece.ECEException, ValueError, TypeError, struct.error) as error:
            raise _Rejected(f"payload does not decrypt: {error}") from error

    def _check_vapid(self, headers: dict[str, str]) -> tuple[dict[str, Any], str]:
        token, key = _vapid_credentials(headers)
        claims = _verify_jwt(token, key)
        aud = claims.get("aud")
        if aud != self.url:
            raise _Rejected(f"VAPID aud must be {self.url!r}, got {aud!r}")
        exp = claims.get("exp")
        now = time.time()
        if not isinstance(exp, int) or isinstance(exp, bool):
            raise _Rejected(f"VAPID exp must be an integer, got {exp!r}")
        if exp <= now:
            raise _Rejected(f"VAPID token expired at {exp} (now {int(now)})")
        if exp > now + MAX_EXP_AHEAD:
            raise _Rejected(f"VAPID exp {exp} is more than 24 hours ahead (now {int(now)})")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.startswith(("mailto:", "https:")):
            raise _Rejected(f"VAPID sub must be a mailto: or https: URL, got {sub!r}")
        return claims, key


def _vapid_credentials(headers: dict[str, str]) -> tuple[str, str]:
    """(JWT, public key) from `vapid t=..,k=..` or the older `WebPush <jwt>` + Crypto-Key."""
    authorization = headers.get("authorization")
    if not authorization:
        raise _Rejected("missing Authorization header")
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme.lower() == "vapid":
        params: dict[str, str] = {}
        for part in rest.split(","):
            name, sep, value = part.strip().partition("=")
            if sep:
                params[name.strip().lower()] = value.strip()
        if "t" not in params or "k" not in params:
            raise _Rejected("vapid Authorization needs both t= and k=")
        return params["t"], params["k"].rstrip("=")
    if scheme.lower() == "webpush":
        for item in re.split(r"[;,]", headers.get("crypto-key", "")):
            name, _, value = item.strip().partition("=")
            if name.lower() == "p256ecdsa" and value:
                return rest.strip(), value.strip().rstrip("=")
        raise _Rejected("WebPush Authorization without a Crypto-Key p256ecdsa= key")
    raise _Rejected(f"unsupported Authorization scheme {scheme!r}")


def _verify_jwt(token: str, key: str) -> dict[str, Any]:
    """Check an ES256 JWT against a raw P-256 public key and return its claims."""
    parts = token.split(".")
    if len(parts) != 3:
        raise _Rejected("VAPID JWT must have three dot-separated parts")
    header_b64, claims_b64, signature_b64 = parts
    try:
        header = json.loads(_b64url_decode(header_b64, "JWT header"))
        claims = json.loads(_b64url_decode(claims_b64, "JWT claims"))
    except ValueError as error:
        raise _Rejected(f"VAPID JWT is not JSON: {error}") from error
    if not isinstance(header, dict) or header.get("alg") != "ES256":
        raise _Rejected(f"VAPID JWT alg must be ES256, header was {header!r}")
    if not isinstance(claims, dict):
        raise _Rejected("VAPID JWT claims must be an object")
    signature = _b64url_decode(signature_b64, "JWT signature")
    if len(signature) != 64:
        raise _Rejected(f"JWT signature must be 64 bytes (r||s), got {len(signature)}")
    point = _b64url_decode(key, "VAPID public key k")
    try:
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as error:
        raise _Rejected(f"VAPID public key is not a P-256 point: {error}") from error
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(
            der, f"{header_b64}.{claims_b64}".encode("ascii"), ec.ECDSA(hashes.SHA256())
        )
    except InvalidSignature as error:
        raise _Rejected("VAPID JWT signature does not match the public key k") from error
    return claims
