"""The API's binding of `core.http`: answers are cached under the content version."""

from collections.abc import Callable
from datetime import datetime

from django.http import HttpResponse

from core.http import http_get
from items.models import Change
from items.selectors import content_version
from search.selectors import search_index_generation


def change_time(version: object) -> datetime | None:
    """When the change that made this content version was recorded."""
    return Change.objects.filter(id=version).values_list("created_at", flat=True).first()


def api_get(view: Callable[..., HttpResponse], **options) -> Callable[..., HttpResponse]:
    """`core.http.http_get` keyed by the content version; see there for `options`."""
    return http_get(
        view,
        version=content_version,
        version_time=change_time,
        vary=("Authorization", "Accept-Encoding"),
        **options,
    )


def search_version() -> tuple[int, str]:
    """The content version and the search index's generation: results change with either.

    The index also changes without a publish (a rebuild after the dictionaries changed).
    """
    return content_version(), search_index_generation()


def search_get(view: Callable[..., HttpResponse], **options) -> Callable[..., HttpResponse]:
    """`api_get` for search: cached under the content version and the index generation."""
    return http_get(
        view,
        version=search_version,
        version_time=lambda version: change_time(version[0]),
        vary=("Authorization", "Accept-Encoding"),
        **options,
    )
