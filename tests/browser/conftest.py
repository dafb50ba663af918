"""Playwright fixtures: one headless Debian Chromium per worker, a fresh context per login."""

import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from pytest_django import fixtures as pytest_django_fixtures

# Playwright's sync API runs an asyncio loop in this thread; without this Django
# refuses the ORM calls the test makes between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 15_000
SCREENSHOT_DIR = Path(os.environ.get("LINLI_BROWSER_ARTIFACTS", tempfile.gettempdir()))

expect.set_options(timeout=TIMEOUT_MS)


# pytest-django creates test databases only for aliases some collected test marks
# with django_db; the demo server below uses the database without that mark (its
# tests must not flush it), so the default alias is always set up, and serialized
# so that the reference data seeded by migrations can be restored after a flush.
_databases_for_setup = pytest_django_fixtures._get_databases_for_setup


def _databases_with_default(items):
    aliases, serialized_aliases = _databases_for_setup(items)
    return (aliases or set()) | {"default"}, (serialized_aliases or set()) | {"default"}


pytest_django_fixtures._get_databases_for_setup = _databases_with_default


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, screenshot every open tab and name the files in the report."""
    report = yield
    open_page = item.funcargs.get("new_page") if report.when == "call" else None
    if report.failed and open_page is not None:
        name = re.sub(r"[^\w.-]+", "_", item.nodeid)
        shots = []
        for number, context in enumerate(open_page.contexts):
            for tab, page in enumerate(context.pages):
                path = SCREENSHOT_DIR / f"{name}-{number}-{tab}.png"
                try:
                    page.screenshot(path=path, full_page=True)
                except PlaywrightError as error:
                    shots.append(f"{page.url}: no screenshot ({error.message})")
                else:
                    shots.append(f"{path}  ({page.url})")
        report.sections.append(("screenshots", "\n".join(shots)))
    return report


# Test settings send production's Content-Security-Policy and Permissions-Policy.
# Every page reports what they blocked to the console, where the watch below
# collects it; a test whose pages logged any fails.
POLICY_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""
POLICY_MESSAGES = (
    "CSP violation",
    "Content Security Policy",
    "Permissions-Policy",
    "Permissions policy",
)
_policy_violations: list[str] = []


def _watch_policies(context: BrowserContext) -> None:
    context.add_init_script(POLICY_WATCH)

    def collect(message) -> None:
        if any(words in message.text for words in POLICY_MESSAGES):
            _policy_violations.append(f"{message.location.get('url', '?')}: {message.text}")

    context.on("console", collect)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium; every context it opens, a test's own included, is watched for policy violations."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        new_context = browser.new_context

        def watched_context(*args, **kwargs) -> BrowserContext:
            context = new_context(*args, **kwargs)
            _watch_policies(context)
            return context

        browser.new_context = watched_context
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def no_policy_violations() -> Iterator[None]:
    """Fails the test if a page it opened logged a CSP or Permissions-Policy violation."""
    _policy_violations.clear()
    yield
    if _policy_violations:
        found = "\n".join(dict.fromkeys(_policy_violations))
        _policy_violations.clear()
        pytest.fail(f"the browser reported policy violations:\n{found}", pytrace=False)


class PageOpener:
    """Opens pages in fresh browser contexts: own cookies, so each holds its own login."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self.contexts: list[BrowserContext] = []

    def __call__(self) -> Page:
        context = self.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[PageOpener]:
    """Call it to get a page in a new context; everything opened is closed after the test."""
    opener = PageOpener(browser)
    yield opener
    opener.close()


@pytest.fixture
def page(new_page: PageOpener) -> Page:
    return new_page()


# The database contents right after migrations, per alias.
_reference_data: dict[str, str] = {}


@pytest.fixture(scope="session", autouse=True)
def _reference_data_kept(browser, django_db_setup):
    """Set up the test database after the browser, and keep its serialized reference data.

    Django's connections are per thread and per asyncio context. Playwright's
    sync API runs an event loop; a database set up before it starts leaves
    `_test_serialized_contents` on a connection object the tests never see,
    and transactional tests then cannot restore the reference data. So the
    browser starts first (the order of the arguments), and the contents are
    also kept here for the demo server.
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents:
            _reference_data[alias] = contents


def _database_reset() -> None:
    """Leave the database as a transactional test expects it: flushed, reference data restored."""
    from django.core.management import call_command
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = _reference_data.get(alias)
        # As Django's TransactionTestCase does: no post_migrate when the rows come back anyway.
        call_command(
            "flush",
            database=alias,
            interactive=False,
            verbosity=0,
            reset_sequences=False,
            allow_cascade=False,
            inhibit_post_migrate=bool(contents),
        )
        if contents:
            connection.creation.deserialize_db_from_string(contents)


# SQLite only: the demo street right after the session's first seeding, byte for byte.
_demo_copy: list[sqlite3.Connection] = []


def _demo_load(accounts: Path) -> None:
    """Seed the demo street on a reset database; on SQLite, copy it back from the first seeding.

    A copy puts back every row and every id exactly as seeding left them, and
    takes milliseconds where seeding takes seconds. PostgreSQL, whose live
    server holds a connection of its own, seeds again.
    """
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    if _demo_copy:
        _demo_copy[0].backup(connection.connection)
        return
    # Transactional tests before this module may have left it flushed.
    _database_reset()
    call_command("seed_demo", accounts_file=accounts, stdout=StringIO())
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:")
        connection.connection.backup(copy)
        _demo_copy.append(copy)


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """A live server on the demo street (as `make run` loads it), shared by a module's tests.

    Each module starts from the demo as seeding leaves it: loading it per test
    would take most of the run, so tests add what they need (uniquely named)
    and never rely on another test's additions. The database is flushed when
    the module is done.
    """
    from django.db import connection

    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "memorydb" in name or "test" in name, f"not a test database: {name}"
        _demo_load(tmp_path_factory.mktemp("demo") / "accounts.json")
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            _database_reset()


@pytest.fixture
def demo_site(demo_server, django_db_blocker):
    """The demo server, with the database open to the test (rows it writes are committed at once)."""
    with django_db_blocker.unblock():
        yield demo_server
