"""What a channel declares once: its code and label, its addresses, its sender, its rate."""

import hashlib
from typing import Any

from django.conf import settings
from django.utils import timezone

# How an address is confirmed.
SELF = "self"  # adding it proves it: a browser hands over its own push subscription
MESSAGE = "message"  # the channel sends a confirmation (a link, a code) the owner answers


def delivery_key(delivery) -> str:
    """The idempotency key of one delivery: the same on every attempt, and no other's.

    A message sent again after a worker died in the middle of sending it
    carries the same key, so its receiver can drop the repeat. The row id
    alone would come back after a database is rebuilt; with a hash of the
    row's creation time it does not.
    """
    stamp = f"{delivery.pk}:{delivery.created_at.isoformat()}".encode()
    return f"{delivery.pk}-{hashlib.sha256(stamp).hexdigest()[:16]}"


class Channel:
    """A way to reach residents through their `Address` rows; subclass once per channel.

    Subclasses set `code`, `label` and `sender_class` and usually override
    `clean` and `api_repr`; the hub plans, sends, retries, deactivates and
    reports through these methods only.
    """

    code: str = ""
    label: Any = ""
    # True for channels reaching residents through Address rows; gateways override.
    uses_addresses = True
    confirmation = SELF
    # Unsubscribing forgets the address (it is personal data) or only switches it off.
    forget_on_unsubscribe = True
    # True when one address can belong to one subscription only (an openid): adding it
    # confirmed takes it from any other subscription, as confirming an email does.
    one_subscription_per_address = False
    # A sender kept for the worker process (warm connections) or made per batch.
    sender_per_process = False
    sender_class: type | None = None
    # Why a queued message is cancelled when its address is no longer live.
    off_reason = "turned off"
    # The subscription API's field for this channel, if the API offers it.
    api_field: str | None = None
    # Stored encrypted at rest and found by a keyed hash (subscriptions.address_crypto):
    # True for addresses that identify a person by themselves (a phone number, an openid).
    encrypt_address = False
    # Planned for urgent notices only (voice calls); other notices never reach it.
    urgent_only = False
    # Where the channel comes in a subscriber's order when they gave none (lower
    # is tried first): an urgent notice goes to the first live channel and passes
    # to the next one without proof of delivery (docs/push.md, "Fallback").
    fallback_rank: int = 100
    # The provider reports per message whether it reached the phone or account
    # (a `Receipt` turns delivered or failed). Without receipts, only the wait
    # (`LINLI_REACH_FALLBACK_MINUTES`) decides, and an urgent notice passes on.
    receipts = False
    # Asked for in its own right (voice calls): an urgent notice goes to this channel
    # beside the subscriber's first one, never as a step of the fallback chain.
    beside_fallback = False

    def __repr__(self):
        return f"<channel {self.code}>"

    # Addresses

    def clean(self, address: str, data: dict) -> tuple[str, dict]:
        """The address and its data normalised; raises ValidationError naming the field."""
        return address.strip(), data

    def same_address(self, old: str, new: str) -> bool:
        return old == new

    def mailbox(self, address: str) -> str:
        """Who receives at this address, however it is written: one pending confirmation each."""
        return address

    # A confirmation link stays valid for days, so a mailbox is sent one pending
    # link, again at most hourly (operations.address_confirmation_claim). A channel
    # whose confirmation is short-lived (a code by SMS, valid 10 minutes) limits
    # its sends itself and sends a fresh one on each sign-up instead.
    one_pending_confirmation = True

    def confirmed_at_on_add(self):
        """When an address added now counts as confirmed: now, or not until confirmed."""
        return timezone.now() if self.confirmation == SELF else None

    def confirmation_send(self, address) -> bool:
        """Send what confirms the address (a link, a code); False when there was nothing to do."""
        return False

    # Sending

    def rate(self) -> int:
        """Messages per second per worker; 0 means no limit."""
        return settings.LINLI_PUSH_RATES.get(self.code, 0)

    def new_sender(self):
        return self.sender_class()

    def recipient(self, delivery) -> tuple[Any, str]:
        """What to send to, and its locale; raises Unavailable when nothing should go."""
        if delivery.subscription is None:
            raise Unavailable("recipient deleted")
        address = delivery.address
        if address is None or not address.live:
            raise Unavailable(self.off_reason)
        address.subscription = delivery.subscription
        return address, delivery.subscription.locale

    def send(self, sender, recipient, message, delivery) -> None:
        """Send one message to one address; raises DeliveryError, Gone or Rejected.

        `key` is the delivery's idempotency key: carry it where the receiver
        can see it (a header, a field), so a repeat after a crash is dropped.
        """
        sender.send(recipient, message, key=delivery_key(delivery))

    # Providers that take many messages in one call (SMS: one template, many numbers).

    def batch_size(self, sender) -> int:
        """How many messages `sender` takes in one call; 1 sends each with `send`."""
        return 1

    def batch_key(self, recipient, message, delivery):
        """Messages with the same key may go in one call."""
        return None

    def send_batch(self, sender, items: list[tuple]) -> list[Exception | None]:
        """Send (recipient, message, delivery) items in one call; per item None when it
        went, else what `send` would have raised for it."""
        raise NotImplementedError(f"the {self.code} channel sends one message at a time")

    def gone(self, delivery, reason: str) -> None:
        """The address no longer exists (the sender raised Gone): stop using it."""
        if delivery.address_id:
            from subscriptions.models import Address

            Address.objects.filter(pk=delivery.address_id).update(
                active=False, updated_at=timezone.now()
            )

    def reminder_send(self, address, message, *, key: str) -> None:
        """Send one message that belongs to no notification (the yearly reminder to
        confirm sensitive topics again); raises DeliveryError, or NotImplementedError
        when the channel has no way to send it."""
        if self.sender_class is None:
            raise NotImplementedError(f"the {self.code} channel sends no reminders")
        sender = self.new_sender()
        try:
            sender.send(address, message, key=key)
        finally:
            if hasattr(sender, "close"):
                sender.close()

    # What residents send back (a reply to a text message).

    def inbound(self, address: str, text: str) -> int:
        """Act on a message from `address`; returns how many subscriptions it changed."""
        raise NotImplementedError(f"the {self.code} channel takes no replies")

    # Planning: rows for recipients that are not addresses (gateways).

    def extra_rows(self, notification, planner) -> list:
        return []

    # The subscription API

    def from_api(self, value) -> tuple[str, dict] | None:
        """The API field's value as (address, data); None removes the address."""
        return (value, {}) if value else None

    def api_repr(self, address) -> dict:
        """This channel's part of the subscription as the API shows it."""
        return {}

    def api_export(self, address) -> dict:
        """This channel's part of the data export (everything held)."""
        return self.api_repr(address)


class Unavailable(Exception):
    """Nothing should be sent to this recipient any more; the message is cancelled."""
