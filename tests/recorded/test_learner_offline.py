"""A learner takes the recorded kvcloud workshop offline: the line mode through real bash,
and a step reset that rewinds the replay. kvcloud is not on PATH: the replay shim answers."""

from __future__ import annotations

import time
from pathlib import Path

from recorded_support import EXAMPLE, workshop

from workshop.content import load_workshop
from workshop.engine.session import LearnerSession


def test_plain_session_completes_every_lesson_offline(recorded: Path, tmp_path: Path) -> None:
    account = workshop(
        "run", str(recorded), "--lesson", "account", "--plain", home=tmp_path,
        stdin="kvcloud login\nada\ns3cret-pass\nkvcloud create notes\n",
    )  # fmt: skip
    assert account.returncode == 0, account.stdout + account.stderr
    assert "OK logged in as ada" in account.stdout
    assert "Password:\n" in account.stdout  # the password prompt does not echo
    assert "OK created bucket notes (bkt-" in account.stdout
    assert "Lesson complete" in account.stdout
    data = workshop(
        "run", str(recorded), "--lesson", "data", "--plain", home=tmp_path,
        stdin="kvcloud put notes greeting hello\nkvcloud get notes greeting\n"
        "kvcloud delete notes\n",
    )  # fmt: skip
    assert data.returncode == 0, data.stdout + data.stderr
    assert "\nhello\n" in data.stdout and "OK deleted bucket notes" in data.stdout
    assert "Lesson complete" in data.stdout
    assert data.stdout.count("✔ Step passed.") == 3


def _wait(probe: object, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not probe():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_step_reset_rewinds_the_replay(recorded: Path) -> None:
    session = LearnerSession(load_workshop(recorded), "data", rows=30, cols=100)
    session.start()
    try:
        before = session.run_line("kvcloud get notes greeting", timeout=30)
        assert before.exit_code == 1 and "no key greeting" in before.output
        assert session.run_line("kvcloud put notes greeting hello", timeout=30).exit_code == 0
        _wait(lambda: session.step_status("put-greeting") == "passed", "the put to pass")
        after = session.run_line("kvcloud get notes greeting", timeout=30)
        assert after.exit_code == 0 and "hello" in after.output
        # back on the put step, a reset puts the replay where that step began
        assert session.go_to("put-greeting")
        session.reset_step()
        again = session.run_line("kvcloud get notes greeting", timeout=30)
        assert again.exit_code == 1 and "no key greeting" in again.output
        assert session.step_status("put-greeting") == "current"
    finally:
        session.close()


def test_the_classroom_follows_a_learner_working_offline(tmp_path: Path) -> None:
    import os

    from tests.classroom.classroom_support import CODE, ServerProcess, wait_for

    server = ServerProcess(tmp_path / "classroom.sqlite3", dict(os.environ), course=EXAMPLE)
    server.start()
    try:
        done = workshop(
            "run", str(EXAMPLE), "--lesson", "data", "--plain", "--classroom", server.url,
            "--code", CODE, "--name", "Ada", home=tmp_path / "learner",
            stdin="kvcloud put notes greeting hello\nkvcloud get notes greeting\n"
            "kvcloud delete notes\n",
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr

        def cells() -> dict[str, str] | None:
            learners = server.room()["learners"]
            if not learners:
                return None
            found = {k: v["status"] for k, v in learners[0]["cells"].get("data", {}).items()}
            return found if len(found) == 3 else None

        assert wait_for(cells, 10, "the learner's steps") == {
            "put-greeting": "done",
            "get-greeting": "done",
            "delete-bucket": "done",
        }
    finally:
        server.stop()


def test_switching_lessons_keeps_each_lessons_replay(recorded: Path) -> None:
    session = LearnerSession(load_workshop(recorded), "data", rows=30, cols=100)
    session.start()
    try:
        assert session.run_line("kvcloud put notes greeting hello", timeout=30).exit_code == 0
        _wait(lambda: session.step_status("put-greeting") == "passed", "the put to pass")
        session.switch_lesson("account")  # a lesson of its own: its replay starts at its start
        refused = session.run_line("kvcloud create notes", timeout=30)
        assert refused.exit_code == 1 and "expects here: `kvcloud login`" in refused.output
        session.switch_lesson("data")  # back where the learner left it: after the put
        again = session.run_line("kvcloud get notes greeting", timeout=30)
        assert again.exit_code == 0 and "hello" in again.output
    finally:
        session.close()
