"""SVG snapshots of the key screens, at 120x40 with a fixed transcript in the terminal.

The session is :class:`tests.tui.fakes.TranscriptSession`: real content and templates,
a fixed terminal transcript and the engine's own events, so every pixel is deterministic.
Update with ``pytest tests/tui --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.tui.fakes import TranscriptSession
from tests.tui.helpers import wait_until
from workshop.tui.app import WorkshopApp

SIZE = (120, 40)
PROMPT = "\x1b[1;32mlearner@workshop\x1b[0m:\x1b[1;34m~/stock\x1b[0m$ "
CF_TARGET = (
    "cf target\r\n"
    "API endpoint:   https://api.run.pivotal.io (API version: 2.46.0)\r\n"
    "User:           user_name\r\n"
    "Org:            your-org\r\n"
    "Space:          development\r\n"
    "\r\n"
)


async def started(pilot: Pilot, session: TranscriptSession) -> None:
    """Wait for the screen to start the session, then show a prompt."""
    await wait_until(pilot, lambda: session.shell is not None, what="session start")
    session.output(PROMPT)
    await wait_until(pilot, lambda: not pilot.app.screen.query_one("#terminal").model.dirty)
    await pilot.pause()


def test_first_step(snap_compare) -> None:
    """The lesson opens at step 1: text, command, waiting panel, an idle prompt."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)

    assert snap_compare(WorkshopApp(session), terminal_size=SIZE, run_before=run_before)


def test_failed_check(snap_compare) -> None:
    """A wrong space name: the reason, the near-miss token and the hint."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        session.output(CF_TARGET + PROMPT)
        session.succeed("cf target")
        session.output(
            "cf create-space production-test\r\n"
            "Creating space \x1b[36;1mproduction-test\x1b[0m in org \x1b[36;1myour-org\x1b[0m"
            " as \x1b[36;1muser_name\x1b[0m...\r\n\x1b[32;1mOK\x1b[0m\r\n\r\n" + PROMPT
        )
        session.fail(
            "cf create-space production-test",
            "There is no space named production_test yet.",
            "production-test",
            "The space name has an underscore: production_test.",
        )
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#check").state == "failed")
        await pilot.pause()

    assert snap_compare(WorkshopApp(session), terminal_size=SIZE, run_before=run_before)


def test_passed_step(snap_compare) -> None:
    """After `cf target` passes: step 1 ticked, step 2 unlocked and current, said so."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        session.output(CF_TARGET + PROMPT)
        session.succeed("cf target")
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#check").state == "passed")
        await pilot.pause()

    assert snap_compare(WorkshopApp(session), terminal_size=SIZE, run_before=run_before)


def test_completion_screen(snap_compare) -> None:
    """All six steps passed: the summary with retries and hints."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        commands = [step.commands[-1] for step in session.lesson.steps]
        session.fail(commands[1] + "x", "Not the command this step asks for.", None, None)
        for command in commands:
            session.succeed(command)
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CompletionScreen")
        await pilot.pause()

    assert snap_compare(WorkshopApp(session), terminal_size=SIZE, run_before=run_before)


def test_first_step_light_theme(snap_compare) -> None:
    """The light projector theme on the first step, after a failed attempt."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        session.output(
            "cf targte\r\ncf: 'targte' is not a registered command. See 'cf help -a'\r\n" + PROMPT
        )
        session.fail("cf targte", "That is not the command this step asks for.", "targte", None)
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#check").state == "failed")
        await pilot.pause()

    app = WorkshopApp(session, theme="workshop-light")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare) -> None:
    """F1: the keys and how checks work."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        await pilot.press("f1")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen")
        await pilot.pause()

    assert snap_compare(WorkshopApp(session), terminal_size=SIZE, run_before=run_before)


def _failed_check_at(snap_compare, size: tuple[int, int]) -> bool:  # type: ignore[no-untyped-def]
    """A failed check with its hint and the solution, at ``size``."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        session.output(
            "cf targte\r\ncf: 'targte' is not a registered command. See 'cf help -a'\r\n" + PROMPT
        )
        session.fail(
            "cf targte",
            "That is not the command this step asks for.",
            "targte",
            "`cf target` with no arguments shows where the CLI points.",
        )
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#check").state == "failed")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Solution" in pilot.app.screen.query_one("#check").text)
        await pilot.pause()

    return bool(snap_compare(WorkshopApp(session), terminal_size=size, run_before=run_before))


def test_first_step_80x24(snap_compare) -> None:
    """The smallest supported terminal: a rail of steps, the command pinned, six keys."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)

    assert snap_compare(WorkshopApp(session), terminal_size=(80, 24), run_before=run_before)


def test_failed_check_80x24(snap_compare) -> None:
    """After a failed check at 80x24 the command is still in sight; the panel scrolls."""
    assert _failed_check_at(snap_compare, (80, 24))


def test_failed_check_100x30(snap_compare) -> None:
    """The same at 100x30."""
    assert _failed_check_at(snap_compare, (100, 30))


def test_completion_screen_80x24(snap_compare) -> None:
    """The completion dialog fits 80x24, buttons and all."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        for step in session.lesson.steps:
            session.succeed(step.commands[-1])
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CompletionScreen")
        await pilot.pause()

    assert snap_compare(WorkshopApp(session), terminal_size=(80, 24), run_before=run_before)


def test_help_screen_80x24(snap_compare) -> None:
    """F1 at 80x24: the keys the footer leaves out are listed here."""
    session = TranscriptSession()

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        await pilot.press("f1")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen")
        await pilot.pause()

    assert snap_compare(WorkshopApp(session), terminal_size=(80, 24), run_before=run_before)


def _quiz_at(snap_compare, size: tuple[int, int]) -> bool:
    """The third question of the quiz unit: its check boxes, one ticked, a wrong answer
    said, and the answer revealed (F5)."""
    from tests.tui.fakes import QUIZ_UNIT
    from workshop.tui.widgets.quiz_form import QuizForm

    session = TranscriptSession("quiz", root=QUIZ_UNIT)
    session.progress.mark_passed("quiz-1")
    session.progress.mark_passed("quiz-2")

    async def run_before(pilot: Pilot) -> None:
        await started(pilot, session)
        form = pilot.app.screen.query_one(QuizForm)
        await wait_until(pilot, lambda: form.question is not None and form.question.id == "3")
        await pilot.press("space", "enter")
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#check").state == "failed")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Answer:" in pilot.app.screen.query_one("#check").text)
        await pilot.pause()

    return bool(snap_compare(WorkshopApp(session), terminal_size=size, run_before=run_before))


def test_quiz_step(snap_compare) -> None:
    """A quiz step: the question, its check boxes, the verdict and the revealed answer."""
    assert _quiz_at(snap_compare, SIZE)


def test_quiz_step_80x24(snap_compare) -> None:
    """The same quiz step in a small terminal: the form and the verdict still in sight."""
    assert _quiz_at(snap_compare, (80, 24))
