"""The lesson-complete screen: its first button has the keyboard, and a screen the app
closes as it opens (a learner who quits the moment the lesson is done) ends quietly."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Button

from workshop.engine.lesson_progress import LessonSummary
from workshop.tui.screens.complete import CompletionScreen

pytestmark = pytest.mark.anyio

SUMMARY = LessonSummary("dev-prod-parity", "Dev/prod parity", (), next_lesson_title="Logs")


async def test_the_first_button_has_the_keyboard() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        await app.push_screen(CompletionScreen(SUMMARY))
        await pilot.pause()
        assert isinstance(app.focused, Button) and app.focused.id == "next"


async def test_closing_the_app_as_the_screen_opens_is_no_traceback() -> None:
    app: App[None] = App()
    async with app.run_test():
        app.push_screen(CompletionScreen(SUMMARY))  # the app closes before it is mounted
    assert app.return_code in (None, 0)
