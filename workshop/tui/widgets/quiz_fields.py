"""The fields of a quiz step's form (:class:`~workshop.tui.widgets.quiz_form.QuizForm`):
a text box, radio buttons or check boxes, and the Answer button.

Kept apart from the form, and imported with the first quiz step: Textual's toggle
buttons, input and button are a few milliseconds of every start otherwise, and most steps
ask nothing.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static

from workshop.content.quiz import Question

Field = Static | Input | RadioSet | Checkbox | Button


class Choice(Checkbox, inherit_bindings=False):
    """A check box that Space ticks; Enter is left to the form (it answers)."""

    BINDINGS = [Binding("space", "toggle_button", "Tick", show=False)]


class Choices(RadioSet, inherit_bindings=False):
    """Radio buttons that Space picks; Enter is left to the form (it answers)."""

    BINDINGS = [
        Binding("down,right", "next_button", "Next option", show=False),
        Binding("up,left", "previous_button", "Previous option", show=False),
        Binding("space", "toggle_button", "Pick", show=False),
    ]


def fields(question: Question) -> list[Field]:
    """The form's widgets for ``question``: its answer field(s), the button, a note."""
    if question.kind == "input":
        how = "Type your answer, then Enter."
        made: list[Field] = [
            Input(
                placeholder="your answer",
                id="quiz-input",
                compact=True,
                select_on_focus=False,  # coming back to it never selects what was typed
            )
        ]
    elif question.kind == "checkbox":
        how = "Pick one (arrows, Space), then Enter."
        buttons = [RadioButton(o.text, compact=True) for o in question.options]
        made = [Choices(*buttons, id="quiz-options", compact=True)]
    else:
        how = "Tick every right one (Tab, Space), then Enter."
        made = [
            Choice(o.text, compact=True, id=f"quiz-option-{n}")
            for n, o in enumerate(question.options, 1)
        ]
    made.append(Button("Answer", id="quiz-submit", compact=True, variant="primary"))
    made.append(Static(f"{how} F5 reveals the answer.", id="quiz-note"))
    return made
