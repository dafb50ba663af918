"""The hall kiosk in a real browser, on the demo street: what an older resident sees and touches."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest
from playwright.sync_api import Page, expect

from kiosks.models import Kiosk
from kiosks.operations import kiosk_create
from notices.factories import NoticePageFactory
from notices.models import NoticeIndexPage, NoticePage

pytestmark = pytest.mark.browser

KIOSK_VIEWPORT = {"width": 1920, "height": 1080}
URGENT_DEMO = "柳荫街19号至45号院明天停水"


@pytest.fixture
def kiosk(demo_site):
    """The street office's hall kiosk (street-wide: every community's content)."""
    return kiosk_create(name="服务大厅 1 号机")


@pytest.fixture
def screen(new_page) -> Page:
    page = new_page()
    page.set_viewport_size(KIOSK_VIEWPORT)
    return page


def open_kiosk(page: Page, demo_site, token: str) -> None:
    page.goto(f"{demo_site.url}/kiosk/#token={token}")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("status")).to_contain_text("更新")


def tile(page: Page, name: str):
    return page.locator("a.tile", has=page.locator(".tile-name", has_text=re.compile(f"^{name}$")))


def publish_notice(**fields) -> NoticePage:
    index = NoticeIndexPage.objects.filter(locale__language_code="zh-hans").first()
    page = NoticePageFactory.build(**fields)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_first_start_asks_for_the_token_once_and_keeps_it(demo_site, screen, kiosk):
    record, token = kiosk
    screen.goto(f"{demo_site.url}/kiosk/")
    expect(screen.get_by_role("heading", level=1)).to_have_text("自助机设置")

    screen.get_by_label("自助机令牌").fill("not-a-token")
    screen.get_by_role("button", name="保存并开始").click()
    expect(screen.get_by_role("alert")).to_have_text("令牌无效或已停用，请在管理后台核对。")

    screen.get_by_label("自助机令牌").fill(token)
    screen.get_by_role("button", name="保存并开始").click()
    expect(tile(screen, "老年人")).to_be_visible()
    expect(screen.get_by_role("status")).to_contain_text("已联网")

    screen.reload()
    expect(tile(screen, "老年人")).to_be_visible()
    expect(screen.get_by_text("自助机设置")).to_have_count(0)
    record.refresh_from_db()
    assert record.last_seen_at is not None, "the kiosk sends heartbeats"
    assert record.client_version == "1.0.0"


def test_the_token_from_the_link_never_reaches_a_url_the_server_sees(demo_site, screen, kiosk):
    _record, token = kiosk
    requested = []
    screen.on("request", lambda request: requested.append(request))

    open_kiosk(screen, demo_site, token)

    # Only the Authorization header carries it; no request line a log could keep does.
    assert requested
    assert [r.url for r in requested if token in r.url] == []
    assert any(r.headers.get("authorization") == f"Bearer {token}" for r in requested)
    assert token not in screen.url
    assert screen.evaluate("localStorage.getItem('linli.kioskToken')") == token


def test_urgent_notice_banner_stays_on_top(demo_site, screen, kiosk):
    open_kiosk(screen, demo_site, kiosk[1])
    banner = screen.locator("#urgent")
    expect(banner).to_contain_text(URGENT_DEMO)
    tile(screen, "养老服务").click()
    expect(banner).to_contain_text(URGENT_DEMO)
    banner.get_by_role("link", name=URGENT_DEMO).click()
    expect(screen.get_by_role("heading", level=1)).to_have_text(URGENT_DEMO)


def test_category_to_list_to_service_detail(demo_site, screen, kiosk):
    open_kiosk(screen, demo_site, kiosk[1])
    tile(screen, "养老服务").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("养老服务")
    screen.get_by_role("link", name=re.compile("^长者饭堂助餐")).click()

    detail = screen.locator("article.detail")
    expect(detail.get_by_role("heading", level=1)).to_have_text("长者饭堂助餐")
    expect(detail).to_contain_text("低偿")
    expect(detail.locator(".costs")).to_contain_text("6 元 / 份 标准套餐")
    expect(detail.locator(".places")).to_contain_text("和平长者饭堂")
    expect(detail.locator(".places")).to_contain_text("今天开放时间：11:00–13:00")
    expect(detail.locator(".checklist li")).to_have_text([re.compile("身份证（原件）")])
    expect(detail).to_contain_text("当场办结")
    expect(detail).to_contain_text("010-64026688")
    qr = detail.locator("aside.qr")
    expect(qr).to_have_attribute("data-url", "http://testserver/services/elderly-canteen/")
    expect(qr.get_by_role("img", name="用手机扫一扫，在手机上看这一页")).to_be_visible()

    screen.get_by_role("button", name="← 返回").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("养老服务")


def test_switching_to_traditional_chinese(demo_site, screen, kiosk):
    open_kiosk(screen, demo_site, kiosk[1])
    screen.get_by_role("button", name="繁").click()
    expect(screen.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(screen.get_by_role("heading", name="服務分類")).to_be_visible()
    expect(tile(screen, "養老服務")).to_be_visible()
    tile(screen, "養老服務").click()
    expect(screen.get_by_role("link", name=re.compile("^長者飯堂助餐"))).to_be_visible()


def test_pinyin_initials_on_the_screen_keyboard_suggest_pages(demo_site, screen, kiosk):
    open_kiosk(screen, demo_site, kiosk[1])
    screen.get_by_role("link", name="搜索服务、通知、活动").click()
    keyboard = screen.get_by_role("group", name="搜索", exact=True)
    for key in "ylfw":
        keyboard.get_by_role("button", name=key, exact=True).click()
    expect(screen.get_by_role("searchbox")).to_have_value("ylfw")
    suggestion = screen.locator("#suggestions").get_by_role(
        "link", name=re.compile("社区养老服务驿站")
    )
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("社区养老服务驿站")


def test_idle_kiosk_returns_home_and_forgets_the_search(demo_site, screen, kiosk, settings):
    screen.clock.install()
    open_kiosk(screen, demo_site, kiosk[1])
    screen.get_by_role("button", name="大字").click()
    screen.get_by_role("link", name="搜索服务、通知、活动").click()
    screen.get_by_role("group", name="常用词").get_by_role("button", name="低保").click()
    expect(screen.get_by_role("searchbox")).to_have_value("低保")

    screen.clock.run_for(settings.LINLI_KIOSK_IDLE_SECONDS * 1000 - 5000)
    expect(screen.locator("#main")).to_have_attribute("data-screen", "search")
    screen.clock.run_for(6000)
    expect(screen.locator("#main")).to_have_attribute("data-screen", "home")
    expect(screen.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "false")
    screen.get_by_role("link", name="搜索服务、通知、活动").click()
    expect(screen.get_by_role("searchbox")).to_have_value("")


def test_keeps_working_from_what_it_has_when_the_network_is_gone(demo_site, screen, kiosk):
    open_kiosk(screen, demo_site, kiosk[1])
    screen.evaluate("navigator.serviceWorker.ready.then(() => true)")
    screen.context.set_offline(True)

    screen.reload()
    expect(screen.get_by_role("status")).to_contain_text("网络已断开，显示的是")
    expect(tile(screen, "老年人")).to_be_visible()
    expect(screen.locator("#urgent")).to_contain_text(URGENT_DEMO)
    tile(screen, "养老服务").click()
    screen.get_by_role("link", name=re.compile("^长者饭堂助餐")).click()
    expect(screen.locator("article.detail .checklist")).to_contain_text("身份证")

    screen.context.set_offline(False)
    screen.evaluate("window.dispatchEvent(new Event('online'))")
    expect(screen.get_by_role("status")).to_contain_text("已联网")


def test_notice_published_while_running_appears_within_one_poll(demo_site, screen, kiosk, settings):
    settings.LINLI_FEED_POLL_SECONDS = 2
    open_kiosk(screen, demo_site, kiosk[1])
    expect(screen.locator("#urgent")).not_to_contain_text("今晚停电检修")

    publish_notice(title="和平路今晚停电检修", urgency=NoticePage.Urgency.URGENT)
    expect(screen.locator("#urgent")).to_contain_text("和平路今晚停电检修", timeout=2 * 2000 + 2000)


def test_expired_notice_disappears_while_offline(demo_site, screen, kiosk):
    publish_notice(
        title="今天下午燃气管道检修",
        urgency=NoticePage.Urgency.URGENT,
        valid_until=timezone.now() + timedelta(minutes=2),
    )
    screen.clock.install()
    open_kiosk(screen, demo_site, kiosk[1])
    expect(screen.locator("#urgent")).to_contain_text("今天下午燃气管道检修")

    screen.context.set_offline(True)
    screen.clock.fast_forward("03:00")
    expect(screen.locator("#urgent")).not_to_contain_text("今天下午燃气管道检修")
    expect(screen.locator("#urgent")).to_contain_text(URGENT_DEMO)
    expect(screen.get_by_role("status")).to_contain_text("网络已断开")


def test_a_revoked_kiosk_goes_back_to_setup(demo_site, screen, kiosk, settings):
    settings.LINLI_FEED_POLL_SECONDS = 1
    record, token = kiosk
    open_kiosk(screen, demo_site, token)
    Kiosk.objects.filter(pk=record.pk).update(revoked_at=timezone.now())
    from django.core.cache import cache

    cache.clear()
    expect(screen.get_by_role("alert")).to_have_text(
        "这台自助机已被停用，请联系工作人员。", timeout=10_000
    )
