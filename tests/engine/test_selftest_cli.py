"""``workshop test``: content CI through the real CLI, against the real mock and real bash.

The shipped lesson must pass every step; a copy of the workshop with deliberately wrong
checks must fail, exit 1 and say which step broke and why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engine_support import LESSON, STEP_IDS, WORKSHOP, cli
from selftest_runs import Runs


@pytest.fixture
def runs(selftest_runs: Runs | None) -> Runs:
    """The slow runs, started when the session began (see conftest.py)."""
    assert selftest_runs is not None
    return selftest_runs


def test_shipped_lesson_passes_every_step(runs: Runs) -> None:
    result = runs.result("text")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith(LESSON)]
    assert [row[1] for row in rows] == STEP_IDS
    for row in rows:
        assert row[2:5] == ["fail", "pass", "ok"], row
    assert " 0 failed in " in result.stdout.splitlines()[-1]
    assert "Traceback" not in result.stderr


def test_whole_course_passes_every_step_of_every_lesson(runs: Runs) -> None:
    from workshop.content import load_workshop

    result = runs.result("text")
    assert result.returncode == 0, result.stdout + result.stderr
    workshop = load_workshop(WORKSHOP)
    assert len(workshop.lessons) == 13
    expected = [(lesson.id, step.id) for lesson in workshop.lessons for step in lesson.steps]
    ids = {lesson.id for lesson in workshop.lessons}
    rows = [
        line.split()
        for line in result.stdout.splitlines()
        if line.split()[:1] and line.split()[0] in ids
    ]
    assert [(row[0], row[1]) for row in rows] == expected
    assert all(row[4] == "ok" for row in rows)
    assert result.stdout.splitlines()[-1].startswith(f"{len(expected)} passed, 0 failed in ")


def test_json_report_shape(runs: Runs) -> None:
    result = runs.result("json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert isinstance(report["seconds"], float) and report["seconds"] > 0
    assert [s["step_id"] for s in report["steps"]] == STEP_IDS
    for step in report["steps"]:
        assert set(step) == {
            "lesson_id", "step_id", "ok", "before", "after", "reason", "seconds",
            "command", "exit_code", "output", "needs", "content", "warning",
        }  # fmt: skip
        assert step["lesson_id"] == LESSON
        assert (step["ok"], step["before"], step["after"], step["reason"]) == (
            True,
            "fail",
            "pass",
            "",
        )
    assert result.stderr.strip() == "", "--json prints nothing else"


def test_wrong_checks_fail_with_step_and_reason(runs: Runs) -> None:
    result = runs.result("broken")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    results = {
        line.split()[1]: line.split()[2:5] for line in out.splitlines() if line.startswith(LESSON)
    }
    assert results["cf-create-space-production-test"] == ["fail", "fail", "FAIL"]
    assert results["cf-target-s-production-test"] == ["pass", "pass", "CONTENT"]
    for good in set(STEP_IDS) - {"cf-create-space-production-test", "cf-target-s-production-test"}:
        assert results[good] == ["fail", "pass", "ok"], good
    fails = [line for line in out.splitlines() if line.startswith(("FAIL ", "CONTENT "))]
    assert len(fails) == 2, out
    never, always = fails
    assert never.startswith(f"FAIL {LESSON}/cf-create-space-production-test:")
    assert "There is no space called production_tset." in never
    assert always.startswith(f"CONTENT {LESSON}/cf-target-s-production-test:")
    assert "already pass before" in always and "content problem" in always
    assert "4 passed, 2 failed" in out


def test_unknown_lesson_is_a_clear_error(tmp_path: Path) -> None:
    result = cli("test", str(WORKSHOP), "--lesson", "no-such-lesson", home=tmp_path / "home")
    assert result.returncode != 0
    assert "no-such-lesson" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_workshop_is_a_clear_error(tmp_path: Path) -> None:
    result = cli("test", str(tmp_path / "nowhere"), home=tmp_path / "home")
    assert result.returncode != 0
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.stderr


HANG = Path(__file__).parent / "fixtures" / "hang"


def test_hanging_command_fails_its_step_and_the_rest_still_run(tmp_path: Path) -> None:
    result = cli("test", str(HANG), "--timeout", "1.5", home=tmp_path / "home")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    rows = {
        line.split()[1]: line.split()[2:5]
        for line in result.stdout.splitlines()
        if line.startswith("hang ")
    }
    assert rows == {
        "make-marker": ["fail", "pass", "ok"],
        "wait-forever": ["fail", "error", "FAIL"],
        "make-done": ["fail", "pass", "ok"],  # Ctrl-C gave the shell back
    }
    assert (
        "FAIL hang/wait-forever: `sleep 600 && touch done` did not finish within 1.5 s; it was interrupted"
        in result.stdout
    )


def test_timeout_must_be_positive(tmp_path: Path) -> None:
    result = cli("test", str(HANG), "--timeout", "0", home=tmp_path / "home")
    assert result.returncode == 2
    assert "--timeout must be a positive number" in result.stderr
    assert "Traceback" not in result.stderr


def test_content_problems_fail_the_run_though_what_loaded_passes(tmp_path: Path) -> None:
    """A typo that drops a lesson (``flie:``) is tested around, and fails the run: content
    CI must not pass a workshop that does not load whole (it exited 0 on a stderr line)."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "workshop.yaml").write_text(
        "title: Two\nlessons:\n  - id: one\n    file: one.md\n  - id: two\n    flie: two.md\n"
    )
    for name in ("one", "two"):
        (course / f"{name}.md").write_text(f"# {name}\n\nRun it.\n\n```sh\n$ echo {name}\n```\n")
    result = cli("test", str(course), home=tmp_path / "home")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed, 0 failed" in result.stdout  # what loaded was still tested
    said = result.stderr
    assert f"{course / 'workshop.yaml'}:5: a lesson needs 'file'" in said  # each problem
    assert f"{course / 'workshop.yaml'}:6" in said and "flie" in said
    assert "Traceback" not in result.stderr


def test_a_command_waiting_for_an_answer_says_what_it_showed(tmp_path: Path) -> None:
    """A step's command that stops at a prompt times out: the report shows its last line
    and where an answer can come from (it said only that the command did not finish)."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "workshop.yaml").write_text("title: Ask\nlessons:\n  - id: ask\n    file: ask.md\n")
    (course / "ask.md").write_text(
        '# Ask\n\nSay who you are.\n\n```sh\n$ read -p "Your name: " NAME\n```\n'
    )
    result = cli("test", str(course), "--timeout", "1", home=tmp_path / "home")
    assert result.returncode == 1, result.stdout + result.stderr
    said = " ".join(result.stdout.split())
    assert "did not finish within 1 s; it was interrupted. It showed last: `Your name:`" in said
    assert "`answers:` in workshop.yaml" in said
