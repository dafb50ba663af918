"""What the resident's phone pages show, read only from the API's representation.

Items come from the read model (`api.models.Item`, the JSON /api/v1/ serves)
through `api.selectors`, and shared records from the directory endpoints'
own `results()`, so nothing here could not be shown by any other API client.
Page objects are used only to know where a request landed (which community,
which list), never for what is shown.
"""

import json
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone, translation

from api import params
from api.models import Item
from api.selectors import DEFAULT_ORDERING, ItemFilter, items_for, items_page
from api.views.directory import (
    CommunityListView,
    ResidentCategoryListView,
    ServiceCategoryListView,
)
from api.views.events import EventListView
from api.views.notices import NoticeListView
from api.views.services import ServiceListView
from home.resident_texts import MONTHS_EN, resident_labels, resident_words

LOCALES = [code for code, _name in settings.LANGUAGES]
DEFAULT_LOCALE = settings.LANGUAGE_CODE
LANGUAGE_SWITCH = [
    ("zh-hans", "简", "简体中文"),
    ("zh-hant", "繁", "繁體中文"),
    ("en", "EN", "English"),
]
LIST_VIEWS = {"service": ServiceListView, "notice": NoticeListView, "event": EventListView}
PAGE_SIZE = 20
HOME_ROWS = 5
# Directory rows change seldom; a minute matches the pages' own max-age.
DIRECTORY_SECONDS = 60
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
SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
}


def reading_locale() -> str:
    """The active language as one of the API's reading locales."""
    language = (translation.get_language() or DEFAULT_LOCALE).lower()
    return language if language in LOCALES else DEFAULT_LOCALE


# Paths ---------------------------------------------------------------------


def bare_path(path: str) -> str:
    """`path` without its language prefix."""
    for code in LOCALES:
        if path.startswith(f"/{code}/"):
            return path[len(code) + 1 :]
    return path


def path_in(locale: str, path: str) -> str:
    """`path` (an item's web_url or any site path) under `locale`'s URL prefix."""
    bare = bare_path(path)
    return bare if locale == DEFAULT_LOCALE else f"/{locale}{bare}"


def language_links(path: str, query: str, locale: str) -> list[dict]:
    suffix = f"?{query}" if query else ""
    return [
        {
            "code": code,
            "short": short,
            "name": name,
            "href": path_in(code, path) + suffix,
            "current": code == locale,
        }
        for code, short, name in LANGUAGE_SWITCH
    ]


# Dates and times (Beijing time) ---------------------------------------------


def moment(value: str | None) -> datetime | None:
    return timezone.localtime(datetime.fromisoformat(value)) if value else None


def day_text(day: date, locale: str, *, year: bool = False) -> str:
    words = resident_words(locale)
    text = words["date_year" if year else "date"].format(
        year=day.year, month=day.month, day=day.day, month_name=MONTHS_EN[day.month - 1]
    )
    weekday = words[f"weekday_{day.weekday()}"]
    return f"{weekday} {text}" if locale == "en" else f"{text}（{weekday}）"


def when_text(start: datetime | None, end: datetime | None, locale: str) -> str:
    if start is None:
        return ""
    words = resident_words(locale)
    text = f"{day_text(start.date(), locale, year=start.year != timezone.localdate().year)} {start:%H:%M}"
    if end is None:
        return text
    if end.date() == start.date():
        return f"{text}–{end:%H:%M}"
    return f"{text} {words['until']} {day_text(end.date(), locale)} {end:%H:%M}"


# Service points --------------------------------------------------------------


def _weekday_span(days: list[int], locale: str) -> str:
    words = resident_words(locale)
    names = [words[f"weekday_{day}"] for day in days]
    consecutive = days == list(range(days[0], days[-1] + 1))
    if len(days) > 2 and consecutive:
        return f"{names[0]}–{names[-1]}"
    return "、".join(names) if locale != "en" else ", ".join(names)


