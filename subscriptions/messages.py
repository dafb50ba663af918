"""What a delivery says: built at send time from the API's stored items, in the reader's locale.

Rendering at send time (not at planning) means a digest carries the latest
version of each page and a message about a page withdrawn meanwhile is not
sent at all.
"""

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.utils import timezone

from core.content_types import content_type
from items.models import Item
from subscriptions.models import Notification, Relationship, Relay
from subscriptions.texts import texts

MAX_TTL = 28 * 24 * 3600  # what push services keep at most
DEFAULT_TTL = 7 * 24 * 3600


@dataclass
class Message:
    kind: str
    locale: str
    title: str
    body: str
    url: str
    urgent: bool = False
    ttl: int = DEFAULT_TTL
    topic: str = ""
    notification: Notification | None = None
    item: dict | None = None
    items: list[dict] = field(default_factory=list)
    # For a carer's subscription (为家人订阅): who it is for, in the reader's words ("母亲").
    on_behalf: str = ""
    # For a relay: `url` is their signed 已转告 page, `page_url` the page itself.
    relay: bool = False
    page_url: str = ""

    @cached_property
    def _push_fields(self) -> bytes:
        """What every reader's payload shares, without its closing brace: built once per message."""
        data = {"title": self.title, "body": self.body, "url": self.url, "tag": self.topic}
        if self.urgent:
            data["urgent"] = True
        return json.dumps(data, ensure_ascii=False).encode()[:-1]

    def push_payload(self, key: str) -> bytes:
        """The JSON the service worker shows, with the delivery's idempotency key as `id`."""
        return self._push_fields + b',"id":' + json.dumps(key).encode() + b"}"


def absolute(path: str | None) -> str:
    base = settings.LINLI_PUBLIC_URL.rstrip("/")
    if not path:
        return base + "/"
    return path if "://" in path else base + path


def _seconds_until(when: datetime | None, now: datetime) -> int | None:
    if when is None:
        return None
    return int((when - now).total_seconds())


def item_gone(item: dict | None, row: Item | None, now: datetime) -> bool:
    """True when there is nothing worth telling about any more: withdrawn, expired, over, cancelled."""
    if item is None or row is None:
        return True
    if row.visible_until and row.visible_until <= now:
        return True
    return content_type(row.type).gone(row, now)


