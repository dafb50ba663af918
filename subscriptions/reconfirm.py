"""Sensitive topics are confirmed again every year: a reminder, then they lapse.

A consent to sensitive topics (subscriptions.consent) holds for a year. Four
weeks before it runs out, the subscriber gets one reminder on their first
live channel (in their order of preference) with a link that confirms it
again; a resident may also tick the consent again on the manage page. A
consent not renewed by its anniversary lapses: the sensitive topics are
dropped from the subscription (the others stay, and so does the
subscription), and the consent record with them. Subscriptions that hold
sensitive topics without a recorded consent (made before consent was asked
for) are reminded at the first run and lapse four weeks later.

Run by the scheduler (`subscriptions_reconfirm`, hourly): a reminder is
claimed in the database before it is sent, so two runs never send two.
"""

import datetime
import logging

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from subscriptions.channels import DeliveryError
from subscriptions.channels.registry import channel
from subscriptions.consent import RENEW_AFTER, consent_record, sensitive_codes
from subscriptions.messages import Message, absolute
from subscriptions.models import Subscription

logger = logging.getLogger("linli.push")

REMIND_BEFORE = datetime.timedelta(weeks=4)
RECONFIRM_SALT = "linli.subscriptions.reconfirm"


def renew_by(subscription: Subscription) -> datetime.datetime | None:
    """When the sensitive topics lapse unless confirmed again; None: nothing to confirm."""
    if subscription.sensitive_consent_at is not None:
        return subscription.sensitive_consent_at + RENEW_AFTER
    if subscription.sensitive_reminded_at is not None:  # never consented: four weeks' notice
        return subscription.sensitive_reminded_at + REMIND_BEFORE
    return None


def _with_sensitive(codes: set[str]):
    query = Q()
    for code in codes:
        query |= Q(resident_categories__icontains=f'"{code}"')
    return Subscription.objects.filter(query) if codes else Subscription.objects.none()


# The link in the reminder: the subscription and the consent it renews, signed.


def reconfirm_token(subscription: Subscription) -> str:
    given = subscription.sensitive_consent_at
    stamp = given.isoformat() if given else ""
    return signing.dumps({"s": subscription.pk, "g": stamp}, salt=RECONFIRM_SALT, compress=True)


def reconfirm_token_read(token: str) -> Subscription | None:
    """The subscription whose consent the link renews, while it can still be renewed."""
    try:
        payload = signing.loads(token, salt=RECONFIRM_SALT, max_age=RENEW_AFTER.total_seconds())
    except signing.BadSignature:
        return None
    subscription = Subscription.objects.filter(pk=payload.get("s")).first()
    if subscription is None or renew_by(subscription) is None:
        return None  # deleted, or its sensitive topics have lapsed already
    given = subscription.sensitive_consent_at
    if (given.isoformat() if given else "") != payload.get("g"):
        return None  # renewed or changed since: this link has done its work
    return subscription


def reconfirm_url(subscription: Subscription) -> str:
    with translation.override(subscription.locale):
        return absolute(reverse("subscriptions:reconfirm", args=[reconfirm_token(subscription)]))


@transaction.atomic
def sensitive_consent_renew(*, subscription: Subscription) -> Subscription:
    """The resident confirmed again: a fresh consent to the current text, for another year."""
    consent_record(subscription, given=True)
    subscription.save(
        update_fields=[
            "sensitive_consent_at",
            "sensitive_consent_version",
            "sensitive_reminded_at",
            "updated_at",
        ]
    )
    return subscription


# The reminder.


def reminder_message(subscription: Subscription, deadline: datetime.datetime) -> Message:
    """What the reminder says: that some topics need confirming, never which ones."""
    with translation.override(subscription.locale):
        day = timezone.localtime(deadline).date()
        return Message(
            kind="reconfirm",
            locale=subscription.locale,
            title=_("请确认是否继续接收所选专题"),
            body=_(
                "您订阅的部分专题信息每年需要确认一次。请在 {month} 月 {day} 日前打开链接确认；"
                "不确认，这些专题的信息会停止发送，其他订阅不受影响。"
            ).format(month=day.month, day=day.day),
            url=reconfirm_url(subscription),
            topic="reconfirm",
        )


def _remind(subscription: Subscription, now: datetime.datetime) -> bool:
    claimed = Subscription.objects.filter(
        pk=subscription.pk, sensitive_reminded_at__isnull=True
    ).update(sensitive_reminded_at=now)
    if not claimed:
        return False  # another run took it
    subscription.sensitive_reminded_at = now
    message = reminder_message(subscription, renew_by(subscription))
    for address in subscription.addresses.live().order_by("preference", "pk"):
        spec = channel(address.channel)
        address.subscription = subscription
        try:
            spec.reminder_send(address, message, key=f"reconfirm-{subscription.pk}-{now:%Y%m%d}")
        except NotImplementedError:
            continue
        except DeliveryError as exc:
            logger.warning("reconfirm reminder to address %s failed: %s", address.pk, exc)
            continue
        return True
    return False


def _lapse(subscription: Subscription, codes: set[str]) -> None:
    with transaction.atomic():
        subscription.resident_categories = [
            code for code in subscription.resident_categories if code not in codes
        ]
        consent_record(subscription, given=False)
        subscription.save()


def sensitive_subscriptions_reconfirm(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the reminders that are due and let unrenewed sensitive topics lapse."""
    now = now or timezone.now()
    codes = sensitive_codes()
    reminded = lapsed = 0
    for subscription in _with_sensitive(codes).prefetch_related("addresses").order_by("pk"):
        if not set(subscription.resident_categories) & codes:
            continue  # the text matched, the codes did not (a code inside another)
        deadline = renew_by(subscription)
        if deadline is not None and deadline <= now:
            _lapse(subscription, codes)
            lapsed += 1
        elif subscription.sensitive_reminded_at is None and (
            deadline is None or deadline - REMIND_BEFORE <= now
        ):
            reminded += _remind(subscription, now)
    return {"reminded": reminded, "lapsed": lapsed}
