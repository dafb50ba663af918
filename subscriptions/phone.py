"""Phone verification: a 6-digit code by SMS confirms a number, instead of a link.

The code is kept only as a keyed hash on the address (`Address.data`), with
its expiry and the tries left: valid 10 minutes, void after 5 wrong tries.
Confirming by number and code gives the same answer whether the number is
subscribed or not, so the endpoint tells a stranger nothing; how often codes
are sent to a number and how often a client may try are limited in the API
(`api.views.phone`).

Two channels reach a phone: text messages (`sms`) and voice calls for urgent
notices (`voice`), each an `Address` row of its own. A number is proved once
per subscription, whichever channel asked: a code waiting on one row covers
the other row at the same number (no second code is sent), the right code
confirms both, and a row added at a number the subscription has confirmed
already is confirmed without a code.
"""

import datetime
import logging
import re
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from subscriptions.channels import DeliveryError
from subscriptions.channels.sms import code_sms, number_scrubbed, phone_e164
from subscriptions.channels.sms_providers import provider_new
from subscriptions.models import Address
from subscriptions.operations import address_confirm

logger = logging.getLogger("linli.push")

CODE_DIGITS = 6
CODE_LIFETIME = datetime.timedelta(minutes=10)
MAX_TRIES = 5
_CODE = re.compile(r"[0-9]{6}")
_KEYS = ("code", "code_until", "tries")
# The channels whose address is a phone number proved by the code.
PHONE_CHANNELS = ("sms", "voice")


def _digest(address: Address, code: str) -> str:
    # Keyed by the address row and number: a code is worth nothing on another row.
    value = f"{address.pk}:{address.address}:{code}"
    return salted_hmac("linli.subscriptions.phone-code", value, algorithm="sha256").hexdigest()


def _without_code(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in _KEYS}


def _same_number(address: Address) -> list[Address]:
    """The subscription's other live-able rows at this number, on the other phone channels."""
    return [
        row
        for code in PHONE_CHANNELS
        if code != address.channel
        for row in Address.objects.at(code, address.address).filter(
            subscription_id=address.subscription_id, active=True
        )
    ]


def phone_code_send(address: Address) -> bool:
    """Text a new code to an unconfirmed number (an earlier one is void); False if none went.

    None goes when the subscription proved the number already on another
    channel (this row is confirmed at once) or a code for it is waiting there.
    """
    now = timezone.now()
    siblings = _same_number(address)
    if any(row.confirmed_at for row in siblings):
        address_confirm(
            subscription_id=address.subscription_id,
            channel_code=address.channel,
            address=address.address,
        )
        return False
    if any(_code_live(row.data, now) for row in siblings):
        return False
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    until = now + CODE_LIFETIME
    address.data = {
        **_without_code(address.data),
        "code": _digest(address, code),
        "code_until": until.isoformat(),
        "tries": 0,
    }
    address.save(update_fields=["data", "updated_at"])
    provider = provider_new()
    try:
        provider.send(code_sms(address.address, code))
    except DeliveryError as exc:
        # The resident asks for another code; the API's limits keep that in bounds.
        reason = number_scrubbed(str(exc), address.address)
        logger.warning("verification code to address %s not sent: %s", address.pk, reason)
        return False
    finally:
        provider.close()
    return True


def _code_live(data: dict, now: datetime.datetime) -> bool:
    if "code" not in data or data.get("tries", 0) >= MAX_TRIES:
        return False
    return now < datetime.datetime.fromisoformat(data["code_until"])


@transaction.atomic
def phone_confirm(*, phone: str, code: str) -> Address | None:
    """Confirm the number the code was sent to; None for a wrong, used, expired or unknown one.

    Each wrong code counts a try on every code waiting for that number; the
    fifth voids it. Tries are kept even when the answer is None.
    """
    number = phone_e164(phone)
    code = str(code).strip()
    if number is None or not _CODE.fullmatch(code):
        return None
    now = timezone.now()
    waiting = [
        row
        for channel_code in PHONE_CHANNELS
        for row in Address.objects.select_for_update()
        .at(channel_code, number)
        .filter(confirmed_at__isnull=True)
    ]
    for row in sorted(waiting, key=lambda row: -row.pk):
        if not _code_live(row.data, now):
            continue
        if constant_time_compare(row.data["code"], _digest(row, code)):
            row.data = _without_code(row.data)
            row.save(update_fields=["data", "updated_at"])
            # The number is proved for this subscription: on every phone channel it chose.
            for sibling in _same_number(row):
                if sibling.confirmed_at is None:
                    address_confirm(
                        subscription_id=row.subscription_id,
                        channel_code=sibling.channel,
                        address=number,
                    )
            return address_confirm(
                subscription_id=row.subscription_id, channel_code=row.channel, address=number
            )
        tries = row.data.get("tries", 0) + 1
        row.data = {**row.data, "tries": tries} if tries < MAX_TRIES else _without_code(row.data)
        row.save(update_fields=["data", "updated_at"])
    return None
