"""Cases a learner or an author meets off the happy path: output into a pipe, a workshop with
a flaw, going on to the next lesson, a bad retry count."""

from __future__ import annotations

from pathlib import Path

from engine_support import WORKSHOP, Events, cli, copy_course, mock_home, stop_router

from workshop.content import load_workshop
from workshop.engine.session import LearnerSession
from workshop.progress import ProgressStore


def test_plain_output_into_a_pipe_has_no_colour_and_no_crlf(tmp_path: Path) -> None:
    home = tmp_path / "home"
    try:
        result = cli(
            "run", "--plain", "--lesson", "dev-prod-parity", home=home, stdin="cf target\n"
        )
    finally:
        stop_router(home)
    assert result.returncode == 1, result.stderr  # step 1 of 6 passed, then input ended
    assert "API endpoint:" in result.stdout and "Step passed" in result.stdout
    assert "\x1b[" not in result.stdout
    assert "\r\n" not in result.stdout


def test_a_workshop_with_a_flaw_still_runs_and_warns(tmp_path: Path) -> None:
    copy = tmp_path / "workshop"
    copy_course(copy)
    manifest = copy / "workshop.yaml"
    text = manifest.read_text()
    broken = text.replace(
        'when_output: "Not logged in"\n            text: "Log in first with `cf login`."',
        'when_output: "[bad"\n            text: "x"',
        1,
    )
    assert broken != text
    manifest.write_text(broken)
    home = tmp_path / "home"
    try:
        result = cli(
            "run",
            str(copy),
            "--plain",
            "--lesson",
            "dev-prod-parity",
            home=home,
            stdin="cf target\n",
        )
    finally:
        stop_router(home)
    assert result.returncode == 1, result.stderr  # not complete, but it ran
    assert "warning: 1 problem(s)" in result.stderr and "workshop.yaml:" in result.stderr
    assert "Step passed" in result.stdout


def _spaces_after_switching(
    tmp_path: Path, first_done: bool, second_lesson: str, root: Path = WORKSHOP
) -> str:
    """Create a space in lesson "codebase" (marked complete when ``first_done``), then open
    ``second_lesson`` on the same mock home; what ``cf spaces`` shows there."""
    workshop = load_workshop(root)
    home = tmp_path / "home"
    store = ProgressStore(tmp_path / "progress.sqlite3")

    def session(lesson: str) -> LearnerSession:
        return LearnerSession(
            workshop, lesson, store=store, mock_home=mock_home(home), listener=Events()
        )

    first = session("codebase")
    first.start()
    try:
        first.run_line("cf create-space made-by-the-learner")
        if first_done:
            for step in workshop.lesson("codebase").steps:
                store.pass_step(workshop.id, "codebase", step.id)
    finally:
        first.close()
    second = session(second_lesson)
    second.start()
    try:
        return str(second.run_line("cf spaces").output)
    finally:
        second.close()
        stop_router(home)


def test_going_on_to_a_next_lesson_without_a_start_keeps_the_learners_foundation(
    tmp_path: Path,
) -> None:
    course = copy_course(tmp_path / "course")
    manifest = course / "workshop.yaml"
    text = manifest.read_text()
    without = text.replace(
        "file: 03_dependencies.md\n    start: *logged_in\n", "file: 03_dependencies.md\n"
    )
    assert without != text
    manifest.write_text(without)
    spaces = _spaces_after_switching(
        tmp_path, first_done=True, second_lesson="dependencies", root=course
    )
    assert "made-by-the-learner" in spaces


def test_going_on_to_a_next_lesson_with_a_start_begins_from_it(tmp_path: Path) -> None:
    """What the lesson declares wins: the learner's leftovers could pass its steps for them."""
    spaces = _spaces_after_switching(tmp_path, first_done=True, second_lesson="dependencies")
    assert "made-by-the-learner" not in spaces and "development" in spaces


def test_jumping_to_an_unbegun_lesson_starts_from_its_own_state(tmp_path: Path) -> None:
    spaces = _spaces_after_switching(tmp_path, first_done=False, second_lesson="logs")
    assert "made-by-the-learner" not in spaces
    assert "production_test" in spaces


def test_a_negative_retry_count_is_a_lint_problem(tmp_path: Path) -> None:
    copy = tmp_path / "workshop"
    copy_course(copy)
    manifest = copy / "workshop.yaml"
    manifest.write_text(manifest.read_text().replace("retries: 2", "retries: -1", 1))
    result = cli("lint", str(copy), home=tmp_path / "home")
    assert result.returncode == 1
    assert "'retries' must be 0 or more" in result.stdout
