"""Shared pytest fixtures: a small street office tree built with factories."""

from types import SimpleNamespace

from wagtail.models import Page

import pytest

from events.factories import EventIndexPageFactory
from home.factories import CommunityHomePageFactory, StreetHomePageFactory
from notices.factories import NoticeIndexPageFactory
from services.factories import ServiceIndexPageFactory


def _with_indexes(parent):
    return SimpleNamespace(
        page=parent,
        services=ServiceIndexPageFactory(parent=parent),
        notices=NoticeIndexPageFactory(parent=parent),
        events=EventIndexPageFactory(parent=parent),
    )


@pytest.fixture
def tree(db):
    """One street office with two communities (a, b), each with its three index pages."""
    street = StreetHomePageFactory(parent=Page.get_first_root_node())
    return SimpleNamespace(
        street=_with_indexes(street),
        a=_with_indexes(CommunityHomePageFactory(parent=street, title="东园社区", code="dongyuan")),
        b=_with_indexes(CommunityHomePageFactory(parent=street, title="西里社区", code="xili")),
    )
