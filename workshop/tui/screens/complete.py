"""The screen that sums up a finished lesson and offers the next one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from workshop.content import templates


@dataclass
class LessonSummary:
    """What the learner did in a lesson, ready to show."""

    lesson_title: str
    steps: list[tuple[str, int]] = field(default_factory=list)
    """Each step's title and how many failed attempts it took."""
    hints: int = 0
    next_lesson: str | None = None
    """The next lesson's title, if there is one."""

    @classmethod
    def of(cls, session: Any, next_lesson_id: str | None, hints: int) -> LessonSummary:
        """Read a summary off a session whose lesson has just completed."""
        values = getattr(session, "values", {})
        failures = getattr(session, "failures", {})
        steps = [
            (templates.render(step.title, values), int(failures.get(step.id, 0)))
            for step in session.lesson.steps
        ]
        following = session.workshop.lesson(next_lesson_id).title if next_lesson_id else None
        return cls(session.lesson.title, steps, hints, following)


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
        for title, failures in summary.steps:
            table.add_row(Text("✓", "bold green"), title, str(failures))
        retries = sum(f for _, f in summary.steps)
        first_time = sum(1 for _, f in summary.steps if f == 0)
        totals = Text.assemble(
            (f"{len(summary.steps)} step{'s' if len(summary.steps) != 1 else ''} passed", "bold"),
            f", {first_time} at the first try, {retries} retries, {summary.hints} hints.",
        )
        with Vertical(id="dialog"):
            yield Static(Text(f"★ Lesson complete: {summary.lesson_title}", "bold"), id="title")
            yield Static(table, id="table")
            yield Static(totals, id="totals")
            with Horizontal(id="buttons"):
                if summary.next_lesson:
                    yield Button(f"Next: {summary.next_lesson}", id="next", variant="primary")
                yield Button("Back to the lesson", id="stay")
                yield Button("Quit", id="quit", variant="error")

    def on_mount(self) -> None:
        """The first button has the keyboard."""
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Close with the button's choice: ``next``, ``stay`` or ``quit``."""
        self.dismiss(event.button.id or "stay")
