"""A unit's quiz in the whole app, in a real terminal (tmux) at 80x24, answered with keys.

The unit is the project's own, in the original platform's layout (a page and a
``Quiz.yml``), written into a temporary folder. The keys go through tmux and the terminal
as a person's would: letters into the question's text box (never to the shell), F5 for
the answer, Space to tick a check box, Tab to move, Enter to answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from quiz_support import QUIZ
from tmux_support import Tmux, require_tmux

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    require_tmux()
    with Tmux(prefix="workshop-quiz", session="learner") as server:
        yield server


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    root = tmp_path / "unit"
    root.mkdir()
    (root / "01_Begin.md").write_text("# Begin\n\n```sh\n$ echo begun\n```\n")
    (root / "Quiz.yml").write_text(QUIZ)
    return root


def environment(home: Path) -> dict[str, str]:
    return {
        "WORKSHOP_HOME": str(home),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def test_a_quiz_answered_with_keys_in_a_real_terminal(
    tmux: Tmux, unit: Path, isolated: Path
) -> None:
    command = f"{sys.executable} -m workshop run {unit} --lesson quiz"
    tmux.start(command, 80, 24, environment(isolated), cwd=ROOT)
    tmux.wait_for(lambda s: "Step 1 of 2" in s and "Answer" in s, "the first question", 60)
    tmux.type("ls")
    tmux.press("Enter")
    tmux.wait_for(lambda s: "Not quite" in s, "a wrong answer said")
    tmux.press("F5")
    tmux.wait_for(lambda s: "Answer: pwd" in s, "the answer revealed")
    # as a person does: clear the box, type the answer, see it there, then Enter
    typed = None
    for _ in range(3):
        tmux.press(*["BSpace"] * 6)
        tmux.type("pwd")
        try:
            typed = tmux.wait_for(lambda s: "│ pwd" in s, "the answer in its box", 5)
            break
        except AssertionError:
            continue
    assert typed is not None, "the answer never showed in its box"
    tmux.press("Enter")
    # the heading comes first, the form's options as soon as they are mounted
    tmux.wait_for(lambda s: "Step 2 of 2" in s and "zsh" in s, "the second question's form")
    tmux.press("Space", "Tab", "Tab", "Space", "Enter")
    tmux.wait_for(lambda s: "complete" in s.lower(), "the lesson complete")
    shown = subprocess.run(
        [sys.executable, "-m", "workshop", "progress", "--json", str(unit)],
        capture_output=True, text=True, env={**os.environ, **environment(isolated)},
        timeout=60, check=True,
    )  # fmt: skip
    steps = {row["step"]: row for row in json.loads(shown.stdout)["steps"]}
    assert steps["quiz-1"]["status"] == "passed" and steps["quiz-2"]["status"] == "passed"
    assert steps["quiz-2"]["attempts"] == 1, "Space ticked, Tab moved, Enter answered once"
