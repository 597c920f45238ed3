"""The form a quiz step is answered with: a text box, radio buttons or check boxes, a button.

A quiz step is answered, not run, so on such a step the keyboard is here instead of in
the terminal. Enter answers from anywhere in the form (Space ticks a box or picks a radio
button, the arrows and Tab move); the form only says what was chosen (:class:`Answered`):
the screen grades it through the session, as the line mode does. Nothing chosen is no
attempt: the form says so itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message

if TYPE_CHECKING:
    from textual.widgets import Button, Input

    from workshop.content.quiz import Question


class QuizForm(Vertical):
    """The current quiz step's answer form (empty and hidden on any other step)."""

    DEFAULT_CSS = """
    QuizForm {
        height: auto;
        padding: 0 1;
        display: none;
    }
    QuizForm.-shown { display: block; }
    QuizForm RadioSet { border: none; padding: 0; width: 1fr; height: auto; }
    QuizForm Checkbox { width: 1fr; }
    QuizForm Input { width: 1fr; margin: 0 0 1 0; }
    QuizForm #quiz-submit { margin: 0; }
    QuizForm #quiz-note { color: $text-muted; height: auto; }
    """

    BINDINGS = [Binding("enter", "submit", "Answer", show=False)]
    """Enter answers (the text box's own Enter does the same)."""

    takes_typing = True
    """Printable keys here are the learner's answer, not the shell's (see LessonPane)."""

    @dataclass
    class Answered(Message):
        """The learner answered: the text (``input``) or the chosen options' ids."""

        answer: str | list[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question: Question | None = None
        """The question the form asks now (None: not a quiz step)."""

    async def ask(self, question: Question | None) -> None:
        """Show the form for ``question`` (a new, empty one), or hide it."""
        if question == self.question:
            return
        self.question = question
        await self.remove_children()
        self.set_class(question is not None, "-shown")
        if question is None:
            return
        # the fields' widgets are imported with the first quiz step: most steps ask nothing,
        # and the TUI's first screen does not wait for them
        from workshop.tui.widgets.quiz_fields import fields

        await self.mount_all(fields(question))

    def focus_first(self) -> None:
        """Give the keyboard to the form's first field."""
        for widget in self.query("Input, RadioSet, Checkbox"):
            widget.focus()
            return

    def chosen(self) -> str | list[str]:
        """What the form holds now: the text, or the ids of the options chosen."""
        question = self.question
        if question is None:
            return ""
        from textual.widgets import Input, RadioSet

        from workshop.tui.widgets.quiz_fields import Choice

        if question.kind == "input":
            return self.query_one("#quiz-input", Input).value
        if question.kind == "checkbox":
            index = self.query_one("#quiz-options", RadioSet).pressed_index
            return [question.options[index].id] if index >= 0 else []
        boxes = list(self.query(Choice))
        return [o.id for o, box in zip(question.options, boxes, strict=True) if box.value]

    def revealed(self) -> str:
        """The right answer as the form shows it: the text, or the right options' labels
        (their ids are the author's, never on screen)."""
        question = self.question
        if question is None:
            return ""
        if question.kind == "input":
            return question.answer[0]
        return "; ".join(o.text for o in question.options if o.id in question.answer)

    def action_submit(self) -> None:
        """Answer with what the form holds; nothing chosen is said, not graded."""
        answer = self.chosen()
        if not (answer.strip() if isinstance(answer, str) else answer):
            typed = self.question is not None and self.question.kind == "input"
            self.notify(
                "Type your answer first." if typed else "Choose an option first.", timeout=3
            )
            return
        self.post_message(self.Answered(answer))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the text box answers."""
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The Answer button answers."""
        event.stop()
        self.action_submit()
