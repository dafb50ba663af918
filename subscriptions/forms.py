from django import forms

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from home.models import CommunityHomePage, ResidentCategory
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
