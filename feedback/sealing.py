"""A rating's call-back number, encrypted at rest.

One small pair of functions, so a shared encryption helper for personal data
can take their place without touching their callers.
"""

import base64

from django.utils.crypto import salted_hmac

from cryptography.fernet import Fernet, InvalidToken


def _fernet() -> Fernet:
    # Derived from SECRET_KEY: rotating the secret key makes stored numbers unreadable,
    # which for a call-back number after its case is closed is acceptable.
    key = salted_hmac("linli.feedback.callback-phone", "fernet", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    """`text` encrypted (a Fernet token), or "" for ""."""
    return _fernet().encrypt(text.encode()).decode() if text else ""


def unseal(token: str) -> str:
    """The text of a token from `seal`, or "" when there is none or it cannot be read."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
