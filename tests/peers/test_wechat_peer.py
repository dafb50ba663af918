"""Self-tests: wechatpy against the loopback WeChat official-account peer."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from wechatpy import WeChatClient, parse_message
from wechatpy.events import TemplateSendJobFinishEvent, UnsubscribeEvent
from wechatpy.exceptions import (
    InvalidSignatureException,
    WeChatClientException,
    WeChatOAuthException,
)
from wechatpy.oauth import WeChatOAuth
from wechatpy.utils import check_signature

TEMPLATE = "Kx3_notice_template_id_0001"
CONTENT = "通知标题：{{thing1.DATA}}\n发布单位：{{thing2.DATA}}\n发布时间：{{time3.DATA}}"
WECHAT_UA = "Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0.50.2701 NetType/WIFI"


class PeerClient(WeChatClient):
    """wechatpy's client with the token URL under API_BASE_URL (wechatpy hard-codes it)."""

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


def _client(peer, secret=None, **kwargs):
    client = PeerClient(peer.appid, secret or peer.secret, **kwargs)
    client.API_BASE_URL = peer.api_base_url
    return client


@pytest.fixture
def peer(wechat_peer):
    wechat_peer.add_template(TEMPLATE, CONTENT, title="社区通知")
    return wechat_peer


def _data(title="明天九点停水"):
    return {
        "thing1": {"value": title},
        "thing2": {"value": "临里街道办事处"},
        "time3": {"value": "2026年5月6日 09:00"},
    }


def _send(client, openid, data=None):
    return client.message.send_template(
        openid, TEMPLATE, data or _data(), url="https://linli.example/s/ab12"
    )


def test_a_template_message_is_accepted_with_one_token_and_rendered(peer):
    openid = peer.add_follower()
    client = _client(peer)

    first = _send(client, openid)
    second = _send(client, openid)

    assert (first["errcode"], first["errmsg"]) == (0, "ok")
    assert first["msgid"] != second["msgid"]
    assert peer.token_fetches == 1
    message = peer.messages[0]
    assert (message.msgid, message.touser, message.url) == (
        first["msgid"],
        openid,
        "https://linli.example/s/ab12",
    )
    assert (
        message.text
        == "通知标题：明天九点停水\n发布单位：临里街道办事处\n发布时间：2026年5月6日 09:00"
    )


def test_a_wrong_secret_gets_no_token(peer):
    openid = peer.add_follower()

    with pytest.raises(WeChatClientException) as caught:
        _send(_client(peer, secret="0" * 32), openid)

    assert caught.value.errcode == 40125
    assert peer.messages == []


def test_an_expired_token_is_refused_and_wechatpy_fetches_a_new_one(peer):
    openid = peer.add_follower()
    client = _client(peer)
    _send(client, openid)

    peer.advance(7200)
    _send(client, openid)

    assert peer.token_fetches == 2
    assert len(peer.messages) == 2
    assert any(" 42001 access_token expired" in line for line in peer.rejections)


def test_an_unknown_token_is_refused_with_40001(peer):
    openid = peer.add_follower()
    client = _client(peer, access_token="not-a-token", auto_retry=False)

    with pytest.raises(WeChatClientException) as caught:
        _send(client, openid)

    assert caught.value.errcode == 40001


def test_a_second_process_fetching_a_token_ends_the_first_ones_after_five_minutes(peer):
    openid = peer.add_follower()
    first, second = _client(peer, auto_retry=False), _client(peer, auto_retry=False)
    _send(first, openid)
    _send(second, openid)

    peer.advance(299)
    _send(first, openid)
    peer.advance(2)
    with pytest.raises(WeChatClientException) as caught:
        _send(first, openid)

    assert caught.value.errcode == 40001
    _send(second, openid)


@pytest.mark.parametrize(
    ("follower", "data", "errcode"),
    [
        ("unknown", None, 40003),
        ("unsubscribed", None, 43004),
        ("follower", _data(title="标题超过二十个字的通知会被微信拒绝发送因为太长了"), 47003),
        ("follower", {"thing1": {"value": "停水"}}, 47003),
    ],
)
def test_what_wechat_checks_is_refused_with_its_errcode(peer, follower, data, errcode):
    openids = {
        "unknown": "oUnknownOpenId0000000000000",
        "unsubscribed": peer.add_follower(subscribed=False),
        "follower": peer.add_follower(),
    }

    with pytest.raises(WeChatClientException) as caught:
        _send(_client(peer), openids[follower], data)

    assert caught.value.errcode == errcode
    assert peer.messages == []