class MessageBuilder:
    """Builds messages for one batch, reading each stored item once.

    A page's message is the same for every reader of a locale, so it is built
    once per notification and locale; only its encryption differs per reader.
    """

    def __init__(self, now: datetime | None = None):
        self.now = now or timezone.now()
        self._items: dict[tuple, tuple[Item | None, dict | None]] = {}
        self._messages: dict[tuple, Message | None] = {}

    def item(self, translation_key, locale: str) -> tuple[Item | None, dict | None]:
        key = (translation_key, locale)
        if key not in self._items:
            row = Item.objects.filter(translation_key=translation_key, locale=locale).first()
            self._items[key] = (row, json.loads(row.data) if row else None)
        return self._items[key]

    def hidden_until(self, notification: Notification, locale: str) -> datetime | None:
        """When residents reading `locale` can first open the page, while that is still to come.

        Asked at send time from the stored item, so a 生效时间 moved after
        planning still holds the message back; a digest is never held.
        """
        if notification.kind == Notification.Kind.DIGEST or not notification.translation_key:
            return None
        row, _item = self.item(notification.translation_key, locale)
        if row is not None and row.visible_from and row.visible_from > self.now:
            return row.visible_from
        return None

    def _topic(self, notification: Notification) -> str:
        # Push services replace an undelivered message with a newer one of the same topic.
        return f"{notification.type or 'x'}-{notification.translation_key.hex[:24]}"

    def _ttl(self, notification: Notification, row: Item | None) -> int:
        # Items carry the same dates as their pages, so the type's expiry reads either.
        ttl = _seconds_until(content_type(row.type).expires(row), self.now) if row else None
        if ttl is None:
            ttl = DEFAULT_TTL
        return max(60, min(ttl, MAX_TTL))

    def for_notification(self, notification: Notification, locale: str) -> Message | None:
        """The message about one page, or None when it should not be sent any more."""
        key = (notification.pk, locale)
        if notification.pk is None:
            return self._build(notification, locale)
        if key not in self._messages:
            self._messages[key] = self._build(notification, locale)
        return self._messages[key]

    def _build(self, notification: Notification, locale: str) -> Message | None:
        words = texts(locale)
        row, item = self.item(notification.translation_key, locale)
        if notification.kind == Notification.Kind.CORRECTION:
            heading = words.get(f"correction_{notification.reason}", words["correction_body"])
            title = item["title"] if item else notification.title
            return Message(
                kind="correction",
                locale=locale,
                title=f"{heading}：{title}" if locale != "en" else f"{heading}: {title}",
                body=words["correction_body"],
                url=absolute(item.get("web_url") if item else None),
                urgent=notification.urgent,
                ttl=self._ttl(notification, row) if row else 24 * 3600,
                topic=self._topic(notification),
                notification=notification,
                item=item,
            )
        if item_gone(item, row, self.now):
            return None
        prefix = f"【{words['urgent']}】" if notification.urgent else ""
        return Message(
            kind="published",
            locale=locale,
            title=prefix + item["title"],
            body=item.get("summary") or "",
            url=absolute(item.get("web_url")),
            urgent=notification.urgent,
            ttl=self._ttl(notification, row),
            topic=self._topic(notification),
            notification=notification,
            item=item,
        )

    def for_recipient(self, message: Message, subscription) -> Message:
        """The message as one subscription reads it: a carer's names whom it is for, a relay's
        asks them to pass an urgent notice on and links to their 已转告 page. Everyone else
        shares the message as built."""
        if subscription is None:
            return message
        if subscription.is_relay:
            relay_id = _relay_id(subscription.pk)
            if message.kind != "published" or relay_id is None:
                return message
            from subscriptions.relays import ack_path

            words = texts(message.locale)
            return replace(
                message,
                title=words["relay_title"].format(title=message.title),
                url=absolute(ack_path(relay_id, message.notification.pk)),
                page_url=message.url,
                relay=True,
            )
        if subscription.on_behalf_relationship:
            return replace(
                message,
                on_behalf=relationship_label(subscription.on_behalf_relationship, message.locale),
            )
        return message

    def for_digest(self, digest: Notification, bundled: list[Notification], locale: str):
        """One message listing the latest version of each page still worth reading."""
        words = texts(locale)
        latest: dict = {}
        for notification in sorted(bundled, key=lambda n: n.pk):
            latest[notification.translation_key] = notification
        entries = []
        for key, notification in latest.items():
            row, item = self.item(key, locale)
            if item_gone(item, row, self.now):
                continue
            entries.append(
                {
                    "type": item["type"],
                    "title": item["title"],
                    "summary": item.get("summary") or "",
                    "url": absolute(item.get("web_url")),
                    "urgent": notification.urgent,
                }
            )
        if not entries:
            return None
        period = "weekly" if digest.key.startswith("weekly") else "daily"
        title = words[f"digest_{period}"]
        return Message(
            kind="digest",
            locale=locale,
            title=title,
            body="；".join(entry["title"] for entry in entries[:5]),
            url=absolute("/"),
            ttl=24 * 3600,
            topic=f"digest-{period}",
            notification=digest,
            items=entries,
        )


def relationship_label(code: str, locale: str) -> str:
    """A relationship's name in `locale` ("母亲", "mother"), as the carer's messages say it."""
    from django.utils import translation

    with translation.override(locale):
        return str(Relationship(code).label) if code in Relationship.values else ""


def _relay_id(subscription_id: int) -> int | None:
    return (
        Relay.objects.filter(subscription_id=subscription_id).values_list("pk", flat=True).first()
    )
