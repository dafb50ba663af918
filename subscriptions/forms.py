from django import forms

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from home.models import CommunityHomePage, ResidentCategory
from subscriptions.channels.sms import phone_e164
from subscriptions.channels.webhook import DESTINATIONS


class WebhookEndpointForm(WagtailAdminModelForm):
    rotate_secret = forms.BooleanField(
        label="更换签名密钥",
        required=False,
        help_text="生成新密钥；旧密钥再同时签名 24 小时，方便网关切换。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = Locale.get_default()
        self.fields["resident_categories"].choices = [
            (row.code, row.name)
            for row in ResidentCategory.objects.filter(locale=default).order_by("sort_order")
        ]
        self.fields["communities"].choices = [
            (page.code, page.title)
            for page in CommunityHomePage.objects.filter(locale=default).order_by("path")
        ]
        if not self.instance.pk:
            del self.fields["rotate_secret"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        refusal = DESTINATIONS.refusal(url)
        if refusal:
            raise forms.ValidationError(
                "网关须是公网地址：这个地址指向内网、本机或保留的主机名（%(why)s）。"
                "内网的网关请由管理员写入设置 LINLI_WEBHOOK_INTERNAL_HOSTS。",
                code="internal_address",
                params={"why": refusal},
            )
        return url


class RelayForm(WagtailAdminModelForm):
    """A relay with its phone number and email, kept as addresses of the relay's subscription."""

    phone = forms.CharField(
        label="手机号码",
        required=False,
        max_length=32,
        help_text="紧急通知以短信发到这个号码。工作人员核实过的号码，不再发验证码。",
    )
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254)
    community = forms.ChoiceField(label="社区", choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = Locale.get_default()
        self.fields["community"].choices = [
            (page.code, page.title)
            for page in CommunityHomePage.objects.filter(locale=default).order_by("path")
        ]
        if self.instance.pk:
            from subscriptions.relays import relay_addresses

            current = relay_addresses(self.instance)
            self.initial.setdefault("phone", current.get("sms", ""))
            self.initial.setdefault("email", current.get("email", ""))

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        number = phone_e164(value)
        if number is None:
            raise forms.ValidationError("请填写中国大陆的手机号码（11 位，可带 +86）。")
        return number

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors:
            raise forms.ValidationError("请至少填写手机号码或电子邮箱，紧急通知才能送到转告人。")
        return cleaned

    def save(self, commit=True):
        from subscriptions.relays import relay_save

        relay = super().save(commit=False)
        if commit:
            relay_save(
                relay=relay,
                addresses={"sms": self.cleaned_data["phone"], "email": self.cleaned_data["email"]},
            )
        return relay