def point_view(point: dict, locale: str, now: datetime) -> dict:
    """A service point with its weekly hours in words and whether it is open today and now."""
    words = resident_words(locale)
    today = now.date()
    clock = now.strftime("%H:%M")
    special = next((e for e in point.get("exceptions", []) if e["date"] == today.isoformat()), None)
    if special is not None:
        spans = [] if special["closed"] else [(special["opens"], special["closes"])]
    else:
        spans = [
            (h["opens"], h["closes"])
            for h in point.get("hours", [])
            if today.weekday() in h["days"]
        ]
    spans = [(opens, closes) for opens, closes in spans if opens and closes]
    if not point.get("hours") and special is None:
        today_text, open_now = "", None
    elif spans:
        hours = "、".join(f"{opens}–{closes}" for opens, closes in spans)
        today_text = words["open_today"].format(hours=hours)
        open_now = any(opens <= clock < closes for opens, closes in spans)
    else:
        today_text, open_now = words["closed_today"], False
    if special is not None and special.get("note"):
        today_text = (
            f"{today_text}（{special['note']}）"
            if locale != "en"
            else f"{today_text} ({special['note']})"
        )
    weekly = [
        {"days": _weekday_span(h["days"], locale), "hours": f"{h['opens']}–{h['closes']}"}
        for h in point.get("hours", [])
        if h["days"]
    ]
    upcoming = [
        {
            "date": day_text(date.fromisoformat(e["date"]), locale),
            "hours": words["closed"] if e["closed"] else f"{e['opens']}–{e['closes']}",
            "note": e.get("note", ""),
        }
        for e in point.get("exceptions", [])
        if e["date"] >= today.isoformat()
    ]
    return {
        **point,
        "tel": tel(point.get("phone")),
        "today": today_text,
        "open_now": open_now,
        "weekly": weekly,
        "special": upcoming,
    }


def tel(phone: str | None) -> str:
    """A tel: address for a phone number as editors type it (spaces, dashes, extensions in words)."""
    if not phone:
        return ""
    kept = "".join(ch for ch in phone.split("转")[0] if ch.isdigit() or ch in "+-")
    return f"tel:{kept}" if kept else ""


# Directory rows --------------------------------------------------------------


def directory(name: str, locale: str) -> list[dict]:
    """The rows a directory endpoint serves in `locale`, kept for a minute."""
    views = {
        "resident_categories": ResidentCategoryListView,
        "service_categories": ServiceCategoryListView,
        "communities": CommunityListView,
    }
    key = f"resident:directory:{name}:{locale}"
    rows = cache.get(key)
    if rows is None:
        rows = views[name]().results(locale)
        cache.set(key, rows, DIRECTORY_SECONDS)
    return rows


def community_of(code: str | None, locale: str) -> dict | None:
    return (
        next((row for row in directory("communities", locale) if row["code"] == code), None)
        if code
        else None
    )


# Items -----------------------------------------------------------------------


def _label(locale: str, group: str, value: dict | None) -> str:
    if not value:
        return ""
    return resident_labels(locale).get(group, {}).get(value["code"], value.get("label", ""))


def card(data: dict, locale: str) -> dict:
    """What a list row shows of an item."""
    out = {
        "type": data["type"],
        "title": data["title"],
        "summary": data["summary"],
        "url": path_in(locale, data["web_url"]),
        "lang": data.get("content_locale")
        if data.get("fallback") and not data.get("machine_converted")
        else None,
    }
    if data["type"] == "notice":
        out["urgency"] = data["urgency"]["code"]
        out["urgency_label"] = _label(locale, "urgency", data["urgency"])
        start = moment(data["valid_from"])
        out["date"] = day_text(start.date(), locale) if start else ""
    elif data["type"] == "event":
        out["when"] = when_text(moment(data["starts_at"]), moment(data["ends_at"]), locale)
        out["status"] = data["status"]["code"]
        out["status_label"] = _label(locale, "event_status", data["status"])
    else:
        out["fee_label"] = _label(locale, "fee_mode", data["fee_mode"])
        out["status"] = data["status"]["code"]
        out["status_label"] = _label(locale, "service_status", data["status"])
    return out


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
    view = LIST_VIEWS[type]()
    allowed = [name for name in LIST_FILTERS[type] if not (community and name == "community")]
    spec = {name: parser for name, parser in view.param_spec().items() if name in allowed}
    # Empty form fields mean "any", not an invalid value.
    given = QueryDict(mutable=True)
    for name in query:
        values = [value for value in query.getlist(name) if value != ""]
        if values:
            given.setlist(name, values)
    chosen = params.parse(given, spec)
    item_filter = ItemFilter(
        locale=locale,
        type=type,
        community=community or chosen.get("community"),
        resident_category=chosen.get("resident_category"),
        extra=view.extra_filters(chosen),
    )
    items = items_for(item_filter, now=now)
    rows, next_cursor = items_page(
        items,
        type=type,
        ordering=DEFAULT_ORDERING[type],
        cursor=chosen.get("cursor"),
        limit=PAGE_SIZE,
    )
    return ListPage([card(d, locale) for d in rows_data(rows)], next_cursor, chosen)


