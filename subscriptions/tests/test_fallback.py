"""Fallback across a subscriber's channels for urgent notices, counted at the real peers:
Aliyun's SMS API (its SDK, its signature check, its status reports) and an SMTP server.

Time moves by moving the deliveries' clocks back (`_minutes_pass`), never by sleeping.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from freezegun import freeze_time

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.fallback import (
    fallback_rows,
    fallbacks_pass_on,
    fallbacks_read,
    fallbacks_write,
)
from subscriptions.models import Delivery, Receipt
from subscriptions.planning import deliveries_insert
from subscriptions.selectors import notification_reach
from subscriptions.sweep import push_sweep
from subscriptions.tests.sms_fixtures import CALLBACK_TOKEN
from tests.peers.aliyun import aliyun_accepts

pytestmark = pytest.mark.django_db

PHONE = "+8613800138000"
EMAIL = "li.ming@example.org"


@pytest.fixture
def site(tree):
    """The street as the default site, so messages link to pages."""
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    return tree


def _resident(phone=PHONE, email=EMAIL):
    """A resident who gave a phone number and an email address, both confirmed."""
    subscription = SubscriptionFactory()
    AddressFactory(subscription=subscription, channel="email", address=email)
    AddressFactory(subscription=subscription, channel="sms", address=phone)
    return subscription


def _notice(tree, *, urgent=True, title="明天九点至十七点东园社区停水"):
    urgency = NoticePage.Urgency.URGENT if urgent else NoticePage.Urgency.NORMAL
    return NoticePageFactory(parent=tree.a.notices, title=title, urgency=urgency, audience=["all"])


def _minutes_pass(minutes):
    """The clock moves on: every delivery was made, sent and given its wait that much earlier."""
    earlier = timedelta(minutes=minutes)
    Delivery.objects.update(created_at=F("created_at") - earlier)
    Delivery.objects.filter(sent_at__isnull=False).update(sent_at=F("sent_at") - earlier)
    Delivery.objects.filter(fallback_at__isnull=False).update(
        fallback_at=F("fallback_at") - earlier
    )


def _report(client, peer, message, *, success=True, err_code="DELIVERED"):
    """Aliyun pushes its status report for one message to the hub's callback URL."""
    payload = peer.report_payload([message], success=success, err_code=err_code)
    answer = client.post(
        f"/sms/{CALLBACK_TOKEN}/aliyun/report/", payload, content_type="application/json"
    )
    assert aliyun_accepts(answer.status_code, answer.json())


def test_an_urgent_notice_goes_by_sms_first_and_not_by_email_once_the_sms_arrived(
    site, sms_aliyun, smtp_peer, publish, run_on_commit, client
):
    _resident()
    publish(_notice(site))

    [sms] = sms_aliyun.wait_for(1)
    assert sms.phone == "13800138000"
    assert sms.text.startswith("【临里街道】紧急通知：明天九点")
    assert smtp_peer.messages == []  # the first channel only

    _report(client, sms_aliyun, sms)
    _minutes_pass(60)
    report = run_on_commit(push_sweep)

    assert report["passed_on"] == 0
    assert smtp_peer.messages == []
    row = Delivery.objects.get()
    assert row.channel == "sms"
    reach = notification_reach(notification=row.notification)
    assert reach["channels"] == {"sms": {"sent": 1, "receipted": 1, "failed": 0, "passed_on": 0}}
    assert (reach["subscribers"], reach["reached"], reach["unreached"]) == (1, 1, 0)


