"""Voice calls set up against the outbox or a provider's loopback peer, with the documented
text-to-speech templates registered there word for word (`Template.for_provider`), so a
test fails if what the hub says it will speak and what the provider speaks ever differ."""

import pytest

from subscriptions.channels.voice import TEMPLATES
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.tests.sms_fixtures import CALLBACK_TOKEN, SIGN, Outbox

CODES = {
    "aliyun": {"urgent": "TTS_470001", "correction": "TTS_470002"},
    "tencent": {"urgent": "3001", "correction": "3002"},
}


def _common(settings, provider: str) -> None:
    settings.LINLI_VOICE_PROVIDER = provider
    settings.LINLI_SMS_SIGN_NAME = SIGN
    settings.LINLI_SMS_CALLBACK_TOKEN = CALLBACK_TOKEN
    settings.LINLI_VOICE_TEMPLATES = dict(CODES.get(provider) or {name: name for name in TEMPLATES})


@pytest.fixture
def voice_outbox(settings, tmp_path) -> Outbox:
    """Calls written to a fresh outbox folder (the same folder as the SMS outbox's)."""
    _common(settings, "outbox")
    settings.LINLI_OUTBOX_DIR = str(tmp_path / "outbox")
    return Outbox(tmp_path / "outbox" / "voice")


@pytest.fixture
def voice_aliyun(settings, aliyun_peer):
    """Calls through Aliyun's Dyvmsapi SDK to its peer, the TTS templates approved there."""
    _common(settings, "aliyun")
    for name, template in TEMPLATES.items():
        aliyun_peer.add_tts_template(CODES["aliyun"][name], template.for_provider("aliyun"))
    settings.LINLI_VOICE_ALIYUN_ACCESS_KEY_ID = aliyun_peer.access_key_id
    settings.LINLI_VOICE_ALIYUN_ACCESS_KEY_SECRET = aliyun_peer.access_key_secret
    settings.LINLI_VOICE_ALIYUN_ENDPOINT = f"http://{aliyun_peer.endpoint}"
    return aliyun_peer


@pytest.fixture
def voice_tencent(settings, tencent_peer):
    """Calls through Tencent Cloud's VMS SDK to its peer, the TTS templates approved there."""
    _common(settings, "tencent")
    for name, template in TEMPLATES.items():
        tencent_peer.add_tts_template(CODES["tencent"][name], template.for_provider("tencent"))
    settings.LINLI_VOICE_TENCENT_SECRET_ID = tencent_peer.secret_id
    settings.LINLI_VOICE_TENCENT_SECRET_KEY = tencent_peer.secret_key
    settings.LINLI_VOICE_TENCENT_SDK_APP_ID = tencent_peer.voice_sdk_app_id
    settings.LINLI_VOICE_TENCENT_ENDPOINT = f"http://{tencent_peer.endpoint}"
    return tencent_peer


def voice_subscriber(phone: str = "+8613800138000", **kwargs):
    """A subscription that asked for calls about urgent notices, at a confirmed number."""
    subscription = SubscriptionFactory(**kwargs)
    AddressFactory(subscription=subscription, channel="voice", address=phone)
    return subscription
