"""The subscription API's shapes: what it reads (validated here, errors in the
request's locale) and what it answers.

Answers are built as dicts in `api.views.subscriptions`; the answer serializers
only describe them for the OpenAPI schema, and schemathesis checks in CI that
what is served matches.
"""

from wagtail.models import Locale

from rest_framework import serializers
from rest_framework import serializers as s

from home.models import CommunityHomePage, ResidentCategory
from subscriptions.channels import webpush
from subscriptions.channels.registry import address_channels
from subscriptions.channels.sms import phone_e164
from subscriptions.channels.wechat import binding_openid
from subscriptions.consent import consent_needed
from subscriptions.errors import message, refusal
from subscriptions.models import (
    CONTENT_TYPES,
    LOCALES,
    Delivery,
    Frequency,
    Notification,
    Relationship,
)

HH_MM = "HH:MM, Beijing time"


class QuietHoursOut(s.Serializer):
    start = s.CharField(help_text=HH_MM)
    end = s.CharField(help_text=HH_MM)


class WebPushOut(s.Serializer):
    endpoint = s.CharField()
    active = s.BooleanField(help_text="false once the push service said the endpoint is gone")


class SensitiveConsentOut(s.Serializer):
    given_at = s.DateTimeField()
    version = s.CharField(help_text="the version of the consent text agreed to")
    text = s.CharField(help_text="that text, in the answer's language")
    renew_by = s.DateTimeField(
        help_text="confirm again before this, or the sensitive topics stop (yearly)"
    )


class OnBehalfOut(s.Serializer):
    relationship = s.ChoiceField(choices=Relationship.choices)
    agreed_at = s.DateTimeField(
        help_text="when the carer confirmed that the person agreed to be subscribed"
    )


class Subscription(s.Serializer):
    email = s.EmailField(allow_null=True)
    email_confirmed = s.BooleanField()
    web_push = WebPushOut(allow_null=True)
    phone = s.CharField(allow_null=True, help_text="mainland mobile number in E.164 (+86…)")
    phone_confirmed = s.BooleanField(help_text="true once the code texted to it was entered")
    voice_phone = s.CharField(
        allow_null=True, help_text="number called for urgent notices, in E.164 (+86…)"
    )
    voice_phone_confirmed = s.BooleanField(
        help_text="true once the number was confirmed by the code texted to it"
    )
    wechat_bound = s.BooleanField(
        help_text="true while template messages go to the WeChat user who bound it"
    )
    channel_order = s.ListField(
        child=s.CharField(),
        help_text=(
            "the subscription's channels (codes: sms, webpush, email …) in the order an urgent "
            "notice tries them: the next one gets it when no receipt proves the last arrived"
        ),
    )
    resident_categories = s.ListField(child=s.CharField())
    content_types = s.ListField(child=s.ChoiceField(choices=CONTENT_TYPES))
    communities = s.ListField(child=s.CharField(), help_text="community codes; empty means all")
    locale = s.ChoiceField(choices=LOCALES)
    frequency = s.ChoiceField(choices=Frequency.choices)
    quiet_hours = QuietHoursOut(allow_null=True, help_text="null: no quiet hours")
    sensitive_consent = SensitiveConsentOut(
        allow_null=True, help_text="the separate consent for sensitive topics; null: none given"
    )
    on_behalf = OnBehalfOut(
        allow_null=True, help_text="为家人订阅: whom a carer subscribed for; null: for oneself"
    )
    created_at = s.DateTimeField()
    updated_at = s.DateTimeField()


class SubscriptionCreated(s.Serializer):
    manage_token = s.CharField(help_text="shown once; send it as `Authorization: Bearer <token>`")
    manage_url = s.CharField(
        help_text=(
            "path of the resident's manage page, in their locale, with the token in the "
            "fragment (`/subscriptions/manage/#token=…`), which browsers never send"
        )
    )
    confirmation_sent = s.BooleanField(
        help_text="true when a confirmation email or a code by SMS is on its way"
    )
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
    phone_confirmed_at = s.DateTimeField(allow_null=True)
    voice_phone_confirmed_at = s.DateTimeField(allow_null=True)
    wechat_openid = s.CharField(allow_null=True, help_text="the openid for this service account")
    wechat_bound_at = s.DateTimeField(allow_null=True)


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
    name = s.CharField(help_text="a sensitive category is named as a topic (残疾人相关政策)")
    sensitive = s.BooleanField(
        help_text="subscribing needs the separate consent (`sensitive_consent: true`)"
    )


