"""Loading a rebuild batch: its pages with everything their items read, in a few queries.

Records shown by many pages (a service point and its hours, an organisation,
an image and its renditions) are loaded once per batch and shared; the
translations of the records shown are looked up once per reading locale.
"""

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from wagtail.models import Page, Site, TranslatableMixin

from core.content_types import content_type_of, content_types
from core.representation import related as related_rows
from items.representation import Localiser, reading_locales

# What a record shown by many pages needs with it, when it is loaded once per batch.
RECORD_PREFETCH = {
    "home.servicepoint": ["opening_hours", "hours_exceptions"],
    "wagtailimages.image": ["renditions"],
}


def content_type_ids() -> list[int]:
    """Django content type ids of the registered content page models."""
    return [
        ContentType.objects.get_for_model(content_type.page_model).pk
        for content_type in content_types()
    ]


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


# What changes in a page's row when it is published, unpublished or moved.
PAGE_STATE = ["pk", "live_revision_id", "last_published_at", "url_path"]


def page_states(keys: list[UUID], *, lock: bool = False) -> dict[UUID, tuple]:
    """The state of the live content pages of `keys`, by key; `lock` keeps them from being
    published, unpublished or moved until the transaction ends."""
    pages = Page.objects.filter(
        translation_key__in=keys, live=True, content_type_id__in=content_type_ids()
    ).order_by("pk")
    if lock:
        # NO KEY: rows that merely point at a page (revisions, logs) may still be added.
        pages = pages.select_for_update(no_key=True)
    found: dict[UUID, list[tuple]] = defaultdict(list)
    for key, *state in pages.values_list("translation_key", *PAGE_STATE):
        found[key].append(tuple(state))
    return {key: tuple(states) for key, states in found.items()}


def pages_load(keys: list[UUID]) -> dict[UUID, dict[str, Page]]:
    """The live content pages of `keys`, specific and with their related rows, by key and locale code."""
    by_type: dict[int, list[int]] = defaultdict(list)
    rows = Page.objects.filter(
        translation_key__in=keys, live=True, content_type_id__in=content_type_ids()
    ).values_list("pk", "content_type_id")
    for pk, content_type_id in rows:
        by_type[content_type_id].append(pk)
    # Where the sites' roots are, read once for the batch rather than once per page's URL.
    site_root_paths = Site.get_site_root_paths()
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
            page._wagtail_cached_site_root_paths = site_root_paths
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
                found[related] += related_rows(page, field.name)
            elif (
                field.many_to_one
                and field.concrete
                and (value := getattr(page, field.name)) is not None
            ):
                found[related].append(value)
    return found


def localisers_load(groups: dict[UUID, dict[str, Page]]) -> dict[str, Localiser]:
    """One localiser per reading locale, primed with the translations of every record shown."""
    records = _records(page for pages in groups.values() for page in pages.values())
    localisers = {}
    for code in reading_locales():
        localiser = Localiser(code)
        for model, objects in records.items():
            localiser.prime(model, objects)
        localisers[code] = localiser
    return localisers
