"""While output streams in, the terminal pane repaints at a bounded rate; a prompt at once.

Each frame drawn during a flood (``seq 1 100000``) holds the interpreter for a few
milliseconds, and the shell's reader with it, so the flood took longer to get through the
pane than through a bare terminal. The pane now repaints at most ``STREAM_HZ`` times a
second while output keeps coming; when a command ends the engine's bridge hurries it, so
the prompt that follows is drawn on the next screen update. Here ``STREAM_HZ`` is slowed to
one repaint in 100 s, so whatever is drawn soon was drawn by the rule under test.
"""

from __future__ import annotations

import threading
import time

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.tui.helpers import wait_until
from workshop.content import load_workshop
from workshop.engine.session import LearnerSession
from workshop.tui import messages as msg
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.lesson import LessonScreen
from workshop.tui.widgets import terminal
from workshop.tui.widgets.terminal import TerminalView

from .test_lesson_flow import WORKSHOP, RecordingBridge

pytestmark = pytest.mark.anyio


class PaneApp(App[None]):
    """The pane alone, fed by the test."""

    def compose(self) -> ComposeResult:
        yield TerminalView()


def drawn(app: App[None]) -> str:
    """What the screen shows (the pane's rows as last painted), as plain text."""
    import re
    from html import unescape

    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]*y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(y, []).append(unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items(), key=lambda r: float(r[0])))


async def settle(pilot: Pilot) -> None:
    for _ in range(5):
        await pilot.pause(0.02)


async def at_first_prompt(pilot: Pilot, bridge: RecordingBridge) -> LessonScreen:
    """The lesson screen of a real session, once its shell's first prompt is in the pane."""
    await wait_until(pilot, lambda: bridge.of(msg.SessionStarted), timeout=20, what="start")
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, LessonScreen))
    model = screen.terminal.model
    await wait_until(
        pilot,
        lambda: any(line.rstrip().endswith(("$", "#")) for line in model.text_lines()),
        timeout=20,
        what=f"the first prompt in {model.text_lines()}",
    )
    return screen


async def test_output_that_streams_waits_for_the_next_repaint_and_a_hurry_draws_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(terminal, "STREAM_HZ", 0.01)
    monkeypatch.setattr(terminal, "HURRY_SECONDS", 0.05)
    app = PaneApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(TerminalView)
        view.focus()
        await wait_until(pilot, lambda: view.has_focus, what="the pane focused")
        await settle(pilot)  # (focus redraws the pane, as it shows the cursor)
        view.hurry()
        view.feed("first-line\r\n")
        await wait_until(pilot, lambda: "first-line" in drawn(app), what="the first output")
        await pilot.pause(0.1)  # the hurry is over
        view.feed("echoed")  # a few characters (an echo) are drawn at once
        await wait_until(pilot, lambda: "echoed" in drawn(app), what="the echo")
        await pilot.pause(0.1)  # the hurry is over
        stream = "".join(f"line {n}\r\n" for n in range(400)) + "streamed-on\r\n"
        view.feed(stream)  # a stream within 100 s of the last repaint
        await settle(pilot)
        assert "streamed-on" in "\n".join(view.model.text_lines())
        assert "streamed-on" not in drawn(app)
        view.hurry()  # a key was pressed (Enter) …
        view.feed(stream.replace("streamed-on", "still-a-stream"))  # … and a flood follows
        await settle(pilot)
        assert "still-a-stream" not in drawn(app)
        view.hurry()  # a command ended
        view.feed("prompt $ ")
        await wait_until(pilot, lambda: "prompt $" in drawn(app), what="the prompt drawn")
        assert "still-a-stream" in drawn(app)  # drawn with the prompt


async def test_the_prompt_after_a_flood_is_drawn_at_once_in_the_lesson_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Real bash and mock: the bridge hurries the pane when the command ends."""
    monkeypatch.setattr(terminal, "STREAM_HZ", 0.01)
    bridge = RecordingBridge()
    session = LearnerSession(load_workshop(WORKSHOP), "dev-prod-parity", listener=bridge)
    app = WorkshopApp(session, bridge)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await at_first_prompt(pilot, bridge)
        model = screen.terminal.model
        screen.type_into_shell("seq 1 3000\r")
        await wait_until(pilot, lambda: bridge.of(msg.CommandFinished), timeout=20)

        def prompt_after_3000(text: str) -> bool:
            lines = [line.strip(" │") for line in text.splitlines()]
            at = [i for i, line in enumerate(lines) if line.rstrip() == "3000"]
            after = lines[at[-1] + 1 :] if at else []
            return any(line.rstrip().endswith(("$", "#")) for line in after)

        await wait_until(
            pilot,
            lambda: prompt_after_3000("\n".join(model.text_lines())),
            what="the prompt in the model",
        )
        await wait_until(pilot, lambda: prompt_after_3000(drawn(app)), what="the prompt drawn")


async def test_a_wait_for_the_prompt_ends_once_the_hurried_output_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``wait_shown``: what the engine's verdicts wait for (on the check worker)."""
    monkeypatch.setattr(terminal, "STREAM_HZ", 0.01)
    monkeypatch.setattr(terminal, "HURRY_SECONDS", 0.05)
    app = PaneApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(TerminalView)
        await settle(pilot)
        view.feed("".join(f"line {n}\r\n" for n in range(400)))  # a flood, drawn
        await settle(pilot)
        ended = time.monotonic()  # a command ended …
        assert not view.wait_shown(ended, 0.01)  # … and nothing is drawn since
        view.feed("".join(f"more {n}\r\n" for n in range(400)))  # a stream: not hurried
        await settle(pilot)
        assert not view.wait_shown(ended, 0.01)
        waited: list[bool] = []
        waiter = threading.Thread(target=lambda: waited.append(view.wait_shown(ended, 30)))
        waiter.start()
        await pilot.pause(0.05)
        assert not waited
        view.hurry()  # the bridge, when a command ended
        view.feed("prompt $ ")
        await wait_until(pilot, lambda: bool(waited), what="the wait to end")
        waiter.join()
        assert waited == [True]
        assert "prompt $" in drawn(app)


