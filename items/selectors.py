"""Read-side questions the API answers, all against the projected items and the change log."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wagtail.models import Locale

from core import params
from core.content_types import content_type
from core.errors import ApiError
from core.params import encode_cursor
from items.models import Change, FeedClock, Item


def known_resident_categories() -> set[str]:
    from home.models import ResidentCategory

    return set(ResidentCategory.objects.in_default_locale().values_list("code", flat=True))


def known_communities() -> set[str]:
    from home.models import CommunityHomePage

    return set(
        CommunityHomePage.objects.live()
        .filter(locale=Locale.get_default())
        .values_list("code", flat=True)
    )


def content_version() -> int:
    """Grows with every change to what the API serves: the id of the newest change.

    Asked on every API request, so it skips the ORM: the raw query costs a
    third of what the equivalent aggregate does.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {Change._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0] or 0


@dataclass
class ItemFilter:
    """What a client asks to see; shared by lists and the change feed."""

    locale: str = "zh-hans"
    type: str | None = None
    community: str | None = None
    resident_category: str | None = None
    extra: dict = field(default_factory=dict)

    def apply(self, items: QuerySet[Item]) -> QuerySet[Item]:
        items = items.filter(locale=self.locale)
        if self.type:
            items = items.filter(type=self.type)
        if self.community:
            items = items.filter(Q(community=self.community) | Q(community=""))
        if self.resident_category:
            # A category's residents also care about what is meant for everyone.
            items = items.filter(
                Q(audience__contains=f" {self.resident_category} ") | Q(audience__contains=" all ")
            )
        for column, value in self.extra.items():
            items = items.filter(**{column: value})
        return items


def items_for(query: ItemFilter, *, now: datetime, visible_only: bool = True) -> QuerySet[Item]:
    items = query.apply(Item.objects.all())
    return items.visible(now) if visible_only else items


def _cursor_value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _damaged() -> ApiError:
    return ApiError("invalid_cursor", "This cursor is damaged.", field="cursor")


def _cursor_key(column: str, raw):
    """The cursor's value of the ordering column, of the column's type; else the cursor is damaged."""
    field = Item._meta.get_field(column)
    if raw is None:
        if field.null:
            return None
        raise _damaged()
    if isinstance(field, models.DateTimeField):
        try:
            parsed = parse_datetime(raw) if isinstance(raw, str) else None
        except ValueError:  # the right shape, an impossible date (month 99)
            parsed = None
        if parsed is None:
            raise _damaged()
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    if isinstance(field, models.CharField) and isinstance(raw, str):
        return raw
    raise _damaged()


def _after(column: str, descending: bool, value, last_id: int) -> Q:
    """Rows after (`value`, `last_id`) in the ordering, with nulls where the database sorts them.

    PostgreSQL sorts nulls as larger than any value, SQLite as smaller, so
    rows without a value come last or first depending on both; the cursor
    of a page that ended on one of them must still lead to the rest.
    """
    op = "lt" if descending else "gt"
    nulls_last = connection.features.nulls_order_largest != descending
    null_rows_after = Q(**{f"{column}__isnull": True, f"id__{op}": last_id})
    if value is None:
        return (
            null_rows_after if nulls_last else null_rows_after | Q(**{f"{column}__isnull": False})
        )
    after = Q(**{f"{column}__{op}": value}) | Q(**{column: value, f"id__{op}": last_id})
    return after | Q(**{f"{column}__isnull": True}) if nulls_last else after


