"""The screen that sums up a finished lesson and offers the next one."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from workshop.engine.lesson_progress import LessonSummary


class CompletionScreen(ModalScreen[str]):
    """ "Lesson complete": each step with its retries, hints used, and what comes next."""

    CSS_PATH = Path(__file__).with_name("complete.tcss")

    BINDINGS = [
        Binding("escape", "dismiss('stay')", "Back to the lesson"),
        Binding("q", "dismiss('quit')", "Quit"),
    ]
    """Escape goes back to the lesson, q quits; the buttons do the same with the mouse."""

    def __init__(self, summary: LessonSummary) -> None:
        super().__init__()
        self.summary = summary
        """What is shown."""

    def compose(self) -> ComposeResult:
        """A title, the table of steps, and buttons."""
        summary = self.summary
        table = Table(box=None, show_header=True, header_style="bold", expand=True)
        table.add_column("", width=2)
        table.add_column("Step")
        table.add_column("Retries", justify="right")
        for step in summary.steps:
            mark = Text("↷", "bold yellow") if step.skipped else Text("✓", "bold green")
            table.add_row(mark, step.title, str(step.failures))
        count = len(summary.steps) - summary.skipped
        hints = f"{summary.hints} hint{'s' if summary.hints != 1 else ''}"
        skipped = f", {summary.skipped} skipped" if summary.skipped else ""
        totals = Text.assemble(
            (f"{count} step{'s' if count != 1 else ''} passed{skipped}", "bold"),
            f", {summary.first_try} at the first try,"
            f" {summary.retries} retr{'ies' if summary.retries != 1 else 'y'}, {hints}.",
        )
        with Vertical(id="dialog"):
            yield Static(Text(f"★ Lesson complete: {summary.title}", "bold"), id="title")
            yield Static(table, id="table")
            yield Static(totals, id="totals")
            with Horizontal(id="buttons"):
                if summary.next_lesson_title:
                    yield Button(f"Next: {summary.next_lesson_title}", id="next", variant="primary")
                yield Button("Back to the lesson", id="stay")
                yield Button("Quit", id="quit", variant="error")

    def on_mount(self) -> None:
        """The first button has the keyboard (there is none when the app closed as the
        screen opened: a learner who quit the moment the lesson was done)."""
        buttons = self.query(Button)
        if buttons:
            buttons.first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Close with the button's choice: ``next``, ``stay`` or ``quit``."""
        self.dismiss(event.button.id or "stay")
