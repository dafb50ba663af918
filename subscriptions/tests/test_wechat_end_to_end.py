"""WeChat from end to end over real HTTP: a resident in WeChat's browser binds, an urgent notice
arrives as a template message, WeChat reports it delivered, the resident unfollows, and the
next notice reaches nothing. The hub runs as a live server; WeChat is the loopback peer."""

from urllib.parse import urlsplit

from wagtail.models import Site

import pytest
import requests

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.channels.wechat import template_render
from subscriptions.models import Address, Delivery, Receipt
from subscriptions.tests.wechat_fixtures import SENDER, WECHAT_UA

# Serialized rollback: the seeded locales and categories come back before and after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _urgent(tree, title):
    return NoticePageFactory(
        parent=tree.a.notices, title=title, urgency=NoticePage.Urgency.URGENT, audience=["elderly"]
    )


def test_bind_in_wechat_receive_a_template_message_unfollow_and_receive_nothing_more(
    tree, live_server, wechat_account, publish
):
    peer = wechat_account
    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    events_url = f"{live_server.url}/wechat/events/"
    # The account's server configuration: WeChat checks the URL answers with its Token.
    assert peer.verify_server(events_url)

    # A follower opens the subscribe page in WeChat and taps 在微信里接收.
    openid = peer.add_follower()
    peer.browser_user = openid
    browser = requests.Session()
    browser.headers["User-Agent"] = WECHAT_UA
    page = browser.get(f"{live_server.url}/subscribe/", timeout=10)
    assert "在微信里接收" in page.text
    hops = []
    url = f"{live_server.url}/wechat/authorize/?next=/subscribe/"
    for _ in range(3):  # the hub, WeChat's authorisation page, the hub again
        answer = browser.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        url = answer.headers["Location"]
        if url.startswith("/"):
            url = f"{live_server.url}{url}"
        hops.append(urlsplit(url))
    assert hops[0].netloc == urlsplit(peer.origin).netloc  # WeChat itself
    assert hops[2].path == "/subscribe/" and hops[2].fragment.startswith("wechat=")

    # The page subscribes with what came back, and no number or mailbox.
    created = browser.post(
        f"{live_server.url}/api/v1/subscriptions/",
        json={
            "wechat": hops[2].fragment.removeprefix("wechat="),
            "resident_categories": ["elderly"],
            "content_types": ["notice"],
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    assert created.json()["subscription"]["wechat_bound"] is True

    # An urgent notice for the category: one template message in WeChat, with its link.
    notice = _urgent(tree, "今晚八点至明早六点东园社区全域停电检修")
    publish(notice)
    [message] = peer.wait_for(1)
    assert message.touser == openid
    assert message.data["thing1"] == "【紧急】今晚八点至明早六点东园社区全域停电检修"[:19] + "…"
    assert message.data["thing2"] == SENDER
    assert message.text == template_render(message.data)
    assert message.url.endswith(notice.url)

    # WeChat reports the send job finished: the delivery's receipt says delivered.
    assert peer.post_template_finish(events_url, message).accepted
    receipt = Receipt.objects.get(provider="wechat")
    assert (receipt.provider_id, receipt.status) == (str(message.msgid), Receipt.Status.DELIVERED)

    # The resident unfollows the account: the openid is forgotten.
    assert peer.post_unsubscribe(events_url, openid).accepted
    assert not Address.objects.at("wechat", openid).exists()

    # Published again: nothing more reaches WeChat.
    publish(_urgent(tree, "停电检修延期"))
    assert len(peer.messages) == 1
    assert not Delivery.objects.filter(channel="wechat", status=Delivery.Status.QUEUED).exists()
    assert peer.rejections == []
