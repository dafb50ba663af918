"""Hostile requests, as Hypothesis strategies: what a client may send that the schema does not allow.

Used by test_fuzz.py. Routes and their parameters come from the URL map, so
a new endpoint is fuzzed without an edit here.
"""

import base64
import json
import re
from urllib.parse import quote_from_bytes

from django.urls import URLResolver, get_resolver, resolve

from hypothesis import strategies as st


def known_parameters(route: str) -> list[str]:
    """The query parameters the view behind `route` reads, so values reach past the name check."""
    func = resolve(route.replace("{key}", "1")).func
    view = getattr(func, "view_class", None) or getattr(func, "cls", None)
    if hasattr(view, "param_spec"):
        return sorted(view().param_spec())
    if hasattr(view, "known_query_parameters"):  # Wagtail's API: its parameters and field filters
        fields = [field.name for field in view.model._meta.concrete_fields]
        return sorted({*view.known_query_parameters, *fields, "type", "child_of", "locale"})
    return []


def api_routes() -> list[str]:
    """Every route under /api/, with `{key}` where the URL holds an id or a slug."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    routes = []
    for route in walk(get_resolver().url_patterns, ""):
        if route.startswith("api/"):
            route = re.sub(r"\(\?P<\w+>[^)]*\)|<\w+:\w+>", "{key}", route)
            routes.append("/" + route.replace("^", "").replace("$", ""))
    return routes


# JSON of every kind, the awkward ones included: numbers no database holds,
# floats where whole numbers go, lone surrogates and NUL in text.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 10**30, 1e30, -0.0, 0.5]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["\ud800", "a\udfffb", "\x00", "2026-99-01T00:00:00", "title", "-valid_from"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=8) | st.sampled_from(["o", "k", "m", "h", "a", "c"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def encoded(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


cursors = st.one_of(
    json_values.map(encoded),
    st.fixed_dictionaries(
        {
            "o": st.sampled_from(["title", "-valid_from", "valid_until", "starts_at"]),
            "k": json_values,
        }
    ).map(encoded),
    st.fixed_dictionaries(
        {"m": st.sampled_from(["s", "d"]), "h": json_scalars, "a": json_scalars, "c": json_scalars}
    ).map(encoded),
    st.integers(1, 6000).map(lambda depth: base64.urlsafe_b64encode(b"[" * depth).decode()),
    st.binary(max_size=40).map(lambda raw: base64.urlsafe_b64encode(raw).decode()),
)
numbers = st.one_of(
    st.integers().map(str),
    st.sampled_from(
        [
            "99999999999999999999",
            str(2**63),
            str(2**63 - 1),
            "-1",
            "1.5",
            "1e30",
            "NaN",
            "1_000",
            "١٢",
            " 7 ",
            "0x10",
        ]
    ),
)
words = st.sampled_from(
    [
        "",
        " ",
        "root",
        "*",
        "json",
        "xml",
        "yaml",
        "api",
        "zh-hans",
        "zh-hant",
        "en",
        "fr",
        "true",
        "abc",
        "title",
        "-title",
        "random",
        "id,-id",
        "*,-title",
        "parent(*)",
        "services.ServicePage",
        "wagtailcore.Page",
        "elderly",
        "meals",
        "notice",
        "service",
        "event",
        "and",
        "or",
        "2026-12-01",
        "2026-13-45",
    ]
)
# Percent-encoded already: NUL, a lone surrogate's UTF-8 bytes, bytes that are no UTF-8.
raw = st.sampled_from(["%00", "a%00b", "%ED%A0%80", "%FF%FE", "%C0%AF", "%", "%2", "+", "%20%20"])


def percent(text: str) -> str:
    return quote_from_bytes(text.encode(), safe="")


values = st.one_of(
    numbers.map(percent),
    words.map(percent),
    raw,
    cursors,
    st.text(max_size=30).map(percent),
    st.binary(max_size=12).map(lambda data: quote_from_bytes(data, safe="")),
)
names = st.one_of(
    st.sampled_from(
        # Ours, then Wagtail's, then fields Wagtail's API filters on.
        [
            "cursor",
            "limit",
            "offset",
            "locale",
            "format",
            "q",
            "type",
            "community",
            "resident_category",
            "ordering",
            "current",
            "from",
            "to",
            "fee_mode",
            "kind",
            "status",
            "urgency",
            "event_type",
            "service_category",
            "id",
            "child_of",
            "descendant_of",
            "ancestor_of",
            "translation_of",
            "fields",
            "order",
            "search",
            "search_operator",
            "html_path",
            "rich_text_format",
            "_",
            "title",
            "slug",
            "depth",
            "first_published_at",
            "last_published_at",
            "live",
            "show_in_menus",
            "owner",
            "has_unpublished_changes",
            "width",
            "height",
            "collection",
            "tags",
            "created_at",
        ]
    ),
    raw,
    st.text(min_size=1, max_size=8).map(percent),
)


def queries(known: list[str]):
    """Up to three parameters, half of them ones the endpoint knows, with hostile values."""
    named = st.one_of(st.sampled_from(known), names) if known else names
    return st.lists(st.tuples(named, values), max_size=3).map(
        lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
    )


keys = st.one_of(
    numbers.map(percent),
    words.filter(bool).map(percent),
    raw,
    st.text(min_size=1, max_size=30).filter(lambda text: "/" not in text).map(percent),
    st.sampled_from(["." * 300, "x" * 300]),
)

body_fields = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        [
            "email",
            "token",
            "reason",
            "content_types",
            "communities",
            "resident_categories",
            "locale",
            "frequency",
            "quiet_hours",
            "web_push",
            "client_version",
            "cursor",
        ],
        json_values,
    ),
)
bodies = st.one_of(
    st.none(),
    body_fields.map(json.dumps),
    json_values.map(json.dumps),
    st.integers(1, 6000).map(lambda depth: "[" * depth),
    st.integers(1, 3000).map(lambda depth: '{"a":' * depth),
    st.binary(max_size=60),
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-16",
        "application/json; charset=bogus",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=x",
        "",
        "application/json" + "; x=y" * 40,
    ]
)
accepts = st.sampled_from(
    [
        None,
        "*/*",
        "application/json",
        "text/html",
        "application/xml",
        "garbage",
        ";;;",
        "application/json; q=0",
        "text/html, application/json;q=0.1",
        "*/*; q=abc",
        "application/vnd.oai.openapi+json",
    ]
)
languages = st.sampled_from([None, "en", "zh-hant", "xx", "", "*;q=abc", "en-GB,en;q=0.8", "\x00"])
matches = st.sampled_from([None, '"abc"', "*", "W/", 'W/"x", "y"', "\x7f"])
writes = st.sampled_from(["POST", "PATCH", "PUT", "DELETE"])
any_method = st.sampled_from(["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS", "TRACE"])
