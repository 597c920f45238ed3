"""A lesson's and a step's ``setup``, ``solve`` and ``cleanup``, in ``workshop test`` and in a
learner's session: a lesson's setup before its first step, a step's setup as it begins, its
cleanup once it is done, the lesson's cleanup at its end; a skipped step runs its solve; the
prompts a solve meets get the workshop's ``answers:`` (the cf mock's login: from its
account)."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import Events, cli

from workshop.content import load_workshop
from workshop.engine import events as ev
from workshop.engine.session import LearnerSession

FIXTURE = Path(__file__).parent / "fixtures" / "lifecycle"


def test_workshop_test_runs_setup_solve_and_cleanup(tmp_path: Path) -> None:
    result = cli("test", str(FIXTURE), home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("3 passed, 0 failed")


def test_a_session_runs_the_lesson_and_step_pieces_and_a_skip_runs_the_solve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a live session works in the folder it is started in
    garden = tmp_path / "garden"
    events = Events()
    session = LearnerSession(load_workshop(FIXTURE), listener=events, live=True)
    session.start()
    try:
        assert (garden / "packet.txt").read_text() == "seeds\n"  # the lesson's setup
        assert (garden / "soil").exists()  # the first step's setup
        mark = events.mark()
        session.run_line("cp garden/packet.txt garden/bed.txt", timeout=30)
        session.settle()
        assert [e for e in events.since(mark, ev.CheckCompleted) if e.passed]
        assert not (garden / "soil").exists()  # the step's cleanup
        assert session.current_step.id == "water"
        assert session.skip_step()
        assert (garden / "water.txt").read_text() == "wet\n"  # its solve ran
        assert session.step_status("water") == "skipped"
        assert session.skip_step()  # its solve asks for a name: the lesson's answers give it
        assert (garden / "sign.txt").read_text() == "by Ada\n"
        assert session.lesson_complete
        assert not (garden / "packet.txt").exists()  # the lesson's cleanup
        assert not events.since(0, ev.SessionProblem)
    finally:
        session.close()


def test_a_solve_that_asks_gets_the_answers_cf_login_included(tmp_path: Path) -> None:
    """`cf login` asks for an email and a password: with the cf mock, its account answers."""
    result = cli("test", str(FIXTURE.parent / "login"), home=tmp_path / "home", timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 passed, 0 failed")


def test_skipping_a_classic_page_runs_its_page_scripts_around_its_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edit the page asks for is its preexec script's: a skip makes it, then runs the
    page's command; its postexec script runs after."""
    unit = tmp_path / "notes"
    unit.mkdir()
    (unit / "01_Edit.md").write_text(
        "# Edit\n\nEdit `notes.txt` in your editor to say final, then:\n\n```sh\ncat notes.txt\n```\n"
    )
    (unit / "01_Edit.preexec.sh").write_text("echo 'status: final' > notes.txt\n")
    (unit / "01_Edit.postexec.sh").write_text("cp notes.txt kept.txt\n")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    events = Events()
    session = LearnerSession(load_workshop(unit), listener=events, live=True)
    session.start()
    try:
        assert session.skip_step()
        assert (work / "notes.txt").read_text() == "status: final\n"
        assert (work / "kept.txt").read_text() == "status: final\n"
        assert session.step_status(session.workshop.lessons[0].steps[0].id) == "skipped"
        assert not events.since(0, ev.SessionProblem)
    finally:
        session.close()


def test_a_setup_of_several_lines_is_no_attempt_of_the_learner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lesson's ``setup: |`` of several lines runs before the first step and is neither
    judged nor counted: each of its lines used to be taken for the learner's command (the
    step was failed four times, or passed, before the learner typed anything)."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "workshop.yaml").write_text(
        "title: Mini\nlessons:\n  - id: one\n    file: one.md\n"
        "    setup: |\n      echo hi > f.txt\n      echo bye > g.txt\n      for i in 1 2; do\n"
        "        echo $i\n      done\n"
        "    steps:\n      make:\n        checks:\n          - command: cat f.txt\n"
        '            matches: "bye"\n'
    )
    (course / "one.md").write_text(
        "# One\n\nWrite bye:\n\n```sh {id=make}\necho bye > f.txt\n```\n"
    )
    monkeypatch.chdir(tmp_path)
    events = Events()
    session = LearnerSession(load_workshop(course), listener=events, live=True)
    session.start()
    try:
        assert (tmp_path / "g.txt").read_text() == "bye\n"  # the setup ran, all of it
        session.settle()
        assert not events.since(0, ev.CheckCompleted), events.since(0, ev.CheckCompleted)
        assert not events.since(0, ev.CommandFinished)
        assert session.step_status("make") == "current"
        assert session.progress.tally("make").attempts == 0
        session.run_line("echo bye > f.txt", timeout=30)
        session.settle()
        assert session.step_status("make") == "passed"
    finally:
        session.close()


def test_a_reset_lesson_comes_back_with_its_setup_done(tmp_path: Path) -> None:
    """Offline, the start of a lesson's first step is saved after the lesson's setup ran:
    resetting the step (or the lesson) comes back to what the setup made (it came back to
    before the setup, which did not run again: the learner was stuck)."""
    course = tmp_path / "course"
    (course / "recordings").mkdir(parents=True)
    (course / "recordings" / "one.yaml").write_text("[]\n")
    (course / "workshop.yaml").write_text(
        "title: Seeded\nrecorded: [peek]\nlessons:\n  - id: one\n    file: one.md\n"
        "    setup: |\n      echo seeded > seed.txt\n      echo more >> seed.txt\n"
        "    steps:\n      make:\n        checks:\n          - command: cat made.txt\n"
    )
    (course / "one.md").write_text("# One\n\nMake it:\n\n```sh {id=make}\n$ touch made.txt\n```\n")
    events = Events()
    session = LearnerSession(load_workshop(course), listener=events)
    assert session.mode == "mock"
    session.start()
    try:
        session.settle()
        assert session.cwd is not None
        seed = session.cwd / "seed.txt"
        assert seed.read_text() == "seeded\nmore\n"
        seed.write_text("changed by the learner\n")
        session.reset_step()
        session.settle()
        assert seed.read_text() == "seeded\nmore\n"
    finally:
        session.close()
