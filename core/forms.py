"""Admin forms shared by several snippets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class StableCodeForm(WagtailAdminModelForm):
    """Locks the `code` field once a record exists: clients and subscriptions refer to it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with the password field labelled in the editor's language."""

    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"placeholder": _("输入密码")}),
    )
