"""The WeChat channel: template messages through wechatpy to the loopback account, the outbox,
binding by web authorisation, and the events the account pushes."""

import json
from urllib.parse import urlencode, urlsplit

from django.core.cache import cache

import pytest
import requests

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.channels.wechat import (
    THING_MAX_CHARS,
    WeChatProvider,
    notification_message,
    template_render,
)
from subscriptions.delivery import deliveries_send
from subscriptions.factories import AddressFactory
from subscriptions.models import Address, Delivery, Receipt, Subscription, Unsubscription
from subscriptions.tests.wechat_fixtures import (
    SENDER,
    TEMPLATE_ID,
    WECHAT_UA,
    wechat_subscriber,
)

pytestmark = pytest.mark.django_db

LONG_TITLE = "关于临里社区一至六号楼明天上午九点至下午五点因供水管网改造临时停水的紧急通知"


@pytest.fixture
def site(tree):
    """The street as the default site, so pages have addresses to link to."""
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    return tree


def _notice(tree, title=LONG_TITLE, urgent=True, audience=("elderly",)):
    urgency = NoticePage.Urgency.URGENT if urgent else NoticePage.Urgency.NORMAL
    return NoticePageFactory(
        parent=tree.a.notices, title=title, urgency=urgency, audience=list(audience)
    )


# Sending


def test_the_outbox_writes_one_file_per_message_as_the_resident_reads_it(
    site, wechat_outbox, publish
):
    wechat_subscriber("oOutboxReader000000000000001")
    page = _notice(site)
    publish(page)

    [message] = wechat_outbox.messages()
    assert message["to"] == "oOutboxReader000000000000001"
    assert (message["template"], message["template_id"]) == ("notice", TEMPLATE_ID)
    title = message["params"]["thing1"]
    assert title.startswith("【紧急】关于临里社区") and title.endswith("…")
    assert len(title) == THING_MAX_CHARS
    assert message["params"]["thing2"] == SENDER
    assert message["text"] == (
        f"通知标题：{title}\n发布单位：{SENDER}\n发布时间：{message['params']['time3']}"
    )
    assert message["url"] == f"http://testserver{page.url}"
    # Nothing in it says who the reader is: the page's category is not named.
    assert "老年人" not in json.dumps(message, ensure_ascii=False)
    assert "elderly" not in json.dumps(message)
    delivery = Delivery.objects.get(channel="wechat")
    assert delivery.status == Delivery.Status.SENT
    assert (delivery.receipt.provider, delivery.receipt.provider_id) == ("outbox", message["id"])


def test_wechatpy_sends_with_one_access_token_and_wechat_shows_what_the_outbox_would(
    site, wechat_account, publish
):
    peer = wechat_account
    openid = peer.add_follower()
    wechat_subscriber(openid)
    page = _notice(site)
    publish(page)
    publish(_notice(site, title="社区义诊", urgent=False))

    first, second = peer.wait_for(2)
    assert peer.rejections == []
    assert peer.token_fetches == 1  # the second message reused the cached token
    assert (first.touser, first.template_id) == (openid, TEMPLATE_ID)
    assert first.url == f"http://testserver{page.url}"
    assert first.text == template_render(first.data)  # WeChat renders what the hub says
    assert first.data["thing1"].startswith("【紧急】关于临里社区")
    assert second.data["thing1"] == "社区义诊"
    assert second.data["thing2"] == SENDER
    receipts = {r.provider_id: r for r in Receipt.objects.filter(provider="wechat")}
    assert set(receipts) == {str(first.msgid), str(second.msgid)}
    assert {r.status for r in receipts.values()} == {Receipt.Status.ACCEPTED}


def test_an_expired_token_is_fetched_again_and_the_message_still_goes(
    site, wechat_account, publish
):
    peer = wechat_account
    wechat_subscriber(peer.add_follower())
    publish(_notice(site, title="第一条"))
    peer.wait_for(1)

    peer.advance(7200)  # WeChat's two hours are over; the hub's cache still holds the token
    publish(_notice(site, title="第二条"))

    assert [m.data["thing1"] for m in peer.wait_for(2)] == ["【紧急】第一条", "【紧急】第二条"]
    assert peer.token_fetches == 2
    assert any(" 42001 " in line for line in peer.rejections)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_a_token_reset_at_wechat_is_fetched_again(site, wechat_account, publish):
    peer = wechat_account
    wechat_subscriber(peer.add_follower())
    publish(_notice(site, title="第一条"))
    peer.expire_tokens()  # an administrator reset the AppSecret's tokens

    publish(_notice(site, title="第二条"))

    assert len(peer.wait_for(2)) == 2
    assert any(" 40001 " in line for line in peer.rejections)
    assert peer.token_fetches == 2


