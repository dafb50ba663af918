"""Turning projected items into Atom entries and calendar events."""

import json
from datetime import datetime
from html import escape
from io import StringIO
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from core.content_types import content_type
from feeds.ical import CalendarEvent, ical_calendar
from feeds.labels import LIST_SEPARATOR, STATUS_PREFIX, label
from feeds.selectors import Revision
from items.models import Item

# The date in tag: URIs (RFC 4151): when the authority was first used for these ids. Never change it.
TAG_DATE = "2026"
ICAL_STATUS = {"scheduled": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


def tag_authority() -> str:
    """The host that names entry ids: the configured public address, not the request's Host.

    Kiosks, phones and proxies reach the hub under different names; ids must
    not change with the door a reader came in by.
    """
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def item_link(request: HttpRequest, data: dict) -> str:
    """The page on the web site, absolute; the API's item when the page has no web address."""
    plural = content_type(data["type"]).plural
    path = data.get("web_url") or f"/api/v1/{plural}/{data['id']}/?locale={data['locale']}"
    return request.build_absolute_uri(path)


def item_title(data: dict) -> str:
    # Cancelled and postponed events say so before their title.
    status = (data.get("status") or {}).get("code")
    prefix = label(STATUS_PREFIX[status], data["locale"]) if status in STATUS_PREFIX else ""
    return prefix + data["title"]


def _local(moment: datetime | None) -> datetime | None:
    # Beijing time, as the API writes its dates.
    return timezone.localtime(moment) if moment else None


class _AtomFeed(Atom1Feed):
    """Atom with the full body as `content`, and an `updated` that never reads the clock."""

    def __init__(self, *args, empty_updated: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_updated = empty_updated

    def latest_post_date(self):
        if not self.items:
            return self.empty_updated
        return super().latest_post_date()

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


def atom_render(
    *,
    request: HttpRequest,
    items: list[Item],
    title: str,
    feed_id: str,
    locale: str,
    updated: datetime,
) -> bytes:
    """An Atom document of `items`, newest first as given."""
    feed = _AtomFeed(
        title=title,
        link=request.build_absolute_uri("/"),
        description="",
        language=locale,
        feed_url=request.build_absolute_uri(),
        feed_guid=feed_id,
        author_name=str(settings.SITE_LABEL),
        empty_updated=_local(updated),
    )
    authority = tag_authority()
    for item in items:
        data = json.loads(item.data)
        author = (data.get(content_type(data["type"]).author_field) or {}).get("name")
        feed.add_item(
            title=item_title(data),
            link=item_link(request, data),
            # The summary is plain text; Django writes it as type="html", so escape it once.
            description=escape(data["summary"] or ""),
            content=data.get("body_html") or None,
            unique_id=f"tag:{authority},{TAG_DATE}:{data['type']}/{item.page_id}",
            pubdate=_local(item.first_published_at),
            updateddate=_local(item.last_published_at or item.first_published_at),
            author_name=author or None,
            categories=[category["code"] for category in data.get("audience", [])],
        )
    out = StringIO()
    feed.write(out, "utf-8")
    return out.getvalue().encode()


def event_uid(item: Item) -> str:
    """The UID of an event in every calendar: its translation group, so edits and locales share it."""
    return f"event-{item.translation_key}@{tag_authority()}"


def _location(data: dict) -> str:
    venue = data.get("venue") or {}
    parts = [venue.get("name") or "", data.get("venue_address") or ""]
    parts = [part.strip() for part in parts if part and part.strip()]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return label(LIST_SEPARATOR, data["locale"]).join(parts)


def _description(data: dict) -> str:
    paragraphs = []
    status = data["status"]["code"]
    if status in STATUS_PREFIX:
        paragraphs.append(label(STATUS_PREFIX[status], data["locale"]) + data["status_reason"])
    paragraphs += [data.get("summary") or "", data.get("body_text") or ""]
    return "\n\n".join(p.strip() for p in paragraphs if p and p.strip())


def calendar_event_of(*, request: HttpRequest, item: Item, revision: Revision) -> CalendarEvent:
    """The VEVENT for one projected event."""
    data = json.loads(item.data)
    venue = data.get("venue") or {}
    latitude, longitude = venue.get("latitude"), venue.get("longitude")
    return CalendarEvent(
        uid=event_uid(item),
        sequence=revision.sequence,
        stamp=revision.changed_at or item.last_published_at,
        created=item.first_published_at,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        summary=item_title(data),
        description=_description(data),
        location=_location(data),
        url=item_link(request, data),
        status=ICAL_STATUS.get(data["status"]["code"], "CONFIRMED"),
        geo=(latitude, longitude) if latitude is not None and longitude is not None else None,
    )


def calendar_render(
    *, request: HttpRequest, name: str, items: list[Item], revisions: dict[int, Revision]
) -> bytes:
    """An iCalendar document of `items`."""
    return ical_calendar(
        name=name,
        events=[
            calendar_event_of(request=request, item=item, revision=revisions[item.pk])
            for item in items
        ],
    )
