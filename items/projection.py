"""Keeping the API's read model in step with the page tree.

Every operation here runs inside the transaction of the change that caused
it and appends to the change log, so the log and the items never disagree.
"""

import hashlib
import json
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

# Every column but the item's identity; a replaced item gets all of them anew.
ITEM_COLUMNS = [
    f.name for f in Item._meta.concrete_fields if f.name not in {"id", "page_id", "locale"}
]


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
        "audience": _codes(shared(page, "audience", lambda: list(content_type.audience(page)))),
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
    """What re-projecting one translation group writes: items to save, items to drop, changes to log."""

    saves: list[Item] = field(default_factory=list)
    deletes: list[Item] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def group_plan(
    *,
    translation_key: UUID,
    pages: dict[str, Page],
    existing: dict[str, Item],
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
                    plan.deletes.append(current)
                    plan.changes.append(
                        Change(
                            page_id=current.page_id, locale=locale, type=current.type, reason=reason
                        )
                    )
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
            if current is not None and current.page_id == page.pk:
                if current.etag == columns["etag"] and _same_columns(current, columns):
                    continue
            elif current is not None:
                # The group is now shown through another page (a translation went live).
                plan.deletes.append(current)
                plan.changes.append(
                    Change(page_id=current.page_id, locale=locale, type=current.type, reason=reason)
                )
            plan.saves.append(Item(page_id=page.pk, locale=locale, **columns))
            plan.changes.append(
                Change(page_id=page.pk, locale=locale, type=columns["type"], reason=reason)
            )
    return plan


def items_write(plans: list[GroupPlan]) -> list[Change]:
    """Apply `plans` and log their changes; call inside the transaction that read the items."""
    deletes = [item.pk for plan in plans for item in plan.deletes]
    saves = [item for plan in plans for item in plan.saves]
    changes = [change for plan in plans for change in plan.changes]
    if deletes:
        Item.objects.filter(pk__in=deletes).delete()
    if saves:
        _upsert(saves)
    if changes:
        _lock_clock()
        Change.objects.bulk_create(changes)
    return changes


def _upsert(items: list[Item]) -> None:
    """Insert `items`, or replace the stored item of the same page and locale in place.

    In place, so a replaced item keeps its id and a client paging through a
    snapshot by id neither misses it nor sees it twice. One prepared statement
    run for every row: Django's bulk_create spends longer building SQL for
    150,000 items than the database takes to store them.
    """
    connection = connections[router.db_for_write(Item)]
    fields = [Item._meta.get_field(name) for name in ["page_id", "locale", *ITEM_COLUMNS]]
    quote = connection.ops.quote_name
    table = quote(Item._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    updates = ", ".join(f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in fields[2:])
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "  # noqa: S608 - names from the model
        f"ON CONFLICT ({quote('page_id')}, {quote('locale')}) DO UPDATE SET {updates}"
    )
    prepared = [f for f in fields if f.get_internal_type() in {"UUIDField", "DateTimeField"}]
    # A page's key and dates repeat in each of its locales' items: prepared once.
    done: dict[tuple, object] = {}
    rows = []
    for item in items:
        values = {f.attname: getattr(item, f.attname) for f in fields}
        for f in prepared:
            key = (f.attname, values[f.attname])
            if key not in done:
                done[key] = f.get_db_prep_save(values[f.attname], connection)
            values[f.attname] = done[key]
        rows.append([values[f.attname] for f in fields])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic  # items and their change log commit together, even when publishing is not in a transaction
def items_project_group(*, translation_key: UUID, reason: str) -> list[Change]:
    """Re-project every locale's item of one translation group; returns the changes logged."""
    pages = {
        page.locale.language_code: page
        for page in Page.objects.filter(translation_key=translation_key, live=True)
        .select_related("locale")
        .specific()
        if item_type(page)
    }
    existing = {item.locale: item for item in Item.objects.filter(translation_key=translation_key)}
    plan = group_plan(
        translation_key=translation_key, pages=pages, existing=existing, reason=reason
    )
    return items_write([plan])


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
def feed_prune(*, before) -> int:
    """Forget changes older than `before`; cursors from before then must resync."""
    newest_pruned = Change.objects.filter(created_at__lt=before).aggregate(m=Max("id"))["m"]
    if not newest_pruned:
        return 0
    deleted, _ = Change.objects.filter(id__lte=newest_pruned).delete()
    FeedClock.objects.update_or_create(pk=1, defaults={"pruned_through": newest_pruned})
    return deleted
