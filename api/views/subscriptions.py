"""The public subscription API under /api/v1/subscriptions/: no account, a manage token instead."""

import functools
import hashlib

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from api import subscription_serializers as shapes
from api.parsers import JSONBodyParser
from api.phone_limits import phone_throttle
from api.schema import RETRY_AFTER, error_responses
from core import params
from core.errors import ApiError
from core.http import client_ip, over_budget, retry_after
from home.models import CommunityHomePage, ResidentCategory
from items.directory import localised_pages, localised_rows
from subscriptions import operations
from subscriptions.channels.registry import address_channels, address_order, channel
from subscriptions.consent import CONSENT_VERSION, consent_repr, consent_text, topic_name
from subscriptions.errors import refusal, request_locale
from subscriptions.messages import relationship_label
from subscriptions.models import (
    CONTENT_TYPES,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    LOCALES,
    Frequency,
    Relationship,
    Subscription,
)
from subscriptions.selectors import subscription_deliveries_export
from subscriptions.tokens import LinkExpired, confirm_token_read, unsubscribe_token_read
from subscriptions.vapid import public_key


def _addresses_repr(subscription: Subscription, *, export: bool = False) -> dict:
    """Each channel the API offers, as that channel shows its address."""
    out = {}
    for spec in address_channels():
        if spec.api_field is not None:
            address = subscription.address(spec.code)
            out.update(spec.api_export(address) if export else spec.api_repr(address))
    return out


def subscription_repr(subscription: Subscription) -> dict:
    quiet = None
    if subscription.quiet_start and subscription.quiet_end:
        quiet = {
            "start": subscription.quiet_start.strftime("%H:%M"),
            "end": subscription.quiet_end.strftime("%H:%M"),
        }
    return {
        **_addresses_repr(subscription),
        "channel_order": [row.channel for row in address_order(subscription.addresses.all())],
        "resident_categories": subscription.resident_categories,
        "content_types": subscription.content_types,
        "communities": subscription.communities,
        "locale": subscription.locale,
        "frequency": subscription.frequency,
        "quiet_hours": quiet,
        "sensitive_consent": consent_repr(subscription),
        "on_behalf": (
            {
                "relationship": subscription.on_behalf_relationship,
                "agreed_at": subscription.on_behalf_agreed_at.isoformat(),
            }
            if subscription.on_behalf_relationship and subscription.on_behalf_agreed_at
            else None
        ),
        "created_at": subscription.created_at.isoformat(),
        "updated_at": subscription.updated_at.isoformat(),
    }


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _throttle(request: HttpRequest, email: str) -> None:
    if over_budget(f"subrl:ip:{client_ip(request)}", settings.LINLI_SUBSCRIBE_RATE_IP, 3600):
        raise refusal("rate_limited", status=429)
    if email:
        # One mailbox, one budget: case, a +tag or quotes do not make a new address.
        box = channel("email").mailbox(email)
        digest = hashlib.sha256(box.encode("utf-8", "surrogatepass")).hexdigest()
        if over_budget(f"subrl:addr:{digest}", settings.LINLI_SUBSCRIBE_RATE_ADDRESS, 3600):
            raise refusal("rate_limited", "rate_limited_address", field="email", status=429)


def _new_numbers(subscription: Subscription, data: dict) -> tuple[str | None, str | None]:
    """The numbers a change asks to text a code to: given, and not this subscription's yet.

    A number the subscription has on its other phone channel is known: adding
    calls to a confirmed SMS number (or the reverse) needs no code.
    """
    current = {
        field: getattr(subscription.address(code), "address", "")
        for field, code in (("phone", "sms"), ("voice_phone", "voice"))
    }
    known = set(current.values())
    return tuple(
        data[field] if data.get(field) and data[field] not in known else None
        for field in ("phone", "voice_phone")
    )


def with_retry_after(view):
    @functools.wraps(view)  # keeps the view's csrf_exempt: API clients send no CSRF token
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 429:
            response["Retry-After"] = retry_after(3600)
        return response

    return wrapped


def _owner(request: HttpRequest) -> Subscription:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise refusal("not_authenticated", status=401)
    subscription = operations.subscription_for_token(token.strip())
    if subscription is None:
        raise refusal("invalid_token", "invalid_manage_token", status=401)
    return subscription


