"""Places in the page editor that an app further up fills.

A content model puts `SlotPanel("reach")` among its panels; the app that knows
what belongs there (push: how many subscriptions a page reaches) fills the slot
from its `AppConfig.ready()` with `slot_fill()`. The content apps so never
import the apps built on them, and an unfilled slot shows nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail.admin.panels import Panel


@dataclass(frozen=True)
class Filling:
    template: str
    context: Callable[[object], dict]


_slots: dict[str, Filling] = {}


def slot_fill(name: str, *, template: str, context: Callable[[object], dict]) -> None:
    """Show `template` in slot `name`, with `context(page)` added to its context."""
    _slots[name] = Filling(template=template, context=context)


class SlotPanel(Panel):
    """Read-only: whatever the app that filled the slot shows for this page."""

    def __init__(self, slot: str, **kwargs):
        super().__init__(**kwargs)
        self.slot = slot

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "slot": self.slot}

    class BoundPanel(Panel.BoundPanel):
        @property
        def filling(self) -> Filling | None:
            return _slots.get(self.panel.slot)

        @property
        def template_name(self) -> str:
            return self.filling.template

        def is_shown(self):
            return self.filling is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(self.filling.context(self.instance))
            return context
