"""What the residents' pages read: items and directory rows through the API's selectors.

Items come from the read model (`items.models.Item`, the JSON /api/v1/ serves)
and shared records from the directory selectors, so nothing here could not be
shown by any other API client. Page objects are used only to know where a
request landed (which community, which list), never for what is shown.
"""

import json
from dataclasses import dataclass, replace
from datetime import datetime

from django.core.cache import cache
from django.http import QueryDict

from core import params
from front.present import card
from items.directory import communities_read, resident_categories_read, service_categories_read
from items.models import Item
from items.selectors import ItemFilter, items_for, items_listed, list_params

PAGE_SIZE = 20
HOME_ROWS = 5
# Directory rows change seldom; a minute matches the pages' own max-age.
DIRECTORY_SECONDS = 60
DIRECTORIES = {
    "resident_categories": resident_categories_read,
    "service_categories": service_categories_read,
    "communities": communities_read,
}
# Filters a resident's list offers; the rest of the API's parameters are refused as unknown.
LIST_FILTERS = {
    "service": [
        "community",
        "resident_category",
        "service_category",
        "fee_mode",
        "delivery_mode",
        "kind",
        "status",
        "cursor",
    ],
    "notice": ["community", "resident_category", "urgency", "pinned", "cursor"],
    "event": ["community", "resident_category", "from", "to", "status", "event_type", "cursor"],
}
COMMON_FILTERS = ["community", "resident_category", "cursor"]


def directory(name: str, locale: str) -> list[dict]:
    """The rows a directory endpoint serves in `locale`, kept for a minute."""
    key = f"resident:directory:{name}:{locale}"
    rows = cache.get(key)
    if rows is None:
        rows = DIRECTORIES[name](locale)
        cache.set(key, rows, DIRECTORY_SECONDS)
    return rows


def community_of(code: str | None, locale: str) -> dict | None:
    return (
        next((row for row in directory("communities", locale) if row["code"] == code), None)
        if code
        else None
    )


def rows_data(rows) -> list[dict]:
    return [json.loads(row.data) for row in rows]


def home_view(*, locale: str, community: str | None, now: datetime) -> dict:
    """The home page: urgent banner, latest notices, coming events and the ways into the catalog."""
    base = ItemFilter(locale=locale, community=community)
    notices = (
        items_for(replace(base, type="notice"), now=now).order_by("-valid_from", "-id").only("data")
    )
    events = (
        items_for(replace(base, type="event"), now=now)
        .filter(ends_at__gte=now)
        .order_by("starts_at", "id")
        .only("data")
    )
    return {
        "urgent": [
            card(d, locale) for d in rows_data(notices.filter(urgency="urgent")[:HOME_ROWS])
        ],
        "notices": [
            card(d, locale) for d in rows_data(notices.exclude(urgency="urgent")[:HOME_ROWS])
        ],
        "events": [card(d, locale) for d in rows_data(events[:HOME_ROWS])],
        "service_categories": directory("service_categories", locale),
        "resident_categories": directory("resident_categories", locale),
        "community": community_of(community, locale),
    }


@dataclass
class ListPage:
    cards: list[dict]
    next_cursor: str | None
    chosen: dict


def list_read(
    *, type: str, query: QueryDict, locale: str, community: str | None, now: datetime
) -> ListPage:
    """One page of a list with the API's filters; raises ApiError for values the API refuses."""
    offered = LIST_FILTERS.get(type, COMMON_FILTERS)
    allowed = [name for name in offered if not (community and name == "community")]
    spec = {name: parser for name, parser in list_params(type).items() if name in allowed}
    # Empty form fields mean "any", not an invalid value.
    given = QueryDict(mutable=True)
    for name in query:
        values = [value for value in query.getlist(name) if value != ""]
        if values:
            given.setlist(name, values)
    chosen = params.parse(given, spec)
    rows, next_cursor = items_listed(
        type=type,
        query={**chosen, "locale": locale, "limit": PAGE_SIZE},
        now=now,
        community=community,
    )
    return ListPage([card(d, locale) for d in rows_data(rows)], next_cursor, chosen)


def item_read(*, translation_key, locale: str, now: datetime) -> dict | None:
    """The item of a page's translation group in `locale`, as the API serves it, if readable now."""
    item = (
        Item.objects.filter(translation_key=translation_key, locale=locale)
        .readable(now)
        .only("data")
        .first()
    )
    return json.loads(item.data) if item else None