async def test_the_verdict_on_a_command_waits_until_its_prompt_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Real bash and mock: the lesson screen has the session pace its verdicts on the pane
    (judging takes the interpreter, and starts the checks' processes, when the prompt is to
    be drawn); the verdict comes once the prompt is on the screen."""
    waits: list[tuple[float, bool, bool]] = []
    real_wait = TerminalView.wait_shown

    def wait_shown(view: TerminalView, since: float, timeout: float = 1.0) -> bool:
        shown = real_wait(view, since, 30)
        checked = bool(bridge.of(msg.CheckCompleted))
        waits.append((since, shown, checked))
        return shown

    monkeypatch.setattr(TerminalView, "wait_shown", wait_shown)
    bridge = RecordingBridge()
    session = LearnerSession(load_workshop(WORKSHOP), "dev-prod-parity", listener=bridge)
    app = WorkshopApp(session, bridge)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await at_first_prompt(pilot, bridge)
        before = time.monotonic()
        screen.type_into_shell("cf target\r")
        await wait_until(pilot, lambda: bridge.of(msg.CheckCompleted), timeout=20, what="verdict")
        assert len(waits) == 1
        since, shown, checked_before = waits[0]
        assert before <= since and shown and not checked_before
        assert bridge.of(msg.CheckCompleted)[0].event.passed


async def test_a_prompt_another_repaint_drew_first_is_shown_to_who_waits_for_it() -> None:
    """The pane may be repainted for another reason (a resize, focus, the lesson's layout)
    after a prompt arrived and before its own repaint: the prompt is then on the screen, and
    a verdict waiting for it must not wait on (it waited until its timeout: on a loaded
    machine the verdict came seconds late)."""
    app = PaneApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(TerminalView)
        await settle(pilot)
        since = time.monotonic()
        view.hurry()  # a command ended: its prompt follows
        view._live = False  # the prompt's own wake-up is still to come …
        view.feed("done $ ")
        view._redraw()  # … when another repaint draws it
        await wait_until(pilot, lambda: "done $" in drawn(app), what="the prompt drawn")
        view._live = True
        shown: list[bool] = []
        waiter = threading.Thread(target=lambda: shown.append(view.wait_shown(since, 5.0)))
        waiter.start()
        await wait_until(pilot, lambda: bool(shown), timeout=10, what="the wait's end")
        waiter.join()
        assert shown == [True]  # False: the wait ran into its timeout


async def test_a_burst_of_output_after_enter_is_drawn_once_it_ends_or_a_key_is_pressed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stream is not drawn within ``STREAM_FIRST_SECONDS`` after Enter (here never): a
    command's burst such as ``seq 1 100000`` is drawn with its prompt, not in frames before
    it; another key pressed meanwhile has its echo drawn at the stream's next repaint."""
    monkeypatch.setattr(terminal, "STREAM_FIRST_SECONDS", 100.0)
    monkeypatch.setattr(terminal, "HURRY_SECONDS", 0.05)
    app = PaneApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(TerminalView)
        view.focus()
        await wait_until(pilot, lambda: view.has_focus, what="the pane focused")
        stream = "".join(f"line {n}\r\n" for n in range(400))
        view.feed(stream + "before-enter\r\n")  # a stream with no Enter before it
        await wait_until(pilot, lambda: "before-enter" in drawn(app), what="a stream drawn")
        await pilot.press("enter")
        await pilot.pause(0.1)  # the hurry is over
        view.feed(stream + "burst-1\r\n")
        await settle(pilot)  # 100 ms: three repaints at STREAM_HZ
        assert "burst-1" not in drawn(app)
        await pilot.press("x")  # a key typed during the burst
        await wait_until(pilot, lambda: "burst-1" in drawn(app), what="the stream on a key")
        await pilot.press("enter")
        await pilot.pause(0.1)
        view.feed(stream + "burst-2\r\n")  # the next command's burst
        await settle(pilot)
        assert "burst-2" not in drawn(app)
        view.hurry()  # the command ended …
        view.feed("again $ ")  # … its prompt
        await wait_until(pilot, lambda: "again $" in drawn(app), what="the prompt")
        assert "burst-2" in drawn(app)
