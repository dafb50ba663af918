"""Background work of the search app."""

from django_tasks import task

from search.operations import search_index_rebuild


@task()
def search_index_rebuild_task() -> None:
    """Rebuild the search index (after the dictionaries changed); safe to run twice."""
    search_index_rebuild()
