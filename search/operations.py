"""Write-side operations of the search index."""

from __future__ import annotations

import logging

from django.db import connections, router

from search import analysis

logger = logging.getLogger(__name__)

DICTIONARY_KEY = "dictionary_hash"


def search_index_rebuild() -> int:
    """Re-analyse every indexed object with the current dictionaries; returns how many."""
    from modelsearch.index import get_indexed_models

    from search.backend import LinliIndex, LinliRebuilder
    from search.models import SearchTerm

    index = LinliIndex(backend=None)
    rebuilder = LinliRebuilder(index)
    count = 0
    rebuilder.start()
    try:
        for model in get_indexed_models():
            queryset = model.get_indexed_objects().order_by("pk")
            chunk = []
            for obj in queryset.iterator(chunk_size=500):
                chunk.append(obj)
                if len(chunk) == 500:
                    index.add_items(model, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                index.add_items(model, chunk)
                count += len(chunk)
    except BaseException:
        rebuilder.atomic.__exit__(RuntimeError, RuntimeError(), None)
        raise
    rebuilder.finish()
    connection = connections[router.db_for_write(SearchTerm)]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Marks the new rows all-visible, so term lookups read the covering
        # index alone instead of visiting thousands of table pages.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {SearchTerm._meta.db_table}")
    return count


def search_dictionary_check(*, using: str = "default") -> bool:
    """Enqueue a rebuild when the dictionaries changed since the index was built; True if so."""
    from search.models import IndexState, SearchTerm

    if "linli_search_indexstate" not in connections[using].introspection.table_names():
        return False
    current = analysis.dictionary_hash()
    stored = IndexState.objects.using(using).filter(key=DICTIONARY_KEY).first()
    if stored and stored.value == current:
        return False
    if stored is None and not SearchTerm.objects.using(using).exists():
        # A new database: nothing indexed with older dictionaries.
        IndexState.objects.using(using).create(key=DICTIONARY_KEY, value=current)
        return False
    from search.tasks import search_index_rebuild_task

    logger.info("Search dictionaries changed: rebuilding the search index.")
    search_index_rebuild_task.enqueue()
    return True
