from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from accounts import views


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/", views.TwoFactorSettingsView.as_view(), name="accounts_two_factor"),
        path("two-factor/verify/", views.two_factor_verify, name="accounts_two_factor_verify"),
        path("two-factor/enrol/", views.two_factor_enrol, name="accounts_two_factor_enrol"),
        path("two-factor/remove/", views.two_factor_remove, name="accounts_two_factor_remove"),
    ]


@hooks.register("register_account_menu_item")
def register_two_factor_menu_item(request):
    return {
        "url": reverse("accounts_two_factor"),
        "label": _("两步验证"),
        "help_text": _("登录时除了密码，还要输入手机验证器应用上的验证码。"),
    }


@hooks.register("register_permissions")
def register_two_factor_permission():
    return Permission.objects.filter(
        content_type__app_label="accounts", codename="require_two_factor"
    )
