"""`make screenshots`: pictures of the fronts and the editor on the demo street, for the README.

Run through pytest (it provides the demo server and the browser), but not part of
the test suite: the file name does not start with test_.
"""

import re
from pathlib import Path

from django.contrib.auth import get_user_model

import pytest
from playwright.sync_api import Page, expect

from kiosks.operations import kiosk_create
from services.models import ServicePage
from tests.browser.signin import admin_sign_in, authenticator_code

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
KIOSK = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def kiosk_screen(demo_site, new_page) -> Page:
    _kiosk, token = kiosk_create(name="服务大厅 1 号机")
    page = new_page()
    page.set_viewport_size(KIOSK)
    page.goto(f"{demo_site.url}/kiosk/#token={token}")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("status")).to_contain_text("更新")
    return page


def shoot(page: Page, name: str, **options) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUT / name, **options)


def test_kiosk_home(kiosk_screen):
    shoot(kiosk_screen, "kiosk-home.png")


def test_kiosk_service(kiosk_screen):
    kiosk_screen.locator("a.tile", has_text="养老服务").click()
    kiosk_screen.get_by_role("link", name=re.compile("^长者饭堂助餐")).click()
    expect(kiosk_screen.locator("aside.qr svg")).to_be_visible()
    shoot(kiosk_screen, "kiosk-service.png")


def test_resident_home_on_a_phone(demo_site, new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_site.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "resident-home.png")


def test_admin_page_editor(demo_site, new_page):
    get_user_model().objects.create_superuser("shots", "shots@example.org", "shots-password")
    service = ServicePage.objects.get(slug="elderly-canteen", locale__language_code="zh-hans")
    page = new_page()
    page.set_viewport_size({"width": 1440, "height": 1000})
    admin_sign_in(page, demo_site.url, "shots", "shots-password")
    page.goto(f"{demo_site.url}/admin/pages/{service.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("长者饭堂助餐")
    shoot(page, "admin-editor.png")


def test_two_step_enrolment_and_code(demo_site, new_page, settings):
    settings.LINLI_TWO_FACTOR_REQUIRED = True
    get_user_model().objects.create_superuser("shots-2fa", "shots2fa@example.org", "shots-password")
    page = new_page()
    page.set_viewport_size({"width": 1000, "height": 1150})
    admin_sign_in(page, demo_site.url, "shots-2fa", "shots-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("开启两步验证")
    shoot(page, "admin-two-factor-enrol.png")

    key = page.locator("[data-secret]").inner_text()
    page.get_by_label("验证码").fill(authenticator_code(key))
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_role("status")).to_contain_text("两步验证已开启")
    page.context.clear_cookies()

    page.set_viewport_size({"width": 1000, "height": 700})
    admin_sign_in(page, demo_site.url, "shots-2fa", "shots-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("输入验证码")
    shoot(page, "admin-two-factor-code.png")


def test_subscribe_page_on_a_phone(demo_site, new_page):
    """The subscribe page as a resident sees it: the phone number first, a code to confirm it."""
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_site.url}/subscribe/")
    page.get_by_role("checkbox", name="老年人").check()
    channels = page.get_by_text("怎样通知您？")
    channels.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.get_by_label(re.compile("手机号码")).fill("138 0013 8000")
    page.get_by_label("紧急通知打电话给我").check()
    shoot(page, "subscribe-phone.png")


def test_reach_of_an_urgent_notice(demo_site, new_page):
    """The reach view of an urgent notice, on deliveries and receipts like a real push's."""
    from django.utils import timezone

    from notices.models import NoticePage
    from subscriptions.factories import AddressFactory, SubscriptionFactory
    from subscriptions.models import Delivery, Notification, Receipt
    from subscriptions.notifications import page_facts

    notice = NoticePage.objects.filter(locale__language_code="zh-hans").live().first()
    now = timezone.now()
    notification = Notification.objects.create(
        kind=Notification.Kind.PUBLISHED,
        key="screenshot",
        page=notice,
        **{**page_facts(notice), "urgent": True, "visible_from": now},
    )
    communities = ["anhuali", "liuyinjie", "xingfu"]
    for n in range(60):
        subscription = SubscriptionFactory(
            resident_categories=["elderly"] if n % 3 else ["elderly", "disability"],
            communities=[communities[n % 3]],
        )
        channel = "sms" if n % 5 else "email"
        address = AddressFactory(
            subscription=subscription,
            channel=channel,
            address=f"+86138{n:08d}" if channel == "sms" else f"r{n}@example.org",
        )
        status = Delivery.Status.SENT if n % 17 else Delivery.Status.FAILED
        delivery = Delivery.objects.create(
            notification=notification,
            subscription=subscription,
            address=address,
            channel=channel,
            status=status,
            sent_at=now + timezone.timedelta(seconds=20 + n * 3),
        )
        if channel == "sms" and status == Delivery.Status.SENT:
            failed = n % 13 == 0
            Receipt.objects.create(
                delivery=delivery,
                provider="aliyun",
                provider_id=f"biz-{n}",
                status=Receipt.Status.FAILED if failed else Receipt.Status.DELIVERED,
                code="UNDELIV" if failed else "DELIVRD",
                reported_at=now + timezone.timedelta(seconds=30 + n * 4),
            )
    get_user_model().objects.create_superuser("shots-reach", "reach@example.org", "shots-password")
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 1300})
    admin_sign_in(page, demo_site.url, "shots-reach", "shots-password")
    page.goto(f"{demo_site.url}/admin/reports/notifications/{notification.pk}/reach/")
    expect(page.locator("[data-targeted]")).to_have_text("60")
    shoot(page, "admin-reach.png")
