"""Helpers for tests: publishing pages as an editor does, driving the admin as a browser does."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import QueryDict
from django.test import Client

from wagtail.models import Page
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

__all__ = [
    "admin_form",
    "nested_form_data",
    "post_admin_form",
    "published",
    "rich_text",
    "streamfield",
]

P = TypeVar("P", bound=Page)


def published(factory: Callable[..., P], **fields: Any) -> P:
    """A page made by `factory` and published through a revision, as an editor publishes; re-read."""
    page = factory(live=False, **fields)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def admin_form(client: Client, url: str, form_id: str = "page-edit-form") -> QueryDict:
    """The form at `url` as the browser would submit it untouched (defaults included)."""
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"GET {url} answered {response.status_code}")
    return querydict_from_html(response.content.decode(), form_id=form_id)


def post_admin_form(client: Client, url: str, changes: dict, form_id: str = "page-edit-form"):
    """Open the form at `url`, apply `changes` (nested data allowed), and submit it."""
    data = admin_form(client, url, form_id)
    nested = {key: value for key, value in changes.items() if isinstance(value, dict)}
    for key, value in changes.items():
        if isinstance(value, list):
            # A list is a multiple choice (ticked boxes), not nested data.
            data.setlist(key, [str(item) for item in value])
        elif not isinstance(value, dict):
            data[key] = value
    for key, value in nested_form_data(nested).items():
        data[key] = value
    # A QueryDict's items() keeps only the last value of each key; send every value.
    return client.post(url, dict(data.lists()))
