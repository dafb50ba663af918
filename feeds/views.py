"""Atom and iCalendar views: check the query, select items, render. Nothing else."""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from core.content_types import content_types
from core.errors import ApiError
from feeds.http import FeedQuery, Rendered, feed_get, feed_query
from feeds.ical import ICAL_CONTENT_TYPE
from feeds.labels import FEED_TITLES, label
from feeds.render import TAG_DATE, atom_render, calendar_render, tag_authority
from feeds.selectors import (
    calendar_event,
    calendar_events,
    community_name,
    event_revisions,
    feed_items_newest,
    feed_types,
    feeds_last_modified,
    resident_category_name,
)

NOTHING_PUBLISHED = datetime(2026, 1, 1, tzinfo=UTC)
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"


def _title(query: FeedQuery, subject: str) -> str:
    parts = [str(settings.SITE_LABEL)]
    if query.community:
        parts.append(community_name(code=query.community, locale=query.locale))
    parts.append(subject)
    return " · ".join(parts)


def _feed_id(query: FeedQuery, name: str) -> str:
    scope = f"/{query.community}" if query.community else ""
    return f"tag:{tag_authority()},{TAG_DATE}:feeds/{name}/{query.locale}{scope}"


def _atom(
    request: HttpRequest,
    query: FeedQuery,
    *,
    name: str,
    subject: str,
    types: tuple[str, ...],
    category: str | None = None,
) -> Rendered:
    now = timezone.now()
    last_modified = feeds_last_modified(locale=query.locale, now=now)
    items = feed_items_newest(
        locale=query.locale,
        types=types,
        community=query.community,
        resident_category=category,
        now=now,
    )
    body = atom_render(
        request=request,
        items=items,
        title=_title(query, subject),
        feed_id=_feed_id(query, name),
        locale=query.locale,
        # Never the clock: an empty feed must keep its ETag until something is published.
        updated=last_modified or NOTHING_PUBLISHED,
    )
    return Rendered(body=body, content_type=ATOM_CONTENT_TYPE, last_modified=last_modified)


@feed_get
def type_feed(request: HttpRequest, *, name: str) -> Rendered:
    """Atom feed of one content type (services, notices, events) or of all of them."""
    query = feed_query(request.GET)
    # A type without a feed title of its own is named by its label.
    title = FEED_TITLES.get(name) or next(ct.label for ct in content_types() if ct.plural == name)
    subject = label(title, query.locale)
    return _atom(request, query, name=name, subject=subject, types=feed_types(name))


@feed_get
def category_feed(request: HttpRequest, code: str) -> Rendered:
    """Atom feed of everything meant for one resident category (and for everyone)."""
    query = feed_query(request.GET)
    # Codes are slugs; checking first keeps odd bytes (a NUL breaks PostgreSQL) away from the query.
    name = resident_category_name(code=code, locale=query.locale) if SLUG.fullmatch(code) else None
    if name is None:
        raise ApiError(
            "not_found", f"There is no resident category '{code}'.", field="category", status=404
        )
    return _atom(
        request,
        query,
        name=f"categories/{code}",
        subject=name,
        types=feed_types("all"),
        category=code,
    )


@feed_get
def events_calendar(request: HttpRequest) -> Rendered:
    """All visible events as one subscribable calendar."""
    query = feed_query(request.GET)
    now = timezone.now()
    items = calendar_events(locale=query.locale, community=query.community, now=now)
    body = calendar_render(
        request=request,
        name=_title(query, label(FEED_TITLES["events"], query.locale)),
        items=items,
        revisions=event_revisions(items=items),
    )
    return Rendered(
        body=body,
        content_type=ICAL_CONTENT_TYPE,
        last_modified=feeds_last_modified(locale=query.locale, now=now),
    )


@feed_get
def event_calendar(request: HttpRequest, key: str) -> Rendered:
    """One event as an .ics file, by the id of any of its translations."""
    query = feed_query(request.GET, community=False)
    item = None
    if key.isascii() and key.isdigit() and len(key) < 19:
        item = calendar_event(page_id=int(key), locale=query.locale, now=timezone.now())
    if item is None:
        raise ApiError("not_found", f"No event '{key}' is published.", field="id", status=404)
    revisions = event_revisions(items=[item])
    body = calendar_render(request=request, name=item.title, items=[item], revisions=revisions)
    return Rendered(
        body=body, content_type=ICAL_CONTENT_TYPE, last_modified=revisions[item.pk].changed_at
    )
