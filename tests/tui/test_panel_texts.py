"""The check panel says what is true: hints shown stay shown after F3, and a finished
lesson's last step points to the next lesson, whose key (F8) goes there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.fakes import TranscriptSession
from tests.tui.helpers import wait_until
from workshop.content import load_workshop
from workshop.engine.lesson_progress import LessonProgress
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.lesson import LessonScreen
from workshop.tui.widgets.check_panel import CheckPanel

pytestmark = pytest.mark.anyio

BUNDLED = Path(__file__).resolve().parents[2] / "workshop" / "bundled" / "12factor"


async def test_f3_keeps_the_hints_already_shown() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        panel = pilot.app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: "`cf target`" in panel.text, what="the step shown")
        session.fail("cf targte", "That is not the command this step asks for.", "targte", None)
        await wait_until(pilot, lambda: panel.state == "failed")
        await pilot.press("f4")
        await wait_until(pilot, lambda: "Spell the space name" in panel.text)
        await pilot.press("f3")
        await wait_until(pilot, lambda: session.checks_requested == 1)
        assert "Spell the space name" in panel.text
        session.fail("cf targte", "That is not the command this step asks for.", "targte", None)
        await pilot.pause(0.1)
        assert "Spell the space name" in panel.text  # a new verdict keeps it too
        session.succeed("cf target")
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[1].id)
        await wait_until(pilot, lambda: "Step 2 is unlocked" in panel.text)
        assert "Spell the space name" not in panel.text  # another step: its own hints


async def test_f4_with_every_hint_out_brings_them_into_view_at_80x24() -> None:
    """At 80x24 the panel is a few lines tall: a hint shown with the verdict sits below it,
    and F4 said "No more hints" while the learner had never seen one."""
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        panel = pilot.app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: "`cf target`" in panel.text, what="the step shown")
        hint = "cf target shows where you are; the lesson wants the development space."
        session.fail("cf target -s dev", "That is not the space this step asks for.", "dev", hint)
        await wait_until(pilot, lambda: panel.state == "failed" and hint in panel.text)
        await pilot.pause(0.1)
        assert panel.max_scroll_y > 0 and panel.scroll_offset.y == 0  # below the fold
        session.next_hint = lambda: None  # type: ignore[method-assign]  # every hint is out
        await pilot.press("f4")
        await wait_until(
            pilot,
            lambda: 0 < panel.scroll_offset.y == panel.max_scroll_y,
            what="the hints scrolled into view",
        )
        assert any(
            "Every hint of this step is shown, in the panel under the verdict" in n.message
            for n in pilot.app._notifications
        )


async def test_a_finished_lessons_last_step_points_to_the_next_lesson() -> None:
    session = TranscriptSession()
    session.workshop = load_workshop(BUNDLED)
    session.progress = LessonProgress(session.workshop.lesson("codebase"))
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        session.succeed(session.current_step.commands[0])
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CompletionScreen")
        await pilot.press("escape")  # back to the lesson
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
        panel = pilot.app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: "next lesson: II. Dependencies" in panel.text)
        assert "F8" in panel.text
        await pilot.press("f8")
        await wait_until(pilot, lambda: session.lesson.id == "dependencies")


async def test_a_command_that_is_no_attempt_leaves_the_panel_as_it_was() -> None:
    from workshop.engine import events as ev
    from workshop.shell.result import CommandResult

    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        panel = pilot.app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: "`cf target`" in panel.text, what="the step shown")
        session.fail("cf targte", "That is not the command this step asks for.", "targte", None)
        await wait_until(pilot, lambda: panel.state == "failed")
        step = session.current_step.id
        echo = CommandResult("echo hi", 0, "hi", 0.0, 0.0)
        session.listener(ev.CommandFinished(echo, session.lesson.id, step, False))
        session.listener(ev.CheckCompleted(step, False, attempt=False, quiet=True))
        await pilot.pause(0.2)
        assert panel.state == "failed" and "targte" in panel.text  # not "Checking `echo hi`"


async def test_a_step_part_done_says_what_is_left_when_it_is_shown_again() -> None:
    """After a restart (or a visit to another lesson) on a step of four commands of which two
    ran, the panel asks for the other two and says how far the learner got, not for all four
    again."""
    session = TranscriptSession()
    session.workshop = load_workshop(BUNDLED)
    session.progress = LessonProgress(session.workshop.lesson("objective"))
    session.progress.tally(session.current_step.id).seen.update({0, 1})  # as the store had it
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: session.shell is not None, what="session start")
        panel = pilot.app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: "2 of 4 commands done" in panel.text, what=panel.text)
        assert "Run `git --version` then `cf -v`" in panel.text
        assert "java -version" not in panel.text
