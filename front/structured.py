"""schema.org JSON-LD for an item's page, so search engines and assistants read services and events."""

import json

from front.texts import resident_words

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
}


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


def _service_ld(data: dict, common: dict, locale: str) -> dict:
    """A service as a GovernmentService (public) or Service, with its channel and offers."""
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
    return {
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


def _event_ld(data: dict, common: dict, locale: str) -> dict:
    """An event at its venue."""
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
    return {
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


def _notice_ld(data: dict, common: dict, locale: str) -> dict:
    """A notice as an Article of the notices section."""
    return {
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


def _page_ld(data: dict, common: dict, locale: str) -> dict:
    """Any other item as a web page."""
    return {**common, "@type": "WebPage", "dateModified": data.get("last_published_at")}


STRUCTURED = {"service": _service_ld, "event": _event_ld, "notice": _notice_ld}


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
    ld = STRUCTURED.get(data["type"], _page_ld)(data, common, locale)
    return _without_empty(ld)


def json_for_script(value: dict) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
