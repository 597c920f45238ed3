"""``workshop run --plain`` killed with SIGKILL mid-step loses nothing it reported, and resumes.

The runner is a real subprocess fed commands on stdin (the line mode of the plain front
end); progress is read back through ``workshop progress --json`` in another process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import (
    LESSON,
    REPO,
    STEP_IDS,
    WORKSHOP,
    cli,
    cli_env,
    plain_commands,
    progress_json,
    stop_router,
    wait_for,
)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A WORKSHOP_HOME for the subprocesses; the mock router is stopped afterwards."""
    folder = tmp_path / "home"
    yield folder
    stop_router(folder)


def test_kill_9_mid_step_keeps_every_reported_command_and_resumes(
    home: Path, tmp_path: Path
) -> None:
    typed = plain_commands(STEP_IDS[:3]).splitlines() + [
        "cf create-service cleardb spak mysql",  # a slip, recorded like any command
        "cf create-service cleardb spark mysql",  # step 4 is now half done
    ]
    log = (tmp_path / "first.out").open("w")
    runner = subprocess.Popen(
        [sys.executable, "-m", "workshop", "run", str(WORKSHOP), "--plain", "--lesson", LESSON],
        cwd=REPO,
        env=cli_env(home),
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert runner.stdin is not None
        runner.stdin.write("".join(f"{line}\n" for line in typed))
        runner.stdin.flush()  # stdin stays open: the runner waits for more, mid-step

        def all_reported() -> dict | None:
            summary = progress_json(home)
            return summary if summary["commands"] == len(typed) else None

        before = wait_for(all_reported, timeout=40, what="the runner to report every command")
        assert runner.poll() is None, "the runner is still waiting for input"
        os.kill(runner.pid, signal.SIGKILL)
        assert runner.wait(timeout=10) == -signal.SIGKILL
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
        log.close()

    after = progress_json(home)
    assert after["history"] == before["history"]
    assert [(h["step"], h["command"]) for h in after["history"]] == [
        ("cf-target", "cf target"),
        ("cf-create-space-production-test", "cf create-space production_test"),
        ("cf-target-s-production-test", "cf target -s production_test"),
        ("cf-create-service-cleardb-spark-mysql", "cf create-service cleardb spak mysql"),
        ("cf-create-service-cleardb-spark-mysql", "cf create-service cleardb spark mysql"),
    ]
    assert [h["exit_code"] != 0 for h in after["history"]] == [False, False, False, True, False]
    assert after["position"] == {"lesson": LESSON, "step": STEP_IDS[3]}
    status = {s["step"]: s for s in after["steps"]}
    assert [status[s]["status"] for s in STEP_IDS[:3]] == ["passed"] * 3
    assert status[STEP_IDS[3]]["status"] != "passed"
    assert status[STEP_IDS[3]]["commands"] == 2

    # a new runner resumes at step 4 of 6 with the mock as it was: one more command passes it
    again = cli(
        "run",
        str(WORKSHOP),
        "--plain",
        home=home,
        stdin="cf create-service rediscloud 30mb redis\n",
        timeout=60,
    )
    assert again.returncode == 1, again.stdout + again.stderr  # input ended before the end
    assert "Traceback" not in again.stderr
    headings = [line for line in again.stdout.splitlines() if " — step " in line]
    assert headings[0].endswith("step 4 of 6: Create the services there"), headings
    assert "step 1 of 6" not in again.stdout
    assert "✔ Step passed." in again.stdout
    assert headings[1].endswith("step 5 of 6: Push to production_test")
    final = progress_json(home)
    assert final["history"][: len(typed)] == before["history"]
    assert final["position"] == {"lesson": LESSON, "step": STEP_IDS[4]}
    assert final["passed"] == 4


PROMPTS = Path(__file__).parent / "fixtures" / "prompts"


def test_line_mode_answers_prompts_from_the_next_lines(tmp_path: Path) -> None:
    """Piped input works for commands that ask (cf login's email and password, read -p)."""
    typed = "cf login\nuser_name\npassword\nread -r -p 'Name> ' name && echo \"hello $name\"\nAda\n"
    home = tmp_path / "home"
    try:
        result = cli("run", str(PROMPTS), "--plain", home=home, stdin=typed, timeout=60)
    finally:
        stop_router(home, "prompts")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("✔ Step passed.") == 2, result.stdout
    assert "Lesson complete: Prompts." in result.stdout
    asked = [line for line in result.stdout.splitlines() if line.startswith("Password")]
    assert len(asked) == 1 and "password" not in asked[0], "asked once, the answer not echoed"
    assert "Name> Ada" in result.stdout and "hello Ada" in result.stdout


def test_exit_ends_the_runner_cleanly(home: Path) -> None:
    """`exit` is how a learner leaves the plain runner: no error, no failed check, and
    status 1 (the lesson is not complete); what follows it is not run."""
    result = cli(
        "run",
        str(WORKSHOP),
        "--plain",
        "--lesson",
        LESSON,
        home=home,
        stdin="cf target\nexit\nls\n",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Stopped at step 2 of 6" in result.stdout
    assert result.stderr == ""
    assert "✔ Step passed." in result.stdout and "✘" not in result.stdout
    summary = progress_json(home)
    assert [h["command"] for h in summary["history"]] == ["cf target", "exit"]
    assert summary["position"] == {"lesson": LESSON, "step": STEP_IDS[1]}
    second = {s["step"]: s for s in summary["steps"]}[STEP_IDS[1]]
    assert second["last_check"] is None and second["status"] != "passed"
