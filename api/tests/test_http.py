"""Validators, caching and limits: small answers for slow links, fresh answers after a publish."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core.testing import published
from kiosks.operations import kiosk_create, kiosk_revoke
from search.models import SearchTerm
from services.factories import ServicePageFactory


def test_an_unchanged_list_costs_a_304(tree, client):
    published(ServicePageFactory, parent=tree.a.services)
    first = client.get("/api/v1/services/")

    again = client.get("/api/v1/services/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "max-age=" in first["Cache-Control"]
    assert again.status_code == 304
    assert again.content == b""


def test_a_publish_is_visible_at_once_despite_the_server_cache(tree, client):
    page = published(ServicePageFactory, parent=tree.a.services, title="旧标题")
    before = client.get("/api/v1/services/")

    page.title = "新标题"
    page.save_revision().publish()
    after = client.get("/api/v1/services/", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert [item["title"] for item in after.json()["results"]] == ["新标题"]


def test_too_many_requests_get_a_429_with_retry_after(tree, client, settings, monkeypatch):
    settings.LINLI_API_ANON_RATE = 3
    # All requests fall in one one-minute window, even if the test straddles a minute.
    monkeypatch.setattr("core.http.time.time", lambda: 1_800_000_030.0)

    codes = [client.get("/api/v1/services/").status_code for _ in range(5)]

    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    response = client.get("/api/v1/services/")
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) <= 60


def test_a_configured_web_app_may_call_the_api_from_the_browser(tree, client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.gov.cn"]
    published(ServicePageFactory, parent=tree.a.services)

    allowed = client.get("/api/v1/services/", HTTP_ORIGIN="https://app.example.gov.cn")
    other = client.get("/api/v1/services/", HTTP_ORIGIN="https://elsewhere.example.com")
    preflight = client.options(
        "/api/v1/kiosk/heartbeat/",
        HTTP_ORIGIN="https://app.example.gov.cn",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.gov.cn"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in other
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]


# Search speaks the same dialect: strict parameters, the server cache, validators, the budget.

SEARCH = "/api/v1/search/"


def searches_run(queries) -> int:
    """How many of the captured queries read the search index's postings."""
    table = SearchTerm._meta.db_table
    return sum(table in query["sql"] for query in queries)


