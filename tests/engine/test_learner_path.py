"""What learners hit off the happy path (issue "Engine v2"), each reproduced end to end.

Real bash in a PTY, the real mock ``cf`` and router, the real progress store under the
test's own ``WORKSHOP_HOME``: commands that are not the step's own do not count, lessons keep
their own foundations, a reset from another shell is refused while a session holds the
workshop, a command finished before a crash is not lost, hints are rendered, checks see the
learner's exported variables, and the real session and the TUI's fake both are the Protocol
front ends code against.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engine_support import LESSON, REPO, STEP_COMMANDS, STEP_IDS, WORKSHOP, Events, cli, cli_env
from engine_support import stop_router as stop_home_router

from workshop.content import load_workshop
from workshop.engine import events as ev
from workshop.engine.ports import LearnerSessionPort
from workshop.engine.session import LearnerSession
from workshop.mock.router import stop_router
from workshop.progress import ProgressStore

SERVICES = "cf-create-service-cleardb-spark-mysql"


def caught_up(items: list[Any]) -> bool:
    """Every finished command has had its verdict."""
    finished = sum(1 for e in items if isinstance(e, ev.CommandFinished))
    verdicts = sum(1 for e in items if isinstance(e, ev.CheckCompleted | ev.SessionProblem))
    return verdicts >= finished


def run(session: LearnerSession, events: Events, command: str) -> ev.CheckCompleted:
    """Run ``command`` as the learner and return its verdict (after the step change a pass
    causes)."""
    mark = events.mark()
    session.run_line(command, timeout=60)
    events.wait(ev.CommandFinished, mark)
    session.settle()
    events.wait_for(caught_up, what=f"the verdict on {command!r}")
    verdict: ev.CheckCompleted = [e for e in events.since(mark, ev.CheckCompleted) if e.step_id][0]
    return verdict


@pytest.fixture
def open_sessions() -> Iterator[list[LearnerSession]]:
    """Sessions a test opens, closed (and their routers stopped) afterwards."""
    opened: list[LearnerSession] = []
    yield opened
    for session in opened:
        session.close()
        if session.mock_home.is_dir():
            stop_router(session.mock_home)


def start(
    opened: list[LearnerSession], lesson: str | None = LESSON, **kw: Any
) -> tuple[LearnerSession, Events]:
    """A started session on the bundled workshop."""
    events = Events()
    session = LearnerSession(
        load_workshop(WORKSHOP), lesson, listener=events, rows=30, cols=100, **kw
    )
    opened.append(session)
    session.start()
    events.wait(ev.StepStarted)
    session.settle()
    return session, events


def do_steps(session: LearnerSession, events: Events, count: int) -> None:
    """Pass the first ``count`` steps of the dev/prod parity lesson."""
    for step_id in STEP_IDS[:count]:
        assert session.current_step.id == step_id
        for command in STEP_COMMANDS[step_id]:
            verdict = run(session, events, command)
        assert verdict.passed, verdict


# -- commands that are not the step's own -------------------------------------------------


def test_commands_that_are_not_the_steps_own_are_no_attempts(
    open_sessions: list[LearnerSession],
) -> None:
    session, events = start(open_sessions)
    for command in ("clear", "ls", "pwd", "cd .", "history | tail -1", "echo hello"):
        verdict = run(session, events, command)
        assert not verdict.passed and verdict.quiet and not verdict.attempt, (command, verdict)
        assert verdict.hint is None and verdict.solution is None
    assert session.current_step.id == STEP_IDS[0]
    do_steps(session, events, len(STEP_IDS))
    summary = session.lesson_summary()
    assert summary.retries == 0 and summary.first_try == len(STEP_IDS)
    store = ProgressStore()
    rows = {s.step: s for s in store.steps(session.workshop.id) if s.lesson == LESSON}
    assert rows[STEP_IDS[0]].attempts == 1 and rows[STEP_IDS[0]].failures == 0
    assert all(rows[s].failures == 0 for s in STEP_IDS)
    assert {s.step_id: s.attempts for s in summary.steps} == {s: rows[s].attempts for s in STEP_IDS}


def test_summary_and_progress_count_the_same_hints_and_retries(
    open_sessions: list[LearnerSession],
) -> None:
    session, events = start(open_sessions)
    do_steps(session, events, 1)
    wrong = run(session, events, "cf create-space")  # the step's command, badly: an attempt
    assert wrong.attempt and not wrong.passed and not wrong.quiet
    session.next_hint()
    assert run(session, events, "cf create-space production_test").passed
    summary = {s.step_id: s for s in session.lesson_summary().steps}
    store = ProgressStore()
    progress = {s["step"]: s for s in store.summary(session.workshop.id)["steps"]}
    step = STEP_IDS[1]
    assert summary[step].failures == progress[step]["failures"] == 1
    assert summary[step].attempts == progress[step]["attempts"] == 2
    assert summary[step].hints == progress[step]["hints_shown"] >= 1


# -- each lesson keeps its own foundation --------------------------------------------------


def test_a_lesson_left_part_way_gets_its_own_foundation_back(
    open_sessions: list[LearnerSession],
) -> None:
    session, events = start(open_sessions)
    do_steps(session, events, 3)
    assert session.current_step.id == SERVICES
    mark = events.mark()
    session.switch_lesson("logs")  # another lesson, begun fresh from its own start
    events.wait_for(lambda items: session.lesson.id == "logs")
    session.switch_lesson(LESSON)
    assert session.current_step.id == SERVICES
    # the learner's terminal is already in the lesson's folder: no `cd` typed into it
    shown = "".join(e.text for e in events.since(mark, ev.OutputReceived))
    assert "cd " not in shown, shown
    verdict = run(session, events, "clear")
    assert not verdict.passed
    services = session.run_line("cf services", timeout=30)
    assert "No services found" in services.output
    target = session.run_line("cf target", timeout=30)
    assert "production_test" in target.output


def test_coming_back_to_a_finished_lesson_keeps_its_login(
    open_sessions: list[LearnerSession],
) -> None:
    session, events = start(open_sessions)
    assert session.finished_lessons() == frozenset()
    do_steps(session, events, len(STEP_IDS))
    assert session.finished_lessons() == {LESSON}  # the lesson lists mark it done
    session.switch_lesson("objective")
    assert session.finished_lessons() == {
        LESSON
    }  # a fresh account: no endpoint, no login (cf v6.16.1
    # then says only the first: its login requirement stops at the missing endpoint)
    assert "No API endpoint set" in session.run_line("cf apps", timeout=30).output
    session.switch_lesson(LESSON)
    apps = session.run_line("cf apps", timeout=30).output
    assert "No API endpoint set" not in apps and "workshop-12f-stock" in apps


# -- a reset from another shell ------------------------------------------------------------


def test_reset_from_another_shell_is_refused_while_a_session_holds_the_workshop(
    open_sessions: list[LearnerSession],
) -> None:
    home = Path(os.environ["WORKSHOP_HOME"])
    session, events = start(open_sessions)
    do_steps(session, events, 3)
    for args in (("reset", "--step", SERVICES), ("reset", "--all"), ("mock", "reset")):
        refused = cli(*args, home=home)
        assert refused.returncode == 1, (args, refused.stdout, refused.stderr)
        assert f"pid {os.getpid()}" in refused.stderr and "Traceback" not in refused.stderr
    assert session.current_step.id == SERVICES
    session.close()
    done = cli("reset", "--step", STEP_IDS[1], home=home)
    assert done.returncode == 0, done.stderr
    shown = cli("progress", "--json", home=home)
    import json

    steps = {s["step"]: s["status"] for s in json.loads(shown.stdout)["steps"]}
    assert steps[STEP_IDS[0]] == "passed" and steps[STEP_IDS[1]] == "current"
    assert STEP_IDS[2] not in steps  # later steps are to do again, none of them "locked"


# -- a command that finished just before a crash --------------------------------------------


def test_on_resume_the_current_step_is_checked_before_anything_is_typed(
    open_sessions: list[LearnerSession], tmp_path: Path
) -> None:
    session, events = start(open_sessions)
    do_steps(session, events, 4)
    assert session.current_step.id == STEP_IDS[4]
    session.close()
    # the push ran to its end, but its verdict never came (the runner died)
    env = dict(session.env)
    pushed = subprocess.run(
        ["bash", "-c", STEP_COMMANDS[STEP_IDS[4]][0]],
        cwd=session.cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    again, events = start(open_sessions)
    assert again.step_status(STEP_IDS[4]) == "passed"
    assert again.current_step.id == STEP_IDS[5]
    verdicts = events.since(0, ev.CheckCompleted)
    assert verdicts and verdicts[0].passed and not verdicts[0].attempt


# -- hints, environment, the front end's Protocol ------------------------------------------


def test_hints_show_rendered_values_not_templates(open_sessions: list[LearnerSession]) -> None:
    session, events = start(open_sessions, "objective")
    for step_id in ("check-tools", "set-api"):
        assert session.current_step.id == step_id
        for command in session.step_view().test_commands or session.step_view().commands:
            verdict = run(session, events, command)
        assert verdict.passed, verdict
    assert session.current_step.id == "log-in"
    # what `cf login` prints for a wrong password (it would then ask again)
    run(session, events, "echo 'Credentials were rejected, please try again.'")
    hint = session.next_hint()
    assert hint is not None and "{{" not in hint and "user_name / password" in hint
    for shown in session.step_view().hints:
        assert "{{" not in shown.text
    assert events.since(0, ev.HintShown)[-1].text == hint


def test_checks_see_what_the_learner_exported(tmp_path: Path) -> None:
    workshop = tmp_path / "greet"
    (workshop / "checks" / "greeting").mkdir(parents=True)
    (workshop / "workshop.yaml").write_text(
        "title: Greetings\nlessons:\n  - id: greeting\n    file: greeting.md\n"
    )
    (workshop / "greeting.md").write_text(
        "# Greetings\n\nExport a greeting.\n\n```sh {id=greet}\nexport GREETING=hello\n```\n"
    )
    script = workshop / "checks" / "greeting" / "greet.sh"
    script.write_text(
        '#!/bin/sh\n[ "$GREETING" = hello ] && exit 0\necho "GREETING is not set"\nexit 1\n'
    )
    script.chmod(0o755)
    events = Events()
    session = LearnerSession(load_workshop(workshop), listener=events, live=True)
    session.start()
    try:
        events.wait(ev.StepStarted)
        assert run(session, events, "export GREETING=hello").passed
    finally:
        session.close()


def test_the_real_session_and_the_tuis_fake_are_the_front_ends_protocol() -> None:
    sys.path.insert(0, str(REPO / "tests" / "tui"))
    try:
        from fakes import TranscriptSession
    finally:
        sys.path.pop(0)
    assert isinstance(TranscriptSession(), LearnerSessionPort)
    assert isinstance(LearnerSession(load_workshop(WORKSHOP)), LearnerSessionPort)


# -- the issue's own acceptance run, in the line mode ----------------------------------------


def test_plain_run_in_the_wrong_space_names_it_and_counts_only_the_steps_commands(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    lines = [
        "cf target",
        "cf create-space production_test",
        "cf target -s production_test",
        "cf target -s development",
        "cf create-service cleardb spark mysql",
        "cf create-service rediscloud 30mb redis",
        "clear",
        "ls",
    ]
    try:
        result = subprocess.run(
            [sys.executable, "-m", "workshop", "run", str(WORKSHOP), "--lesson", LESSON, "--plain"],
            cwd=REPO,
            env=cli_env(home),
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            timeout=120,
        )
        shown = cli("progress", "--json", home=home)
    finally:
        stop_home_router(home)
    assert result.returncode == 1, result.stderr  # four steps of six done
    import json

    steps = {s["step"]: s for s in json.loads(shown.stdout)["steps"]}
    assert steps[SERVICES]["status"] != "passed"
    assert steps[SERVICES]["attempts"] == 2, steps[SERVICES]
    tail = result.stdout[result.stdout.rindex("create-service rediscloud") :]
    assert "development" in tail and "✘" in tail
    out = result.stdout
    first = out[
        out.index("# cf create-service cleardb") : out.index("# cf create-service rediscloud")
    ]
    assert "1 of 2 commands done" in first and "the space development" in first  # told at once


# -- the shell ends, the runner restarts -----------------------------------------------------


def test_exit_in_the_terminal_starts_a_new_shell_in_the_same_folder(
    open_sessions: list[LearnerSession],
) -> None:
    session, events = start(open_sessions)
    run(session, events, "mkdir -p sub && cd sub")
    mark = events.mark()
    session.type_keys("exit\r")
    restarted = events.wait(ev.ShellRestarted, mark)
    assert restarted.cwd.endswith("/sub")
    session.settle()
    verdicts = events.since(mark, ev.CheckCompleted)
    assert len(verdicts) == 1 and verdicts[0].quiet and not verdicts[0].attempt
    assert session.shell_alive
    assert session.run_line("pwd", timeout=30).output.strip().endswith("/sub")
    mark = events.mark()
    session.check_now()  # F3 still works
    session.settle()
    assert events.since(mark, ev.CheckCompleted)
    session.reset_step()  # and so does F9
    assert session.current_step.id == STEP_IDS[0]
    assert ProgressStore().step_status(session.workshop.id, LESSON, STEP_IDS[0]).attempts == 0


def test_a_restarted_runner_brings_back_folder_and_history_and_names_lost_variables(
    open_sessions: list[LearnerSession],
) -> None:
    first, events = start(open_sessions)
    run(first, events, "mkdir -p sub && cd sub")
    run(first, events, "export GREETING=hello")
    first.close()
    again, events = start(open_sessions)
    notices = events.since(0, ev.Notice)
    assert len(notices) == 1 and "GREETING" in notices[0].text
    assert again.run_line("pwd", timeout=30).output.strip().endswith("/sub")
    history = again.run_line("history", timeout=30).output
    assert "export GREETING=hello" in history and "mkdir -p sub && cd sub" in history


# -- the classroom sees what the learner's screen sees ---------------------------------------


class RecordingReporter:
    """A classroom reporter that keeps what it was given (``ReporterPort``)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.screen = ""
        self.size = (0, 0)

    def report(self, kind: str, **fields: Any) -> int:
        self.sent.append((kind, fields))
        return len(self.sent)

    def close(self, flush_timeout: float = 2.0) -> None:
        self.sent.append(("closed", {}))

    def terminal_output(self, text: str) -> None:
        self.screen += text  # what a shared screen would be drawn from

    def catch_up(self, done: list[str], skipped: list[str]) -> None:
        self.sent.append(("catch_up", {"done": done, "skipped": skipped}))

    def resize(self, rows: int, cols: int) -> None:
        self.size = (rows, cols)

    def share_screen(self, on: bool | None = None) -> bool:
        return False


