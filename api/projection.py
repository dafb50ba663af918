"""Keeping the API's read model in step with the page tree.

Every operation here runs inside the transaction of the change that caused
it and appends to the change log, so the log and the items never disagree.
"""

import hashlib
import json
from datetime import timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wagtail.models import Locale, Page

from api.models import Change, FeedClock, Item
from api.representation.items import item_type, reading_locales, represent_page
from core.content_types import content_type_of


def _lock_clock() -> FeedClock:
    # Serialises log writers until commit; see FeedClock.
    clock = FeedClock.objects.select_for_update().filter(pk=1).first()
    if clock is None:
        clock, _created = FeedClock.objects.get_or_create(pk=1)
    return clock


def _codes(rows) -> str:
    return " " + " ".join(row.code for row in rows) + " " if rows else ""


# Columns a content type leaves alone keep these values.
BLANK_COLUMNS = {
    "categories": "",
    "kind": "",
    "fee_mode": "",
    "delivery_modes": "",
    "status": "",
    "urgency": "",
    "pinned": False,
    "starts_at": None,
    "ends_at": None,
    "valid_from": None,
    "valid_until": None,
}


def _columns(page, locale: str, data: str) -> dict:
    content_type = content_type_of(page)
    visible_from, visible_until = content_type.window(page)
    community = page.community
    return {
        "type": content_type.code,
        "translation_key": page.translation_key,
        "is_fallback": page.locale.language_code != locale,
        "community": community.code if community else "",
        "street_id": page.street_id,
        "audience": _codes(list(content_type.audience(page))),
        **BLANK_COLUMNS,
        **content_type.columns(page),
        "title": page.title,
        "slug": page.slug,
        "visible_from": visible_from,
        "visible_until": visible_until,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "data": data,
        "etag": hashlib.sha1(data.encode(), usedforsecurity=False).hexdigest(),
    }


@transaction.atomic  # items and their change log commit together, even when publishing is not in a transaction
def items_project_group(*, translation_key: UUID, reason: str) -> list[Change]:
    """Re-project every locale's item of one translation group; returns the changes logged.

    For each reading locale the item is the live page in that locale, else the
    live default-locale page as a fallback, else nothing.
    """
    pages = {
        page.locale.language_code: page
        for page in Page.objects.filter(translation_key=translation_key, live=True)
        .select_related("locale")
        .specific()
        if item_type(page)
    }
    default = Locale.get_default().language_code
    translations = {code: (pages[code].pk if code in pages else None) for code in reading_locales()}
    existing = {item.locale: item for item in Item.objects.filter(translation_key=translation_key)}
    changes: list[Change] = []
    for locale in reading_locales():
        page = pages.get(locale) or pages.get(default)
        current = existing.get(locale)
        if page is None:
            if current is not None:
                current.delete()
                changes.append(
                    Change(page_id=current.page_id, locale=locale, type=current.type, reason=reason)
                )
            continue
        data = json.dumps(
            represent_page(page, locale=locale, translations=translations),
            ensure_ascii=False,
            separators=(",", ":"),
        )
        columns = _columns(page, locale, data)
        if current is not None and current.page_id == page.pk:
            if current.etag == columns["etag"] and _same_columns(current, columns):
                continue
            Item.objects.filter(pk=current.pk).update(**columns)
        else:
            if current is not None:
                # The group is now shown through another page (a translation went live).
                current.delete()
                changes.append(
                    Change(page_id=current.page_id, locale=locale, type=current.type, reason=reason)
                )
            Item.objects.create(page_id=page.pk, locale=locale, **columns)
        changes.append(Change(page_id=page.pk, locale=locale, type=columns["type"], reason=reason))
    if changes:
        _lock_clock()
        Change.objects.bulk_create(changes)
    return changes


def _same_columns(item: Item, columns: dict) -> bool:
    return all(getattr(item, name) == value for name, value in columns.items())


def items_project_page(*, page: Page, reason: str) -> list[Change]:
    """Re-project the items of `page` (and of its translations) after it changed."""
    if not item_type(page):
        return []
    return items_project_group(translation_key=page.translation_key, reason=reason)


def items_project_subtree(*, page: Page, reason: str) -> list[Change]:
    """Re-project every content page at or under `page` (after a move)."""
    changes: list[Change] = []
    seen: set[UUID] = set()
    for descendant in Page.objects.descendant_of(page, inclusive=True).only(
        "translation_key", "content_type"
    ):
        if descendant.translation_key in seen or not item_type(descendant):
            continue
        seen.add(descendant.translation_key)
        changes += items_project_group(translation_key=descendant.translation_key, reason=reason)
    return changes


@transaction.atomic
def feed_sweep_time_boundaries(*, now=None) -> int:
    """Log the items whose visibility changed with the clock (a notice's start or end passing)."""
    now = now or timezone.now()
    clock = _lock_clock()
    since = clock.boundaries_checked_at or (now - timedelta(days=1))
    crossed = Item.objects.filter(
        visible_from__gt=since, visible_from__lte=now
    ) | Item.objects.filter(visible_until__gt=since, visible_until__lte=now)
    changes = [
        Change(page_id=item.page_id, locale=item.locale, type=item.type, reason="time")
        for item in crossed.only("page_id", "locale", "type")
    ]
    Change.objects.bulk_create(changes)
    clock.boundaries_checked_at = now
    clock.save(update_fields=["boundaries_checked_at"])
    return len(changes)


@transaction.atomic
def items_rebuild() -> int:
    """Project every live content page again (after a change to the item shape); returns changes."""
    keys = set(Page.objects.live().values_list("translation_key", flat=True))
    keys |= set(Item.objects.values_list("translation_key", flat=True))
    return sum(len(items_project_group(translation_key=key, reason="rebuild")) for key in keys)


@transaction.atomic
def feed_prune(*, before) -> int:
    """Forget changes older than `before`; cursors from before then must resync."""
    newest_pruned = Change.objects.filter(created_at__lt=before).aggregate(m=Max("id"))["m"]
    if not newest_pruned:
        return 0
    deleted, _ = Change.objects.filter(id__lte=newest_pruned).delete()
    FeedClock.objects.update_or_create(pk=1, defaults={"pruned_through": newest_pruned})
    return deleted