def test_without_a_receipt_within_the_wait_the_email_goes(
    site, sms_aliyun, smtp_peer, publish, run_on_commit, settings
):
    settings.LINLI_REACH_FALLBACK_MINUTES = 10
    _resident()
    publish(_notice(site))
    [_sms] = sms_aliyun.wait_for(1)

    _minutes_pass(9)
    assert run_on_commit(push_sweep)["passed_on"] == 0
    assert smtp_peer.messages == []

    _minutes_pass(1)
    assert run_on_commit(push_sweep)["passed_on"] == 1
    [mail] = smtp_peer.wait_for(1)
    assert mail.message["To"] == EMAIL
    assert mail.subject.endswith("明天九点至十七点东园社区停水")
    sms_row = Delivery.objects.get(channel="sms")
    email_row = Delivery.objects.get(channel="email")
    assert email_row.status == Delivery.Status.SENT
    assert email_row.fallback_from == sms_row
    assert sms_row.fallback_from is None

    # Email has no receipts: after its own wait the chain ends, nothing more goes.
    _minutes_pass(60)
    assert run_on_commit(push_sweep)["passed_on"] == 0
    assert len(smtp_peer.messages) == 1
    assert len(sms_aliyun.messages) == 1
    # A receipt coming after the email went changes nothing more either.
    reach = notification_reach(notification=sms_row.notification)
    assert reach["channels"]["sms"] == {"sent": 1, "receipted": 0, "failed": 0, "passed_on": 1}
    assert reach["channels"]["email"] == {"sent": 1, "receipted": 0, "failed": 0, "passed_on": 0}
    assert (reach["subscribers"], reach["reached"], reach["pending"], reach["unreached"]) == (
        1,
        0,
        0,
        1,
    )


def test_a_failed_receipt_passes_the_message_on_at_once(
    site, sms_aliyun, smtp_peer, publish, run_on_commit, client
):
    _resident()
    publish(_notice(site))
    [sms] = sms_aliyun.wait_for(1)

    _report(client, sms_aliyun, sms, success=False, err_code="UNDELIV")
    assert Receipt.objects.get().status == Receipt.Status.FAILED
    assert run_on_commit(push_sweep)["passed_on"] == 1  # no waiting

    [mail] = smtp_peer.wait_for(1)
    assert mail.message["To"] == EMAIL
    reach = notification_reach(notification=Delivery.objects.first().notification)
    assert reach["channels"]["sms"]["failed"] == 1
    assert reach["channels"]["sms"]["passed_on"] == 1


def test_a_number_the_provider_refuses_for_good_passes_on_at_once(
    site, sms_aliyun, smtp_peer, publish, run_on_commit
):
    _resident(phone="+8610086")  # stored long ago; Aliyun calls it isv.MOBILE_NUMBER_ILLEGAL
    publish(_notice(site))

    sms_row = Delivery.objects.get(channel="sms")
    assert sms_row.status in (Delivery.Status.CANCELLED, Delivery.Status.DEAD)
    assert run_on_commit(push_sweep)["passed_on"] == 1
    [mail] = smtp_peer.wait_for(1)
    assert mail.message["To"] == EMAIL


def test_a_non_urgent_notice_goes_on_every_channel_at_once_as_before(
    site, sms_aliyun, smtp_peer, publish, run_on_commit
):
    _resident()
    publish(_notice(site, urgent=False, title="社区义诊"))

    sms_aliyun.wait_for(1)
    smtp_peer.wait_for(1)
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "sms"]
    assert not Delivery.objects.filter(fallback_at__isnull=False).exists()
    _minutes_pass(60)
    assert run_on_commit(push_sweep)["passed_on"] == 0
    assert len(sms_aliyun.messages) == 1 and len(smtp_peer.messages) == 1


def test_the_wait_counts_from_publishing(site, sms_outbox, publish, settings):
    settings.LINLI_REACH_FALLBACK_MINUTES = 10
    _resident()
    with freeze_time("2026-12-07 10:00:00+00:00"):
        publish(_notice(site))
    row = Delivery.objects.get()
    assert row.fallback_at.isoformat() == "2026-12-07T10:10:00+00:00"


def test_two_sweeps_at_once_plan_one_email(
    site, sms_aliyun, smtp_peer, publish, run_on_commit, django_capture_on_commit_callbacks
):
    _resident()
    publish(_notice(site))
    sms_aliyun.wait_for(1)
    _minutes_pass(10)

    # Both sweeps read the same due SMS and decide its next row before either writes.
    now = timezone.now()
    first, second = fallbacks_read(now, 100), fallbacks_read(now, 100)
    assert first == second and len(first) == 1
    decided = [fallback_rows(first, now), fallback_rows(second, now)]
    assert decided[0] == decided[1]
    for rows in decided:
        for notification_id, new in rows.items():
            deliveries_insert(notification_id, new, now)

    assert Delivery.objects.filter(channel="email").count() == 1
    # A sweep that ends the wait again finds nothing more to do.
    assert fallbacks_write(second, now) == 0
    assert fallbacks_read(now, 100) == []
    run_on_commit(push_sweep)
    run_on_commit(push_sweep)
    assert len(smtp_peer.wait_for(1)) == 1
    assert Delivery.objects.count() == 2