def test_the_classroom_events_are_derived_from_the_same_stream(
    open_sessions: list[LearnerSession],
) -> None:
    from workshop.classroom import protocol

    reporter = RecordingReporter()
    session, events = start(open_sessions, reporter=reporter)
    do_steps(session, events, 1)
    run(session, events, "ls")  # no attempt: nothing for the instructor but the command
    run(session, events, "cf create-space")  # an attempt that fails
    session.request_help("stuck")
    session.close()
    kinds = [kind for kind, _ in reporter.sent]
    assert kinds[:2] == ["joined", "step_started"]
    assert kinds[-2:] == ["left", "closed"]
    assert all(kind in protocol.KINDS for kind in kinds[:-1])
    after_ls = kinds[kinds.index("step_completed") :]
    assert after_ls.count("check_failed") == 1 and "help_requested" in after_ls
    assert after_ls[1:4] == ["step_started", "command_run", "command_run"], after_ls
    for kind, fields in reporter.sent[:-1]:
        assert set(fields) - {"lesson", "step", "time"} <= protocol.KIND_FIELDS[kind], kind
    # the terminal's output reaches the reporter too (for a screen the learner shares)
    assert "cf create-space" in reporter.screen and reporter.size == (session.rows, session.cols)


def test_a_session_tells_the_classroom_what_was_done_before_it_joined(
    open_sessions: list[LearnerSession],
) -> None:
    """Steps passed in an earlier run (offline, no classroom) are said at the next start."""
    session, events = start(open_sessions)
    do_steps(session, events, 2)
    session.close()
    reporter = RecordingReporter()
    again, events = start(open_sessions, reporter=reporter)
    again.close()
    caught = [fields for kind, fields in reporter.sent if kind == "catch_up"]
    assert caught == [{"done": [f"{LESSON}/{s}" for s in STEP_IDS[:2]], "skipped": []}]
    assert reporter.sent[1][0] == "joined"  # the summary, then the join event


