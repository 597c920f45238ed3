"""The whole dev/prod parity lesson in ``workshop run --plain`` inside tmux, typed like a person.

A private tmux server (its own socket) runs the real program in a fixed 100×30 terminal, so
the plain runner takes its raw-terminal path; the test types each command with
``send-keys``, waits for the verdict on screen (``capture-pane`` polled with a deadline)
and finally reads "Lesson complete".
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import (
    LESSON,
    REPO,
    STEP_COMMANDS,
    STEP_IDS,
    WORKSHOP,
    cli,
    stop_router,
)
from tmux_support import Tmux, require_tmux


def wait_prompt_after(tmux: Tmux, heading: str, timeout: float = 30) -> None:
    """Wait until ``heading`` is on screen and the shell's prompt follows it."""

    def ready(screen: str) -> bool:
        at = screen.rfind(heading)
        return at >= 0 and screen[at:].rstrip().endswith(("$", "#"))

    tmux.wait_for(ready, f"a prompt after {heading!r}", timeout, history=True, joined=True)


def wait_text(tmux: Tmux, text: str, times: int = 1, timeout: float = 30) -> str:
    """Wait until ``text`` was printed ``times`` times; the screen (with its history) then."""
    return tmux.wait_for(
        lambda screen: screen.count(text) >= times,
        f"{text!r} ×{times}",
        timeout,
        history=True,
        joined=True,
    )


def enter(tmux: Tmux, text: str) -> None:
    """Type ``text`` literally, then Enter."""
    tmux.type(text)
    tmux.press("Enter")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server, killed after the test."""
    require_tmux()
    with Tmux() as server:
        yield server


def test_whole_lesson_in_tmux(tmux: Tmux, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"WORKSHOP_HOME": str(home), "NO_COLOR": "1", "TERM": "xterm-256color"}
    command = " ".join(
        [
            "env",
            "-u",
            "CF_DOMAIN",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            shlex.quote(sys.executable),
            "-m",
            "workshop",
            "run",
            shlex.quote(str(WORKSHOP)),
            "--plain",
            "--lesson",
            LESSON,
        ]
    )
    # the shell around it prints the runner's exit status (tmux's own #{pane_dead_status}
    # is not always filled in when a pane's process exits)
    wrapped = f'{command}; echo "[runner exited $?]"'
    tmux.start(wrapped, 100, 30, cwd=REPO)
    try:
        wait_prompt_after(tmux, "step 1 of 6")
        assert (
            tmux(
                "display-message", "-p", "-t", tmux.session, "#{window_width}x#{window_height}"
            ).strip()
            == "100x30"
        )
        passed = 0
        for number, step_id in enumerate(STEP_IDS, start=1):
            # like a person: read the step, wait for the prompt, then type
            wait_prompt_after(tmux, f"step {number} of 6")
            for index, typed in enumerate(STEP_COMMANDS[step_id], start=1):
                enter(tmux, typed)
                total = len(STEP_COMMANDS[step_id])
                if index < total:
                    wait_prompt_after(tmux, f"… {index} of {total} commands done.")
                    continue
                passed += 1
                wait_text(tmux, "✔ Step passed.", times=passed, timeout=45)
        screen = wait_text(tmux, "Lesson complete: X. Dev/prod parity.")
        assert screen.count("✔ Step passed.") == 6
        assert "✘" not in screen
        assert "Ping null" in screen
        assert "Traceback" not in screen
        assert "{{" not in screen, "templates are rendered in titles and text"
        # the program ends by itself once the lesson is complete, with status 0
        assert "[runner exited 0]" in wait_text(tmux, "[runner exited", timeout=20)
        # started again, the runner says the lesson is done and where to go on, and ends
        again = cli("run", str(WORKSHOP), "--plain", home=home, stdin="", timeout=30)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Lesson complete: X. Dev/prod parity. Next lesson: " in again.stdout
    finally:
        tmux.close()
        stop_router(home)
