"""The item endpoints of every content type: parameters in, stored JSON out.

One list view and one detail view per registered content type, made from the
registry, so a new type is served without an edit here.
"""

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rest_framework.views import APIView

from api import serializers
from core import params
from core.content_types import ContentType
from core.errors import ApiError
from items.selectors import item_detail, items_listed, list_params


def json_response(body: bytes, *, max_age: int) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def list_body(rows, next_cursor: str | None, *, locale: str) -> bytes:
    head = '{"locale":' + json.dumps(locale) + ',"next":' + json.dumps(next_cursor) + ',"results":['
    return (head + ",".join(row.data for row in rows) + "]}").encode()


class ItemListView(APIView):
    """List of one content type, with the type's own filters and orderings."""

    type = ""
    max_age = 60

    def param_spec(self) -> dict:
        return list_params(self.type)

    def get(self, request: HttpRequest) -> HttpResponse:
        query = params.parse(
            request.GET,
            self.param_spec(),
            defaults={"locale": "zh-hans", "limit": params.DEFAULT_LIMIT},
        )
        rows, next_cursor = items_listed(type=self.type, query=query, now=timezone.now())
        return json_response(
            list_body(rows, next_cursor, locale=query["locale"]), max_age=self.max_age
        )


class ItemDetailView(APIView):
    """One item by page id or slug."""

    type = ""
    max_age = 300
    extra_responses = {"404": serializers.Error}

    def param_spec(self) -> dict:
        return {"locale": params.locale}

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        query = params.parse(request.GET, self.param_spec(), defaults={"locale": "zh-hans"})
        if not key or len(key) > 255 or not params.valid_text(key):
            raise ApiError("not_found", f"No {self.type} '{key[:40]}' is published.", status=404)
        item = item_detail(type=self.type, key=key, locale=query["locale"], now=timezone.now())
        return json_response(item.data.encode(), max_age=self.max_age)


def item_views(content_type: ContentType) -> tuple[type[APIView], type[APIView]]:
    """The list and detail view classes of one content type."""
    name = content_type.code.capitalize()
    item, listed = serializers.item_schema(content_type.code)
    list_view = type(
        f"{name}ListView",
        (ItemListView,),
        {
            "type": content_type.code,
            "response_serializer": listed,
            "__doc__": content_type.list_doc,
        },
    )
    detail_view = type(
        f"{name}DetailView",
        (ItemDetailView,),
        {
            "type": content_type.code,
            "response_serializer": item,
            "__doc__": content_type.detail_doc,
        },
    )
    return list_view, detail_view
