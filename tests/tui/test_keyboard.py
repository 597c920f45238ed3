"""Keys never betray a learner who is typing: no printable key acts on the lesson.

A click on the step list shows the step and gives the keyboard back to the terminal, so a
command typed after it reaches the shell whole; while the lesson has the keyboard (F6),
letters still go to the terminal, and the lesson's own keys are function keys and Ctrl
combinations.
"""

from __future__ import annotations

import pytest

from tests.tui.fakes import TranscriptSession
from tests.tui.helpers import wait_until
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.lesson import LessonScreen
from workshop.tui.widgets.lesson_view import LessonView
from workshop.tui.widgets.terminal import TerminalView

pytestmark = pytest.mark.anyio

CURL = "curl http://workshop-12f-stock-production_test.cfapps.io/stock/ping"


async def started(pilot, session: TranscriptSession) -> LessonScreen:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: session.shell is not None, what="session start")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    return screen


def written(session: TranscriptSession) -> str:
    assert session.shell is not None
    return "".join(session.shell.written)


async def test_a_click_on_the_step_list_gives_the_keyboard_back_to_the_terminal() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, session)
        for command in ("cf target", "cf create-space production_test"):
            session.succeed(command)
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[2].id)
        await pilot.click("#steps", offset=(5, 0))  # step 1, passed: shown
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[0].id)
        await wait_until(pilot, lambda: screen.query_one(TerminalView).has_focus)
        await pilot.press(*CURL, "enter")
        await wait_until(pilot, lambda: written(session) == CURL + "\r")
        assert session.checks_requested == 0
        assert session.step_status(session.lesson.steps[1].id) == "passed"  # nothing reset
        await pilot.click("#steps", offset=(5, 1))
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[1].id)
        await pilot.press(*"cf target -s production_test")
        await wait_until(pilot, lambda: written(session).endswith("cf target -s production_test"))
        assert written(session) == CURL + "\r" + "cf target -s production_test"


async def test_a_click_on_a_locked_step_says_it_is_locked() -> None:
    """A locked step in the list answers a click: a notice says to pass the current one
    first (the list drew it as a disabled option, and a click on one did nothing at all)."""
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, session)
        session.succeed("cf target")
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[1].id)
        await pilot.click("#steps", offset=(5, 0))  # step 1, passed: looked at
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[0].id)
        await pilot.click("#steps", offset=(5, 3))  # step 4: locked
        await wait_until(
            pilot,
            lambda: any("locked" in n.message for n in pilot.app._notifications),
            what="a notice that the step is locked",
        )
        # it names the step to pass (the current one), not the passed one looked at
        assert any("pass step 2 first" in n.message for n in pilot.app._notifications), [
            n.message for n in pilot.app._notifications
        ]
        assert session.current_step.id == session.lesson.steps[0].id  # nothing moved
        await wait_until(pilot, lambda: screen.query_one(TerminalView).has_focus)


async def test_letters_typed_while_the_lesson_has_the_keyboard_go_to_the_terminal() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, session)
        await pilot.press("f6")
        assert screen.query_one(LessonView).has_focus
        await pilot.press(*"cphrnblast?")
        await wait_until(pilot, lambda: written(session) == "cphrnblast?")
        assert screen.query_one(TerminalView).has_focus
        assert session.checks_requested == 0 and session.help_requests == []
        assert session.current_step.id == session.lesson.steps[0].id


async def test_the_lessons_keys_are_function_keys_and_ctrl_combinations() -> None:
    from textual.binding import Binding

    from workshop.tui.widgets.lesson_pane import LessonPane

    keys = [
        key
        for holder in (LessonScreen, LessonPane, WorkshopApp)
        for binding in holder.BINDINGS
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    ]
    printable = [key for key in keys if len(key) == 1 or key in ("question_mark", "space")]
    assert printable == [], printable
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await started(pilot, session)
        await pilot.press("f6", "ctrl+k")  # check, from the lesson
        await wait_until(pilot, lambda: session.checks_requested == 1)
        assert written(session) == ""
