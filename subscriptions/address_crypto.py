"""Addresses stored encrypted at rest, and found by a keyed hash.

Phone numbers (and the other addresses of channels with `encrypt_address`,
e.g. WeChat openids) identify a person by themselves, so the database holds
them only encrypted (Fernet: AES-128-CBC with HMAC-SHA256) under
`LINLI_ADDRESS_KEY`, and looks them up by a keyed hash (HMAC-SHA256 under a
key derived from it) in an indexed column. A database dump, a backup or a
stray query shows neither the numbers nor a hash anyone without the key could
match against the 10^10 mobile numbers.

Rotating the key: put the new key in `LINLI_ADDRESS_KEY` and the old one in
`LINLI_ADDRESS_OLD_KEYS`; everything stored stays readable and findable (reads
try every key, lookups match the hash under every key), and
`manage.py addresses_rekey` re-encrypts and re-hashes the rows under the new
key, after which the old key can go.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# What a stored value starts with when it is encrypted (a Fernet token follows).
PREFIX = "enc1:"

# Codes of the channels whose addresses are encrypted: the channel registry adds each
# channel declaring `encrypt_address` as it registers it (all of them when the app is
# ready), so the models need not import the registry.
_encrypted_channels: set[str] = set()


def channel_encrypted_set(code: str, encrypted: bool) -> None:
    """Called by the channel registry for every channel it registers."""
    if encrypted:
        _encrypted_channels.add(code)
    else:
        _encrypted_channels.discard(code)


def channel_encrypted(code: str) -> bool:
    """Whether this channel's addresses are stored encrypted."""
    return code in _encrypted_channels


def _development_key() -> str:
    """Without LINLI_ADDRESS_KEY (development, tests): a key derived from SECRET_KEY."""
    digest = hashlib.sha256(f"linli.address-key:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _keys() -> list[str]:
    current = settings.LINLI_ADDRESS_KEY or _development_key()
    return [current, *settings.LINLI_ADDRESS_OLD_KEYS]


def key_valid(key: str) -> bool:
    """A Fernet key: 32 bytes, URL-safe base64."""
    try:
        Fernet(key)
    except (ValueError, TypeError):
        return False
    return True


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "LINLI_ADDRESS_KEY and LINLI_ADDRESS_OLD_KEYS must be Fernet keys (docs/configuration.md)."
        ) from None


def _lookup_key(key: str) -> bytes:
    # A key of its own for hashing, so the hash tells nothing about the encryption key.
    return hmac.new(key.encode(), b"linli.address-lookup", hashlib.sha256).digest()


def encrypt(value: str) -> str:
    """The stored form of an address."""
    token = _fernet(tuple(_keys())).encrypt(value.encode("utf-8"))
    return PREFIX + token.decode("ascii")


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def decrypt(stored: str) -> str:
    """The address from its stored form; a plain (unencrypted) value is returned as it is."""
    if not is_encrypted(stored):
        return stored
    try:
        return _fernet(tuple(_keys())).decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An address was encrypted with a key that is neither LINLI_ADDRESS_KEY nor in "
            "LINLI_ADDRESS_OLD_KEYS."
        ) from None


def reencrypt(stored: str) -> str:
    """The stored form under the current key (for rotation)."""
    return encrypt(decrypt(stored))


def digest(channel: str, value: str, *, key: str | None = None) -> str:
    """The keyed hash an address is found by (under the current key unless one is given)."""
    lookup = _lookup_key(key or _keys()[0])
    return hmac.new(lookup, f"{channel}:{value}".encode(), hashlib.sha256).hexdigest()


def digests(channel: str, value: str) -> list[str]:
    """The hash under every key still accepted: rows not yet re-keyed are found too."""
    return [digest(channel, value, key=key) for key in _keys()]
