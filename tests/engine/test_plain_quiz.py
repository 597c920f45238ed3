"""Quizzes and prerequisites in the line mode (``workshop run --plain``), through a pipe.

The unit is the project's own, written into a temporary folder in the original platform's
layout: a page with one command, a ``Prerequisites.sh`` whose check fails until the learner
exports a variable in their shell, and a ``Quiz.yml`` with an ``input`` question and a
``checkbox_multiple`` one. The real program runs with piped input, as a screen reader's
user or a script would drive it; progress is read back with ``workshop progress --json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engine_support import cli, stop_router
from quiz_support import QUIZ

from workshop.content import load_workshop
from workshop.engine.plain_quiz import question_lines, read_answer, revealed

PAGE = "# Begin\n\nSay that you have begun.\n\n```sh\n$ echo begun\n```\n"
PREREQUISITES = """#!/bin/bash -e

check 'echo "$UNIT_READY"' 'yes' true #> Set up first: export UNIT_READY=yes
"""
STOPPED = "Before you start: Set up first: export UNIT_READY=yes"


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    root = tmp_path / "unit"
    root.mkdir()
    (root / "01_Begin.md").write_text(PAGE)
    (root / "Prerequisites.sh").write_text(PREREQUISITES)
    (root / "Quiz.yml").write_text(QUIZ)
    return root


def steps(unit: Path, home: Path) -> dict[str, dict[str, object]]:
    """``workshop progress --json``'s steps, by id."""
    shown = cli("progress", str(unit), "--json", home=home)
    assert shown.returncode == 0, shown.stderr
    return {s["step"]: s for s in json.loads(shown.stdout)["steps"]}


def test_an_answer_is_read_from_what_the_learner_types(unit: Path) -> None:
    workshop = load_workshop(unit)
    typed, shells = (step.question for step in workshop.lesson("quiz").steps)
    assert typed is not None and shells is not None
    assert read_answer(typed, "  the pwd command ") == "  the pwd command "
    assert read_answer(shells, "1, 3") == ["1", "3"]
    assert read_answer(shells, "3 1") == ["3", "1"]
    assert read_answer(shells, "(1,3)") == ["1", "3"]
    assert read_answer(shells, " ZSH ") == ["3"], "an option's text is taken too"
    assert revealed(shells) == "1) bash; 3) zsh"
    for line, why in [("", "Type the number"), ("4", "No option 4"), ("bash vim", "No option")]:
        with pytest.raises(ValueError, match=why):
            read_answer(shells, line)
    with pytest.raises(ValueError, match="Type your answer"):
        read_answer(typed, "   ")
    lines = question_lines(shells, lambda text, first, rest: first + text)
    assert lines[:3] == ["  1) bash", "  2) vim", "  3) zsh"]
    assert "numbers, separated by commas or spaces" in lines[-1]


def test_a_failing_prerequisite_is_said_once_before_the_first_step_while_bash_runs(
    unit: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    lines = [
        "echo begun",
        "printf '%s\\n' my-shell",
        ":check",
        "export UNIT_READY=yes",
        "echo begun",
    ]
    try:
        run = cli("run", str(unit), "--plain", home=home, stdin="\n".join(lines) + "\n")
    finally:
        stop_router(home)
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    # said in full once, before the step, with the way to check again; :check says it again
    assert out.count(STOPPED) == 2
    first = out.index(STOPPED)
    assert first < out.index("Begin — step 1 of 1")
    assert ":check checks again" in out[first : out.index("Begin — step 1 of 1")]
    typed = next(i for i, line in enumerate(out.splitlines()) if line.endswith(" :check"))
    assert [i for i, line in enumerate(out.splitlines()) if STOPPED in line][1] > typed
    # the learner's commands ran in bash meanwhile; the step's own command was not checked
    assert "\nmy-shell\n" in out
    assert out.count("Not checked: the prerequisite above is not met yet.") == 1
    assert "The workshop's prerequisites are met." in out
    assert out.count("✔ Step passed.") == 1
    assert steps(unit, home)["echo-begun"]["attempts"] == 1  # before the fix: no attempt


def test_lines_on_a_question_are_answers_never_shell_commands(unit: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    lines = ["touch made-by-an-answer", ":skip", "y", "7", "2", ":quit"]
    try:
        run = cli(
            "run", str(unit), "--plain", "--lesson", "quiz", home=home, stdin="\n".join(lines)
        )
    finally:
        stop_router(home)
    out = run.stdout
    assert run.returncode == 1, out + run.stderr  # left before the lesson was complete
    assert not list(tmp_path.rglob("made-by-an-answer"))
    assert "answer> touch made-by-an-answer\n" in out
    assert "✘ Not quite. Try again, or :solution reveals the answer." in out
    assert "Skip this question? It counts as skipped, not passed." in out
    assert "  1) bash\n  2) vim\n  3) zsh\n" in out
    assert "No option 7: type a number from 1 to 3." in out
    assert "Before you start" not in out, "a question needs no prerequisite"
    progress = steps(unit, home)
    assert progress["quiz-1"]["status"] == "skipped"
    assert progress["quiz-2"]["status"] == "current"
    assert progress["quiz-2"]["attempts"] == 1, "'7' answers nothing: it is no attempt"


def test_a_classic_unit_end_to_end_prerequisite_page_and_quiz(unit: Path, tmp_path: Path) -> None:
    """The learner is stopped by the prerequisite, fixes it, does the page's step; then the
    quiz (its own lesson, after the pages): a wrong answer, the answer revealed, right."""
    home = tmp_path / "home"
    try:
        page = cli(
            "run",
            str(unit),
            "--plain",
            home=home,
            stdin="echo begun\nexport UNIT_READY=yes\necho begun\n",
        )
        assert page.returncode == 0, page.stdout + page.stderr
        assert page.stdout.count(STOPPED) == 1
        assert "Lesson complete: Begin. Next lesson: quiz" in page.stdout
        quiz = cli(
            "run",
            str(unit),
            "--plain",
            "--lesson",
            "quiz",
            home=home,
            stdin="ls\n:solution\npwd\n1 3\n",
        )
    finally:
        stop_router(home)
    out = quiz.stdout
    assert quiz.returncode == 0, out + quiz.stderr
    assert "Which command prints the current folder?" in out
    assert out.index("answer> ls") < out.index("✘ Not quite.") < out.index("answer> :solution")
    assert "Answer: pwd\n" in out
    assert out.count("✔ Right.") == 2
    assert "Lesson complete: Quiz. That was the last lesson." in out
    assert "Traceback" not in out + quiz.stderr
    progress = steps(unit, home)
    assert progress["echo-begun"]["status"] == "passed"
    first, second = progress["quiz-1"], progress["quiz-2"]
    assert (first["status"], first["attempts"], first["failures"]) == ("passed", 2, 1)
    assert first["hints_shown"] == 1, "the revealed answer is kept as the solution seen"
    assert (second["status"], second["attempts"], second["failures"]) == ("passed", 1, 0)


def test_slow_prerequisites_are_said_to_be_checked(unit: Path, tmp_path: Path) -> None:
    (unit / "Prerequisites.sh").write_text(
        "#!/bin/bash -e\n\ncheck 'sleep 2; echo yes' 'yes' true #> The machine is slow.\n"
    )
    home = tmp_path / "home"
    try:
        run = cli("run", str(unit), "--plain", home=home, stdin="echo begun\n")
    finally:
        stop_router(home)
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    checking = out.index("Checking the workshop's prerequisites…")
    assert checking < out.index("The workshop's prerequisites are met.") < out.index("step 1")