class ConsentOption(s.Serializer):
    version = s.CharField()
    text = s.CharField(help_text="show it beside its own tick box, in plain words")


class CommunityOption(s.Serializer):
    code = s.CharField()
    name = s.CharField()


class RelationshipOption(s.Serializer):
    code = s.ChoiceField(choices=Relationship.choices)
    name = s.CharField()


class Options(s.Serializer):
    resident_categories = CategoryOption(many=True)
    communities = CommunityOption(many=True)
    content_types = s.ListField(child=s.ChoiceField(choices=CONTENT_TYPES))
    frequencies = s.ListField(child=s.ChoiceField(choices=Frequency.choices))
    relationships = RelationshipOption(
        many=True, help_text="为家人订阅: whom a carer may subscribe for, named in `locale`"
    )
    locales = s.ListField(child=s.ChoiceField(choices=LOCALES))
    vapid_public_key = s.CharField(
        allow_null=True, help_text="applicationServerKey for web push; null when push is off"
    )
    quiet_hours = QuietHoursOut(help_text="the default quiet hours")
    sensitive_consent = ConsentOption(help_text="the consent text in force")


# What the API reads.


class PushKeys(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)

    def validate_p256dh(self, value):
        if not webpush.p256dh_valid(value):
            raise serializers.ValidationError(message("p256dh_invalid"))
        return value

    def validate_auth(self, value):
        if not webpush.auth_valid(value):
            raise serializers.ValidationError(message("auth_invalid"))
        return value


class PushSubscription(serializers.Serializer):
    endpoint = serializers.URLField(max_length=1000)
    keys = PushKeys()
    expirationTime = serializers.IntegerField(required=False, allow_null=True)

    def validate_endpoint(self, value):
        if not webpush.endpoint_allowed(value):
            raise serializers.ValidationError(message("endpoint_not_public"))
        return value


class QuietHours(serializers.Serializer):
    start = serializers.TimeField(format="%H:%M")
    end = serializers.TimeField(format="%H:%M")


class OnBehalf(serializers.Serializer):
    """为家人订阅: the carer names the relationship and confirms that person's agreement."""

    relationship = serializers.ChoiceField(
        choices=Relationship.choices, help_text="who the subscription is for, to the carer"
    )
    agreement = serializers.BooleanField(
        help_text="must be true: the carer has that person's agreement to subscribe them"
    )

    def to_internal_value(self, data):
        # Each missing piece has its own code, so a client can point at the box to tick.
        if isinstance(data, dict):
            if data.get("relationship") in (None, ""):
                raise refusal(
                    "relationship_required", field="on_behalf.relationship", known=_RELATIONSHIPS
                )
            if data.get("relationship") not in Relationship.values:
                raise refusal(
                    "invalid_choice",
                    "invalid_relationship",
                    field="on_behalf.relationship",
                    known=_RELATIONSHIPS,
                )
            if data.get("agreement") is not True:
                raise refusal("agreement_required", field="on_behalf.agreement")
        return super().to_internal_value(data)


_RELATIONSHIPS = ", ".join(Relationship.values)


