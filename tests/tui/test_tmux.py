"""The whole app in a real terminal: ``workshop run`` inside tmux, typed at like a person.

tmux (``scripts/ensure-system-deps`` installs it) runs ``workshop run workshop/bundled/12factor
--lesson dev-prod-parity`` at 120x40 on a private socket, with WORKSHOP_HOME in the test's
tmp dir. The test types each step's command into the terminal pane one key at a time,
presses Enter, reads the screen with ``capture-pane`` until the lesson moves on, and at the
end reads the completion screen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_support import Tmux, require_tmux

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


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server, killed afterwards (the root conftest stops the mock's router)."""
    require_tmux()
    with Tmux(session="learner") as server:
        yield server


def test_lesson_typed_in_tmux(tmux: Tmux, isolated: Path) -> None:
    command = " ".join(
        [
            sys.executable,
            "-m",
            "workshop",
            "run",
            "workshop/bundled/12factor",
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
    tmux.start(command, 120, 40, env, cwd=ROOT)
    # the screen is read while Textual draws it, so wait for the whole first frame: the
    # header's MOCK badge, the first step and the shell's prompt
    tmux.wait_for(
        lambda s: (
            "MOCK" in s
            and "Step 1 of 6" in s
            and any(line.rstrip(" │").endswith(("$", "#")) for line in s.splitlines())
        ),
        "the MOCK badge, the first step and a prompt",
    )

    for text, then in STEPS:
        tmux.type(text, per_key=True)  # key by key, as a person types
        tmux.press("Enter")
        screen = tmux.wait_for(lambda s, then=then: then in s, f"{then!r} after {text!r}")

    assert "6 steps passed" in screen
    assert "Ping" in screen  # the pushed app answered through the mock's router
    tmux.press("q")  # the completion screen's Quit key
    tmux.wait_for(lambda s: "Lesson complete" not in s and "Step" not in s, "the app to exit")
