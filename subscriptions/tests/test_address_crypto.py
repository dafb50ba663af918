"""Phone numbers are stored encrypted and found by a keyed hash; keys rotate without a gap."""

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest
from cryptography.fernet import Fernet

from subscriptions import address_crypto
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.models import Address
from subscriptions.operations import address_set
from subscriptions.phone import phone_confirm

PHONE = "+8613800138000"
DIGITS = "13800138000"


def _raw_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT channel, address, address_hash, mailbox FROM subscriptions_address")
        return cursor.fetchall()


def _raw_text() -> str:
    """Every column of every table that could hold a number, as the database has it."""
    tables = [
        "subscriptions_address",
        "subscriptions_delivery",
        "subscriptions_receipt",
        "subscriptions_shortlink",
        "subscriptions_subscription",
        "subscriptions_unsubscription",
    ]
    parts = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table names)
            parts += [str(value) for row in cursor.fetchall() for value in row]
    return "\n".join(parts)


@pytest.mark.django_db
def test_a_number_signed_up_through_the_api_is_nowhere_in_the_database(
    tree, client, sms_outbox, run_on_commit
):
    answer = run_on_commit(
        client.post,
        "/api/v1/subscriptions/",
        {"phone": "138 0013 8000", "resident_categories": ["elderly"], "content_types": ["notice"]},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json()["subscription"]["phone"] == PHONE  # the resident sees it as given

    raw = _raw_text()
    assert DIGITS not in raw
    [(channel, stored, digest, mailbox)] = _raw_rows()
    assert channel == "sms" and stored.startswith("enc1:")
    assert len(digest) == 64 and DIGITS not in mailbox and mailbox
    # The code texted to it confirms it: the lookup by hash finds the row.
    [code] = sms_outbox.to(PHONE)
    assert phone_confirm(phone=DIGITS, code=code["params"]["code"]) is not None
    assert Address.objects.get().live
    assert DIGITS not in _raw_text()


@pytest.mark.django_db
def test_code_reads_the_number_and_finds_it_by_hash(db):
    row = AddressFactory(channel="sms", address=PHONE)

    assert Address.objects.get(pk=row.pk).address == PHONE
    assert list(Address.objects.values_list("address", flat=True)) == [PHONE]
    assert list(Address.objects.at("sms", PHONE)) == [row]
    assert not Address.objects.at("sms", "+8613900139000").exists()
    # The same text on another channel is another hash.
    assert address_crypto.digest("sms", PHONE) != address_crypto.digest("voice", PHONE)


@pytest.mark.django_db
def test_email_addresses_and_push_endpoints_stay_as_they_are(db):
    AddressFactory(channel="email", address="li@example.org")

    [(channel, stored, digest, _mailbox)] = _raw_rows()
    assert (channel, stored, digest) == ("email", "li@example.org", "")
    assert Address.objects.at("email", "li@example.org").exists()


@pytest.mark.django_db
def test_a_new_key_with_the_old_one_kept_reads_and_finds_everything_then_rekeys(settings):
    old_key = settings.LINLI_ADDRESS_KEY = Fernet.generate_key().decode()
    row = AddressFactory(channel="sms", address=PHONE)
    [(_, stored_before, hash_before, _)] = _raw_rows()

    settings.LINLI_ADDRESS_KEY = Fernet.generate_key().decode()
    settings.LINLI_ADDRESS_OLD_KEYS = [old_key]
    assert Address.objects.get().address == PHONE
    assert list(Address.objects.at("sms", PHONE)) == [row]

    call_command("addresses_rekey", stdout=None)
    [(_, stored_after, hash_after, _)] = _raw_rows()
    assert stored_after != stored_before and hash_after != hash_before

    settings.LINLI_ADDRESS_OLD_KEYS = []  # the old key can go now
    assert Address.objects.get().address == PHONE
    assert list(Address.objects.at("sms", PHONE)) == [row]


@pytest.mark.django_db
def test_a_key_that_is_gone_fails_loudly_instead_of_texting_garbage(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.LINLI_ADDRESS_KEY = Fernet.generate_key().decode()
    AddressFactory(channel="sms", address=PHONE)
    settings.LINLI_ADDRESS_KEY = Fernet.generate_key().decode()

    with pytest.raises(ImproperlyConfigured, match="LINLI_ADDRESS_OLD_KEYS"):
        Address.objects.get()


@pytest.mark.django_db
def test_changing_the_number_rewrites_its_hash(db):
    subscription = SubscriptionFactory()
    address_set(subscription=subscription, channel_code="sms", address=PHONE)
    address_set(subscription=subscription, channel_code="sms", address="13900139000")

    assert not Address.objects.at("sms", PHONE).exists()
    assert Address.objects.at("sms", "+8613900139000").get().subscription == subscription


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_encrypts_stored_numbers_and_going_back_decrypts_them():
    before = [("subscriptions", "0008_subscription_sensitive_consent")]
    latest = [
        key
        for key in MigrationExecutor(connection).loader.graph.leaf_nodes()
        if key[0] == "subscriptions"
    ]
    _migrate(before)
    try:
        apps = MigrationExecutor(connection).loader.project_state(before).apps
        Subscription = apps.get_model("subscriptions", "Subscription")
        OldAddress = apps.get_model("subscriptions", "Address")
        subscription = Subscription.objects.create(token_hash="a" * 64, content_types=["notice"])
        OldAddress.objects.create(
            subscription=subscription, channel="sms", address=PHONE, mailbox=PHONE
        )
        OldAddress.objects.create(
            subscription=Subscription.objects.create(token_hash="b" * 64, content_types=["notice"]),
            channel="email",
            address="li@example.org",
        )

        _migrate(latest)
        rows = {channel: (stored, mailbox) for channel, stored, _, mailbox in _raw_rows()}
        assert DIGITS not in str(rows["sms"])
        assert rows["email"][0] == "li@example.org"
        assert Address.objects.at("sms", PHONE).get().address == PHONE

        _migrate(before)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT address, mailbox FROM subscriptions_address WHERE channel = 'sms'"
            )
            assert cursor.fetchall() == [(PHONE, PHONE)]
    finally:
        _migrate(latest)


def test_a_providers_error_about_a_number_is_kept_without_it():
    from subscriptions.channels.sms import number_scrubbed

    for quoted in ("+8613800138000", "8613800138000", "13800138000"):
        text = number_scrubbed(f"tencent: InvalidParameterValue: {quoted} is wrong", PHONE)
        assert DIGITS not in text and "<number>" in text
