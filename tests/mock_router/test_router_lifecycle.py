"""The router process: started detached once, reused, idle shutdown, restart on its port."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from router_support import curl, pid_alive, stop_and_wait, wait_for

from workshop.mock.router import ensure_router, ensure_router_quick, router_status, stop_router


def _info(home: Path) -> dict:
    return json.loads((home / "router.json").read_text())


def test_idle_shutdown_then_restart_on_the_same_port(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKSHOP_MOCK_ROUTER_IDLE", "0.6")
    try:
        port = ensure_router(home)
        pid = _info(home)["pid"]
        assert curl(port, "http://plain.cfapps.io/stock/ping")[2] == "Ping null"
        wait_for(lambda: not pid_alive(pid), what="idle shutdown")
        assert _info(home)["pid"] is None and _info(home)["port"] == port
        assert router_status(home) is None
        monkeypatch.delenv("WORKSHOP_MOCK_ROUTER_IDLE")
        assert ensure_router(home) == port  # the learner's http_proxy still points here
        assert _info(home)["pid"] != pid
        assert curl(port, "http://plain.cfapps.io/stock/ping")[2] == "Ping null"
    finally:
        stop_and_wait(home)


def test_a_live_router_is_reused(home: Path, router: int) -> None:
    pid = _info(home)["pid"]
    assert ensure_router(home) == router
    ensure_router_quick(home)
    assert _info(home)["pid"] == pid


def test_quick_ensure_restarts_a_dead_router(home: Path) -> None:
    try:
        ensure_router_quick(home)  # returns at once, the router comes up by itself
        wait_for(lambda: router_status(home) is not None, what="router start")
    finally:
        stop_and_wait(home)


def test_concurrent_starts_share_one_router(home: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from workshop.mock.router import ensure_router;"
        "print(ensure_router(Path(sys.argv[1])))"
    )
    try:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(home)], stdout=subprocess.PIPE, text=True
            )
            for _ in range(4)
        ]
        ports = {p.communicate(timeout=20)[0].strip() for p in procs}
        assert len(ports) == 1
        assert router_status(home) is not None
    finally:
        stop_and_wait(home)


def test_stop(home: Path) -> None:
    ensure_router(home)
    pid = _info(home)["pid"]
    assert stop_router(home) is True
    wait_for(lambda: not pid_alive(pid), what="router exit")
    assert stop_router(home) is False


def test_router_leaves_when_its_home_is_deleted(home: Path) -> None:
    ensure_router(home)
    pid = _info(home)["pid"]
    shutil.rmtree(home)
    wait_for(lambda: not pid_alive(pid), what="router exit after its home went away")


def test_router_survives_the_process_that_started_it(home: Path) -> None:
    code = "import sys; from pathlib import Path; from workshop.mock.router import ensure_router; ensure_router(Path(sys.argv[1]))"
    try:
        subprocess.run([sys.executable, "-c", code, str(home)], check=True, timeout=20)
        info = router_status(home)
        assert info is not None
        assert curl(info["port"], "http://plain.cfapps.io/stock/ping")[2] == "Ping null"
    finally:
        stop_and_wait(home)


def test_a_router_another_starter_brings_up_takes_the_port_the_shell_was_given(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``start_router`` names the port at once (a learner's shell gets it as http_proxy);
    when another starter's router comes up first (the cf mock's, a check's), it listens
    there too, not on a port of its own that the shell does not know."""
    from workshop.mock.router import control

    spawned: list[int] = []
    monkeypatch.setattr(control, "_spawn", lambda h, wait=True, port=0: spawned.append(port))
    port = control.start_router(home)  # its router still starting (here: never)
    assert spawned == [port]
    monkeypatch.undo()
    try:
        assert control.ensure_router(home) == port
    finally:
        control.stop_router(home)


def test_a_router_busy_elsewhere_is_still_found_running(home: Path, router: int) -> None:
    """Starters poll ``router_status`` every 10 ms; on a loaded machine the router may not
    accept for a while. Its connections wait in the kernel's queue, so it still counts as
    running (a full queue dropped the probes: the router looked gone and a second started)."""
    import os
    import signal

    pid = _info(home)["pid"]
    os.kill(pid, signal.SIGSTOP)  # accepts nothing until continued
    try:
        found = [router_status(home) is not None for _ in range(20)]
    finally:
        os.kill(pid, signal.SIGCONT)
    assert found == [True] * 20
    assert curl(router, "http://plain.cfapps.io/stock/ping")[2] == "Ping null"


