"""The public subscription API: clear errors, no account, a hashed manage token, nothing revealed."""

import re

from django.core import mail

from wagtail.models import Locale

import pytest
from freezegun import freeze_time

from search.chinese import to_traditional
from subscriptions import operations
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
    settings.LINLI_PUSH_INTERNAL_HOSTS = []
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
    # One mailbox, one pending confirmation: the second sign-up sends no second link.
    assert len(mail.outbox) == 1


def test_manage_token_is_stored_hashed_and_reads_changes_deletes(tree, client):
    created = create(client, email="zhao@example.org").json()
    token = created["manage_token"]
    assert len(token) >= 22  # ≥ 128 bits, URL-safe
    # In the fragment, which browsers never send: no access log ever holds it.
    assert created["manage_url"] == f"/subscriptions/manage/#token={token}"
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


def test_one_mailbox_however_spelt_has_one_sign_up_budget(tree, client, settings):
    settings.LINLI_SUBSCRIBE_RATE_ADDRESS = 3
    spellings = [
        "li.ming@example.org",
        "Li.Ming+news@Example.ORG",
        '"li.ming"@example.org',
        "LI.MING+x@example.org",
    ]
    assert [create(client, email=email).status_code for email in spellings] == [201, 201, 201, 429]


def _confirm_path(message) -> str:
    return re.search(r"/subscriptions/confirm/\S+/", message.body).group(0)


def test_one_mailbox_has_one_pending_confirmation_sent_again_at_most_hourly(
    tree, client, settings, django_capture_on_commit_callbacks
):
    settings.LINLI_SUBSCRIBE_RATE_ADDRESS = 0
    with freeze_time("2026-11-23 10:05:00+08:00"), django_capture_on_commit_callbacks(execute=True):
        first = create(client, email="Li.Ming@example.org").json()["manage_token"]
        for email in ("li.ming+news@example.org", '"li.ming"@EXAMPLE.org', "li.ming@example.org"):
            assert create(client, email=email).status_code == 201
    assert [m.to for m in mail.outbox] == [["Li.Ming@example.org"]]

    with freeze_time("2026-11-23 11:00:00+08:00"), django_capture_on_commit_callbacks(execute=True):
        create(client, email="li.ming+again@example.org")
    assert len(mail.outbox) == 1  # 55 minutes later: still nothing new

    with freeze_time("2026-11-23 11:06:00+08:00"), django_capture_on_commit_callbacks(execute=True):
        create(client, email="li.ming+again@example.org")
    # An hour on, the pending link again, to the address it was made for.
    assert [m.to for m in mail.outbox] == [["Li.Ming@example.org"]] * 2
    with freeze_time("2026-11-23 11:07:00+08:00"):
        assert client.post(_confirm_path(mail.outbox[1])).status_code == 200
        assert client.get(URL + "self/", **bearer(first)).json()["subscription"]["email_confirmed"]


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
    Subscription.objects.filter(addresses__address="old@example.org").update(
        created_at=timezone.now() - timedelta(days=8)
    )
    Subscription.objects.filter(addresses__address="new@example.org").update(
        created_at=timezone.now() - timedelta(days=6)
    )
    call_command("subscriptions_prune", verbosity=0)
    kept = Subscription.objects.values_list("addresses__address", flat=True)
    assert list(kept) == ["new@example.org"]


def test_options_reject_an_unknown_locale(client, db):
    response = client.get(URL + "options/?locale=fr")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "locale"


@pytest.mark.parametrize(
    ("locale", "prefix"), [("zh-hans", ""), ("zh-hant", "/zh-hant"), ("en", "/en")]
)
def test_the_manage_and_confirmation_links_open_in_the_subscribers_locale(
    tree, client, django_capture_on_commit_callbacks, locale, prefix
):
    with django_capture_on_commit_callbacks(execute=True):
        created = create(client, email="lin@example.org", locale=locale).json()

    token = created["manage_token"]
    assert created["manage_url"] == f"{prefix}/subscriptions/manage/#token={token}"
    page = client.get(created["manage_url"])
    assert page.status_code == 200
    assert f'<html lang="{locale}">' in page.content.decode()
    assert token not in page.content.decode()
    [confirmation] = mail.outbox
    assert re.search(rf"http://testserver{prefix}/subscriptions/confirm/\S+/", confirmation.body)


def _translate(page, language_code, title, *, publish=True):
    locale, _created = Locale.objects.get_or_create(language_code=language_code)
    translation = page.copy_for_translation(locale, copy_parents=True)  # a draft
    translation.title = title
    revision = translation.save_revision()
    if publish:
        revision.publish()


