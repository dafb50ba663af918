"""Who a notification reached: per person, per channel, per community and category, over time.

A person (a subscription) counts once, by the best that happened on any of
their channels: a provider's receipt that the message arrived (`delivered`),
a message handed over on a channel without receipts (`sent`: email, web
push), still being tried (`pending`), or nothing left to try (`unreached`).
Gateways (webhooks) are not people and are left out. Counts only: no
address, no name.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from subscriptions.models import Delivery, Notification, Receipt

DELIVERED, SENT, PENDING, UNREACHED = "delivered", "sent", "pending", "unreached"
# Best first: a person's state is the best over their deliveries.
STATES = (DELIVERED, SENT, PENDING, UNREACHED)
STATE_LABELS = {
    DELIVERED: "已确认送达",
    SENT: "已发出（无回执）",
    PENDING: "仍在尝试",
    UNREACHED: "未能送达",
}
LABELS = {"-": "已退订（人群不详）"}
# Minutes after publishing at which the timeline is read.
MARKS = (1, 2, 5, 10, 15, 30, 60, 120, 240, 1440)
ALL = ""  # a subscription with no community chosen: the whole street
LEFT = "-"  # the category of someone who unsubscribed since: no longer known

_PENDING = {
    Delivery.Status.QUEUED,
    Delivery.Status.HELD,
    Delivery.Status.WAITING,
    Delivery.Status.SENDING,
    Delivery.Status.FAILED,
}
_SENT = {Delivery.Status.SENT, Delivery.Status.BUNDLED}


def delivery_state(status: str, receipt: str | None) -> str:
    """One delivery's state from its status and its receipt's status (None: no receipt row)."""
    if receipt == Receipt.Status.DELIVERED:
        return DELIVERED
    if receipt == Receipt.Status.FAILED:
        return UNREACHED
    if status in _SENT:
        # Handed to a provider that reports back, but no report yet: still on its way.
        return PENDING if receipt == Receipt.Status.ACCEPTED else SENT
    if status in _PENDING:
        return PENDING
    return UNREACHED


@dataclass
class Reach:
    """Counts for one notification, as a community editor or the street sees them."""

    notification: Notification
    people: Counter = field(default_factory=Counter)  # state -> people
    by_channel: dict = field(default_factory=lambda: defaultdict(Counter))  # channel -> state
    by_community: dict = field(default_factory=lambda: defaultdict(Counter))
    by_category: dict = field(default_factory=lambda: defaultdict(Counter))
    timeline: list = field(default_factory=list)  # (minutes, people reached by then)
    relays: dict = field(default_factory=dict)  # selectors.notification_relay_reach, scoped

    @property
    def targeted(self) -> int:
        return sum(self.people.values())

    @property
    def reached(self) -> int:
        return self.people[DELIVERED] + self.people[SENT]


def _communities(notification: Notification, chosen: list[str]) -> list[str]:
    if notification.community:
        return [notification.community]
    return list(chosen) or [ALL]


def _categories(notification: Notification, chosen: list[str]) -> list[str]:
    if chosen == [LEFT]:
        return chosen
    audience = set(notification.audience or [])
    picked = [code for code in chosen if not audience or code in audience]
    return picked or [ALL]


def reach_of(notification: Notification, *, communities: set[str] | None = None) -> Reach:
    """The reach of one notification; `communities` limits it to those codes (None: all)."""
    rows = (
        # Relays are not the residents reached: their acknowledgements count apart (relays).
        # Residents who left since keep their deliveries without a subscription: each of
        # those counts as one person, of a community and categories no longer known.
        Delivery.objects.filter(notification=notification, endpoint__isnull=True)
        .filter(Q(subscription__isnull=True) | Q(subscription__is_relay=False))
        .values_list(
            "pk",
            "subscription_id",
            "channel",
            "status",
            "sent_at",
            "receipt__status",
            "receipt__reported_at",
            "subscription__communities",
            "subscription__resident_categories",
        )
        .order_by()
    )
    best: dict[int, str] = {}
    first_reached: dict[int, datetime] = {}
    facts: dict[int, tuple[list[str], list[str]]] = {}
    by_channel: dict = defaultdict(Counter)
    for pk, sub, channel, status, sent_at, receipt, reported_at, chosen, categories in rows:
        if sub is None:
            sub, categories = f"left-{pk}", [LEFT]
        places = _communities(notification, chosen or [])
        if communities is not None and not communities.intersection(places):
            continue
        state = delivery_state(status, receipt)
        by_channel[channel][state] += 1
        facts[sub] = (places, _categories(notification, categories or []))
        if sub not in best or STATES.index(state) < STATES.index(best[sub]):
            best[sub] = state
        when = reported_at if state == DELIVERED else sent_at if state == SENT else None
        if when is not None and (sub not in first_reached or when < first_reached[sub]):
            first_reached[sub] = when
    reach = Reach(notification=notification, by_channel=by_channel)
    for sub, state in best.items():
        reach.people[state] += 1
        places, categories = facts[sub]
        for place in places:
            if communities is None or place in communities:
                reach.by_community[place][state] += 1
        for category in categories:
            reach.by_category[category][state] += 1
    # From when residents could first be told: publishing, or a later start of validity.
    start = max(filter(None, (notification.created_at, notification.visible_from)))
    delays = sorted((when - start).total_seconds() / 60 for when in first_reached.values())
    reach.timeline = [(mark, sum(1 for delay in delays if delay <= mark)) for mark in MARKS]
    reach.relays = _relays(notification, communities)
    return reach


def _relays(notification: Notification, communities: set[str] | None) -> dict:
    """Relays told, relays who tapped 已转告 and the households they cover, in these communities."""
    from subscriptions.selectors import notification_relay_reach

    counts = notification_relay_reach(notification=notification)
    if communities is None:
        return counts
    rows = [row for code, row in counts["by_community"].items() if code in communities]
    keys = ("relays_targeted", "households_targeted", "relays_acknowledged", "households_reached")
    return {key: sum(row[key] for row in rows) for key in keys}


def reach_csv(reach: Reach, *, community_names: dict, category_names: dict) -> str:
    """The reach as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    header = ["维度", "名称", "对象人数", *(STATE_LABELS[state] for state in STATES)]
    writer.writerow(header)

    def row(kind: str, name: str, counts: Counter) -> None:
        writer.writerow([kind, name, sum(counts.values()), *(counts[state] for state in STATES)])

    row("合计", reach.notification.title, reach.people)
    for code, counts in sorted(reach.by_community.items()):
        row("社区", community_names.get(code, code or "全街道"), counts)
    for code, counts in sorted(reach.by_category.items()):
        row("人群", category_names.get(code, LABELS.get(code, "未选人群")), counts)
    for channel, counts in sorted(reach.by_channel.items()):
        row("渠道（条）", channel, counts)
    relays = reach.relays
    if relays.get("relays_targeted"):
        writer.writerow([])
        writer.writerow(["转告人", "已通知", "已转告", "负责户数", "已转告户数"])
        writer.writerow(
            [
                "合计",
                relays["relays_targeted"],
                relays["relays_acknowledged"],
                relays["households_targeted"],
                relays["households_reached"],
            ]
        )
    writer.writerow([])
    writer.writerow(["发布后分钟", "已送达人数"])
    for minutes, count in reach.timeline:
        writer.writerow([minutes, count])
    return out.getvalue()
