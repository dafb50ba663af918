"""Phone verification: a 6-digit code by SMS, 10 minutes, 5 tries, limited, and telling nothing."""

import re

import pytest
from freezegun import freeze_time

from subscriptions.models import Address, Subscription
from subscriptions.tests.sms_fixtures import phone_subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/api/v1/subscriptions/"
CONFIRM = "/api/v1/subscriptions/phone/confirm/"


def _subscribe(client, run_on_commit, phone="138 0013 8000", **extra):
    data = {"phone": phone, "resident_categories": ["elderly"], "content_types": ["notice"]}
    return run_on_commit(client.post, SUBSCRIBE, {**data, **extra}, content_type="application/json")


def _confirm(client, phone, code):
    return client.post(CONFIRM, {"phone": phone, "code": code}, content_type="application/json")


def _code(outbox, phone="+8613800138000") -> str:
    message = outbox.to(phone)[-1]
    assert message["template"] == "code"
    assert re.fullmatch(
        r"【临里街道】验证码\d{6}，10分钟内有效，用于订阅社区信息。如非本人操作请忽略。",
        message["text"],
    )
    assert message["url"] is None
    return message["params"]["code"]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_phone_is_confirmed_with_the_code_texted_to_it(tree, client, sms_outbox, run_on_commit):
    answer = _subscribe(client, run_on_commit)

    assert answer.status_code == 201
    body = answer.json()
    assert body["confirmation_sent"] is True
    assert body["subscription"]["phone"] == "+8613800138000"
    assert body["subscription"]["phone_confirmed"] is False
    code = _code(sms_outbox)
    assert len(sms_outbox.messages()) == 1
    # Only a keyed hash of the code is kept.
    assert code not in str(Address.objects.get().data)

    confirmed = _confirm(client, "+86 13800138000", code)
    assert confirmed.status_code == 200
    assert confirmed.json() == {"confirmed": True}
    address = Address.objects.get()
    assert address.live
    assert address.data == {}
    own = client.get(
        "/api/v1/subscriptions/self/", HTTP_AUTHORIZATION=f"Bearer {body['manage_token']}"
    )
    assert own.json()["subscription"]["phone_confirmed"] is True
    # A code serves once.
    assert _confirm(client, "13800138000", code).status_code == 400


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(
    tree, client, sms_outbox, run_on_commit
):
    _subscribe(client, run_on_commit)
    code = _code(sms_outbox)

    wrong = _confirm(client, "13800138000", _wrong(code))
    unknown = _confirm(client, "13900139000", code)
    malformed = _confirm(client, "13900139000", "12ab")

    assert wrong.status_code == unknown.status_code == malformed.status_code == 400
    assert wrong.json() == unknown.json() == malformed.json()
    assert wrong.json()["error"]["code"] == "invalid_code"
    assert wrong.json()["error"]["field"] == "code"


def test_signing_up_a_known_number_answers_as_for_a_new_one(
    tree, client, sms_outbox, run_on_commit
):
    phone_subscriber("+8613800138000")
    known = _subscribe(client, run_on_commit, phone="13800138000")
    new = _subscribe(client, run_on_commit, phone="13900139000")

    assert known.status_code == new.status_code == 201
    shape = {key: type(value) for key, value in known.json().items()}
    assert shape == {key: type(value) for key, value in new.json().items()}
    assert known.json()["confirmation_sent"] is new.json()["confirmation_sent"] is True
    # Both numbers got a code; the known one's subscription changes only once it is confirmed.
    assert len(sms_outbox.to("+8613800138000")) == len(sms_outbox.to("+8613900139000")) == 1


def test_the_fifth_wrong_try_voids_the_code(tree, client, sms_outbox, run_on_commit):
    _subscribe(client, run_on_commit)
    code = _code(sms_outbox)

    for _ in range(4):
        assert _confirm(client, "13800138000", _wrong(code)).status_code == 400
    assert _confirm(client, "13800138000", code).status_code == 200  # the fifth try, right

    _subscribe(client, run_on_commit, phone="13900139000")
    other = _code(sms_outbox, "+8613900139000")
    for _ in range(5):
        _confirm(client, "13900139000", _wrong(other))
    answer = _confirm(client, "13900139000", other)
    assert answer.status_code == 400  # void after five wrong tries, even the right code
    assert not Address.objects.at("sms", "+8613900139000").get().live


