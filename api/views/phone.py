"""Confirming a phone number with the code texted to it: /api/v1/subscriptions/phone/confirm/."""

from django.conf import settings

from drf_spectacular.utils import extend_schema

from api import subscription_serializers as shapes
from api.schema import RETRY_AFTER, error_responses
from api.views.subscriptions import SubscriptionApiView, _json
from core.http import client_ip, over_budget
from subscriptions.errors import refusal
from subscriptions.phone import phone_confirm


class PhoneConfirmView(SubscriptionApiView):
    @extend_schema(
        operation_id="subscriptions_phone_confirm_create",
        summary="Confirm a phone number with its code",
        description=(
            "`code` is the 6-digit code texted to `phone` after subscribing (valid 10 "
            "minutes, 5 tries). A wrong, used or expired code and a number that is not "
            "subscribed get the same answer. Limited per client address."
        ),
        request=shapes.PhoneConfirmInput,
        responses={200: shapes.Confirmed, **error_responses(400, 429)},
        parameters=[RETRY_AFTER],
    )
    def post(self, request):
        budget = settings.LINLI_PHONE_CONFIRM_RATE_IP
        if over_budget(f"phonerl:confirm:{client_ip(request)}", budget, 3600):
            raise refusal("rate_limited", status=429)
        serializer = shapes.PhoneConfirmInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirmed = phone_confirm(
            phone=serializer.validated_data["phone"], code=serializer.validated_data["code"]
        )
        if confirmed is None:
            raise refusal("invalid_code", "invalid_phone_code", field="code")
        return _json({"confirmed": True})
