"""Hostile input found by hand: each is a 400 (or 404, 413) in the one JSON error shape, never a 500."""

import base64
import json
from datetime import timedelta

from django.utils import timezone

import pytest

from core.testing import published
from kiosks.operations import kiosk_create
from notices.factories import NoticePageFactory
from subscriptions.operations import subscription_create


def cursor_of(payload) -> str:
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def assert_error(response, *, status: int, code: str, field: str | None) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]


LISTS = [
    ("/api/v1/services/", "title"),
    ("/api/v1/services/", "-last_published_at"),
    ("/api/v1/notices/", "-valid_from"),
    ("/api/v1/notices/", "valid_until"),
    ("/api/v1/events/", "starts_at"),
    ("/api/v1/events/", "-starts_at"),
]

WRONG_KEYS = [
    [None, 1e30],
    [None, 10**30],
    ["2026-12-01T08:00:00+08:00", 10**30],
    ["2026-12-01T08:00:00+08:00", -(10**30)],
    ["2026-12-01T08:00:00+08:00", True],
    [1e30, 1],
    [12, 1],
    [[1], 1],
    [{"a": 1}, 1],
    [True, 1],
    ["\ud800", 1],
    ["a\x00", 1],
]


# Wrong only where the ordering is by a date (a title may read like anything).
WRONG_DATES = [["2026-99-01T00:00:00", 1], ["yesterday", 1]]


@pytest.mark.parametrize(("url", "ordering"), LISTS)
def test_a_cursor_of_the_wrong_types_is_refused(tree, client, url, ordering):
    for key in WRONG_KEYS + ([] if ordering == "title" else WRONG_DATES):
        cursor = cursor_of({"o": ordering, "k": key})

        response = client.get(url, {"ordering": ordering, "cursor": cursor})

        assert_error(response, status=400, code="invalid_cursor", field="cursor")


def test_a_feed_cursor_of_the_wrong_types_is_refused(tree, client):
    for payload in [
        {"m": "s", "h": 0, "a": 10**30},
        {"m": "s", "h": 0, "a": -(10**30)},
        {"m": "d", "c": 1.5},
        {"m": "d", "c": True},
        {"m": "s\ud800", "c": 1},
    ]:
        response = client.get("/api/v1/feed/", {"cursor": cursor_of(payload)})

        assert_error(response, status=400, code="invalid_cursor", field="cursor")


def test_a_cursor_nested_past_any_sense_is_refused(tree, client):
    cursor = base64.urlsafe_b64encode(b"[" * 5000).decode()

    response = client.get("/api/v1/services/", {"cursor": cursor})

    assert_error(response, status=400, code="invalid_cursor", field="cursor")


