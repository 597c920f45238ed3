"""The mock's app router (a Python process of its own) starts when something first connects
to its port, not with the session: most sessions never ask it anything. The session holds
the port from before the shell starts (the shell's proxy names it), so a learner's first
``curl`` waits in the port's queue while the router starts, and is answered. Real bash,
the real fake ``cf`` and the real router."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import LESSON, WORKSHOP, Events, wait_for
from test_session_headless import close_session

from workshop.content import load_workshop
from workshop.engine.session import LearnerSession
from workshop.mock.router import ensure_router, router_status
from workshop.mock.router.info import pid_alive


def router_processes(home: Path) -> list[int]:
    """The pids of the router processes of ``home`` (their command line names it)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                words = fh.read().split(b"\0")
        except OSError:
            continue
        if b"workshop.mock.router" in b" ".join(words) and str(home).encode() in words:
            if pid_alive(int(entry)):
                found.append(int(entry))
    return found


def info(home: Path) -> dict:
    return json.loads((home / "router.json").read_text())


@pytest.fixture
def session(tmp_path: Path) -> Iterator[LearnerSession]:
    """A started session on the dev/prod parity lesson, in its own mock home."""
    started = LearnerSession(
        load_workshop(WORKSHOP), LESSON, listener=Events(), rows=30, cols=100,
        mock_home=tmp_path / "mock",
    )  # fmt: skip
    started.start()
    yield started
    close_session(started)


def test_a_session_starts_no_router_until_something_asks(session: LearnerSession) -> None:
    home = session.mock_home.resolve()
    port = info(home)["port"]
    assert f"127.0.0.1:{port}" in session.env["http_proxy"]
    done = session.run_line("cf target && cf apps")  # the learner's cf, checks before it
    assert done.exit_code == 0, done.output
    assert router_processes(home) == [], "a router started that nobody asked anything"
    assert info(home)["holder"] == os.getpid() and info(home)["pid"] is None
    assert ensure_router(home) == port  # a check's "make sure it answers" starts nothing
    assert router_processes(home) == []
    done = session.run_line("curl -s http://api.cfapps.io/v2/info")  # at once: no race
    assert done.exit_code == 0 and '"api_version"' in done.output, done.output
    live = router_status(home)
    assert live is not None and live["port"] == port
    assert router_processes(home) == [live["pid"]]


def test_a_router_that_left_starts_again_at_the_next_request(
    monkeypatch: pytest.MonkeyPatch, session: LearnerSession
) -> None:
    home = session.mock_home.resolve()
    monkeypatch.setenv("WORKSHOP_MOCK_ROUTER_IDLE", "0.5")  # what the holder's routers get
    first = session.run_line("curl -s http://workshop-12f-stock.cfapps.io/stock/ping")
    assert first.exit_code == 0 and first.output.startswith("Ping"), first.output
    pid = info(home)["pid"]
    wait_for(lambda: not pid_alive(pid) or None, what="the idle router's exit")
    assert info(home)["pid"] is None and info(home)["holder"] == os.getpid()
    again = session.run_line("curl -s http://workshop-12f-stock.cfapps.io/stock/ping")
    assert again.exit_code == 0 and again.output.startswith("Ping"), again.output
    assert info(home)["pid"] not in (None, pid)


def test_a_router_another_starter_brings_up_leaves_the_held_port_alone(
    session: LearnerSession,
) -> None:
    """The cf shim restarts a router that is gone, ``workshop mock env`` starts one: while
    a session holds the port, such a router leaves at once (it would have taken another
    port than the one the learner's shell was given)."""
    import subprocess

    from workshop.mock.router import control

    home = session.mock_home.resolve()
    port = info(home)["port"]
    command = control.router_command(home)[:-1]  # in the foreground: it ends by itself
    done = subprocess.run(
        command, env=control.python_environment(dict(os.environ)), timeout=30, check=False
    )
    assert done.returncode == 0
    assert info(home)["port"] == port and info(home)["pid"] is None
    assert router_processes(home) == []


def test_a_closed_session_gives_the_port_back_and_its_router_serves_on(
    session: LearnerSession,
) -> None:
    import subprocess

    home = session.mock_home.resolve()
    session.run_line("curl -s http://api.cfapps.io/v2/info")
    pid = info(home)["pid"]
    session.close()
    assert "holder" not in info(home) and info(home)["pid"] == pid
    proxy = f"http://127.0.0.1:{info(home)['port']}"
    done = subprocess.run(
        ["curl", "-s", "--max-time", "5", "-x", proxy, "http://api.cfapps.io/v2/info"],
        capture_output=True, text=True, timeout=10, check=True,
    )  # fmt: skip
    assert '"api_version"' in done.stdout


def test_the_mock_state_says_the_router_starts_when_asked(session: LearnerSession) -> None:
    """``workshop mock state`` beside a session: the port is held, no router runs yet."""
    import subprocess
    import sys

    home = session.mock_home.resolve()
    port = info(home)["port"]

    def router_line() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "workshop", "mock", "state", "--home", str(home)],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return next(line for line in done.stdout.splitlines() if line.startswith("Router:"))

    assert router_line() == (
        f"Router:    http://127.0.0.1:{port} (starts at the first request; "
        f"the port is held by process {os.getpid()})"
    )
    session.run_line("curl -s http://api.cfapps.io/v2/info")
    assert router_line() == f"Router:    http://127.0.0.1:{port} (pid {info(home)['pid']})"
