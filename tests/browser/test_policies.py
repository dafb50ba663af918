"""Swagger UI and the admin work under production's Content-Security-Policy, two-step sign-in included.

The watch in conftest.py fails any browser test whose pages logged a policy
violation; these tests walk the pages no other browser test opens.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from services.models import ServicePage
from tests.browser.signin import admin_sign_in, authenticator_code

pytestmark = pytest.mark.browser

PASSWORD = "linli-policy-pw-2026"


def test_swagger_ui_shows_the_api(demo_site, page):
    page.goto(f"{demo_site.url}/api/v1/docs/")

    operation = page.locator(".opblock").filter(has_text="/services/").first
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    expect(page.get_by_role("button", name="Try it out").first).to_be_visible()


def test_the_admin_works_under_the_policy(demo_site, new_page):
    get_user_model().objects.create_superuser("policy-admin", "policy@example.org", PASSWORD)
    service = ServicePage.objects.get(slug="elderly-canteen", locale__language_code="zh-hans")
    reviewers = Group.objects.get(name="街道审核员")
    page = new_page()
    admin_sign_in(page, demo_site.url, "policy-admin", PASSWORD)
    expect(page).to_have_url(f"{demo_site.url}/admin/")

    page.goto(f"{demo_site.url}/admin/pages/{service.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("长者饭堂助餐")
    # The live preview beside the editor is a frame of our own.
    page.get_by_role("button", name=re.compile("预览")).first.click()
    expect(page.frame_locator("iframe[title]").first.locator("body")).not_to_be_empty()

    for path in (
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/reports/notifications/",
    ):
        page.goto(f"{demo_site.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{demo_site.url}/admin/groups/edit/{reviewers.pk}/")
    expect(page.get_by_text("登录须两步验证")).to_be_visible()
    # Anyone may turn two-step verification on from their account settings.
    page.goto(f"{demo_site.url}/admin/account/")
    page.get_by_role("tab", name="更多动作").click()
    page.get_by_role("link", name="两步验证").click()
    expect(page.get_by_role("link", name="开启两步验证")).to_be_visible()


def test_a_reviewer_enrols_a_phone_then_types_its_code(demo_site, new_page, settings):
    settings.LINLI_TWO_FACTOR_REQUIRED = True
    reviewer = get_user_model().objects.create_user("policy-reviewer", password=PASSWORD)
    reviewer.groups.add(Group.objects.get(name="街道审核员"))
    page = new_page()

    admin_sign_in(page, demo_site.url, "policy-reviewer", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("开启两步验证")
    page.goto(f"{demo_site.url}/admin/pages/")
    expect(page.get_by_role("heading", level=1)).to_have_text("开启两步验证")
    key = page.locator("[data-secret]").inner_text()
    page.get_by_label("验证码").fill(authenticator_code(key))
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_role("status")).to_contain_text("两步验证已开启")
    assert "/two-factor/" not in page.url

    page.context.clear_cookies()
    admin_sign_in(page, demo_site.url, "policy-reviewer", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("输入验证码")
    page.get_by_label("验证码").fill(authenticator_code(key, steps_ahead=1))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(f"{demo_site.url}/admin/")


def test_without_javascript_the_subscribe_page_hides_what_needs_it(demo_site, browser):
    # The no-script stylesheet is a file: an inline <style> would be refused by the CSP.
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_site.url}/subscribe/")

    expect(page.locator(".actions.needs-js")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()