def manage_path(token: str, locale: str) -> str:
    """The manage page in the subscriber's locale, the token in the fragment (never sent, never logged)."""
    with translation.override(locale):
        return f"{reverse('subscriptions:manage')}#token={token}"


MANAGE_TOKEN = [{"manageToken": []}]


class SubscriptionApiView(APIView):
    """Errors in the request's locale (see `subscriptions.errors`), JSON in and out."""

    # JSON only: the nested fields (web_push, quiet_hours) have no form encoding.
    parser_classes = [JSONBodyParser]

    def dispatch(self, request, *args, **kwargs):
        locale = request_locale(request)
        with translation.override(locale):
            response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = locale
        return response


class SubscriptionCreateView(SubscriptionApiView):
    @extend_schema(
        operation_id="subscriptions_create",
        summary="Subscribe, without an account",
        description=(
            "Give a phone number, an email address, a web push subscription, or several. "
            "The answer is the same whether or not the address is subscribed already; an "
            "email address gets one confirmation email, a phone number a 6-digit code by "
            "SMS (confirm it at /subscriptions/phone/confirm/). Limited per client and per "
            "address."
        ),
        request=shapes.SubscriptionInput,
        responses={201: shapes.SubscriptionCreated, **error_responses(400, 429)},
        parameters=[RETRY_AFTER],
    )
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        if isinstance(data.get("on_behalf"), dict):
            # Before the limits count the request: a carer who forgot to tick the
            # agreement is told so, not made to wait for another code.
            shapes.OnBehalf(data=data["on_behalf"]).is_valid(raise_exception=True)
        _throttle(request, str(data.get("email") or ""))
        phone_throttle(request, data.get("phone"), data.get("voice_phone"))
        serializer = shapes.SubscriptionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription, token = operations.subscription_create(data=serializer.validated_data)
        # The same answer whether or not the address is subscribed elsewhere.
        return _json(
            {
                "manage_token": token,
                "manage_url": manage_path(token, subscription.locale),
                "confirmation_sent": any(
                    row.confirmed_at is None for row in subscription.addresses.all()
                ),
                "subscription": subscription_repr(subscription),
            },
            status=201,
        )


