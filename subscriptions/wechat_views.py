"""WeChat over HTTP: binding a resident by web authorisation, and the account's server URL.

Binding (`authorize`, then `bound`): the subscribe and manage pages, opened
inside WeChat, link to `/wechat/authorize/`, which sends the browser to
WeChat's authorisation page (snsapi_base: no prompt, no nickname) with a
`state` that is a random nonce, signed and valid 10 minutes; the same nonce
is in a signed cookie of this browser. WeChat sends the browser back to
`/wechat/bound/` with a code and the state; the hub checks both against the
cookie (so nobody can bind their WeChat to someone else's subscription by
sending them a link), trades the code for the openid, and sends the browser
back to the page with a binding token in the fragment (`#wechat=…`, never
sent to a server). The page hands it to the subscription API as `wechat`.

With the `outbox` provider there is no WeChat: under DEBUG, `/wechat/authorize/`
goes to a local stand-in page (`outbox_authorize`) that plays WeChat's part
with an openid the developer chooses; without DEBUG binding is off (404).

Events (`events`): WeChat checks the server URL with a signed GET carrying
`echostr`, then POSTs signed XML events (plaintext mode). A request whose
signature does not match the Token is refused 403 and changes nothing.
"""

import logging
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from subscriptions.channels.wechat import binding_available, binding_token
from subscriptions.views import _page
from subscriptions.wechat_inbound import wechat_send_finished, wechat_unfollowed

logger = logging.getLogger("linli.push")

COOKIE = "linli_wechat_bind"
COOKIE_SALT = "linli.wechat.cookie"
STATE_SALT = "linli.wechat.state"
OUTBOX_CODE_SALT = "linli.wechat.outbox-code"
# From leaving the page to coming back from WeChat.
STATE_MAX_AGE = 600


def _pages_allowed() -> set[str]:
    """Where binding may send the browser back: the subscribe and manage pages, any language."""
    paths = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.add(reverse("subscriptions:subscribe"))
            paths.add(reverse("subscriptions:manage"))
    return paths


