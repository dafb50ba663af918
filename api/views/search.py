"""/api/v1/search/ and /api/v1/search/suggest/: finding pages, and titles while a resident types.

The search itself (analysis, ranking, snippets, the suggest index) is the
search app's; this module only reads the parameters and shapes the answer.
"""

import json

from django.http import HttpRequest, HttpResponse

from rest_framework import serializers as s
from rest_framework.views import APIView

from api.views.items import json_response
from core import params
from core.content_types import codes
from core.errors import ApiError
from items.selectors import known_communities, known_resident_categories
from search.selectors import community_by_code, search_pages, suggest_titles

MAX_QUERY_LENGTH = 1000
SEARCH_LIMIT = 20
SEARCH_MAX_LIMIT = 50
SUGGEST_LIMIT = 8
SUGGEST_MAX_LIMIT = 20


def query_text(name: str, value: str) -> str:
    """Any text: trimmed, and cut at MAX_QUERY_LENGTH characters (longer is no better)."""
    return value[:MAX_QUERY_LENGTH].strip()


query_text.openapi = {
    "type": "string",
    "description": "what the resident typed; any text",
    "required": True,
}


def any_locale(name: str, value: str) -> str:
    """A content locale; without it, pages in every locale are found."""
    return params.locale(name, value)


any_locale.openapi = {
    "type": "string",
    "enum": params.locale.openapi["enum"],
    "description": "only pages in this locale (zh-hant also finds simplified pages, converted);"
    " default: every locale",
}


def limit_upto(most: int, default: int) -> params.Parser:
    """A limit from 1 to `most`: the shared parser's codes and messages, a smaller ceiling."""

    def parser(name: str, value: str) -> int:
        number = params.limit(name, value)
        if number > most:
            raise ApiError(
                "invalid_limit", f"'{name}' must be a whole number from 1 to {most}.", field=name
            )
        return number

    parser.openapi = {"type": "integer", "minimum": 1, "maximum": most, "default": default}
    return parser


def _parse(request: HttpRequest, spec: dict, defaults: dict) -> dict:
    query = params.parse(request.GET, spec, defaults=defaults)
    if "q" not in query:
        raise ApiError("missing_parameter", "Give 'q', the text to search for.", field="q")
    return query


def _json(data: dict, *, max_age: int) -> HttpResponse:
    return json_response(json.dumps(data, ensure_ascii=False).encode(), max_age=max_age)


class SearchResult(s.Serializer):
    type = s.ChoiceField(choices=sorted(codes()))
    id = s.IntegerField()
    title = s.CharField()
    summary = s.CharField(allow_blank=True)
    snippet = s.CharField(allow_blank=True, help_text="HTML: escaped text, matches in <mark>")
    locale = s.CharField()
    machine_converted = s.BooleanField()


class SearchAnswer(s.Serializer):
    query = s.CharField(allow_blank=True, help_text="`q` as searched (trimmed)")
    count = s.IntegerField()
    results = SearchResult(many=True)


class Suggestion(s.Serializer):
    type = s.ChoiceField(choices=sorted(codes()))
    id = s.IntegerField()
    title = s.CharField()
    machine_converted = s.BooleanField()


class SuggestAnswer(s.Serializer):
    query = s.CharField(allow_blank=True)
    suggestions = Suggestion(many=True)


class SearchView(APIView):
    """Pages residents may find for a query: services, notices (current only) and events."""

    response_serializer = SearchAnswer

    def param_spec(self) -> dict:
        return {
            "q": query_text,
            "type": params.choice(set(codes())),
            "locale": any_locale,
            "community": params.choice(known_communities),
            "resident_category": params.choice(known_resident_categories),
            "limit": limit_upto(SEARCH_MAX_LIMIT, SEARCH_LIMIT),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        query = _parse(request, self.param_spec(), {"limit": SEARCH_LIMIT})
        community = community_by_code(query["community"]) if "community" in query else None
        results = search_pages(
            query=query["q"],
            types=[query["type"]] if "type" in query else None,
            locale=query.get("locale"),
            community=community,
            resident_category=query.get("resident_category"),
            limit=query["limit"],
        )
        items = SearchResult(results, many=True).data
        return _json({"query": query["q"], "count": len(items), "results": items}, max_age=60)


class SuggestView(APIView):
    """Titles to offer while a resident types, by characters, full pinyin or initials."""

    response_serializer = SuggestAnswer

    def param_spec(self) -> dict:
        return {
            "q": query_text,
            "locale": any_locale,
            "limit": limit_upto(SUGGEST_MAX_LIMIT, SUGGEST_LIMIT),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        query = _parse(request, self.param_spec(), {"limit": SUGGEST_LIMIT})
        suggestions = suggest_titles(
            query=query["q"], locale=query.get("locale"), limit=query["limit"]
        )
        return _json({"query": query["q"], "suggestions": suggestions}, max_age=60)
