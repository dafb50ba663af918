"""Web push (RFC 8030) with aes128gcm payload encryption (RFC 8291) and VAPID (RFC 8292)."""

import os
import time
from urllib.parse import urlsplit

from django.conf import settings

import urllib3
from pywebpush import WebPusher
from requests.utils import (
    DEFAULT_CA_BUNDLE_PATH,
    get_auth_from_url,
    get_environ_proxies,
    select_proxy,
)

from subscriptions.channels import DeliveryError, Gone, Rejected
from subscriptions.vapid import signer

URGENCY = {True: "high", False: "normal"}
VAPID_LIFETIME = 12 * 3600


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

    def send(self, subscription, message) -> None:
        audience = origin(subscription.push_endpoint)
        info = {
            "endpoint": subscription.push_endpoint,
            "keys": {"p256dh": subscription.push_p256dh, "auth": subscription.push_auth},
        }
        try:
            body = WebPusher(info).encode(message.push_payload)["body"]
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
                subscription.push_endpoint,
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
