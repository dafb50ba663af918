"""Separate consent for sensitive topics (PIPL Art. 29), and messages that never say who one is."""

import json

from django.utils import translation

import pytest
from freezegun import freeze_time

from home.models import ResidentCategory
from notices.factories import NoticePageFactory
from subscriptions.consent import CONSENT_TEXTS, CONSENT_VERSION, TOPICS
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db
URL = "/api/v1/subscriptions/"


def create(client, **data):
    body = {"content_types": ["notice"], "email": "li@example.org", **data}
    return client.post(URL, body, content_type="application/json")


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_sensitive_topic_without_the_separate_consent_is_refused(tree, client):
    response = create(client, resident_categories=["elderly", "disability"])

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "consent_required"
    assert error["field"] == "sensitive_consent"
    assert "单独" in error["message"]
    assert not Subscription.objects.exists()


def test_consent_false_is_refused_like_none(tree, client):
    response = create(client, resident_categories=["low_income"], sensitive_consent=False)
    assert response.json()["error"]["code"] == "consent_required"


def test_entitled_groups_are_sensitive_too(tree, client):
    assert create(client, resident_categories=["entitled"]).status_code == 400


def test_ordinary_topics_need_no_consent_and_record_none(tree, client):
    response = create(client, resident_categories=["elderly"])
    assert response.status_code == 201
    assert response.json()["subscription"]["sensitive_consent"] is None
    assert Subscription.objects.get().sensitive_consent_at is None


@freeze_time("2026-12-07 10:00:00")
def test_the_time_and_version_of_the_consent_are_kept_and_shown(tree, client):
    response = create(client, resident_categories=["disability"], sensitive_consent=True)

    assert response.status_code == 201
    shown = response.json()["subscription"]["sensitive_consent"]
    assert shown["given_at"] == "2026-12-07T10:00:00+00:00"
    assert shown["version"] == CONSENT_VERSION
    assert shown["text"] == str(CONSENT_TEXTS[CONSENT_VERSION])
    assert shown["renew_by"] == "2027-12-07T10:00:00+00:00"
    row = Subscription.objects.get()
    assert row.sensitive_consent_version == CONSENT_VERSION
    assert row.resident_categories == ["disability"]


def test_the_export_carries_the_consent(tree, client):
    token = create(client, resident_categories=["low_income"], sensitive_consent=True).json()[
        "manage_token"
    ]
    export = client.get(f"{URL}self/export/", **bearer(token)).json()
    consent = export["subscription"]["sensitive_consent"]
    assert consent["version"] == CONSENT_VERSION
    assert consent["given_at"]
    assert "单独同意" in consent["text"]


