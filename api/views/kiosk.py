"""/api/v1/kiosk/: what a hall kiosk needs beyond the feed: its home screen and its heartbeat."""

import json
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rest_framework import serializers as s
from rest_framework.views import APIView

from api import serializers
from api.parsers import JSONBodyParser
from api.views.items import json_response
from core import params
from core.errors import ApiError
from core.http import rate_limited
from items.directory import resident_categories_read, service_categories_read
from items.selectors import ItemFilter, items_for
from kiosks.operations import kiosk_heartbeat

# The kiosk's token, declared so that generated clients send it.
KIOSK_TOKEN = [{"kioskToken": []}]


def require_kiosk(request: HttpRequest):
    kiosk = getattr(request, "kiosk", None)
    if kiosk is None:
        raise ApiError(
            "not_authenticated",
            "Send the kiosk's token as 'Authorization: Bearer <token>'.",
            field="Authorization",
            status=401,
        )
    return kiosk


def kiosk_scope(request: HttpRequest) -> str:
    """Authenticates a kiosk endpoint before any cache: whose answer it is, or a 401.

    The screen depends on the kiosk's community and locale, so both are part of the name.
    """
    kiosk = require_kiosk(request)
    return f"kiosk:{kiosk.pk}:{kiosk.community}:{kiosk.locale}"


def kiosk_summary(kiosk) -> dict:
    return {"name": kiosk.name, "community": kiosk.community or None, "locale": kiosk.locale}


class HeartbeatInput(s.Serializer):
    client_version = s.CharField(max_length=40, allow_blank=True, default="")
    cursor = s.CharField(max_length=200, allow_blank=True, default="")


class HeartbeatOutput(s.Serializer):
    kiosk = serializers.KioskSummary()
    poll_seconds = s.IntegerField()
    server_time = s.DateTimeField()


class KioskHeartbeatView(APIView):
    """A kiosk says it is alive, which version it runs and how far it has synced."""

    parser_classes = [JSONBodyParser]
    request_serializer = HeartbeatInput
    response_serializer = HeartbeatOutput
    extra_responses = {"401": serializers.Error}
    openapi_auth = KIOSK_TOKEN

    def post(self, request: HttpRequest) -> HttpResponse:
        kiosk = require_kiosk(request)
        # Counted in the kiosk's budget like its reads (`api_get` counts GETs only).
        if limited := rate_limited(request):
            return limited
        data = HeartbeatInput(data=request.data if isinstance(request.data, dict) else {})
        data.is_valid(raise_exception=True)
        kiosk_heartbeat(
            kiosk=kiosk,
            client_version=data.validated_data["client_version"],
            feed_cursor=data.validated_data["cursor"],
        )
        body = {
            "kiosk": kiosk_summary(kiosk),
            "poll_seconds": settings.LINLI_FEED_POLL_SECONDS,
            "server_time": timezone.localtime().isoformat(),
        }
        response = json_response(json.dumps(body, ensure_ascii=False).encode(), max_age=0)
        response["Cache-Control"] = "no-store"
        return response


class ScreenOutput(s.Serializer):
    kiosk = serializers.KioskSummary()
    poll_seconds = s.IntegerField()
    urgent = serializers.NoticeItem(many=True)
    pinned = serializers.NoticeItem(many=True)
    events = serializers.EventItem(many=True)
    resident_categories = serializers.ResidentCategoryCount(many=True)
    service_categories = serializers.ServiceCategoryTreeCount(many=True)


def _count(rows, code: str, column: str) -> int:
    return sum(1 for row in rows if f" {code} " in getattr(row, column))


class KioskScreenView(APIView):
    """Everything the kiosk's home screen shows, in one request."""

    response_serializer = ScreenOutput
    extra_responses = {"401": serializers.Error}
    openapi_auth = KIOSK_TOKEN

    def param_spec(self) -> dict:
        return {"locale": params.locale}

    def get(self, request: HttpRequest) -> HttpResponse:
        kiosk = require_kiosk(request)
        query = params.parse(request.GET, self.param_spec(), defaults={"locale": kiosk.locale})
        locale = query["locale"]
        now = timezone.now()

        def items(kind: str):
            return items_for(
                ItemFilter(locale=locale, type=kind, community=kiosk.community or None), now=now
            )

        notices = list(
            items("notice").order_by("-valid_from", "-id").only("data", "urgency", "pinned")
        )
        events = items("event").filter(ends_at__gte=now, starts_at__lte=now + timedelta(days=7))
        services = list(items("service").filter(status="active").only("audience", "categories"))
        residents = resident_categories_read(locale)
        categories = service_categories_read(locale)
        for row in residents:
            row["count"] = _count(services, row["code"], "audience")
        for top in categories:
            top["count"] = _count(services, top["code"], "categories")
            for child in top["children"]:
                child["count"] = _count(services, child["code"], "categories")

        def join(rows) -> str:
            return "[" + ",".join(row.data for row in rows) + "]"

        head = {
            "kiosk": kiosk_summary(kiosk),
            "poll_seconds": settings.LINLI_FEED_POLL_SECONDS,
            "resident_categories": residents,
            "service_categories": categories,
        }
        body = (
            json.dumps(head, ensure_ascii=False)[:-1]
            + ',"urgent":'
            + join(n for n in notices if n.urgency == "urgent")
            + ',"pinned":'
            + join(n for n in notices if n.pinned and n.urgency != "urgent")
            + ',"events":'
            + join(events.order_by("starts_at", "id").only("data"))
            + "}"
        )
        return json_response(body.encode(), max_age=60)
