"""What a resident reads of an item: cards for lists and the details of each content type, in words.

Everything here works on the item JSON the API serves, never on pages.
"""

from datetime import date, datetime

from django.utils import timezone

from front.paths import path_in
from front.texts import month_name, resident_labels, resident_words


def moment(value: str | None) -> datetime | None:
    return timezone.localtime(datetime.fromisoformat(value)) if value else None


def day_text(day: date, locale: str, *, year: bool = False) -> str:
    words = resident_words(locale)
    text = words["date_year" if year else "date"].format(
        year=day.year, day=day.day, month_name=month_name(day.month, locale)
    )
    return words["day_with_weekday"].format(date=text, weekday=words[f"weekday_{day.weekday()}"])


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
    extra = CARD_EXTRAS.get(data["type"])
    return {**out, **extra(data, locale)} if extra else out


def _notice_card(data: dict, locale: str) -> dict:
    start = moment(data["valid_from"])
    return {
        "urgency": data["urgency"]["code"],
        "urgency_label": _label(locale, "urgency", data["urgency"]),
        "date": day_text(start.date(), locale) if start else "",
    }


def _event_card(data: dict, locale: str) -> dict:
    return {
        "when": when_text(moment(data["starts_at"]), moment(data["ends_at"]), locale),
        "status": data["status"]["code"],
        "status_label": _label(locale, "event_status", data["status"]),
    }


def _service_card(data: dict, locale: str) -> dict:
    return {
        "fee_label": _label(locale, "fee_mode", data["fee_mode"]),
        "status": data["status"]["code"],
        "status_label": _label(locale, "service_status", data["status"]),
    }


# What a list row shows beyond title and summary, by content type.
CARD_EXTRAS = {"service": _service_card, "notice": _notice_card, "event": _event_card}


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


def notice_view(data: dict, locale: str, now: datetime) -> dict:
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
    # Read from the archive (a list's `current=false`): say so before anything else.
    state, state_text = "", ""
    if end and end <= now:
        state = "expired"
        state_text = words["notice_expired"].format(end=day_text(end.date(), locale, year=True))
    elif start and start > now:
        state, state_text = "upcoming", words["notice_upcoming"].format(start=start_text)
    return {
        "urgency_code": data["urgency"]["code"],
        "urgency_label": _label(locale, "urgency", data["urgency"]),
        "valid": valid,
        "state": state,
        "state_text": state_text,
        "issuer": {**issuer, "tel": tel(issuer.get("phone"))} if issuer else None,
    }


def event_view(data: dict, locale: str, now: datetime) -> dict:
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
        "capacity_text": words["capacity_n"].format(n=data.get("capacity")),
        "organiser": {**organiser, "tel": tel(organiser.get("phone"))} if organiser else None,
        "calendar_url": f"/feeds/events/{data['id']}.ics?locale={locale}",
    }


# What a detail page shows beyond title, summary and body, by content type.
DETAIL_VIEWS = {"service": service_view, "notice": notice_view, "event": event_view}


def detail_view(data: dict, locale: str, now: datetime) -> dict:
    """The words a content type's detail page shows; a type without its own view shows none."""
    view = DETAIL_VIEWS.get(data["type"])
    return view(data, locale, now) if view else {}