# -- what trying it as a learner found ----------------------------------------------------------


def test_a_reset_in_one_lesson_leaves_the_others_progress_alone(
    open_sessions: list[LearnerSession],
) -> None:
    session, events = start(open_sessions, "objective")
    for command in session.step_view().test_commands or session.step_view().commands:
        run(session, events, command)
    assert session.step_status("check-tools") == "passed"
    session.switch_lesson(LESSON)
    do_steps(session, events, 3)
    session.switch_lesson("objective")
    session.go_to("check-tools")
    session.reset_step()
    rows = {(s.lesson, s.step): s.status for s in ProgressStore().steps(session.workshop.id)}
    assert all(rows[(LESSON, step)] == "passed" for step in STEP_IDS[:3]), rows
    assert rows[("objective", "check-tools")] == "current"


def test_after_a_lesson_reset_the_next_run_does_not_pass_its_first_step_by_itself(
    open_sessions: list[LearnerSession],
) -> None:
    home = Path(os.environ["WORKSHOP_HOME"])
    session, events = start(open_sessions)
    do_steps(session, events, 2)
    session.close()
    assert cli("reset", "--lesson", LESSON, home=home).returncode == 0
    again, events = start(open_sessions)
    assert again.current_step.id == STEP_IDS[0]
    assert again.step_status(STEP_IDS[0]) == "current"
    assert not [e for e in events.since(0, ev.CheckCompleted) if e.passed]