def test_a_code_is_valid_for_ten_minutes(tree, client, sms_outbox, run_on_commit):
    with freeze_time("2026-11-23 10:00:00+08:00") as clock:
        _subscribe(client, run_on_commit)
        code = _code(sms_outbox)
        clock.tick(9 * 60 + 59)
        assert _confirm(client, "13800138000", _wrong(code)).status_code == 400
        clock.tick(2)
        assert _confirm(client, "13800138000", code).status_code == 400

        # A new sign-up texts a new code, which works.
        clock.tick(60)
        _subscribe(client, run_on_commit)
        fresh = _code(sms_outbox)
        assert _confirm(client, "13800138000", fresh).status_code == 200
    assert Subscription.objects.filter(addresses__confirmed_at__isnull=False).count() == 1


def test_codes_to_one_number_are_limited_per_minute_and_per_hour(
    tree, client, sms_outbox, run_on_commit, settings
):
    settings.LINLI_PHONE_CODE_RATE = 2
    with freeze_time("2026-11-23 10:00:00+08:00") as clock:
        assert _subscribe(client, run_on_commit).status_code == 201
        again = _subscribe(client, run_on_commit, phone="+8613800138000")
        assert again.status_code == 429
        assert again.json()["error"]["field"] == "phone"
        assert again["Retry-After"]
        clock.tick(61)
        assert _subscribe(client, run_on_commit).status_code == 201
        clock.tick(61)
        assert _subscribe(client, run_on_commit).status_code == 429  # the third in an hour
        assert _subscribe(client, run_on_commit, phone="13900139000").status_code == 201
    assert len(sms_outbox.to("+8613800138000")) == 2


def test_code_checks_are_limited_per_client_address(
    tree, client, sms_outbox, run_on_commit, settings
):
    settings.LINLI_PHONE_CONFIRM_RATE_IP = 3
    _subscribe(client, run_on_commit)
    code = _code(sms_outbox)
    for _ in range(3):
        _confirm(client, "13900139000", "000000")

    refused = _confirm(client, "13800138000", code)
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert not Address.objects.get().live


def test_a_number_that_is_no_mainland_mobile_is_refused_on_the_phone_field(
    tree, client, sms_outbox, run_on_commit
):
    answer = _subscribe(client, run_on_commit, phone="010 6552 9988")
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "phone"
    assert "手机号码" in answer.json()["error"]["message"]
    english = client.post(
        SUBSCRIBE,
        {"phone": "12345", "content_types": ["notice"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "mainland China mobile" in english.json()["error"]["message"]
    assert sms_outbox.messages() == []


def test_changing_the_number_texts_a_code_to_the_new_one(tree, client, sms_outbox, run_on_commit):
    token = _subscribe(client, run_on_commit).json()["manage_token"]
    _confirm(client, "13800138000", _code(sms_outbox))

    answer = run_on_commit(
        client.patch,
        "/api/v1/subscriptions/self/",
        {"phone": "13900139000"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.json()["subscription"]["phone"] == "+8613900139000"
    assert answer.json()["subscription"]["phone_confirmed"] is False
    assert _confirm(client, "13900139000", _code(sms_outbox, "+8613900139000")).status_code == 200


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_the_code_goes_through_each_providers_verification_template(
    provider, tree, client, run_on_commit, request
):
    peer = request.getfixturevalue(f"sms_{provider}")
    _subscribe(client, run_on_commit)

    [message] = peer.wait_for(1)
    assert peer.rejections == []
    assert message.phone == "13800138000"
    assert message.text.startswith("【临里街道】验证码")
    code = message.params["code" if provider == "aliyun" else "1"]
    assert _confirm(client, "13800138000", code).status_code == 200
    assert Address.objects.get().live
