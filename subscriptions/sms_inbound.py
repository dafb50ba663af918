"""What residents text back: a stop word (TD, T, 退订, 取消) unsubscribes that number.

The providers' reply callbacks and `manage.py channel_inbound sms <phone> <text>`
both come here, so the outbox in `make run` and the tests take the same path
as a real reply.
"""

import unicodedata

from subscriptions.channels.sms import phone_e164
from subscriptions.models import Address
from subscriptions.operations import subscription_unsubscribe

# The words carriers and both providers treat as "stop" (Tencent also blocks the
# number on its side; the hub must stop on its own for Aliyun and the outbox).
STOP_WORDS = frozenset({"TD", "T", "退订", "取消"})
_TRIM = " \t\r\n.,;:!?。，；：！？、\"'“”‘’()（）【】[]"


def stop_word(text: str) -> str | None:
    """The stop word a reply says, whatever its width, case or punctuation; else None."""
    word = unicodedata.normalize("NFKC", text).strip(_TRIM).upper()
    return word if word in STOP_WORDS else None


def sms_inbound(*, phone: str, text: str) -> int:
    """Act on one reply; returns how many subscriptions stopped texting that number."""
    number = phone_e164(phone)
    word = stop_word(text)
    if number is None or word is None:
        return 0
    subscription_ids = list(
        Address.objects.at("sms", number).values_list("subscription_id", flat=True)
    )
    for subscription_id in subscription_ids:
        subscription_unsubscribe(
            subscription_id=subscription_id, channel_code="sms", reason=f"短信回复 {word}"
        )
    return len(subscription_ids)