def item_read(*, translation_key, locale: str, now: datetime) -> dict | None:
    """The item of a page's translation group in `locale`, as the API serves it, if visible now."""
    item = (
        Item.objects.filter(translation_key=translation_key, locale=locale)
        .visible(now)
        .only("data")
        .first()
    )
    return json.loads(item.data) if item else None


def service_view(data: dict, locale: str, now: datetime) -> dict:
    words = resident_words(locale)
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None:
        age = words["age_between"].format(min=low, max=high)
    elif low is not None:
        age = words["age_from"].format(min=low)
    elif high is not None:
        age = words["age_to"].format(max=high)
    else:
        age = ""
    costs = [
        {
            "price": (words["yuan_per"] if cost.get("unit") else words["yuan"]).format(
                amount=cost["amount"], unit=cost.get("unit", "")
            ),
            "description": cost.get("description", ""),
        }
        for cost in data.get("costs", [])
    ]
    days = data.get("promised_days")
    promised = (
        ""
        if days is None
        else words["on_the_spot"]
        if days == 0
        else words["working_days"].format(days=days)
    )
    provider = data.get("provider")
    return {
        "kind_label": _label(locale, "kind", data["kind"]),
        "fee_code": data["fee_mode"]["code"],
        "fee_label": _label(locale, "fee_mode", data["fee_mode"]),
        "costs": costs,
        "age": age,
        "delivery": [
            _label(locale, "delivery_mode", mode) for mode in data.get("delivery_modes", [])
        ],
        "points": [point_view(point, locale, now) for point in data.get("service_points", [])],
        "promised": promised,
        "documents": [
            {
                **doc,
                "copies_text": words["copies"].format(n=doc["copies"]) if doc.get("copies") else "",
            }
            for doc in data.get("documents", [])
        ],
        "provider": {**provider, "tel": tel(provider.get("phone"))} if provider else None,
        "hotline_tel": tel(data.get("hotline")),
        "status_code": data["status"]["code"],
        "status_label": _label(locale, "service_status", data["status"]),
        "last_verified": day_text(date.fromisoformat(data["last_verified"]), locale, year=True)
        if data.get("last_verified")
        else "",
    }


def notice_view(data: dict, locale: str) -> dict:
    words = resident_words(locale)
    start, end = moment(data["valid_from"]), moment(data["valid_until"])
    start_text = f"{day_text(start.date(), locale, year=True)} {start:%H:%M}" if start else ""
    if end:
        valid = (
            f"{start_text} {words['until']} {day_text(end.date(), locale, year=True)} {end:%H:%M}"
        )
    else:
        valid = words["valid_open"].format(start=start_text)
    issuer = data.get("issuer")
    return {
        "urgency_code": data["urgency"]["code"],
        "urgency_label": _label(locale, "urgency", data["urgency"]),
        "valid": valid,
        "issuer": {**issuer, "tel": tel(issuer.get("phone"))} if issuer else None,
    }


def event_view(data: dict, locale: str) -> dict:
    words = resident_words(locale)
    registration = data.get("registration") or {}
    deadline = moment(registration.get("deadline"))
    organiser = data.get("organiser")
    venue = data.get("venue")
    return {
        "when": when_text(moment(data["starts_at"]), moment(data["ends_at"]), locale),
        "status_code": data["status"]["code"],
        "status_label": _label(locale, "event_status", data["status"]),
        "type_label": _label(locale, "event_type", data["event_type"]),
        "venue_name": venue["name"] if venue else "",
        "venue_address": data.get("venue_address") or (venue["address"] if venue else ""),
        "deadline": f"{day_text(deadline.date(), locale)} {deadline:%H:%M}" if deadline else "",
        "free": data.get("fee") in (None, "", "0", "0.00"),
        "fee_text": words["yuan"].format(amount=data.get("fee")),
        "organiser": {**organiser, "tel": tel(organiser.get("phone"))} if organiser else None,
        "calendar_url": f"/feeds/events/{data['id']}.ics?locale={locale}",
    }


