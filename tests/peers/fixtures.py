"""Pytest fixtures for the loopback peers; a conftest takes them with `from tests.peers.fixtures import *`."""

from collections.abc import Iterator

import pytest

from .smtp import SmtpPeer
from .webhook import WebhookPeer
from .webpush import PushPeer

__all__ = ["push_peer", "smtp_peer", "webhook_peer"]


@pytest.fixture
def smtp_peer(settings) -> Iterator[SmtpPeer]:
    """A running SMTP peer, with Django's SMTP backend pointed at it for this test."""
    with SmtpPeer() as peer:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = peer.host
        settings.EMAIL_PORT = peer.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield peer


@pytest.fixture
def push_peer() -> Iterator[PushPeer]:
    """A running Web Push service; make subscriptions with `push_peer.new_subscription()`."""
    with PushPeer() as peer:
        yield peer


@pytest.fixture
def webhook_peer() -> Iterator[WebhookPeer]:
    """A running Standard Webhooks receiver with a fresh `whsec_` secret."""
    with WebhookPeer() as peer:
        yield peer
