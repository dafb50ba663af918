"""Shared machinery of the item endpoints: parameters in, stored JSON out."""

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rest_framework.views import APIView

from api import params, serializers
from api.errors import ApiError
from api.selectors import (
    DEFAULT_ORDERING,
    ORDERINGS,
    ItemFilter,
    item_detail,
    items_for,
    items_page,
    known_communities,
    known_resident_categories,
)

COMMON = {
    "locale": params.locale,
    "community": params.choice(known_communities),
    "resident_category": params.choice(known_resident_categories),
    "limit": params.limit,
    "cursor": params.cursor,
}


def json_response(body: bytes, *, max_age: int) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def list_body(rows, next_cursor: str | None, *, locale: str) -> bytes:
    head = '{"locale":' + json.dumps(locale) + ',"next":' + json.dumps(next_cursor) + ',"results":['
    return (head + ",".join(row.data for row in rows) + "]}").encode()


class ItemListView(APIView):
    """List of one item type; subclasses name the type and their own filters."""

    type = ""
    filters: dict = {}
    max_age = 60

    def extra_filters(self, query: dict) -> dict:
        """Item column lookups for this type's own parameters."""
        return {}

    def visible_only(self, query: dict) -> bool:
        return True

    def param_spec(self) -> dict:
        return {**COMMON, **self.filters, "ordering": params.choice(set(ORDERINGS[self.type]))}

    def get(self, request: HttpRequest) -> HttpResponse:
        query = params.parse(
            request.GET,
            self.param_spec(),
            defaults={
                "locale": "zh-hans",
                "limit": params.DEFAULT_LIMIT,
                "ordering": DEFAULT_ORDERING[self.type],
            },
        )
        item_filter = ItemFilter(
            locale=query["locale"],
            type=self.type,
            community=query.get("community"),
            resident_category=query.get("resident_category"),
            extra=self.extra_filters(query),
        )
        items = items_for(item_filter, now=timezone.now(), visible_only=self.visible_only(query))
        rows, next_cursor = items_page(
            items,
            type=self.type,
            ordering=query["ordering"],
            cursor=query.get("cursor"),
            limit=query["limit"],
        )
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
        if not key or len(key) > 255:
            raise ApiError("not_found", f"No {self.type} '{key[:40]}' is published.", status=404)
        item = item_detail(type=self.type, key=key, locale=query["locale"], now=timezone.now())
        return json_response(item.data.encode(), max_age=self.max_age)
