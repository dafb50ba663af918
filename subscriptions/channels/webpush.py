"""Web push (RFC 8030) with aes128gcm payload encryption (RFC 8291) and VAPID (RFC 8292)."""

import time
from urllib.parse import urlsplit

from django.conf import settings

import requests
from pywebpush import WebPusher

from subscriptions.channels import DeliveryError, Gone, Rejected
from subscriptions.vapid import signer

URGENCY = {True: "high", False: "normal"}
VAPID_LIFETIME = 12 * 3600


class PushSender:
    """Sends over one HTTP session; VAPID headers are signed once per push service and reused."""

    def __init__(self):
        self.session = requests.Session()
        self._vapid: dict[str, tuple[float, dict]] = {}

    def close(self):
        self.session.close()

    def _vapid_headers(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        cached = self._vapid.get(audience)
        now = time.time()
        if cached and cached[0] - now > 3600:
            return cached[1]
        expires = int(now) + VAPID_LIFETIME
        headers = signer().sign(
            {"aud": audience, "exp": expires, "sub": settings.LINLI_VAPID_SUBJECT}
        )
        self._vapid[audience] = (expires, headers)
        return headers

    def send(self, subscription, message) -> None:
        info = {
            "endpoint": subscription.push_endpoint,
            "keys": {"p256dh": subscription.push_p256dh, "auth": subscription.push_auth},
        }
        headers = {
            **self._vapid_headers(subscription.push_endpoint),
            "Urgency": URGENCY[bool(message.urgent)],
            "Topic": message.topic[:32],
        }
        try:
            pusher = WebPusher(info, requests_session=self.session)
            response = pusher.send(
                message.push_payload(),
                headers=headers,
                ttl=message.ttl,
                timeout=settings.LINLI_PUSH_TIMEOUT,
            )
        except requests.RequestException as exc:
            raise DeliveryError(f"push service unreachable: {exc}") from exc
        except Exception as exc:  # bad keys in the subscription
            raise Rejected(f"cannot encrypt for this subscription: {exc}") from exc
        status = response.status_code
        if status in (404, 410):
            raise Gone(f"push service answered {status}")
        if status in (400, 401, 403, 413):
            raise Rejected(f"push service answered {status}: {response.text[:200]}")
        if status >= 300:
            raise DeliveryError(f"push service answered {status}")
