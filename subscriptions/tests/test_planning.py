"""Planning writes delivery rows itself: every column filled, reruns harmless, the rule kept."""

from datetime import time

import pytest
from freezegun import freeze_time

from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.models import Delivery, Notification
from subscriptions.planning import _COLUMNS, notification_plan_batch

pytestmark = pytest.mark.django_db


def notification(**facts) -> Notification:
    return Notification.objects.create(
        kind=Notification.Kind.PUBLISHED,
        key="rev-1",
        type="notice",
        audience=["elderly"],
        **facts,
    )


def test_planning_fills_every_delivery_column():
    # A new column must be added to the INSERT too (Django sets no database defaults).
    columns = {f.name for f in Delivery._meta.concrete_fields if not f.primary_key}
    assert columns == set(_COLUMNS)


@freeze_time("2026-11-23 12:00:00+08:00")
def test_planned_rows_read_back_like_any_other():
    push = SubscriptionFactory(confirmed_email=True)
    AddressFactory(subscription=push, channel="webpush", address="https://push.example/1")
    held = SubscriptionFactory(confirmed_email=True, quiet_start=time(11), quiet_end=time(14))
    daily = SubscriptionFactory(confirmed_email=True, frequency="daily")
    n = notification()
    assert notification_plan_batch(n.pk) == (False, 2)
    rows = {(d.subscription_id, d.channel): d for d in Delivery.objects.all()}
    assert {key: d.status for key, d in rows.items()} == {
        (push.pk, "webpush"): "queued",
        (push.pk, "email"): "queued",
        (held.pk, "email"): "held",
        (daily.pk, "email"): "waiting",
    }
    queued = rows[(push.pk, "email")]
    assert queued.next_attempt_at == queued.enqueued_at == queued.created_at
    assert queued.attempts == 0 and queued.claim == "" and queued.last_error == ""
    assert rows[(held.pk, "email")].next_attempt_at > queued.next_attempt_at
    assert rows[(daily.pk, "email")].next_attempt_at is None
    n.refresh_from_db()
    assert (n.audience_size, n.planned_through) == (4, daily.pk)
    assert n.planned_at is not None


def test_a_batch_planned_again_adds_nothing():
    # As after a worker died between inserting a batch and the next run.
    subscriptions = SubscriptionFactory.create_batch(5, confirmed_email=True)
    n = notification()
    assert notification_plan_batch(n.pk, size=3) == (True, 3)
    Notification.objects.filter(pk=n.pk).update(planned_through=0)
    assert notification_plan_batch(n.pk, size=3) == (True, 3)
    assert notification_plan_batch(n.pk, size=3) == (False, 2)
    assert sorted(Delivery.objects.values_list("subscription_id", flat=True)) == [
        s.pk for s in subscriptions
    ]


def test_only_lists_that_name_the_code_match():
    # The SQL prefilter looks for '"elderly"' in the JSON text; the rule reads the lists.
    reached = SubscriptionFactory(
        confirmed_email=True, resident_categories=["disability", "elderly"]
    )
    SubscriptionFactory(confirmed_email=True, resident_categories=["elderly_alone"])
    SubscriptionFactory(confirmed_email=True, content_types=["event"])
    SubscriptionFactory(confirmed_email=True, communities=["xili"])
    everywhere = SubscriptionFactory(confirmed_email=True, communities=[])
    AddressFactory(address="unconfirmed@example.org", confirmed_at=None)
    AddressFactory(channel="webpush", address="https://push.example/2", active=False)
    n = notification(community="dongyuan")
    notification_plan_batch(n.pk)
    assert set(Delivery.objects.values_list("subscription_id", flat=True)) == {
        reached.pk,
        everywhere.pk,
    }


def test_a_digest_batch_takes_every_channel_of_its_last_subscriber():
    # The next batch starts after the last subscriber: a channel left out would never be told.
    both = SubscriptionFactory(confirmed_email=True, frequency="daily")
    AddressFactory(subscription=both, channel="webpush", address="https://push.example/3")
    SubscriptionFactory(confirmed_email=True, frequency="daily")
    notification_plan_batch(notification().pk)
    assert Delivery.objects.filter(status="waiting").count() == 3
    digest = Notification.objects.create(kind=Notification.Kind.DIGEST, key="daily:2026-11-23")
    assert notification_plan_batch(digest.pk, size=1) == (True, 2)
    while notification_plan_batch(digest.pk, size=1)[0]:
        pass
    digests = set(digest.deliveries.values_list("subscription_id", "channel"))
    assert (both.pk, "webpush") in digests and (both.pk, "email") in digests
    assert len(digests) == 3
    bundled = Delivery.objects.filter(status="bundled")
    assert bundled.count() == 3 and not bundled.filter(digest__isnull=True).exists()
