"""Rebuilding the whole read model after a release changed how items are represented.

Translation groups go batch by batch. A batch is first rendered holding no
lock: the state of its groups is noted (their live pages' revisions,
publication times and paths; their stored items' ids and etags), then its
stored items are read (without their data: the etag, its sha1, stands for
it) and its pages with what their representation reads (records,
categories, service points and their hours, attachments, images) in a few
queries, and every locale's item is rendered and compared with the stored
one. Then one short transaction locks the batch's pages and items (in that
order, as publishing takes them), renders again the groups whose state
changed since it was noted (a publish, an unpublish, a move or a record's
re-projection came in between), and writes only what differs. A new item
meeting one stored since by a record's re-projection leaves it be.

So readers see the old item until its batch commits, then the new one; an
item comes out byte for byte as publishing the page would have made it
(items.projection), and a render never overwrites what a publish wrote
after it.

Batches are rendered in other processes, forked from this one, one per
core, while this one writes; inside a transaction (a test's) or with
`workers=0` they are rendered here, one after another.
"""

import gc
import os
import signal
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from multiprocessing import get_context, util
from uuid import UUID

from django.db import connections, router, transaction

from wagtail.models import Locale, Page

from core.representation import sharing
from items.loading import content_type_ids, localisers_load, page_states, pages_load
from items.models import Item
from items.projection import GroupPlan, group_plan, items_write, stored_items

DEFAULT_BATCH_SIZE = 500
ITEM_STATE = ["id", "page_id", "locale", "etag"]


@contextmanager
def _rare_collections() -> Iterator[Callable[[], object]]:
    """Run the cycle collector once per batch rather than thousands of times; yields that run."""
    # A batch makes hundreds of thousands of short-lived rows, dicts and strings;
    # at the default threshold the collector walks the heap so often that it
    # costs a fifth of the rebuild. What exists before the first batch (code,
    # settings, caches) is frozen out of the walks, which also keeps it shared
    # with the forked render processes; each batch's leftovers are collected
    # when it is done, so memory stays as it was.
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
    # Groups that changed between their render and its write, so rendered again.
    rendered_again: int = 0


@dataclass
class RenderedBatch:
    """A batch rendered holding no lock: its plans, and each group's state (`_states`) as it
    was before it was read."""

    keys: list[UUID]
    plans: dict[UUID, GroupPlan]
    seen: dict[UUID, tuple]


def rebuild_keys() -> list[UUID]:
    """Translation keys of every live content page and every stored item, in a stable order."""
    keys = set(
        Page.objects.filter(live=True, content_type_id__in=content_type_ids()).values_list(
            "translation_key", flat=True
        )
    )
    keys |= set(Item.objects.values_list("translation_key", flat=True).distinct())
    return sorted(keys, key=str)


def _states(keys: list[UUID], *, lock: bool = False) -> dict[UUID, tuple]:
    """What tells whether a group changed: its live pages' state and its stored items' ids,
    pages, locales and etags (every write to an item changes its etag: a record's edit its
    text, a publish its publication time, a move its URL).

    With `lock`, the pages are locked against publishing, then the items
    against writes, until the transaction ends (in that order, as a publish
    takes them).
    """
    pages = page_states(keys, lock=lock)
    items = Item.objects.filter(translation_key__in=keys).order_by("id")
    if lock:
        items = items.select_for_update()
    stored: dict[UUID, list[tuple]] = defaultdict(list)
    for key, *state in items.values_list("translation_key", *ITEM_STATE):
        stored[key].append(tuple(state))
    return {key: (pages.get(key, ()), tuple(stored.get(key, ()))) for key in keys}


def _plans(keys: list[UUID], *, default_locale: str) -> dict[UUID, GroupPlan]:
    existing = stored_items(keys)
    groups = pages_load(keys)
    localisers = localisers_load(groups)
    # Records shown by many pages of the batch (a service point's hours) render once.
    with sharing():
        return {
            key: group_plan(
                translation_key=key,
                pages=groups.get(key, {}),
                existing=existing.get(key, {}),
                reason="rebuild",
                localisers=localisers,
                default_locale=default_locale,
            )
            for key in keys
        }


