"""Real protocol peers on loopback for tests: SMTP, a Web Push service, a webhook receiver."""

from .sink import FastSink
from .smtp import SmtpMessage, SmtpPeer
from .webhook import WebhookMessage, WebhookPeer
from .webpush import PushMessage, PushPeer

__all__ = [
    "FastSink",
    "PushMessage",
    "PushPeer",
    "SmtpMessage",
    "SmtpPeer",
    "WebhookMessage",
    "WebhookPeer",
]
