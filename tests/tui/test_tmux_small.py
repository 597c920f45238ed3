"""The app at 80x24 in a real terminal (tmux), typed at like a person: a failed check
leaves the step's command in sight, ``exit`` gives a new shell that takes the next
command, and F9 on a passed step asks first: Escape leaves every step passed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_support import Tmux, require_tmux

ROOT = Path(__file__).resolve().parents[2]
SIZE = (80, 24)


@pytest.fixture
def tmux(isolated: Path) -> Iterator[Tmux]:
    """A private tmux server; killed afterwards, with the mock's app router."""
    from workshop.mock.router import stop_router

    require_tmux()
    try:
        with Tmux(prefix="workshop-small", session="learner") as server:
            yield server
    finally:
        stop_router(isolated / "state" / "mock" / "12factor")


def environment(home: Path) -> dict[str, str]:
    return {
        "WORKSHOP_HOME": str(home),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def start(tmux: Tmux, home: Path) -> None:
    """``workshop run`` on the dev/prod parity lesson, at 80x24; wait for a prompt."""
    command = f"{sys.executable} -m workshop run workshop/bundled/12factor --lesson dev-prod-parity"
    tmux.start(command, *SIZE, environment(home), cwd=ROOT)
    tmux.wait_for(
        lambda s: "Step 1 of 6" in s and prompt_line(s) is not None,
        "the first step and a prompt",
        timeout=60,
    )


def terminal_lines(screen: str) -> list[str]:
    """The terminal pane's lines, inside its border."""
    lines = screen.splitlines()
    top = next((i for i, line in enumerate(lines) if line.startswith("╭─ Terminal")), None)
    if top is None:
        return []
    inside = []
    for line in lines[top + 1 :]:
        if line.startswith("╰"):
            break
        inside.append(line.removeprefix("│").rstrip().removesuffix("│").rstrip())
    while inside and not inside[-1]:
        inside.pop()
    return inside


def prompt_line(screen: str) -> str | None:
    """The terminal's last line when it is a bare prompt."""
    lines = terminal_lines(screen)
    return lines[-1] if lines and lines[-1].endswith(("$", "#")) else None


def run(tmux: Tmux, command: str, then: str) -> str:
    tmux.type(command)
    tmux.press("Enter")
    return tmux.wait_for(lambda s: then in s and prompt_line(s) is not None, f"{then!r}")


def test_a_failed_check_at_80x24_leaves_the_command_in_sight(tmux: Tmux, isolated: Path) -> None:
    start(tmux, isolated)
    screen = run(tmux, "cf targte", "Not yet")
    lesson = screen.split("╭─ Terminal")[0]
    assert "$ cf target" in lesson, screen
    assert " f1 Help " in screen and "^q Quit" in screen, screen


def test_exit_gives_a_new_shell_that_runs_the_next_command(tmux: Tmux, isolated: Path) -> None:
    start(tmux, isolated)
    tmux.type("exit")
    tmux.press("Enter")
    said = tmux.wait_for(
        lambda s: "The shell ended" in "".join(terminal_lines(s)), "the new shell announced"
    )
    tmux.wait_for(lambda s: prompt_line(s) is not None, "the new shell's prompt")
    # said in the terminal, where it happened, and only there: no notice over the lesson
    assert said.count("The shell ended") == 1, said
    screen = run(tmux, "echo alive-$((6*7))", "alive-42")
    assert "alive-42" in terminal_lines(screen)


def progress(home: Path) -> dict[str, str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workshop",
            "progress",
            "--json",
            str(ROOT / "workshop/bundled/12factor"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **environment(home)},
        timeout=60,
        check=True,
    )
    return {row["step"]: row["status"] for row in json.loads(done.stdout)["steps"]}


def test_f9_on_a_passed_step_asks_and_escape_keeps_progress(tmux: Tmux, isolated: Path) -> None:
    start(tmux, isolated)
    run(tmux, "cf target", "Step 2 of 6")
    run(tmux, "cf create-space production_test", "Step 3 of 6")
    before = progress(isolated)
    assert list(before.values()).count("passed") == 2, before
    tmux.press("F7")
    tmux.wait_for(lambda s: "Step 2 of 6" in s, "step 2 shown")
    tmux.press("F9")
    screen = tmux.wait_for(lambda s: "Reset step 2?" in s, "the question")
    assert "1 passed step and the foundation since step 2" in " ".join(screen.split())
    tmux.press("Escape")
    tmux.wait_for(lambda s: "Reset step 2?" not in s and "Step 2 of 6" in s, "back to the lesson")
    assert progress(isolated) == before
    screen = tmux.screen()
    assert "✓ 1" in screen and "✓ 2" in screen and "▶ 3" in screen, screen


def _program_pid(tmux: Tmux) -> int:
    """The pane's ``workshop run`` process (the pane's own, or its shell's child)."""
    assert tmux.program is not None
    pid = tmux.program[0]
    for _ in range(3):
        if b"workshop" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        assert children, f"no workshop process under the pane's {pid}"
        pid = int(children[0])
    raise AssertionError("workshop run not found in the pane")


@pytest.mark.parametrize(("signal_name", "status"), [("SIGHUP", 129), ("SIGTERM", 143)])
def test_a_closed_terminal_or_a_kill_ends_the_tui_as_quitting_does(
    tmux: Tmux, isolated: Path, signal_name: str, status: int
) -> None:
    """SIGHUP (the terminal window closed) and SIGTERM end the app as Ctrl+Q does: the
    screen is given back, the process ends with 128 + the signal. (Raised past Textual, a
    signal could leave its input thread spinning on a terminal that was gone.)"""
    import signal

    start(tmux, isolated)
    pid = _program_pid(tmux)
    os.kill(pid, getattr(signal, signal_name))
    tmux.wait_for(lambda s: f"workshop: stopped by {signal_name}" in s, "the TUI to end")

    assert tmux.exit_status() == str(status)  # the process ends after its words


def test_bytes_that_are_not_utf8_from_the_terminal_leave_the_app_running(
    tmux: Tmux, isolated: Path
) -> None:
    """A terminal in another encoding, or a paste cut in the middle of a character, sends
    bytes that are not UTF-8. Textual's input reader stopped at them (its traceback on the
    screen, and the app gone, with exit status 0); they are now replacement characters,
    and the learner types on."""
    start(tmux, isolated)
    tmux("send-keys", "-t", tmux.session, "-H", "ff", "fe", "c3")
    tmux.press("C-u")  # clear what reached the shell's line
    screen = run(tmux, "echo still-$((40 + 2))", "still-42")
    assert "Traceback" not in screen