def test_processes_share_one_token_through_the_cache(wechat_account):
    peer = wechat_account
    openid = peer.add_follower()
    message = _plain_message()

    WeChatProvider().send(notification_message(openid, message))
    WeChatProvider().send(notification_message(openid, message))  # another process's client

    assert peer.token_fetches == 1
    cache.clear()
    WeChatProvider().send(notification_message(openid, message))
    assert peer.token_fetches == 2
    assert peer.rejections == []


def _plain_message():
    from subscriptions.messages import Message

    return Message(
        kind="published", locale="zh-hans", title="停水通知", body="", url="https://l.example/n/1"
    )


def test_a_follower_who_unfollowed_is_switched_off_and_gets_nothing(site, wechat_account, publish):
    peer = wechat_account
    openid = peer.add_follower(subscribed=False)
    wechat_subscriber(openid)
    publish(_notice(site))

    assert peer.messages == []
    assert any(" 43004 " in line for line in peer.rejections)
    delivery = Delivery.objects.get(channel="wechat")
    assert delivery.status == Delivery.Status.CANCELLED
    assert not Address.objects.at("wechat", openid).get().active


def test_the_accounts_daily_limit_holds_the_message_without_counting_a_failure(
    site, wechat_account, publish
):
    peer = wechat_account
    wechat_subscriber(peer.add_follower())
    peer.token_daily_limit = 0  # no access token today: 45009
    publish(_notice(site))

    held = Delivery.objects.get(channel="wechat")
    assert held.status == Delivery.Status.HELD
    assert held.attempts == 0
    assert "45009" in held.last_error

    peer.token_daily_limit = 2000  # the next day
    Delivery.objects.filter(pk=held.pk).update(next_attempt_at=held.created_at)
    deliveries_send()
    assert len(peer.wait_for(1)) == 1
    assert Delivery.objects.get(pk=held.pk).status == Delivery.Status.SENT


def test_a_long_sender_name_is_cut_to_what_wechat_takes(site, wechat_account, publish, settings):
    peer = wechat_account
    wechat_subscriber(peer.add_follower())
    settings.LINLI_WECHAT_SENDER_NAME = "临里街道办事处社区服务中心便民服务站信息发布专栏"  # > 20

    publish(_notice(site))

    delivery = Delivery.objects.get(channel="wechat")
    # The hub cuts its own values to fit, so WeChat took it.
    assert delivery.status == Delivery.Status.SENT
    assert len(peer.messages[0].data["thing2"]) == THING_MAX_CHARS


# Binding


