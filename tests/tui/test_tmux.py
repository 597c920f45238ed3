"""The whole app in a real terminal: ``workshop run`` inside tmux, typed at like a person.

tmux (``scripts/ensure-system-deps`` installs it) runs ``workshop run lessons/12factor
--lesson dev-prod-parity`` at 120x40 on a private socket, with WORKSHOP_HOME in the test's
tmp dir. The test types each step's command into the terminal pane one key at a time,
presses Enter, reads the screen with ``capture-pane`` until the lesson moves on, and at the
end reads the completion screen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What to type, and what the screen shows once the app has taken it.
STEPS = [
    ("cf target", "Step 2 of 6"),
    ("cf create-space production_test", "Step 3 of 6"),
    ("cf target -s production_test", "Step 4 of 6"),
    ("cf create-service cleardb spark mysql", "1 of 2 commands done"),
    ("cf create-service rediscloud 30mb redis", "Step 5 of 6"),
    ("cf push -n workshop-12f-stock-production_test", "Step 6 of 6"),
    ("curl http://workshop-12f-stock-production_test.cfapps.io/stock/ping", "Lesson complete"),
]


class Tmux:
    """A tmux server of our own (its own socket) holding one 120x40 session."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return done.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "learner")

    def wait_for(self, predicate: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if predicate(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{text}")
            time.sleep(0.05)  # polling tmux (another process) with a deadline

    def type(self, text: str) -> None:
        for char in text:
            self("send-keys", "-t", "learner", "-l", char)


@pytest.fixture
def tmux(tmp_path: Path, isolated: Path):  # type: ignore[no-untyped-def]
    assert shutil.which("tmux"), "tmux is missing: run scripts/ensure-system-deps"
    server = Tmux(tmp_path / "tmux.sock")
    yield server
    subprocess.run(["tmux", "-S", str(server.socket), "kill-server"], capture_output=True)


def test_lesson_typed_in_tmux(tmux: Tmux, isolated: Path) -> None:
    command = " ".join(
        [
            sys.executable,
            "-m",
            "workshop",
            "run",
            "lessons/12factor",
            "--lesson",
            "dev-prod-parity",
        ]
    )
    env = {
        "WORKSHOP_HOME": str(isolated),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(isolated),
    }
    env_args = [arg for name, value in env.items() for arg in ("-e", f"{name}={value}")]
    tmux(
        "-f", "/dev/null", "new-session", "-d", "-s", "learner", "-x", "120", "-y", "40",
        "-c", str(ROOT), *env_args, command,
    )  # fmt: skip
    tmux("set-option", "-t", "learner", "remain-on-exit", "on")
    screen = tmux.wait_for(
        lambda s: (
            "Step 1 of 6" in s
            and any(line.rstrip(" │").endswith(("$", "#")) for line in s.splitlines())
        ),
        "the first step and a prompt",
    )
    assert "MOCK" in screen

    for text, then in STEPS:
        tmux.type(text)
        tmux("send-keys", "-t", "learner", "Enter")
        screen = tmux.wait_for(lambda s, then=then: then in s, f"{then!r} after {text!r}")

    assert "6 steps passed" in screen
    assert "Ping" in screen  # the pushed app answered through the mock's router
    tmux("send-keys", "-t", "learner", "q")  # the completion screen's Quit key
    tmux.wait_for(lambda s: "Lesson complete" not in s and "Step" not in s, "the app to exit")
