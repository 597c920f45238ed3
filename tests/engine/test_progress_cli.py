"""``workshop progress`` and ``workshop reset`` through the real CLI, on progress a real
``workshop run --plain`` made: text and JSON, rewinding a step, a lesson, everything (the
mock foundation included), and clean errors for unknown ids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import (
    LESSON,
    STEP_IDS,
    WORKSHOP,
    cli,
    mock_cf,
    plain_commands,
    progress_json,
    stop_router,
    stored_summary,
)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A home where a learner passed the first three steps and started the fourth."""
    home = tmp_path_factory.mktemp("progress") / "home"
    typed = plain_commands(STEP_IDS[:3]) + "cf create-service cleardb spark mysql\n"
    result = cli("run", str(WORKSHOP), "--plain", "--lesson", LESSON, home=home, stdin=typed)
    assert result.returncode == 1, result.stdout + result.stderr  # stopped part way
    yield home
    stop_router(home)


@pytest.fixture
def home(made: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of ``made`` for one test (resets change it)."""
    import shutil

    copy = tmp_path / "home"
    shutil.copytree(made, copy, ignore=shutil.ignore_patterns("router.*"))
    yield copy
    stop_router(copy)


def test_progress_text(made: Path) -> None:
    result = cli("progress", str(WORKSHOP), home=made)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "The Twelve-Factor App on Cloud Foundry"
    assert "X. Dev/prod parity [dev-prod-parity]: 3/6 steps passed" in lines
    block = lines[lines.index("X. Dev/prod parity [dev-prod-parity]: 3/6 steps passed") + 1 :]
    body = [line.strip() for line in block[: len(STEP_IDS)]]
    assert body == [
        "cf-target: passed, 1 attempt(s), 1 command(s)",
        "cf-create-space-production-test: passed, 1 attempt(s), 1 command(s)",
        "cf-target-s-production-test: passed, 1 attempt(s), 1 command(s)",
        "→ cf-create-service-cleardb-spark-mysql: current, 1 attempt(s), 1 command(s)",
        "cf-push-n-workshop-12f-stock-production-test: locked",
        "open-stock-ping: locked",
    ]


def test_progress_json(made: Path) -> None:
    summary = progress_json(made)
    assert summary["workshop"] == "12factor"
    assert summary["position"] == {"lesson": LESSON, "step": STEP_IDS[3]}
    assert (summary["passed"], summary["started"], summary["commands"]) == (3, 4, 4)
    assert [s["step"] for s in summary["steps"]] == STEP_IDS[:4]
    first = summary["steps"][0]
    assert first["status"] == "passed" and first["passed_at"] >= first["started_at"]
    assert first["last_check"]["status"] == "pass"
    assert [h["command"] for h in summary["history"]] == [
        "cf target",
        "cf create-space production_test",
        "cf target -s production_test",
        "cf create-service cleardb spark mysql",
    ]


def test_progress_before_any_run(tmp_path: Path) -> None:
    result = cli("progress", str(WORKSHOP), home=tmp_path / "empty")
    assert result.returncode == 0, result.stderr
    assert "Not started yet" in result.stdout
    assert "0/6 steps passed" in result.stdout
    # each lesson's first step is open (the runner starts there), the others are locked
    lines = [line.strip() for line in result.stdout.splitlines()]
    block = lines[lines.index("X. Dev/prod parity [dev-prod-parity]: 0/6 steps passed") + 1 :]
    assert block[:2] == [f"{STEP_IDS[0]}: next", f"{STEP_IDS[1]}: locked"]
    assert "check-tools: next" in lines and "set-api: locked" in lines
    summary = progress_json(tmp_path / "empty")
    assert summary["position"] is None and summary["steps"] == [] and summary["history"] == []


def test_reset_step_rewinds_progress_and_mock(home: Path) -> None:
    assert "production_test" in mock_cf(home, "target").stdout
    result = cli("reset", str(WORKSHOP), "--step", "cf-target-s-production-test", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Rewound step cf-target-s-production-test of lesson {LESSON}."
    summary = progress_json(home)
    assert summary["position"] == {"lesson": LESSON, "step": STEP_IDS[2]}
    assert summary["passed"] == 2
    # the rewound step is where the learner stands: current, not locked; the later ones go
    assert {s["step"]: s["status"] for s in summary["steps"]} == {
        STEP_IDS[0]: "passed",
        STEP_IDS[1]: "passed",
        STEP_IDS[2]: "current",
    }
    # the foundation is as it was when step 3 began: the space exists, development is targeted
    assert "Space:          development" in mock_cf(home, "target").stdout
    assert "production_test" in mock_cf(home, "spaces").stdout
    mock_cf(home, "target", "-s", "production_test")
    assert "mysql" not in mock_cf(home, "services").stdout


def test_reset_lesson_rewinds_to_its_start(home: Path) -> None:
    result = cli("reset", str(WORKSHOP), "--lesson", LESSON, home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Rewound lesson {LESSON} to its start."
    summary = progress_json(home)
    assert summary["position"] == {"lesson": LESSON, "step": STEP_IDS[0]}
    assert summary["passed"] == 0
    spaces = mock_cf(home, "spaces").stdout
    assert "development" in spaces and "production_test" not in spaces
    # commands stay in the history: a reset rewinds the lesson, not the learner's record
    assert len(summary["history"]) == 4


def test_reset_all_forgets_everything(home: Path) -> None:
    result = cli("reset", str(WORKSHOP), "--all", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Forgot all progress in The Twelve-Factor App on Cloud Foundry."
    summary = progress_json(home)
    assert summary["position"] is None and summary["steps"] == [] and summary["history"] == []
    assert "production_test" not in mock_cf(home, "spaces").stdout
    text = cli("progress", str(WORKSHOP), home=home).stdout
    assert "Not started yet" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ("reset", str(WORKSHOP), "--step", "no-such-step"),
            "no step 'no-such-step' in lesson dev-prod-parity (its steps: cf-target, ",
        ),
        (("reset", str(WORKSHOP), "--lesson", "no-such-lesson"), "no-such-lesson"),
        (("progress", "no/such/workshop"), "no/such/workshop"),
        (("reset", "no/such/workshop", "--all"), "no/such/workshop"),
        (("reset", str(WORKSHOP)), "--step"),
        (("reset", str(WORKSHOP), "--step", "cf-target", "--all"), "not allowed with"),
    ],
)
def test_errors_are_clear(made: Path, tmp_path: Path, args: tuple[str, ...], needle: str) -> None:
    before = json.dumps(stored_summary(made), sort_keys=True)
    result = cli(*args, home=made)
    assert result.returncode != 0
    assert needle in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert json.dumps(stored_summary(made), sort_keys=True) == before, (
        "a failed reset changes nothing"
    )
