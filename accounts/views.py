"""The two-step pages: enrol an authenticator, type its code, see and change the setting."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

import segno
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import (
    authenticator_for,
    authenticator_pending,
    authenticators_remove,
    secret_for_typing,
    two_factor_required,
)


class CodeForm(forms.Form):
    """The six digits an authenticator app shows."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("请输入 6 位数字。"), code="format")
        return code

    def check_against(self, device: TOTPDevice) -> bool:
        """True if the code is the device's current one; otherwise the form carries why not."""
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            self.add_error("code", _("错误次数太多，请稍等片刻再试。"))
            return False
        if not device.verify_token(self.cleaned_data["code"]):
            self.add_error("code", _("验证码不对或已过期，请输入手机上此刻显示的数字。"))
            return False
        return True


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


@never_cache
@sensitive_post_parameters("code")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Asks a signed-in person for the current code of their authenticator."""
    device = authenticator_for(request.user)
    if device is None:
        return redirect(f"{reverse('accounts_two_factor_enrol')}?{request.GET.urlencode()}")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.check_against(device):
        otp_login(request, device)
        return redirect(_next_url(request))
    return TemplateResponse(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@sensitive_post_parameters("code")
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Shows a new key as a QR code and confirms it with the first code the app shows."""
    if authenticator_for(request.user) is not None:
        return redirect(
            reverse("accounts_two_factor")
            if request.user.is_verified()
            else f"{reverse('accounts_two_factor_verify')}?{request.GET.urlencode()}"
        )
    device = authenticator_pending(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.check_against(device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(
            request, _("两步验证已开启：以后登录时，输入密码后还要输入手机上的验证码。")
        )
        return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr": segno.make(device.config_url, error="m").svg_inline(
                scale=5, border=2, light="white"
            ),
            "secret": secret_for_typing(device),
            "required": two_factor_required(request.user),
        },
    )


class TwoFactorSettingsView(WagtailAdminTemplateMixin, TemplateView):
    """The person's own two-step setting: on or off, and a way to move to a new phone."""

    page_title = _("两步验证")
    header_icon = "key"
    template_name = "accounts/two_factor_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = authenticator_for(self.request.user)
        context["required"] = two_factor_required(self.request.user)
        return context


@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    """Forgets the person's authenticator: off if optional, a new one at once if required."""
    authenticators_remove(request.user)
    if two_factor_required(request.user):
        return redirect("accounts_two_factor_enrol")
    messages.success(request, _("两步验证已关闭。"))
    return redirect("accounts_two_factor")
