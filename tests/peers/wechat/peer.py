"""A WeChat official-account (服务号) API on loopback for wechatpy.

wechatpy builds its URLs from attributes that can point at the peer, except the token
fetch, whose URL is written into `WeChatClient.fetch_access_token`::

    class PeerClient(WeChatClient):
        def fetch_access_token(self):
            return self._fetch_access_token(
                url=self.API_BASE_URL + "token",
                params={"grant_type": "client_credential", "appid": self.appid,
                        "secret": self.secret},
            )

    client = PeerClient(peer.appid, peer.secret)
    client.API_BASE_URL = peer.api_base_url            # .../cgi-bin/
    oauth = WeChatOAuth(peer.appid, peer.secret, redirect_uri)
    oauth.API_BASE_URL = peer.oauth_api_base_url       # .../ (sns/oauth2/access_token)
    oauth.OAUTH_BASE_URL = peer.oauth_base_url         # .../connect/ (the browser's page)
"""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from .._http import HTTPPeer, PeerHandler
from .._sms import PeerClock
from .events import WeChatEvents
from .templates import TemplateMessage, WeChatTemplate, keyword_values

#: Web-authorisation codes live 5 minutes and serve once.
CODE_LIFETIME = 5 * 60


class WeChatError(Exception):
    """An `{"errcode": ..., "errmsg": ...}` answer (HTTP 200, as WeChat answers errors)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeChatPeer(WeChatEvents, HTTPPeer):
    """GET /cgi-bin/token, POST /cgi-bin/message/template/send, web authorisation, events.

    Access tokens live `token_lifetime` seconds of the peer's clock; fetching a new one
    leaves the previous one valid 5 more minutes, as WeChat does, so processes that each
    fetch their own token push each other's out. A wrong secret is refused 40125, a call
    with an unknown token 40001, an expired one 42001, a template message to a follower
    who unsubscribed 43004; keyword values are checked against the template library's
    rules (47003). Every refusal is recorded in `rejections`.
    """

    def __init__(self, appid: str = "wx5c0ffee1e7ba5e01", secret: str | None = None) -> None:
        super().__init__()
        self.appid = appid
        self.secret = secret or secrets.token_hex(16)
        #: The Token of the account's server configuration, which signs pushed events.
        self.token = secrets.token_urlsafe(12)
        self.original_id = "gh_" + secrets.token_hex(6)
        self.clock = PeerClock()
        self.token_lifetime = 7200
        self.token_daily_limit = 2000
        #: The web-authorisation domain (网页授权域名); None accepts any redirect host.
        self.auth_domain: str | None = None
        #: The WeChat user whose in-app browser opens the authorisation page.
        self.browser_user: str | None = None
        self._tokens: dict[str, float] = {}
        self._superseded: dict[str, float] = {}
        self._followers: dict[str, bool] = {}
        self._templates: dict[str, WeChatTemplate] = {}
        self._codes: dict[str, tuple[str, str, float]] = {}
        self._messages: list[TemplateMessage] = []
        self._rejections: list[str] = []
        self._attempts = 0
        self._token_fetches = 0
        self._next_msgid = 3_487_000_000_000_000_000

    # -- setup ------------------------------------------------------------------------

    @property
    def api_base_url(self) -> str:
        """`WeChatClient.API_BASE_URL` for this peer."""
        return f"{self.origin}/cgi-bin/"

    @property
    def oauth_api_base_url(self) -> str:
        """`WeChatOAuth.API_BASE_URL` for this peer."""
        return f"{self.origin}/"

    @property
    def oauth_base_url(self) -> str:
        """`WeChatOAuth.OAUTH_BASE_URL` for this peer."""
        return f"{self.origin}/connect/"

    def add_follower(self, openid: str | None = None, *, subscribed: bool = True) -> str:
        """A WeChat user who follows the account; returns the openid (this account's id)."""
        openid = openid or "o" + secrets.token_urlsafe(21)[:27]
        with self._lock:
            self._followers[openid] = subscribed
        return openid

    def add_template(self, template_id: str, content: str, title: str = "") -> WeChatTemplate:
        """A template the account picked; `content` names keywords as "{{thing1.DATA}}"."""
        template = WeChatTemplate(template_id, title, content)
        self._templates[template_id] = template
        return template

    def authorize_code(self, openid: str, scope: str = "snsapi_base") -> str:
        """A web-authorisation code for `openid`, as the redirect after authorize carries."""
        code = secrets.token_hex(16)
        with self._lock:
            self._codes[code] = (openid, scope, self.clock.now() + CODE_LIFETIME)
        return code

    def expire_tokens(self) -> None:
        """End every access token now (as an account admin resetting the secret would)."""
        with self._lock:
            self._tokens.clear()
            self._superseded.clear()

    def advance(self, seconds: float) -> None:
        """Move the peer's clock (token and code lifetimes, event times) forward."""
        self.clock.advance(seconds)

    # -- records ----------------------------------------------------------------------

    @property
    def messages(self) -> list[TemplateMessage]:
        """Accepted template messages, oldest first."""
        with self._lock:
            return list(self._messages)

    @property
    def rejections(self) -> list[str]:
        """One line per refusal: `<path>: <errcode> <errmsg>`."""
        with self._lock:
            return list(self._rejections)

    @property
    def attempts(self) -> int:
        """Requests received, whatever the answer."""
        with self._lock:
            return self._attempts

    @property
    def token_fetches(self) -> int:
        """Access tokens issued by GET /cgi-bin/token."""
        with self._lock:
            return self._token_fetches

    def wait_for(self, count: int, timeout: float = 10) -> list[TemplateMessage]:
        """Block until at least `count` template messages were accepted; return them all."""

        def describe() -> str:
            return (
                f"expected at least {count} template message(s) within {timeout}s, got "
                f"{len(self._messages)}; rejections: {self._rejections}"
            )

        self._wait_until(lambda: len(self._messages) >= count, timeout, describe)
        return self.messages

    def clear(self) -> None:
        """Forget messages, rejections and counters; tokens, followers and templates stay."""
        with self._lock:
            self._messages.clear()
            self._rejections.clear()
            self._attempts = self._token_fetches = 0

    # -- serving ----------------------------------------------------------------------

    def _on_get(self, handler: PeerHandler) -> None:
        path, query = _split(handler.path)
        if path == "/connect/oauth2/authorize":
            self._authorize_page(handler, query)
            return
        routes = {"/cgi-bin/token": self._token, "/sns/oauth2/access_token": self._oauth_token}
        self._answer(handler, path, lambda: routes[path](query) if path in routes else None)

    def _on_post(self, handler: PeerHandler, body: bytes) -> None:
        path, query = _split(handler.path)
        if path != "/cgi-bin/message/template/send":
            self._answer(handler, path, lambda: None)
            return
        self._answer(handler, path, lambda: self._send_template(query, body))

    def _answer(self, handler: PeerHandler, path: str, work: Any) -> None:
        with self._lock:
            self._attempts += 1
            self._changed.notify_all()
        try:
            answer = work()
            if answer is None:
                handler.reply(404, b"not found\n")
                return
        except WeChatError as error:
            with self._lock:
                self._rejections.append(f"{path}: {error.errcode} {error.errmsg}")
                self._changed.notify_all()
            rid = secrets.token_hex(4) + "-" + secrets.token_hex(4)
            answer = {"errcode": error.errcode, "errmsg": f"{error.errmsg} rid: {rid}"}
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        handler.reply(200, body, content_type="application/json; encoding=utf-8")

    def _check_app(self, query: dict[str, str]) -> None:
        if query.get("appid") != self.appid:
            raise WeChatError(40013, "invalid appid")
        if query.get("secret") != self.secret:
            raise WeChatError(40125, "invalid appsecret")

    def _token(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("grant_type") != "client_credential":
            raise WeChatError(40002, "invalid grant_type")
        self._check_app(query)
        now = self.clock.now()
        token = secrets.token_urlsafe(96)
        with self._lock:
            if self._token_fetches >= self.token_daily_limit:
                raise WeChatError(45009, "reach max api daily quota limit")
            self._token_fetches += 1
            # The previous tokens keep working 5 minutes, then are "not latest".
            for old, expires in self._tokens.items():
                if expires > now:
                    self._superseded[old] = min(expires, now + 300)
            self._tokens = {token: now + self.token_lifetime}
        return {"access_token": token, "expires_in": self.token_lifetime}

    def _oauth_token(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("grant_type") != "authorization_code":
            raise WeChatError(40002, "invalid grant_type")
        self._check_app(query)
        with self._lock:
            found = self._codes.get(query.get("code", ""))
            if found is None:
                raise WeChatError(40029, "invalid code")
            openid, scope, expires = found
            if expires == 0:
                raise WeChatError(40163, "code been used")
            if expires <= self.clock.now():
                raise WeChatError(40029, "invalid code")
            self._codes[query["code"]] = (openid, scope, 0)
        return {
            "access_token": secrets.token_urlsafe(64),
            "expires_in": 7200,
            "refresh_token": secrets.token_urlsafe(64),
            "openid": openid,
            "scope": scope,
        }

    def _authorize_page(self, handler: PeerHandler, query: dict[str, str]) -> None:
        """What the WeChat in-app browser shows for the authorisation URL."""
        with self._lock:
            self._attempts += 1
        redirect = query.get("redirect_uri", "")
        problem = None
        if "MicroMessenger" not in handler.headers.get("User-Agent", ""):
            problem = "请在微信客户端打开链接"
        elif query.get("appid") != self.appid:
            problem = "appid 参数错误"
        elif query.get("scope") not in ("snsapi_base", "snsapi_userinfo"):
            problem = "scope 参数错误或没有 scope 权限"
        elif query.get("response_type") != "code":
            problem = "response_type 参数错误"
        elif self.auth_domain is not None and urlsplit(redirect).hostname != self.auth_domain:
            problem = "redirect_uri 域名与后台配置不一致，错误码10003"
        elif self.browser_user is None:
            problem = "no WeChat user is browsing (set browser_user)"
        if problem is not None:
            with self._lock:
                self._rejections.append(f"/connect/oauth2/authorize: {problem}")
            page = f"<html><body><p>{problem}</p></body></html>".encode()
            handler.reply(200, page, content_type="text/html; charset=utf-8")
            return
        code = self.authorize_code(self.browser_user or "", query["scope"])
        params = {"code": code, "state": query.get("state", "")}
        separator = "&" if "?" in redirect else "?"
        handler.reply(302, headers={"Location": f"{redirect}{separator}{urlencode(params)}"})

    def _send_template(self, query: dict[str, str], body: bytes) -> dict[str, Any]:
        self._check_token(query)
        try:
            request = json.loads(body)
        except ValueError as error:
            raise WeChatError(47001, "data format error") from error
        if not isinstance(request, dict):
            raise WeChatError(47001, "data format error")
        touser = request.get("touser", "")
        with self._lock:
            subscribed = self._followers.get(touser)
        if subscribed is None:
            raise WeChatError(40003, "invalid openid")
        template = self._templates.get(request.get("template_id", ""))
        if template is None:
            raise WeChatError(40037, "invalid template_id")
        if not subscribed:
            raise WeChatError(43004, "require subscribe")
        try:
            values = keyword_values(template, request.get("data"))
        except ValueError as error:
            raise WeChatError(47003, str(error)) from error
        url = request.get("url") or ""
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise WeChatError(40039, "invalid url")
        with self._lock:
            self._next_msgid += secrets.randbelow(1000) + 1
            message = TemplateMessage(
                self._next_msgid,
                touser,
                template.id,
                url,
                values,
                template.render(values),
                request.get("miniprogram"),
                self.clock.now(),
            )
            self._messages.append(message)
            self._changed.notify_all()
        return {"errcode": 0, "errmsg": "ok", "msgid": message.msgid}

    def _check_token(self, query: dict[str, str]) -> None:
        token = query.get("access_token")
        if not token:
            raise WeChatError(41001, "access_token missing")
        now = self.clock.now()
        with self._lock:
            expires = self._tokens.get(token)
            grace = self._superseded.get(token)
        if expires is not None and expires <= now:
            raise WeChatError(42001, "access_token expired")
        if expires is None and (grace is None or grace <= now):
            raise WeChatError(40001, "invalid credential, access_token is invalid or not latest")


def _split(target: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(target)
    return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))