def test_options_name_communities_in_the_asked_locale_else_from_simplified_chinese(tree, client):
    _translate(tree.a.page, "en", "Dongyuan Community")
    # Only live translations are shown, as in /api/v1/communities/.
    _translate(tree.b.page, "zh-hant", "西里社區", publish=False)

    def names(locale):
        communities = client.get(URL + "options/", {"locale": locale}).json()["communities"]
        return {row["code"]: row["name"] for row in communities}

    assert names("en") == {"dongyuan": "Dongyuan Community", "xili": "西里社区"}
    # Untranslated names are converted to traditional script, as items are.
    assert names("zh-hant") == {
        "dongyuan": to_traditional("东园社区"),
        "xili": to_traditional("西里社区"),
    }
    assert names("zh-hant")["dongyuan"].startswith("東園")
    assert names("zh-hans") == {"dongyuan": "东园社区", "xili": "西里社区"}


@pytest.mark.parametrize(
    ("accept", "locale", "message"),
    [
        (None, "zh-hans", "确认链接无效或已过期（7 天）。"),
        ("zh-TW,zh;q=0.9", "zh-hant", "確認連結無效或已過期（7 天）。"),
        ("en-GB,en;q=0.8", "en", "This confirmation link is invalid or expired (it lasts 7 days)."),
    ],
)
def test_token_errors_follow_the_requests_language(client, db, accept, locale, message):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.post(
        URL + "confirm/", {"token": "forged"}, content_type="application/json", **headers
    )

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_token",
        "field": "token",
        "message": message,
    }
    assert response["Content-Language"] == locale


@pytest.mark.parametrize(
    ("accept", "unknown_token", "no_token"),
    [
        ("zh-CN", "管理令牌无效，或这项订阅已删除。", "请用 Authorization: Bearer"),
        ("zh-HK", "管理令牌無效，或這項訂閱已刪除。", "請用 Authorization: Bearer"),
        ("en", "This manage token is unknown, or its subscription was deleted.", "Send the"),
    ],
)
def test_manage_token_errors_follow_the_requests_language(
    client, db, accept, unknown_token, no_token
):
    wrong = client.get(URL + "self/", HTTP_ACCEPT_LANGUAGE=accept, **bearer("wrong"))
    missing = client.get(URL + "self/", HTTP_ACCEPT_LANGUAGE=accept)

    assert wrong.status_code == missing.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_token"
    assert wrong.json()["error"]["message"] == unknown_token
    assert missing.json()["error"]["code"] == "not_authenticated"
    assert missing.json()["error"]["message"].startswith(no_token)


@pytest.mark.parametrize(
    ("accept", "required", "unknown_category", "no_channel"),
    [
        ("zh-hans", "必需字段", "未知的人群类别：wizards", "请填写手机号码或电子邮箱"),
        ("zh-hant", "必要欄位", "未知的人群類別：wizards", "請填寫手機號碼或電子郵箱"),
        (
            "en",
            "This field is required.",
            "Unknown resident categories: wizards",
            "Give a mobile number",
        ),
    ],
)
def test_validation_errors_follow_the_requests_language(
    tree, client, accept, required, unknown_category, no_channel
):
    def error(**data):
        response = client.post(
            URL, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE=accept
        )
        assert response.status_code == 400
        return response.json()["error"]

    assert error(email="a@example.org")["message"] == required
    category = error(
        email="a@example.org", content_types=["notice"], resident_categories=["wizards"]
    )
    assert category["message"] == unknown_category
    assert error(content_types=["notice"])["message"].startswith(no_channel)
    assert not Subscription.objects.exists()


def test_rate_limit_errors_follow_the_requests_language(tree, client, settings):
    settings.LINLI_SUBSCRIBE_RATE_IP = 1
    create(client, email="a@example.org")
    response = client.post(
        URL,
        {"email": "b@example.org", "content_types": ["notice"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert response.json()["error"]["message"] == "Too many requests; please try again in an hour."


def test_options_parameter_errors_follow_the_requests_language(client, db):
    unknown = client.get(URL + "options/?lang=en", HTTP_ACCEPT_LANGUAGE="zh-hant")
    bad_locale = client.get(URL + "options/?locale=fr", HTTP_ACCEPT_LANGUAGE="en")

    assert unknown.json()["error"] == {
        "code": "unknown_parameter",
        "field": "lang",
        "message": "未知的查詢參數「lang」。可用：locale。",
    }
    assert bad_locale.json()["error"] == {
        "code": "invalid_choice",
        "field": "locale",
        "message": "'locale' has no such value. Known: en, zh-hans, zh-hant.",
    }


def test_a_manage_link_from_before_leads_to_the_page_with_the_token_in_the_fragment(tree, client):
    _subscription, token = operations.subscription_create(
        data={"email": "old@example.org", "resident_categories": ["elderly"], "locale": "en"}
    )

    response = client.get(f"/en/subscriptions/manage/{token}/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/subscriptions/manage/#token={token}"
    assert response["Cache-Control"] == "no-store"
