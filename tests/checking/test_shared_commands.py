"""Checks of one evaluation that share a command line run it once; a retry runs it again."""

from __future__ import annotations

from pathlib import Path

from check_support import make_context

from workshop.checking import run_check, run_checks
from workshop.content.model import CheckSpec, Step


def _counting(log: Path) -> str:
    """A command line that appends a line to ``log`` each time it runs, then prints the count."""
    return f"echo ran >> '{log}'; echo runs=$(wc -l < '{log}')"


def _runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_two_checks_of_one_command_run_it_once(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    line = _counting(log)
    step = Step(
        "s", "t", "", commands=["true"],
        checks=[CheckSpec("command", {"command": line, "matches": "runs=1"}),
                CheckSpec("command", {"command": line, "matches": "^runs=\\d+$"})],
    )  # fmt: skip
    results = run_checks(step, make_context(tmp_path))
    assert [r.status for r in results] == ["pass", "pass"], [r.reason for r in results]
    assert _runs(log) == 1
    assert results[0].output == results[1].output == "runs=1\n"

    # another evaluation runs it again: outcomes are kept for one run_checks only
    again = run_checks(step, make_context(tmp_path), stop_on_failure=False)
    assert [r.status for r in again] == ["fail", "pass"]
    assert _runs(log) == 2


def test_different_command_lines_each_run(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    step = Step(
        "s", "t", "", commands=["true"],
        checks=[CheckSpec("command", {"command": _counting(log)}),
                CheckSpec("command", {"command": _counting(log) + " "})],
    )  # fmt: skip
    assert [r.status for r in run_checks(step, make_context(tmp_path))] == ["pass", "pass"]
    assert _runs(log) == 2


def test_a_retry_runs_the_command_again_and_later_checks_share_the_fresh_outcome(
    tmp_path: Path,
) -> None:
    log = tmp_path / "runs.log"
    line = _counting(log)
    retried = CheckSpec("command", {"command": line, "matches": "runs=3"}, retries=3, interval=0)
    step = Step(
        "s", "t", "", commands=["true"],
        checks=[CheckSpec("command", {"command": line}), retried,
                CheckSpec("command", {"command": line, "matches": "runs=3"})],
    )  # fmt: skip
    results = run_checks(step, make_context(tmp_path))
    assert [r.status for r in results] == ["pass", "pass", "pass"], [r.reason for r in results]
    assert results[1].attempts == 3  # runs=1 (shared with the first check), 2, then 3
    assert _runs(log) == 3


def test_run_check_alone_runs_its_command_each_time(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    spec = CheckSpec("command", {"command": _counting(log)})
    run_check(spec, make_context(tmp_path))
    run_check(spec, make_context(tmp_path))
    assert _runs(log) == 2
