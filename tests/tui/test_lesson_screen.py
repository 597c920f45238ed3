"""The lesson screen's keys and mouse, over the transcript session (no shell needed).

What reaches the "shell" is recorded by the fake, so these tests check exactly what the
app would type into bash, and which session calls each key makes.
"""

from __future__ import annotations

import pytest

from tests.tui.fakes import TranscriptSession
from tests.tui.helpers import wait_until
from workshop.engine import events as ev
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.help import HelpScreen
from workshop.tui.screens.lesson import LessonScreen
from workshop.tui.screens.picker import LessonPicker
from workshop.tui.widgets.check_panel import CheckPanel
from workshop.tui.widgets.header import LessonHeader
from workshop.tui.widgets.lesson_view import LessonView
from workshop.tui.widgets.terminal import TerminalView

pytestmark = pytest.mark.anyio


async def started(pilot, session: TranscriptSession) -> LessonScreen:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: session.shell is not None, what="session start")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    return screen


def written(session: TranscriptSession) -> str:
    assert session.shell is not None
    return "".join(session.shell.written)


async def test_keys_reach_the_shell_and_f2_pastes_without_enter() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await started(pilot, session)
        await pilot.press("l", "s", "tab", "ctrl+c", "up", "enter")
        await wait_until(pilot, lambda: written(session) == "ls\t\x03\x1b[A\r")
        await pilot.press("f2")
        await wait_until(pilot, lambda: written(session).endswith("cf target"))
        assert not written(session).endswith("\r")
        assert session.shell is not None and session.shell.sizes == []  # born at the pane's size
        assert (session.rows, session.cols) == pilot.app.screen.terminal.model.size


async def test_focus_switch_check_again_and_help() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, session)
        assert screen.query_one(TerminalView).has_focus
        await pilot.press("f6")
        assert screen.query_one(LessonView).has_focus
        await pilot.press("ctrl+k")  # Ctrl keys work in the lesson: Ctrl+K is "check again"
        assert session.checks_requested == 1
        await pilot.press("escape")  # and Escape goes back to the terminal
        assert screen.query_one(TerminalView).has_focus
        await pilot.press("ctrl+right_square_bracket")
        assert screen.query_one(LessonView).has_focus
        await pilot.press("f6")
        assert screen.query_one(TerminalView).has_focus
        await pilot.press("f3")
        assert session.checks_requested == 2
        assert screen.query_one(CheckPanel).state == "pending"
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        assert written(session) == ""


async def test_steps_by_keys_and_mouse_only_when_unlocked() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await started(pilot, session)
        await pilot.press("f8")  # step 2 is locked
        await pilot.pause()
        assert session.current_step.id == session.lesson.steps[0].id
        session.succeed("cf target")
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[1].id)
        await pilot.press("f7")
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[0].id)
        await pilot.press("f8")
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[1].id)
        # A click on a locked step (4th row of the list) changes nothing; on a passed one it goes there.
        await pilot.click("#steps", offset=(5, 3))
        await pilot.pause()
        assert session.current_step.id == session.lesson.steps[1].id
        await pilot.click("#steps", offset=(5, 0))
        await wait_until(pilot, lambda: session.current_step.id == session.lesson.steps[0].id)
        panel = pilot.app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: panel.state == "passed")


async def test_failed_check_error_hint_and_solution() -> None:
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, session)
        panel = screen.query_one(CheckPanel)
        session.fail("cf targt", "That is not the command this step asks for.", "targt", None)
        await wait_until(pilot, lambda: panel.state == "failed")
        await pilot.press("f4")
        await wait_until(pilot, lambda: "Spell the space name" in panel.text)
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Solution" in panel.text)

        session.listener(
            ev.CheckCompleted(session.current_step.id, False, (), "check timed out", error=True)
        )
        await wait_until(pilot, lambda: panel.state == "error")
        assert "Problem with the check" in panel.text


async def test_header_badges_classroom_and_broadcast() -> None:
    session = TranscriptSession(live=True)
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, session)
        header = screen.query_one(LessonHeader)
        assert header.mode == "live"
        session.listener(ev.ClassroomStateChanged("online"))
        await wait_until(pilot, lambda: header.classroom == "online")
        assert "classroom: online" in str(header.render())
        session.listener(ev.Broadcast("Break until 11:00"))
        await wait_until(pilot, lambda: any("Break" in n.message for n in pilot.app._notifications))
        # and it stays in the check panel (a hint sent this way was gone with the toast)
        panel = screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: "From the instructor: Break until 11:00" in panel.text)


