"""Sensitive topics are confirmed again every year: one reminder, then they lapse."""

import datetime
from io import StringIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

import pytest
from freezegun import freeze_time

from subscriptions.consent import CONSENT_VERSION
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.models import Subscription
from subscriptions.reconfirm import sensitive_subscriptions_reconfirm

pytestmark = pytest.mark.django_db
PHONE = "+8613800138000"
GIVEN = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC)


def _subscriber(**kwargs) -> Subscription:
    subscription = SubscriptionFactory(
        resident_categories=["disability", "elderly"],
        sensitive_consent_at=GIVEN,
        sensitive_consent_version=CONSENT_VERSION,
        **kwargs,
    )
    AddressFactory(subscription=subscription, channel="sms", address=PHONE)
    return subscription


def _run(when: str) -> dict:
    with freeze_time(when):
        return sensitive_subscriptions_reconfirm()


def test_four_weeks_before_the_year_is_over_one_reminder_goes_by_sms(tree, sms_outbox):
    _subscriber()

    assert _run("2026-12-10 08:00:00") == {"reminded": 0, "lapsed": 0}  # five weeks before
    assert _run("2026-12-14 10:00:00") == {"reminded": 1, "lapsed": 0}
    assert _run("2026-12-15 10:00:00") == {"reminded": 0, "lapsed": 0}  # once

    [sms] = sms_outbox.to(PHONE)
    assert sms["template"] == "notice"
    assert sms["text"].startswith("【临里街道】社区信息：请确认是否继续接收所选专题，详见 ")
    assert len(sms["text"]) <= 70
    assert "残疾" not in sms["text"] and "disability" not in str(sms)
    assert urlsplit(sms["url"]).path.startswith("/subscriptions/reconfirm/")


def test_the_link_shows_the_consent_and_a_button_renews_it_for_a_year(tree, client, sms_outbox):
    subscription = _subscriber()
    _run("2026-12-14 10:00:00")
    [sms] = sms_outbox.to(PHONE)
    short = urlsplit(sms["text"].rsplit(" ", 1)[1]).path
    link = urlsplit(client.get(short)["Location"]).path

    with freeze_time("2026-12-20 10:00:00"):
        page = client.get(link)
        assert page.status_code == 200
        assert "单独同意" in page.content.decode()
        assert Subscription.objects.get().sensitive_consent_at == GIVEN  # a GET renews nothing
        done = client.post(link)
    assert done.status_code == 200
    assert "再发送一年" in done.content.decode()

    subscription.refresh_from_db()
    assert subscription.sensitive_consent_at == datetime.datetime(
        2026, 12, 20, 10, 0, tzinfo=datetime.UTC
    )
    assert subscription.sensitive_reminded_at is None
    assert _run("2027-01-11 10:00:00") == {"reminded": 0, "lapsed": 0}  # nothing lapses
    # The link has done its work.
    assert client.post(link).status_code == 400


def test_without_a_renewal_the_sensitive_topics_lapse_and_the_rest_stays(tree, sms_outbox):
    subscription = _subscriber()
    _run("2026-12-14 10:00:00")

    assert _run("2027-01-10 08:59:00") == {"reminded": 0, "lapsed": 0}
    assert _run("2027-01-10 09:00:00") == {"reminded": 0, "lapsed": 1}

    subscription.refresh_from_db()
    assert subscription.resident_categories == ["elderly"]
    assert subscription.sensitive_consent_at is None
    assert subscription.sensitive_consent_version == ""
    assert subscription.addresses.get().live  # still subscribed to the rest
    assert len(sms_outbox.to(PHONE)) == 1  # the lapse itself sends nothing


def test_a_lapsed_link_opens_a_page_that_points_to_the_manage_page(tree, client, sms_outbox):
    _subscriber()
    _run("2026-12-14 10:00:00")
    link = urlsplit(sms_outbox.to(PHONE)[0]["url"]).path
    _run("2027-01-11 10:00:00")

    page = client.get(link)
    assert page.status_code == 400
    assert "管理我的订阅" in page.content.decode()


def test_sensitive_topics_chosen_before_consent_was_asked_are_reminded_then_lapse(tree, sms_outbox):
    subscription = SubscriptionFactory(resident_categories=["low_income"])
    AddressFactory(subscription=subscription, channel="sms", address=PHONE)

    assert _run("2026-12-08 10:00:00") == {"reminded": 1, "lapsed": 0}
    assert _run("2027-01-05 09:59:00") == {"reminded": 0, "lapsed": 0}
    assert _run("2027-01-05 10:00:00") == {"reminded": 0, "lapsed": 1}
    subscription.refresh_from_db()
    assert subscription.resident_categories == []


def test_the_reminder_goes_by_email_where_that_is_the_channel(tree, smtp_peer):
    subscription = SubscriptionFactory(
        resident_categories=["elderly_alone"],
        sensitive_consent_at=GIVEN,
        sensitive_consent_version=CONSENT_VERSION,
        confirmed_email=True,
    )
    _run("2026-12-14 10:00:00")

    [mail] = smtp_peer.wait_for(1)
    assert mail.rcpt_tos == [subscription.addresses.get().address]
    assert mail.subject == "请确认是否继续接收所选专题"
    assert "1 月 10 日前" in mail.text
    assert "/subscriptions/reconfirm/" in mail.text
    assert "独居" not in mail.message.as_string()


def test_ordinary_topics_are_never_reminded(tree, sms_outbox):
    subscription = SubscriptionFactory(resident_categories=["elderly"])
    AddressFactory(subscription=subscription, channel="sms", address=PHONE)
    assert _run("2026-12-14 10:00:00") == {"reminded": 0, "lapsed": 0}
    assert sms_outbox.messages() == []


def test_the_scheduler_runs_it(tree, sms_outbox):
    assert "subscriptions_reconfirm" in settings.LINLI_SCHEDULE
    _subscriber()
    out = StringIO()
    with freeze_time("2026-12-14 10:00:00"):
        call_command("subscriptions_reconfirm", stdout=out)
    assert out.getvalue() == "reminded=1 lapsed=0\n"


def test_ticking_the_consent_again_on_the_manage_page_renews_it(tree, client):
    from subscriptions.tokens import manage_token_hash

    subscription = _subscriber(token_hash=manage_token_hash("t" * 32))
    with freeze_time("2026-12-20 10:00:00"):
        answer = client.patch(
            "/api/v1/subscriptions/self/",
            {"resident_categories": ["disability", "elderly"], "sensitive_consent": True},
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer " + "t" * 32,
        )
    assert answer.status_code == 200
    assert answer.json()["subscription"]["sensitive_consent"]["renew_by"].startswith("2027-12-20")
    subscription.refresh_from_db()
    assert subscription.sensitive_consent_at == timezone.make_aware(
        datetime.datetime(2026, 12, 20, 10, 0), datetime.UTC
    )