class SubscriptionInput(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="a mainland mobile number, with or without +86; a 6-digit code is texted to it",
    )
    voice_phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text=(
            "紧急通知打电话给我: a mainland mobile number called (text-to-speech) for urgent "
            "notices only; confirmed by the same 6-digit code as `phone` (one code for both "
            "when they are the same number); empty stops the calls"
        ),
    )
    web_push = PushSubscription(required=False, allow_null=True)
    wechat = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=(
            "the binding token the page received back from WeChat's web authorisation "
            "(`#wechat=…`, valid an hour); empty stops messages in WeChat"
        ),
    )
    channel_order = serializers.ListField(
        child=serializers.CharField(max_length=16),
        required=False,
        max_length=20,
        help_text=(
            "channel codes (sms, webpush, email …) in the order an urgent notice should try "
            "them; channels left out follow in their default order (SMS first, email last)"
        ),
    )
    resident_categories = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )
    content_types = serializers.ListField(
        child=serializers.ChoiceField(choices=CONTENT_TYPES), allow_empty=False, max_length=3
    )
    communities = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=50
    )
    locale = serializers.ChoiceField(choices=LOCALES, required=False)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    quiet_hours = QuietHours(required=False, allow_null=True)
    sensitive_consent = serializers.BooleanField(
        required=False,
        help_text=(
            "true: the resident ticked the separate consent for sensitive topics "
            "(`sensitive: true` in the options). Required when the categories add one; "
            "otherwise 400 `consent_required`."
        ),
    )
    on_behalf = OnBehalf(
        required=False,
        allow_null=True,
        help_text=(
            "为家人订阅: subscribing someone else (their community and categories above); "
            "null or absent: for oneself"
        ),
    )

    def validate_resident_categories(self, value):
        known = set(
            ResidentCategory.objects.filter(locale=Locale.get_default()).values_list(
                "code", flat=True
            )
        )
        unknown = sorted(set(value) - known)
        if unknown:
            raise serializers.ValidationError(
                message("unknown_categories", codes=", ".join(unknown))
            )
        return sorted(set(value))

    def validate_communities(self, value):
        known = set(CommunityHomePage.objects.values_list("code", flat=True))
        unknown = sorted(set(value) - known)
        if unknown:
            raise serializers.ValidationError(
                message("unknown_communities", codes=", ".join(unknown))
            )
        return sorted(set(value))

    def validate_phone(self, value):
        if not value.strip():
            return ""
        number = phone_e164(value)
        if number is None:
            raise serializers.ValidationError(message("phone_invalid"))
        return number

    def validate_voice_phone(self, value):
        return self.validate_phone(value)

    def validate_wechat(self, value):
        if not value.strip():
            return ""
        openid = binding_openid(value.strip())
        if openid is None:
            raise serializers.ValidationError(message("wechat_binding_invalid"))
        return openid

    def validate_channel_order(self, value):
        known = [spec.code for spec in address_channels() if spec.api_field is not None]
        unknown = [code for code in value if code not in known]
        if unknown:
            raise serializers.ValidationError(
                message("unknown_channels", codes=", ".join(unknown), known=", ".join(known))
            )
        for code in value:
            if value.count(code) > 1:
                raise serializers.ValidationError(message("repeated_channels", code=code))
        return value

    def validate_content_types(self, value):
        return sorted(set(value))

    def validate(self, attrs):
        self._consent_check(attrs)
        # At least one address remains: given now, or kept from before.
        for spec in address_channels():
            if spec.api_field is None:
                continue
            if spec.api_field in attrs:
                if spec.from_api(attrs[spec.api_field]) is not None:
                    return attrs
            elif self.instance is not None and self.instance.address(spec.code) is not None:
                return attrs
        raise serializers.ValidationError({"email": message("channel_required")})

    def _consent_check(self, attrs):
        """A sensitive category added needs the separate consent ticked (PIPL Art. 29)."""
        if "resident_categories" not in attrs or attrs.get("sensitive_consent") is True:
            return
        before = self.instance.resident_categories if self.instance is not None else []
        if consent_needed(before=before, after=attrs["resident_categories"]):
            raise refusal("consent_required", field="sensitive_consent")


class PhoneConfirmInput(serializers.Serializer):
    phone = serializers.CharField(max_length=32, help_text="the number, as given when subscribing")
    code = serializers.CharField(max_length=12, help_text="the 6 digits texted to it")


class TokenInput(serializers.Serializer):
    token = serializers.CharField(max_length=500)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
