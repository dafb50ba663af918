"""The cultural event as a content type: listed until it ends, kept a while after for the record."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import params
from core.content_types import ContentType
from core.errors import ApiError
from core.representation import choice_repr, image_repr, iso, shared
from home.representation import organisation_repr, point_repr


def represent(page, localise) -> dict:
    """The event's own fields of its item."""
    return {
        "starts_at": iso(page.starts_at),
        "ends_at": iso(page.ends_at),
        "venue": point_repr(page.venue, localise),
        "venue_address": page.venue_address or (localise(page.venue).address if page.venue else ""),
        "organiser": organisation_repr(page.organiser, localise),
        "event_type": choice_repr(page.event_type, page.EventType),
        "capacity": page.capacity,
        "registration": {
            "required": page.registration == page.Registration.REQUIRED,
            "how": page.registration_how,
            "deadline": iso(page.registration_deadline),
        },
        "fee": str(page.fee),
        "fee_note": page.fee_note,
        "status": choice_repr(page.status, page.Status),
        "status_reason": page.status_reason,
        "image": shared(page, "image", lambda: image_repr(page.image)),
    }


def columns(page) -> dict:
    """The read model's filter columns an event fills."""
    return {
        "kind": page.event_type,
        "status": page.status,
        "starts_at": page.starts_at,
        "ends_at": page.ends_at,
    }


def window(page) -> tuple:
    """An event stays readable for LINLI_PAST_EVENTS_DAYS after it ends."""
    return None, page.ends_at + timedelta(days=settings.LINLI_PAST_EVENTS_DAYS)


def filters() -> dict:
    """The event list's own query parameters."""
    from events.models import EventPage

    return {
        "from": params.moment,
        "to": params.moment,
        "status": params.choice({c for c, _ in EventPage.Status.choices}),
        "event_type": params.choice({c for c, _ in EventPage.EventType.choices}),
    }


def lookups(query: dict) -> dict:
    """Events overlapping [from, to]; by default those that have not ended."""
    start, end = query.get("from"), query.get("to")
    if start and end and end < start:
        raise ApiError("invalid_range", "'to' must not be before 'from'.", field="to")
    found = {"ends_at__gte": start or timezone.now()}
    if end:
        found["starts_at__lte"] = end
    if "status" in query:
        found["status"] = query["status"]
    if "event_type" in query:
        found["kind"] = query["event_type"]
    return found


def gone(item, now) -> bool:
    """A cancelled or finished event is no longer worth a message."""
    if item.status == "cancelled":
        return True
    end = item.ends_at or item.starts_at
    return bool(end and end <= now)


EVENT = ContentType(
    code="event",
    plural="events",
    label=_("文化活动"),
    model="events.EventPage",
    index_model="events.EventIndexPage",
    audience_field="audience",
    body_field="body",
    represent=represent,
    columns=columns,
    prefetch=lambda: (["organiser", "venue", "image"], ["audience"]),
    window=window,
    filters=filters,
    lookups=lookups,
    orderings={"starts_at": ("starts_at", False), "-starts_at": ("starts_at", True)},
    default_ordering="starts_at",
    index_title="文化活动",
    index_intro="讲座、文艺、健身和节日活动。",
    list_doc="Events overlapping [from, to]; by default those that have not ended.",
    detail_doc="One event by id or slug.",
    author_field="organiser",
    expires=lambda page: page.starts_at,
    gone=gone,
    correction=lambda page: page.status if page.status in ("cancelled", "postponed") else None,
    withdrawn_reason="cancelled",
)
