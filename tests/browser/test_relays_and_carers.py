"""为家人订阅 on the subscribe page, and a relay's 已转告 page on a small phone, in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.models import Notification, Relay, RelayAcknowledgement, Subscription
from subscriptions.relays import ack_path, relay_save
from subscriptions.tests.sms_fixtures import sms_outbox  # noqa: F401 - a fixture
from tests.browser.test_accessibility import assert_accessible

pytestmark = [
    pytest.mark.browser,
    # The resident categories are reference data seeded by a migration: keep them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_carer_subscribes_their_mother_and_must_tick_her_agreement(
    live_server,
    page: Page,
    tree,
    sms_outbox,  # noqa: F811
):
    page.goto(f"{live_server.url}/subscribe/")
    switch = page.get_by_role("switch", name="为家人订阅")
    relationship = page.get_by_role("group", name="这位家人是您的？")
    expect(relationship).to_be_hidden()
    switch.check()
    expect(switch).to_have_attribute("aria-expanded", "true")
    relationship.get_by_role("radio", name="母亲").check()
    assert_accessible(page)
    page.get_by_role("group", name="您关心哪些专题的信息？（可多选）").get_by_role(
        "checkbox", name="老年人", exact=True
    ).check()
    page.get_by_label("手机号码（短信）").fill("138 0013 8000")
    page.get_by_role("button", name="订阅", exact=True).click()
    agreement = page.get_by_role("checkbox", name="已征得本人同意")
    expect(page.locator('[id="error-on_behalf.agreement"]')).to_contain_text("已征得本人同意")
    expect(agreement).to_be_focused()
    assert not Subscription.objects.exists()

    agreement.check()
    page.get_by_role("button", name="订阅", exact=True).click()
    expect(page.locator("#status")).to_contain_text("订阅成功")
    subscription = Subscription.objects.get()
    assert subscription.on_behalf_relationship == "mother"
    assert subscription.on_behalf_agreed_at is not None


def test_a_relay_taps_once_on_a_small_phone(
    live_server,
    new_page,
    tree,
    sms_outbox,  # noqa: F811
):
    relay = relay_save(
        relay=Relay(name="张建国", community="dongyuan", households=40),
        addresses={"sms": "+8613900139000"},
    )
    NoticePageFactory(
        parent=tree.a.notices,
        title="明早八点起全域停水",
        urgency=NoticePage.Urgency.URGENT,
        audience=["elderly"],
    ).save_revision().publish()
    notification = Notification.objects.get()
    assert sms_outbox.to("+8613900139000")[0]["template"] == "relay"
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 568})
    page.goto(live_server.url + ack_path(relay.pk, notification.pk))
    expect(page.get_by_role("heading", name="明早八点起全域停水")).to_be_visible()
    button = page.get_by_role("button", name="已转告")
    box = button.bounding_box()
    assert box["height"] >= 72 and box["width"] >= 250  # a thumb cannot miss it
    assert not RelayAcknowledgement.objects.exists()  # opening the page records nothing
    assert_accessible(page)

    button.click()
    expect(page.get_by_role("status")).to_contain_text("已记下：您在")
    expect(page.get_by_role("button", name="已转告")).to_have_count(0)
    assert_accessible(page)
    page.go_back()
    page.reload()
    assert RelayAcknowledgement.objects.count() == 1
