"""A rating's call-back number, encrypted at rest like residents' phone numbers.

Under the same key as subscribers' numbers (`LINLI_ADDRESS_KEY`, rotated with
`LINLI_ADDRESS_OLD_KEYS`; subscriptions/address_crypto.py), so one key, one
rotation and one rule for keeping it apart from backups cover every number.
"""

from django.core.exceptions import ImproperlyConfigured

from subscriptions import address_crypto


def seal(text: str) -> str:
    """`text` encrypted, or "" for ""."""
    return address_crypto.encrypt(text) if text else ""


def unseal(token: str) -> str:
    """The text of a value from `seal`, or "" when there is none or no key reads it."""
    if not token:
        return ""
    try:
        return address_crypto.decrypt(token)
    except ImproperlyConfigured:
        return ""
