"""What residents do with their subscription: create, confirm, change, export, delete, unsubscribe."""

import datetime

from django.db import transaction
from django.utils import timezone

from subscriptions.models import Delivery, Subscription, Unsubscription
from subscriptions.tokens import manage_token_hash, manage_token_new

UNSENT = [*Delivery.DUE, Delivery.Status.WAITING]


def subscription_for_token(token: str) -> Subscription | None:
    if not token:
        return None
    return Subscription.objects.filter(token_hash=manage_token_hash(token)).first()


def _apply(subscription: Subscription, data: dict) -> bool:
    """Copy validated fields; returns True when the email address changed."""
    email_changed = False
    for name in ("resident_categories", "content_types", "communities", "locale", "frequency"):
        if name in data:
            setattr(subscription, name, data[name])
    if "quiet_hours" in data:
        quiet = data["quiet_hours"]
        subscription.quiet_start = quiet["start"] if quiet else None
        subscription.quiet_end = quiet["end"] if quiet else None
    if "email" in data:
        email = (data["email"] or "").strip()
        if email.lower() != subscription.email.lower():
            subscription.email = email
            subscription.email_confirmed_at = None
            email_changed = bool(email)
    if "web_push" in data:
        push = data["web_push"]
        subscription.push_endpoint = push["endpoint"] if push else ""
        subscription.push_p256dh = push["keys"]["p256dh"] if push else ""
        subscription.push_auth = push["keys"]["auth"] if push else ""
        subscription.push_active = bool(push)
    return email_changed


def _confirmation_after_commit(subscription: Subscription) -> None:
    from subscriptions.tasks import confirmation_send

    transaction.on_commit(lambda: confirmation_send.enqueue(subscription.pk))


@transaction.atomic
def subscription_create(data: dict) -> tuple[Subscription, str]:
    token, token_hash = manage_token_new()
    subscription = Subscription(token_hash=token_hash)
    email_changed = _apply(subscription, data)
    subscription.save()
    if email_changed:
        _confirmation_after_commit(subscription)
    return subscription, token


@transaction.atomic
def subscription_update(subscription: Subscription, data: dict) -> Subscription:
    if _apply(subscription, data):
        _confirmation_after_commit(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def subscription_delete(subscription: Subscription) -> None:
    """Removes the personal data for real; delivery counts stay, without a link to anyone."""
    subscription.deliveries.filter(status__in=UNSENT).update(
        status=Delivery.Status.CANCELLED, last_error="subscription deleted"
    )
    subscription.delete()


@transaction.atomic
def subscription_confirm(subscription_id: int, email: str) -> Subscription | None:
    subscription = (
        Subscription.objects.select_for_update().filter(pk=subscription_id, email=email).first()
    )
    if subscription is None:
        return None
    if subscription.email_confirmed_at is None:
        subscription.email_confirmed_at = timezone.now()
        subscription.save(update_fields=["email_confirmed_at", "updated_at"])
        # The address now belongs to this subscription: its latest owner's choices win.
        for older in Subscription.objects.filter(email__iexact=email).exclude(pk=subscription.pk):
            if older.push_active:
                older.email, older.email_confirmed_at = "", None
                older.save(update_fields=["email", "email_confirmed_at", "updated_at"])
            else:
                subscription_delete(older)
    return subscription


@transaction.atomic
def subscription_unsubscribe(
    subscription_id: int, channel: str, *, reason: str = "", one_click: bool = False
) -> bool:
    subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
    Unsubscription.objects.create(channel=channel, reason=reason[:300], one_click=one_click)
    if subscription is None:
        return False
    if channel == "email":
        subscription.email, subscription.email_confirmed_at = "", None
    else:
        subscription.push_active = False
    if not subscription.email and not subscription.push_active:
        subscription_delete(subscription)
        return True
    subscription.deliveries.filter(channel=channel, status__in=UNSENT).update(
        status=Delivery.Status.CANCELLED, last_error="unsubscribed"
    )
    subscription.save()
    return True


def subscriptions_unconfirmed_prune(now: datetime.datetime | None = None) -> int:
    """Addresses never confirmed within 7 days are forgotten."""
    now = now or timezone.now()
    stale = Subscription.objects.filter(
        email_confirmed_at__isnull=True,
        push_active=False,
        created_at__lt=now - datetime.timedelta(days=7),
    )
    count = stale.count()
    stale.delete()
    return count