def test_the_residents_order_decides_and_the_message_passes_along_all_of_it(
    site, sms_aliyun, smtp_peer, publish, run_on_commit, push_peer
):
    subscription = SubscriptionFactory.with_push(push_peer.new_subscription())
    AddressFactory(subscription=subscription, channel="email", address=EMAIL, preference=1)
    AddressFactory(subscription=subscription, channel="sms", address=PHONE, preference=3)
    subscription.addresses.filter(channel="webpush").update(preference=2)
    publish(_notice(site))

    assert len(smtp_peer.wait_for(1)) == 1
    assert sms_aliyun.messages == [] and push_peer.messages == []
    _minutes_pass(10)
    run_on_commit(push_sweep)
    assert len(push_peer.wait_for(1)) == 1
    assert sms_aliyun.messages == []
    _minutes_pass(10)
    run_on_commit(push_sweep)
    assert len(sms_aliyun.wait_for(1)) == 1
    chain = list(Delivery.objects.order_by("pk").values_list("channel", "fallback_from__channel"))
    assert chain == [("email", None), ("webpush", "email"), ("sms", "webpush")]


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_resident_puts_their_channels_in_order_through_the_api(
    site, client, sms_outbox, smtp_peer, publish, run_on_commit
):
    body = {
        "phone": "13800138000",
        "email": EMAIL,
        "resident_categories": ["elderly"],
        "content_types": ["notice"],
    }
    created = run_on_commit(client.post, "/api/v1/subscriptions/", body, "application/json")
    assert created.status_code == 201
    # Given none, SMS comes first and email last.
    assert created.json()["subscription"]["channel_order"] == ["sms", "email"]
    token = created.json()["manage_token"]

    changed = client.patch(
        "/api/v1/subscriptions/self/",
        {"channel_order": ["email"]},
        content_type="application/json",
        **_bearer(token),
    )
    assert changed.status_code == 200
    assert changed.json()["subscription"]["channel_order"] == ["email", "sms"]
    shown = client.get("/api/v1/subscriptions/self/", **_bearer(token))
    assert shown.json()["subscription"]["channel_order"] == ["email", "sms"]

    for wrong in (["fax"], ["sms", "sms"]):
        refused = client.patch(
            "/api/v1/subscriptions/self/",
            {"channel_order": wrong},
            content_type="application/json",
            **_bearer(token),
        )
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "invalid"
        assert refused.json()["error"]["field"] == "channel_order"

    # Confirmed (the code and the link are other tests' business): email goes first.
    from subscriptions.models import Address

    Address.objects.update(confirmed_at=timezone.now())
    smtp_peer.clear()  # the confirmation link
    publish(_notice(site))
    [mail] = smtp_peer.wait_for(1)
    assert mail.message["To"] == EMAIL
    assert [m for m in sms_outbox.messages() if m["template"] != "code"] == []


def test_passing_on_costs_the_same_queries_for_three_subscribers_or_thirty(
    site, sms_outbox, publish, settings
):
    settings.LINLI_OUTBOX_RECEIPTS = False  # no report comes: every text passes on

    def passing_on(residents, title):
        for n in range(residents):
            _resident(phone=f"+86139{n:08d}", email=f"r{n}-{title}@example.org")
        publish(_notice(site, title=title))
        _minutes_pass(10)
        with CaptureQueriesContext(connection) as queries:
            made = fallbacks_pass_on()
        return made, len(queries)

    few, few_queries = passing_on(3, "停水")
    many, many_queries = passing_on(30, "停电")
    assert (few, many) == (3, 33)  # the second notice reaches the first three too
    assert many_queries == few_queries
    assert Delivery.objects.filter(channel="email").count() == 36


def test_a_notice_withdrawn_meanwhile_is_not_passed_on(
    site, sms_aliyun, smtp_peer, publish, run_on_commit
):
    _resident()
    page = _notice(site)
    publish(page)
    sms_aliyun.wait_for(1)

    run_on_commit(page.unpublish)
    _minutes_pass(10)
    run_on_commit(push_sweep)

    assert not Delivery.objects.filter(channel="email").exists()
    assert smtp_peer.messages == []
    # The one who was told by SMS hears by SMS that it was withdrawn.
    assert len(sms_aliyun.wait_for(2)) == 2