def _bind_through_wechat(client, peer, openid, start="/subscribe/"):
    """The resident taps 在微信里接收: the hub, WeChat's page (real HTTP), the hub again."""
    peer.browser_user = openid
    leaving = client.get(
        f"/wechat/authorize/?{urlencode({'next': start})}", HTTP_USER_AGENT=WECHAT_UA
    )
    assert leaving.status_code == 302
    wechat_page = requests.get(
        leaving["Location"], headers={"User-Agent": WECHAT_UA}, allow_redirects=False, timeout=5
    )
    assert wechat_page.status_code == 302, wechat_page.text
    back = urlsplit(wechat_page.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("http", "testserver", "/wechat/bound/")
    return client.get(f"{back.path}?{back.query}", HTTP_USER_AGENT=WECHAT_UA)


def _fragment_token(answer) -> str:
    path, _, fragment = answer["Location"].partition("#")
    assert fragment.startswith("wechat=")
    return fragment.removeprefix("wechat=")


def test_the_subscribe_page_offers_wechat_only_inside_wechat(site, wechat_account, client):
    inside = client.get("/subscribe/", HTTP_USER_AGENT=WECHAT_UA).content.decode()
    outside = client.get(
        "/subscribe/", HTTP_USER_AGENT="Mozilla/5.0 Firefox/130.0"
    ).content.decode()

    assert "在微信里接收" in inside
    assert 'href="/wechat/authorize/?next=/subscribe/"' in inside
    assert "在微信里接收" not in outside


def test_binding_through_wechats_authorisation_subscribes_with_only_the_openid(
    site, wechat_account, client
):
    peer = wechat_account
    openid = peer.add_follower()

    back = _bind_through_wechat(client, peer, openid)

    assert back.status_code == 302
    assert back["Location"].startswith("/subscribe/#wechat=")
    assert openid not in back["Location"]  # signed and encoded, not the openid as it is
    created = client.post(
        "/api/v1/subscriptions/",
        {
            "wechat": _fragment_token(back),
            "resident_categories": ["elderly"],
            "content_types": ["notice"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["subscription"]["wechat_bound"] is True
    address = Address.objects.at("wechat", openid).get()
    assert address.live
    assert address.data == {}  # only the openid: no nickname, no web access token
    export = client.get(
        "/api/v1/subscriptions/self/export/",
        HTTP_AUTHORIZATION=f"Bearer {created.json()['manage_token']}",
    ).json()
    assert export["subscription"]["wechat_openid"] == openid
    assert peer.rejections == []


def test_the_manage_page_binds_wechat_to_the_existing_subscription(site, wechat_account, client):
    peer = wechat_account
    openid = peer.add_follower()
    created = client.post(
        "/api/v1/subscriptions/",
        {"phone": "13800138000", "content_types": ["notice"]},
        content_type="application/json",
    ).json()
    older = wechat_subscriber(openid, content_types=["event"])  # bound before, elsewhere
    AddressFactory(subscription=older, channel="email", address="older@example.org")

    back = _bind_through_wechat(client, peer, openid, start="/subscriptions/manage/")
    assert back["Location"].startswith("/subscriptions/manage/#wechat=")
    changed = client.patch(
        "/api/v1/subscriptions/self/",
        {"wechat": _fragment_token(back)},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {created['manage_token']}",
    )

    assert changed.status_code == 200
    assert changed.json()["subscription"]["wechat_bound"] is True
    assert changed.json()["subscription"]["phone"] == "+8613800138000"
    # One WeChat user, one subscription: the openid moved to the one that bound it last.
    [address] = Address.objects.at("wechat", openid)
    assert address.subscription.content_types == ["notice"]
    assert Subscription.objects.get(pk=older.pk).address("wechat") is None


def test_a_state_from_another_browser_binds_nothing(
    site, wechat_account, client, django_app_client
):
    peer = wechat_account
    peer.browser_user = peer.add_follower()
    # Someone starts a binding in their browser and sends the link on to a resident.
    leaving = client.get("/wechat/authorize/", HTTP_USER_AGENT=WECHAT_UA)
    wechat_page = requests.get(
        leaving["Location"], headers={"User-Agent": WECHAT_UA}, allow_redirects=False, timeout=5
    )
    back = urlsplit(wechat_page.headers["Location"])

    answer = django_app_client.get(f"{back.path}?{back.query}", HTTP_USER_AGENT=WECHAT_UA)

    assert answer.status_code == 400
    assert "没能连接您的微信" in answer.content.decode()
    assert "#wechat=" not in answer.get("Location", "")


@pytest.fixture
def django_app_client():
    """A second browser, with cookies of its own."""
    from django.test import Client

    return Client()


def test_a_forged_state_or_a_used_code_binds_nothing(site, wechat_account, client):
    peer = wechat_account
    openid = peer.add_follower()
    peer.browser_user = openid
    leaving = client.get("/wechat/authorize/", HTTP_USER_AGENT=WECHAT_UA)
    wechat_page = requests.get(
        leaving["Location"], headers={"User-Agent": WECHAT_UA}, allow_redirects=False, timeout=5
    )
    back = urlsplit(wechat_page.headers["Location"])

    assert client.get(f"{back.path}?{back.query}").status_code == 302  # the real one, once
    assert client.get(f"{back.path}?{back.query}").status_code == 400  # cookie used, code used

    # A state not signed by the hub, with this browser's fresh cookie: nothing.
    client.get("/wechat/authorize/", HTTP_USER_AGENT=WECHAT_UA)
    fresh_code = peer.authorize_code(openid)
    forged = client.get(f"/wechat/bound/?{urlencode({'code': fresh_code, 'state': 'x:y:z'})}")
    assert forged.status_code == 400


def test_a_forged_or_old_binding_token_is_refused_by_the_api(site, wechat_account, client):
    forged = client.post(
        "/api/v1/subscriptions/",
        {"wechat": "oForgedOpenId000000000000001", "content_types": ["notice"]},
        content_type="application/json",
    )
    assert forged.status_code == 400
    assert forged.json()["error"]["field"] == "wechat"
    assert Address.objects.filter(channel="wechat").count() == 0


def test_the_outbox_stand_in_plays_wechat_while_developing(site, wechat_outbox, client, settings):
    settings.DEBUG = True
    leaving = client.get("/wechat/authorize/?next=/subscribe/", HTTP_USER_AGENT=WECHAT_UA)
    assert leaving["Location"].startswith("/wechat/outbox-authorize/?")
    page = client.get(leaving["Location"])
    assert page.status_code == 200 and "outbox" in page.content.decode()
    query = dict(pair.split("=", 1) for pair in urlsplit(leaving["Location"]).query.split("&"))
    from urllib.parse import unquote

    authorised = client.post(
        "/wechat/outbox-authorize/",
        {
            "redirect_uri": unquote(query["redirect_uri"]),
            "state": unquote(query["state"]),
            "openid": "oDeveloperChosen00000000001",
        },
    )
    back = client.get(authorised["Location"].removeprefix("http://testserver"))
    created = client.post(
        "/api/v1/subscriptions/",
        {"wechat": _fragment_token(back), "content_types": ["notice"]},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert Address.objects.at("wechat", "oDeveloperChosen00000000001").get().live

    settings.DEBUG = False  # in production the outbox has no WeChat to bind with
    assert client.get("/wechat/authorize/").status_code == 404
    assert client.get(leaving["Location"]).status_code == 404
    assert (
        "在微信里接收" not in client.get("/subscribe/", HTTP_USER_AGENT=WECHAT_UA).content.decode()
    )


# Events


def _event(client, peer, xml, openid=None, query=None):
    query = query or peer.signed_query(openid)
    return client.post(f"/wechat/events/?{urlencode(query)}", data=xml, content_type="text/xml")


def test_the_server_url_check_echoes_only_with_the_tokens_signature(wechat_account, client):
    peer = wechat_account
    good = client.get(f"/wechat/events/?{urlencode({**peer.signed_query(), 'echostr': '4242'})}")
    assert (good.status_code, good.content) == (200, b"4242")

    query = {**peer.signed_query(), "echostr": "4242", "nonce": "1"}
    assert client.get(f"/wechat/events/?{urlencode(query)}").status_code == 403


def test_an_unfollow_forgets_the_openid_as_an_unsubscribe_does(site, wechat_account, client):
    peer = wechat_account
    openid = peer.add_follower()
    both = wechat_subscriber(openid)
    AddressFactory(subscription=both, channel="email", address="li@example.org")
    only = wechat_subscriber(openid)  # bound twice (before binding moved it)

    answer = _event(client, peer, peer.unsubscribe_event(openid), openid)

    assert (answer.status_code, answer.content) == (200, b"success")
    assert not Address.objects.at("wechat", openid).exists()
    assert Subscription.objects.get(pk=both.pk).address("email") is not None
    assert not Subscription.objects.filter(pk=only.pk).exists()  # nothing left to reach
    assert Unsubscription.objects.filter(channel="wechat", reason="微信取消关注").count() == 2


def test_channel_inbound_plays_an_unfollow_for_the_outbox(site, wechat_outbox):
    from io import StringIO

    from django.core.management import call_command

    wechat_subscriber("oOutboxReader000000000000001")
    out = StringIO()
    call_command(
        "channel_inbound", "wechat", "oOutboxReader000000000000001", "subscribe", stdout=out
    )
    call_command(
        "channel_inbound", "wechat", "oOutboxReader000000000000001", "unsubscribe", stdout=out
    )

    assert out.getvalue() == "0 subscription(s) changed\n1 subscription(s) changed\n"
    assert not Address.objects.filter(channel="wechat").exists()


def test_a_bad_signature_is_refused_and_changes_nothing(site, wechat_account, client):
    peer = wechat_account
    openid = peer.add_follower()
    wechat_subscriber(openid)
    query = peer.signed_query(openid)
    query["signature"] = "0" * 40

    answer = _event(client, peer, peer.unsubscribe_event(openid), query=query)

    assert answer.status_code == 403
    assert Address.objects.at("wechat", openid).get().live
    assert not Unsubscription.objects.exists()


def test_the_send_job_finish_records_the_receipt(site, wechat_account, publish, client):
    peer = wechat_account
    reader, blocker = peer.add_follower(), peer.add_follower()
    wechat_subscriber(reader)
    wechat_subscriber(blocker)
    publish(_notice(site))
    messages = {m.touser: m for m in peer.wait_for(2)}

    assert (
        _event(client, peer, peer.template_finish_event(messages[reader]), reader).status_code
        == 200
    )
    blocked = peer.template_finish_event(messages[blocker], "failed:user block")
    assert _event(client, peer, blocked, blocker).status_code == 200
    _event(client, peer, blocked, blocker)  # WeChat pushes again: nothing changes

    delivered = Receipt.objects.get(provider_id=str(messages[reader].msgid))
    assert delivered.status == Receipt.Status.DELIVERED
    assert delivered.code == "success"
    failed = Receipt.objects.get(provider_id=str(messages[blocker].msgid))
    assert (failed.status, failed.code) == (Receipt.Status.FAILED, "failed:user block")
    # The follower refused the account's messages: no more are sent there.
    assert not Address.objects.at("wechat", blocker).get().active
    assert Address.objects.at("wechat", reader).get().active


def test_a_finish_event_naming_another_follower_changes_no_receipt(
    site, wechat_account, publish, client
):
    peer = wechat_account
    reader, other = peer.add_follower(), peer.add_follower()
    wechat_subscriber(reader)
    publish(_notice(site))
    [message] = peer.wait_for(1)
    forged = peer.template_finish_event(message, "failed:user block").replace(reader, other)

    _event(client, peer, forged, other)

    assert Receipt.objects.get().status == Receipt.Status.ACCEPTED
    assert Address.objects.at("wechat", reader).get().active


def test_without_a_token_the_events_url_does_not_exist(client, settings):
    settings.LINLI_WECHAT_TOKEN = ""
    assert client.get("/wechat/events/?echostr=1").status_code == 404


SEND_IN_ANOTHER_PROCESS = """
import django
django.setup()
from subscriptions.channels.wechat import WeChatProvider, notification_message
from subscriptions.messages import Message
message = Message(kind="published", locale="zh-hans", title="停水通知", body="", url="")
print(WeChatProvider().send(notification_message({openid!r}, message)))
"""


def test_worker_processes_share_one_token_through_redis(wechat_account, settings):
    """Two processes with the cache in Redis: the second uses the token the first fetched."""
    import os
    import secrets
    import subprocess
    import sys

    peer = wechat_account
    openid = peer.add_follower()
    prefix = f"linli-test-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    try:
        WeChatProvider().send(notification_message(openid, _plain_message()))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "CACHE_KEY_PREFIX": prefix,
            "LINLI_WECHAT_PROVIDER": "wechat",
            "LINLI_WECHAT_APP_ID": peer.appid,
            "LINLI_WECHAT_APP_SECRET": peer.secret,
            "LINLI_WECHAT_TEMPLATE_ID": settings.LINLI_WECHAT_TEMPLATE_ID,
            "LINLI_WECHAT_API_BASE_URL": peer.api_base_url,
        }
        done = subprocess.run(  # noqa: S603 - our own code, in a second process
            [sys.executable, "-c", SEND_IN_ANOTHER_PROCESS.format(openid=openid)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == str(peer.messages[1].msgid)
        assert peer.token_fetches == 1
    finally:
        # Only this test's key: clearing a Redis cache would empty the whole database.
        cache.delete(f"wechat:{peer.appid}_access_token")
