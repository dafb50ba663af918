"""Secrets handed to residents: the manage token (stored hashed) and signed links in emails.

Links name rows, never people: a confirmation link is an `Address` row's id
signed together with the address (which is in the signature's salt, not in
the link), so a mail log or a browser history that holds the link holds no
address, and changing the address voids the link. Both kinds of link expire.
"""

import hashlib
import secrets

from django.core import signing

from subscriptions.models import Address

CONFIRM_SALT = "linli.subscriptions.confirm"
UNSUBSCRIBE_SALT = "linli.subscriptions.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
# Unsubscribe links (and RFC 8058 one-click unsubscribe) work this long after the message
# was sent: long enough for any mail still being read (a weekly digest read a month late,
# the 30 days CAN-SPAM asks for), short enough that an old mail in a log is not a key.
UNSUBSCRIBE_MAX_AGE = 60 * 24 * 3600


class LinkExpired(Exception):
    """A genuine link, but older than it may be."""


def manage_token_new() -> tuple[str, str]:
    """A fresh manage token (192 random bits) and the hash that is stored in its place."""
    token = secrets.token_urlsafe(24)
    return token, manage_token_hash(token)


def manage_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _confirm_signer(address) -> signing.TimestampSigner:
    # The channel and the address are signed with the id, so a changed address voids old links.
    return signing.TimestampSigner(salt=f"{CONFIRM_SALT}:{address.channel}:{address.address}")


def confirm_token(address) -> str:
    """A link's token for one `Address` row: `<row id>:<time>:<signature>`, no address in it."""
    return _confirm_signer(address).sign(str(address.pk))


def confirm_token_read(token: str) -> dict | None:
    """{"s": subscription id, "c": channel, "a": address}, or None when invalid or expired."""
    row_id = token.partition(":")[0]
    if not (row_id.isascii() and row_id.isdigit() and len(row_id) <= 18):
        return _confirm_token_read_before(token)
    address = (
        Address.objects.filter(pk=int(row_id)).only("subscription", "channel", "address").first()
    )
    if address is None:
        return None
    try:
        _confirm_signer(address).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return {"s": address.subscription_id, "c": address.channel, "a": address.address}


def _confirm_token_read_before(token: str) -> dict | None:
    """Links mailed before links named rows (the address inside); they work until they expire."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    if "e" in payload:  # links mailed before addresses had channels were for email
        return {"s": payload["s"], "c": "email", "a": payload["e"]}
    return payload


def unsubscribe_token(subscription, channel: str) -> str:
    return signing.dumps({"s": subscription.pk, "c": channel}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> dict | None:
    """{"s": subscription id, "c": channel}, or None when forged or damaged.

    Raises `LinkExpired` for a genuine link older than `UNSUBSCRIBE_MAX_AGE`.
    """
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired as expired:
        raise LinkExpired from expired
    except (signing.BadSignature, ValueError):
        return None
