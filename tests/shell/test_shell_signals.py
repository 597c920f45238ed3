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
import time
from pathlib import Path

import pexpect

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
