from django import forms

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from home.models import CommunityHomePage, ResidentCategory


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
