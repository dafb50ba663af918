"""WeChat service account (服务号): template messages to residents who bound their openid.

A resident who opens the phone pages inside WeChat binds this account's
openid for them by web authorisation (snsapi_base: no prompt, no nickname;
`subscriptions.wechat_views`); only the openid is kept. A notification is one
template message: the template picked from WeChat's library
(`LINLI_WECHAT_TEMPLATE_ID`) with three keywords, the title, who sends it and
when, and a link to the page. WeChat enforces each keyword's rules (a `thing`
at most 20 characters), so the title is cut to fit. No keyword names a
resident category: the card says only that there is community news.

Where messages go is `LINLI_WECHAT_PROVIDER`: `outbox` writes each one as a
JSON file under LINLI_OUTBOX_DIR/wechat/ (what `make run` uses); `wechat`
sends through `wechatpy` to the account's API. The access token lives in
Django's cache, shared by every process that shares the cache (Redis in
production), and is fetched again when WeChat answers 40001 or 42001.
See docs/push.md, "WeChat".
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscriptions.channels import DeliveryError, Gone, Limited, Rejected
from subscriptions.channels.base import SELF, Channel
from subscriptions.channels.outbox import outbox_write
from subscriptions.channels.registry import register

# The template's keywords, as WeChat's library names them, and what each carries.
KEYWORDS = {"title": "thing1", "sender": "thing2", "time": "time3"}
# The template's content as WeChat shows it: register a library template with these keywords.
TEMPLATE_CONTENT = "通知标题：{{thing1.DATA}}\n发布单位：{{thing2.DATA}}\n发布时间：{{time3.DATA}}"
# A `thing` keyword holds at most 20 characters.
THING_MAX_CHARS = 20
ELLIPSIS = "…"
# An openid is 28 characters of letters, digits, - and _; leave room for other lengths.
OPENID = re.compile(r"[A-Za-z0-9_-]{6,64}")
# How long the page may take between coming back from WeChat and subscribing.
BINDING_MAX_AGE = 3600
BINDING_SALT = "linli.wechat.binding"


def _cut(text: str, most: int = THING_MAX_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= most else text[: most - len(ELLIPSIS)] + ELLIPSIS


def _beijing(when: datetime.datetime) -> str:
    local = timezone.localtime(when)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def template_render(params: dict[str, str]) -> str:
    """What the resident reads on the card: the template's content with its keywords filled."""
    return re.sub(r"\{\{(\w+)\.DATA\}\}", lambda m: params.get(m[1], ""), TEMPLATE_CONTENT)


@dataclass(frozen=True)
class TemplateMessage:
    """One template message to one follower: keyword values, the text they make, the link."""

    to: str  # the openid
    params: dict[str, str]  # keyword name -> value
    text: str  # exactly what the resident reads
    url: str | None = None
    template: str = "notice"

    @property
    def template_id(self) -> str:
        return settings.LINLI_WECHAT_TEMPLATE_ID

    def data(self) -> dict[str, dict[str, str]]:
        """The `data` of WeChat's send request."""
        return {name: {"value": value} for name, value in self.params.items()}


def notification_message(to: str, message) -> TemplateMessage:
    """The template message about one notification (or digest, or correction)."""
    notification = message.notification
    when = getattr(notification, "created_at", None) or timezone.now()
    params = {
        KEYWORDS["title"]: _cut(message.title),
        KEYWORDS["sender"]: _cut(settings.LINLI_WECHAT_SENDER_NAME),
        KEYWORDS["time"]: _beijing(when),
    }
    return TemplateMessage(
        to=to, params=params, text=template_render(params), url=message.url or None
    )


# Where template messages go.


class OutboxProvider:
    """Writes each message as one JSON file under LINLI_OUTBOX_DIR/wechat/ (`make run`, tests)."""

    name = "outbox"

    def close(self):
        pass

    def send(self, item: TemplateMessage) -> str:
        return outbox_write(
            "wechat",
            to=item.to,
            text=item.text,
            template=item.template,
            template_id=item.template_id,
            params=item.params,
            url=item.url,
        )


