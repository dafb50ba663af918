"""Helpers for the feed tests: publishing through Wagtail and reading Atom."""

import xml.etree.ElementTree as ET

from wagtail.models import Page, Site

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def publish(page: Page) -> Page:
    """Publish `page` as an editor would, so the projection writes its items; returns it fresh."""
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def read_atom(response) -> ET.Element:
    """The feed element of an Atom response."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    # Our own output in a test, not untrusted input: the standard parser is fine.
    return ET.fromstring(response.content)  # noqa: S314


def atom_entries(response) -> list[ET.Element]:
    return read_atom(response).findall(f"{ATOM}entry")


def entry_titles(response) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in atom_entries(response)]


@pytest.fixture
def site(tree):
    """The street office as the default site, so pages have web addresses."""
    default = Site.objects.get(is_default_site=True)
    default.root_page = tree.street.page
    default.save()  # save(), not update(): Wagtail caches the site roots and clears them on save
    return tree
