"""What residents do with their subscription: create, confirm, change, export, delete, unsubscribe."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from subscriptions import address_crypto
from subscriptions.channels.registry import (
    address_channels,
    address_order,
    channel,
    channel_or_invalid,
)
from subscriptions.channels.webhook import secret_new
from subscriptions.consent import consent_record
from subscriptions.models import Address, Delivery, Subscription, Unsubscription, WebhookEndpoint
from subscriptions.tokens import CONFIRM_MAX_AGE, manage_token_hash, manage_token_new

UNSENT = [*Delivery.DUE, Delivery.Status.WAITING]
# A pending confirmation is sent again at most this often, however often its mailbox signs up.
CONFIRMATION_RESEND_AFTER = datetime.timedelta(hours=1)
CHOICES = ("resident_categories", "content_types", "communities", "locale", "frequency")


def subscription_for_token(token: str) -> Subscription | None:
    """The subscription a manage token belongs to, with its addresses."""
    if not token:
        return None
    return (
        Subscription.objects.prefetch_related("addresses")
        .filter(token_hash=manage_token_hash(token))
        .first()
    )


def _confirmation_after_commit(address: Address) -> None:
    from subscriptions.tasks import address_confirmation_send

    transaction.on_commit(lambda: address_confirmation_send.enqueue(address.pk))


def _mailbox(spec, address: str) -> str:
    """Whose mailbox an address is; for an encrypted channel its keyed hash, never the address."""
    box = spec.mailbox(address)
    return address_crypto.digest(spec.code, box) if spec.encrypt_address else box[:254]


@transaction.atomic
def address_set(
    *, subscription: Subscription, channel_code: str, address: str, data: dict | None = None
) -> Address:
    """Add or change the subscription's address on a channel; a new address is confirmed anew."""
    spec = channel_or_invalid(channel_code)
    address, data = spec.clean(address, data or {})
    row = Address.objects.filter(subscription=subscription, channel=spec.code).first()
    if row is not None and spec.same_address(row.address, address):
        # The same address handed over again (a browser renewing its keys) switches it back on.
        row.data, row.active = data, True
        row.save(update_fields=["data", "active", "updated_at"])
        return row
    if row is None:
        row = Address(subscription=subscription, channel=spec.code)
        # A subscriber who put their channels in order tries a new one last.
        ordered = [a.preference for a in subscription.addresses.all() if a.preference]
        row.preference = max(ordered) + 1 if ordered else 0
    row.address, row.data, row.active = address, data, True
    row.confirmed_at = spec.confirmed_at_on_add()
    row.mailbox = _mailbox(spec, address) if row.confirmed_at is None else ""
    row.confirmation_sent_at = None
    row.save()
    if row.confirmed_at is None:
        _confirmation_after_commit(row)
    elif spec.one_subscription_per_address:
        _address_moved(row)
    return row


def _address_moved(row: Address) -> None:
    """A confirmed address belongs to one subscription: the others holding it let it go."""
    older_rows = (
        Address.objects.at(row.channel, row.address)
        .exclude(subscription_id=row.subscription_id)
        .select_related("subscription")
    )
    for older in older_rows:
        if older.subscription.addresses.live().exclude(pk=older.pk).exists():
            address_remove(subscription=older.subscription, channel_code=row.channel)
        else:
            subscription_delete(subscription=older.subscription)


