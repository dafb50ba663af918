"""Factories for subscriptions and gateways."""

from django.utils import timezone

import factory

from subscriptions.channels.webhook import secret_new
from subscriptions.models import Subscription, WebhookEndpoint
from subscriptions.tokens import manage_token_hash


class SubscriptionFactory(factory.django.DjangoModelFactory):
    token_hash = factory.Sequence(lambda n: manage_token_hash(f"token-{n}"))
    resident_categories = factory.LazyFunction(lambda: ["elderly"])
    content_types = factory.LazyFunction(lambda: ["notice", "service", "event"])
    communities = factory.LazyFunction(list)
    quiet_start = None
    quiet_end = None

    class Meta:
        model = Subscription

    class Params:
        confirmed_email = factory.Trait(
            email=factory.Sequence(lambda n: f"resident{n}@example.org"),
            email_confirmed_at=factory.LazyFunction(timezone.now),
        )

    @classmethod
    def with_push(cls, push_subscription: dict, **kwargs) -> Subscription:
        return cls(
            push_endpoint=push_subscription["endpoint"],
            push_p256dh=push_subscription["keys"]["p256dh"],
            push_auth=push_subscription["keys"]["auth"],
            push_active=True,
            **kwargs,
        )


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"短信网关 {n}")
    url = "http://127.0.0.1:9/hook"
    secret = factory.LazyFunction(secret_new)
    quiet_start = None
    quiet_end = None

    class Meta:
        model = WebhookEndpoint
