"""The documented shapes of the subscription API's answers, for the OpenAPI schema.

Answers are built as dicts in `subscriptions.api`; these serializers only
describe them, and schemathesis checks in CI that what is served matches.
"""

from rest_framework import serializers as s

from subscriptions.models import CONTENT_TYPES, LOCALES, Delivery, Frequency, Notification

HH_MM = "HH:MM, Beijing time"


class QuietHoursOut(s.Serializer):
    start = s.CharField(help_text=HH_MM)
    end = s.CharField(help_text=HH_MM)


class WebPushOut(s.Serializer):
    endpoint = s.CharField()
    active = s.BooleanField(help_text="false once the push service said the endpoint is gone")


class Subscription(s.Serializer):
    email = s.EmailField(allow_null=True)
    email_confirmed = s.BooleanField()
    web_push = WebPushOut(allow_null=True)
    resident_categories = s.ListField(child=s.CharField())
    content_types = s.ListField(child=s.ChoiceField(choices=CONTENT_TYPES))
    communities = s.ListField(child=s.CharField(), help_text="community codes; empty means all")
    locale = s.ChoiceField(choices=LOCALES)
    frequency = s.ChoiceField(choices=Frequency.choices)
    quiet_hours = QuietHoursOut(allow_null=True, help_text="null: no quiet hours")
    created_at = s.DateTimeField()
    updated_at = s.DateTimeField()


class SubscriptionCreated(s.Serializer):
    manage_token = s.CharField(help_text="shown once; send it as `Authorization: Bearer <token>`")
    manage_url = s.CharField(help_text="path of the resident's manage page, in their locale")
    confirmation_sent = s.BooleanField(help_text="true when a confirmation email is on its way")
    subscription = Subscription()


class SubscriptionAnswer(s.Serializer):
    subscription = Subscription()


class Deleted(s.Serializer):
    deleted = s.BooleanField()


class PushKeysOut(s.Serializer):
    p256dh = s.CharField()
    auth = s.CharField()


class WebPushExport(WebPushOut):
    keys = PushKeysOut()


class SubscriptionExport(Subscription):
    web_push = WebPushExport(allow_null=True)
    email_confirmed_at = s.DateTimeField(allow_null=True)


class DeliveredNotification(s.Serializer):
    kind = s.ChoiceField(choices=Notification.Kind.choices)
    title = s.CharField(allow_blank=True)
    type = s.CharField(allow_null=True)
    created_at = s.DateTimeField()


class DeliveryExport(s.Serializer):
    notification = DeliveredNotification()
    # A plain string: channels are registered in code, and a new one must not
    # change the API's contract (see docs/decisions/0009).
    channel = s.CharField(help_text="the channel's code, e.g. webpush, email")
    status = s.ChoiceField(choices=Delivery.Status.choices)
    attempts = s.IntegerField()
    sent_at = s.DateTimeField(allow_null=True)


class Export(s.Serializer):
    subscription = SubscriptionExport()
    deliveries = DeliveryExport(many=True)


class Confirmed(s.Serializer):
    confirmed = s.BooleanField()


class Unsubscribed(s.Serializer):
    unsubscribed = s.BooleanField()


class CategoryOption(s.Serializer):
    code = s.CharField()
    name = s.CharField()
    sensitive = s.BooleanField(help_text="ask before showing that someone belongs to it")


class CommunityOption(s.Serializer):
    code = s.CharField()
    name = s.CharField()


class Options(s.Serializer):
    resident_categories = CategoryOption(many=True)
    communities = CommunityOption(many=True)
    content_types = s.ListField(child=s.ChoiceField(choices=CONTENT_TYPES))
    frequencies = s.ListField(child=s.ChoiceField(choices=Frequency.choices))
    locales = s.ListField(child=s.ChoiceField(choices=LOCALES))
    vapid_public_key = s.CharField(
        allow_null=True, help_text="applicationServerKey for web push; null when push is off"
    )
    quiet_hours = QuietHoursOut(help_text="the default quiet hours")
