"""Two-step verification (TOTP, django-otp): who must use it, and each person's authenticator."""

import base64

from django.conf import settings

from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

REQUIRE_PERMISSION = "accounts.require_two_factor"


def two_factor_required(user) -> bool:
    """True for a person who may not use the admin on a password alone.

    Production settings require it of everyone who holds the permission
    (superusers, the street's reviewers); `make run` requires it of no one.
    """
    return bool(settings.LINLI_TWO_FACTOR_REQUIRED) and user.has_perm(REQUIRE_PERMISSION)


def two_factor_enrolled(user) -> bool:
    """True once the person has confirmed an authenticator."""
    return user_has_device(user, confirmed=True)


def verification_due(user) -> bool:
    """True for a signed-in person who must still type a code in this session.

    Whoever has enrolled is asked, required or not: a person who turned it on
    in `make run` is protected by it too.
    """
    if not user.is_authenticated or user.is_verified():
        return False
    return two_factor_required(user) or two_factor_enrolled(user)


def authenticator_for(user) -> TOTPDevice | None:
    """The person's confirmed authenticator, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def authenticator_pending(user) -> TOTPDevice:
    """The authenticator being set up: kept until confirmed, so reloading shows the same code."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def authenticators_remove(user) -> int:
    """Forget every authenticator of the person (a lost phone); returns how many."""
    removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
    return removed


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it by hand: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
