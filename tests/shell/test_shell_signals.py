"""Ctrl-C reaches the learner's commands even when the runner was started with SIGINT ignored.

A background job of a non-interactive shell (and some CI runners) starts with SIGINT and
SIGQUIT ignored; bash keeps an ignored signal ignored for everything it runs, so without a
reset a Ctrl-C typed in the learner's shell would never interrupt a command.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pexpect
import pytest

from workshop.shell import CommandResult, ShellSession, process
from workshop.shell.process import BashProcess, build_env

REPO = Path(__file__).resolve().parents[2]

_DRIVER = r"""
import json, signal, sys, threading, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGQUIT, signal.SIG_IGN)
from workshop.shell import ShellSession

session = ShellSession(cwd=sys.argv[1])
session.start(timeout=10)
results = []
worker = threading.Thread(target=lambda: results.append(session.run("sleep 30", timeout=20)))
worker.start()
deadline = time.monotonic() + 10
while session.at_prompt and time.monotonic() < deadline:
    time.sleep(0.01)
time.sleep(0.2)
sent = time.monotonic()
session.interrupt()
worker.join(5)
took = time.monotonic() - sent
status = results[0].exit_code if results else None
session.close()
print(json.dumps({"status": status, "seconds": took}))
"""


def _ignoring_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)


def test_interrupt_works_when_the_runner_ignores_sigint(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == 130, report
    assert report["seconds"] < 3, report


def test_ctrl_c_in_plain_run_started_with_sigint_ignored(isolated: Path) -> None:
    workshop = Path(sys.executable).with_name("workshop")
    env = dict(os.environ, WORKSHOP_HOME=str(isolated), TERM="xterm-256color")
    child = pexpect.spawn(
        str(workshop),
        [
            "run",
            "--plain",
            str(REPO / "workshop" / "bundled" / "12factor"),
            "--lesson",
            "dev-prod-parity",
        ],
        cwd=str(REPO),
        env=env,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(30, 100),
        preexec_fn=_ignoring_sigint,
        timeout=30,
    )
    try:
        child.expect(r"[$#] $")  # the learner's prompt
        child.send("sleep 30\r")
        child.expect("sleep 30")
        time.sleep(0.5)  # the command runs
        sent = time.monotonic()
        child.send("\x03")
        child.expect(r"\^C", timeout=10)
        child.expect(r"[$#] $", timeout=5)
        assert time.monotonic() - sent < 5
    finally:
        child.close(force=True)


def _started(start: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ShellSession:
    """A started session whose bash was started the ``start`` way: by ``setsid -c``, or by
    pexpect's fork of the runner (what happens where there is no such ``setsid``)."""
    if start == "fork":
        monkeypatch.setattr(process, "_setsid", lambda: None)
    session = ShellSession(cwd=tmp_path)
    session.start(timeout=10)
    bash = session._bash
    assert bash is not None
    assert isinstance(bash._child, process._SessionChild) == (start == "setsid")
    return session


def _running(session: ShellSession, command: str) -> tuple[threading.Thread, list[CommandResult]]:
    """Start ``command`` from another thread; return once it has the terminal (its process
    group is the terminal's foreground one), with where its result goes."""
    results: list[CommandResult] = []
    worker = threading.Thread(target=lambda: results.append(session.run(command)))
    worker.start()
    bash = session.pid
    assert bash is not None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        fields = Path(f"/proc/{bash}/stat").read_text().rsplit(")", 1)[1].split()
        if int(fields[5]) not in (bash, -1):  # tpgid: a job of bash has the terminal
            break
        time.sleep(0.01)
    time.sleep(0.05)  # and has started what it runs
    return worker, results


@pytest.mark.parametrize("start", ["setsid", "fork"])
def test_ctrl_z_stops_a_command_and_fg_brings_it_back(
    start: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bash leads a session of its own with the PTY as its controlling terminal, so job
    control works, however it was started."""
    session = _started(start, tmp_path, monkeypatch)
    try:
        sid, terminal_group, pid = session.run("ps -o sid=,tpgid= -p $$; echo $$").output.split()
        assert sid == pid, "bash leads its own session"
        assert terminal_group != "-1", "bash has a controlling terminal"
        worker, results = _running(session, "sleep 30")
        session.write("\x1a")  # Ctrl-Z
        worker.join(10)
        assert results and results[0].exit_code == 128 + signal.SIGTSTP, results
        assert "Stopped" in session.run("jobs").output
        worker, results = _running(session, "fg")
        session.interrupt()  # reaches the sleep: fg gave it the terminal again
        worker.join(10)
        assert results and results[0].exit_code == 130, results
        assert session.run("jobs; echo end").output.strip() == "end"
    finally:
        session.close()


@pytest.mark.parametrize("start", ["setsid", "fork"])
def test_a_command_whose_reader_stops_early_ends_quietly_as_in_a_terminal(
    start: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``yes | head -1``: ``yes`` is ended by SIGPIPE (status 141), with no "Broken pipe"
    message, though the runner (Python) ignores SIGPIPE."""
    session = _started(start, tmp_path, monkeypatch)
    try:
        result = session.run('yes | head -1; echo "${PIPESTATUS[*]}"')
        assert result.output.split() == ["y", "141", "0"], result.output
    finally:
        session.close()


def test_a_setsid_that_cannot_take_the_terminal_leaves_bash_to_pexpect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``setsid`` without ``-c`` (an old util-linux) on the runner's PATH: bash still
    starts, by pexpect's fork, with its terminal."""
    old = tmp_path / "old-bin"
    old.mkdir()
    fake = old / "setsid"
    fake.write_text('#!/bin/sh\necho "usage: setsid program [arg...]" >&2\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{old}:{os.environ['PATH']}")
    process._setsid.cache_clear()
    try:
        assert process._setsid() is None
        session = ShellSession(cwd=tmp_path / ".")
        session.start(timeout=10)
        try:
            assert session.run("tty").exit_code == 0
        finally:
            session.close()
    finally:
        process._setsid.cache_clear()


def test_closing_twice_or_resizing_after_closing_touches_no_other_file(tmp_path: Path) -> None:
    """The PTY's file descriptor number is given to the next file opened: closing the bash
    process again, or resizing it, must not close or change that file."""
    rcfile = tmp_path / "rc"
    rcfile.write_text("PS1='$ '\n")
    bash = BashProcess.spawn(rcfile, build_env(None), tmp_path, 24, 80)
    assert bash.alive()
    bash.kill()
    bash.close()
    assert bash.reap(5) == 128 + signal.SIGKILL
    read, write = os.pipe()  # likely the PTY's old number
    try:
        bash.close()
        bash.resize(30, 100)
        os.write(write, b"still open")
        assert os.read(read, 20) == b"still open"
    finally:
        os.close(read)
        os.close(write)


def test_closing_a_bash_that_still_runs_ends_and_reaps_it(tmp_path: Path) -> None:
    rcfile = tmp_path / "rc"
    rcfile.write_text("trap '' HUP\nPS1='$ '\n")  # ignores the hang-up: killed then
    bash = BashProcess.spawn(rcfile, build_env(None), tmp_path, 24, 80)
    time.sleep(0.2)
    bash.close()
    assert not bash.alive()
    with pytest.raises(ChildProcessError):
        os.waitpid(bash.pid, os.WNOHANG)  # reaped: no zombie left