def test_a_change_that_adds_a_sensitive_topic_needs_the_consent(tree, client):
    token = create(client, resident_categories=["elderly"]).json()["manage_token"]

    refused = client.patch(
        f"{URL}self/",
        {"resident_categories": ["elderly", "elderly_alone"]},
        content_type="application/json",
        **bearer(token),
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "consent_required"
    assert Subscription.objects.get().resident_categories == ["elderly"]

    accepted = client.patch(
        f"{URL}self/",
        {"resident_categories": ["elderly", "elderly_alone"], "sensitive_consent": True},
        content_type="application/json",
        **bearer(token),
    )
    assert accepted.status_code == 200
    assert accepted.json()["subscription"]["sensitive_consent"]["version"] == CONSENT_VERSION


def test_keeping_a_consented_topic_needs_no_new_tick_and_dropping_it_forgets_the_consent(
    tree, client
):
    token = create(client, resident_categories=["disability"], sensitive_consent=True).json()[
        "manage_token"
    ]
    kept = client.patch(
        f"{URL}self/",
        {"resident_categories": ["disability", "elderly"]},
        content_type="application/json",
        **bearer(token),
    )
    assert kept.status_code == 200
    assert kept.json()["subscription"]["sensitive_consent"] is not None

    dropped = client.patch(
        f"{URL}self/",
        {"resident_categories": ["elderly"]},
        content_type="application/json",
        **bearer(token),
    )
    assert dropped.json()["subscription"]["sensitive_consent"] is None
    row = Subscription.objects.get()
    assert (row.sensitive_consent_at, row.sensitive_consent_version) == (None, "")


def test_the_options_name_sensitive_categories_as_topics_and_carry_the_consent_text(tree, client):
    options = client.get(f"{URL}options/").json()
    names = {row["code"]: row["name"] for row in options["resident_categories"]}
    assert names["disability"] == "残疾人相关政策"
    assert names["low_income"] == "低收入家庭救助政策"
    assert names["elderly"] == "老年人"  # not sensitive: as it is
    assert options["sensitive_consent"]["version"] == CONSENT_VERSION

    english = client.get(f"{URL}options/", {"locale": "en"}).json()
    names = {row["code"]: row["name"] for row in english["resident_categories"]}
    assert names["disability"] == "Policies for people with disabilities"
    assert english["sensitive_consent"]["text"].startswith("I give my separate consent")


def test_the_subscribe_page_has_a_separate_consent_box_tied_to_sensitive_topics(tree, client):
    page = client.get("/subscribe/").content.decode()

    # The topics are on the page itself, sensitive ones marked for the stylesheet.
    assert 'value="disability" id="resident_categories-disability"' in page
    assert "残疾人相关政策" in page
    assert "您或家人属于" not in page
    disability = page.split('value="disability"')[1].split(">")[0]
    assert "data-sensitive" in disability
    elderly = page.split('value="elderly"')[1].split(">")[0]
    assert "data-sensitive" not in elderly
    # Its own tick box with the purpose in plain words, unticked.
    box = page.split('id="field-sensitive_consent"')[1].split("</fieldset>")[0]
    assert str(CONSENT_TEXTS[CONSENT_VERSION]) in box
    assert 'name="sensitive_consent"' in box and "checked" not in box


def test_the_stylesheet_shows_the_consent_box_only_with_a_sensitive_topic(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("subscriptions/subscribe.css")).read_text(encoding="utf-8")
    rule = css.split("#field-sensitive_consent {")[1].split("}")[0]
    assert "display: none" in rule
    assert (
        '.sub-form:has(input[name="resident_categories"][data-sensitive]:checked) '
        "#field-sensitive_consent" in css
    )


# No message names the recipient's category.


def _telling_words() -> set[str]:
    """What would tell a reader (or anyone over their shoulder) which sensitive topic one chose."""
    words = set()
    for row in ResidentCategory.objects.filter(is_sensitive=True):
        words |= {row.code, row.name}
    for locale in ("zh-hans", "zh-hant", "en"):
        with translation.override(locale):
            words |= {str(topic) for topic in TOPICS.values()}
    return words


def test_no_message_on_any_channel_names_the_recipients_sensitive_category(
    tree, publish, smtp_peer, push_peer, sms_outbox
):
    browser = push_peer.new_subscription()
    subscription = SubscriptionFactory.with_push(
        browser, resident_categories=["disability", "low_income"], content_types=["notice"]
    )
    AddressFactory(subscription=subscription, channel="email", address="li@example.org")
    AddressFactory(subscription=subscription, channel="sms", address="+8613800138000")

    publish(
        NoticePageFactory(parent=tree.a.notices, title="爱心卡换发通知", audience=["disability"])
    )

    [mail] = smtp_peer.wait_for(1)
    [push] = push_peer.wait_for(1)
    [sms] = sms_outbox.messages()
    sent = {
        "email": mail.message.as_string() + mail.text + mail.html,
        "webpush": json.dumps(push.json, ensure_ascii=False),
        "sms": json.dumps(sms, ensure_ascii=False),
    }
    assert "爱心卡换发通知" in sent["email"] and "爱心卡" in sent["sms"]
    words = _telling_words()
    assert {"disability", "残疾人", "低收入家庭救助政策"} <= words
    for channel_code, text in sent.items():
        named = sorted(word for word in words if word in text)
        assert named == [], f"{channel_code} names {named}"
