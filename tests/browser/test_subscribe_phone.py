"""A resident subscribes by text message on the phone page: the number first, then the code."""

import pytest
from playwright.sync_api import Page, expect

from subscriptions.models import Subscription
from subscriptions.tests.sms_fixtures import sms_outbox  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.browser,
    # The resident categories are reference data seeded by a migration: keep them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sms_comes_first_and_the_code_from_the_text_confirms_the_number(
    live_server,
    page: Page,
    tree,
    sms_outbox,  # noqa: F811
):
    page.goto(f"{live_server.url}/subscribe/")
    channels = page.get_by_role("group", name="怎样通知您？（至少选一种）")
    # In simplified Chinese, the first way offered is a text message.
    expect(channels.get_by_role("textbox").first).to_have_accessible_name("手机号码（短信）")
    page.get_by_role("group", name="您关心哪些专题的信息？（可多选）").get_by_role(
        "checkbox", name="老年人", exact=True
    ).check()
    page.get_by_label("手机号码（短信）").fill("010 6552 9988")
    page.get_by_role("button", name="订阅", exact=True).click()
    phone = page.get_by_label("手机号码（短信）")
    expect(page.locator("#error-phone")).to_have_text(
        "请填写中国大陆的手机号码（11 位，可带 +86）。"
    )
    expect(phone).to_have_attribute("aria-invalid", "true")

    phone.fill("138 0013 8000")
    page.get_by_role("button", name="订阅", exact=True).click()
    expect(page.locator("#status")).to_contain_text("验证码已发到 138 0013 8000")
    code_box = page.get_by_label("短信验证码")
    expect(code_box).to_be_focused()
    [message] = sms_outbox.to("+8613800138000")

    code_box.fill("000000" if message["params"]["code"] != "000000" else "111111")
    page.get_by_role("button", name="确认手机号").click()
    expect(page.locator("#error-code")).to_have_text(
        "验证码不对或已失效（10 分钟内有效），请重新获取。"
    )
    code_box.fill(message["params"]["code"])
    page.get_by_role("button", name="确认手机号").click()
    expect(page.locator("#code-status")).to_have_text(
        "手机号已确认。有您关心的新信息，我们会发短信告诉您。"
    )
    expect(page.locator("#phone-code-form")).to_be_hidden()
    # The manage link stays on screen.
    expect(page.locator("#status").get_by_role("link", name="管理我的订阅")).to_be_visible()
    address = Subscription.objects.get().addresses.get()
    assert (address.channel, address.address, address.live) == ("sms", "+8613800138000", True)


def test_in_english_the_phone_comes_after_email(live_server, page: Page, tree):
    page.goto(f"{live_server.url}/en/subscribe/")
    boxes = page.get_by_role("group", name="How should we reach you? (choose at least one)")
    expect(boxes.get_by_role("textbox").first).to_have_accessible_name("Email address")
    expect(page.get_by_label("Mobile number (text messages)")).to_be_visible()


def test_ticking_calls_for_urgent_notices_asks_for_one_code_for_texts_and_calls(
    live_server,
    page: Page,
    tree,
    sms_outbox,  # noqa: F811
):
    page.goto(f"{live_server.url}/subscribe/")
    page.get_by_role("group", name="您关心哪些专题的信息？（可多选）").get_by_role(
        "checkbox", name="老年人", exact=True
    ).check()
    page.get_by_label("手机号码（短信）").fill("138 0013 8000")
    page.get_by_role("checkbox", name="紧急通知打电话给我").check()
    page.get_by_role("button", name="订阅", exact=True).click()
    expect(page.locator("#status")).to_contain_text("验证码已发到 138 0013 8000")

    # One code for the number, whichever way it is to be reached.
    [message] = sms_outbox.to("+8613800138000")
    page.get_by_label("短信验证码").fill(message["params"]["code"])
    page.get_by_role("button", name="确认手机号").click()
    expect(page.locator("#phone-code-form")).to_be_hidden()
    addresses = {a.channel: a.live for a in Subscription.objects.get().addresses.all()}
    assert addresses == {"sms": True, "voice": True}
