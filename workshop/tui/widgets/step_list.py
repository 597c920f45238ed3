"""The lesson's steps, each marked passed, skipped, current or locked; choose one to go there."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

ICONS = {"passed": "✓", "skipped": "↷", "current": "▶", "locked": "·"}
"""What marks each status (plain glyphs: readable on any projector font)."""

_ICON_STYLES = {
    "passed": "bold green",
    "skipped": "bold yellow",
    "current": "bold",
    "locked": "dim",
}


@dataclass
class StepItem:
    """What the list shows of one step."""

    id: str
    title: str
    status: str
    """``passed``, ``skipped``, ``current`` or ``locked``."""


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

    @dataclass
    class StepChosen(Message):
        """The learner picked a step (click or Enter)."""

        step_id: str

    def show(self, items: list[StepItem]) -> None:
        """Replace the list; highlight the current step."""
        self.clear_options()
        current = 0
        for index, item in enumerate(items):
            label = Text()
            label.append(f"{ICONS[item.status]} ", _ICON_STYLES[item.status])
            label.append(f"{index + 1}. ", "dim")
            label.append(item.title, "bold" if item.status == "current" else "")
            self.add_option(Option(label, id=item.id, disabled=item.status == "locked"))
            if item.status == "current":
                current = index
        if items:
            self.highlighted = current

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Say which step was chosen."""
        event.stop()
        if event.option.id:
            self.post_message(self.StepChosen(event.option.id))
