"""The hub's VAPID identity: the key pair push services use to know messages come from us."""

import base64
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def keys_generate() -> dict:
    """A new P-256 key pair as the two strings settings expect."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"private_key": b64url(private), "public_key": b64url(public)}


@lru_cache(maxsize=1)
def vapid_keys() -> dict:
    """The configured keys, from settings or the file `vapid_keys --write` created."""
    private, public = settings.LINLI_VAPID_PRIVATE_KEY, settings.LINLI_VAPID_PUBLIC_KEY
    if not private:
        path = Path(settings.LINLI_VAPID_KEY_FILE)
        if path.exists():
            stored = json.loads(path.read_text())
            private, public = stored["private_key"], stored["public_key"]
    if not private:
        raise ImproperlyConfigured(
            "Web push needs VAPID keys: run `manage.py vapid_keys` and set "
            "LINLI_VAPID_PRIVATE_KEY and LINLI_VAPID_PUBLIC_KEY."
        )
    return {"private_key": private, "public_key": public}


def public_key() -> str | None:
    try:
        return vapid_keys()["public_key"]
    except ImproperlyConfigured:
        return None


@lru_cache(maxsize=1)
def signer() -> Vapid02:
    return Vapid02.from_raw(vapid_keys()["private_key"].encode())
