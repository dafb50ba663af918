"""为家人订阅: a carer subscribes someone else, with their agreement, and the messages say so."""

import pytest
from freezegun import freeze_time

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db

PHONE = "+8613800138000"
URL = "/api/v1/subscriptions/"


def _body(**on_behalf):
    return {
        "phone": "13800138000",
        "resident_categories": ["elderly_alone"],
        "content_types": ["notice"],
        "communities": ["dongyuan"],
        "on_behalf": on_behalf,
        "sensitive_consent": True,  # 高龄/独居 is a sensitive topic
    }


@pytest.mark.parametrize(
    ("on_behalf", "code", "field"),
    [
        ({"relationship": "mother"}, "agreement_required", "on_behalf.agreement"),
        (
            {"relationship": "mother", "agreement": False},
            "agreement_required",
            "on_behalf.agreement",
        ),
        (
            {"relationship": "mother", "agreement": "yes"},
            "agreement_required",
            "on_behalf.agreement",
        ),
        ({"agreement": True}, "relationship_required", "on_behalf.relationship"),
        ({"relationship": "boss", "agreement": True}, "invalid_choice", "on_behalf.relationship"),
    ],
)
def test_a_carer_must_name_the_relationship_and_confirm_the_agreement(
    tree, client, on_behalf, code, field
):
    answer = client.post(URL, _body(**on_behalf), content_type="application/json")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]
    assert not Subscription.objects.exists()


def test_the_agreement_message_is_in_the_readers_language(tree, client):
    answer = client.post(
        URL,
        _body(relationship="father"),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "已征得本人同意" in answer.json()["error"]["message"]


@freeze_time("2026-11-23 10:00:00+08:00")
def test_a_carers_subscription_keeps_whom_it_is_for_and_when_they_agreed(tree, client):
    answer = client.post(
        URL, _body(relationship="mother", agreement=True), content_type="application/json"
    )
    assert answer.status_code == 201
    shown = answer.json()["subscription"]
    assert shown["on_behalf"] == {
        "relationship": "mother",
        "agreed_at": "2026-11-23T02:00:00+00:00",
    }
    assert shown["communities"] == ["dongyuan"]
    subscription = Subscription.objects.get()
    assert subscription.on_behalf_relationship == "mother"
    token = answer.json()["manage_token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    exported = client.get(f"{URL}self/export/", **auth).json()
    assert exported["subscription"]["on_behalf"]["relationship"] == "mother"

    # Turned into one's own subscription, and back.
    changed = client.patch(
        f"{URL}self/", {"on_behalf": None}, content_type="application/json", **auth
    )
    assert changed.json()["subscription"]["on_behalf"] is None
    refused = client.patch(
        f"{URL}self/",
        {"on_behalf": {"relationship": "neighbour"}},
        content_type="application/json",
        **auth,
    )
    assert refused.json()["error"]["code"] == "agreement_required"


def test_a_subscription_for_oneself_has_no_on_behalf(tree, client):
    body = _body()
    del body["on_behalf"]
    answer = client.post(URL, body, content_type="application/json")
    assert answer.status_code == 201
    assert answer.json()["subscription"]["on_behalf"] is None


def _confirmed_carer(client, sms_outbox, run_on_commit, relationship="mother"):
    answer = run_on_commit(
        client.post,
        URL,
        _body(relationship=relationship, agreement=True),
        content_type="application/json",
    )
    assert answer.status_code == 201
    [code] = sms_outbox.to(PHONE)
    confirmed = client.post(
        f"{URL}phone/confirm/",
        {"phone": PHONE, "code": code["params"]["code"]},
        content_type="application/json",
    )
    assert confirmed.status_code == 200


@freeze_time("2026-11-23 10:00:00+08:00")
def test_the_carers_text_messages_say_whom_they_subscribed_for(
    tree, client, sms_outbox, run_on_commit, publish
):
    _confirmed_carer(client, sms_outbox, run_on_commit)
    publish(
        NoticePageFactory(
            parent=tree.a.notices, title="高龄津贴本月七日发放", audience=["elderly_alone"]
        )
    )
    publish(
        NoticePageFactory(
            parent=tree.a.notices,
            title="今晚东园社区全域停电检修，请独居老人提前准备照明",
            urgency=NoticePage.Urgency.URGENT,
            audience=["elderly_alone"],
        )
    )
    # The clock stands still: the outbox's file names do not say which came first.
    notices = [sms for sms in sms_outbox.to(PHONE) if sms["template"] != "code"]
    ordinary, urgent = sorted(notices, key=lambda sms: sms["template"])
    assert ordinary["template"] == "carer_notice"
    assert ordinary["text"].startswith(
        "【临里街道】您为母亲订阅的社区信息：高龄津贴本月七日发放，详见 "
    )
    assert ordinary["params"]["who"] == "母亲"
    assert urgent["template"] == "carer_urgent"
    assert urgent["text"].startswith("【临里街道】您为母亲订阅的紧急通知：今晚东园社区")
    assert "…" in urgent["text"]  # the title was cut to keep one billed message
    for sms in (ordinary, urgent):
        assert len(sms["text"]) <= 70
        assert list(sms["params"]) == ["who", "title", "code"]  # the template's order


def test_the_longest_relationship_still_fits_one_message(
    tree, client, sms_outbox, run_on_commit, publish
):
    _confirmed_carer(client, sms_outbox, run_on_commit, relationship="grandparent")
    publish(
        NoticePageFactory(
            parent=tree.a.notices,
            title="关于调整本街道老年人助餐点供餐时间及送餐上门服务范围的通知",
            urgency=NoticePage.Urgency.URGENT,
            audience=["elderly_alone"],
        )
    )
    [sms] = [sms for sms in sms_outbox.to(PHONE) if sms["template"] == "carer_urgent"]
    assert sms["text"].startswith("【临里街道】您为祖父母/外祖父母订阅的紧急通知：关于")
    assert len(sms["text"]) <= 70


@freeze_time("2026-11-23 10:00:00+08:00")
def test_the_carers_email_says_whom_they_subscribed_for(tree, smtp_peer, publish):
    from subscriptions.factories import SubscriptionFactory

    SubscriptionFactory(
        confirmed_email=True,
        content_types=["notice"],
        on_behalf_relationship="father",
        resident_categories=["elderly_alone"],
    )
    publish(
        NoticePageFactory(
            parent=tree.a.notices, title="高龄津贴本月七日发放", audience=["elderly_alone"]
        )
    )
    [message] = smtp_peer.wait_for(1)
    assert message.subject.strip() == "您为父亲订阅的社区信息：高龄津贴本月七日发放"
    assert message.text.startswith("您为父亲订阅的社区信息：\n")
    assert "您为父亲订阅的社区信息：" in message.html


def test_the_subscribe_page_offers_to_subscribe_for_a_family_member(client):
    html = client.get("/subscribe/").content.decode()
    assert 'id="on_behalf"' in html and "为家人订阅" in html
    assert 'name="relationship" value="mother"' in html and "母亲" in html
    assert 'id="on_behalf_agreement"' in html and "已征得本人同意" in html


def test_the_options_name_the_relationships_in_the_readers_language(client):
    options = client.get("/api/v1/subscriptions/options/?locale=en").json()
    assert {"code": "mother", "name": "mother"} in options["relationships"]
    options = client.get("/api/v1/subscriptions/options/?locale=zh-hant").json()
    assert {"code": "neighbour", "name": "鄰居"} in options["relationships"]
