"""Keeping the API's read model in step with the page tree.

Every operation here runs inside the transaction of the change that caused
it and appends to the change log, so the log and the items never disagree.
"""

import hashlib
import json
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

from django.db import connections, router, transaction
from django.db.models import Max
from django.utils import timezone

from wagtail.models import Locale, Page

from core.content_types import content_type_of
from core.representation import shared, sharing
from items.models import Change, FeedClock, Item
from items.representation import item_type, reading_locales, represent_page
from items.rows import rows_insert

# Every column but the item's identity; a replaced item gets all of them anew.
ITEM_COLUMNS = [
    f.name for f in Item._meta.concrete_fields if f.name not in {"id", "page_id", "locale"}
]
# A planned item is a row in this order: what `_upsert` writes.
ITEM_ROW = ["page_id", "locale", *ITEM_COLUMNS]
# A logged change is a row in this order.
CHANGE_ROW = ["page_id", "locale", "type", "reason", "created_at"]
# What says whether a stored item is as planned: `etag` stands for `data`, its sha1.
COMPARED_COLUMNS = [name for name in ITEM_COLUMNS if name != "data"]


class StoredItem(namedtuple("StoredItem", ["id", "page_id", "locale", *COMPARED_COLUMNS])):
    """A stored item without its data, which a plan never reads (cheaper than a model instance)."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id


def stored_items(keys: list[UUID], *, lock: bool = False) -> dict[UUID, dict[str, StoredItem]]:
    """The stored items of the groups `keys`, by key and locale; `lock` locks them until commit."""
    items = Item.objects.filter(translation_key__in=keys).order_by("id")
    if lock:
        items = items.select_for_update()
    found: dict[UUID, dict[str, StoredItem]] = defaultdict(dict)
    for row in items.values_list(*StoredItem._fields):
        item = StoredItem._make(row)
        found[item.translation_key][item.locale] = item
    return found


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


def _page_columns(page) -> dict:
    """The filter columns that are the same in every locale the page is read in."""
    content_type = content_type_of(page)
    visible_from, visible_until = content_type.window(page)
    community = page.community
    return {
        "type": content_type.code,
        "translation_key": page.translation_key,
        "community": community.code if community else "",
        "street_id": page.street_id,
        "audience": _codes(shared(page, "audience", lambda: content_type.audience(page))),
        **BLANK_COLUMNS,
        **content_type.columns(page),
        "title": page.title,
        "slug": page.slug,
        "visible_from": visible_from,
        "visible_until": visible_until,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
    }


def _columns(page, locale: str, data: str, page_columns: dict) -> dict:
    return {
        **page_columns,
        "is_fallback": page.locale.language_code != locale,
        "data": data,
        "etag": hashlib.sha1(data.encode(), usedforsecurity=False).hexdigest(),
    }


@dataclass
class GroupPlan:
    """What re-projecting one translation group writes, as plain rows (a rebuild's render
    processes hand them over): items replacing the stored item of their page and locale,
    new items, ids of items to drop, and changes to log as (page id, locale, type, reason)."""

    saves: list[tuple] = field(default_factory=list)
    inserts: list[tuple] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    changes: list[tuple] = field(default_factory=list)


def group_plan(
    *,
    translation_key: UUID,
    pages: dict[str, Page],
    existing: dict[str, StoredItem],
    reason: str,
    localisers: dict | None = None,
    default_locale: str | None = None,
) -> GroupPlan:
    """The writes that bring the items of one group in line with its live `pages` (by locale code).

    For each reading locale the item is the live page in that locale, else the
    live default-locale page as a fallback, else nothing. An item whose data
    and columns come out as stored is left alone and logs nothing.
    """
    default = default_locale or Locale.get_default().language_code
    translations = {code: (pages[code].pk if code in pages else None) for code in reading_locales()}
    plan = GroupPlan()
    page_columns: dict[int, dict] = {}
    # Once per page, not per locale: what reads the same in every locale (core.representation).
    with sharing():
        for locale in reading_locales():
            page = pages.get(locale) or pages.get(default)
            current = existing.get(locale)
            if page is None:
                if current is not None:
                    plan.deletes.append(current.pk)
                    plan.changes.append((current.page_id, locale, current.type, reason))
                continue
            data = json.dumps(
                represent_page(
                    page,
                    locale=locale,
                    translations=translations,
                    localise=localisers.get(locale) if localisers else None,
                ),
                ensure_ascii=False,
                separators=(",", ":"),
            )
            if page.pk not in page_columns:
                page_columns[page.pk] = _page_columns(page)
            columns = _columns(page, locale, data, page_columns[page.pk])
            row = (page.pk, locale, *(columns[name] for name in ITEM_COLUMNS))
            if current is not None and current.page_id == page.pk:
                if current.etag == columns["etag"] and _same_columns(current, columns):
                    continue
                plan.saves.append(row)
            else:
                if current is not None:
                    # The group is now shown through another page (a translation went live).
                    plan.deletes.append(current.pk)
                    plan.changes.append((current.page_id, locale, current.type, reason))
                plan.inserts.append(row)
            plan.changes.append((page.pk, locale, columns["type"], reason))
    return plan


def items_write(plans: list[GroupPlan], *, keep_concurrent_inserts: bool = False) -> int:
    """Apply `plans` and log their changes; returns the number of changes logged.

    Call inside the transaction that read the items the plans were made from.
    With `keep_concurrent_inserts`, a new item finding one of its page and
    locale already there (inserted since, by a publish whose rendering is
    newer) leaves it be; otherwise it replaces it.
    """
    deletes = [pk for plan in plans for pk in plan.deletes]
    changes = [change for plan in plans for change in plan.changes]
    if deletes:
        Item.objects.filter(pk__in=deletes).delete()
    saves = [row for plan in plans for row in plan.saves]
    inserts = [row for plan in plans for row in plan.inserts]
    if keep_concurrent_inserts:
        _upsert(saves)
        _upsert(inserts, replace=False)
    else:
        _upsert(saves + inserts)
    if changes:
        _lock_clock()
        _log(changes)
    return len(changes)


def _upsert(rows: list[tuple], *, replace: bool = True) -> None:
    """Insert item `rows` (ITEM_ROW order); one already stored for the same page and locale
    is replaced in place, so it keeps its id and a client paging through a snapshot by id
    neither misses it nor sees it twice; with `replace=False` it is kept."""
    quote = connections[router.db_for_write(Item)].ops.quote_name
    columns = [quote(Item._meta.get_field(name).column) for name in ITEM_ROW[2:]]
    action = (
        "DO UPDATE SET " + ", ".join(f"{column} = EXCLUDED.{column}" for column in columns)
        if replace
        else "DO NOTHING"
    )
    rows_insert(
        Item,
        ITEM_ROW,
        rows,
        on_conflict=f"ON CONFLICT ({quote('page_id')}, {quote('locale')}) {action}",
    )


def _log(changes: list[tuple]) -> None:
    """Append `changes` (page id, locale, type, reason) to the change log, in their order."""
    now = timezone.now()
    rows_insert(Change, CHANGE_ROW, [(*change, now) for change in changes])


@transaction.atomic  # items and their change log commit together, even when publishing is not in a transaction
def items_project_group(*, translation_key: UUID, reason: str) -> int:
    """Re-project every locale's item of one translation group; returns the changes logged."""
    pages = {
        page.locale.language_code: page
        for page in Page.objects.filter(translation_key=translation_key, live=True)
        .select_related("locale")
        .specific()
        if item_type(page)
    }
    existing = stored_items([translation_key]).get(translation_key, {})
    plan = group_plan(
        translation_key=translation_key, pages=pages, existing=existing, reason=reason
    )
    return items_write([plan])


def _same_columns(item: StoredItem, columns: dict) -> bool:
    return all(getattr(item, name) == columns[name] for name in COMPARED_COLUMNS)


def items_project_page(*, page: Page, reason: str) -> int:
    """Re-project the items of `page` (and of its translations) after it changed."""
    if not item_type(page):
        return 0
    return items_project_group(translation_key=page.translation_key, reason=reason)


def items_project_subtree(*, page: Page, reason: str) -> int:
    """Re-project every content page at or under `page` (after a move); returns the changes logged."""
    changes = 0
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
def feed_prune(*, before) -> int:
    """Forget changes older than `before`; cursors from before then must resync."""
    newest_pruned = Change.objects.filter(created_at__lt=before).aggregate(m=Max("id"))["m"]
    if not newest_pruned:
        return 0
    deleted, _ = Change.objects.filter(id__lte=newest_pruned).delete()
    FeedClock.objects.update_or_create(pk=1, defaults={"pruned_through": newest_pruned})
    return deleted
