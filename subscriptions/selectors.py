"""Read-side questions about subscriptions."""

import json

from django.db.models import Count, Q
from django.utils import timezone

from items.models import Item
from subscriptions.messages import item_gone
from subscriptions.models import (
    Delivery,
    Notification,
    Receipt,
    Relay,
    RelayAcknowledgement,
    Subscription,
)


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


def relay_ack_context(*, relay_id: int, notification_id: int) -> dict | None:
    """What a relay's 已转告 page shows, or None when the relay or the notice is gone."""
    relay = Relay.objects.filter(pk=relay_id).first()
    notification = Notification.objects.filter(pk=notification_id).first()
    if relay is None or notification is None:
        return None
    row = None
    if notification.translation_key:
        row = Item.objects.filter(
            translation_key=notification.translation_key, locale="zh-hans"
        ).first()
    item = json.loads(row.data) if row else None
    acknowledged = RelayAcknowledgement.objects.filter(
        relay=relay, notification=notification
    ).first()
    return {
        "relay": relay,
        "notification": notification,
        "title": item["title"] if item else notification.title,
        "summary": (item.get("summary") or "") if item else "",
        "page_url": item.get("web_url") if item else None,
        "withdrawn": item_gone(item, row, timezone.now()),
        "acknowledged_at": acknowledged.acknowledged_at if acknowledged else None,
    }


def notification_relay_reach(*, notification: Notification) -> dict:
    """Relays told of one notification, those who tapped 已转告, and the households they cover.

    Targeted: relays with a delivery planned about it (whatever became of
    it). Acknowledged: relays who tapped 已转告; their households (as counted
    when they tapped) are reached. Per community as well, so a community's
    editors can be shown their own counts. Counts only, no names.
    """
    targeted = dict(
        Relay.objects.filter(
            subscription__deliveries__notification=notification,
        )
        .distinct()
        .values_list("pk", "community")
    )
    households = dict(Relay.objects.filter(pk__in=targeted).values_list("pk", "households"))
    acknowledged = list(
        RelayAcknowledgement.objects.filter(notification=notification).values_list(
            "relay_id", "community", "households", "acknowledged_at"
        )
    )
    communities: dict[str, dict] = {}

    def bucket(code: str) -> dict:
        return communities.setdefault(
            code,
            {
                "relays_targeted": 0,
                "households_targeted": 0,
                "relays_acknowledged": 0,
                "households_reached": 0,
            },
        )

    for pk, code in targeted.items():
        bucket(code)["relays_targeted"] += 1
        bucket(code)["households_targeted"] += households.get(pk, 0)
    for _pk, code, count, _at in acknowledged:
        bucket(code)["relays_acknowledged"] += 1
        bucket(code)["households_reached"] += count
    totals = {
        key: sum(row[key] for row in communities.values())
        for key in (
            "relays_targeted",
            "households_targeted",
            "relays_acknowledged",
            "households_reached",
        )
    }
    return {
        **totals,
        "by_community": dict(sorted(communities.items())),
        "acknowledged_at": sorted(at for *_rest, at in acknowledged),
    }
