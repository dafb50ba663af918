"""The page editor's view of push: how many subscriptions a page reaches, and what was sent."""

from django.db.models import Count


def delivery_counts(deliveries) -> dict:
    """Counts by what editors care about: sent, held, failed, dead, pending."""
    from subscriptions.models import Delivery

    Status = Delivery.Status
    groups = {
        "sent": [Status.SENT, Status.BUNDLED],
        "held": [Status.HELD, Status.WAITING],
        "failed": [Status.FAILED],
        "dead": [Status.DEAD],
        "pending": [Status.QUEUED, Status.SENDING],
        "cancelled": [Status.CANCELLED],
    }
    raw = dict(deliveries.values_list("status").annotate(n=Count("pk")).order_by())
    return {name: sum(raw.get(s, 0) for s in statuses) for name, statuses in groups.items()}


def audience_summary(page) -> dict:
    from subscriptions.audience import endpoints_matching, subscriptions_matching
    from subscriptions.models import Delivery, Notification
    from subscriptions.notifications import page_facts

    if not page.pk:
        return {"saved": False}
    facts = page_facts(page)
    if facts is None:
        return {"saved": False}
    reach = subscriptions_matching(
        type=facts["type"],
        community=facts["community"],
        audience=facts["audience"],
        urgent=facts["urgent"],
    ).count()
    gateways = len(
        endpoints_matching(
            type=facts["type"], community=facts["community"], audience=facts["audience"]
        )
    )
    notifications = list(
        Notification.objects.filter(translation_key=page.translation_key).order_by("-pk")[:5]
    )
    history = [
        {
            "notification": notification,
            "counts": delivery_counts(Delivery.objects.filter(notification=notification)),
        }
        for notification in notifications
    ]
    return {"saved": True, "reach": reach, "gateways": gateways, "history": history}
