"""Webhooks signed per Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1)."""

import base64
import hashlib
import hmac
import json
import secrets
import time

from django.conf import settings
from django.utils import timezone

import requests

from subscriptions.channels import DeliveryError, Gone

PREFIX = "whsec_"


def secret_new() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def payload(message, endpoint) -> bytes:
    notification = message.notification
    event = f"{notification.type or 'digest'}.{message.kind}"
    data = {
        "type": event,
        "timestamp": timezone.now().isoformat(),
        "data": {
            "notification": notification.pk,
            "kind": message.kind,
            "locale": message.locale,
            "audience": notification.audience,
            "community": notification.community or None,
            "urgent": message.urgent,
            "reason": notification.reason or None,
            "title": message.title,
            "text": message.body,
            "url": message.url,
            "item": message.item,
        },
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookSender:
    def __init__(self):
        self.session = requests.Session()

    def close(self):
        self.session.close()

    def send(self, endpoint, message, *, msg_id: str) -> None:
        body = payload(message, endpoint)
        timestamp = int(time.time())
        signatures = [signature(endpoint.secret, msg_id, timestamp, body)]
        rotating = (
            endpoint.previous_secret_until and endpoint.previous_secret_until > timezone.now()
        )
        if endpoint.previous_secret and rotating:
            # During a rotation both secrets sign, so the gateway can switch at its pace.
            signatures.append(signature(endpoint.previous_secret, msg_id, timestamp, body))
        headers = {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": " ".join(signatures),
        }
        try:
            response = self.session.post(
                endpoint.url, data=body, headers=headers, timeout=settings.LINLI_PUSH_TIMEOUT
            )
        except requests.RequestException as exc:
            raise DeliveryError(f"gateway unreachable: {exc}") from exc
        if response.status_code == 410:
            raise Gone("gateway answered 410 Gone")
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"gateway answered {response.status_code}")