@transaction.atomic
def address_confirmation_claim(
    *, address_id: int, now: datetime.datetime | None = None
) -> Address | None:
    """The address whose confirmation goes out now for this one's mailbox, or None: nothing goes.

    A mailbox has one pending confirmation: its first unconfirmed address
    whose link is still valid. A sign-up for the same mailbox meanwhile (in
    any spelling, by anyone) sends that address's link again, at most once
    an hour, and never a link of its own; so nobody can flood a mailbox.
    The claim is recorded before sending, so two workers cannot both send.
    """
    now = now or timezone.now()
    row = Address.objects.filter(pk=address_id, confirmed_at__isnull=True, active=True).first()
    if row is None:
        return None
    if not channel_or_invalid(row.channel).one_pending_confirmation:
        Address.objects.filter(pk=row.pk).update(confirmation_sent_at=now)
        row.confirmation_sent_at = now
        return row
    pending = (
        Address.objects.filter(
            channel=row.channel,
            mailbox=row.mailbox,
            confirmed_at__isnull=True,
            active=True,
            confirmation_sent_at__gt=now - datetime.timedelta(seconds=CONFIRM_MAX_AGE),
        )
        .order_by("pk")
        .first()
    )
    target = pending or row
    claimed = (
        Address.objects.filter(pk=target.pk)
        .filter(
            Q(confirmation_sent_at__isnull=True)
            | Q(confirmation_sent_at__lte=now - CONFIRMATION_RESEND_AFTER)
        )
        .update(confirmation_sent_at=now)
    )
    if not claimed:
        return None
    target.confirmation_sent_at = now
    return target


@transaction.atomic
def address_remove(*, subscription: Subscription, channel_code: str) -> None:
    """Forget the subscription's address on a channel; its unsent messages are cancelled."""
    subscription.deliveries.filter(channel=channel_code, status__in=UNSENT).update(
        status=Delivery.Status.CANCELLED, last_error="address removed"
    )
    Address.objects.filter(subscription=subscription, channel=channel_code).delete()


def _apply(subscription: Subscription, data: dict) -> None:
    """Copy validated fields: choices onto the subscription, API channel fields into addresses."""
    for name in CHOICES:
        if name in data:
            setattr(subscription, name, data[name])
    if "quiet_hours" in data:
        quiet = data["quiet_hours"]
        subscription.quiet_start = quiet["start"] if quiet else None
        subscription.quiet_end = quiet["end"] if quiet else None
    if "resident_categories" in data or data.get("sensitive_consent"):
        consent_record(subscription, given=data.get("sensitive_consent") is True)
    if "on_behalf" in data:
        on_behalf = data["on_behalf"]
        relationship = on_behalf["relationship"] if on_behalf else ""
        if relationship != subscription.on_behalf_relationship:
            # The carer vouched for that person's agreement now, by ticking the box.
            subscription.on_behalf_agreed_at = timezone.now() if relationship else None
        subscription.on_behalf_relationship = relationship
    subscription.save()
    for spec in address_channels():
        if spec.api_field is None or spec.api_field not in data:
            continue
        given = spec.from_api(data[spec.api_field])
        if given is None:
            address_remove(subscription=subscription, channel_code=spec.code)
        else:
            address_set(
                subscription=subscription, channel_code=spec.code, address=given[0], data=given[1]
            )
    if "channel_order" in data:
        channel_order_set(subscription=subscription, codes=data["channel_order"])
    # Answers show the addresses as they are now.
    subscription._prefetched_objects_cache = {}


def channel_order_set(*, subscription: Subscription, codes: list[str]) -> None:
    """Put the subscriber's channels in this order (for urgent notices, docs/push.md "Fallback").

    The channels named come first, in the order given (`preference` 1, 2 …);
    the subscriber's other channels follow in the order they had. Channels
    named without an address are skipped.
    """
    rows = address_order(Address.objects.filter(subscription=subscription))
    place = {code: n for n, code in enumerate(codes)}
    rows.sort(key=lambda row: place.get(row.channel, len(place)))
    for n, row in enumerate(rows, start=1):
        row.preference = n
    Address.objects.bulk_update(rows, ["preference"])


@transaction.atomic
def subscription_create(*, data: dict) -> tuple[Subscription, str]:
    """A new subscription from validated API data, and its manage token (shown once)."""
    token, token_hash = manage_token_new()
    subscription = Subscription(token_hash=token_hash)
    _apply(subscription, data)
    return subscription, token