class CacheSession:
    """wechatpy's token storage in Django's cache, so processes sharing the cache share one token.

    WeChat keeps only the latest token (the one before works 5 more minutes):
    processes that each fetched their own would keep pushing each other's out.
    """

    def get(self, key, default=None):
        return cache.get(f"wechat:{key}", default)

    def set(self, key, value, ttl=None):
        cache.set(f"wechat:{key}", value, ttl)

    def delete(self, key):
        cache.delete(f"wechat:{key}")


# Errors WeChat answers with (errcode), by what they mean for the message.
TOKEN_ERRORS = {40001, 40014, 42001}  # the token is not (or no longer) valid: fetch another
GONE_ERRORS = {
    40003,  # invalid openid: not a follower of this account
    43004,  # require subscribe: the follower unsubscribed
    43019,  # require remove blacklist: the account blocked the follower
    43101,  # user refuse to accept the msg
}
REJECTED_ERRORS = {47001, 47003, 40039, 44002}  # the data, a keyword value, the url, an empty body
MINUTE_LIMIT_ERRORS = {45011}  # api minute-quota reach limit
DAILY_LIMIT_ERRORS = {45009}  # reach max api daily quota limit (template messages a day)


def _until_beijing_midnight() -> float:
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(0, 1), tzinfo=now.tzinfo
    )
    return (midnight - now).total_seconds()


def _client_class():
    from wechatpy import WeChatClient
    from wechatpy.exceptions import WeChatClientException

    class HubClient(WeChatClient):
        """wechatpy's client at the configured API base, its token fetch with a timeout.

        wechatpy writes the token URL into `fetch_access_token` and fetches it
        without a timeout; here it is under API_BASE_URL (a test points that at
        the loopback peer) and waits at most LINLI_PUSH_TIMEOUT seconds.
        """

        def __init__(self):
            super().__init__(
                settings.LINLI_WECHAT_APP_ID,
                settings.LINLI_WECHAT_APP_SECRET,
                session=CacheSession(),
                timeout=settings.LINLI_PUSH_TIMEOUT,
                auto_retry=False,  # a refused token is fetched again once, in WeChatProvider
            )
            self.API_BASE_URL = settings.LINLI_WECHAT_API_BASE_URL

        @property
        def access_token(self):
            token = self.session.get(self.access_token_key)
            if not token:
                self.fetch_access_token()
                token = self.session.get(self.access_token_key)
            return token

        def fetch_access_token(self):
            import requests

            params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
            try:
                res = self._http.get(
                    self.API_BASE_URL + "token", params=params, timeout=self.timeout
                )
                res.raise_for_status()
                result = res.json()
            except (requests.RequestException, ValueError) as exc:
                raise WeChatClientException(None, f"token: {exc}", client=self) from exc
            if result.get("errcode"):
                raise WeChatClientException(
                    result["errcode"], result.get("errmsg", ""), client=self
                )
            expires_in = int(result.get("expires_in") or 7200)
            # Kept a little shorter than it lives, so no process sends with a dying token.
            self.session.set(
                self.access_token_key, result["access_token"], max(60, expires_in - 300)
            )
            return result

    return HubClient


class WeChatProvider:
    """Template messages through `wechatpy` (message/template/send)."""

    name = "wechat"

    def __init__(self):
        self.client = _client_class()()

    def close(self):
        self.client._http.close()

    def _post(self, item: TemplateMessage, token: str) -> dict:
        body = {"touser": item.to, "template_id": item.template_id, "data": item.data()}
        if item.url:
            body["url"] = item.url
        return self.client.post("message/template/send", data=body, params={"access_token": token})

    def send(self, item: TemplateMessage) -> str:
        import requests
        from wechatpy.exceptions import WeChatClientException

        try:
            token = self.client.access_token
            try:
                answer = self._post(item, token)
            except WeChatClientException as exc:
                if exc.errcode not in TOKEN_ERRORS:
                    raise
                # Another process may have fetched a newer one meanwhile: use it, else fetch.
                latest = self.client.session.get(self.client.access_token_key)
                if not latest or latest == token:
                    self.client.fetch_access_token()
                    latest = self.client.session.get(self.client.access_token_key)
                answer = self._post(item, latest)
        except WeChatClientException as exc:
            raise self._refusal(exc) from exc
        except requests.RequestException as exc:
            raise DeliveryError(f"wechat: {exc}") from exc
        return str(answer["msgid"])

    @staticmethod
    def _refusal(exc) -> DeliveryError:
        code = exc.errcode
        text = f"wechat: {code}: {exc.errmsg}"
        if code in GONE_ERRORS:
            return Gone(text)
        if code in REJECTED_ERRORS:
            return Rejected(text)
        if code in MINUTE_LIMIT_ERRORS:
            return Limited(text, 60)
        if code in DAILY_LIMIT_ERRORS:
            return Limited(text, _until_beijing_midnight())
        # The network, credentials (40125), the template id (40037), a busy system (-1):
        # fixable or passing, so retried.
        return DeliveryError(text)


