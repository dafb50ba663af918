"""Rebuilding the whole read model after a release changed how items are represented.

Translation groups go batch by batch: each batch loads its pages with what
their representation reads (records, categories, service points and their
hours, attachments, images) in a few queries, renders every locale's item,
and writes only what differs, in one transaction per batch. Readers see the
old item until its batch commits, then the new one; an item comes out byte
for byte as publishing the page would have made it (items.projection).
"""

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from wagtail.models import Locale, Page, TranslatableMixin

from core.content_types import content_type_of, content_types
from core.representation import sharing
from items.models import Item
from items.projection import group_plan, items_write
from items.representation import Localiser, reading_locales

DEFAULT_BATCH_SIZE = 500


# What a record shown by many pages needs with it, when it is loaded once per batch.
RECORD_PREFETCH = {
    "home.servicepoint": ["opening_hours", "hours_exceptions"],
    "wagtailimages.image": ["renditions"],
}


def _share_records(pages: list[Page], names: list[str]) -> None:
    """Point the foreign keys `names` of `pages` at one loaded instance per record."""
    for name in names:
        field = pages[0]._meta.get_field(name)
        related = field.related_model
        ids = {getattr(page, field.attname) for page in pages} - {None}
        if not ids:
            continue
        records = related._default_manager.filter(pk__in=ids)
        records = records.prefetch_related(*RECORD_PREFETCH.get(related._meta.label_lower, []))
        loaded = {record.pk: record for record in records}
        for page in pages:
            value = getattr(page, field.attname)
            if value is not None and value in loaded:
                setattr(page, name, loaded[value])


@contextmanager
def _rare_collections() -> Iterator[Callable[[], object]]:
    """Run the cycle collector once per batch rather than thousands of times; yields that run."""
    # A batch makes hundreds of thousands of short-lived rows, dicts and strings;
    # at the default threshold the collector walks the heap so often that it
    # costs a fifth of the rebuild. What exists before the first batch (code,
    # settings, caches) is frozen out of the walks; each batch's leftovers are
    # collected when it is done, so memory stays as it was.
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, *threshold[1:])
    try:
        yield gc.collect
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@dataclass
class RebuildResult:
    """What a rebuild did: groups looked at, items written or removed, changes logged."""

    groups: int = 0
    saved: int = 0
    deleted: int = 0
    changes: int = 0


def _content_type_ids() -> list[int]:
    return [
        ContentType.objects.get_for_model(content_type.page_model).pk
        for content_type in content_types()
    ]


def rebuild_keys() -> list[UUID]:
    """Translation keys of every live content page and every stored item, in a stable order."""
    keys = set(
        Page.objects.filter(live=True, content_type_id__in=_content_type_ids()).values_list(
            "translation_key", flat=True
        )
    )
    keys |= set(Item.objects.values_list("translation_key", flat=True).distinct())
    return sorted(keys, key=str)


def _load_pages(keys: list[UUID]) -> dict[UUID, dict[str, Page]]:
    """The live content pages of `keys`, specific and with their related rows, by key and locale code."""
    by_type: dict[int, list[int]] = defaultdict(list)
    rows = Page.objects.filter(
        translation_key__in=keys, live=True, content_type_id__in=_content_type_ids()
    ).values_list("pk", "content_type_id")
    for pk, content_type_id in rows:
        by_type[content_type_id].append(pk)
    groups: dict[UUID, dict[str, Page]] = defaultdict(dict)
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        # What the type's representation reads beyond the page row: records behind
        # foreign keys, loaded once per batch and shared, and many-to-many rows.
        shared, prefetch = content_type_of(model).prefetch()
        pages = list(model.objects.filter(pk__in=ids).prefetch_related(*prefetch))
        _share_records(pages, ["locale", *shared])
        if any(field.name == "community" for field in model._meta.concrete_fields):
            _share_records(pages, ["community"])
        for page in pages:
            groups[page.translation_key][page.locale.language_code] = page
    return groups


def _records(pages: Iterable[Page]) -> dict[type[Model], list[Model]]:
    """The translatable records (categories, organisations, places) the pages show, by model."""
    found: dict[type[Model], list[Model]] = defaultdict(list)
    for page in pages:
        for field in page._meta.get_fields():
            related = field.related_model
            if not (
                related
                and isinstance(related, type)
                and issubclass(related, TranslatableMixin)
                and not issubclass(related, Page)
            ):
                continue
            if field.many_to_many and not field.auto_created:
                found[related] += getattr(page, field.name).all()
            elif (
                field.many_to_one
                and field.concrete
                and (value := getattr(page, field.name)) is not None
            ):
                found[related].append(value)
    return found


def _localisers(groups: dict[UUID, dict[str, Page]]) -> dict[str, Localiser]:
    """One localiser per reading locale, primed with the translations of every record shown."""
    records = _records(page for pages in groups.values() for page in pages.values())
    localisers = {}
    for code in reading_locales():
        localiser = Localiser(code)
        for model, objects in records.items():
            localiser.prime(model, objects)
        localisers[code] = localiser
    return localisers


def _rebuild_batch(keys: list[UUID], *, default_locale: str) -> RebuildResult:
    with transaction.atomic():
        # Locked first: a publish of one of these pages waits for this batch
        # (or this batch for it), so neither overwrites the other's newer item.
        existing: dict[UUID, dict[str, Item]] = defaultdict(dict)
        for item in (
            Item.objects.select_for_update().filter(translation_key__in=keys).order_by("id")
        ):
            existing[item.translation_key][item.locale] = item
        groups = _load_pages(keys)
        localisers = _localisers(groups)
        # Records shown by many pages of the batch (a service point's hours) render once.
        with sharing():
            plans = [
                group_plan(
                    translation_key=key,
                    pages=groups.get(key, {}),
                    existing=existing.get(key, {}),
                    reason="rebuild",
                    localisers=localisers,
                    default_locale=default_locale,
                )
                for key in keys
            ]
        changes = items_write(plans)
    return RebuildResult(
        groups=len(keys),
        saved=sum(len(plan.saves) for plan in plans),
        deleted=sum(len(plan.deletes) for plan in plans),
        changes=len(changes),
    )


def items_rebuild(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], object] | None = None,
    on_start: Callable[[int], object] | None = None,
) -> RebuildResult:
    """Project every live content page again, batch by batch; each batch commits on its own."""
    default_locale = Locale.get_default().language_code
    keys = rebuild_keys()
    if on_start:
        on_start(len(keys))
    total = RebuildResult()
    with _rare_collections() as collect:
        for start in range(0, len(keys), batch_size):
            done = _rebuild_batch(keys[start : start + batch_size], default_locale=default_locale)
            collect()
            total.groups += done.groups
            total.saved += done.saved
            total.deleted += done.deleted
            total.changes += done.changes
            if progress:
                progress(done.groups)
    return total
