"""A modal list of the workshop's lessons; choosing one switches to it."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workshop.content.model import Workshop


class LessonPicker(ModalScreen[str | None]):
    """Pick a lesson with the arrows and Enter, or a click; Escape keeps the current one."""

    CSS_PATH = Path(__file__).with_name("dialogs.tcss")

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    """Escape keeps the current lesson."""

    def __init__(
        self, workshop: Workshop, current: str, finished: frozenset[str] = frozenset()
    ) -> None:
        super().__init__()
        self.workshop = workshop
        """Whose lessons are listed."""
        self.current = current
        """The lesson the learner is in (highlighted first)."""
        self.finished = finished
        """The lessons the learner has done (marked ✓)."""

    def compose(self) -> ComposeResult:
        """A title and the list."""
        with Vertical(classes="dialog"):
            yield Static(f"Lessons of {self.workshop.title}", classes="dialog-title")
            options = [
                Option(f"{'✓' if lesson.id in self.finished else ' '} {n}. {lesson.title}",
                       id=lesson.id)
                for n, lesson in enumerate(self.workshop.lessons, 1)
            ]  # fmt: skip
            yield OptionList(*options, id="lessons")
            yield Static("Enter: open   Esc: cancel", classes="dialog-help")

    def on_mount(self) -> None:
        """Highlight the current lesson."""
        options = self.query_one(OptionList)
        ids = [lesson.id for lesson in self.workshop.lessons]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Close with the chosen lesson's id."""
        self.dismiss(event.option.id)
