"""The recorded kvcloud workshop through the TUI, offline: kvcloud is not installed, its
replay shim answers from examples/kvcloud/recordings (real bash, real engine)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.tui.helpers import wait_until
from tests.tui.test_lesson_flow import RecordingBridge, run_pasted, terminal_text
from workshop.content import load_workshop
from workshop.engine.session import LearnerSession
from workshop.tui import messages as msg
from workshop.tui.app import WorkshopApp

pytestmark = pytest.mark.anyio

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kvcloud"


async def _lesson(lesson_id: str, answers: dict[str, list[str]]) -> list[str]:
    """Do every step of ``lesson_id`` with F2 and Enter (typing ``answers`` at prompts);
    the passed steps, in order."""
    bridge = RecordingBridge()
    session = LearnerSession(load_workshop(EXAMPLE), lesson_id, listener=bridge)
    app = WorkshopApp(session, bridge)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: bridge.of(msg.SessionStarted), timeout=20)
        await wait_until(pilot, lambda: "#" in terminal_text(app) or "$" in terminal_text(app))
        for step in session.lesson.steps:
            command = session.paste_command()
            if step.id in answers:  # a program that asks: paste, Enter, then type the answers
                await pilot.press("f2")
                await pilot.press("enter")
                for answer in answers[step.id]:
                    await wait_until(pilot, lambda: terminal_text(app).rstrip().endswith(":"))
                    await pilot.press(*answer, "enter")
                await wait_until(pilot, lambda: bridge.of(msg.StepUnlocked), timeout=20)
            else:
                await run_pasted(pilot, app, bridge, session)
            assert command
        await wait_until(pilot, lambda: bridge.of(msg.LessonCompleted), timeout=20)
        passed = [m.event.step_id for m in bridge.of(msg.StepUnlocked)]
    return passed


async def test_every_lesson_offline_in_the_tui() -> None:
    assert shutil.which("kvcloud") is None
    assert await _lesson("account", {"login": ["ada", "s3cret-pass"]}) == [
        "login",
        "create-bucket",
    ]
    assert await _lesson("data", {}) == ["put-greeting", "get-greeting", "delete-bucket"]
