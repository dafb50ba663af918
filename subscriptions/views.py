"""The resident's pages: subscribe, manage, confirm and unsubscribe (phone-first, three locales)."""

from urllib.parse import quote

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from home.models import ResidentCategory
from items.directory import localised_rows
from subscriptions import operations, relays
from subscriptions.channels.wechat import wechat_offered
from subscriptions.consent import CONSENT_VERSION, consent_text, topic_name
from subscriptions.models import Relationship
from subscriptions.page_texts import page_words
from subscriptions.texts import texts
from subscriptions.tokens import LinkExpired, confirm_token_read, unsubscribe_token_read
from subscriptions.vapid import public_key


def _words() -> dict:
    locale = translation.get_language() or "zh-hans"
    return {**texts(locale), **page_words(locale)}


def _category_choices() -> list[dict]:
    """The categories as the page offers them (sensitive ones as topics), in the page's language.

    Rendered on the server, so the separate consent box appears when a sensitive
    topic is ticked by CSS alone; the script renders the same list from the API.
    """
    locale = translation.get_language() or "zh-hans"
    return [
        {
            "code": original.code,
            "name": topic_name(original.code, translated.name, original.is_sensitive),
            "sensitive": original.is_sensitive,
        }
        for original, translated in localised_rows(ResidentCategory, locale)
    ]


def _relationships() -> list[tuple[str, str]]:
    """为家人订阅's choices, in the page's language."""
    return [(code, str(label)) for code, label in Relationship.choices]


def _page(request, template: str, status: int = 200, **context):
    context.setdefault("t", _words())
    context.setdefault("lang", translation.get_language() or "zh-hans")
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # tokens are in these URLs
    return response


def subscribe(request):
    return _page(
        request,
        "subscriptions/subscribe.html",
        vapid_public_key=public_key(),
        api_url=reverse("subscriptions-api:create"),
        categories=_category_choices(),
        consent_text=consent_text(),
        consent_version=CONSENT_VERSION,
        wechat=wechat_offered(request),
        relationships=_relationships(),
    )


def manage(request):
    """The manage page; its script reads the token from the fragment (#token=…) or the browser.

    A fragment never reaches the server, so the token is in no access log.
    """
    return _page(
        request,
        "subscriptions/manage.html",
        vapid_public_key=public_key(),
        api_url=reverse("subscriptions-api:self"),
        categories=_category_choices(),
        consent_text=consent_text(),
        consent_version=CONSENT_VERSION,
        wechat=wechat_offered(request),
        relationships=_relationships(),
    )


def manage_legacy(request, token: str):
    """A manage link from before (the token in the path): on to the page, the token in the fragment."""
    response = HttpResponseRedirect(f"{reverse('subscriptions:manage')}#token={quote(token)}")
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@csrf_exempt  # the signed token in the URL is the authorisation
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    payload = confirm_token_read(token)
    if payload is None:
        return _page(request, "subscriptions/message.html", status=400, state="confirm_invalid")
    if request.method == "GET":
        # A button, not a confirmation on GET: mail scanners open links too.
        return _page(request, "subscriptions/confirm.html")
    confirmed = operations.address_confirm(
        subscription_id=payload["s"], channel_code=payload["c"], address=payload["a"]
    )
    if not confirmed:
        return _page(request, "subscriptions/message.html", status=400, state="confirm_invalid")
    return _page(request, "subscriptions/message.html", state="confirm_done")


@csrf_exempt  # the signed token in the URL is the authorisation
@require_http_methods(["GET", "POST"])
def reconfirm(request, token: str):
    """The link in the yearly reminder: the consent text again, and a button to renew it."""
    from subscriptions.reconfirm import reconfirm_token_read, sensitive_consent_renew

    subscription = reconfirm_token_read(token)
    if subscription is None:
        return _page(request, "subscriptions/message.html", status=400, state="reconfirm_invalid")
    if request.method == "GET":  # a button, not a renewal on GET: link scanners open links too
        return _page(request, "subscriptions/reconfirm.html", consent_text=consent_text())
    sensitive_consent_renew(subscription=subscription)
    return _page(request, "subscriptions/message.html", state="reconfirm_done")


@csrf_exempt  # RFC 8058 one-click POSTs come from mail providers, without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        payload = unsubscribe_token_read(token)
    except LinkExpired:
        # A late click (or a late one-click POST): say so, and where to unsubscribe instead.
        return _page(request, "subscriptions/message.html", status=410, state="unsubscribe_expired")
    if payload is None:
        return _page(request, "subscriptions/message.html", status=400, state="unsubscribe_invalid")
    if request.method == "GET":
        return _page(request, "subscriptions/unsubscribe.html")
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    operations.subscription_unsubscribe(
        subscription_id=payload["s"],
        channel_code=payload["c"],
        reason=request.POST.get("reason", ""),
        one_click=one_click,
    )
    if one_click:
        return HttpResponse("unsubscribed\n", content_type="text/plain")
    return _page(request, "subscriptions/message.html", state="unsubscribe_done")


@csrf_exempt  # the signed token in the URL is the authorisation, as for confirmation links
@require_http_methods(["GET", "POST"])
def relay_ack(request, token: str):
    """A relay's 已转告 page: the notice, and one large button that records the time once.

    No sign-in and no script: it opens from a text message on any phone,
    inside WeChat's browser too. GET only shows (link checkers open links);
    the tap is a POST, and a second one changes nothing.
    """
    from subscriptions.selectors import relay_ack_context

    try:
        ids = relays.ack_token_read(token)
    except relays.AckLinkExpired:
        return _page(request, "subscriptions/relay_ack.html", status=410, state="expired")
    context = ids and relay_ack_context(relay_id=ids[0], notification_id=ids[1])
    if not context:
        return _page(request, "subscriptions/relay_ack.html", status=400, state="invalid")
    # A notice withdrawn meanwhile is not passed on: a tap from a page opened before records nothing.
    if request.method == "POST" and not context["withdrawn"]:
        row, _created = relays.relay_acknowledge(
            relay=context["relay"], notification=context["notification"]
        )
        context["acknowledged_at"] = row.acknowledged_at
    words = _words()
    relay = context["relay"]
    at = context["acknowledged_at"]
    return _page(
        request,
        "subscriptions/relay_ack.html",
        state="ok",
        t=words,
        relay_intro=words["relay_intro"].format(name=relay.name),
        relay_households=words["relay_households"].format(count=relay.households),
        relay_done=words["relay_done"].format(
            time=timezone.localtime(at).strftime("%m月%d日 %H:%M") if at else ""
        ),
        **context,
    )


def service_worker(request):
    """The push service worker, served from the site root so its scope covers every page."""
    response = render(request, "subscriptions/sw.js", content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