@transaction.atomic
def subscription_update(*, subscription: Subscription, data: dict) -> Subscription:
    """Change the fields given; a changed address is confirmed again."""
    _apply(subscription, data)
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    """Removes the personal data for real; delivery counts stay, without a link to anyone."""
    subscription.deliveries.filter(status__in=UNSENT).update(
        status=Delivery.Status.CANCELLED, last_error="subscription deleted"
    )
    subscription.delete()


@transaction.atomic
def address_confirm(*, subscription_id: int, channel_code: str, address: str) -> Address | None:
    """Confirm an address from its link; None when the link no longer matches an address."""
    row = (
        Address.objects.select_for_update()
        .select_related("subscription")
        .at(channel_code, address)
        .filter(subscription_id=subscription_id)
        .first()
    )
    if row is None:
        return None
    if row.confirmed_at is None:
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at", "updated_at"])
        # The address now belongs to this subscription: its latest owner's choices win.
        # A relay's address is staff's record of a relay, not a resident's choice: it stays.
        older_rows = (
            Address.objects.same_as(channel_code, address)
            .exclude(subscription_id=subscription_id)
            .exclude(subscription__is_relay=True)
            .select_related("subscription")
        )
        for older in older_rows:
            others = older.subscription.addresses.live().exclude(pk=older.pk)
            if others.exists():
                address_remove(subscription=older.subscription, channel_code=channel_code)
            else:
                subscription_delete(subscription=older.subscription)
    return row


@transaction.atomic
def subscription_unsubscribe(
    *, subscription_id: int, channel_code: str, reason: str = "", one_click: bool = False
) -> bool:
    """Stop one channel (from a link in a message); the subscription goes when none is left."""
    subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
    Unsubscription.objects.create(channel=channel_code, reason=reason[:300], one_click=one_click)
    if subscription is None:
        return False
    spec = channel(channel_code)
    if spec.forget_on_unsubscribe:
        Address.objects.filter(subscription=subscription, channel=spec.code).delete()
    else:
        Address.objects.filter(subscription=subscription, channel=spec.code).update(
            active=False, updated_at=timezone.now()
        )
    if not subscription.addresses.filter(active=True).exists():
        subscription_delete(subscription=subscription)
        return True
    subscription.deliveries.filter(channel=spec.code, status__in=UNSENT).update(
        status=Delivery.Status.CANCELLED, last_error="unsubscribed"
    )
    subscription.save(update_fields=["updated_at"])
    return True


def subscriptions_unconfirmed_prune(*, now: datetime.datetime | None = None) -> int:
    """Subscriptions with no live address 7 days after they were made are forgotten."""
    now = now or timezone.now()
    live = Address.objects.live().filter(subscription=OuterRef("pk"))
    stale = Subscription.objects.filter(
        ~Exists(live), created_at__lt=now - datetime.timedelta(days=7)
    )
    count = stale.count()
    stale.delete()
    return count


def addresses_rekey() -> int:
    """Encrypt and hash every encrypted address anew under the current `LINLI_ADDRESS_KEY`.

    After a key rotation (the new key in LINLI_ADDRESS_KEY, the old one in
    LINLI_ADDRESS_OLD_KEYS); once it has run, the old key can be removed.
    """
    codes = [spec.code for spec in address_channels() if spec.encrypt_address]
    count = 0
    for row in Address.objects.filter(channel__in=codes).iterator(chunk_size=500):
        spec = channel(row.channel)
        if row.mailbox:
            row.mailbox = _mailbox(spec, row.address)
        row.save(update_fields=["address", "address_hash", "mailbox"])
        count += 1
    return count


# How long a gateway may keep signing with its old secret after a rotation.
SECRET_OVERLAP = datetime.timedelta(hours=24)


def webhook_endpoint_secret_rotate(
    *, endpoint: WebhookEndpoint, now: datetime.datetime | None = None
) -> str:
    """Give a gateway a new signing secret; the old one stays valid for a day. Not saved here."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = (now or timezone.now()) + SECRET_OVERLAP
    endpoint.secret = secret_new()
    return endpoint.secret
