"""``LearnerSession`` driven headless through the dev/prod parity lesson in mock mode.

Real bash in a PTY, the real fake ``cf`` and router, the real progress store under a
temporary ``WORKSHOP_HOME``. A listener records every event; the tests wait for events
with a deadline instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engine_support import LESSON, STEP_COMMANDS, STEP_IDS, WORKSHOP, Events

from workshop.content import load_workshop
from workshop.engine import events as ev
from workshop.engine.session import LearnerSession
from workshop.progress import ProgressStore

FIXTURES = Path(__file__).parent / "fixtures"
QUIET = (ev.OutputReceived,)


def open_session(
    events: Events, root: Path = WORKSHOP, lesson: str | None = LESSON
) -> LearnerSession:
    """A started session over ``root`` reporting to ``events``."""
    session = LearnerSession(load_workshop(root), lesson, listener=events, rows=30, cols=100)
    session.start()
    return session


@pytest.fixture
def events() -> Events:
    """A fresh event recorder."""
    return Events()


def close_session(session: LearnerSession) -> None:
    """Close the session and stop the mock router it started (the router outlives sessions)."""
    from workshop.mock.router import stop_router

    session.close()
    if session.mock_home.is_dir():
        stop_router(session.mock_home)


@pytest.fixture
def session(events: Events) -> Iterator[LearnerSession]:
    """A session on the dev/prod parity lesson, closed after the test."""
    started = open_session(events)
    yield started
    close_session(started)


def kinds(items: list[Any]) -> list[str]:
    """Event class names, output left out."""
    return [type(e).__name__ for e in items if not isinstance(e, QUIET)]


def verdicts_caught_up(items: list[Any]) -> bool:
    """Every finished command has had its verdict (one CheckCompleted, or a problem)."""
    finished = sum(1 for e in items if isinstance(e, ev.CommandFinished))
    verdicts = sum(1 for e in items if isinstance(e, ev.CheckCompleted | ev.SessionProblem))
    return verdicts >= finished


def run_and_settle(session: LearnerSession, events: Events, command: str) -> list[Any]:
    """Run ``command`` and return the events it caused, once its verdict is complete.

    Checks run on the session's worker after the command ends, one command at a time, and
    each command gets exactly one verdict: waiting until verdicts catch up with finished
    commands (and for the step change that follows a pass) leaves nothing in flight.
    """
    events.wait_for(verdicts_caught_up, what="earlier verdicts")
    already = session.step_status(session.current_step.id) == "passed"
    mark = events.mark()
    result = session.run_line(command, timeout=60)
    events.wait(ev.CommandFinished, mark)
    events.wait_for(verdicts_caught_up, what=f"the verdict on {command!r}")
    check = events.wait(ev.CheckCompleted, mark)
    assert check.step_id and result.command == command
    if check.passed and not already:
        # a pass is followed by StepUnlocked and then StepStarted or LessonCompleted
        unlocked = events.wait(ev.StepUnlocked, mark)
        events.wait(ev.StepStarted if unlocked.next_step_id else ev.LessonCompleted, mark)
    return [e for e in events.since(mark) if not isinstance(e, QUIET)]


def output_of(session: LearnerSession, events: Events, command: str) -> str:
    """The output of a command run (and checked) in the session."""
    caused = run_and_settle(session, events, command)
    finished = [e for e in caused if isinstance(e, ev.CommandFinished)]
    return str(finished[0].result.output)


def pass_step(session: LearnerSession, events: Events, step_id: str) -> None:
    """Run every command of ``step_id`` and require it to pass."""
    assert session.current_step.id == step_id
    for command in STEP_COMMANDS[step_id]:
        caused = run_and_settle(session, events, command)
    assert any(isinstance(e, ev.CheckCompleted) and e.passed for e in caused), caused


def passed(event: object, step_id: str) -> bool:
    """``event`` is the verdict that passed ``step_id`` (counted as the learner's attempt)."""
    return (
        isinstance(event, ev.CheckCompleted)
        and event.step_id == step_id
        and event.passed
        and event.lesson_id != ""
    )


def started(event: object, lesson_id: str, step_id: str) -> bool:
    """``event`` says the learner is now on ``step_id`` of ``lesson_id``."""
    return isinstance(event, ev.StepStarted) and (event.lesson_id, event.step_id) == (
        lesson_id,
        step_id,
    )


def test_whole_lesson_event_sequence(session: LearnerSession, events: Events) -> None:
    first = [e for e in events.items if not isinstance(e, QUIET)]
    assert kinds(first) == ["SessionStarted", "StepStarted"]
    assert started(first[1], LESSON, "cf-target")
    for index, step_id in enumerate(STEP_IDS):
        assert session.current_step.id == step_id
        view = session.step_view()
        shown = " ".join([view.title, view.text, *view.commands, view.url or ""])
        assert "{{" not in shown and "CF_DOMAIN" not in shown, shown
        commands = STEP_COMMANDS[step_id]
        for number, command in enumerate(commands, start=1):
            caused = run_and_settle(session, events, command)
            finished = caused[0]
            assert isinstance(finished, ev.CommandFinished)
            assert finished.step_id == step_id
            assert finished.result.command == command
            assert finished.result.exit_code == 0, finished.result.output
            if number < len(commands):
                assert kinds(caused) == ["CommandFinished", "CheckCompleted"]
                assert caused[1].passed is False
                assert caused[1].pending == f"{number} of {len(commands)} commands done"
                assert caused[1].near_miss is None and caused[1].hint is None
                continue
            check, unlocked = caused[1], caused[2]
            assert passed(check, step_id) and check.attempt
            following = STEP_IDS[index + 1] if index + 1 < len(STEP_IDS) else None
            assert unlocked == ev.StepUnlocked(step_id, following, LESSON)
            if following:
                assert kinds(caused) == [
                    "CommandFinished",
                    "CheckCompleted",
                    "StepUnlocked",
                    "StepStarted",
                ]
                assert started(caused[3], LESSON, following)
            else:
                assert kinds(caused) == [
                    "CommandFinished",
                    "CheckCompleted",
                    "StepUnlocked",
                    "LessonCompleted",
                ]
                lessons = [lesson.id for lesson in session.workshop.lessons]
                position = lessons.index(LESSON) + 1
                upcoming = lessons[position] if position < len(lessons) else None
                assert caused[3] == ev.LessonCompleted(LESSON, upcoming)
                assert "Ping null" in finished.result.output
    assert session.lesson_complete
    with ProgressStore() as store:
        summary = store.summary("12factor")
    assert [s["step"] for s in summary["steps"]] == STEP_IDS
    assert all(s["status"] == "passed" for s in summary["steps"])
    assert summary["commands"] == sum(len(c) for c in STEP_COMMANDS.values())

    # after the lesson: playing in the terminal neither fails the last step nor completes
    # the lesson again
    caused = run_and_settle(session, events, "ls")
    assert kinds(caused) == ["CommandFinished", "CheckCompleted"]
    assert caused[1].passed and caused[1].review and not caused[1].hint
    assert session.progress.tally(STEP_IDS[-1]).failures == 0
    caused = run_and_settle(session, events, STEP_COMMANDS[STEP_IDS[-1]][0])
    assert kinds(caused) == ["CommandFinished", "CheckCompleted"]
    # reviewing a passed step and running its command again changes nothing either
    assert session.go_to("cf-target")
    caused = run_and_settle(session, events, "cf target")
    assert kinds(caused) == ["CommandFinished", "CheckCompleted"] and caused[1].passed
    assert session.current_step.id == "cf-target"
    assert len(events.since(0, ev.LessonCompleted)) == 1
    with ProgressStore() as store:
        again = {s["step"]: s for s in store.summary("12factor")["steps"]}
    assert all(
        again[s]["passed_at"] == p["passed_at"]
        for s, p in zip(STEP_IDS, summary["steps"], strict=True)
    )
    assert again[STEP_IDS[-1]]["last_check"]["status"] == "pass"


def test_the_command_of_the_step_to_do_run_while_reviewing_counts_for_that_step(
    session: LearnerSession, events: Events
) -> None:
    """Looking back at a done step, the learner runs the command of the step still to do:
    the session goes to that step and judges it there (it used to answer "you have done
    this step" and keep the command on the step looked at, so the work did not count)."""
    for step_id in STEP_IDS[:2]:
        pass_step(session, events, step_id)
    to_do = STEP_IDS[2]
    assert session.go_to(STEP_IDS[0])
    caused = run_and_settle(session, events, STEP_COMMANDS[to_do][0])
    assert started(caused[0], LESSON, to_do)
    finished = next(e for e in caused if isinstance(e, ev.CommandFinished))
    assert finished.step_id == to_do and finished.attempt
    assert any(passed(e, to_do) for e in caused), caused
    # anything else run while reviewing stays where it is, and is no attempt
    assert session.go_to(STEP_IDS[0])
    caused = run_and_settle(session, events, "ls")
    assert kinds(caused) == ["CommandFinished", "CheckCompleted"] and caused[1].review
    assert session.current_step.id == STEP_IDS[0]


def test_wrong_plan_names_the_token_and_hints(session: LearnerSession, events: Events) -> None:
    for step_id in STEP_IDS[:3]:
        pass_step(session, events, step_id)
    step = "cf-create-service-cleardb-spark-mysql"
    caused = run_and_settle(session, events, "cf create-service cleardb spak mysql")
    assert kinds(caused) == ["CommandFinished", "CheckCompleted"]
    finished, check = caused
    assert finished.result.exit_code != 0
    assert check.step_id == step and check.passed is False and check.pending is None
    assert check.near_miss and "spak" in check.near_miss and "spark" in check.near_miss
    assert check.reason == "production_test has no service instance `mysql` of cleardb, plan spark."
    assert check.hint and "cf marketplace -s cleardb" in check.hint  # matched the error output
    assert check.solution is None  # not after one failure
    assert session.current_step.id == step

    mark = events.mark()
    hint = session.next_hint()
    assert hint and "Service instances belong to a space" in hint
    shown = events.since(mark, ev.HintShown)
    assert [(h.step_id, h.text, h.solution, h.lesson_id) for h in shown] == [
        (step, hint, False, LESSON)
    ]
    assert shown[0].index is not None and shown[0].index >= 0
    solution = session.solution()
    assert "$ cf create-service cleardb spark mysql" in solution
    assert "$ cf create-service rediscloud 30mb redis" in solution
    assert events.since(mark, ev.HintShown)[-1] == ev.HintShown(step, solution, True, LESSON, -1)
    with ProgressStore() as store:
        summary = {s["step"]: s for s in store.summary("12factor")["steps"]}
    assert summary[step]["hints_shown"] >= 2
    assert summary[step]["last_check"]["status"] == "fail"

    # once the solution was shown, the next failure carries it too
    caused = run_and_settle(session, events, "cf create-service cleardb spak mysql")
    assert caused[1].solution == solution and caused[1].near_miss

    # the right commands still pass the step afterwards
    pass_step(session, events, step)
    assert session.current_step.id == STEP_IDS[4]


def test_two_command_step_is_pending_then_passes(session: LearnerSession, events: Events) -> None:
    for step_id in STEP_IDS[:3]:
        pass_step(session, events, step_id)
    step = STEP_IDS[3]
    # the second command first: order does not matter, but both are needed
    caused = run_and_settle(session, events, "cf create-service rediscloud 30mb redis")
    assert caused[1].pending == "1 of 2 commands done" and not caused[1].passed
    assert session.paste_command() == "cf create-service cleardb spark mysql"
    caused = run_and_settle(session, events, "cf  create-service  cleardb spark mysql")
    assert passed(caused[1], step)
    assert session.step_status(step) == "passed"


def test_reset_step_rewinds_the_mock(session: LearnerSession, events: Events) -> None:
    pass_step(session, events, "cf-target")
    pass_step(session, events, "cf-create-space-production-test")
    assert "production_test" in output_of(session, events, "cf spaces")
    # a stray space made on step 3 disappears when that step is reset
    run_and_settle(session, events, "cf create-space staging")
    assert "staging" in output_of(session, events, "cf spaces")
    mark = events.mark()
    session.reset_step()
    restarted = events.since(mark, ev.StepStarted)
    assert len(restarted) == 1 and started(restarted[0], LESSON, STEP_IDS[2])
    assert events.since(mark, ev.StepReset) == [ev.StepReset(LESSON, STEP_IDS[2], 0)]
    spaces = output_of(session, events, "cf spaces")
    assert "staging" not in spaces and "production_test" in spaces

    # back on step 2, a reset takes the space it created away too, and step 3 locks again
    assert not session.go_to(STEP_IDS[4]), "a locked step cannot be visited"
    assert session.go_to("cf-create-space-production-test")
    session.reset_step()
    spaces = output_of(session, events, "cf spaces")
    assert "production_test" not in spaces and "development" in spaces
    assert session.step_status("cf-create-space-production-test") == "current"
    assert session.step_status("cf-target-s-production-test") == "locked"
    assert session.step_status("cf-target") == "passed"
    pass_step(session, events, "cf-create-space-production-test")


def test_resume_starts_where_the_first_session_left(events: Events) -> None:
    first = open_session(events)
    try:
        for step_id in STEP_IDS[:3]:
            pass_step(first, events, step_id)
        caused = run_and_settle(first, events, "cf create-service cleardb spark mysql")
        assert caused[1].pending == "1 of 2 commands done"
    finally:
        close_session(first)

    again = Events()
    second = open_session(again, lesson=None)
    try:
        second.settle()
        shown = [e for e in again.items if not isinstance(e, QUIET)]
        assert kinds(shown) == ["SessionStarted", "StepStarted", "CheckCompleted"]
        assert started(shown[1], LESSON, "cf-create-service-cleardb-spark-mysql")
        assert shown[2].quiet and not shown[2].passed  # checked once on resume, silently
        assert [second.step_status(s) for s in STEP_IDS] == ["passed"] * 3 + ["current"] + [
            "locked"
        ] * 2
        # the mock kept its state: production_test is targeted and mysql exists there
        assert "Space:          production_test" in output_of(second, again, "cf target")
        assert "mysql" in output_of(second, again, "cf services")
        # so the other command finishes the step, as it would have before the restart
        caused = run_and_settle(second, again, "cf create-service rediscloud 30mb redis")
        assert passed(caused[1], "cf-create-service-cleardb-spark-mysql")
    finally:
        close_session(second)
    with ProgressStore() as store:
        typed = [record.command for record in store.commands("12factor")]
    assert typed[3:] == [
        "cf create-service cleardb spark mysql",
        "cf target",
        "cf services",
        "cf create-service rediscloud 30mb redis",
    ]


def test_read_step_passes_on_check_now(events: Events) -> None:
    session = open_session(events, FIXTURES / "tiny", lesson=None)
    try:
        assert session.current_step.kind == "read"
        caused = run_and_settle(session, events, "ls")
        assert kinds(caused) == ["CommandFinished", "CheckCompleted"]
        assert caused[1].passed is False and "Read the text" in caused[1].reason
        assert caused[1].quiet and not caused[1].attempt  # `ls` is no attempt at reading
        mark = events.mark()
        session.check_now()
        session.settle()
        assert events.since(mark, ev.CheckCompleted)[0].passed
        assert kinds(events.since(mark)) == ["CheckCompleted", "StepUnlocked", "LessonCompleted"]
        assert events.since(mark, ev.LessonCompleted) == [ev.LessonCompleted("intro", "first")]
    finally:
        close_session(session)


def test_read_step_passes_on_true(events: Events) -> None:
    """The plain runner tells the learner to run `true` once they have read the page."""
    session = open_session(events, FIXTURES / "tiny", lesson="intro")
    try:
        caused = run_and_settle(session, events, "true")
        assert passed(caused[1], "read")
    finally:
        close_session(session)


def shell_sees_work_folder(session: LearnerSession, events: Events) -> None:
    """The learner's shell still stands in the mock's working folder, files and all."""
    on_disk = sorted(p.name for p in session.cwd.iterdir()) if session.cwd else []
    caused = run_and_settle(session, events, "ls -A1")
    finished = next(e for e in caused if isinstance(e, ev.CommandFinished))
    listed = sorted(line for line in finished.result.output.splitlines() if line)
    assert listed == on_disk, "the shell's working folder was replaced under it"
    probe = next(
        e for e in run_and_settle(session, events, "cf target") if isinstance(e, ev.CommandFinished)
    )
    assert "getcwd" not in probe.result.output, probe.result.output


def test_reset_step_keeps_the_shell_in_its_working_folder(
    session: LearnerSession, events: Events
) -> None:
    """After "reset this step" the learner's next `cf push` must still find manifest.yml."""
    shell_sees_work_folder(session, events)
    session.reset_step()
    shell_sees_work_folder(session, events)


def test_switch_lesson_keeps_the_shell_in_its_working_folder(
    session: LearnerSession, events: Events
) -> None:
    lessons = [lesson.id for lesson in session.workshop.lessons]
    other = lessons[(lessons.index(LESSON) + 1) % len(lessons)]
    mark = events.mark()
    session.switch_lesson(other)
    assert events.since(mark, ev.StepStarted)[-1].lesson_id == other
    shell_sees_work_folder(session, events)


def test_the_vocabulary_is_made_after_the_start_when_first_needed(
    events: Events, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing every command line of the course is no part of the session's start; the
    first near miss still finds the vocabulary, and it is made once."""
    from workshop.engine import session as session_module

    made: list[object] = []
    real = session_module.vocabulary_for
    monkeypatch.setattr(session_module, "vocabulary_for", lambda w: made.append(w) or real(w))
    started = open_session(events)
    try:
        assert made == []
        for step_id in STEP_IDS[:3]:
            pass_step(started, events, step_id)
        caused = run_and_settle(started, events, "cf create-service cleardb spak mysql")
        check = caused[-1]
        assert check.near_miss and "spak" in check.near_miss and "spark" in check.near_miss
        assert len(made) == 1
    finally:
        close_session(started)
