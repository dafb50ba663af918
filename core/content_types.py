"""The content-type registry: each content app declares its type once; every other part iterates it.

A type names its page model, how its audience is stored, how its item is
represented (the type owns its API shape), which filter columns of the read
model it fills, when it is visible, the API's list filters and orderings for
it, and who its author is. The read model, the API, the feeds, search, push
and the residents' pages ask the registry instead of switching on type names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.utils.functional import Promise


@dataclass(frozen=True)
class ContentType:
    """What one kind of content page is, to every part of the hub that serves or pushes it."""

    code: str
    plural: str
    label: str | Promise
    model: str
    index_model: str
    audience_field: str
    body_field: str
    represent: Callable[[Any, Any], dict]
    orderings: dict[str, tuple[str, bool]]
    default_ordering: str
    author_field: str
    columns: Callable[[Any], dict] = lambda page: {}
    # For a rebuild's batch: (foreign keys whose records pages share, prefetch_related
    # lookups). A type without it is still rebuilt right, with more queries per page.
    prefetch: Callable[[], tuple[list[str], list]] = lambda: ([], [])
    window: Callable[[Any], tuple[datetime | None, datetime | None]] = lambda page: (None, None)
    # The same rule as a filter on pages (a Q at a moment); None when every live page is shown.
    current: Callable[[datetime], Any] | None = None
    # The list's own query parameters (name -> parser) and the item lookups they make.
    filters: Callable[[], dict[str, Callable]] = dict
    lookups: Callable[[dict], dict] = lambda query: {}
    # Whether a list offers ?current=false (also items outside their visibility window).
    listing_current: bool = False
    # Push: when a message stops being worth sending (read from a page or its item, which
    # carry the same dates), whether it is urgent, whether an item has become pointless to
    # announce, why a published revision is a correction, and the correction sent when it
    # is taken down.
    expires: Callable[[Any], datetime | None] = lambda page: None
    urgent: Callable[[Any], bool] = lambda page: False
    gone: Callable[[Any, datetime], bool] = lambda item, now: False
    correction: Callable[[Any], str | None] = lambda page: None
    withdrawn_reason: str | None = None
    # The list page each street and community gets, and whether community editors'
    # pages of this type go through the street's review before they are published.
    index_title: str = ""
    index_intro: str = ""
    reviewed: bool = False
    # What the API reference says of the type's list and detail endpoints.
    list_doc: str = ""
    detail_doc: str = ""

    @property
    def page_model(self):
        return apps.get_model(self.model)

    @property
    def index_page_model(self):
        return apps.get_model(self.index_model)

    def audience(self, page) -> list:
        """The resident categories a page is for."""
        from core.representation import related

        return related(page, self.audience_field)


_registry: dict[str, ContentType] = {}


def register(content_type: ContentType) -> ContentType:
    """Add a type; called once from its app's `ready()`."""
    if content_type.code in _registry and _registry[content_type.code] is not content_type:
        raise ValueError(f"content type {content_type.code!r} is registered twice")
    _registry[content_type.code] = content_type
    return content_type


def content_types() -> list[ContentType]:
    """Every registered type, in registration order."""
    return list(_registry.values())


def codes() -> list[str]:
    return list(_registry)


def content_type(code: str) -> ContentType:
    return _registry[code]


def _model_of(page):
    """The specific model of a page instance, or the model itself when given a class."""
    if isinstance(page, type):
        return page
    return page.specific_class if hasattr(page, "specific_class") else type(page)


def content_type_of(page) -> ContentType | None:
    """The type of a page or page model (specific or not), or None when it is not content."""
    model = _model_of(page)
    if model is None:
        return None
    label = model._meta.label
    return next((ct for ct in _registry.values() if ct.model == label), None)


def content_type_of_index(page) -> ContentType | None:
    """The type listed by an index page, or None."""
    model = _model_of(page)
    if model is None:
        return None
    label = model._meta.label
    return next((ct for ct in _registry.values() if ct.index_model == label), None)