async def test_a_shared_screen_stays_marked_in_the_header_until_sharing_stops() -> None:
    """A notice goes away after a while; the marker stays for as long as the screen is shared,
    whatever the learner does meanwhile."""
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(100, 30)) as pilot:
        screen = await started(pilot, session)
        header = screen.query_one(LessonHeader)
        assert "SCREEN SHARED" not in str(header.render())
        session.listener(ev.ClassroomStateChanged("online"))
        session.listener(ev.ScreenSharingChanged(True))
        await wait_until(pilot, lambda: header.sharing)
        await pilot.press("f10", "escape")  # the lesson list and back: still marked
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
        assert "● SCREEN SHARED" in str(header.render())
        assert "classroom: online" in str(header.render())  # both fit at 100 columns
        session.listener(ev.ScreenSharingChanged(False))
        await wait_until(pilot, lambda: not header.sharing)
        assert "SCREEN SHARED" not in str(header.render())


async def test_lesson_picker_and_theme_toggle() -> None:
    from textual.widgets import OptionList

    session = TranscriptSession()
    done = session.workshop.lessons[0]
    session.finished = frozenset({done.id})
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, session)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonPicker))
        shown = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert shown[0] == f"✓ 1. {done.title}"  # the lessons done are marked
        assert all(line.startswith("  ") for line in shown[1:])
        await pilot.press("enter")  # the current lesson: nothing to switch
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.theme == "workshop-dark"
        await pilot.press("f12")
        assert app.theme == "workshop-light"


async def test_shift_f10_shares_the_screen_and_f12_still_changes_the_theme() -> None:
    """Two features wanted one key: the theme keeps F12, sharing the screen takes Shift+F10."""

    class InClassroom(TranscriptSession):
        @property
        def in_classroom(self) -> bool:
            return True

    session = InClassroom()
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, session)
        await pilot.press("shift+f10")
        await wait_until(pilot, lambda: session.shares == [None])
        await pilot.press("f12")
        assert app.theme == "workshop-light" and session.shares == [None]


async def test_session_that_cannot_start_says_why() -> None:
    class Broken(TranscriptSession):
        def start(self) -> None:
            raise RuntimeError("bash is not installed")

    session = Broken()
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: panel.state == "error", what="the failure shown")
        assert "bash is not installed" in panel.text
        await pilot.press("l", "s", "enter")  # keys go nowhere, and nothing breaks
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_raise_hand_only_in_a_classroom() -> None:
    session = TranscriptSession()
    app = WorkshopApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, session)
        await pilot.press("f6", "ctrl+a")
        await wait_until(
            pilot, lambda: any("not in a classroom" in n.message for n in app._notifications)
        )
        assert session.help_requests == []
        session.reporter = object()
        await pilot.press("ctrl+a")
        title = session.step_title(session.current_step)  # the instructor reads the title
        assert title != session.current_step.id
        await wait_until(pilot, lambda: session.help_requests == [f"stuck on {title}"])


async def test_f11_skips_a_step_only_after_asking() -> None:
    from workshop.tui.screens.confirm import ConfirmScreen

    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        await started(pilot, session)
        first = session.current_step.id
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("escape")  # no
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
        assert session.step_status(first) == "current"
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: session.step_status(first) == "skipped")
        assert session.current_step.id != first
        panel = pilot.app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: "Step 1 skipped" in panel.text, what="the skip said")
        assert written(session) == ""  # nothing of the dialog reached the shell


async def test_the_footer_makes_its_keys_once_while_the_screen_comes_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each key of the footer is made once at start (Textual's footer starts empty and
    makes them all again when the bindings are first announced)."""
    from textual.widgets._footer import FooterKey

    made: list[str] = []
    real = FooterKey.__init__

    def counting(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(key)
        real(self, key, *args, **kwargs)

    monkeypatch.setattr(FooterKey, "__init__", counting)
    session = TranscriptSession()
    async with WorkshopApp(session).run_test(size=(120, 40)) as pilot:
        screen = await started(pilot, session)
        await pilot.pause(0.2)
        shown = [key.key for key in screen.query(FooterKey)]
        assert shown and "f1" in shown
        assert sorted(made) == sorted(shown)


async def test_starting_in_a_theme_parses_the_stylesheets_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The learner's theme is in place from the first style pass: setting it in the app's
    constructor parsed every stylesheet again once the app ran (and restyled every widget).
    The light theme's snapshot (``test_snapshots``) shows it is the theme drawn."""
    from textual.css.stylesheet import Stylesheet

    reparsed: list[object] = []
    real = Stylesheet.reparse

    def counting(self):  # type: ignore[no-untyped-def]
        reparsed.append(self)
        return real(self)

    monkeypatch.setattr(Stylesheet, "reparse", counting)
    session = TranscriptSession()
    async with WorkshopApp(session, theme="workshop-light").run_test(size=(120, 40)) as pilot:
        await started(pilot, session)
        assert pilot.app.theme == "workshop-light"
        assert pilot.app.has_class("-light-mode") and not pilot.app.has_class("-dark-mode")
        assert reparsed == []
        await pilot.press("f12")  # a change of theme restyles, as it must
        await wait_until(pilot, lambda: pilot.app.theme == "workshop-dark")
        await wait_until(pilot, lambda: len(reparsed) == 1, what="the restyle")
