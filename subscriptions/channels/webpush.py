"""Web push (RFC 8030) with aes128gcm payload encryption (RFC 8291) and VAPID (RFC 8292)."""

import base64
import ipaddress
import os
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import urllib3
from pywebpush import WebPusher
from requests.utils import (
    DEFAULT_CA_BUNDLE_PATH,
    get_auth_from_url,
    get_environ_proxies,
    select_proxy,
)

from subscriptions.channels import DeliveryError, Gone, Rejected
from subscriptions.channels.base import SELF, Channel
from subscriptions.channels.registry import register
from subscriptions.errors import message as error_message
from subscriptions.vapid import signer

URGENCY = {True: "high", False: "normal"}
VAPID_LIFETIME = 12 * 3600


def _b64url_bytes(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def endpoint_allowed(url: str) -> bool:
    """Push services are public https hosts; others only where settings allow (tests)."""
    parts = urlsplit(url)
    if settings.LINLI_PUSH_ALLOW_PRIVATE_ENDPOINTS:
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    if parts.scheme != "https" or not parts.hostname:
        return False
    if parts.hostname == "localhost" or parts.hostname.endswith(".local"):
        return False
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return True
    return address.is_global


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


def _ca_bundle() -> dict:
    """The certificates to trust, from the environment as requests reads them."""
    path = (
        os.environ.get("REQUESTS_CA_BUNDLE")
        or os.environ.get("CURL_CA_BUNDLE")
        or DEFAULT_CA_BUNDLE_PATH
    )
    return {"ca_cert_dir": path} if os.path.isdir(path) else {"ca_certs": path}


def _pool_manager(proxy: str | None) -> urllib3.PoolManager:
    options = {"num_pools": 20, "cert_reqs": "CERT_REQUIRED", **_ca_bundle()}
    if not proxy:
        return urllib3.PoolManager(**options)
    username, password = get_auth_from_url(proxy)
    auth = urllib3.make_headers(proxy_basic_auth=f"{username}:{password}") if username else None
    return urllib3.ProxyManager(proxy, proxy_headers=auth, **options)


class PushSender:
    """Sends over kept-alive connections, kept by the worker process from batch to batch.

    Per push service (origin) it signs the VAPID headers once, reused until an
    hour before they expire, and reads the proxy settings from the environment
    once (`HTTPS_PROXY`, `NO_PROXY` …, and `REQUESTS_CA_BUNDLE`, as requests
    would on every request). It talks to urllib3, the HTTP layer of requests,
    directly: requests' own work per request (preparing it, merging session
    settings, cookies, hooks, reading the environment) cost more CPU than
    encrypting the message.
    """

    def __init__(self):
        self._vapid: dict[str, tuple[float, dict]] = {}
        self._routes: dict[str, urllib3.PoolManager] = {}
        self._managers: dict[str | None, urllib3.PoolManager] = {}

    def close(self):
        for manager in self._managers.values():
            manager.clear()

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

    def _manager(self, audience: str) -> urllib3.PoolManager:
        """Direct, or through the proxy the environment names for this push service."""
        if audience not in self._routes:
            proxy = select_proxy(audience, get_environ_proxies(audience))
            if proxy not in self._managers:
                self._managers[proxy] = _pool_manager(proxy)
            self._routes[audience] = self._managers[proxy]
        return self._routes[audience]

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
            response = self._manager(audience).urlopen(
                "POST",
                address.address,
                body=body,
                headers=headers,
                timeout=settings.LINLI_PUSH_TIMEOUT,
                retries=False,
                redirect=False,
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
