"""Quiz steps and prerequisites in the TUI, through Pilot, with keys only.

The session is the test's :class:`tests.tui.fakes.TranscriptSession` over a small unit of
the project's own in the original platform's layout (``fixtures/quiz_unit``): one page and
a quiz with a question of each type. The fake grades with the engine's own rules and moves
on as the engine does; the test asserts on what the learner sees (the form, the check
panel) and on where the keyboard is.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioSet

from tests.tui.fakes import QUIZ_UNIT, TranscriptSession
from tests.tui.helpers import wait_until
from workshop.engine import events as ev
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.complete import CompletionScreen
from workshop.tui.widgets.check_panel import CheckPanel
from workshop.tui.widgets.quiz_form import QuizForm
from workshop.tui.widgets.terminal import TerminalView

pytestmark = pytest.mark.anyio


def panel(app: WorkshopApp) -> CheckPanel:
    return app.screen.query_one(CheckPanel)


def form(app: WorkshopApp) -> QuizForm:
    return app.screen.query_one(QuizForm)


def typed_into_shell(session: TranscriptSession) -> str:
    return "".join(session.shell.written if session.shell else [])


async def on_question(pilot: Pilot, session: TranscriptSession, step_id: str) -> None:
    """Wait until ``step_id``'s form is up and has the keyboard."""
    app = pilot.app

    def ready() -> bool:
        focused = app.screen.focused
        return (
            session.current_step.id == step_id
            and form(app).question is not None
            and form(app).question.id == step_id.removeprefix("quiz-")  # type: ignore[union-attr]
            and focused is not None
            and form(app) in focused.ancestors_with_self
        )

    await wait_until(pilot, ready, what=f"the form of {step_id} with the keyboard")


async def test_a_quiz_is_answered_in_a_form_retried_revealed_and_passed() -> None:
    session = TranscriptSession("quiz", root=QUIZ_UNIT)
    answers: list[ev.QuizAnswered] = []
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        listener = session.listener

        def keep(event: ev.Event) -> None:
            if isinstance(event, ev.QuizAnswered):
                answers.append(event)
            listener(event)

        session.listener = keep
        # 1. input: the typed text is the answer, never keys for the shell
        await on_question(pilot, session, "quiz-1")
        assert "Answer the question above" in panel(app).text
        # where keys go: the screen's focused widget (its ``has_focus`` is set a message later)
        quiz_input = app.screen.query_one("#quiz-input", Input)
        assert app.screen.focused is quiz_input
        await pilot.press("l", "s", "enter")
        await wait_until(pilot, lambda: panel(app).state == "failed", what="a wrong answer")
        assert "Not quite. Try again, or reveal the answer." in panel(app).text
        assert session.current_step.id == "quiz-1", "a wrong answer stays on the question"
        assert app.screen.focused is quiz_input, "the learner retries"
        await pilot.press("ctrl+a", "ctrl+k", "p", "w", "d", "enter")
        await on_question(pilot, session, "quiz-2")
        assert "Step 1 passed" in panel(app).text and "answer the question" in panel(app).text
        # 2. checkbox: radio buttons; Enter with nothing chosen is said, not graded
        assert isinstance(app.screen.focused, RadioSet)
        await pilot.press("enter")
        await pilot.pause()
        assert [a.answer for a in answers] == ["ls", "pwd"], "nothing chosen is no attempt"
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Answer: bash" in panel(app).text.splitlines(), what="F5")
        await pilot.press("down", "space", "enter")
        await on_question(pilot, session, "quiz-3")
        # 3. checkbox_multiple: check boxes, a set; a partial set is wrong
        assert isinstance(app.screen.focused, Checkbox)
        await pilot.press("space", "enter")
        await wait_until(pilot, lambda: panel(app).state == "failed", what="a partial set")
        await pilot.press("tab", "tab", "space", "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, CompletionScreen), what="lesson complete"
        )
    assert [(a.step_id, a.answer, a.right) for a in answers] == [
        ("quiz-1", "ls", False),
        ("quiz-1", "pwd", True),
        ("quiz-2", "2", True),
        ("quiz-3", "1", False),
        ("quiz-3", "1, 3", True),
    ]
    assert session.progress.tally("quiz-2").hints_shown == {-1}, "the revealed answer is kept"
    assert typed_into_shell(session) == "", "no key of an answer reached the shell"


async def test_the_keyboard_goes_back_to_the_terminal_after_a_quiz() -> None:
    session = TranscriptSession("quiz", root=QUIZ_UNIT)
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        await on_question(pilot, session, "quiz-1")
        await pilot.press("f6")  # the learner may type in the terminal on a question too
        await wait_until(pilot, lambda: isinstance(app.screen.focused, TerminalView))
        await pilot.press("f6")  # and back: F6 leads to the form
        await on_question(pilot, session, "quiz-1")
        session.switch_lesson("begin")  # what the lesson picker (F10) does
        await wait_until(
            pilot, lambda: isinstance(app.screen.focused, TerminalView), what="terminal focus"
        )
        assert not form(app).display, "no form on a step that is run"
        await pilot.press("e", "c", "h", "o")
        await wait_until(pilot, lambda: typed_into_shell(session) == "echo", what="keys")


async def test_a_failing_prerequisite_is_said_before_the_first_step_until_it_passes() -> None:
    session = TranscriptSession("begin", root=QUIZ_UNIT)
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        await pilot.pause()
        session.prerequisite_failed("Set up first: export UNIT_READY=yes")
        await wait_until(pilot, lambda: "Before you start" in panel(app).text, what="stopped")
        said = panel(app).text
        assert "Set up first: export UNIT_READY=yes" in said
        assert "F3 checks again" in said
        assert "Not yet" not in said, "a prerequisite is no failed attempt of the step"
        await pilot.press("f3")
        assert session.checks_requested == 1
        session.prerequisites_met()
        await wait_until(pilot, lambda: "Run `echo begun`" in panel(app).text, what="it passed")
        assert "Before you start" not in panel(app).text
