"""A classic unit's prerequisite and quiz in the TUI with the real engine and real bash.

The unit is written into a temporary folder: a page with one command, a
``Prerequisites.sh`` whose ``check`` line fails until ``$HOME/ready`` says yes, and a
``Quiz.yml`` with one ``input`` question. The learner is stopped before the first step
with the prerequisite's message, fixes it in the terminal and the message goes; the
step passes; then the quiz lesson is answered in its form, once wrong and once
right, and the answers are kept in progress.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.tui.helpers import wait_until
from tests.tui.test_lesson_flow import RecordingBridge
from workshop.content import load_workshop
from workshop.engine.session import LearnerSession
from workshop.progress import ProgressStore
from workshop.tui import messages as msg
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.complete import CompletionScreen
from workshop.tui.widgets.check_panel import CheckPanel

pytestmark = pytest.mark.anyio

PREREQUISITES = """#!/bin/bash -e

check 'cat "$HOME/ready" 2>&1' 'yes' true #> Run the set-up first: printf yes > ~/ready
"""
QUIZ = """questions:
- id: "1"
  formulation: "Which command prints the current folder?"
  type: input
  answer: 'pwd'
"""


@pytest.fixture
def unit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "unit"
    root.mkdir()
    (root / "01_Begin.md").write_text("# Begin\n\n```sh\n$ echo begun\n```\n")
    (root / "Prerequisites.sh").write_text(PREREQUISITES)
    (root / "Quiz.yml").write_text(QUIZ)
    home = tmp_path / "learner"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return root


async def test_a_prerequisite_then_a_quiz_with_the_real_engine(unit: Path) -> None:
    bridge = RecordingBridge()
    session = LearnerSession(load_workshop(unit), None, listener=bridge)
    app = WorkshopApp(session, bridge)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.screen.query_one(CheckPanel)
        await wait_until(pilot, lambda: "Before you start" in panel.text, timeout=20,
                         what="the prerequisite's message")  # fmt: skip
        assert "Run the set-up first: printf yes > ~/ready" in panel.text
        assert "F3 checks again" in panel.text
        await wait_until(pilot, lambda: bridge.of(msg.SessionStarted), what="the shell")
        await pilot.press(*"printf yes > ~/ready", "enter")
        await wait_until(pilot, lambda: (Path.home() / "ready").exists(), what="the fix")
        await pilot.press("f3")
        await wait_until(
            pilot,
            lambda: any(m.event.prerequisites_met for m in bridge.of(msg.NoticeShown)),
            what="the prerequisites met",
        )
        await wait_until(pilot, lambda: "Before you start" not in panel.text, what="it went")
        await pilot.press("f2", "enter")
        await wait_until(pilot, lambda: bridge.of(msg.LessonCompleted), what="the page done")
        await wait_until(pilot, lambda: isinstance(app.screen, CompletionScreen))
        await pilot.press("enter")  # the completion screen's first choice: the next lesson
        await wait_until(pilot, lambda: session.lesson.id == "quiz", what="the quiz lesson")
        box = app.screen.query_one("#quiz-input", Input)
        await wait_until(pilot, lambda: box.has_focus, what="the form with the keyboard")
        await pilot.press(*"ls", "enter")
        await wait_until(pilot, lambda: panel.state == "failed", what="a wrong answer")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Answer: pwd" in panel.text, what="the answer")
        await pilot.press("ctrl+a", "ctrl+k", *"pwd", "enter")
        await wait_until(pilot, lambda: len(bridge.of(msg.LessonCompleted)) == 2, what="done")
    rows = {s.step: s for s in ProgressStore().steps(session.workshop.id) if s.lesson == "quiz"}
    assert rows["quiz-1"].status == "passed" and rows["quiz-1"].attempts == 2
