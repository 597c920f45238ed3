"""The lesson's steps, each marked passed, skipped, current or locked; choose one to go there.

On a wide screen each row reads ``✓ 1. title``. On a narrow one (a "rail") the list shows
only the marks and numbers, and opens to the titles while the mouse is over it or it has
the keyboard. The step the learner looks at is highlighted; the step to do next keeps its
``▶`` while the learner looks back at another.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workshop.records import Record

ICONS = {"passed": "✓", "skipped": "↷", "current": "▶", "locked": "·"}
"""What marks each status (plain glyphs: readable on any projector font)."""

_ICON_STYLES = {
    "passed": "bold green",
    "skipped": "bold yellow",
    "current": "bold",
    "locked": "dim",
}


class StepItem(Record):
    """What the list shows of one step."""

    id: str
    title: str
    status: str
    """``passed``, ``skipped``, ``current`` or ``locked``."""
    viewing: bool = False
    """The learner looks at this step now."""


class StepList(OptionList):
    """The steps of the lesson. Locked steps are shown but cannot be chosen."""

    DEFAULT_CSS = """
    StepList {
        width: 30;
        height: 1fr;
        border: none;
        padding: 0 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    StepList:focus {
        border: none;  /* no frame appearing on focus: rows must not move under a click */
    }
    StepList > .option-list--option-disabled {
        color: $text-disabled;
    }
    """

    rail: reactive[bool] = reactive(False)
    """Narrow: marks and numbers only, titles while hovered or focused."""

    class StepChosen(Message):
        """The learner picked a step (click or Enter)."""

        def __init__(self, step_id: str) -> None:
            super().__init__()
            self.step_id = step_id

    _items: list[StepItem] = []

    @property
    def opened(self) -> bool:
        """Titles are shown (always, unless a rail that is neither hovered nor focused)."""
        return not self.rail or self.has_focus or self.mouse_hover

    def show(self, items: list[StepItem]) -> None:
        """Replace the list; highlight the step the learner looks at (the same list again
        changes nothing)."""
        if items == self._items and self.option_count == len(items):
            return
        self._items = list(items)
        self._draw()

    def _draw(self) -> None:
        self.set_class(self.rail, "-rail")
        self.set_class(self.rail and self.opened, "-open")
        self.clear_options()
        viewing = 0
        titles = self.opened
        for index, item in enumerate(self._items):
            label = Text()
            label.append(ICONS[item.status], _ICON_STYLES[item.status])
            label.append(f" {index + 1}" if not titles else f" {index + 1}. ", "dim")
            locked = item.status == "locked"
            if titles:
                label.append(item.title, "bold" if item.viewing else "dim" if locked else "")
            # a locked step stays choosable: the screen says why it does not open (a
            # disabled option took clicks and Enter without a word)
            self.add_option(Option(label, id=item.id))
            if item.viewing:
                viewing = index
        if self._items:
            self.highlighted = viewing

    def watch_rail(self) -> None:
        """Narrow or wide: draw again."""
        self._draw()

    def watch_has_focus(self, has_focus: bool) -> None:
        """A rail opens to its titles while it has the keyboard."""
        super().watch_has_focus(has_focus)
        if self.rail:
            self._draw()

    def watch_mouse_hover(self, hovered: bool) -> None:
        """… and while the mouse is over it."""
        if self.rail:
            self._draw()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Say which step was chosen."""
        event.stop()
        if event.option.id:
            self.post_message(self.StepChosen(event.option.id))
