"""Residents subscribe to community news, change and delete it, on the phone pages in a real browser."""

import base64
import datetime
import json
import os
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import Page, expect

from subscriptions import operations
from subscriptions.models import Subscription
from subscriptions.tokens import manage_token_hash

pytestmark = [
    pytest.mark.browser,
    # The resident categories are reference data seeded by a migration: keep them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "wang.ayi@example.com"
SENSITIVE_NOTE = "需要单独同意；工作人员只能看到订阅人数，看不到是谁订阅。"
TOKEN_KEY = "linli.manageToken"

# Stands in for the browser's push service, which cannot be reached from here:
# only `PushManager.subscribe` is replaced, and it records what the page asked for.
FAKE_PUSH_SERVICE = """
(() => {
  const fake = %s;
  window.__pushSubscribeCalls = [];
  PushManager.prototype.subscribe = async function (options) {
    window.__pushSubscribeCalls.push({
      userVisibleOnly: options.userVisibleOnly,
      applicationServerKey: Array.from(new Uint8Array(options.applicationServerKey)),
    });
    return {
      endpoint: fake.endpoint,
      expirationTime: null,
      options,
      toJSON() {
        return { endpoint: fake.endpoint, expirationTime: null, keys: fake.keys };
      },
      unsubscribe: async () => true,
    };
  };
})();
"""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_bytes(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def group(page: Page, legend: str):
    return page.get_by_role("group", name=legend, exact=True)


def stored_token(page: Page) -> str | None:
    return page.evaluate(f"localStorage.getItem({TOKEN_KEY!r})")


def test_resident_subscribes_by_email(live_server, page, tree):
    page.goto(f"{live_server.url}/subscribe/")
    expect(page.get_by_role("heading", level=1)).to_have_text("订阅社区信息")

    categories = group(page, "您关心哪些专题的信息？（可多选）")
    elderly = categories.get_by_role("checkbox", name="老年人", exact=True)
    disability = categories.get_by_role("checkbox", name="残疾人相关政策", exact=True)
    # Sensitive categories say that staff only ever see counts; the others say nothing.
    expect(disability).to_have_accessible_description(SENSITIVE_NOTE)
    expect(elderly).to_have_accessible_description("")
    expect(categories.get_by_text(SENSITIVE_NOTE)).to_have_count(4)
    consent = group(page, "单独同意")
    expect(consent).to_be_hidden()
    elderly.check()
    expect(consent).to_be_hidden()
    disability.check()
    # A sensitive topic brings its own tick box, with the purpose in plain words.
    expect(consent).to_be_visible()
    expect(consent).to_contain_text("只用于发送信息")
    disability.uncheck()
    expect(consent).to_be_hidden()
    disability.check()

    types = group(page, "想收到哪些内容？（至少选一项）")
    expect(types.get_by_role("checkbox", name="通知", exact=True)).to_be_checked()
    types.get_by_role("checkbox", name="活动", exact=True).uncheck()
    group(page, "哪些社区的信息？").get_by_role("checkbox", name="东园社区").check()
    expect(group(page, "多久通知一次？").get_by_label("有新信息马上通知")).to_be_checked()
    expect(page.get_by_label("开始时间")).to_have_value("21:00")
    expect(page.get_by_label("结束时间")).to_have_value("08:00")
    page.get_by_label("电子邮箱").fill(EMAIL)
    page.get_by_role("button", name="订阅", exact=True).click()
    # Not without the separate consent.
    expect(page.locator("#error-sensitive_consent")).to_be_visible()
    assert not Subscription.objects.exists()
    consent.get_by_role("checkbox", name="我已阅读并同意上面这段话").check()
    page.get_by_role("button", name="订阅", exact=True).click()

    status = page.locator("#status")
    expect(status).to_contain_text("订阅成功！")
    expect(status).to_contain_text(f"我们已给 {EMAIL} 发了一封确认邮件")
    expect(page.locator("#subscription-form")).to_be_hidden()

    subscription = Subscription.objects.get()
    [address] = subscription.addresses.all()
    assert (address.channel, address.address, address.confirmed_at) == ("email", EMAIL, None)
    assert subscription.resident_categories == ["disability", "elderly"]
    assert subscription.sensitive_consent_at is not None
    assert subscription.content_types == ["notice", "service"]
    assert subscription.communities == ["dongyuan"]
    assert subscription.locale == "zh-hans"
    assert subscription.frequency == "immediate"
    assert (subscription.quiet_start, subscription.quiet_end) == (
        datetime.time(21, 0),
        datetime.time(8, 0),
    )
    # The live server runs in this process, so its locmem outbox is this one.
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert mail.outbox[0].subject == "请确认您的社区信息订阅"

    # The manage link carries the token in its fragment, and the browser keeps it for next time.
    manage = status.get_by_role("link", name="管理我的订阅")
    href = manage.get_attribute("href")
    match = re.fullmatch(r"/subscriptions/manage/#token=([^/]+)", href or "")
    assert match, href
    token = match.group(1)
    assert manage_token_hash(token) == subscription.token_hash
    assert stored_token(page) == token

    page.reload()
    stored = page.locator("#stored-subscription")
    expect(stored).to_contain_text("您在这个浏览器上已经订阅过。")
    expect(stored.get_by_role("link", name="管理我的订阅")).to_have_attribute("href", href)
    manage = stored.get_by_role("link", name="管理我的订阅")
    manage.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("管理我的订阅")
    expect(page.get_by_label("电子邮箱")).to_have_value(EMAIL)


def test_resident_turns_on_browser_notifications(live_server, page, tree):
    private_key = ec.generate_private_key(ec.SECP256R1())
    p256dh = b64url(
        private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    auth = b64url(os.urandom(16))
    endpoint = f"http://127.0.0.1:{urlsplit(live_server.url).port}/push/x"
    fake = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.add_init_script(script=FAKE_PUSH_SERVICE % json.dumps(fake))

    page.goto(f"{live_server.url}/subscribe/")
    group(page, "您关心哪些专题的信息？（可多选）").get_by_role(
        "checkbox", name="老年人", exact=True
    ).check()
    switch = page.get_by_role("switch", name="在这个浏览器上接收通知")
    expect(switch).to_be_enabled()
    switch.check()
    expect(page.locator("#push-state")).to_have_text("浏览器通知已准备好，提交后生效。")
    expect(switch).to_be_checked()

    # The page registered the real service worker and asked for a push
    # subscription with the hub's VAPID key.
    worker = page.evaluate(
        "navigator.serviceWorker.getRegistration('/')"
        ".then((r) => r && r.active && [r.scope, r.active.scriptURL])"
    )
    assert worker == [f"{live_server.url}/", f"{live_server.url}/sw.js"]
    assert page.evaluate("Notification.permission") == "granted"
    calls = page.evaluate("window.__pushSubscribeCalls")
    assert calls == [
        {
            "userVisibleOnly": True,
            "applicationServerKey": list(b64url_bytes(settings.LINLI_VAPID_PUBLIC_KEY)),
        }
    ]

    page.get_by_role("button", name="订阅", exact=True).click()
    status = page.locator("#status")
    expect(status).to_contain_text("订阅成功！")
    expect(status).to_contain_text("新信息会以通知的形式出现在这个浏览器上。")
    expect(status).not_to_contain_text("确认邮件")

    subscription = Subscription.objects.get()
    [address] = subscription.addresses.all()
    assert (address.channel, address.address, address.live) == ("webpush", endpoint, True)
    assert address.data == {"p256dh": p256dh, "auth": auth}
    assert subscription.resident_categories == ["elderly"]
    assert mail.outbox == []


def test_an_invalid_email_is_shown_next_to_the_email_field(live_server, page, tree):
    page.goto(f"{live_server.url}/subscribe/")
    email = page.get_by_label("电子邮箱")
    email.fill("wang.ayi.example.com")
    page.get_by_role("button", name="订阅", exact=True).click()

    error = page.locator("#field-email .field-error")
    expect(error).to_have_text("请输入合法的邮件地址。")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile(r"^请输入合法的邮件地址。"))
    expect(email).to_be_focused()
    expect(page.locator("#status")).to_have_text("没有成功：请输入合法的邮件地址。")
    assert not Subscription.objects.exists()

    # Neither an address nor notifications: the API names the email field again.
    email.fill("")
    page.get_by_role("button", name="订阅", exact=True).click()
    expect(error).to_have_text("请填写手机号码或电子邮箱，或开启网页推送，至少选一种接收方式。")

    email.fill(EMAIL)
    page.get_by_role("button", name="订阅", exact=True).click()
    expect(page.locator("#status")).to_contain_text("订阅成功！")
    expect(error).to_be_hidden()
    assert Subscription.objects.get().address("email").address == EMAIL


def test_resident_changes_exports_and_deletes_the_subscription(live_server, page, tree):
    subscription, token = operations.subscription_create(
        data={
            "email": EMAIL,
            "resident_categories": ["elderly"],
            "content_types": ["notice"],
            "communities": [],
            "locale": "zh-hans",
            "frequency": "immediate",
        }
    )
    assert len(mail.outbox) == 1
    manage_url = f"{live_server.url}/subscriptions/manage/#token={token}"
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(manage_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("管理我的订阅")
    expect(page.get_by_label("电子邮箱")).to_have_value(EMAIL)
    expect(page.locator("#email-state")).to_have_text("这个邮箱还没有确认，请查收确认邮件。")
    categories = group(page, "您关心哪些专题的信息？（可多选）")
    expect(categories.get_by_role("checkbox", name="老年人", exact=True)).to_be_checked()
    expect(
        categories.get_by_role("checkbox", name="残疾人相关政策", exact=True)
    ).not_to_be_checked()
    types = group(page, "想收到哪些内容？（至少选一项）")
    expect(types.get_by_role("checkbox", name="通知", exact=True)).to_be_checked()
    expect(types.get_by_role("checkbox", name="服务", exact=True)).not_to_be_checked()
    expect(page.get_by_label("有新信息马上通知")).to_be_checked()
    # The token reached the server only in Authorization headers, never in a URL a log keeps;
    # the browser kept it, and took it out of the address bar.
    assert requested and [url for url in requested if token in url] == []
    assert stored_token(page) == token
    assert page.url == f"{live_server.url}/subscriptions/manage/"
    expect(page.get_by_label("夜间免打扰")).to_be_checked()
    expect(page.get_by_role("switch", name="在这个浏览器上接收通知")).not_to_be_checked()
    assert stored_token(page) == token

    page.get_by_label("每天一次摘要").check()
    page.get_by_label("不设免打扰").check()
    expect(page.get_by_label("开始时间")).to_be_disabled()
    types.get_by_role("checkbox", name="活动", exact=True).check()
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#status")).to_have_text("已保存修改。")

    subscription.refresh_from_db()
    assert subscription.frequency == "daily"
    assert subscription.quiet_start is None
    assert subscription.quiet_end is None
    assert subscription.content_types == ["event", "notice"]
    assert subscription.address("email").address == EMAIL
    assert len(mail.outbox) == 1  # the address did not change: no new confirmation

    # Reloaded, the page shows what was saved.
    page.reload()
    expect(page.get_by_label("每天一次摘要")).to_be_checked()
    expect(page.get_by_label("不设免打扰")).to_be_checked()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="导出我的数据").click()
    download = download_info.value
    assert download.suggested_filename == "linli-subscription.json"
    exported = json.loads(download.path().read_text())
    assert exported["subscription"]["email"] == EMAIL
    assert exported["subscription"]["frequency"] == "daily"
    assert exported["deliveries"] == []
    expect(page.locator("#data-status")).to_have_text("已开始下载您的数据。")

    # Deleting asks first; saying no keeps everything.
    delete = page.get_by_role("button", name="删除我的订阅")
    delete.click()
    question = page.get_by_text("确定要删除吗？删除后不能恢复。")
    expect(question).to_be_visible()
    expect(question).to_be_focused()
    page.get_by_role("button", name="不删除").click()
    expect(question).to_be_hidden()
    expect(delete).to_be_focused()
    assert Subscription.objects.filter(pk=subscription.pk).exists()

    delete.click()
    page.get_by_role("button", name="确定删除").click()
    expect(page.locator("#status")).to_contain_text("您的订阅已删除，我们不会再给您发送信息。")
    expect(page.locator("#subscription-form")).to_be_hidden()
    assert not Subscription.objects.exists()
    assert stored_token(page) is None

    page.goto(manage_url)
    expect(page.locator("#status")).to_contain_text("这个管理链接无效，或者订阅已经删除。")
    expect(page.locator("#subscription-form")).to_be_hidden()


def test_the_page_speaks_traditional_chinese_and_english(live_server, page, tree):
    page.goto(f"{live_server.url}/subscribe/")
    page.get_by_role("navigation", name="选择语言").get_by_role("link", name="繁體中文").click()
    expect(page).to_have_url(f"{live_server.url}/zh-hant/subscribe/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.get_by_role("heading", level=1)).to_have_text("訂閱社區資訊")
    categories = group(page, "您關心哪些專題的資訊？（可多選）")
    expect(
        categories.get_by_role("checkbox", name="高齡、獨居老人關愛政策", exact=True)
    ).to_have_accessible_description("需要單獨同意；工作人員只能看到訂閱人數，看不到是誰訂閱。")
    types = group(page, "想收到哪些內容？（至少選一項）")
    expect(types.get_by_role("checkbox", name="服務", exact=True)).to_be_visible()
    expect(page.get_by_label("每週一次摘要")).to_be_visible()
    expect(page.get_by_label("電子郵箱")).to_be_visible()
    expect(page.get_by_role("switch", name="在這個瀏覽器上接收通知")).to_be_visible()
    expect(page.get_by_role("button", name="訂閱", exact=True)).to_be_enabled()

    page.get_by_role("navigation", name="選擇語言").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/en/subscribe/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Subscribe to community news")
    categories = group(page, "Which topics would you like news on? (choose any)")
    categories.get_by_role("checkbox", name="Older people", exact=True).check()
    types = group(page, "What would you like to hear about? (choose at least one)")
    expect(types.get_by_role("checkbox", name="Service", exact=True)).to_be_checked()
    expect(page.get_by_label("A weekly summary")).to_be_visible()

    # Errors are in the page's language too, and the subscription keeps it.
    email = page.get_by_label("Email address")
    email.fill("not-an-address")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    expect(page.locator("#field-email .field-error")).to_have_text(
        "Please enter a valid email address, or turn on browser notifications."
    )
    email.fill(EMAIL)
    page.get_by_role("button", name="Subscribe", exact=True).click()
    status = page.locator("#status")
    expect(status).to_contain_text("You are subscribed!")
    expect(status.get_by_role("link", name="Manage my subscription")).to_have_attribute(
        "href", re.compile(r"^/en/subscriptions/manage/#token=[^/]+$")
    )
    subscription = Subscription.objects.get()
    assert subscription.locale == "en"
    assert subscription.resident_categories == ["elderly"]
    assert mail.outbox[0].subject == "Please confirm your community news subscription"
