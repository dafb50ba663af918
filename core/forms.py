"""Admin forms shared by several snippets and content pages."""

from collections.abc import Callable

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

# Why the editor may not tick "tell subscribers" now (page, user) -> reason or None;
# set by the app that sends the messages (subscriptions), which content apps do not import.
_notify_gate: Callable[[object, object], str | None] | None = None


def notify_gate_set(gate: Callable[[object, object], str | None]) -> None:
    """Let `gate(page, user)` grey out the "tell subscribers" box, giving its reason."""
    global _notify_gate
    _notify_gate = gate


class StableCodeForm(WagtailAdminModelForm):
    """Locks the `code` field once a record exists: clients and subscriptions refer to it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True


class ContentPageForm(WagtailAdminPageForm):
    """The page editor of services, notices and events.

    The "tell subscribers" box is greyed out, with the reason in its help text,
    when the push app says this editor may not announce the page now.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("notify_subscribers")
        reason = _notify_gate(self.instance, self.for_user) if field and _notify_gate else None
        if reason:
            field.disabled = True  # what is posted is ignored: the box stays unticked
            self.initial["notify_subscribers"] = False
            field.help_text = reason