class SubscriptionSelfView(SubscriptionApiView):
    @extend_schema(
        operation_id="subscriptions_self_retrieve",
        summary="Read one's subscription",
        description="The subscription the manage token belongs to.",
        auth=MANAGE_TOKEN,
        responses={200: shapes.SubscriptionAnswer, **error_responses(401)},
    )
    def get(self, request):
        return _json({"subscription": subscription_repr(_owner(request))})

    @extend_schema(
        operation_id="subscriptions_self_partial_update",
        summary="Change one's subscription",
        description=(
            "Only the fields sent change. A new email address or phone number is confirmed again."
        ),
        auth=MANAGE_TOKEN,
        request=shapes.SubscriptionInput,
        responses={200: shapes.SubscriptionAnswer, **error_responses(400, 401, 429)},
        parameters=[RETRY_AFTER],
    )
    def patch(self, request):
        subscription = _owner(request)
        serializer = shapes.SubscriptionInput(subscription, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data.get("email")
        current = subscription.address("email")
        known = current.address.lower() if current else ""
        if email is not None and email.strip().lower() != known:
            _throttle(request, email)
        phone_throttle(request, *_new_numbers(subscription, serializer.validated_data))
        subscription = operations.subscription_update(
            subscription=subscription, data=serializer.validated_data
        )
        return _json({"subscription": subscription_repr(subscription)})

    @extend_schema(
        operation_id="subscriptions_self_destroy",
        summary="Delete one's subscription",
        description="The row is deleted; past delivery counts stay, linked to nobody.",
        auth=MANAGE_TOKEN,
        responses={200: shapes.Deleted, **error_responses(401)},
    )
    def delete(self, request):
        operations.subscription_delete(subscription=_owner(request))
        return _json({"deleted": True})


class SubscriptionExportView(SubscriptionApiView):
    @extend_schema(
        operation_id="subscriptions_self_export_retrieve",
        summary="Everything held about one's subscription",
        description="The subscription with its push keys, and every delivery made to it.",
        auth=MANAGE_TOKEN,
        responses={200: shapes.Export, **error_responses(401)},
    )
    def get(self, request):
        subscription = _owner(request)
        deliveries = subscription_deliveries_export(subscription=subscription)
        response = _json(
            {
                "subscription": {
                    **subscription_repr(subscription),
                    **_addresses_repr(subscription, export=True),
                },
                "deliveries": deliveries,
            }
        )
        response["Content-Disposition"] = 'attachment; filename="linli-subscription.json"'
        return response


class ConfirmView(SubscriptionApiView):
    @extend_schema(
        operation_id="subscriptions_confirm_create",
        summary="Confirm an email address",
        description="`token` is the one in the confirmation link (valid 7 days).",
        request=shapes.TokenInput,
        responses={200: shapes.Confirmed, **error_responses(400)},
    )
    def post(self, request):
        serializer = shapes.TokenInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        payload = confirm_token_read(serializer.validated_data["token"])
        address = payload and operations.address_confirm(
            subscription_id=payload["s"], channel_code=payload["c"], address=payload["a"]
        )
        if not address:
            raise refusal("invalid_token", "invalid_confirm_token", field="token")
        return _json({"confirmed": True})


class UnsubscribeView(SubscriptionApiView):
    @extend_schema(
        operation_id="subscriptions_unsubscribe_create",
        summary="Stop one channel",
        description=(
            "`token` is the one in an email's unsubscribe link (valid 60 days after the "
            "message was sent); `reason` is optional."
        ),
        request=shapes.TokenInput,
        responses={200: shapes.Unsubscribed, **error_responses(400)},
    )
    def post(self, request):
        serializer = shapes.TokenInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            payload = unsubscribe_token_read(serializer.validated_data["token"])
        except LinkExpired:
            raise refusal("invalid_token", "expired_unsubscribe_token", field="token") from None
        if not payload:
            raise refusal("invalid_token", "invalid_unsubscribe_token", field="token")
        operations.subscription_unsubscribe(
            subscription_id=payload["s"],
            channel_code=payload["c"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return _json({"unsubscribed": True})


LOCALE_CODES = sorted(code for code, _label in LOCALES)


class OptionsView(SubscriptionApiView):
    """What a subscribe form offers: categories, communities, content types and the VAPID key."""

    @extend_schema(
        operation_id="subscriptions_options_retrieve",
        parameters=[
            OpenApiParameter(
                "locale",
                type={"type": "string", **params.locale.openapi},
                location=OpenApiParameter.QUERY,
                description="the language of category and community names",
            )
        ],
        responses={200: shapes.Options, **error_responses(400)},
    )
    def get(self, request):
        try:
            query = params.parse(
                request.GET, {"locale": params.locale}, defaults={"locale": "zh-hans"}
            )
        except ApiError as error:  # the shared parser words its errors in English
            known = "locale" if error.code == "unknown_parameter" else ", ".join(LOCALE_CODES)
            raise refusal(error.code, field=error.field, name=error.field, known=known) from None
        with translation.override(query["locale"]):  # topics and consent in the names' language
            categories = [
                {
                    "code": original.code,
                    "name": topic_name(original.code, translated.name, original.is_sensitive),
                    "sensitive": original.is_sensitive,
                }
                for original, translated in localised_rows(ResidentCategory, query["locale"])
            ]
            consent = {"version": CONSENT_VERSION, "text": consent_text()}
        communities = [
            {"code": page.code, "name": shown.title}
            for page, shown in localised_pages(CommunityHomePage, query["locale"])
        ]
        return _json(
            {
                "resident_categories": categories,
                "communities": communities,
                "content_types": [code for code, _label in CONTENT_TYPES],
                "frequencies": [code for code, _label in Frequency.choices],
                "relationships": [
                    {"code": code, "name": relationship_label(code, query["locale"])}
                    for code in Relationship.values
                ],
                "locales": [code for code, _label in LOCALES],
                "vapid_public_key": public_key(),
                "quiet_hours": {
                    "start": DEFAULT_QUIET_START.strftime("%H:%M"),
                    "end": DEFAULT_QUIET_END.strftime("%H:%M"),
                },
                "sensitive_consent": consent,
            }
        )
