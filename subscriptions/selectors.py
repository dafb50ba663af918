"""Read-side questions about subscriptions."""

from subscriptions.models import Subscription


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
