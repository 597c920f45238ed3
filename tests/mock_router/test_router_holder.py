"""A process that holds a mock home's router port (a learner's session, a sandbox) starts
the router only when something connects: real sockets, the real router, real curl."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from router_support import curl, pid_alive, stop_and_wait, wait_for

from workshop.mock.router import control, ensure_router, ensure_router_quick, router_status
from workshop.mock.router.holder import PortHolder
from workshop.mock.router.info import holder_alive


def _info(home: Path) -> dict:
    return json.loads((home / "router.json").read_text())


@pytest.fixture
def holder(home: Path) -> Iterator[PortHolder]:
    """The port of ``home`` held by this process; given back, and the router stopped, after."""
    held = PortHolder(home)
    yield held
    held.close()
    stop_and_wait(home)


def test_the_first_connection_is_answered_by_a_router_started_for_it(
    home: Path, holder: PortHolder
) -> None:
    assert _info(home)["pid"] is None and holder_alive(_info(home))
    assert router_status(home) is None  # nothing runs yet
    status, _, body = curl(holder.port, "http://plain.cfapps.io/stock/ping")  # at once
    assert (status, body) == (200, "Ping null")
    live = router_status(home)
    assert live is not None and live["port"] == holder.port
    assert holder_alive(_info(home))  # still held: it starts the next router too


def test_starters_leave_a_held_port_to_its_holder(home: Path, holder: PortHolder) -> None:
    assert ensure_router(home) == holder.port
    assert control.start_router(home) == holder.port
    ensure_router_quick(home)
    control._spawn(home)  # a router started anyway leaves at once
    assert _info(home)["pid"] is None and _info(home)["port"] == holder.port
    assert router_status(home) is None


def test_a_killed_router_is_started_again_at_the_next_connection(
    home: Path, holder: PortHolder
) -> None:
    assert curl(holder.port, "http://plain.cfapps.io/stock/ping")[0] == 200
    pid = _info(home)["pid"]
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not pid_alive(pid), what="the router's end")
    assert curl(holder.port, "http://plain.cfapps.io/stock/ping")[2] == "Ping null"
    assert _info(home)["pid"] not in (None, pid)


def test_a_killed_router_reaped_late_does_not_cost_the_next_connection(
    home: Path, holder: PortHolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The holder learns of the kill when its thread gets to run: on a loaded machine the
    learner's next request may come first. It is answered, not taken for the connection
    that broke the router (seen once in a run: curl's connection was reset)."""
    from workshop.mock.router import holder as holder_module

    real_waitpid = os.waitpid

    def late_waitpid(pid: int, options: int) -> tuple[int, int]:
        done = real_waitpid(pid, options)
        if os.WIFSIGNALED(done[1]):
            time.sleep(0.5)  # the holder's thread runs late (others wait as ever)
        return done

    monkeypatch.setattr(holder_module.os, "waitpid", late_waitpid)  # before it waits
    assert curl(holder.port, "http://plain.cfapps.io/stock/ping")[0] == 200
    pid = _info(home)["pid"]
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not pid_alive(pid), what="the router's end")
    assert curl(holder.port, "http://plain.cfapps.io/stock/ping")[2] == "Ping null"


def test_a_router_that_fails_to_start_refuses_the_connection_it_was_started_for(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not started again and again for that one connection: it is closed. (A router that was
    killed broke on nothing: the connection after it is answered, as the test above shows.)"""
    failing = [sys.executable, "-c", "raise SystemExit(1)", "--detach"]
    monkeypatch.setattr(control, "router_command", lambda home: list(failing))
    held = PortHolder(home)
    try:
        with socket.create_connection(("127.0.0.1", held.port), timeout=10) as conn:
            conn.settimeout(10)
            assert conn.recv(1) == b"", "closed, not left waiting"
        assert "the router ended with status 1" in (home / "router.log").read_text()
    finally:
        held.close()


def test_closing_gives_the_port_back(home: Path) -> None:
    held = PortHolder(home, serve=False)  # connections wait until serve()
    port = held.port
    held.close()
    assert "holder" not in _info(home) and _info(home)["port"] == port
    try:
        assert ensure_router(home) == port  # a router of its own, on the same port
        assert router_status(home) is not None
    finally:
        stop_and_wait(home)


def test_a_holder_opened_while_a_router_runs_holds_nothing(home: Path, router: int) -> None:
    held = PortHolder(home)
    try:
        assert held.port == router and not held.holding
        assert "holder" not in _info(home)
    finally:
        held.close()


def test_a_pid_another_process_took_since_is_no_holder(home: Path) -> None:
    """A session killed with ``kill -9`` leaves its pid in router.json, and the system
    hands it to another process later: that one holds no port."""
    other = subprocess.Popen(["sleep", "60"])
    try:
        (home / "router.json").write_text(
            json.dumps({"pid": None, "port": 9, "holder": other.pid, "holder_started": 1})
        )
        assert not holder_alive(_info(home))
        port = ensure_router(home)
        assert router_status(home) is not None and port == _info(home)["port"]
        assert "holder" not in _info(home)
    finally:
        other.kill()
        other.wait()
        stop_and_wait(home)