PROVIDERS = {"outbox": OutboxProvider, "wechat": WeChatProvider}


def provider_new():
    """The provider settings name, ready to send (one per batch)."""
    return PROVIDERS[settings.LINLI_WECHAT_PROVIDER]()


# Binding: the page gets a signed, short-lived token for the openid web authorisation gave.


def binding_token(openid: str) -> str:
    """What the page hands the subscription API as `wechat`: the openid, signed, for an hour."""
    return signing.dumps({"o": openid}, salt=BINDING_SALT, compress=False)


def binding_openid(token: str) -> str | None:
    """The openid a binding token carries, or None when it is forged or over an hour old."""
    try:
        payload = signing.loads(token, salt=BINDING_SALT, max_age=BINDING_MAX_AGE)
    except signing.BadSignature:
        return None
    openid = payload.get("o") if isinstance(payload, dict) else None
    return openid if isinstance(openid, str) and OPENID.fullmatch(openid) else None


def binding_available() -> bool:
    """WeChat binding works: a real account, or the outbox stand-in while developing."""
    return settings.LINLI_WECHAT_PROVIDER == "wechat" or settings.DEBUG


def wechat_offered(request) -> bool:
    """Whether a page offers 在微信里接收: open in WeChat's in-app browser, with binding working."""
    return "MicroMessenger" in request.headers.get("User-Agent", "") and binding_available()


class WeChatSender:
    """The provider's client for one batch (the access token is shared through the cache)."""

    def __init__(self):
        self.provider = provider_new()

    def close(self):
        self.provider.close()

    def send(self, address, message) -> str:
        """Send to one `Address` row; returns WeChat's msgid (or the outbox file's id)."""
        return self.provider.send(notification_message(address.address, message))


class WeChatChannel(Channel):
    """A follower's openid: bound by web authorisation (which proves it), forgotten on unsubscribe."""

    code = "wechat"
    label = _("微信")
    confirmation = SELF
    forget_on_unsubscribe = True
    # One WeChat user, one subscription: binding again moves the openid to the newer one.
    one_subscription_per_address = True
    encrypt_address = True  # an openid identifies a person
    # Read by many, and WeChat reports each message's fate (TEMPLATESENDJOBFINISH).
    fallback_rank = 20
    receipts = True
    sender_class = WeChatSender
    off_reason = "wechat turned off"
    api_field = "wechat"

    def clean(self, address: str, data: dict) -> tuple[str, dict]:
        openid = address.strip()
        if not OPENID.fullmatch(openid):
            raise ValidationError({"wechat": "not an openid"})
        return openid, {}

    def send(self, sender, recipient, message, delivery) -> None:
        from subscriptions.receipts import receipt_accepted

        msgid = sender.send(recipient, message)
        receipt_accepted(delivery_id=delivery.pk, provider=sender.provider.name, provider_id=msgid)

    def inbound(self, address: str, text: str) -> int:
        """An event from the follower `address` (openid), by WeChat's name for it: `unsubscribe`
        forgets the openid; `manage.py channel_inbound wechat <openid> unsubscribe` plays one."""
        if text.strip().lower() != "unsubscribe":
            return 0
        from subscriptions.wechat_inbound import wechat_unfollowed

        return wechat_unfollowed(openid=address.strip())

    def api_repr(self, address) -> dict:
        return {"wechat_bound": bool(address and address.live)}

    def api_export(self, address) -> dict:
        confirmed_at = address.confirmed_at if address else None
        return {
            **self.api_repr(address),
            "wechat_openid": address.address if address else None,
            "wechat_bound_at": confirmed_at.isoformat() if confirmed_at else None,
        }


register(WeChatChannel())
