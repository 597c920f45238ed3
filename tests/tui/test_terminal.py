"""The terminal pane against a real bash in a PTY (``workshop.shell.ShellSession``).

A minimal app holds only the pane; keys go through Pilot exactly as a learner's would,
and what bash printed is read back from the pane's screen model.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual import events, work
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.tui.helpers import wait_until
from workshop.shell import CommandResult, ShellSession
from workshop.tui.widgets.terminal import TerminalView

pytestmark = pytest.mark.anyio


class TerminalApp(App[None]):
    """Just the terminal pane, wired to a real shell started at the pane's size."""

    def __init__(self, cwd: Path) -> None:
        super().__init__()
        self.cwd = cwd
        self.shell: ShellSession | None = None
        self.finished: list[CommandResult] = []
        self.started: list[str] = []
        self.ready = threading.Event()
        self.sizes: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield TerminalView(id="terminal")

    @property
    def view(self) -> TerminalView:
        return self.query_one(TerminalView)

    def on_terminal_view_resized(self, event: TerminalView.Resized) -> None:
        self.sizes.append((event.rows, event.cols))
        if self.shell is None:
            self.shell = ShellSession(
                env={"HOME": str(self.cwd)},
                cwd=self.cwd,
                rows=event.rows,
                cols=event.cols,
                on_output=self.view.feed,
                on_command_started=self.started.append,
                on_command_finished=self.finished.append,
            )
            self.start_shell()
        else:
            self.shell.resize(event.rows, event.cols)

    @work(thread=True, exit_on_error=False, description="start bash")
    def start_shell(self) -> None:
        assert self.shell is not None
        self.shell.start()
        self.ready.set()

    def on_terminal_view_typed(self, event: TerminalView.Typed) -> None:
        assert self.shell is not None
        self.shell.write(event.data)

    def on_unmount(self) -> None:
        if self.shell is not None:
            self.shell.close()


def screen_text(app: TerminalApp) -> str:
    return "\n".join(app.view.model.text_lines())


async def ready(pilot: Pilot) -> TerminalApp:
    app = pilot.app
    assert isinstance(app, TerminalApp)
    await wait_until(pilot, app.ready.is_set, what="bash prompt")
    await wait_until(pilot, lambda: "~" in screen_text(app), what="prompt on screen")
    return app


async def type_line(pilot: Pilot, text: str) -> None:
    """Short text key by key (the key path under test); long text as a paste (faster)."""
    if len(text) <= 12:
        await pilot.press(*list(text))
        return
    app = pilot.app
    assert isinstance(app, TerminalApp)
    app.view.post_message(events.Paste(text))
    await pilot.pause()


async def run(pilot: Pilot, app: TerminalApp, command: str) -> CommandResult:
    before = len(app.finished)
    await type_line(pilot, command)
    await pilot.press("enter")
    await wait_until(pilot, lambda: len(app.finished) > before, what=f"`{command}` to finish")
    return app.finished[-1]


@pytest.fixture
def app(tmp_path: Path) -> TerminalApp:
    work_dir = tmp_path / "work"
    work_dir.mkdir()
    return TerminalApp(work_dir)


async def test_typed_command_runs_and_echoes(app: TerminalApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        result = await run(pilot, app, "echo hello-$((6*7))")
        assert result.command == "echo hello-$((6*7))"
        await wait_until(pilot, lambda: "hello-42" in screen_text(app))
        lines = app.view.model.text_lines()
        assert any(line.endswith("echo hello-$((6*7))") for line in lines)


async def test_colours_reach_the_screen(app: TerminalApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await run(pilot, app, r"printf '\e[31mRED\e[0m \e[1;32mGREEN\e[0m\n'")
        await wait_until(pilot, lambda: "RED GREEN" in screen_text(app))
        model = app.view.model
        y = next(i for i, line in enumerate(model.text_lines()) if line.startswith("RED GREEN"))
        row = model.visible_rows()[y]
        assert row[0].fg == "red"
        assert row[4].fg == "green" and row[4].bold
        await pilot.pause()
        strip = app.view.render_line(y)
        styles = {seg.text: seg.style for seg in strip if seg.text.strip()}
        assert styles["RED"].color is not None and styles["RED"].color.name == "red"


async def test_readline_editing_tab_completion_and_history(app: TerminalApp) -> None:
    (app.cwd / "unique-file-name.txt").write_text("x")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        # Tab completes a file name; Home/End and arrows edit the line.
        await type_line(pilot, "ls unique-f")
        await pilot.press("tab")
        await wait_until(pilot, lambda: "unique-file-name.txt" in screen_text(app))
        await pilot.press("home", "right", "right")
        await type_line(pilot, " -1")
        await pilot.press("end", "enter")
        await wait_until(pilot, lambda: len(app.finished) == 1)
        assert app.finished[0].command == "ls -1 unique-file-name.txt"
        # Up recalls it from history; Ctrl-A / Ctrl-K are readline's.
        await pilot.press("up", "enter")
        await wait_until(pilot, lambda: len(app.finished) == 2)
        assert app.finished[1].command == "ls -1 unique-file-name.txt"
        await type_line(pilot, "echo gone")
        await pilot.press("ctrl+a", "ctrl+k")
        await type_line(pilot, "echo kept")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.finished) == 3)
        assert app.finished[2].command == "echo kept"


