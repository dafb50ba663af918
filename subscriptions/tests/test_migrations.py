"""Addresses as rows: subscriptions made before the change keep every address and its state."""

import datetime

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import pytest

BEFORE = [("subscriptions", "0001_initial")]
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "subscriptions"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_address_and_its_state_survives_the_move_to_rows(tmp_path):
    # On the demo street office, so the subscriptions name its real categories and communities.
    call_command("seed_demo", accounts_file=tmp_path / "accounts.json", stdout=None)
    latest = _latest()
    _migrate(BEFORE)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        Subscription = old.get_model("subscriptions", "Subscription")
        Notification = old.get_model("subscriptions", "Notification")
        Delivery = old.get_model("subscriptions", "Delivery")
        confirmed_at = timezone.now() - datetime.timedelta(days=3)

        def subscription(name, **columns):
            return Subscription.objects.create(
                token_hash=name.ljust(64, "0"),
                resident_categories=["elderly"],
                content_types=["notice"],
                communities=["dongyuan"],
                **columns,
            )

        def push(n):
            return {
                "push_endpoint": f"https://push.example.org/{n}",
                "push_p256dh": P256DH,
                "push_auth": AUTH,
            }

        made = {
            "email confirmed": subscription(
                "a", email="Zhang@Example.org", email_confirmed_at=confirmed_at
            ),
            "email unconfirmed": subscription("b", email="li@example.org"),
            "push active": subscription("c", **push(1), push_active=True),
            "push inactive": subscription("d", **push(2), push_active=False),
            "both": subscription(
                "e",
                email="wang@example.org",
                email_confirmed_at=confirmed_at,
                **push(3),
                push_active=True,
            ),
            "nothing": subscription("f"),
        }
        notification = Notification.objects.create(kind="published", key="before")
        queued = Delivery.objects.create(
            notification=notification, subscription=made["both"], channel="email", status="queued"
        )
    finally:
        _migrate(latest)

    from subscriptions.models import Address, Delivery, Subscription

    def addresses(name):
        rows = Address.objects.filter(subscription_id=made[name].pk).order_by("channel")
        return [(row.channel, row.address, row.data, row.confirmed_at, row.active) for row in rows]

    keys = {"p256dh": P256DH, "auth": AUTH}
    assert addresses("email confirmed") == [("email", "Zhang@Example.org", {}, confirmed_at, True)]
    assert addresses("email unconfirmed") == [("email", "li@example.org", {}, None, True)]
    [(channel, endpoint, data, confirmed, active)] = addresses("push active")
    assert (channel, endpoint, data, active) == (
        "webpush",
        "https://push.example.org/1",
        keys,
        True,
    )
    assert confirmed is not None  # the browser's subscription confirmed it
    assert addresses("push inactive")[0][1:3] == ("https://push.example.org/2", keys)
    assert addresses("push inactive")[0][4] is False
    both = addresses("both")
    assert [row[:2] for row in both] == [
        ("email", "wang@example.org"),
        ("webpush", "https://push.example.org/3"),
    ]
    assert both[0][3] == confirmed_at and both[1][4] is True
    assert addresses("nothing") == []
    # Nothing else changed about the subscriptions, and the queued message still has its address.
    assert Subscription.objects.count() == len(made)
    assert Subscription.objects.get(pk=made["both"].pk).communities == ["dongyuan"]
    delivery = Delivery.objects.get(pk=queued.pk)
    assert delivery.address == Address.objects.get(subscription_id=made["both"].pk, channel="email")
    # Live addresses are the ones that were reachable before.
    reachable = set(Address.objects.live().values_list("subscription_id", "channel"))
    assert reachable == {
        (made["email confirmed"].pk, "email"),
        (made["push active"].pk, "webpush"),
        (made["both"].pk, "email"),
        (made["both"].pk, "webpush"),
    }
