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


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo street office, seeded once per test module and rolled back after it.

    Tests that use it also take `db`: each runs in its own savepoint, so a test
    that changes something leaves the next one the pristine demo.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction

    accounts = tmp_path_factory.mktemp("demo") / "accounts.json"
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", accounts_file=accounts, stdout=output)
        yield accounts, output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: API responses and rate counters live there."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def tree(db):
    """One street office with two communities (a, b), each with its three index pages."""
    street = StreetHomePageFactory(parent=Page.get_first_root_node())
    return SimpleNamespace(
        street=_with_indexes(street),
        a=_with_indexes(CommunityHomePageFactory(parent=street, title="东园社区", code="dongyuan")),
        b=_with_indexes(CommunityHomePageFactory(parent=street, title="西里社区", code="xili")),
    )


@pytest.fixture
def people(tree, django_user_model):
    """An editor of each community (a, b) and a street reviewer, with the review workflow in place."""
    from home.operations import (
        community_editors_provision,
        notice_review_workflow_provision,
        street_reviewers_provision,
    )

    reviewers = street_reviewers_provision(street=tree.street.page)
    notice_review_workflow_provision(street=tree.street.page, reviewers=reviewers)
    editor_a = django_user_model.objects.create_user("editor_a", password="x")
    editor_a.groups.add(community_editors_provision(community=tree.a.page))
    editor_b = django_user_model.objects.create_user("editor_b", password="x")
    editor_b.groups.add(community_editors_provision(community=tree.b.page))
    reviewer = django_user_model.objects.create_user("reviewer", password="x")
    reviewer.groups.add(reviewers)
    return SimpleNamespace(editor_a=editor_a, editor_b=editor_b, reviewer=reviewer)
