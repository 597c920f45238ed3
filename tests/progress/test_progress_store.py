"""ProgressStore round trips, schema versioning, resets and two writing threads."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from workshop import paths
from workshop.checking import CheckResult
from workshop.content.model import CheckSpec
from workshop.errors import WorkshopError
from workshop.progress import MAX_OUTPUT, ProgressStore
from workshop.progress.schema import VERSION

W = "12factor"


def result(status: str, reason: str = "r", kind: str = "exit_code") -> CheckResult:
    return CheckResult(status, reason, None, CheckSpec(kind, {}), 0.01)  # type: ignore[arg-type]


def test_default_path_follows_workshop_home(isolated_home: Path) -> None:
    with ProgressStore() as store:
        assert store.path == paths.progress_db()
        assert store.path.is_relative_to(isolated_home)
    assert (isolated_home / "state" / "progress.sqlite3").is_file()


def test_schema_version_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    ProgressStore(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute(f"PRAGMA user_version = {VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(WorkshopError, match="newer than this workshop runner"):
        ProgressStore(db)


def test_round_trip_across_reopen(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    with ProgressStore(db) as store:
        assert store.position(W) is None
        assert store.step_status(W, "dev-prod", "cf-target").status == "locked"
        store.start_step(W, "dev-prod", "cf-target")
        cid = store.record_command(W, "dev-prod", "cf-target", "cf target", 0, "API endpoint: x\n",
                                   started_at=10.0, finished_at=10.5)  # fmt: skip
        assert store.record_checks(W, "dev-prod", "cf-target", [result("pass")], command_id=cid)
        store.start_step(W, "dev-prod", "create-space")
        store.record_command(
            W,
            "dev-prod",
            "create-space",
            "cf create-spac production_test",
            1,
            "'create-spac' is not a registered command",
        )
        assert not store.record_checks(W, "dev-prod", "create-space", [result("fail", "exit 1")])
        store.record_hint(W, "dev-prod", "create-space", 2, "Check the spelling")
        store.record_hint(W, "dev-prod", "create-space", 0, "Spaces are per org")
        store.record_hint(W, "dev-prod", "create-space", 2, "Check the spelling")
    with ProgressStore(db) as store:
        assert store.position(W) == ("dev-prod", "create-space")
        first = store.step_status(W, "dev-prod", "cf-target")
        assert (first.status, first.attempts) == ("passed", 1) and first.passed_at
        second = store.step_status(W, "dev-prod", "create-space")
        assert (second.status, second.attempts) == ("current", 1) and second.passed_at is None
        cmds = store.commands(W)
        assert [(c.command, c.exit_code, c.step) for c in cmds] == [
            ("cf target", 0, "cf-target"),
            ("cf create-spac production_test", 1, "create-space"),
        ]
        assert (cmds[0].started_at, cmds[0].finished_at) == (10.0, 10.5)
        assert store.commands(W, step="cf-target")[0].id == cmds[0].id
        checks = store.check_results(W, "dev-prod", "create-space")
        assert [(c["kind"], c["status"], c["reason"]) for c in checks] == [
            ("exit_code", "fail", "exit 1")
        ]
        assert store.check_results(W, "dev-prod", "cf-target")[0]["command_id"] == cmds[0].id
        assert store.hints_shown(W, "dev-prod", "create-space") == [2, 0]
        summary = store.summary(W)
        assert json.loads(json.dumps(summary)) == summary
        assert summary["position"] == {"lesson": "dev-prod", "step": "create-space"}
        assert (summary["passed"], summary["started"], summary["commands"]) == (1, 2, 2)
        assert [s["step"] for s in summary["steps"]] == ["cf-target", "create-space"]
        assert summary["steps"][1]["last_check"] == {
            "kind": "exit_code",
            "status": "fail",
            "reason": "exit 1",
        }
        assert summary["steps"][1]["hints_shown"] == 2
        assert store.workshops() == [W]


def test_passed_stays_passed_and_warn_passes(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        assert store.record_checks(W, "l", "s", [result("pass"), result("warn")])
        assert not store.record_checks(W, "l", "s", [result("error")])
        store.start_step(W, "l", "s")
        status = store.step_status(W, "l", "s")
        assert (status.status, status.attempts) == ("passed", 2)
        assert not store.record_checks(W, "l", "t", [])
        store.pass_step(W, "l", "read-me")
        assert store.step_status(W, "l", "read-me").status == "passed"


def test_output_is_bounded_head_and_tail(tmp_path: Path) -> None:
    output = "first line\n" + "x" * (3 * MAX_OUTPUT) + "\nlast line\n"
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record_command(W, "l", "s", "yes | head", 0, output)
        record = store.commands(W)[0]
    assert record.output_size == len(output)
    assert len(record.output) < MAX_OUTPUT + 100
    assert record.output.startswith("first line") and record.output.endswith("last line\n")
    assert "characters left out" in record.output


def test_learners_are_separate(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    with ProgressStore(db, learner="ann") as ann, ProgressStore(db, learner="bob") as bob:
        ann.start_step(W, "l", "s1")
        bob.start_step(W, "l", "s2")
        assert ann.position(W) == ("l", "s1") and bob.position(W) == ("l", "s2")
        assert ann.steps(W)[0].step == "s1" and len(bob.steps(W)) == 1


def test_reset_step_rewinds_it_and_later_steps(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        for step in ("a", "b", "c"):
            store.start_step(W, "l1", step)
            store.record_command(W, "l1", step, f"run {step}", 0, "")
            store.record_checks(W, "l1", step, [result("pass")])
            store.record_hint(W, "l1", step, 0, "hint")
        store.start_step(W, "l2", "z")  # another lesson, started later: a reset leaves it be
        store.pass_step(W, "l2", "z")
        store.set_position(W, "l1", "c")
        store.reset_step(W, "l1", "b")
        # the rewound step is where the learner stands: current (not locked), and what the
        # learner did on it stays counted
        assert [s.step for s in store.steps(W)] == ["a", "b", "z"]
        rewound = store.step_status(W, "l1", "b")
        assert (rewound.status, rewound.attempts, rewound.failures) == ("current", 1, 0)
        assert rewound.passed_at is None
        assert store.step_status(W, "l1", "c").status == "locked"
        assert store.step_status(W, "l2", "z").status == "passed"
        assert store.hints_shown(W, "l1", "b") == [0] and store.check_results(W, "l1", "c") == []
        assert store.position(W) == ("l1", "b")
        assert len(store.commands(W)) == 3, "the command history is kept"


def test_reset_lesson_and_all(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        for lesson, step in (("l1", "a"), ("l2", "b"), ("l2", "c")):
            store.start_step(W, lesson, step)
            store.record_checks(W, lesson, step, [result("pass")])
        store.start_step("other", "x", "y")
        assert store.reset_lesson(W, "l2") is False  # no mock folder given: nothing restored
        assert [(s.step, s.status) for s in store.steps(W)] == [("a", "passed"), ("b", "current")]
        assert store.position(W) == ("l2", "b")
        store.record_command(W, "l1", "a", "cf target", 0, "")
        store.reset_all(W)
        assert store.steps(W) == [] and store.commands(W) == [] and store.position(W) is None
        assert store.position("other") == ("x", "y"), "other workshops are untouched"


def test_two_threads_write_while_a_third_reads(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.sqlite3")
    errors: list[BaseException] = []
    n = 150

    def writer(step: str) -> None:
        try:
            for i in range(n):
                store.record_command(W, "l", step, f"echo {i}", 0, f"{i}\n")
                if i % 10 == 0:
                    store.record_checks(W, "l", step, [result("fail")])
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(50):
                store.summary(W)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s,)) for s in ("s1", "s2")]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    for step in ("s1", "s2"):
        commands = store.commands(W, step=step)
        assert [c.command for c in commands] == [f"echo {i}" for i in range(n)]
        assert store.step_status(W, "l", step).attempts == n // 10
    assert len({c.id for c in store.commands(W)}) == 2 * n
    store.close()