# Structured data ------------------------------------------------------------


def _organisation(org: dict | None) -> dict | None:
    if not org:
        return None
    out = {
        "@type": "GovernmentOrganization" if org.get("kind") == "government" else "Organization",
        "name": org["name"],
    }
    if org.get("phone"):
        out["telephone"] = org["phone"]
    if org.get("address"):
        out["address"] = org["address"]
    return out


def _place(point: dict) -> dict:
    place = {"@type": "Place", "name": point["name"], "address": point.get("address", "")}
    if point.get("latitude") is not None and point.get("longitude") is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": point["latitude"],
            "longitude": point["longitude"],
        }
    if point.get("phone"):
        place["telephone"] = point["phone"]
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [SCHEMA_DAYS[day] for day in h["days"]],
            "opens": h["opens"],
            "closes": h["closes"],
        }
        for h in point.get("hours", [])
    ]
    if hours:
        place["openingHoursSpecification"] = hours
    return place


def _without_empty(value):
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def structured_data(data: dict, *, url: str, locale: str) -> dict:
    """schema.org JSON-LD for an item: GovernmentService/Service, Event, or Article for a notice."""
    common = {
        "@context": "https://schema.org",
        "name": data["title"],
        "description": data["summary"],
        "url": url,
        "inLanguage": data.get("content_locale")
        if locale == "en" and data.get("fallback")
        else locale,
    }
    if data["type"] == "service":
        channel = {
            "@type": "ServiceChannel",
            "serviceUrl": data.get("apply_url"),
            "servicePhone": {"@type": "ContactPoint", "telephone": data["hotline"]}
            if data.get("hotline")
            else None,
            "serviceLocation": [_place(p) for p in data.get("service_points", [])],
            "processingTime": f"P{data['promised_days']}D"
            if data.get("promised_days") is not None
            else None,
        }
        offers = [
            {
                "@type": "Offer",
                "price": cost["amount"],
                "priceCurrency": cost.get("currency", "CNY"),
                "description": f"{cost.get('unit', '')} {cost.get('description', '')}".strip(),
            }
            for cost in data.get("costs", [])
        ] or [{"@type": "Offer", "price": "0", "priceCurrency": "CNY"}]
        ld = {
            **common,
            "@type": "GovernmentService" if data["kind"]["code"] == "public" else "Service",
            "serviceType": [c["name"] for c in data.get("service_categories", [])],
            "provider": _organisation(data.get("provider")),
            "audience": [
                {"@type": "Audience", "audienceType": a["name"]} for a in data.get("audience", [])
            ],
            "availableChannel": channel,
            "offers": offers,
        }
    elif data["type"] == "event":
        venue = data.get("venue")
        location = (
            _place(venue)
            if venue
            else {
                "@type": "Place",
                "name": data.get("venue_address", ""),
                "address": data.get("venue_address", ""),
            }
        )
        image = (data.get("image") or {}).get("phone", {}).get("url")
        ld = {
            **common,
            "@type": "Event",
            "startDate": data["starts_at"],
            "endDate": data["ends_at"],
            "eventStatus": EVENT_STATUS.get(data["status"]["code"], EVENT_STATUS["scheduled"]),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": location,
            "organizer": _organisation(data.get("organiser")),
            "maximumAttendeeCapacity": data.get("capacity"),
            "offers": {"@type": "Offer", "price": data.get("fee") or "0", "priceCurrency": "CNY"},
            "image": image,
        }
    else:
        ld = {
            **common,
            "@type": "Article",
            "headline": data["title"],
            "articleSection": resident_words(locale)["notices"],
            "datePublished": data.get("first_published_at"),
            "dateModified": data.get("last_published_at"),
            "publisher": _organisation(data.get("issuer")),
            "identifier": data.get("document_number"),
            "expires": data.get("valid_until"),
        }
    return _without_empty(ld)


def json_for_script(value: dict) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