def _oauth(redirect_uri: str, state: str = ""):
    from wechatpy.oauth import WeChatOAuth

    class HubOAuth(WeChatOAuth):
        """wechatpy's web authorisation at the configured URLs, with a timeout."""

        API_BASE_URL = settings.LINLI_WECHAT_OAUTH_API_BASE_URL
        OAUTH_BASE_URL = settings.LINLI_WECHAT_OAUTH_BASE_URL

        def _request(self, method, url_or_endpoint, **kwargs):
            kwargs.setdefault("timeout", settings.LINLI_PUSH_TIMEOUT)
            return super()._request(method, url_or_endpoint, **kwargs)

    return HubOAuth(
        settings.LINLI_WECHAT_APP_ID,
        settings.LINLI_WECHAT_APP_SECRET,
        redirect_uri,
        scope="snsapi_base",
        state=state,
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    """Off to WeChat's authorisation page, with a signed state this browser's cookie matches."""
    if not binding_available():
        raise Http404("WeChat is not set up")
    back = request.GET.get("next", "")
    if back not in _pages_allowed():
        back = reverse("subscriptions:subscribe")
    nonce = secrets.token_urlsafe(16)
    state = signing.TimestampSigner(salt=STATE_SALT).sign(nonce)
    redirect_uri = request.build_absolute_uri(reverse("wechat:bound"))
    if settings.LINLI_WECHAT_PROVIDER == "wechat":
        target = _oauth(redirect_uri, state).authorize_url
    else:
        query = urlencode({"redirect_uri": redirect_uri, "state": state})
        target = f"{reverse('wechat:outbox-authorize')}?{query}"
    response = HttpResponseRedirect(target)
    # Signed and base64: a cookie value with no quotes or commas, which browsers keep as it is.
    response.set_cookie(
        COOKIE,
        signing.dumps({"n": nonce, "next": back}, salt=COOKIE_SALT),
        max_age=STATE_MAX_AGE,
        httponly=True,
        samesite="Lax",  # WeChat's redirect back is a top-level GET: the cookie comes along
        secure=request.is_secure(),
    )
    return _no_store(response)


def _openid_for(code: str, redirect_uri: str) -> str | None:
    """The openid an authorisation code stands for (the code serves once), or None."""
    if settings.LINLI_WECHAT_PROVIDER != "wechat":
        try:
            return signing.loads(code, salt=OUTBOX_CODE_SALT, max_age=300)
        except signing.BadSignature:
            return None
    import requests
    from wechatpy.exceptions import WeChatOAuthException

    try:
        answer = _oauth(redirect_uri).fetch_access_token(code)
    except (WeChatOAuthException, requests.RequestException, ValueError) as exc:
        logger.warning("wechat: web authorisation code refused: %s", exc)
        return None
    # Only the openid is kept: the web access token and its refresh token are dropped here.
    openid = answer.get("openid")
    return openid if isinstance(openid, str) and openid else None


@require_GET
def bound(request: HttpRequest) -> HttpResponse:
    """Back from WeChat: check the state, trade the code for the openid, back to the page."""
    if not binding_available():
        raise Http404("WeChat is not set up")
    try:
        stored = signing.loads(
            request.COOKIES.get(COOKIE, ""), salt=COOKIE_SALT, max_age=STATE_MAX_AGE
        )
    except signing.BadSignature:
        stored = None
    try:
        nonce = signing.TimestampSigner(salt=STATE_SALT).unsign(
            request.GET.get("state", ""), max_age=STATE_MAX_AGE
        )
    except signing.BadSignature:
        nonce = None
    code = request.GET.get("code", "")
    matches = (
        isinstance(stored, dict)
        and nonce is not None
        and constant_time_compare(nonce, str(stored.get("n", "")))
        and stored.get("next") in _pages_allowed()
    )
    openid = (
        _openid_for(code, request.build_absolute_uri(reverse("wechat:bound")))
        if (matches and code)
        else None
    )
    if openid is None:
        response = _page(request, "subscriptions/message.html", status=400, state="wechat_failed")
    else:
        response = HttpResponseRedirect(f"{stored['next']}#wechat={binding_token(openid)}")
    response.delete_cookie(COOKIE, samesite="Lax")
    return _no_store(response)


@require_http_methods(["GET", "POST"])
def outbox_authorize(request: HttpRequest) -> HttpResponse:
    """WeChat's authorisation page, played locally for the outbox under DEBUG."""
    if settings.LINLI_WECHAT_PROVIDER != "outbox" or not settings.DEBUG:
        raise Http404("only for the outbox while developing")
    source = request.POST if request.method == "POST" else request.GET
    redirect_uri = source.get("redirect_uri", "")
    state = source.get("state", "")
    if redirect_uri != request.build_absolute_uri(reverse("wechat:bound")):
        return HttpResponseBadRequest("redirect_uri is not this hub's /wechat/bound/\n")
    if request.method == "POST":
        openid = source.get("openid", "").strip()
        code = signing.dumps(openid, salt=OUTBOX_CODE_SALT)
        return HttpResponseRedirect(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")
    context = {
        "redirect_uri": redirect_uri,
        "state": state,
        "openid": "o" + secrets.token_urlsafe(21)[:27],
    }
    return _no_store(render(request, "subscriptions/wechat_outbox_authorize.html", context))


@csrf_exempt  # WeChat posts without a CSRF token; its signature is the check
@require_http_methods(["GET", "POST"])
def events(request: HttpRequest) -> HttpResponse:
    """The account's server URL: the GET check (echostr), then signed XML events."""
    from wechatpy import parse_message
    from wechatpy.exceptions import InvalidSignatureException
    from wechatpy.utils import check_signature

    token = settings.LINLI_WECHAT_TOKEN
    if not token:
        raise Http404("no WeChat server token")
    query = request.GET
    try:
        check_signature(
            token, query.get("signature", ""), query.get("timestamp", ""), query.get("nonce", "")
        )
    except InvalidSignatureException:
        return HttpResponseForbidden("bad signature\n")
    if request.method == "GET":
        return HttpResponse(query.get("echostr", ""), content_type="text/plain")
    try:
        event = parse_message(request.body)
    except Exception:  # noqa: BLE001 - xmltodict raises its parser's errors
        return HttpResponseBadRequest("unreadable XML\n")
    kind = getattr(event, "event", "")
    if kind == "unsubscribe":
        changed = wechat_unfollowed(openid=event.source)
        logger.info("wechat unsubscribe event: %s subscription(s) changed", changed)
    elif kind == "templatesendjobfinish":
        matched = wechat_send_finished(
            provider=settings.LINLI_WECHAT_PROVIDER,
            openid=event.source,
            msgid=str(event.id),
            status=str(event.status or ""),
        )
        logger.info("wechat send job finish: %s receipt(s) matched", matched)
    # WeChat wants "success" (or nothing) within 5 seconds, else it pushes again.
    return HttpResponse("success", content_type="text/plain")
