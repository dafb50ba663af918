"""A resident subscribes inside WeChat: 在微信里接收, WeChat's authorisation, back to the form."""

import pytest
from playwright.sync_api import Browser, expect

from subscriptions.models import Subscription
from subscriptions.tests.wechat_fixtures import (
    WECHAT_UA,
    wechat_account,  # noqa: F401 - a fixture
)
from tests.peers.fixtures import wechat_peer  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.browser,
    # The resident categories are reference data seeded by a migration: keep them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_in_wechat_the_page_binds_the_openid_and_subscribes_with_nothing_else(
    live_server,
    browser: Browser,
    tree,
    wechat_account,  # noqa: F811
):
    peer = wechat_account
    openid = peer.add_follower()
    peer.browser_user = openid
    context = browser.new_context(locale="zh-CN", user_agent=WECHAT_UA)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/subscribe/")
        page.get_by_role("link", name="在微信里接收").click()

        # Through WeChat's page and back: the form says WeChat is connected, the token is
        # out of the address bar.
        expect(page.locator("#wechat-state")).to_have_text(
            "已连接您的微信，保存后通知会发到微信里。"
        )
        assert "#wechat=" not in page.url
        expect(page.get_by_role("link", name="在微信里接收")).to_be_hidden()
        page.get_by_role("group", name="您关心哪些专题的信息？（可多选）").get_by_role(
            "checkbox", name="老年人", exact=True
        ).check()
        page.get_by_role("button", name="订阅", exact=True).click()
        expect(page.locator("#status")).to_contain_text("通知会发到您的微信。")
    finally:
        context.close()

    address = Subscription.objects.get().addresses.get()
    assert (address.channel, address.address, address.live) == ("wechat", openid, True)