def batch_render(keys: list[UUID], *, default_locale: str) -> RenderedBatch:
    """Render the items of `keys` and plan their writes, holding no lock; see `batch_write`."""
    # The state first: whatever changes while the batch is read and rendered shows in it.
    seen = _states(keys)
    return RenderedBatch(keys=keys, plans=_plans(keys, default_locale=default_locale), seen=seen)


def batch_write(batch: RenderedBatch, *, default_locale: str) -> RebuildResult:
    """Write a rendered batch in one transaction, rendering again the groups changed since."""
    with transaction.atomic():
        # A publish of one of these pages now waits for this batch to commit.
        now = _states(batch.keys, lock=True)
        changed = [key for key in batch.keys if now[key] != batch.seen[key]]
        plans = dict(batch.plans)
        if changed:
            plans.update(_plans(changed, default_locale=default_locale))
        ordered = [plans[key] for key in batch.keys]
        changes = items_write(ordered, keep_concurrent_inserts=True)
    return RebuildResult(
        groups=len(batch.keys),
        saved=sum(len(plan.saves) + len(plan.inserts) for plan in ordered),
        deleted=sum(len(plan.deletes) for plan in ordered),
        changes=changes,
        rendered_again=len(changed),
    )


def default_workers() -> int:
    """Render processes for a rebuild: one per core this process may use, none on one core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores if cores and cores > 1 else 0


def _forkable() -> bool:
    """Whether forked processes would read what this one reads: committed rows, not an in-memory
    database or a transaction still open here (a test's)."""
    connection = connections[router.db_for_read(Item)]
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def _worker_start() -> None:
    # Ctrl-C is for the writing process, which stops the rebuild and ends these processes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Forked with no open connection (closed just before); the ones opened
    # here are closed on the way out, so the database sees a clean goodbye.
    util.Finalize(None, connections.close_all, exitpriority=10)


def _worker_render(keys: list[UUID], default_locale: str) -> RenderedBatch:
    try:
        return batch_render(keys, default_locale=default_locale)
    finally:
        gc.collect()


def _rendered(
    batches: list[list[UUID]], *, default_locale: str, workers: int
) -> Iterator[RenderedBatch]:
    """The batches rendered, in order: by `workers` forked processes, or here when 0."""
    if not workers:
        for keys in batches:
            yield batch_render(keys, default_locale=default_locale)
        return
    # A forked process must not share this one's connections: each opens its own.
    connections.close_all()
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_worker_start)
    try:
        pending: deque[Future] = deque()
        for keys in batches:
            pending.append(pool.submit(_worker_render, keys, default_locale))
            # A batch ahead per process: enough to keep them busy, little held waiting.
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # Stopped early (an error, Ctrl-C): the batches not begun are dropped.
        pool.shutdown(cancel_futures=True)


def items_rebuild(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    progress: Callable[[int], object] | None = None,
    on_start: Callable[[int], object] | None = None,
) -> RebuildResult:
    """Project every live content page again, batch by batch; each batch commits on its own.

    `workers` render processes (default: one per core) render while this
    process writes; 0 renders here, as does a rebuild inside a transaction.
    """
    default_locale = Locale.get_default().language_code
    keys = rebuild_keys()
    if on_start:
        on_start(len(keys))
    if workers is None:
        workers = default_workers()
    if not _forkable():
        workers = 0
    if workers and keys:
        # What every render loads once (URL patterns, word catalogs, the script
        # converter) is loaded here before forking, so the processes share it.
        batch_render(keys[:1], default_locale=default_locale)
    batches = [keys[start : start + batch_size] for start in range(0, len(keys), batch_size)]
    total = RebuildResult()
    rendered = _rendered(batches, default_locale=default_locale, workers=workers)
    # closing(): an interrupted rebuild ends its render processes before it returns.
    with _rare_collections() as collect, closing(rendered):
        for batch in rendered:
            done = batch_write(batch, default_locale=default_locale)
            collect()
            total.groups += done.groups
            total.saved += done.saved
            total.deleted += done.deleted
            total.changes += done.changes
            total.rendered_again += done.rendered_again
            if progress:
                progress(done.groups)
    return total