@pytest.mark.parametrize("url", [SEARCH, "/api/v1/search/suggest/"])
def test_an_unknown_search_parameter_is_a_400_naming_it(db, client, url):
    response = client.get(url, {"bogus": "1"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_parameter"
    assert response.json()["error"]["field"] == "bogus"
    assert response.json()["error"]["message"]


def test_an_unchanged_search_costs_a_304(tree, client):
    published(ServicePageFactory, parent=tree.a.services, title="居家养老服务站")
    first = client.get(SEARCH, {"q": "养老"})

    again = client.get(SEARCH, {"q": "养老"}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60"
    assert [r["title"] for r in first.json()["results"]] == ["居家养老服务站"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_repeated_search_is_answered_from_the_cache(tree, client):
    published(ServicePageFactory, parent=tree.a.services, title="居家养老服务站")

    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(SEARCH, {"q": "养老", "limit": "5"})
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(SEARCH, {"q": "养老", "limit": "5"})
    with CaptureQueriesContext(connection) as other_queries:
        client.get(SEARCH, {"q": "养老", "limit": "6"})

    assert searches_run(first_queries) > 0
    assert searches_run(second_queries) == 0
    assert second.content == first.content
    # Every parameter is part of the key: another limit is another search.
    assert searches_run(other_queries) > 0


def test_a_publish_shows_in_search_at_once_despite_the_server_cache(tree, client):
    page = published(ServicePageFactory, parent=tree.a.services, title="居家养老服务站")
    before = client.get(SEARCH, {"q": "养老"})

    page.title = "养老助餐点"
    page.save_revision().publish()
    after = client.get(SEARCH, {"q": "养老"}, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert [r["title"] for r in after.json()["results"]] == ["养老助餐点"]


@pytest.mark.parametrize("url", [SEARCH, "/api/v1/search/suggest/"])
def test_too_many_searches_get_a_429_with_retry_after(db, client, settings, monkeypatch, url):
    settings.LINLI_API_ANON_RATE = 2
    monkeypatch.setattr("core.http.time.time", lambda: 1_800_000_030.0)

    codes = [client.get(url, {"q": f"养老{n}"}).status_code for n in range(4)]

    assert codes == [200, 200, 429, 429]
    response = client.get(url, {"q": "养老"})
    assert response.json()["error"]["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_weakened_etag_still_earns_a_304(tree, client):
    # Proxies that compress answers mark the tag weak; the client sends it back so.
    published(ServicePageFactory, parent=tree.a.services)
    first = client.get("/api/v1/services/")

    again = client.get("/api/v1/services/", HTTP_IF_NONE_MATCH="W/" + first["ETag"])

    assert again.status_code == 304


# The kiosk's screen is checked for its token before the cache is read.


def test_a_cached_kiosk_screen_is_never_served_without_a_token(tree, client):
    _kiosk, token = kiosk_create(name="东园机", community=tree.a.page.code)
    screen = client.get("/api/v1/kiosk/screen/", HTTP_AUTHORIZATION=f"Bearer {token}")

    anonymous = client.get("/api/v1/kiosk/screen/")
    revalidating = client.get("/api/v1/kiosk/screen/", HTTP_IF_NONE_MATCH=screen["ETag"])
    wrong = client.get("/api/v1/kiosk/screen/", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert screen.status_code == 200
    assert [anonymous.status_code, revalidating.status_code, wrong.status_code] == [401] * 3
    assert anonymous.json()["error"]["code"] == "not_authenticated"


def test_a_cached_kiosk_screen_is_only_ever_its_own_kiosks(tree, client):
    # Kiosk A's screen sits in the server cache; then come a caller without a
    # token, kiosk A once revoked, and kiosk B: none of them gets A's answer.
    kiosk_a, token_a = kiosk_create(name="东园机", community=tree.a.page.code)
    _b, token_b = kiosk_create(name="西里机", community=tree.b.page.code)
    as_a = {"HTTP_AUTHORIZATION": f"Bearer {token_a}"}
    first = client.get("/api/v1/kiosk/screen/", **as_a)
    assert first.status_code == 200
    assert client.get("/api/v1/kiosk/screen/", **as_a).content == first.content

    nobody = client.get("/api/v1/kiosk/screen/")
    other = client.get("/api/v1/kiosk/screen/", HTTP_AUTHORIZATION=f"Bearer {token_b}")
    other_revalidating = client.get(
        "/api/v1/kiosk/screen/",
        HTTP_AUTHORIZATION=f"Bearer {token_b}",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    kiosk_revoke(kiosk=kiosk_a)
    revoked = client.get("/api/v1/kiosk/screen/", **as_a)
    revoked_revalidating = client.get(
        "/api/v1/kiosk/screen/", HTTP_IF_NONE_MATCH=first["ETag"], **as_a
    )

    assert [nobody.status_code, revoked.status_code, revoked_revalidating.status_code] == [401] * 3
    assert "东园机" not in nobody.content.decode() + revoked.content.decode()
    assert other.status_code == 200 and other_revalidating.status_code == 200
    assert other.json()["kiosk"] == {
        "name": "西里机",
        "community": tree.b.page.code,
        "locale": "zh-hans",
    }
    assert other["ETag"] != first["ETag"]


def test_a_kiosks_cached_screen_is_kept_per_locale_and_query(tree, client):
    _kiosk, token = kiosk_create(name="东园机", community=tree.a.page.code)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    chinese = client.get("/api/v1/kiosk/screen/", **bearer)

    english = client.get("/api/v1/kiosk/screen/", {"locale": "en"}, **bearer)
    unknown = client.get("/api/v1/kiosk/screen/", {"bogus": "1"}, **bearer)

    def elderly(answer) -> str:
        rows = answer.json()["resident_categories"]
        return next(row["name"] for row in rows if row["code"] == "elderly")

    assert elderly(english) != elderly(chinese)
    assert english["ETag"] != chinese["ETag"]
    assert unknown.status_code == 400
    assert english["Cache-Control"].startswith("private")


def test_each_kiosk_gets_its_own_screen_and_no_shared_cache_keeps_it(tree, client):
    _a, token_a = kiosk_create(name="东园机", community=tree.a.page.code)
    _b, token_b = kiosk_create(name="西里机", community=tree.b.page.code)

    screen_a = client.get("/api/v1/kiosk/screen/", HTTP_AUTHORIZATION=f"Bearer {token_a}")
    screen_b = client.get("/api/v1/kiosk/screen/", HTTP_AUTHORIZATION=f"Bearer {token_b}")

    assert screen_a.json()["kiosk"]["name"] == "东园机"
    assert screen_b.json()["kiosk"]["name"] == "西里机"
    assert screen_b.json()["kiosk"]["community"] == tree.b.page.code
    assert screen_a["Cache-Control"].startswith("private")
    assert "Authorization" in screen_a["Vary"]
