"""The kiosk form staff use in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm


class KioskForm(WagtailAdminModelForm):
    """Adds a 'revoke' tick box: a stolen or retired kiosk stops working at once."""

    revoke = forms.BooleanField(
        label=_("停用这台自助机"),
        required=False,
        help_text=_("勾选并保存后，这台自助机的令牌立即失效。要重新启用，请新建一台。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["revoke"]
        else:
            self.fields["revoke"].initial = bool(self.instance.revoked_at)

    def save(self, commit=True):
        revoke = self.cleaned_data.get("revoke") and not self.instance.revoked_at
        kiosk = super().save(commit=commit)
        if revoke:
            from kiosks.operations import kiosk_revoke  # the model names this form

            # Through the operation: revoking is one named action, whoever does it.
            kiosk_revoke(kiosk=kiosk)
        return kiosk