def items_page(
    items: QuerySet[Item], *, type: str, ordering: str, cursor: dict | None, limit: int
) -> tuple[list[Item], str | None]:
    """One page of `items` in `ordering`, after `cursor`; returns rows and the next cursor."""
    column, descending = content_type(type).orderings[ordering]
    if cursor is not None:
        if (
            cursor.get("o") != ordering
            or not isinstance(cursor.get("k"), list)
            or len(cursor["k"]) != 2
        ):
            raise ApiError(
                "invalid_cursor",
                "This cursor belongs to another list or ordering; start again without it.",
                field="cursor",
            )
        value, last_id = _cursor_key(column, cursor["k"][0]), cursor["k"][1]
        if not isinstance(last_id, int) or isinstance(last_id, bool):
            raise _damaged()
        items = items.filter(_after(column, descending, value, last_id))
    order = [f"-{column}", "-id"] if descending else [column, "id"]
    rows = list(items.order_by(*order).only("id", "data", column, "last_published_at")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(
            {"o": ordering, "k": [_cursor_value(getattr(last, column)), last.id]}
        )
    return rows, next_cursor


def item_detail(*, type: str, key: str, locale: str, now: datetime) -> Item:
    """The item of one page, by page id (any locale's page of the group) or by slug, if readable."""
    lookup = Item.objects.filter(type=type)
    # ASCII digits only ("¹".isdigit() is true), and no more than a bigint holds.
    is_id = key.isascii() and key.isdigit() and len(key) <= 18
    lookup = lookup.filter(page_id=int(key)) if is_id else lookup.filter(slug=key)
    found = lookup.values_list("translation_key", flat=True).first()
    item = (
        Item.objects.filter(translation_key=found, locale=locale).readable(now).first()
        if found
        else None
    )
    if item is None:
        raise ApiError("not_found", f"No {type} '{key}' is published.", field=None, status=404)
    return item


def unreadable_translation_keys(now: datetime) -> QuerySet[Item]:
    """Translation keys of pages whose items no address serves at `now` (events long over)."""
    return Item.objects.unreadable(now).values("translation_key")


@dataclass
class FeedPage:
    mode: str
    entries: list[tuple[str, str, int, str | None]]  # (op, type, id, item JSON or None)
    next_cursor: str
    has_more: bool


def feed_read(
    *, query: ItemFilter, cursor: dict | None, limit: int, now: datetime | None = None
) -> FeedPage:
    """A page of the change feed: a snapshot when there is no cursor (or one mid-snapshot), else a delta."""
    now = now or timezone.now()
    if cursor is None:
        return _snapshot(query, head=content_version(), after=0, limit=limit, now=now)
    mode = cursor.get("m")
    if mode == "s" and isinstance(cursor.get("h"), int) and isinstance(cursor.get("a"), int):
        _check_retention(cursor["h"])
        return _snapshot(query, head=cursor["h"], after=cursor["a"], limit=limit, now=now)
    if mode == "d" and isinstance(cursor.get("c"), int):
        _check_retention(cursor["c"])
        return _delta(query, since=cursor["c"], limit=limit, now=now)
    raise ApiError(
        "invalid_cursor", "This cursor is damaged; start again without it.", field="cursor"
    )


def _check_retention(position: int) -> None:
    clock = FeedClock.objects.filter(pk=1).only("pruned_through").first()
    pruned = clock.pruned_through if clock else 0
    if position < pruned or position > content_version():
        raise ApiError(
            "resync_required",
            "Changes after this cursor are no longer kept; fetch the feed again without a cursor.",
            field="cursor",
            status=410,
        )


def _snapshot(query: ItemFilter, *, head: int, after: int, limit: int, now: datetime) -> FeedPage:
    rows = list(
        items_for(query, now=now)
        .filter(id__gt=after)
        .order_by("id")
        .only("id", "page_id", "type", "data")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    entries = [("updated", row.type, row.page_id, row.data) for row in rows]
    if has_more:
        return FeedPage(
            "snapshot", entries, encode_cursor({"m": "s", "h": head, "a": rows[-1].id}), True
        )
    # Anything that changed while the client paged through the snapshot comes in the delta from head.
    return FeedPage("snapshot", entries, encode_cursor({"m": "d", "c": head}), False)


def _delta(query: ItemFilter, *, since: int, limit: int, now: datetime) -> FeedPage:
    changes = Change.objects.filter(id__gt=since, locale=query.locale)
    if query.type:
        changes = changes.filter(type=query.type)
    batch = list(changes.order_by("id").values_list("id", "type", "page_id")[: limit + 1])
    has_more = len(batch) > limit
    batch = batch[:limit]
    if not batch:
        return FeedPage("delta", [], encode_cursor({"m": "d", "c": since}), False)
    last = batch[-1][0]
    # Several changes to one item collapse into its state now; order by last change.
    order: dict[tuple[str, int], int] = {}
    for change_id, kind, page_id in batch:
        order.pop((kind, page_id), None)
        order[(kind, page_id)] = change_id
    current = {
        (row.type, row.page_id): row.data
        for row in items_for(query, now=now)
        .filter(page_id__in={page_id for _kind, page_id in order})
        .only("page_id", "type", "data")
    }
    entries = [
        ("updated", kind, page_id, current[(kind, page_id)])
        if (kind, page_id) in current
        else ("deleted", kind, page_id, None)
        for (kind, page_id) in order
    ]
    return FeedPage("delta", entries, encode_cursor({"m": "d", "c": last}), has_more)


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.LINLI_FEED_RETENTION_DAYS)


def list_params(code: str) -> dict:
    """The query parameters a list of one content type accepts, each with its parser."""
    listed = content_type(code)
    spec = {
        "locale": params.locale,
        "community": params.choice(known_communities),
        "resident_category": params.choice(known_resident_categories),
        "limit": params.limit,
        "cursor": params.cursor,
        **listed.filters(),
        "ordering": params.choice(set(listed.orderings)),
    }
    if listed.listing_current:
        spec["current"] = params.boolean
    return spec


def items_listed(
    *, type: str, query: dict, now: datetime, community: str | None = None
) -> tuple[list[Item], str | None]:
    """One page of a content type's list for parsed `query` (see `list_params`)."""
    listed = content_type(type)
    item_filter = ItemFilter(
        locale=query.get("locale", "zh-hans"),
        type=type,
        community=community or query.get("community"),
        resident_category=query.get("resident_category"),
        extra=listed.lookups(query),
    )
    items = items_for(item_filter, now=now, visible_only=query.get("current", True))
    return items_page(
        items,
        type=type,
        ordering=query.get("ordering", listed.default_ordering),
        cursor=query.get("cursor"),
        limit=query.get("limit", params.DEFAULT_LIMIT),
    )
