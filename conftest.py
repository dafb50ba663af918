"""Shared pytest fixtures: the test database, the demo street, a small tree built with factories."""

import io
from pathlib import Path
from types import SimpleNamespace

from wagtail.models import Page, Site

import pytest

from events.factories import EventIndexPageFactory
from home.factories import CommunityHomePageFactory, StreetHomePageFactory
from notices.factories import NoticeIndexPageFactory
from services.factories import ServiceIndexPageFactory
from tests.database import (
    databases_from_templates,
    templates_folder_claim,
    templates_folder_release,
)

_TEMPLATES = pytest.StashKey[Path | None]()
_DEMO_STREET = pytest.StashKey["DemoStreet"]()


def _with_indexes(parent):
    return SimpleNamespace(
        page=parent,
        services=ServiceIndexPageFactory(parent=parent),
        notices=NoticeIndexPageFactory(parent=parent),
        events=EventIndexPageFactory(parent=parent),
    )


def pytest_configure(config):
    """The first pytest process of a run owns the folder of test database templates."""
    config.stash[_TEMPLATES] = templates_folder_claim()


def pytest_unconfigure(config):
    from pytest_django.plugin import blocking_manager_key

    folder = config.stash.get(_TEMPLATES, None)
    if folder is not None:
        with config.stash[blocking_manager_key].unblock():
            templates_folder_release(folder)


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """The test databases, copied from the run's migrated template (see tests/database.py)."""
    from django.test.utils import teardown_databases

    from pytest_django import fixtures

    # Looked up at call time: the browser tests' conftest widens it.
    aliases, serialized_aliases = fixtures._get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        created = databases_from_templates(aliases, serialized_aliases, verbosity)
    yield
    with django_db_blocker.unblock():
        teardown_databases(created, verbosity=verbosity)


class DemoStreet:
    """The demo street office, seeded in a transaction that stays open while consecutive tests use it."""

    def __init__(self, django_db_blocker, folder: Path):
        self._blocker = django_db_blocker
        self._accounts = folder / "accounts.json"
        self._output = ""
        self._atomic = None

    def open(self) -> tuple[Path, str]:
        from django.core.management import call_command
        from django.db import transaction

        if self._atomic is None:
            output = io.StringIO()
            with self._blocker.unblock():
                atomic = transaction.atomic()
                atomic.__enter__()
                try:
                    call_command("seed_demo", accounts_file=self._accounts, stdout=output)
                except BaseException as error:
                    atomic.__exit__(type(error), error, error.__traceback__)
                    raise
            self._atomic, self._output = atomic, output.getvalue()
        return self._accounts, self._output

    def close(self) -> None:
        from django.db import transaction

        if self._atomic is None:
            return
        with self._blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = None
        self._accounts.unlink(missing_ok=True)
        # Cached from the demo's sites, which are gone now.
        Site.clear_site_root_paths_cache()


@pytest.fixture(scope="session")
def _demo_street(django_db_setup, django_db_blocker, tmp_path_factory, pytestconfig):
    street = DemoStreet(django_db_blocker, tmp_path_factory.mktemp("demo"))
    pytestconfig.stash[_DEMO_STREET] = street
    yield street
    street.close()


@pytest.fixture(scope="module")
def demo_content(_demo_street):
    """The demo street office as `make run` seeds it: (accounts file, printed output).

    Seeded once for the tests that use it, which run one after another (see
    pytest_collection_modifyitems), and rolled back after the last of them.
    Tests that use it also take `db`: each runs in its own savepoint, so a
    test that changes something leaves the next one the pristine demo.
    """
    return _demo_street.open()


def pytest_collection_modifyitems(config, items):
    """Modules on the demo street run one after another, last, so it is seeded once."""
    on_demo = {item.path for item in items if "demo_content" in item.fixturenames}
    items[:] = [item for item in items if item.path not in on_demo] + [
        item for item in items if item.path in on_demo
    ]


@pytest.hookimpl(optionalhook=True)  # no xdist in the browser and worker sessions
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`, with the demo street's modules as one group, sent to one worker.

    A scheduler rather than xdist_group marks: xdist passes those on by editing
    node ids, which pytest 9.2 no longer lets it do (pytest-xdist#1386), so the
    marks are silently ignored. The controller has not collected the tests and
    cannot see their fixtures; it reads the modules' source instead. A module
    grouped by mistake costs a little balance, never a wrong result.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    on_demo: dict[str, bool] = {}

    def uses_demo(path: str) -> bool:
        if path not in on_demo:
            on_demo[path] = "demo_content" in (config.rootpath / path).read_text()
        return on_demo[path]

    class DemoStreetScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if uses_demo(nodeid.split("::", 1)[0]):
                return "demo_street"
            return super()._split_scope(nodeid)

    return DemoStreetScheduling(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Roll the demo street back once the next test neither uses it nor shares a module with it."""
    result = yield
    street = item.config.stash.get(_DEMO_STREET, None)
    keep = nextitem is not None and (
        "demo_content" in nextitem.fixturenames or nextitem.path == item.path
    )
    if street is not None and not keep:
        street.close()
    return result


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: API responses live there (rate counters in the database)."""
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
