"""Resets that would throw passed steps away ask first, say what is lost, and Escape keeps
everything."""

from __future__ import annotations

import pytest

from tests.tui.fakes import TranscriptSession
from tests.tui.helpers import wait_until
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.confirm import ConfirmScreen
from workshop.tui.screens.lesson import LessonScreen

pytestmark = pytest.mark.anyio


async def five_passed(pilot, session: TranscriptSession) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: session.shell is not None, what="session start")
    for step in session.lesson.steps[:5]:
        session.succeed(step.commands[-1])
    last = session.lesson.steps[5].id
    await wait_until(pilot, lambda: session.current_step.id == last)


def passed(session: TranscriptSession) -> int:
    return sum(session.step_status(s.id) == "passed" for s in session.lesson.steps)


async def test_f9_on_a_passed_step_asks_and_escape_keeps_the_progress() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await five_passed(pilot, session)
        fourth = session.lesson.steps[3].id
        await pilot.click("#steps", offset=(5, 3))
        await wait_until(pilot, lambda: session.current_step.id == fourth)
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        question = pilot.app.screen.question
        assert "2 passed steps and the foundation since step 4" in question, question
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
        await pilot.pause(0.2)
        assert passed(session) == 5
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: passed(session) == 3)
        assert session.current_step.id == fourth


async def test_f9_with_nothing_passed_to_lose_resets_at_once() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        session.fail("cf targte", "no", None, None)
        await pilot.press("f9")
        await wait_until(
            pilot, lambda: any("Step reset" in n.message for n in pilot.app._notifications)
        )
        assert isinstance(pilot.app.screen, LessonScreen)


async def test_resetting_the_lesson_asks_first() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await five_passed(pilot, session)
        await pilot.press("shift+f9")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        question = pilot.app.screen.question
        assert "5 passed steps and the foundation since step 1" in question, question
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
        assert passed(session) == 5
        await pilot.press("shift+f9")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: passed(session) == 0)
        assert session.current_step.id == session.lesson.steps[0].id
