"""SMS set up against the outbox or a provider's loopback peer, with the documented templates.

The peers are given the very wording docs/push.md tells the street office to
register (`Template.for_provider`), so a test fails if what the hub renders
and what the provider renders from the same parameters ever differ.
"""

import json
from pathlib import Path

import pytest

from subscriptions.channels.sms import TEMPLATES
from subscriptions.factories import AddressFactory, SubscriptionFactory

SIGN = "临里街道"
CALLBACK_TOKEN = "cb-7f3a9c2e5d1b"
CODES = {
    "aliyun": {
        "notice": "SMS_460001",
        "urgent": "SMS_460002",
        "code": "SMS_460003",
        "carer_notice": "SMS_460004",
        "carer_urgent": "SMS_460005",
        "relay": "SMS_460006",
    },
    "tencent": {
        "notice": "2001",
        "urgent": "2002",
        "code": "2003",
        "carer_notice": "2004",
        "carer_urgent": "2005",
        "relay": "2006",
    },
}


class Outbox:
    """The outbox folder as a resident's phone: every message written, oldest first."""

    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self) -> list[dict]:
        files = sorted(self.folder.glob("*.json")) if self.folder.exists() else []
        return [json.loads(path.read_text(encoding="utf-8")) for path in files]

    def to(self, phone: str) -> list[dict]:
        return [message for message in self.messages() if message["to"] == phone]


def _common(settings, provider: str) -> None:
    settings.LINLI_SMS_PROVIDER = provider
    settings.LINLI_SMS_SIGN_NAME = SIGN
    settings.LINLI_SMS_CALLBACK_TOKEN = CALLBACK_TOKEN
    settings.LINLI_SMS_LINK_BASE = "http://testserver/s/"
    if provider in CODES:
        settings.LINLI_SMS_TEMPLATES = dict(CODES[provider])


@pytest.fixture
def sms_outbox(settings, tmp_path) -> Outbox:
    """SMS written to a fresh outbox folder."""
    _common(settings, "outbox")
    settings.LINLI_SMS_TEMPLATES = {name: name for name in TEMPLATES}
    settings.LINLI_OUTBOX_DIR = str(tmp_path / "outbox")
    return Outbox(tmp_path / "outbox" / "sms")


def aliyun_approve(peer) -> None:
    """Approve the signature and the documented templates at the Aliyun peer."""
    peer.add_sign(SIGN)
    for name, template in TEMPLATES.items():
        kind = "verify" if template.kind == "verify" else "notify"
        peer.add_template(CODES["aliyun"][name], template.for_provider("aliyun"), kind)


@pytest.fixture
def sms_aliyun(settings, aliyun_peer):
    """SMS through Aliyun's SDK to its peer, the signature and templates approved there."""
    _common(settings, "aliyun")
    aliyun_approve(aliyun_peer)
    settings.LINLI_SMS_ALIYUN_ACCESS_KEY_ID = aliyun_peer.access_key_id
    settings.LINLI_SMS_ALIYUN_ACCESS_KEY_SECRET = aliyun_peer.access_key_secret
    settings.LINLI_SMS_ALIYUN_ENDPOINT = f"http://{aliyun_peer.endpoint}"
    return aliyun_peer


@pytest.fixture
def sms_tencent(settings, tencent_peer):
    """SMS through Tencent Cloud's SDK to its peer, the signature and templates approved there."""
    _common(settings, "tencent")
    tencent_peer.add_sign(SIGN)
    for name, template in TEMPLATES.items():
        kind = "verify" if template.kind == "verify" else "notify"
        tencent_peer.add_template(CODES["tencent"][name], template.for_provider("tencent"), kind)
    settings.LINLI_SMS_TENCENT_SECRET_ID = tencent_peer.secret_id
    settings.LINLI_SMS_TENCENT_SECRET_KEY = tencent_peer.secret_key
    settings.LINLI_SMS_TENCENT_SDK_APP_ID = tencent_peer.sdk_app_id
    settings.LINLI_SMS_TENCENT_ENDPOINT = f"http://{tencent_peer.endpoint}"
    return tencent_peer


def phone_subscriber(phone: str = "+8613800138000", **kwargs):
    """A subscription reached by SMS at a confirmed number."""
    subscription = SubscriptionFactory(**kwargs)
    AddressFactory(subscription=subscription, channel="sms", address=phone)
    return subscription
