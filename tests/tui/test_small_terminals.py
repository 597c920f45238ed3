"""80x24 is the smallest terminal supported well: a rail of step numbers, the step's
commands in sight after a failed check, the footer's six keys, and dialogs that fit."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from tests.tui.fakes import TranscriptSession
from tests.tui.helpers import wait_until
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.lesson import LessonScreen
from workshop.tui.widgets.check_panel import CheckPanel
from workshop.tui.widgets.lesson_view import StepCommands
from workshop.tui.widgets.step_list import StepList

pytestmark = pytest.mark.anyio

SMALL = (80, 24)
LONG_HINT = " ".join(["A hint long enough to need several lines at this width."] * 4)


async def started(pilot, session: TranscriptSession) -> LessonScreen:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: session.shell is not None, what="session start")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    return screen


def on_screen(widget: Widget, size: tuple[int, int] = SMALL) -> bool:
    """The widget is drawn, all of it inside the terminal."""
    region = widget.region
    return region.height > 0 and Region(0, 0, *size).contains_region(region)


def option_labels(steps: StepList) -> list[str]:
    return [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]


async def test_the_step_list_is_a_rail_that_opens_to_its_titles() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=SMALL) as pilot:
        screen = await started(pilot, session)
        steps = screen.query_one(StepList)
        assert steps.region.width <= 8
        assert option_labels(steps)[:2] == ["▶ 1", "· 2"]
        steps.focus()
        await pilot.pause()
        assert steps.region.width >= 24
        assert option_labels(steps)[0] == "▶ 1. cf target"
    async with WorkshopApp(TranscriptSession()).run_test(size=(120, 40)) as pilot:
        steps = pilot.app.screen.query_one(StepList)
        await pilot.pause()
        assert steps.region.width >= 24  # a wide screen has room for the titles


async def test_the_current_step_keeps_its_marker_while_another_is_viewed() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, session)
        session.succeed("cf target")
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[1].id)
        await pilot.press("f7")
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[0].id)
        steps = screen.query_one(StepList)
        await wait_until(pilot, lambda: option_labels(steps)[1].startswith("▶ 2."))
        assert option_labels(steps)[0].startswith("✓ 1.")
        assert steps.highlighted == 0  # the step looked at


async def test_after_a_failed_check_the_commands_stay_in_sight() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=SMALL) as pilot:
        screen = await started(pilot, session)
        session.fail(
            "cf targte", "That is not the command this step asks for.", "targte", LONG_HINT
        )
        panel = screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: panel.state == "failed")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Solution" in panel.text)
        await pilot.pause()
        commands = screen.query_one(StepCommands)
        assert on_screen(commands) and "$ cf target" in str(commands.render())
        assert panel.max_scroll_y > 0  # the panel scrolls rather than push the commands away


async def test_the_footer_keeps_six_keys_and_f1_lists_the_rest() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=SMALL) as pilot:
        screen = await started(pilot, session)
        await pilot.pause()
        keys = [key.description for key in screen.query(FooterKey)]
        assert keys == ["Help", "Paste", "Check", "Hint", "Lessons", "Quit"]
        assert all(on_screen(key) for key in screen.query(FooterKey))
    async with WorkshopApp(TranscriptSession()).run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        keys = [key.description for key in pilot.app.screen.query(FooterKey)]
        assert {"Reset", "Skip", "Next", "Quit"} <= set(keys)


@pytest.mark.parametrize("key", ["f1", "f10", "f11", "completion"])
async def test_every_dialog_fits(key: str) -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=SMALL) as pilot:
        screen = await started(pilot, session)
        if key == "completion":
            for step in session.lesson.steps:
                session.succeed(step.commands[-1])
        else:
            await pilot.press(key)
        await wait_until(pilot, lambda: pilot.app.screen is not screen)
        await pilot.pause()
        dialog = pilot.app.screen.query("#dialog, .dialog").first()
        assert on_screen(dialog), dialog.region
        for button in pilot.app.screen.query("Button"):
            assert on_screen(button), (button, button.region)
