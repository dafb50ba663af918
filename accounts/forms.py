"""The admin's sign-in form."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


def lockout_message() -> str:
    """What a locked-out person reads: why, for how long, and who can help."""
    cooloff = settings.AXES_COOLOFF_TIME
    if not cooloff:
        return str(_("登录失败次数过多，此帐号在本地址已被锁定。请管理员解锁。"))
    minutes = max(1, round(cooloff.total_seconds() / 60))
    return ngettext(
        "登录失败次数过多，此帐号在本地址已暂时锁定。请 %(minutes)d 分钟后再试，或请管理员解锁。",
        "登录失败次数过多，此帐号在本地址已暂时锁定。请 %(minutes)d 分钟后再试，或请管理员解锁。",
        minutes,
    ) % {"minutes": minutes}


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with the password field labelled in the editor's language.

    When too many wrong passwords have locked the account at this address
    (django-axes marks the request), the error says so instead of "wrong
    password", so the person knows that trying again will not help.
    """

    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"placeholder": _("输入密码")}),
    )

    def get_invalid_login_error(self) -> ValidationError:
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(), code="locked")
        return super().get_invalid_login_error()
