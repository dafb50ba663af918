"""The contract as a strict client reads it: answers validated by openapi-core against the served schema.

Schemathesis generates requests and checks the answers loosely (it reads
`nullable` as JSON Schema would); openapi-core reads OpenAPI 3.0 to the
letter, as generated clients do. Both the committed representative answers
and a sample of live ones on the demo street are checked: every item type in
every locale, the directory, the change feed, search, the kiosk's screen and
heartbeat, subscriptions, and errors.
"""

import json

from django.http import HttpResponse
from django.test import RequestFactory

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from api.tests.test_responses import EXAMPLES, RESPONSES
from kiosks.operations import kiosk_create

LOCALES = ["zh-hans", "zh-hant", "en"]
# What the committed answers hold in place of ids and times, filled back in to be validated.
PLACEHOLDERS = {"<id>": 1, "<next>": "eyJvIjoidGl0bGUifQ"}
A_TIME = "2026-12-01T08:00:00+08:00"


@pytest.fixture
def served(client, db) -> dict:
    """The schema the hub serves."""
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def contract(served) -> OpenAPI:
    """The served schema, as openapi-core reads it."""
    return OpenAPI.from_dict(served)


def violations(contract: OpenAPI, response) -> list[str]:
    """What openapi-core finds wrong with one answer, as readable lines."""
    request = response.wsgi_request
    try:
        contract.validate_response(DjangoOpenAPIRequest(request), DjangoOpenAPIResponse(response))
    except Exception as error:  # noqa: BLE001 - every kind of violation is reported the same way
        causes = getattr(error, "__cause__", None)
        detail = "; ".join(str(cause)[:300] for cause in getattr(causes, "schema_errors", []))
        return [
            f"{request.method} {request.get_full_path()} {response.status_code}: {error} {detail}"
        ]
    return []


def filled(value, key=None):
    """A committed answer with its placeholders replaced by values of the documented types."""
    if isinstance(value, dict):
        return {name: filled(entry, name) for name, entry in value.items()}
    if isinstance(value, list):
        return [filled(entry, key) for entry in value]
    if value in PLACEHOLDERS:
        return PLACEHOLDERS[value]
    if isinstance(value, str) and value == f"<{key}>":
        return A_TIME
    return value


@pytest.mark.parametrize(("name", "url", "query"), EXAMPLES)
def test_every_committed_answer_is_valid_to_a_strict_client(contract, name, url, query):
    body = filled(json.loads((RESPONSES / f"{name}.json").read_text(encoding="utf-8")))
    request = RequestFactory().get(url, query)
    response = HttpResponse(json.dumps(body), content_type="application/json")
    response.wsgi_request = request

    assert violations(contract, response) == []


def live_answers(client) -> list:
    """A sample of what the demo street serves, successes and errors."""
    kiosk_token = kiosk_create(name="大厅 1 号机")[1]
    kiosk = {"HTTP_AUTHORIZATION": f"Bearer {kiosk_token}"}
    answers = []

    def get(url, query=None, **headers):
        answers.append(client.get(url, query or {}, **headers))
        return answers[-1]

    for locale in LOCALES:
        for plural in ("services", "notices", "events"):
            listed = get(f"/api/v1/{plural}/", {"locale": locale, "limit": 5}).json()
            for item in listed["results"][:3]:
                get(f"/api/v1/{plural}/{item['id']}/", {"locale": locale})
            if listed["next"]:
                get(f"/api/v1/{plural}/", {"locale": locale, "cursor": listed["next"]})
        for directory in (
            "resident-categories",
            "service-categories",
            "communities",
            "organisations",
            "service-points",
        ):
            get(f"/api/v1/{directory}/", {"locale": locale})
        feed = get("/api/v1/feed/", {"locale": locale, "limit": 20}).json()
        get("/api/v1/feed/", {"locale": locale, "cursor": feed["next"]})
        get("/api/v1/search/", {"q": "养老", "locale": locale})
        get("/api/v1/search/suggest/", {"q": "yl", "locale": locale})
        get("/api/v1/kiosk/screen/", {"locale": locale}, **kiosk)
        get("/api/v1/subscriptions/options/", {"locale": locale})
    answers.append(
        client.post(
            "/api/v1/kiosk/heartbeat/",
            {"client_version": "1.2.0"},
            content_type="application/json",
            **kiosk,
        )
    )
    created = client.post(
        "/api/v1/subscriptions/",
        {"email": "contract@example.org", "content_types": ["notice"]},
        content_type="application/json",
    )
    answers.append(created)
    get(
        "/api/v1/subscriptions/self/",
        HTTP_AUTHORIZATION=f"Bearer {created.json()['manage_token']}",
    )
    # Errors, in the one shape with a documented code.
    get("/api/v1/services/", {"limit": "0"})
    get("/api/v1/notices/no-such-notice/")
    get("/api/v1/kiosk/screen/")
    get("/api/v1/feed/", {"cursor": "not-a-cursor"})
    return answers


def test_live_answers_are_valid_to_a_strict_client(demo_content, db, client, contract, settings):
    settings.LINLI_API_ANON_RATE = 0
    answers = live_answers(client)

    assert len(answers) > 80
    assert {answer.status_code for answer in answers} >= {200, 201, 400, 401, 404}
    found = [line for answer in answers for line in violations(contract, answer)]
    assert found == [], f"{len(found)} of {len(answers)} answers break the contract:\n" + "\n".join(
        found[:20]
    )


def test_the_schema_downloads_under_a_plain_name(client, db):
    response = client.get("/api/v1/schema/")

    assert response["Content-Disposition"] == 'inline; filename="linli-api-v1.yaml"'


def test_kiosk_endpoints_declare_the_kiosk_token(served):
    for path, method in (("/kiosk/screen/", "get"), ("/kiosk/heartbeat/", "post")):
        assert served["paths"][path][method]["security"] == [{"kioskToken": []}]


def test_the_heartbeat_says_when_to_try_again(client, db, settings, served, contract):
    settings.LINLI_API_KIOSK_RATE = 1
    headers = {"HTTP_AUTHORIZATION": f"Bearer {kiosk_create(name='大厅 2 号机')[1]}"}

    answers = [
        client.post("/api/v1/kiosk/heartbeat/", {}, content_type="application/json", **headers)
        for _ in range(2)
    ]

    assert [answer.status_code for answer in answers] == [200, 429]
    assert int(answers[1]["Retry-After"]) > 0
    assert violations(contract, answers[1]) == []
    limited = served["paths"]["/kiosk/heartbeat/"]["post"]["responses"]["429"]
    assert "Retry-After" in limited["headers"]


def loose_spots(node, where="") -> list[str]:
    """Places in a schema where a generated client gets no type: untyped objects, typeless nulls."""
    found = []
    if isinstance(node, dict):
        if node.get("additionalProperties") == {} or node.get("additionalProperties") is True:
            found.append(f"{where}: an object of anything")
        if node.get("nullable") is True and "type" not in node:
            found.append(f"{where}: nullable without a type, which OpenAPI 3.0 ignores")
        for key, value in node.items():
            found += loose_spots(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += loose_spots(value, f"{where}/{index}")
    return found


def test_every_answer_is_typed_to_the_leaves(served):
    components = served["components"]["schemas"]

    assert loose_spots(served) == []
    assert "enum" in components["ErrorBodyCodeEnum"]
    for choice in ("ServiceKind", "FeeMode", "Urgency", "EventType", "EventStatus"):
        assert "$ref" in components[choice]["properties"]["code"], choice
