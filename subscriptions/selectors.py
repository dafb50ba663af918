"""Read-side questions about subscriptions."""

from django.db.models import Count, Q

from subscriptions.models import Delivery, Notification, Receipt, Subscription


def subscription_deliveries_export(*, subscription: Subscription) -> list[dict]:
    """Every message made for one subscription, as its owner downloads them."""
    return [
        {
            "notification": {
                "kind": row.notification.kind,
                "title": row.notification.title,
                "type": row.notification.type or None,
                "created_at": row.notification.created_at.isoformat(),
            },
            "channel": row.channel,
            "status": row.status,
            "attempts": row.attempts,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in subscription.deliveries.select_related("notification").order_by("pk")
    ]


def notification_reach(*, notification: Notification) -> dict:
    """Who a notification reached, by channel and in all, fallback included (docs/push.md).

    Per channel: `sent` (the channel took the message), `receipted` (a receipt
    says it reached the phone), `failed` (dead, a failed receipt, or cancelled
    because the address is gone or off) and `passed_on` (the message went on to
    the subscriber's next channel). In all: `subscribers` told on some channel,
    `reached` (a receipt on any channel), `pending` (not reached, and a message
    still on its way or waiting for its receipt before passing on) and
    `unreached` (no receipt on any channel after every fallback). A channel
    without receipts (email, web push) proves nothing: its readers count as
    unreached. A handful of queries whatever the audience.
    """
    from subscriptions.delivery import NOT_CURRENT

    Status = Delivery.Status
    delivered = Q(receipt__status=Receipt.Status.DELIVERED)
    void = Q(status=Status.CANCELLED) & (
        Q(last_error=NOT_CURRENT) | Q(last_error__startswith="superseded")
    )
    failed = (
        Q(status=Status.DEAD)
        | Q(receipt__status=Receipt.Status.FAILED)
        | (Q(status=Status.CANCELLED) & ~void)
    )
    rows = Delivery.objects.filter(notification=notification, endpoint__isnull=True)
    per_channel = rows.values("channel").annotate(
        sent=Count("pk", filter=Q(status__in=[Status.SENT, Status.BUNDLED]), distinct=True),
        receipted=Count("pk", filter=delivered, distinct=True),
        failed=Count("pk", filter=failed, distinct=True),
        passed_on=Count("pk", filter=Q(fallbacks__isnull=False), distinct=True),
    )
    channels = {row.pop("channel"): row for row in per_channel.order_by("channel")}
    people = rows.filter(subscription__isnull=False)
    subscribers = people.values("subscription_id").distinct().count()
    reached_ids = people.filter(delivered).values("subscription_id")
    pending = (
        people.filter(Q(fallback_at__isnull=False) | Q(status__in=[*Delivery.DUE, Status.SENDING]))
        .exclude(subscription_id__in=reached_ids)
        .values("subscription_id")
        .distinct()
        .count()
    )
    reached = reached_ids.distinct().count()
    return {
        "channels": channels,
        "subscribers": subscribers,
        "reached": reached,
        "pending": pending,
        "unreached": subscribers - reached - pending,
    }
