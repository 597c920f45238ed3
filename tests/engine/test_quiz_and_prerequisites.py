"""A classic unit's quiz and prerequisites in a learner's session and in ``workshop test``.

The unit is the project's own: a page, a ``Prerequisites.sh`` whose ``check`` line fails
until a file exists (its ``#>`` message is what the learner reads), and a ``Quiz.yml``.
Real bash in a PTY and the real progress store: the learner is stopped by the prerequisite
with its message, fixes it and re-checks (F3); a wrong answer is an attempt, the answer can
be revealed, a right one passes the step and is kept in progress.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import REPO, Events, cli
from quiz_support import QUIZ
from test_learner_path import run

from workshop.content import load_workshop
from workshop.engine import events as ev
from workshop.engine.lesson_progress import LessonProgress
from workshop.engine.session import LearnerSession
from workshop.errors import UsageError
from workshop.progress import ProgressStore

PREREQUISITES = """#!/bin/bash -e

check 'cat "$HOME/ready" 2>&1' 'yes' true #> Run the set-up first: your machine is not ready.
"""


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    root = tmp_path / "unit"
    root.mkdir()
    (root / "01_Begin.md").write_text("# Begin\n\n```sh\n$ echo begun\n```\n")
    (root / "Prerequisites.sh").write_text(PREREQUISITES)
    (root / "Quiz.yml").write_text(QUIZ)
    return root


@pytest.fixture
def session(
    unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[LearnerSession, Events, Path]]:
    home = tmp_path / "learner"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    events = Events()
    opened = LearnerSession(load_workshop(unit), None, listener=events, rows=30, cols=100)
    opened.start()
    events.wait(ev.StepStarted)
    opened.settle()
    yield opened, events, home
    opened.close()


def test_a_failing_prerequisite_stops_the_learner_until_it_passes(
    session: tuple[LearnerSession, Events, Path],
) -> None:
    learner, events, home = session

    def stop(items: list[object]) -> bool:
        return any(
            isinstance(e, ev.CheckCompleted) and "Before you start" in e.reason for e in items
        )

    events.wait_for(stop, what="the prerequisite's verdict")
    stopped = next(e for e in events.since(0, ev.CheckCompleted) if "Before you start" in e.reason)
    assert stopped.reason == "Before you start: Run the set-up first: your machine is not ready."
    verdict = run(learner, events, "echo begun")
    assert not verdict.passed and verdict.reason.startswith("Before you start")
    (home / "ready").write_text("yes\n")
    verdict = run(learner, events, "echo begun")
    assert verdict.passed, verdict


def test_a_quiz_is_answered_graded_revealed_and_kept(
    session: tuple[LearnerSession, Events, Path],
) -> None:
    learner, events, home = session
    (home / "ready").write_text("yes\n")
    with pytest.raises(UsageError):
        learner.answer_quiz("pwd")  # the first step is no question
    learner.switch_lesson("quiz")
    learner.settle()
    assert learner.current_step.id == "quiz-1"
    assert not learner.answer_quiz("ls").right
    assert learner.reveal_answer() == "pwd"
    assert learner.answer_quiz("  PWD ").right
    assert learner.current_step.id == "quiz-2"
    assert not learner.answer_quiz(["1"]).right
    assert learner.answer_quiz(["3", "1"]).right
    store = ProgressStore()
    rows = {s.step: s for s in store.steps(learner.workshop.id) if s.lesson == "quiz"}
    assert rows["quiz-1"].status == "passed" and rows["quiz-1"].attempts == 2
    assert rows["quiz-1"].failures == 1
    assert rows["quiz-2"].status == "passed" and rows["quiz-2"].failures == 1


def test_workshop_test_grades_the_quiz_and_runs_the_prerequisites(
    unit: Path, tmp_path: Path
) -> None:
    failed = cli("test", str(unit), home=tmp_path / "home")
    assert failed.returncode == 1
    assert "a prerequisite is not met: Run the set-up first" in failed.stdout
    (unit / "Prerequisites.sh").write_text("#!/bin/bash -e\n\ncheck 'echo yes' 'yes' true #> ok\n")
    passed = cli("test", str(unit), home=tmp_path / "home")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.splitlines()[-1].startswith("3 passed, 0 failed in ")


def test_the_tuis_fake_answers_a_quiz_as_the_engine_does(unit: Path) -> None:
    sys.path.insert(0, str(REPO / "tests" / "tui"))
    try:
        from fakes import TranscriptSession
    finally:
        sys.path.pop(0)
    fake = TranscriptSession()
    with pytest.raises(UsageError):
        fake.answer_quiz("pwd")  # the frozen course's first step is no question
    fake.workshop = load_workshop(unit)
    fake.progress = LessonProgress(fake.workshop.lesson("quiz"))
    seen: list[ev.Event] = []
    fake.listener = seen.append
    assert not fake.answer_quiz("ls").right
    assert fake.reveal_answer() == "pwd"
    assert fake.answer_quiz(" PWD ").right
    assert fake.current_step.id == "quiz-2"
    assert fake.answer_quiz(["3", "1"]).right and fake.lesson_complete
    verdicts = [(e.step_id, e.passed) for e in seen if isinstance(e, ev.CheckCompleted)]
    assert verdicts == [("quiz-1", False), ("quiz-1", True), ("quiz-2", True)]
    assert [e.answer for e in seen if isinstance(e, ev.QuizAnswered)] == ["ls", "PWD", "3, 1"]
    assert fake.progress.tally("quiz-1").failures == 1
    assert any(isinstance(e, ev.LessonCompleted) for e in seen)
