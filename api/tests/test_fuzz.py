"""Hostile requests to every endpoint under /api/: never a server error, every error the one JSON shape.

Schemathesis (test_schemathesis.py) sends what the schema allows; this sends
what it does not: cursors and ids of every wrong type and size, offsets past
any database number, bodies nested thousands deep or holding text no
database takes, bytes that are no UTF-8, unknown formats and media types.
Endpoints come from the URL map, so a new one is covered without an edit.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.tests.hostile import (
    accepts,
    any_method,
    api_routes,
    bodies,
    content_types,
    keys,
    known_parameters,
    languages,
    matches,
    queries,
    writes,
)
from core.testing import published
from events.factories import EventPageFactory
from kiosks.operations import kiosk_create
from notices.factories import NoticePageFactory
from services.factories import ServicePageFactory
from subscriptions.operations import subscription_create

# About 20 s in all on a quiet machine, on SQLite or PostgreSQL.
QUERY_EXAMPLES = 600
BODY_EXAMPLES = 300
HEADER_EXAMPLES = 200
ERROR_CODE = re.compile(r"^[a-z][a-z_]*$")


@pytest.fixture
def hub(tree, settings):
    """A street with an item of each type, a kiosk and a subscription, and no rate limit to hide behind."""
    settings.LINLI_API_ANON_RATE = 0
    settings.LINLI_SUBSCRIBE_RATE_IP = 0
    settings.LINLI_SUBSCRIBE_RATE_ADDRESS = 0
    pages = [
        published(ServicePageFactory, parent=tree.a.services, title="助餐", slug="meals"),
        published(
            NoticePageFactory, parent=tree.a.notices, title="通知", slug="notice", valid_until=None
        ),
        published(EventPageFactory, parent=tree.a.events, title="活动", slug="event"),
    ]
    kiosk_token = kiosk_create(name="大厅 1 号机", community=tree.a.page.code)[1]
    manage_token = subscription_create(
        data={"email": "resident@example.org", "content_types": ["notice"]}
    )[1]
    return {"ids": [str(page.pk) for page in pages], "tokens": [kiosk_token, manage_token]}


def assert_json_error(method: str, url: str, response) -> None:
    assert response.status_code < 500, f"{method} {url}: {response.status_code}"
    if response.status_code < 400:
        return
    assert response["Content-Type"].startswith("application/json"), f"{method} {url}: not JSON"
    if method == "HEAD":  # the body is left out; the type still says what it would be
        return
    error = response.json()["error"]
    assert ERROR_CODE.match(error["code"]), error
    assert error["field"] is None or isinstance(error["field"], str), error
    assert isinstance(error["message"], str) and error["message"], error


def hypothesis_settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def send(client, method: str, url: str, body=None, content_type="application/json", **headers):
    data = body if isinstance(body, bytes) else (body or "").encode()
    environ = {name: value for name, value in headers.items() if value is not None}
    response = client.generic(method, url, data, content_type=content_type, **environ)
    assert_json_error(method, url, response)


@pytest.fixture
def routes(hub):
    found = api_routes()
    assert len(found) >= 30
    return found


def test_hostile_queries_and_ids(hub, routes, client):
    ids = st.one_of(st.sampled_from(hub["ids"]), keys)
    requests = st.one_of(
        *(st.tuples(st.just(route), queries(known_parameters(route))) for route in routes)
    )

    @given(request=requests, key=ids, head=st.booleans())
    @hypothesis_settings(QUERY_EXAMPLES)
    def answers_in_json(request, key, head):
        route, query = request
        url = route.replace("{key}", key) + (f"?{query}" if query else "")
        send(client, "HEAD" if head else "GET", url)

    answers_in_json()


def test_hostile_bodies(hub, routes, client):
    tokens = st.one_of(
        st.none(), st.sampled_from(hub["tokens"]).map(lambda token: f"Bearer {token}")
    )
    # Mostly the JSON endpoints, where a body is read; the others must refuse the method.
    targets = st.one_of(
        st.sampled_from(
            [route for route in routes if "/subscriptions/" in route or "/kiosk/" in route]
        ),
        st.sampled_from(routes),
    )

    @given(
        route=targets,
        key=st.sampled_from(hub["ids"]),
        method=writes,
        body=bodies,
        content_type=content_types,
        authorisation=tokens,
    )
    @hypothesis_settings(BODY_EXAMPLES)
    def answers_in_json(route, key, method, body, content_type, authorisation):
        url = route.replace("{key}", key)
        send(client, method, url, body, content_type, HTTP_AUTHORIZATION=authorisation)

    answers_in_json()


def test_hostile_methods_and_headers(hub, routes, client):
    authorisations = st.one_of(
        st.none(),
        st.sampled_from(hub["tokens"]).map(lambda token: f"Bearer {token}"),
        st.sampled_from(["Bearer ", "Bearer", "Basic YTpi", "Bearer \x7f", "bearer  x"]),
        st.text(max_size=20).map(lambda text: f"Bearer {text}".encode().decode("latin-1")),
    )

    @given(
        route=st.sampled_from(routes),
        key=st.sampled_from(hub["ids"]),
        method=any_method,
        accept=accepts,
        language=languages,
        match=matches,
        authorisation=authorisations,
    )
    @hypothesis_settings(HEADER_EXAMPLES)
    def answers_in_json(route, key, method, accept, language, match, authorisation):
        url = route.replace("{key}", key)
        send(
            client,
            method,
            url,
            HTTP_ACCEPT=accept,
            HTTP_ACCEPT_LANGUAGE=language,
            HTTP_IF_NONE_MATCH=match,
            HTTP_AUTHORIZATION=authorisation,
        )

    answers_in_json()
