"""Webhooks signed per Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1)."""

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import urllib3

from subscriptions.channels import DeliveryError, Gone
from subscriptions.channels.base import Channel, Unavailable
from subscriptions.channels.registry import register
from subscriptions.outbound import Destinations, Transport

logger = logging.getLogger("linli.push")

PREFIX = "whsec_"
# Gateways are public hosts, or internal ones an administrator listed.
DESTINATIONS = Destinations("LINLI_WEBHOOK_INTERNAL_HOSTS", schemes=("https", "http"))


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
        self.transport = Transport(DESTINATIONS)

    def close(self):
        self.transport.close()

    def send(self, endpoint, message, *, key: str) -> None:
        # The same webhook-id on every attempt lets the gateway drop a repeat after a crash.
        msg_id = f"msg_{key}"
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
            response = self.transport.post(
                endpoint.url, body=body, headers=headers, timeout=settings.LINLI_PUSH_TIMEOUT
            )
        except urllib3.exceptions.HTTPError as exc:
            raise DeliveryError(f"gateway unreachable: {exc}") from exc
        if response.status == 410:
            raise Gone("gateway answered 410 Gone")
        if not 200 <= response.status < 300:
            raise DeliveryError(f"gateway answered {response.status}")


class Webhook(Channel):
    """Gateways registered by staff (`WebhookEndpoint`), not resident addresses."""

    code = "webhook"
    label = _("网关回调")
    uses_addresses = False
    sender_class = WebhookSender

    def recipient(self, delivery):
        endpoint = delivery.endpoint
        if endpoint is None:
            raise Unavailable("recipient deleted")
        if not endpoint.active:
            raise Unavailable("gateway disabled")
        return endpoint, endpoint.locale

    def gone(self, delivery, reason: str) -> None:
        from subscriptions.models import WebhookEndpoint

        if delivery.endpoint_id:
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
                active=False,
                disabled_reason=f"{timezone.localtime():%Y-%m-%d %H:%M} {reason}"[:300],
            )
            logger.warning("webhook endpoint %s disabled: %s", delivery.endpoint_id, reason)

    def extra_rows(self, notification, planner) -> list:
        """Matching gateways; a correction goes only to those told about an earlier version."""
        from subscriptions.audience import endpoints_matching
        from subscriptions.models import Delivery, Notification

        n = notification
        if n.kind == Notification.Kind.DIGEST:
            return []
        endpoints = endpoints_matching(type=n.type, community=n.community, audience=n.audience)
        if n.kind == Notification.Kind.CORRECTION:
            told = set(
                Delivery.objects.filter(
                    notification__translation_key=n.translation_key,
                    notification__kind=Notification.Kind.PUBLISHED,
                    notification__pk__lt=n.pk,
                    channel=self.code,
                    status=Delivery.Status.SENT,
                ).values_list("endpoint_id", flat=True)
            )
            endpoints = [e for e in endpoints if e.pk in told]
        return [
            planner.row(channel=self.code, quiet=(e.quiet_start, e.quiet_end), endpoint_id=e.pk)
            for e in endpoints
        ]


register(Webhook())
