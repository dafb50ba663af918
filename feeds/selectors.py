"""What the feeds show, read from the API's projected items so feeds and API never disagree."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Q

from wagtail.models import Locale

from core.content_types import content_types
from items.models import Change, Item

FEED_LIMIT = 50
# Events stay visible for LINLI_PAST_EVENTS_DAYS after they end, so this only
# guards against a runaway calendar; it keeps the newest starts.
CALENDAR_LIMIT = 1000


@dataclass(frozen=True)
class Revision:
    """How often and when an event's item in one locale last changed, from the change log."""

    sequence: int
    changed_at: datetime | None


def feed_types(name: str) -> tuple[str, ...]:
    """The content types of the feed called `name`: a type's plural, or every type for "all"."""
    return tuple(ct.code for ct in content_types() if name in (ct.plural, "all"))


def default_locale() -> str:
    return settings.WAGTAIL_CONTENT_LANGUAGES[0][0]


def reading_locales() -> set[str]:
    return {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}


def known_communities() -> set[str]:
    """Codes of the live communities, the values `?community=` accepts."""
    from home.models import CommunityHomePage

    return set(
        CommunityHomePage.objects.live()
        .filter(locale=Locale.get_default())
        .values_list("code", flat=True)
    )


def resident_category_name(*, code: str, locale: str) -> str | None:
    """The name of resident category `code` in `locale` (else the default's); None if unknown."""
    from home.models import ResidentCategory

    original = ResidentCategory.objects.in_default_locale().filter(code=code).first()
    if original is None:
        return None
    translated = ResidentCategory.objects.filter(
        translation_key=original.translation_key, locale__language_code=locale
    ).first()
    return (translated or original).name


def community_name(*, code: str, locale: str) -> str:
    """The title of community `code` in `locale`, else in the default locale."""
    from home.models import CommunityHomePage

    pages = CommunityHomePage.objects.live().filter(code=code)
    page = pages.filter(locale__language_code=locale).first() or pages.first()
    return page.title if page else code


def _filtered(*, locale: str, types: tuple[str, ...], community: str | None, now: datetime):
    items = Item.objects.visible(now).filter(locale=locale, type__in=types)
    if community:
        items = items.filter(Q(community=community) | Q(community=""))
    return items


def feed_items_newest(
    *,
    locale: str,
    types: tuple[str, ...],
    community: str | None,
    resident_category: str | None,
    now: datetime,
    limit: int = FEED_LIMIT,
) -> list[Item]:
    """The most recently published items visible at `now`, newest first."""
    items = _filtered(locale=locale, types=types, community=community, now=now)
    if resident_category:
        # A category's residents also care about what is meant for everyone.
        items = items.filter(
            Q(audience__contains=f" {resident_category} ") | Q(audience__contains=" all ")
        )
    return list(items.order_by("-last_published_at", "-id")[:limit])


def calendar_events(
    *, locale: str, community: str | None, now: datetime, limit: int = CALENDAR_LIMIT
) -> list[Item]:
    """The events visible at `now` (cancelled ones included), by start time."""
    items = _filtered(locale=locale, types=("event",), community=community, now=now)
    newest = list(items.order_by("-starts_at", "-id")[:limit])
    return newest[::-1]


def calendar_event(*, page_id: int, locale: str, now: datetime) -> Item | None:
    """The event whose group contains page `page_id`, as read in `locale`, if visible at `now`."""
    key = (
        Item.objects.filter(page_id=page_id, type="event")
        .values_list("translation_key", flat=True)
        .first()
    )
    if key is None:
        return None
    return Item.objects.visible(now).filter(translation_key=key, locale=locale).first()


def event_revisions(*, items: list[Item]) -> dict[int, Revision]:
    """Each item's revision, keyed by item id.

    The sequence is the id of the newest change-log entry for the item's page
    in its locale. Change ids only grow and every re-projection of an item
    appends one, so the number rises on every republish and never falls, even
    when a translation replaces the fallback page (a count per page would
    restart there).
    """
    by_locale: dict[str, list[int]] = {}
    for item in items:
        by_locale.setdefault(item.locale, []).append(item.page_id)
    newest: dict[tuple[int, str], tuple[int, datetime]] = {}
    for locale, page_ids in by_locale.items():
        rows = (
            Change.objects.filter(locale=locale, page_id__in=page_ids)
            .values("page_id")
            .annotate(last_id=Max("id"), last_at=Max("created_at"))
        )
        for row in rows:
            newest[(row["page_id"], locale)] = (row["last_id"], row["last_at"])
    revisions = {}
    for item in items:
        last_id, last_at = newest.get((item.page_id, item.locale), (0, None))
        revisions[item.pk] = Revision(
            sequence=last_id, changed_at=last_at or item.last_published_at
        )
    return revisions


def feeds_last_modified(*, locale: str, now: datetime) -> datetime | None:
    """A time that moves forward whenever any feed in `locale` may have changed.

    The newest change-log entry covers publishing; the newest visibility
    boundary already passed covers notices and events leaving with the clock
    even before the periodic sweep logs them.
    """
    last_change = Change.objects.order_by("-id").values_list("created_at", flat=True).first()
    boundaries = Item.objects.filter(locale=locale).aggregate(
        started=Max("visible_from", filter=Q(visible_from__lte=now)),
        ended=Max("visible_until", filter=Q(visible_until__lte=now)),
    )
    moments = [m for m in (last_change, boundaries["started"], boundaries["ended"]) if m]
    return max(moments) if moments else None