async def test_ctrl_c_interrupts(app: TerminalApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await type_line(pilot, "sleep 30")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.started == ["sleep 30"], what="sleep to start")
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: len(app.finished) == 1, what="sleep to be interrupted")
        assert app.finished[0].exit_code == 130


async def test_carriage_return_progress_line(app: TerminalApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await run(pilot, app, r"printf 'uploading 10%%\ruploading 100%%\n'")
        # The second text overwrote the first on the same row: the row is exactly it.
        await wait_until(pilot, lambda: "uploading 100%" in app.view.model.text_lines())


async def test_hidden_prompt_input(app: TerminalApp) -> None:
    """An interactive prompt that does not echo (like `cf login`'s password)."""
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await type_line(pilot, "read -s -p 'Password> ' pw; echo; echo length=${#pw}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Password>" in screen_text(app))
        await type_line(pilot, "secret")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "length=6" in screen_text(app))
        assert "secret" not in screen_text(app)


async def test_resize_follows_the_pane(app: TerminalApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.resize_terminal(90, 25)
        await wait_until(pilot, lambda: app.sizes[-1] == (25, 90))
        assert app.view.model.size == (25, 90)
        await run(pilot, app, "stty size")
        await wait_until(pilot, lambda: "25 90" in screen_text(app))


async def test_scrollback_with_keys_and_wheel(app: TerminalApp) -> None:
    async with app.run_test(size=(80, 20)) as pilot:
        await ready(pilot)
        await run(pilot, app, "seq 1 300")
        await wait_until(pilot, lambda: "300" in screen_text(app))
        model = app.view.model
        assert "1" in model.history_text()
        await pilot.press("shift+pageup")
        assert app.view.scroll_back == 19
        top = model.text_lines(app.view.scroll_back)[0]
        assert top != model.text_lines()[0]
        await pilot.press("shift+pagedown")
        assert app.view.scroll_back == 0
        # The mouse wheel scrolls too, three lines a notch.
        for kind in (events.MouseScrollUp, events.MouseScrollUp, events.MouseScrollDown):
            app.view.post_message(kind(app.view, 1, 1, 0, 0, 0, False, False, False))
        await wait_until(pilot, lambda: app.view.scroll_back == 3)
        # Typing snaps back to the live screen.
        await pilot.press("shift+pageup")
        await pilot.press("x")
        assert app.view.scroll_back == 0


async def test_full_screen_program_and_back(app: TerminalApp) -> None:
    """less draws on the alternate screen; q brings the shell's screen back as it was."""
    (app.cwd / "big.txt").write_text("".join(f"line {i}\n" for i in range(1, 200)))
    async with app.run_test(size=(80, 20)) as pilot:
        await ready(pilot)
        await type_line(pilot, "less big.txt")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: app.view.model.screen.alternate and "line 5" in screen_text(app)
        )
        await pilot.press("space")  # a page down
        await wait_until(pilot, lambda: "line 30" in screen_text(app))
        await pilot.press("q")
        await wait_until(pilot, lambda: len(app.finished) == 1, what="less to end")
        assert not app.view.model.screen.alternate
        assert "line 5" not in screen_text(app)
        assert "less big.txt" in screen_text(app)


async def test_output_is_drawn_on_the_next_screen_update_without_the_frame_timer(
    app: TerminalApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Output wakes the pane itself: with the frame timer slowed to once in 100 s, what bash
    prints is still on screen (not only in the model) as soon as Textual next paints."""
    import workshop.tui.widgets.terminal as terminal

    monkeypatch.setattr(terminal, "REFRESH_HZ", 0.01)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await run(pilot, app, "echo woken-$((6*7))")
        await wait_until(pilot, lambda: "woken-42" in screen_text(app), what="the model")
        await wait_until(pilot, lambda: "woken-42" in app.export_screenshot(), what="it drawn")
