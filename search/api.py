"""The search API: GET /api/v1/search/ and /api/v1/search/suggest/ for apps and kiosks."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from api.schema import error_responses
from core.content_types import codes
from search.selectors import (
    community_by_code,
    resident_category_exists,
    search_pages,
    suggest_titles,
)

MAX_QUERY_LENGTH = 1000


def error(code: str, field: str | None, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "field": field, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def ok(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _first_error(serializer: serializers.Serializer) -> JsonResponse:
    field, messages = next(iter(serializer.errors.items()))
    message = messages[0] if isinstance(messages, list) else str(messages)
    code = getattr(message, "code", "invalid")
    return error(code if code != "invalid_choice" else "invalid", field, str(message))


class SearchResult(serializers.Serializer):
    type = serializers.ChoiceField(choices=sorted(codes()))
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    snippet = serializers.CharField(
        allow_blank=True, help_text="HTML: escaped text, matches in <mark>"
    )
    locale = serializers.CharField()
    machine_converted = serializers.BooleanField()


class SearchAnswer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True, help_text="`q` as searched (trimmed)")
    count = serializers.IntegerField()
    results = SearchResult(many=True)


class Suggestion(serializers.Serializer):
    type = serializers.ChoiceField(choices=sorted(codes()))
    id = serializers.IntegerField()
    title = serializers.CharField()
    machine_converted = serializers.BooleanField()


class SuggestAnswer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    suggestions = Suggestion(many=True)


class SearchView(APIView):
    """Pages residents may find for a query: services, notices (current only) and events."""

    class InputSerializer(serializers.Serializer):
        q = serializers.CharField(required=True, allow_blank=True, trim_whitespace=True)
        type = serializers.ChoiceField(choices=sorted(codes()), required=False)
        locale = serializers.ChoiceField(
            choices=[code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES], required=False
        )
        community = serializers.SlugField(required=False)
        resident_category = serializers.SlugField(required=False)
        limit = serializers.IntegerField(min_value=1, max_value=50, default=20)

    @extend_schema(
        operation_id="search_list",
        parameters=[InputSerializer],
        responses={200: SearchAnswer, **error_responses(400)},
    )
    def get(self, request):
        data = request.query_params.copy()
        if len(data.get("q", "")) > MAX_QUERY_LENGTH:
            data["q"] = data["q"][:MAX_QUERY_LENGTH]
        serializer = self.InputSerializer(data=data)
        if not serializer.is_valid():
            return _first_error(serializer)
        params = serializer.validated_data
        community = None
        if "community" in params:
            community = community_by_code(params["community"])
            if community is None:
                return error("unknown_community", "community", "没有这个社区代码。")
        category = params.get("resident_category")
        if category and not resident_category_exists(category):
            return error("unknown_resident_category", "resident_category", "没有这个居民类别代码。")
        results = search_pages(
            query=params["q"],
            types=[params["type"]] if "type" in params else None,
            locale=params.get("locale"),
            community=community,
            resident_category=category,
            limit=params["limit"],
        )
        items = SearchResult(results, many=True).data
        return ok({"query": params["q"], "count": len(items), "results": items})


class SuggestView(APIView):
    """Titles to offer while a resident types, by characters, full pinyin or initials."""

    class InputSerializer(serializers.Serializer):
        q = serializers.CharField(required=True, allow_blank=True, trim_whitespace=True)
        locale = serializers.ChoiceField(
            choices=[code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES], required=False
        )
        limit = serializers.IntegerField(min_value=1, max_value=20, default=8)

    @extend_schema(
        operation_id="search_suggest_list",
        parameters=[InputSerializer],
        responses={200: SuggestAnswer, **error_responses(400)},
    )
    def get(self, request):
        data = request.query_params.copy()
        if len(data.get("q", "")) > MAX_QUERY_LENGTH:
            data["q"] = data["q"][:MAX_QUERY_LENGTH]
        serializer = self.InputSerializer(data=data)
        if not serializer.is_valid():
            return _first_error(serializer)
        params = serializer.validated_data
        suggestions = suggest_titles(
            query=params["q"], locale=params.get("locale"), limit=params["limit"]
        )
        return ok({"query": params["q"], "suggestions": suggestions})
