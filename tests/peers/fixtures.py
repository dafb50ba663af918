"""Pytest fixtures for the loopback peers; a conftest takes them with `from tests.peers.fixtures import *`."""

from collections.abc import Iterator

import pytest

from .aliyun import AliyunPeer
from .inbox import InboxPeer
from .smtp import SmtpPeer
from .tencent import TencentPeer
from .webhook import WebhookPeer
from .webpush import PushPeer
from .wechat import WeChatPeer

__all__ = [
    "aliyun_peer",
    "inbox_peer",
    "push_peer",
    "smtp_peer",
    "tencent_peer",
    "webhook_peer",
    "wechat_peer",
]


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


@pytest.fixture
def aliyun_peer() -> Iterator[AliyunPeer]:
    """A running Aliyun SMS + voice API with a fresh AccessKey secret; register signature
    names and templates with `add_sign`, `add_template`, `add_tts_template`."""
    with AliyunPeer() as peer:
        yield peer


@pytest.fixture
def tencent_peer() -> Iterator[TencentPeer]:
    """A running Tencent Cloud SMS + VMS API with a fresh SecretKey; register signature
    names and templates with `add_sign`, `add_template`, `add_tts_template`."""
    with TencentPeer() as peer:
        yield peer


@pytest.fixture
def wechat_peer() -> Iterator[WeChatPeer]:
    """A running WeChat official-account API with a fresh AppSecret and server Token;
    add followers and templates with `add_follower`, `add_template`."""
    with WeChatPeer() as peer:
        yield peer


@pytest.fixture
def inbox_peer() -> Iterator[InboxPeer]:
    """A running receiver standing in for a callback URL; set `answer` to script replies."""
    with InboxPeer() as peer:
        yield peer
