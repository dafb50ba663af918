"""axe-core, run inside the page, finds no serious or critical accessibility problem."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kiosks.operations import kiosk_create

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
STANDARDS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_problems(page: Page) -> list[dict]:
    """Serious and critical violations on the page as it is now, with where they are."""
    assert AXE.exists(), "run `make browser-deps` to install axe-core"
    # Evaluated through the DevTools protocol, not added as a <script>: the page's
    # CSP (production's) rightly refuses inline scripts, the test's own included.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", STANDARDS
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page) -> None:
    problems = axe_problems(page)
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.fixture
def kiosk_screen(demo_site, new_page) -> Page:
    _kiosk, token = kiosk_create(name="无障碍检查")
    page = new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{demo_site.url}/kiosk/#token={token}")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("status")).to_contain_text("更新")
    return page


@pytest.fixture
def phone(new_page) -> Page:
    page = new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def test_kiosk_home(kiosk_screen):
    assert_accessible(kiosk_screen)


def test_kiosk_home_in_high_contrast_and_large_text(kiosk_screen):
    kiosk_screen.get_by_role("button", name="大字").click()
    kiosk_screen.get_by_role("button", name="高对比").click()
    assert_accessible(kiosk_screen)


def test_kiosk_service_detail(kiosk_screen):
    kiosk_screen.locator("a.tile", has_text="养老服务").click()
    kiosk_screen.get_by_role("link", name=re.compile("^长者饭堂助餐")).click()
    expect(kiosk_screen.get_by_role("heading", level=1)).to_have_text("长者饭堂助餐")
    assert_accessible(kiosk_screen)


def test_kiosk_search_keyboard(kiosk_screen):
    kiosk_screen.get_by_role("link", name="搜索服务、通知、活动").click()
    expect(kiosk_screen.get_by_role("searchbox")).to_be_visible()
    assert_accessible(kiosk_screen)


def test_resident_home(demo_site, phone):
    phone.goto(f"{demo_site.url}/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(phone)


def test_resident_service_detail(demo_site, phone):
    phone.goto(f"{demo_site.url}/services/elderly-canteen/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("长者饭堂助餐")
    assert_accessible(phone)


def test_subscribe_page(demo_site, phone):
    phone.goto(f"{demo_site.url}/subscribe/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("订阅社区信息")
    assert_accessible(phone)
