"""The whole dev/prod parity lesson through the TUI, in mock mode, with the real engine.

Real bash, the real offline ``cf`` mock, real checks and progress (all under a temporary
WORKSHOP_HOME). The test drives the app with keys only (F2 pastes the step's command, the
learner presses Enter) and asserts on the messages the app received from the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot

from tests.tui.helpers import wait_until
from workshop.content import load_workshop
from workshop.engine.session import LearnerSession
from workshop.tui import messages as msg
from workshop.tui.app import WorkshopApp
from workshop.tui.bridge import EngineBridge
from workshop.tui.screens.complete import CompletionScreen
from workshop.tui.screens.lesson import LessonScreen

pytestmark = pytest.mark.anyio

WORKSHOP = Path(__file__).resolve().parents[2] / "workshop" / "bundled" / "12factor"


class RecordingBridge(EngineBridge):
    """The app's bridge, keeping every message it hands to the screen."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Message] = []

    def connect(self, post, feed, hurry=None) -> None:  # type: ignore[no-untyped-def]
        def record(message: Message) -> object:
            self.seen.append(message)
            return post(message)

        super().connect(record, feed, hurry)

    def of(self, kind: type[Message]) -> list:  # type: ignore[type-arg]
        return [m for m in self.seen if isinstance(m, kind)]


def lesson_screen(app: WorkshopApp) -> LessonScreen:
    return next(s for s in app.screen_stack if isinstance(s, LessonScreen))


def terminal_text(app: WorkshopApp) -> str:
    model = lesson_screen(app).terminal.model
    return "\n".join(model.history_text() + model.text_lines())


async def run_pasted(
    pilot: Pilot, app: WorkshopApp, bridge: RecordingBridge, session: LearnerSession
) -> str:
    """F2 then Enter, as a learner would; wait for the checks' verdict on that command."""
    command = session.paste_command()
    checks_before = len(bridge.of(msg.CheckCompleted))
    await pilot.press("f2")
    # The long prompt may wrap the line: compare without whitespace.
    squeezed = "".join(command.split())
    await wait_until(
        pilot,
        lambda: "".join(terminal_text(app).split()).endswith(squeezed),
        what=f"{command!r} pasted",
    )
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: len(bridge.of(msg.CheckCompleted)) > checks_before,
        what=f"checks after {command!r}",
    )
    return command


async def test_whole_lesson_in_mock_mode(tmp_path: Path) -> None:
    bridge = RecordingBridge()
    session = LearnerSession(load_workshop(WORKSHOP), "dev-prod-parity", listener=bridge)
    app = WorkshopApp(session, bridge)
    steps = [step.id for step in session.lesson.steps]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot, lambda: bridge.of(msg.SessionStarted), timeout=20, what="session start"
        )
        await wait_until(
            pilot, lambda: "#" in terminal_text(app) or "$" in terminal_text(app), what="prompt"
        )
        assert [m.event.step_id for m in bridge.of(msg.StepStarted)] == [steps[0]]

        # Step 1 passes at the first try.
        await run_pasted(pilot, app, bridge, session)
        await wait_until(pilot, lambda: bridge.of(msg.StepUnlocked))
        assert bridge.of(msg.CommandFinished)[-1].event.result.command == "cf target"
        assert bridge.of(msg.CheckCompleted)[-1].event.passed
        assert bridge.of(msg.StepUnlocked)[-1].event.next_step_id == steps[1]

        # Step 2: a near miss first. The panel shows the reason; F4 asks for a hint.
        checks_before = len(bridge.of(msg.CheckCompleted))
        await pilot.press(*"cf create-space production-test")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(bridge.of(msg.CheckCompleted)) > checks_before)
        failed = bridge.of(msg.CheckCompleted)[-1].event
        assert not failed.passed and failed.reason
        panel = app.screen.query_one("#check")
        await wait_until(pilot, lambda: panel.state == "failed")
        assert failed.near_miss and "production-test" in failed.near_miss
        assert failed.hint  # the lesson's hint comes with the first failure
        await pilot.press("f4")  # no hint left: the app says so, and points at F5
        await wait_until(pilot, lambda: any("F5" in n.message for n in app._notifications))
        await pilot.press("f5")
        await wait_until(pilot, lambda: bridge.of(msg.HintShown), what="the solution")
        assert bridge.of(msg.HintShown)[-1].event.solution
        assert "cf create-space production_test" in bridge.of(msg.HintShown)[-1].event.text

        # F9 rewinds the mock to where the step began: the misspelt space is gone.
        starts = len(bridge.of(msg.StepStarted))
        await pilot.press("f9")
        await wait_until(pilot, lambda: len(bridge.of(msg.StepStarted)) > starts, what="reset")
        await wait_until(pilot, lambda: panel.state == "waiting")
        checks_before = len(bridge.of(msg.CheckCompleted))
        await pilot.press(*"cf spaces", "enter")
        await wait_until(pilot, lambda: len(bridge.of(msg.CheckCompleted)) > checks_before)
        spaces = bridge.of(msg.CommandFinished)[-1].event.result.output
        assert "development" in spaces and "production-test" not in spaces
        assert session.step_status(steps[2]) == "locked"
        await pilot.press("f8")  # next step is locked: nothing moves
        await pilot.pause()
        assert session.current_step.id == steps[1]

        # The rest of the lesson, pasted and run step by step.
        while not bridge.of(msg.LessonCompleted):
            unlocked = len(bridge.of(msg.StepUnlocked))
            await run_pasted(pilot, app, bridge, session)
            verdict = bridge.of(msg.CheckCompleted)[-1].event
            assert verdict.passed or verdict.pending, verdict
            if verdict.passed:
                await wait_until(pilot, lambda u=unlocked: len(bridge.of(msg.StepUnlocked)) > u)

        await wait_until(
            pilot, lambda: isinstance(app.screen, CompletionScreen), what="completion screen"
        )
        unlocked_ids = [m.event.step_id for m in bridge.of(msg.StepUnlocked)]
        assert unlocked_ids == steps
        assert all(session.step_status(step) == "passed" for step in steps)
        commands = [m.event.result.command for m in bridge.of(msg.CommandFinished)]
        assert "cf create-service rediscloud 30mb redis" in commands
        assert any(c.startswith("curl ") for c in commands)
        assert "Ping" in terminal_text(app)

        # Back to the lesson: F7 moves to passed steps.
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("f7")
        await wait_until(pilot, lambda: session.current_step.id == steps[-2], what="previous step")
