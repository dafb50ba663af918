"""WeChat set up against the outbox or the loopback official-account peer.

The peer is given the template content docs/push.md tells the street office to
pick (`TEMPLATE_CONTENT`), so a test fails if what the hub says the resident
reads and what WeChat renders from the same keywords ever differ.
"""

import json
from pathlib import Path

import pytest

from subscriptions.channels.wechat import TEMPLATE_CONTENT
from subscriptions.factories import AddressFactory, SubscriptionFactory

TEMPLATE_ID = "Kx3_linli_notice_template_01"
SENDER = "临里街道办事处"
WECHAT_UA = "Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0.50.2701 NetType/WIFI"


class Outbox:
    """The outbox folder as a resident's WeChat: every template message written, oldest first."""

    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self) -> list[dict]:
        files = sorted(self.folder.glob("*.json")) if self.folder.exists() else []
        return [json.loads(path.read_text(encoding="utf-8")) for path in files]

    def to(self, openid: str) -> list[dict]:
        return [message for message in self.messages() if message["to"] == openid]


def _common(settings, provider: str) -> None:
    settings.LINLI_WECHAT_PROVIDER = provider
    settings.LINLI_WECHAT_TEMPLATE_ID = TEMPLATE_ID
    settings.LINLI_WECHAT_SENDER_NAME = SENDER


@pytest.fixture
def wechat_outbox(settings, tmp_path) -> Outbox:
    """Template messages written to a fresh outbox folder."""
    _common(settings, "outbox")
    settings.LINLI_OUTBOX_DIR = str(tmp_path / "outbox")
    return Outbox(tmp_path / "outbox" / "wechat")


@pytest.fixture
def wechat_account(settings, wechat_peer):
    """The hub's service account at the WeChat peer, with the documented template picked."""
    _common(settings, "wechat")
    wechat_peer.add_template(TEMPLATE_ID, TEMPLATE_CONTENT, title="社区通知")
    settings.LINLI_WECHAT_APP_ID = wechat_peer.appid
    settings.LINLI_WECHAT_APP_SECRET = wechat_peer.secret
    settings.LINLI_WECHAT_TOKEN = wechat_peer.token
    settings.LINLI_WECHAT_API_BASE_URL = wechat_peer.api_base_url
    settings.LINLI_WECHAT_OAUTH_API_BASE_URL = wechat_peer.oauth_api_base_url
    settings.LINLI_WECHAT_OAUTH_BASE_URL = wechat_peer.oauth_base_url
    return wechat_peer


def wechat_subscriber(openid: str, **kwargs):
    """A subscription reached in WeChat at a bound openid."""
    subscription = SubscriptionFactory(**kwargs)
    AddressFactory(subscription=subscription, channel="wechat", address=openid)
    return subscription
