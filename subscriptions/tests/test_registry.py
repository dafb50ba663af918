"""The channel registry and addresses: what each channel declares, and what residents keep."""

from django.core import signing
from django.core.exceptions import ValidationError

import pytest

from subscriptions import operations
from subscriptions.channels.registry import address_channels, all_channels, channel, register
from subscriptions.channels.webpush import WebPush
from subscriptions.factories import AddressFactory, SubscriptionFactory
from subscriptions.models import Address, Subscription
from subscriptions.tokens import CONFIRM_SALT, confirm_token_read

KEYS = {
    "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
    "auth": "tBHItJI5svbpez7KI4CCXg",
}


def test_every_channel_is_registered_once_with_a_label():
    codes = [spec.code for spec in all_channels()]
    assert codes == ["webpush", "email", "webhook", "sms", "voice", "wechat"]
    assert [spec.code for spec in address_channels()] == [
        "webpush",
        "email",
        "sms",
        "voice",
        "wechat",
    ]
    assert all(str(spec.label) for spec in all_channels())
    with pytest.raises(ValueError, match="registered twice"):
        register(WebPush())


@pytest.mark.django_db
def test_an_address_is_checked_by_its_channel_and_the_error_names_the_field():
    subscription = SubscriptionFactory()
    with pytest.raises(ValidationError) as bad_email:
        operations.address_set(subscription=subscription, channel_code="email", address="nope")
    assert "email" in bad_email.value.message_dict
    with pytest.raises(ValidationError) as not_https:
        operations.address_set(
            subscription=subscription,
            channel_code="webpush",
            address="ftp://push.example.org/1",
            data=KEYS,
        )
    assert "endpoint" in not_https.value.message_dict  # only https push services
    with pytest.raises(ValidationError) as unknown:
        operations.address_set(subscription=subscription, channel_code="fax", address="1")
    assert "channel" in unknown.value.message_dict
    assert not Address.objects.exists()


@pytest.mark.django_db
def test_a_push_address_is_live_at_once_and_an_email_address_after_its_link(
    django_capture_on_commit_callbacks, mailoutbox
):
    subscription = SubscriptionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        push = operations.address_set(
            subscription=subscription,
            channel_code="webpush",
            address="https://push.example.org/1",
            data=KEYS,
        )
        email = operations.address_set(
            subscription=subscription, channel_code="email", address=" Li@Example.org "
        )
    assert push.live and not email.live
    assert email.address == "Li@Example.org"
    assert [message.to for message in mailoutbox] == [["Li@Example.org"]]
    # The same address in other letters is not a new address: no second link.
    with django_capture_on_commit_callbacks(execute=True):
        operations.address_set(
            subscription=subscription, channel_code="email", address="li@example.org"
        )
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_unsubscribing_forgets_an_email_address_but_only_switches_push_off():
    subscription = SubscriptionFactory(confirmed_email=True)
    AddressFactory(subscription=subscription, channel="webpush", address="https://p.example/1")
    operations.subscription_unsubscribe(subscription_id=subscription.pk, channel_code="email")
    assert [(a.channel, a.active) for a in subscription.addresses.all()] == [("webpush", True)]
    operations.subscription_unsubscribe(subscription_id=subscription.pk, channel_code="webpush")
    # Nothing left to reach them with: the subscription goes.
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert channel("webpush").forget_on_unsubscribe is False


@pytest.mark.django_db
def test_confirmation_links_mailed_before_addresses_were_rows_still_confirm():
    address = AddressFactory(confirmed_at=None, address="old@example.org")
    token = signing.dumps({"s": address.subscription_id, "e": "old@example.org"}, salt=CONFIRM_SALT)
    payload = confirm_token_read(token)
    confirmed = operations.address_confirm(
        subscription_id=payload["s"], channel_code=payload["c"], address=payload["a"]
    )
    assert confirmed == address
    address.refresh_from_db()
    assert address.live
