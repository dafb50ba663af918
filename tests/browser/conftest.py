"""Playwright fixtures: one headless Debian Chromium per worker, a fresh context per login."""

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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


@pytest.fixture
def demo(tmp_path):
    """The demo street (three communities, 60 services, notices, events), as `make run` loads it.

    Browser tests run with `transaction=True` (the live server reads committed
    rows), so each test loads it afresh.
    """
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", accounts_file=tmp_path / "accounts.json", stdout=StringIO())
