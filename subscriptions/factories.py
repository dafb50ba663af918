"""Factories for subscriptions, their addresses, and gateways."""

from django.utils import timezone

import factory

from subscriptions.channels.webhook import secret_new
from subscriptions.models import Address, Subscription, WebhookEndpoint
from subscriptions.tokens import manage_token_hash


class AddressFactory(factory.django.DjangoModelFactory):
    subscription = factory.SubFactory("subscriptions.factories.SubscriptionFactory")
    channel = "email"
    address = factory.Sequence(lambda n: f"resident{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Address


class SubscriptionFactory(factory.django.DjangoModelFactory):
    token_hash = factory.Sequence(lambda n: manage_token_hash(f"token-{n}"))
    resident_categories = factory.LazyFunction(lambda: ["elderly"])
    content_types = factory.LazyFunction(lambda: ["notice", "service", "event"])
    communities = factory.LazyFunction(list)
    quiet_start = None
    quiet_end = None

    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    @factory.post_generation
    def confirmed_email(self, create, extracted, **kwargs):
        """`confirmed_email=True`: a confirmed email address."""
        if extracted:
            AddressFactory(subscription=self, channel="email")

    @classmethod
    def with_push(cls, push_subscription: dict, **kwargs) -> Subscription:
        """A subscription reached by web push at this browser's push subscription."""
        subscription = cls(**kwargs)
        AddressFactory(
            subscription=subscription,
            channel="webpush",
            address=push_subscription["endpoint"],
            data=dict(push_subscription["keys"]),
        )
        return subscription


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"短信网关 {n}")
    url = "http://127.0.0.1:9/hook"
    secret = factory.LazyFunction(secret_new)
    quiet_start = None
    quiet_end = None

    class Meta:
        model = WebhookEndpoint
