"""Web push (RFC 8030) with aes128gcm payload encryption (RFC 8291) and VAPID (RFC 8292)."""

import base64
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import urllib3
from pywebpush import WebPusher

from subscriptions.channels import DeliveryError, Gone, Rejected
from subscriptions.channels.base import SELF, Channel
from subscriptions.channels.registry import register
from subscriptions.errors import message as error_message
from subscriptions.outbound import Destinations, Transport
from subscriptions.vapid import signer

URGENCY = {True: "high", False: "normal"}
VAPID_LIFETIME = 12 * 3600
# Push services are public https hosts; residents write the endpoints.
DESTINATIONS = Destinations("LINLI_PUSH_INTERNAL_HOSTS", schemes=("https",))


def _b64url_bytes(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def endpoint_allowed(url: str) -> bool:
    """A public https host (not a special-use name, not an internal address)."""
    return DESTINATIONS.refusal(url) is None


def p256dh_valid(value: str) -> bool:
    """An uncompressed P-256 point, base64url."""
    try:
        raw = _b64url_bytes(value)
    except ValueError:
        return False
    return len(raw) == 65 and raw[0] == 4


def auth_valid(value: str) -> bool:
    try:
        return len(_b64url_bytes(value)) == 16
    except ValueError:
        return False


def origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class PushSender:
    """Sends over kept-alive connections, kept by the worker process from batch to batch.

    Per push service (origin) it signs the VAPID headers once, reused until an
    hour before they expire; `subscriptions.outbound.Transport` checks where
    each message goes and keeps the connections.
    """

    def __init__(self):
        self._vapid: dict[str, tuple[float, dict]] = {}
        self.transport = Transport(DESTINATIONS)

    def close(self):
        self.transport.close()

    def _vapid_headers(self, audience: str) -> dict:
        cached = self._vapid.get(audience)
        now = time.time()
        # Reused until an hour before it expires (and signed anew if the clock went back).
        if cached and 3600 < cached[0] - now <= VAPID_LIFETIME:
            return cached[1]
        expires = int(now) + VAPID_LIFETIME
        headers = signer().sign(
            {"aud": audience, "exp": expires, "sub": settings.LINLI_VAPID_SUBJECT}
        )
        self._vapid[audience] = (expires, headers)
        return headers

    def send(self, address, message, *, key: str) -> None:
        """Send to one `Address` row: the endpoint, with its keys in `data`."""
        audience = origin(address.address)
        info = {
            "endpoint": address.address,
            "keys": {
                "p256dh": address.data.get("p256dh", ""),
                "auth": address.data.get("auth", ""),
            },
        }
        try:
            body = WebPusher(info).encode(message.push_payload(key))["body"]
        except Exception as exc:  # bad keys in the subscription
            raise Rejected(f"cannot encrypt for this subscription: {exc}") from exc
        headers = {
            **self._vapid_headers(audience),
            "Content-Encoding": "aes128gcm",
            "TTL": str(message.ttl),
            "Urgency": URGENCY[bool(message.urgent)],
            "Topic": message.topic[:32],
        }
        try:
            response = self.transport.post(
                address.address, body=body, headers=headers, timeout=settings.LINLI_PUSH_TIMEOUT
            )
        except urllib3.exceptions.HTTPError as exc:
            raise DeliveryError(f"push service unreachable: {exc}") from exc
        status = response.status
        if status in (404, 410):
            raise Gone(f"push service answered {status}")
        if status in (400, 401, 403, 413):
            text = response.data[:200].decode(errors="replace")
            raise Rejected(f"push service answered {status}: {text}")
        if status >= 300:
            raise DeliveryError(f"push service answered {status}")


class WebPush(Channel):
    """A browser's push subscription: confirmed by being handed over, switched off on 404/410."""

    code = "webpush"
    label = _("网页推送")
    confirmation = SELF
    # The browser keeps its push subscription: unsubscribing only switches it off.
    forget_on_unsubscribe = False
    # Kept-alive connections and warm VAPID caches are worth keeping between batches.
    sender_per_process = True
    sender_class = PushSender
    off_reason = "web push turned off"
    api_field = "web_push"
    # Shown at once where it works, but unreachable from many phones in the mainland.
    fallback_rank = 40

    def clean(self, address: str, data: dict) -> tuple[str, dict]:
        address = address.strip()
        if not endpoint_allowed(address) or len(address) > 1000:
            raise ValidationError({"endpoint": error_message("endpoint_not_public")})
        keys = {"p256dh": str(data.get("p256dh", "")), "auth": str(data.get("auth", ""))}
        if not p256dh_valid(keys["p256dh"]):
            raise ValidationError({"p256dh": error_message("p256dh_invalid")})
        if not auth_valid(keys["auth"]):
            raise ValidationError({"auth": error_message("auth_invalid")})
        return address, keys

    def from_api(self, value) -> tuple[str, dict] | None:
        return (value["endpoint"], dict(value["keys"])) if value else None

    def api_repr(self, address) -> dict:
        if address is None:
            return {"web_push": None}
        return {"web_push": {"endpoint": address.address, "active": address.active}}

    def api_export(self, address) -> dict:
        if address is None:
            return {"web_push": None}
        keys = {"p256dh": address.data.get("p256dh", ""), "auth": address.data.get("auth", "")}
        return {"web_push": {"endpoint": address.address, "keys": keys, "active": address.active}}


register(WebPush())
