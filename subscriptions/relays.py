"""Relays (网格员, 楼栋长): who they are told of, their signed 已转告 link, their acknowledgement.

A relay is a `Relay` row with a subscription of its own (`is_relay`) that
holds its phone number or email as ordinary `Address` rows: an urgent
notice plans one delivery per live address of every active relay of the
notice's community (all communities for a street-wide notice), beside the
residents' deliveries, and the send pipeline does the rest. The resident
rule never matches a relay's subscription (`audience._rule_prefilter`). See
docs/decisions/0014-relays.md.
"""

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from subscriptions.channels.registry import channel_or_invalid
from subscriptions.models import (
    Address,
    Notification,
    Relay,
    RelayAcknowledgement,
    Subscription,
)
from subscriptions.tokens import manage_token_new

ACK_SALT = "linli.subscriptions.relay-ack"
# Long enough for a notice's whole life; after that the page says the link is too old.
ACK_MAX_AGE = 30 * 24 * 3600
# The channels staff may give a relay: the ones that need no device of the relay's own.
RELAY_CHANNELS = ("sms", "email")


# Who is told


def relays_for(notification: Notification):
    """Active relays an urgent notice goes to: its community's, or every one for a street-wide page."""
    relays = Relay.objects.filter(active=True, subscription__isnull=False)
    if notification.community:
        relays = relays.filter(community=notification.community)
    return relays


def relay_rows(notification: Notification, planner) -> list:
    """Planning rows for the relays of an urgent, newly published notice (none for anything else).

    Corrections reach relays like anyone told before: through the deliveries
    they received (`planning._correction_batch`).
    """
    if notification.kind != Notification.Kind.PUBLISHED or not notification.urgent:
        return []
    addresses = (
        Address.objects.live()
        .filter(subscription__relay__in=relays_for(notification))
        .order_by("subscription_id", "preference", "channel")
        .values_list("subscription_id", "pk", "channel")
    )
    return [
        planner.row(channel=code, subscription_id=subscription_id, address_id=address_id)
        for subscription_id, address_id, code in addresses
    ]


# Staff keep relays in the admin


@transaction.atomic
def relay_save(*, relay: Relay, addresses: dict[str, str]) -> Relay:
    """Save a relay with its channel addresses ({"sms": "+86…", "email": ""}; blank removes).

    Staff vouch for a relay's number or mailbox (they know the person), so
    the addresses count as confirmed at once: no code, no link.
    """
    from subscriptions.operations import address_remove

    subscription = relay.subscription
    if subscription is None:
        _token, token_hash = manage_token_new()  # nobody holds the token: staff manage relays
        subscription = Subscription.objects.create(
            token_hash=token_hash,
            is_relay=True,
            content_types=["notice"],
            communities=[relay.community],
            quiet_start=None,
            quiet_end=None,
        )
        relay.subscription = subscription
    elif subscription.communities != [relay.community]:
        subscription.communities = [relay.community]
        subscription.save(update_fields=["communities", "updated_at"])
    relay.save()
    now = timezone.now()
    for code, value in addresses.items():
        spec = channel_or_invalid(code)
        value = (value or "").strip()
        if not value:
            address_remove(subscription=subscription, channel_code=spec.code)
            continue
        value, data = spec.clean(value, {})
        row = Address.objects.filter(subscription=subscription, channel=spec.code).first()
        if row is not None and spec.same_address(row.address, value) and row.live:
            continue
        if row is not None:
            # A new number: what was queued for the old one is not for the new one.
            address_remove(subscription=subscription, channel_code=spec.code)
        Address.objects.create(
            subscription=subscription,
            channel=spec.code,
            address=value,
            data=data,
            confirmed_at=now,
            active=True,
        )
    return relay


@transaction.atomic
def relay_delete(*, relay: Relay) -> None:
    """Forget a relay and its addresses; its acknowledgements stay counted, without its name."""
    from subscriptions.operations import subscription_delete

    if relay.subscription is not None:
        subscription_delete(subscription=relay.subscription)
    relay.delete()


def relay_addresses(relay: Relay) -> dict[str, str]:
    """The relay's address on each relay channel, for the admin form."""
    if relay.subscription_id is None:
        return {}
    return dict(
        Address.objects.filter(subscription_id=relay.subscription_id, channel__in=RELAY_CHANNELS)
        .filter(active=True)
        .values_list("channel", "address")
    )


# The 已转告 link


def ack_token(relay_id: int, notification_id: int) -> str:
    """The signed token of one relay's 已转告 page for one notice: `<relay>.<notice>:<time>:<sig>`."""
    return signing.TimestampSigner(salt=ACK_SALT).sign(f"{relay_id}.{notification_id}")


class AckLinkExpired(Exception):
    """A genuine link, older than ACK_MAX_AGE."""


def ack_token_read(token: str) -> tuple[int, int] | None:
    """(relay id, notification id) from a genuine token; None when forged or damaged."""
    try:
        value = signing.TimestampSigner(salt=ACK_SALT).unsign(token, max_age=ACK_MAX_AGE)
    except signing.SignatureExpired as expired:
        raise AckLinkExpired from expired
    except signing.BadSignature:
        return None
    relay_id, _dot, notification_id = value.partition(".")
    if not (relay_id.isdigit() and notification_id.isdigit()):
        return None
    return int(relay_id), int(notification_id)


def ack_path(relay_id: int, notification_id: int) -> str:
    """The 已转告 page's path (simplified Chinese, like the relay's text message)."""
    with translation.override("zh-hans"):
        return reverse("subscriptions:relay-ack", args=[ack_token(relay_id, notification_id)])


@transaction.atomic
def relay_acknowledge(
    *, relay: Relay, notification: Notification, now: datetime.datetime | None = None
) -> tuple[RelayAcknowledgement, bool]:
    """Record that the relay passed the notice on; the first tap's time stays. (row, created)"""
    existing = RelayAcknowledgement.objects.filter(relay=relay, notification=notification).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            row = RelayAcknowledgement.objects.create(
                relay=relay,
                notification=notification,
                community=relay.community,
                households=relay.households,
                acknowledged_at=now or timezone.now(),
            )
    except IntegrityError:
        # Two taps at once: the other one was first.
        return RelayAcknowledgement.objects.get(relay=relay, notification=notification), False
    return row, True