def test_web_authorisation_gives_the_openid_once_per_code(peer, inbox_peer):
    openid = peer.add_follower()
    peer.browser_user = openid
    oauth = WeChatOAuth(peer.appid, peer.secret, inbox_peer.url("/wechat/bound"), state="s1")
    oauth.API_BASE_URL, oauth.OAUTH_BASE_URL = peer.oauth_api_base_url, peer.oauth_base_url

    page = requests.get(
        oauth.authorize_url, headers={"User-Agent": WECHAT_UA}, allow_redirects=False, timeout=5
    )

    assert page.status_code == 302
    location = urlsplit(page.headers["Location"])
    assert location.path == "/wechat/bound"
    query = parse_qs(location.query)
    assert query["state"] == ["s1"]
    answer = oauth.fetch_access_token(query["code"][0])
    assert (answer["openid"], answer["scope"]) == (openid, "snsapi_base")
    with pytest.raises(WeChatOAuthException) as caught:
        oauth.fetch_access_token(query["code"][0])
    assert caught.value.errcode == 40163


def test_the_authorisation_page_outside_wechat_says_to_open_it_in_wechat(peer, inbox_peer):
    peer.browser_user = peer.add_follower()
    oauth = WeChatOAuth(peer.appid, peer.secret, inbox_peer.url("/wechat/bound"))
    oauth.OAUTH_BASE_URL = peer.oauth_base_url

    page = requests.get(oauth.authorize_url, allow_redirects=False, timeout=5)

    assert page.status_code == 200
    assert "请在微信客户端打开链接" in page.text


def test_a_web_authorisation_code_expires_after_five_minutes(peer):
    code = peer.authorize_code(peer.add_follower())
    oauth = WeChatOAuth(peer.appid, peer.secret, "https://linli.example/wechat/bound")
    oauth.API_BASE_URL = peer.oauth_api_base_url

    peer.advance(301)
    with pytest.raises(WeChatOAuthException) as caught:
        oauth.fetch_access_token(code)

    assert caught.value.errcode == 40029


def _check_and_parse(peer, request):
    query = request.query
    check_signature(peer.token, query["signature"], query["timestamp"], query["nonce"])
    return parse_message(request.text)


def test_the_send_job_status_is_pushed_signed_as_wechat_does(peer, inbox_peer):
    openid = peer.add_follower()
    msgid = _send(_client(peer), openid)["msgid"]
    inbox_peer.answer = lambda request: (200, b"success", "text/plain")

    answer = peer.post_template_finish(
        inbox_peer.url("/wechat/events"), peer.messages[0], "failed:user block"
    )

    assert answer.accepted
    [request] = inbox_peer.requests
    assert request.headers["content-type"] == "text/xml"
    event = _check_and_parse(peer, request)
    assert isinstance(event, TemplateSendJobFinishEvent)
    assert (event.id, event.status, event.source) == (msgid, "failed:user block", openid)
    with pytest.raises(InvalidSignatureException):
        check_signature(
            "another-token",
            request.query["signature"],
            request.query["timestamp"],
            request.query["nonce"],
        )


def test_an_unsubscribe_is_pushed_and_later_sends_are_refused(peer, inbox_peer):
    openid = peer.add_follower()
    client = _client(peer)
    _send(client, openid)

    assert peer.post_unsubscribe(inbox_peer.url("/wechat/events"), openid).accepted

    event = _check_and_parse(peer, inbox_peer.requests[0])
    assert isinstance(event, UnsubscribeEvent)
    assert (event.source, event.target) == (openid, peer.original_id)
    with pytest.raises(WeChatClientException) as caught:
        _send(client, openid)
    assert caught.value.errcode == 43004


def test_an_event_answer_other_than_success_or_empty_is_not_accepted(peer, inbox_peer):
    openid = peer.add_follower()
    inbox_peer.answer = lambda request: (200, b"<xml>what</xml>", "text/xml")

    assert not peer.post_unsubscribe(inbox_peer.url(), openid).accepted


def test_the_server_url_check_wants_echostr_back(peer, inbox_peer):
    def echo(request):
        check_signature(
            peer.token,
            request.query["signature"],
            request.query["timestamp"],
            request.query["nonce"],
        )
        return 200, request.query["echostr"].encode(), "text/plain"

    inbox_peer.answer = echo
    assert peer.verify_server(inbox_peer.url("/wechat/events"))

    inbox_peer.answer = lambda request: (200, b"hello", "text/plain")
    assert not peer.verify_server(inbox_peer.url("/wechat/events"))
