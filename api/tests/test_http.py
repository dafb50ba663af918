"""Validators, caching and limits: small answers for slow links, fresh answers after a publish."""

from core.testing import published
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
    monkeypatch.setattr("api.http.time.time", lambda: 1_800_000_030.0)

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
