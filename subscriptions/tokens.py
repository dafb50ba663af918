"""Secrets handed to residents: the manage token (stored hashed) and signed links in emails."""

import hashlib
import secrets

from django.core import signing

CONFIRM_SALT = "linli.subscriptions.confirm"
UNSUBSCRIBE_SALT = "linli.subscriptions.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def manage_token_new() -> tuple[str, str]:
    """A fresh manage token (192 random bits) and the hash that is stored in its place."""
    token = secrets.token_urlsafe(24)
    return token, manage_token_hash(token)


def manage_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_token(address) -> str:
    """A link's token for one `Address` row: subscription, channel and the address itself."""
    # The address is part of the signed value: changing the address voids old links.
    payload = {"s": address.subscription_id, "c": address.channel, "a": address.address}
    return signing.dumps(payload, salt=CONFIRM_SALT)


def confirm_token_read(token: str) -> dict | None:
    """{"s": subscription id, "c": channel, "a": address}, or None when invalid or expired."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if "e" in payload:  # links mailed before addresses had channels were for email
        return {"s": payload["s"], "c": "email", "a": payload["e"]}
    return payload


def unsubscribe_token(subscription, channel: str) -> str:
    return signing.dumps({"s": subscription.pk, "c": channel}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
