"""Residents rate a service and report a wrong guide: /api/v1/services/<id>/ratings/ and …/corrections/.

Anonymous. One rating per service per device per day: the device keeps a
signed cookie naming the services it rated today, and each client address
may rate a service LINLI_RATINGS_PER_ADDRESS times a day (a hall's wifi is
one address for everyone at the window). A kiosk, one device for many
residents, is counted by its own hourly budget instead.
"""

import datetime
import hashlib

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as s
from rest_framework.views import APIView

from api import serializers
from api.parsers import JSONBodyParser
from api.schema import RETRY_AFTER, error_responses
from core import limits
from core.errors import ApiError
from core.http import client_ip, over_budget, retry_after
from feedback.models import CorrectionReason, RatingReason, Score
from feedback.operations import correction_report, rating_record
from feedback.selectors import service_to_rate
from subscriptions.channels.sms import phone_e164
from subscriptions.errors import request_locale

RATED_COOKIE = "linli_rated"
RATED_SALT = "linli.feedback.rated"
# A device rarely rates more services in a day; the cookie stays small.
RATED_COOKIE_MAX = 100
BAD_SCORE = 2


class RatingInput(s.Serializer):
    score = s.IntegerField(
        min_value=1,
        max_value=5,
        help_text="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意",
    )
    reasons = s.ListField(
        child=s.ChoiceField(choices=RatingReason.choices),
        required=False,
        default=list,
        max_length=len(RatingReason.choices),
        help_text="reason codes (chips) the resident ticked",
    )
    comment = s.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="never published; read by whoever handles the service",
    )
    callback_phone = s.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=30,
        help_text="mainland mobile number for a call back; only with score 2 or 1; stored encrypted",
    )

    def validate_callback_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        number = phone_e164(value)
        if number is None:
            raise s.ValidationError(_("请填写中国大陆的手机号码（11 位，可带 +86）。"))
        return number

    def validate(self, data: dict) -> dict:
        if data.get("callback_phone") and data["score"] > BAD_SCORE:
            raise s.ValidationError(
                {"callback_phone": _("只有“不满意”或“非常不满意”时才能留回访电话。")}
            )
        return data


class RatingCreated(s.Serializer):
    score = s.IntegerField()
    score_label = s.CharField()
    case_opened = s.BooleanField(help_text="true when the rating opened a case (score 2 or 1)")


class CorrectionInput(s.Serializer):
    reason = s.ChoiceField(choices=CorrectionReason.choices)
    comment = s.CharField(required=False, allow_blank=True, default="", max_length=500)


class CorrectionCreated(s.Serializer):
    reason = s.CharField()
    reason_label = s.CharField()


def _json(data: dict, status: int = 201) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _rated_today(request: HttpRequest, today: datetime.date) -> list[str]:
    """The services this device rated today, from its signed cookie."""
    value = request.get_signed_cookie(RATED_COOKIE, default="", salt=RATED_SALT)
    day, _sep, ids = value.partition(":")
    return [key for key in ids.split(",") if key] if day == today.isoformat() else []


def _throttle(request: HttpRequest) -> None:
    """Ratings and corrections together: LINLI_FEEDBACK_RATE_IP an hour per address or kiosk."""
    kiosk = getattr(request, "kiosk", None)
    client = f"k{kiosk.pk}" if kiosk else client_ip(request)
    if over_budget(f"fbrl:{client}", settings.LINLI_FEEDBACK_RATE_IP, 3600):
        raise ApiError("rate_limited", _("请求太频繁，请一小时后再试。"), status=429)


def _address_rated_too_often(request: HttpRequest, service_id: int, now: datetime.datetime) -> bool:
    """Count one rating of the service from this address today (local day)."""
    budget = settings.LINLI_RATINGS_PER_ADDRESS
    if not budget:
        return False
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    address = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    key = f"rated:{service_id}:{address}"
    return limits.hit(key, int(midnight.timestamp()), 86400) > budget


def already_rated(status: int) -> ApiError:
    return ApiError("already_rated", _("今天已经评价过这项服务了，明天可以再评。"), status=status)


def _service(key: str):
    service = service_to_rate(key=key)
    if service is None:
        raise ApiError("not_found", _("没有这项服务。"), status=404)
    return service


class FeedbackView(APIView):
    """JSON in, errors in the request's locale, nothing cached."""

    parser_classes = [JSONBodyParser]

    def dispatch(self, request, *args, **kwargs):
        with translation.override(request_locale(request)):
            response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 429:
            response["Retry-After"] = retry_after(3600)
        return response


SERVICE_KEY = OpenApiParameter(
    "key", location=OpenApiParameter.PATH, type=str, description="the service's id or slug"
)


class RatingCreateView(FeedbackView):
    @extend_schema(
        summary="Rate a service",
        description=(
            "Anonymous, one rating per service per device per day (a signed cookie), and "
            "`LINLI_RATINGS_PER_ADDRESS` a day per client address. A second rating from the "
            "same device is a 409 `already_rated`; from an address past its budget a 429 "
            "`already_rated`. A score of 2 or 1 opens a case for the provider; only then may "
            "`callback_phone` be given. The comment is never published."
        ),
        request=RatingInput,
        responses={
            201: RatingCreated,
            **error_responses(400, 404, 429),
            409: OpenApiResponse(serializers.Error, description="already rated today"),
        },
        parameters=[SERVICE_KEY, RETRY_AFTER],
    )
    def post(self, request, key: str):
        _throttle(request)
        service = _service(key)
        serializer = RatingInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        now = timezone.now()
        today = timezone.localdate(now)
        kiosk = getattr(request, "kiosk", None)
        rated = [] if kiosk else _rated_today(request, today)
        if not kiosk:
            if str(service.pk) in rated:
                raise already_rated(409)
            if _address_rated_too_often(request, service.pk, now):
                raise already_rated(429)
        rating = rating_record(
            service=service,
            score=data["score"],
            reasons=data["reasons"],
            comment=data["comment"],
            callback_phone=data["callback_phone"],
            via="kiosk" if kiosk else "api",
            now=now,
        )
        response = _json(
            {
                "score": rating.score,
                "score_label": str(Score(rating.score).label),
                "case_opened": hasattr(rating, "case"),
            }
        )
        if not kiosk:
            keys = [*rated, str(service.pk)][-RATED_COOKIE_MAX:]
            response.set_signed_cookie(
                RATED_COOKIE,
                f"{today.isoformat()}:{','.join(keys)}",
                salt=RATED_SALT,
                max_age=86400,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


class CorrectionCreateView(FeedbackView):
    @extend_schema(
        summary="Report that a service's guide is wrong",
        description=(
            "Opens a correction task for the service's community editors. Anonymous; the "
            "comment is never published."
        ),
        request=CorrectionInput,
        responses={201: CorrectionCreated, **error_responses(400, 404, 429)},
        parameters=[SERVICE_KEY, RETRY_AFTER],
    )
    def post(self, request, key: str):
        _throttle(request)
        service = _service(key)
        serializer = CorrectionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = correction_report(
            service=service,
            reason=serializer.validated_data["reason"],
            comment=serializer.validated_data["comment"],
        )
        return _json(
            {
                "reason": correction.reason,
                "reason_label": str(CorrectionReason(correction.reason).label),
            }
        )
