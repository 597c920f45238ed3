"""The whole dev/prod parity lesson in ``workshop run --plain`` inside tmux, typed like a person.

A private tmux server (its own socket) runs the real program in a fixed 100×30 terminal, so
the plain runner takes its raw-terminal path; the test types each command with
``send-keys``, waits for the verdict on screen (``capture-pane`` polled with a deadline)
and finally reads "Lesson complete".
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import uuid
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
    wait_for,
)


class Tmux:
    """One tmux server on a private socket, with one session ``t``."""

    def __init__(self) -> None:
        self.socket = f"workshop-test-{uuid.uuid4().hex[:12]}"

    def __call__(self, *args: str) -> str:
        """Run a tmux command against this server; its stdout."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        """Everything the pane printed: its history and the visible screen, lines joined."""
        return self("capture-pane", "-p", "-J", "-S", "-", "-t", "t")

    def wait_prompt_after(self, heading: str, timeout: float = 30) -> None:
        """Wait until ``heading`` is on screen and the shell's prompt follows it."""

        def ready() -> bool:
            screen = self.screen()
            at = screen.rfind(heading)
            return at >= 0 and screen[at:].rstrip().endswith(("$", "#"))

        wait_for(ready, timeout=timeout, what=f"a prompt after {heading!r}")

    def wait_text(self, text: str, times: int = 1, timeout: float = 30) -> str:
        """Wait until ``text`` was printed ``times`` times; the screen then."""

        def seen() -> str | None:
            screen = self.screen()
            return screen if screen.count(text) >= times else None

        return wait_for(seen, timeout=timeout, what=f"{text!r} ×{times}")

    def type(self, text: str) -> None:
        """Type ``text`` literally, then Enter."""
        self("send-keys", "-t", "t", "-l", text)
        self("send-keys", "-t", "t", "Enter")

    def kill(self) -> None:
        """Stop the server (and with it the program, if it still runs)."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server, killed after the test."""
    if shutil.which("tmux") is None:
        subprocess.run([str(REPO / "scripts" / "ensure-system-deps")], check=True, timeout=600)
    server = Tmux()
    yield server
    server.kill()


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
    tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "30", "-c", str(REPO), wrapped)
    tmux("set-option", "-t", "t", "remain-on-exit", "on")
    try:
        tmux.wait_prompt_after("step 1 of 6")
        assert (
            tmux("display-message", "-p", "-t", "t", "#{window_width}x#{window_height}").strip()
            == "100x30"
        )
        passed = 0
        for number, step_id in enumerate(STEP_IDS, start=1):
            # like a person: read the step, wait for the prompt, then type
            tmux.wait_prompt_after(f"step {number} of 6")
            for index, typed in enumerate(STEP_COMMANDS[step_id], start=1):
                tmux.type(typed)
                total = len(STEP_COMMANDS[step_id])
                if index < total:
                    tmux.wait_prompt_after(f"… {index} of {total} commands done.")
                    continue
                passed += 1
                tmux.wait_text("✔ Step passed.", times=passed, timeout=45)
        screen = tmux.wait_text("Lesson complete: X. Dev/prod parity.")
        assert screen.count("✔ Step passed.") == 6
        assert "✘" not in screen
        assert "Ping null" in screen
        assert "Traceback" not in screen
        assert "{{" not in screen, "templates are rendered in titles and text"
        # the program ends by itself once the lesson is complete, with status 0
        assert "[runner exited 0]" in tmux.wait_text("[runner exited", timeout=20)
        # started again, the runner says the lesson is done and where to go on, and ends
        again = cli("run", str(WORKSHOP), "--plain", home=home, stdin="", timeout=30)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Lesson complete: X. Dev/prod parity. Next lesson: " in again.stdout
    finally:
        tmux.kill()
        stop_router(home)
