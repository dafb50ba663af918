"""What every feed does over HTTP: validators, 304s, caching headers and JSON errors."""

import pytest

from events.factories import EventPageFactory
from feeds.tests.conftest import publish
from notices.factories import NoticePageFactory

FEEDS = [
    "/feeds/notices.atom",
    "/feeds/services.atom",
    "/feeds/events.atom",
    "/feeds/all.atom",
    "/feeds/categories/elderly.atom",
    "/feeds/events.ics",
]


@pytest.fixture
def content(tree):
    publish(NoticePageFactory(parent=tree.street.notices))
    return publish(EventPageFactory(parent=tree.a.events))


@pytest.mark.parametrize("url", [*FEEDS, "event"])
def test_if_none_match_with_the_current_etag_gets_304(content, client, url):
    url = f"/feeds/events/{content.pk}.ics" if url == "event" else url
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["Last-Modified"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=300"


def test_etag_changes_when_the_content_changes(content, client):
    first = client.get("/feeds/events.ics")

    content.title = "新标题"
    publish(content)
    again = client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_if_modified_since_the_last_modification_gets_304(content, client):
    first = client.get("/feeds/notices.atom")

    again = client.get("/feeds/notices.atom", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_etag_differs_between_locales(content, client):
    zh = client.get("/feeds/events.atom")
    en = client.get("/feeds/events.atom?locale=en")

    assert zh["ETag"] != en["ETag"]


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("locale=fr", "invalid_choice", "locale"),
        ("locale=", "invalid_choice", "locale"),
        ("community=atlantis", "invalid_choice", "community"),
        ("locale=en&locale=zh-hans", "repeated_parameter", "locale"),
        ("page=2", "unknown_parameter", "page"),
    ],
)
@pytest.mark.parametrize("url", FEEDS)
def test_bad_parameters_get_a_json_400_naming_the_field(db, client, url, query, code, field):
    response = client.get(f"{url}?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["field"] == field
    assert response.json()["error"]["message"]


def test_writing_to_a_feed_is_refused_with_405(tree, client):
    response = client.post("/feeds/events.ics")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_head_gets_the_headers_of_get(content, client):
    get = client.get("/feeds/events.ics")
    head = client.head("/feeds/events.ics")

    assert head.status_code == 200
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == "text/calendar; charset=utf-8"


def test_feeds_count_against_the_per_minute_budget(db, client, settings, monkeypatch):
    settings.LINLI_API_ANON_RATE = 2
    monkeypatch.setattr("core.http.time.time", lambda: 1_800_000_030.0)

    codes = [client.get("/feeds/notices.atom").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    limited = client.get("/feeds/events.ics")
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 0 < int(limited["Retry-After"]) <= 60
