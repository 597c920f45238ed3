"""Ctrl-C (SIGINT) in ``workshop run --plain`` with piped input interrupts the running
command and ends the runner with status 130, instead of waiting for the command to end."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from engine_support import REPO, cli_env, stop_router, wait_for

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


def test_sigint_interrupts_a_long_command(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with out.open("w") as sink:
        runner = subprocess.Popen(
            [sys.executable, "-m", "workshop", "run", "--plain", str(TINY), "--lesson", "first"],
            cwd=REPO,
            env=cli_env(tmp_path / "home"),
            stdin=subprocess.PIPE,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert runner.stdin is not None
            runner.stdin.write("sleep 60\n")
            runner.stdin.flush()  # the pipe stays open: the runner must not wait for its end
            wait_for(lambda: "sleep 60" in out.read_text(), timeout=20, what="the command to start")
            sent = time.monotonic()
            runner.send_signal(signal.SIGINT)
            status = runner.wait(timeout=20)
            assert status == 130, out.read_text()
            assert time.monotonic() - sent < 15
        finally:
            if runner.poll() is None:
                runner.kill()
                runner.wait()
            stop_router(tmp_path / "home", "tiny")


def test_ctrl_c_during_workshop_test_says_so_and_stops_there(tmp_path: Path) -> None:
    """An author who stops ``workshop test`` is told it was interrupted, on a line of its
    own after the progress dots; and it stops there: a lesson not begun never runs (it used
    to run every lesson before exiting). Lesson 3 would leave a mark; Ctrl-C comes while
    lesson 2 runs, one lesson at a time."""
    course = tmp_path / "course"
    course.mkdir()
    mark = tmp_path / "lesson-3-ran"
    steps = {"one": "echo one", "two": "sleep 1", "three": f"touch {mark}"}
    (course / "workshop.yaml").write_text(
        "title: Three\nlessons:\n" + "".join(f"  - id: {n}\n    file: {n}.md\n" for n in steps)
    )
    for name, command in steps.items():
        (course / f"{name}.md").write_text(f"# {name}\n\nRun it.\n\n```sh\n$ {command}\n```\n")
    runner = subprocess.Popen(
        [sys.executable, "-m", "workshop", "test", str(course), "--jobs", "1"],
        cwd=REPO,
        env=cli_env(tmp_path / "home"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert runner.stderr is not None
        assert runner.stderr.read(1) == "."  # lesson 1 is done: lesson 2 (sleep 1) runs
        runner.send_signal(signal.SIGINT)
        out, err = runner.communicate(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
    assert runner.returncode == 130, out + err
    assert err.rstrip().endswith("workshop: interrupted"), err
    assert "Traceback" not in err
    assert not mark.exists(), "lesson 3 ran after Ctrl-C"


def test_a_terminated_workshop_test_cleans_up_like_ctrl_c(tmp_path: Path) -> None:
    """``kill`` (SIGTERM: a CI job cancelled, a closed session) ends ``workshop test`` as
    Ctrl-C does: its scratch folder (the lessons' sandboxes and mock homes, whose routers
    leave with them) is removed and it exits 143. Killed outright before, it left both. The
    command under way is interrupted, not waited for (it ran to its end before)."""
    course = tmp_path / "course"
    course.mkdir()
    finished = tmp_path / "the-command-finished"
    (course / "workshop.yaml").write_text("title: Slow\nlessons:\n  - id: slow\n    file: s.md\n")
    (course / "s.md").write_text(
        f"# slow\n\nRun it.\n\n```sh\n$ echo begun && sleep 30 && touch {finished}\n```\n"
    )
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    runner = subprocess.Popen(
        [sys.executable, "-m", "workshop", "test", str(course)],
        cwd=REPO,
        env={**cli_env(tmp_path / "home"), "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: list(scratch.glob("workshop-test-*/*")), 30, "the lesson's sandbox")
        time.sleep(0.5)  # the lesson's command is under way
        runner.send_signal(signal.SIGTERM)
        out, err = runner.communicate(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
    assert runner.returncode == 143, out + err
    assert "Traceback" not in err
    assert not list(scratch.glob("workshop-test-*")), "the scratch folder was left behind"
    assert not finished.exists(), "the command under way was waited for, not interrupted"