def test_a_command_cut_off_by_a_crash_counts_as_the_attempt_it_was(
    open_sessions: list[LearnerSession],
) -> None:
    session, events = start(open_sessions)
    session.close()
    # `cf target` finished and was recorded, then the runner died before its verdict
    store = ProgressStore()
    result = subprocess.run(
        ["bash", "-c", "cf target"], cwd=session.cwd, env=dict(session.env),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    store.record_command(session.workshop.id, LESSON, STEP_IDS[0], "cf target", 0, result.stdout)
    again, events = start(open_sessions)
    assert again.step_status(STEP_IDS[0]) == "passed"
    row = store.step_status(session.workshop.id, LESSON, STEP_IDS[0])
    assert (row.attempts, row.failures) == (1, 0)


def test_mock_stop_is_refused_while_a_session_holds_the_workshop(
    open_sessions: list[LearnerSession],
) -> None:
    home = Path(os.environ["WORKSHOP_HOME"])
    start(open_sessions)
    refused = cli("mock", "stop", home=home)
    assert refused.returncode == 1 and "quit it first" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_pushing_in_the_wrong_space_first_leaves_a_way_out(
    open_sessions: list[LearnerSession],
) -> None:
    session, events = start(open_sessions)
    do_steps(session, events, 4)
    run(session, events, "cf target -s development")
    wrong = run(session, events, "cf push -n workshop-12f-stock-production_test")
    assert not wrong.passed and "`development`" in wrong.reason
    run(session, events, "cf target -s production_test")
    stuck = run(session, events, "cf push -n workshop-12f-stock-production_test")
    assert not stuck.passed and stuck.hint and "Rewind this step" in stuck.hint
    assert stuck.solution is None or "cf target -s production_test" in stuck.solution
    session.reset_step()  # what the hint says: the wrong push is undone
    assert run(session, events, "cf target -s production_test").attempt is False
    assert run(session, events, "cf push -n workshop-12f-stock-production_test").passed


def test_templates_show_what_the_learners_shell_exported(tmp_path: Path) -> None:
    workshop = tmp_path / "echo"
    workshop.mkdir()
    (workshop / "workshop.yaml").write_text(
        "title: Echo\nlessons:\n  - id: greet\n    file: greet.md\n"
    )
    (workshop / "greet.md").write_text(
        "# Greet\n\nYour greeting is {{echo $GREETING}}.\n\n```sh\n$ echo {{GREETING}}\n```\n"
    )
    events = Events()
    session = LearnerSession(load_workshop(workshop, strict=False), listener=events, live=True)
    session.start()
    try:
        events.wait(ev.StepStarted)
        session.run_line("export GREETING=hello", timeout=30)
        session.settle()
        view = session.step_view()
        assert "Your greeting is hello." in view.text and view.commands == ["echo hello"]
    finally:
        session.close()


# -- skipping a step ----------------------------------------------------------------------------


def test_a_skipped_step_runs_its_solve_and_counts_as_skipped_not_passed(
    open_sessions: list[LearnerSession],
) -> None:
    reporter = RecordingReporter()
    session, events = start(open_sessions, reporter=reporter)
    do_steps(session, events, 1)
    assert session.skip_step()
    # the solve really ran: the space exists, and the next step is the current one
    assert "production_test" in session.run_line("cf spaces", timeout=30).output
    assert session.step_status(STEP_IDS[1]) == "skipped"
    assert session.current_step.id == STEP_IDS[2]
    row = ProgressStore().step_status(session.workshop.id, LESSON, STEP_IDS[1])
    assert row.status == "skipped"
    kinds = [kind for kind, _ in reporter.sent]
    assert "step_skipped" in kinds and kinds.count("step_completed") == 1  # only step 1's
    assert session.go_to(STEP_IDS[1]) and not session.skip_step()  # done already
    summary = session.lesson_summary()
    assert summary.skipped == 1 and [s.skipped for s in summary.steps][:2] == [False, True]


def test_a_solve_that_fails_does_not_skip(open_sessions: list[LearnerSession]) -> None:
    session, events = start(open_sessions)
    run(session, events, "cf logout")  # now the solve of `cf target` fails: not logged in
    mark = events.mark()
    assert not session.skip_step()
    problems = events.since(mark, ev.SessionProblem)
    assert problems and "not skipped" in problems[0].message
    assert session.step_status(STEP_IDS[0]) == "current"


def test_the_line_mode_skips_after_asking(tmp_path: Path) -> None:
    home = tmp_path / "home"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "workshop", "run", str(WORKSHOP), "--lesson", LESSON, "--plain"],
            cwd=REPO, env=cli_env(home), capture_output=True, text=True, timeout=120,
            input="cf target\n:skip\nn\n:skip\ny\n",
        )  # fmt: skip
        shown = cli("progress", "--json", home=home)
    finally:
        stop_home_router(home)
    assert result.returncode == 1, result.stderr  # two steps of six done
    assert result.stdout.count("Skip this step?") == 2 and "Not skipped." in result.stdout
    assert "Step skipped" in result.stdout
    import json

    steps = {s["step"]: s["status"] for s in json.loads(shown.stdout)["steps"]}
    assert steps[STEP_IDS[0]] == "passed" and steps[STEP_IDS[1]] == "skipped"


