"""How often the subscription API texts a code to one number."""

from django.conf import settings
from django.http import HttpRequest

from core.http import over_budget
from subscriptions import address_crypto
from subscriptions.channels.sms import phone_e164
from subscriptions.errors import refusal


def phone_throttle(request: HttpRequest, phone, voice_phone=None) -> None:
    """Each number gets a code at most once a minute and LINLI_PHONE_CODE_RATE times an hour.

    Counted whether or not the number is subscribed anywhere, so the limit
    tells nothing about it; a number that is no mainland mobile is left to
    the serializer to refuse. The same number for texts and calls is one
    number: one code goes, and it is counted once.
    """
    counted = set()
    for field, value in (("phone", phone), ("voice_phone", voice_phone)):
        number = phone_e164(str(value or ""))
        if number is None or number in counted:
            continue
        counted.add(number)
        # Keyed: a plain SHA-256 of a mobile number is undone by trying them all.
        key = "phonerl:send:" + address_crypto.digest("sms", number)
        # A request refused within the minute does not use up the hour's budget.
        if over_budget(f"{key}:m", 1, 60) or over_budget(key, settings.LINLI_PHONE_CODE_RATE, 3600):
            raise refusal("rate_limited", "rate_limited_phone", field=field, status=429)
