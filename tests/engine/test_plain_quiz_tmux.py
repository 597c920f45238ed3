"""A classic unit's prerequisite and quiz in the line mode in a real terminal (tmux).

The unit of :mod:`test_plain_quiz`, typed like a person in an 80×24 terminal: the failing
prerequisite is on screen before the step and the learner's shell still answers; once it
is fixed the step passes and the run ends with status 0. Then the quiz lesson: the
runner's own ``answer>`` prompt instead of bash's, a wrong answer and the prompt again, the
answer revealed with ``:solution``, a typing mistake erased, two right answers, status 0.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import REPO, stop_router
from test_plain_quiz import PAGE, PREREQUISITES, QUIZ, STOPPED
from test_plain_tmux import enter, wait_text
from tmux_support import Tmux, require_tmux


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server, killed after the test."""
    require_tmux()
    with Tmux() as server:
        yield server


def last_line(screen: str) -> str:
    """The screen's last line with text."""
    return screen.rstrip().splitlines()[-1]


def wait_last_line(tmux: Tmux, ending: str, after: str) -> str:
    """Wait until ``after`` is on screen and the last line ends with ``ending``."""

    def ready(screen: str) -> bool:
        return after in screen and last_line(screen).rstrip().endswith(ending)

    return tmux.wait_for(ready, f"{ending!r} after {after!r}", 30, history=True, joined=True)


def test_prerequisite_and_quiz_in_a_terminal(tmux: Tmux, tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    unit.mkdir()
    (unit / "01_Begin.md").write_text(PAGE)
    (unit / "Prerequisites.sh").write_text(PREREQUISITES)
    (unit / "Quiz.yml").write_text(QUIZ)
    home = tmp_path / "home"
    env = {"WORKSHOP_HOME": str(home), "NO_COLOR": "1", "TERM": "xterm-256color"}
    run = " ".join(
        ["env", *(f"{k}={shlex.quote(v)}" for k, v in env.items()), shlex.quote(sys.executable)]
        + ["-m", "workshop", "run", shlex.quote(str(unit)), "--plain"]
    )
    tmux.start(
        f'{run}; echo "[page exited $?]"; {run} --lesson quiz; echo "[quiz exited $?]"',
        80,
        24,
        cwd=REPO,
    )
    try:
        screen = wait_last_line(tmux, ("$", "#"), "step 1 of 1")
        assert screen.index(STOPPED) < screen.index("Begin — step 1 of 1")
        enter(tmux, "printf '%s\\n' my-shell")
        wait_last_line(tmux, ("$", "#"), "\nmy-shell\n")
        enter(tmux, "export UNIT_READY=yes")
        wait_text(tmux, "The workshop's prerequisites are met.")
        enter(tmux, "echo begun")
        screen = wait_text(tmux, "[page exited 0]")
        assert screen.count(STOPPED) == 1
        assert "✔ Step passed." in screen

        wait_last_line(tmux, "answer>", "Quiz — step 1 of 2")
        enter(tmux, "ls")
        screen = wait_last_line(tmux, "answer>", "✘ Not quite.")
        assert "answer> ls" in screen
        enter(tmux, ":solution")
        wait_last_line(tmux, "answer>", "Answer: pwd")
        enter(tmux, "pwd")
        screen = wait_last_line(tmux, "answer>", "Quiz — step 2 of 2")
        assert "  1) bash" in screen and "  3) zsh" in screen
        tmux.type("1 2")
        tmux.press("BSpace")
        tmux.type("3")
        wait_last_line(tmux, "answer> 1 3", "Quiz — step 2 of 2")
        tmux.press("Enter")
        screen = wait_text(tmux, "[quiz exited 0]")
        assert screen.count("✔ Right.") == 2
        assert "Lesson complete: Quiz. That was the last lesson." in screen
        quiz = screen[screen.index("Quiz — step 1 of 2") : screen.index("Lesson complete: Quiz")]
        prompts = [line for line in quiz.splitlines() if line.rstrip().endswith(("$", "#"))]
        assert not prompts, quiz
        assert "Traceback" not in screen
    finally:
        tmux.close()
        stop_router(home)