def test_the_first_command_finds_the_app_router_even_when_it_is_not_up_yet(
    open_sessions: list[LearnerSession],
) -> None:
    """The router starts beside the shell, not before it; a learner (or a script) whose
    first command is a ``curl`` to a pushed app must still reach it."""
    session, events = start(open_sessions, lesson="config")
    stop_router(session.mock_home)  # as if it had not finished starting
    done = session.run_line("curl -s http://workshop-12f-stock.cfapps.io/stock/ping")
    assert done.exit_code == 0 and done.output.startswith("Ping"), done.output


def test_a_password_typed_at_the_prompt_after_a_login_is_not_sent_to_the_classroom() -> None:
    """After a failed `cf login` a learner often types the password at bash's prompt
    ("command not found"): the dashboard, often on a projector, showed `$ hunter2`."""
    from workshop.engine.recorders import ClassroomFeed
    from workshop.shell.result import CommandResult

    reporter = RecordingReporter()
    feed = ClassroomFeed(reporter)

    def ran(command: str, status: int) -> None:
        result = CommandResult(command, status, f"{command}: out", 0.1, 1.0)
        feed(ev.CommandFinished(result, LESSON, STEP_IDS[0], False))

    ran("cf login -u ada", 1)
    ran("hunter2", 127)
    ran("frobnicate", 127)  # a lone unknown word after anything else is shown as typed
    ran("cf login -u ada", 1)
    ran("cf target -s x", 127)  # more than a word: a command, shown
    sent = [fields["command"] for kind, fields in reporter.sent if kind == "command_run"]
    assert sent == [
        "cf login -u ada",
        "*** (not shown: a password?)",
        "frobnicate",
        "cf login -u ada",
        "cf target -s x",
    ]
    masked = next(f for k, f in reporter.sent if f.get("command", "").startswith("***"))
    assert masked["output"] == ""