def test_a_pid_another_program_took_since_is_not_the_router(home: Path) -> None:
    """A router that was killed leaves its pid in router.json; the system gives that pid
    to another program later. Stopping the mock must not end that program."""
    other = subprocess.Popen(["sleep", "60"])
    try:
        (home / "router.json").write_text(json.dumps({"pid": other.pid, "port": 9}))
        assert router_status(home) is None
        assert stop_router(home) is False
        assert other.poll() is None, "an unrelated program was stopped"
    finally:
        other.kill()
        other.wait()


def test_a_router_nobody_asks_imports_no_http_server(home: Path) -> None:
    """Most routers are never asked anything: until a first request comes, the router only
    holds its port (the HTTP server and the emulated apps cost more than the rest), and it
    got there importing no module its starters' command did not need: no argparse, json,
    socket, pathlib or typing (their imports were most of a start's CPU). The starters'
    probes (connect, close) are no request."""
    import os

    from workshop.mock.router import control, tls

    tls.bundle_path(home)  # as its starters do (a copy of the user's CA)
    command = control.router_command(home)[:-1]  # in the foreground: its stderr is read here
    router = subprocess.Popen(
        [command[0], "-X", "importtime", *command[1:], "--idle", "1.5"],
        env=control.python_environment(dict(os.environ)),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: router_status(home) is not None, what="router start")
        for _ in range(3):
            assert router_status(home) is not None  # each one a probe of the port
        _, err = router.communicate(timeout=30)  # it leaves once idle
    finally:
        if router.poll() is None:
            router.kill()
            router.wait()
    assert router.returncode == 0, err
    imported = {line.split("|")[-1].strip() for line in err.splitlines() if "|" in line}
    assert "workshop.mock.router.listen" in imported
    assert not imported & {
        "http.server",
        "workshop.mock.router.server",
        "workshop.mock.router.stock",
        "workshop.mock.router.control",
        "argparse",
        "json",
        "socket",
        "pathlib",
        "typing",
        "subprocess",
        "runpy",
    }
    info = _info(home)
    assert info["pid"] is None and info["port"] > 0  # idle: it left, the port kept for next time


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "eighty"], "argument --port: invalid int value: 'eighty'"),
        (["--idle"], "argument --idle: expected one argument"),
        (["--verbose"], "unrecognized argument: --verbose"),
        ([], "the following arguments are required: --home"),
    ],
)
def test_a_wrong_command_line_says_what_is_wrong(home: Path, args: list[str], message: str) -> None:
    """The router reads its options by hand (argparse cost every start more CPU than the
    rest of it): a wrong one still gets a usage line and the reason, with no traceback."""
    words = ["--home", str(home), *args] if args else []
    done = subprocess.run(
        [sys.executable, "-m", "workshop.mock.router", *words],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("usage: python -m workshop.mock.router --home DIR")
    assert done.stderr.rstrip().endswith(message)
    assert "Traceback" not in done.stderr
    assert not (home / "router.json").exists()


def test_the_router_caches_its_bytecode_where_the_mock_s_programs_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the environment says not to write bytecode (PYTHONDONTWRITEBYTECODE, as some
    machines do), each start compiled the router's modules again, which cost more than the
    rest of its start: it uses the user's cache folder, like the fake cf."""
    import os

    from workshop import paths
    from workshop.mock.router import control

    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))  # empty so far
    env = control.python_environment({**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPYCACHEPREFIX"] == str(paths.cache_dir() / "bytecode")
    kept = control.python_environment({**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path)})
    assert kept["PYTHONPYCACHEPREFIX"] == str(tmp_path)
    home = tmp_path / "mock"
    home.mkdir()
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    try:
        ensure_router(home)
        cached = paths.cache_dir() / "bytecode"
        assert list(cached.rglob("listen.*.pyc")), "the router compiled its modules again"
    finally:
        stop_and_wait(home)


def test_a_router_that_ends_as_it_is_killed_is_stopped_without_an_error(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A router that took the whole wait to end after SIGTERM (a loaded machine) and was
    gone by the SIGKILL: ``stop_router`` raised ``ProcessLookupError`` (seen in a run)."""
    import signal

    from workshop.mock.router import control

    (home / "router.json").write_text(json.dumps({"pid": 4242, "port": 1, "started": 0}))
    monkeypatch.setattr(control, "_pid_alive", lambda pid: True)  # alive through the wait
    sent: list[int] = []

    def kill(pid: int, signum: int) -> None:
        sent.append(signum)
        if signum == signal.SIGKILL:
            raise ProcessLookupError(3, "No such process")

    monkeypatch.setattr(control.os, "kill", kill)
    assert stop_router(home, timeout=0.05) is True
    assert sent == [signal.SIGTERM, signal.SIGKILL]