def test_notices_without_an_end_page_through_by_expiry(tree, client):
    now = timezone.now()
    for number in range(3):
        published(
            NoticePageFactory,
            parent=tree.a.notices,
            title=f"有期{number}",
            valid_until=now + timedelta(days=number + 1),
        )
    for number in range(4):
        published(NoticePageFactory, parent=tree.a.notices, title=f"长期{number}", valid_until=None)

    seen, cursor = [], None
    while True:
        query = {"ordering": "valid_until", "limit": 2, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/notices/", query)
        assert response.status_code == 200, response.content[:300]
        seen += [item["title"] for item in response.json()["results"]]
        cursor = response.json()["next"]
        if not cursor:
            break

    assert sorted(seen) == sorted([f"有期{n}" for n in range(3)] + [f"长期{n}" for n in range(4)])
    dated = [title for title in seen if title.startswith("有期")]
    assert dated == ["有期0", "有期1", "有期2"]


@pytest.fixture
def json_writes(db):
    """Every JSON POST and PATCH, with the token each needs to reach its body."""
    kiosk_token = kiosk_create(name="大厅 1 号机")[1]
    manage_token = subscription_create(
        data={"email": "resident@example.org", "content_types": ["notice"]}
    )[1]
    return [
        ("post", "/api/v1/subscriptions/", {}),
        ("post", "/api/v1/subscriptions/confirm/", {}),
        ("post", "/api/v1/subscriptions/unsubscribe/", {}),
        ("patch", "/api/v1/subscriptions/self/", {"HTTP_AUTHORIZATION": f"Bearer {manage_token}"}),
        ("post", "/api/v1/kiosk/heartbeat/", {"HTTP_AUTHORIZATION": f"Bearer {kiosk_token}"}),
    ]


def test_a_body_nested_thousands_deep_is_a_400(json_writes, client):
    for method, url, headers in json_writes:
        response = client.generic(
            method.upper(), url, "[" * 5000, content_type="application/json", **headers
        )

        assert_error(response, status=400, code="malformed_request", field=None)


@pytest.mark.parametrize("text", ["\\ud800", "\\udfff", "\\u0000"])
def test_text_no_database_takes_is_a_400_naming_the_field(json_writes, client, text):
    for method, url, headers in json_writes:
        for field in ("email", "token", "client_version"):
            body = f'{{"{field}": "a{text}@example.org", "content_types": ["notice"]}}'
            response = client.generic(
                method.upper(), url, body, content_type="application/json", **headers
            )

            assert_error(response, status=400, code="invalid_text", field=field)


def test_a_lone_surrogate_in_a_nested_field_names_the_top_field(client, db):
    body = '{"web_push": {"endpoint": "https://push.example.org/x", "keys": {"auth": "\\ud800"}}}'

    response = client.post("/api/v1/subscriptions/", body, content_type="application/json")

    assert_error(response, status=400, code="invalid_text", field="web_push")


def test_a_body_over_the_size_limit_is_a_413(client, db):
    body = json.dumps({"email": "a" * 3_000_000 + "@example.org"})

    response = client.post("/api/v1/subscriptions/", body, content_type="application/json")

    assert_error(response, status=413, code="too_large", field=None)


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_wagtail_api_offsets_past_any_database_number_are_a_400(tree, client, endpoint):
    url = f"/api/wagtail/v2/{endpoint}/"

    response = client.get(url, {"offset": "99999999999999999999"})

    assert_error(response, status=400, code="invalid_number", field="offset")
    assert client.get(url, {"offset": str(2**63 - 1)}).status_code == 200


def test_wagtail_api_finds_only_by_a_number(tree, client):
    response = client.get("/api/wagtail/v2/pages/find/", {"id": "abc"})

    assert_error(response, status=400, code="invalid_number", field="id")


def test_wagtail_api_errors_are_in_the_one_shape(tree, client):
    assert_error(
        client.get("/api/wagtail/v2/pages/", {"colour": "red"}),
        status=400,
        code="invalid_parameter",
        field=None,
    )
    assert_error(
        client.get("/api/wagtail/v2/pages/99999999999999999999/"),
        status=404,
        code="not_found",
        field=None,
    )


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing/", "/api/nothing/", "/api/wagtail/v2/nothing/", "/api/v1/services/a/b/"],
)
def test_an_unknown_path_under_api_is_a_json_404(db, client, path):
    response = client.get(path)

    assert_error(response, status=404, code="not_found", field=None)


@pytest.mark.parametrize("path", ["/api/v1/services/", "/api/v1/schema/", "/api/wagtail/v2/pages/"])
def test_an_unknown_format_is_a_400_naming_it(tree, client, path):
    response = client.get(path, {"format": "xml"})

    assert_error(response, status=400, code="invalid_choice", field="format")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/services/", "/api/v1/subscriptions/options/", "/api/wagtail/v2/pages/"],
)
def test_asking_for_html_is_a_json_406(tree, client, path):
    response = client.get(path, HTTP_ACCEPT="text/html")

    assert_error(response, status=406, code="not_acceptable", field=None)


def test_a_server_fault_under_api_is_a_json_500(db, client, settings):
    settings.ROOT_URLCONF = "api.tests.urls_failing"
    client.raise_request_exception = False

    response = client.get("/api/v1/fails/")

    assert_error(response, status=500, code="server_error", field=None)


@pytest.mark.parametrize(
    ("path", "query", "status", "code", "field"),
    [
        ("/api/v1/services/a%00b/", {}, 404, "not_found", None),
        ("/api/v1/search/", {"q": "a\x00b"}, 400, "invalid_text", "q"),
        ("/api/v1/subscriptions/options/", {"locale": "a\x00"}, 400, "invalid_text", "locale"),
        ("/api/wagtail/v2/pages/", {"locale": "a\x00"}, 400, "invalid_text", "locale"),
        (
            "/api/wagtail/v2/pages/",
            {"search": "x", "search_operator": "x"},
            400,
            "invalid_choice",
            "search_operator",
        ),
        ("/api/wagtail/v2/pages/", {"first_published_at": "abc"}, 400, "invalid_parameter", None),
    ],
)
def test_text_and_values_a_database_refuses_are_client_errors(
    tree, client, path, query, status, code, field
):
    response = client.get(path, query)

    assert_error(response, status=status, code=code, field=field)
