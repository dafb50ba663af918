"""/api/v1/feed/: the change feed that keeps kiosks and apps in sync, offline-safe."""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from rest_framework.views import APIView

from api import serializers
from api.views.items import json_response
from core import params
from core.content_types import codes
from items.selectors import ItemFilter, feed_read, known_communities, known_resident_categories

FEED_LIMIT_DEFAULT = 100
POLL_SECONDS = settings.LINLI_FEED_POLL_SECONDS


class FeedView(APIView):
    """A full snapshot page by page, then everything changed since the client's cursor."""

    response_serializer = serializers.FeedPage
    extra_responses = {"410": serializers.Error}

    def param_spec(self) -> dict:
        return {
            "locale": params.locale,
            "type": params.choice(set(codes())),
            "community": params.choice(known_communities),
            "resident_category": params.choice(known_resident_categories),
            "cursor": params.cursor,
            "limit": params.limit,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        query = params.parse(
            request.GET,
            self.param_spec(),
            defaults={"locale": "zh-hans", "limit": FEED_LIMIT_DEFAULT},
        )
        page = feed_read(
            query=ItemFilter(
                locale=query["locale"],
                type=query.get("type"),
                community=query.get("community"),
                resident_category=query.get("resident_category"),
            ),
            cursor=query.get("cursor"),
            limit=query["limit"],
        )
        entries = []
        for op, kind, page_id, data in page.entries:
            head = f'{{"op":"{op}","type":"{kind}","id":{page_id}'
            entries.append(head + (f',"item":{data}}}' if data is not None else "}"))
        body = (
            f'{{"mode":"{page.mode}","next":{json.dumps(page.next_cursor)},'
            f'"has_more":{json.dumps(page.has_more)},"poll_seconds":{POLL_SECONDS},'
            f'"entries":[{",".join(entries)}]}}'
        )
        # Clients revalidate every time; unchanged answers cost a 304.
        return json_response(body.encode(), max_age=0)
