"""Adds thousands of published services, notices and events at once, for benchmarks.

Pages end up as `add_child()` plus `save_revision().publish()` would leave
them, written batch by batch instead of page by page: treebeard paths and
placement are computed here, `wagtailcore_page` rows go in with bulk_create,
then the specific tables, the many-to-many rows and one revision per page that
becomes its live and latest revision. No signals fire, so nothing is pushed to
subscribers; the search index and the reference index are left alone (rebuild
them with `update_index` and `rebuild_references_index`).
"""

import random
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import F, Model
from django.utils import timezone

from wagtail.models import Locale, Page, Revision

from demo.drafts import BulkSeedError, Draft, PageMaker, Place
from events.models import EventIndexPage, EventPage
from home.models import CommunityHomePage, StreetHomePage
from home.models.snippets import ServicePoint
from home.selectors import placement_for_path
from notices.models import NoticeIndexPage, NoticePage
from services.models import ServiceIndexPage, ServicePage

BULK_MODELS: tuple[type[Page], ...] = (ServicePage, NoticePage, EventPage)
INDEX_MODELS: dict[type[Page], type[Page]] = {
    ServicePage: ServiceIndexPage,
    NoticePage: NoticeIndexPage,
    EventPage: EventIndexPage,
}
PAGE_FIELDS = [f for f in Page._meta.concrete_fields if not f.primary_key]


def bulk_split(*, count: int) -> dict[type[Page], int]:
    """How many of `count` pages are services, notices and events (50/25/25)."""
    notices = events = count // 4
    return {ServicePage: count - notices - events, NoticePage: notices, EventPage: events}


def bulk_places(*, locale: Locale) -> dict[type[Page], list[Place]]:
    """The live index pages in `locale` under a street office, by the page type they hold."""
    places: dict[type[Page], list[Place]] = {}
    points = list(ServicePoint.objects.filter(locale=locale).order_by("pk"))
    halls = {point.pk: point.name for point in points}
    for model, index_model in INDEX_MODELS.items():
        places[model] = []
        for index in index_model.objects.live().filter(locale=locale).order_by("path"):
            street, community = placement_for_path(path=index.path)
            if street is None:
                continue
            owner: StreetHomePage | CommunityHomePage = community or street
            if community is None:
                hall, short = f"{street.title}社区服务中心", f"{street.title[:1]}街"
            else:
                hall, short = f"{community.title}服务站", f"{community.title[:2]}居"
            nearby = {None, owner.pk} if community else {None}
            siblings = Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
            children = list(siblings.values_list("path", "slug"))
            last = max((path for path, _slug in children), default=None)
            places[model].append(
                Place(
                    index=index,
                    street_id=street.pk,
                    community_id=community.pk if community else None,
                    name=owner.title,
                    hall=halls.get(owner.hall_id, hall),
                    phone=owner.hotline or street.hotline or "010-64020000",
                    short=short,
                    points=[point for point in points if point.community_id in nearby],
                    next_step=Page._str2int(last[-Page.steplen :]) + 1 if last else 1,
                    slugs={slug for _path, slug in children},
                )
            )
        if not places[model]:
            raise BulkSeedError(f"no live {index_model.__name__} under a street office")
    return places


def _insert_specific(model: type[Model], pages: list[Page]) -> None:
    """Insert the rows of `model`'s own table for pages whose wagtailcore_page rows exist.

    bulk_create refuses multi-table inheritance, so this goes through the same
    private insert Django's save() uses, with the child table's fields only.
    """
    using = router.db_for_write(model)
    fields = model._meta.local_concrete_fields
    size = connections[using].ops.bulk_batch_size(fields, pages) or len(pages)
    for start in range(0, len(pages), size):
        model._base_manager._insert(pages[start : start + size], fields=fields, using=using)


def _insert_links(model: type[Page], drafts: list[Draft]) -> None:
    """Insert the many-to-many rows of pages of `model`."""
    for m2m in model._meta.local_many_to_many:
        through = m2m.remote_field.through
        source, target = m2m.m2m_column_name(), m2m.m2m_reverse_name()
        rows = [
            through(**{source: draft.page.pk, target: target_id})
            for draft in drafts
            for target_id in draft.links.get(m2m.name, [])
        ]
        through.objects.bulk_create(rows)


def bulk_write(*, drafts: list[Draft], page_type_id: int) -> None:
    """Write pages, their specific rows, links and live revisions in a few statements."""
    # Serialised before the pages get ids: on unsaved pages, child relations
    # such as comments are known to be empty and cost no query.
    contents = [draft.page.serializable_data() for draft in drafts]
    rows = [
        Page(**{f.attname: getattr(draft.page, f.attname) for f in PAGE_FIELDS}) for draft in drafts
    ]
    Page.objects.bulk_create(rows)
    for draft, row in zip(drafts, rows, strict=True):
        draft.page.id = draft.page.page_ptr_id = row.pk
    for model in BULK_MODELS:
        of_model = [draft for draft in drafts if type(draft.page) is model]
        if of_model:
            _insert_specific(model, [draft.page for draft in of_model])
            _insert_links(model, of_model)
    revisions = [
        Revision(
            content_type_id=draft.page.content_type_id,
            base_content_type_id=page_type_id,
            object_id=str(row.pk),
            created_at=row.last_published_at,
            object_str=row.title,
            content={**content, "pk": row.pk},
        )
        for draft, row, content in zip(drafts, rows, contents, strict=True)
    ]
    Revision.objects.bulk_create(revisions)
    for row, revision in zip(rows, revisions, strict=True):
        row.latest_revision_id = row.live_revision_id = revision.pk
    Page.objects.bulk_update(rows, ["latest_revision", "live_revision"])


def bulk_pages_create(
    *,
    count: int,
    seed: int = 0,
    batch_size: int = 1000,
    progress: Callable[[int], object] | None = None,
) -> dict[type[Page], int]:
    """Create `count` live services, notices and events spread over every index page; returns counts."""
    rng = random.Random(seed)  # noqa: S311 - made-up content, reproducible on purpose
    locale = Locale.get_default()
    split = bulk_split(count=count)
    kinds = [model for model, number in split.items() for _ in range(number)]
    rng.shuffle(kinds)
    with transaction.atomic():
        places = bulk_places(locale=locale)
        maker = PageMaker(rng=rng, locale=locale, now=timezone.now())
        makers = {ServicePage: maker.service, NoticePage: maker.notice, EventPage: maker.event}
        page_type_id = ContentType.objects.get_for_model(Page).pk
        for start in range(0, count, batch_size):
            batch = kinds[start : start + batch_size]
            drafts = [makers[model](rng.choice(places[model])) for model in batch]
            bulk_write(drafts=drafts, page_type_id=page_type_id)
            if progress:
                progress(len(batch))
        for place in (place for group in places.values() for place in group):
            if place.added:
                Page.objects.filter(pk=place.index.pk).update(numchild=F("numchild") + place.added)
    return split
