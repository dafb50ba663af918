"""Admin forms shared by several snippets."""

from wagtail.admin.forms import WagtailAdminModelForm


class StableCodeForm(WagtailAdminModelForm):
    """Locks the `code` field once a record exists: clients and subscriptions refer to it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True
