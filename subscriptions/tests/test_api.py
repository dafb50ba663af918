"""The public subscription API: clear errors, no account, a hashed manage token, nothing revealed."""

from django.core import mail

import pytest

from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db
URL = "/api/v1/subscriptions/"


def create(client, **data):
    body = {"resident_categories": ["elderly"], "content_types": ["notice"], **data}
    return client.post(URL, body, content_type="application/json")


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "a@example.org", "content_types": []}, "content_types"),
        ({"email": "a@example.org", "content_types": ["news"]}, "content_types"),
        ({"email": "a@example.org", "resident_categories": ["wizards"]}, "resident_categories"),
        ({"email": "a@example.org", "communities": ["atlantis"]}, "communities"),
        ({"email": "a@example.org", "locale": "fr"}, "locale"),
        (
            {"email": "a@example.org", "quiet_hours": {"start": "25:00", "end": "08:00"}},
            "quiet_hours",
        ),
        ({}, "email"),
        (
            {
                "web_push": {
                    "endpoint": "https://push.example.org/x",
                    "keys": {"p256dh": "abc", "auth": "def"},
                }
            },
            "web_push",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(tree, client, data, field):
    response = create(client, **data)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert response.json()["error"]["message"]
    assert not Subscription.objects.exists()


def test_a_nested_error_reads_as_a_sentence(tree, client):
    keys = {"p256dh": "abc", "auth": "A" * 22}
    response = create(client, web_push={"endpoint": "https://push.example.org/x", "keys": keys})
    assert response.json()["error"]["message"] == "不是有效的 P-256 公钥（p256dh）。"


def test_malformed_json_is_a_400_not_a_500(client, db):
    response = client.post(URL, "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"


def test_only_json_is_accepted(tree, client):
    response = client.post(URL, {"email": "a@example.org", "content_types": "notice"})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not Subscription.objects.exists()


def test_push_endpoints_must_be_public_https(tree, client, settings):
    settings.LINLI_PUSH_ALLOW_PRIVATE_ENDPOINTS = False
    keys = {"p256dh": "B" + "A" * 86, "auth": "A" * 22}
    response = create(client, web_push={"endpoint": "http://127.0.0.1:6379/", "keys": keys})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "web_push"


def test_the_answer_does_not_reveal_an_existing_subscription(
    tree, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = create(client, email="li@example.org")
        second = create(client, email="li@example.org")
    assert first.status_code == second.status_code == 201
    assert first.json().keys() == second.json().keys()
    assert (
        first.json()["subscription"]["email_confirmed"]
        is second.json()["subscription"]["email_confirmed"]
        is False
    )
    assert len(mail.outbox) == 2


def test_manage_token_is_stored_hashed_and_reads_changes_deletes(tree, client):
    created = create(client, email="zhao@example.org").json()
    token = created["manage_token"]
    assert len(token) >= 22  # ≥ 128 bits, URL-safe
    assert created["manage_url"] == f"/subscriptions/manage/{token}/"
    stored = Subscription.objects.get()
    assert token not in stored.token_hash

    assert client.get(URL + "self/").status_code == 401
    assert client.get(URL + "self/", **bearer("wrong")).status_code == 401
    read = client.get(URL + "self/", **bearer(token)).json()["subscription"]
    assert read["email"] == "zhao@example.org" and read["quiet_hours"] == {
        "start": "21:00",
        "end": "08:00",
    }

    changed = client.patch(
        URL + "self/",
        {"frequency": "weekly", "communities": ["xili"], "quiet_hours": None},
        content_type="application/json",
        **bearer(token),
    )
    assert changed.status_code == 200
    assert changed.json()["subscription"]["frequency"] == "weekly"
    assert changed.json()["subscription"]["quiet_hours"] is None
    bad = client.patch(
        URL + "self/", {"frequency": "hourly"}, content_type="application/json", **bearer(token)
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "frequency"

    export = client.get(URL + "self/export/", **bearer(token))
    assert export.json()["subscription"]["email"] == "zhao@example.org"
    assert "deliveries" in export.json()

    assert client.delete(URL + "self/", **bearer(token)).json() == {"deleted": True}
    assert not Subscription.objects.exists()
    assert client.get(URL + "self/", **bearer(token)).status_code == 401


def test_sign_ups_are_rate_limited_per_address(tree, client, settings):
    settings.LINLI_SUBSCRIBE_RATE_ADDRESS = 2
    assert create(client, email="ma@example.org").status_code == 201
    assert create(client, email="MA@example.org").status_code == 201
    third = create(client, email="ma@example.org")
    assert third.status_code == 429
    assert third.json()["error"]["field"] == "email"
    assert int(third["Retry-After"]) > 0


def test_sign_ups_are_rate_limited_per_client(tree, client, settings):
    settings.LINLI_SUBSCRIBE_RATE_IP = 3
    statuses = [create(client, email=f"u{n}@example.org").status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]


def test_options_list_categories_communities_and_the_vapid_key(tree, client, settings):
    data = client.get(URL + "options/?locale=en").json()
    elderly = next(c for c in data["resident_categories"] if c["code"] == "elderly")
    assert elderly["name"] == "Older people"
    assert {c["code"] for c in data["communities"]} == {"dongyuan", "xili"}
    assert data["vapid_public_key"] == settings.LINLI_VAPID_PUBLIC_KEY


def test_addresses_never_confirmed_are_forgotten_after_seven_days(tree, client):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    create(client, email="old@example.org")
    create(client, email="new@example.org")
    Subscription.objects.filter(email="old@example.org").update(
        created_at=timezone.now() - timedelta(days=8)
    )
    Subscription.objects.filter(email="new@example.org").update(
        created_at=timezone.now() - timedelta(days=6)
    )
    call_command("subscriptions_prune", verbosity=0)
    assert list(Subscription.objects.values_list("email", flat=True)) == ["new@example.org"]


def test_options_reject_an_unknown_locale(client, db):
    response = client.get(URL + "options/?locale=fr")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "locale"
