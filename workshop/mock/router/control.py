"""Starting, finding and stopping the router of a mock home (``DIR/router.json``).

The router runs detached from whoever started it (``workshop mock env``, the runner, the
fake ``cf``), so this module only talks to it through its pid and port. A starting
router takes the fcntl lock ``DIR/router.lock`` and leaves if another one is alive, so
starters may race: two shells that start at once share one router.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from workshop.errors import WorkshopError

INFO_FILE = "router.json"
ROUTER_MODULE = b"workshop.mock.router"
"""What a router's command line holds (``python -m workshop.mock.router``)."""
LOOPBACK = b"127.0.0.1"
"""As bytes: a host given as text is IDNA-encoded first, and that codec's import costs a
learner's session start ~5 ms."""


def read_info(home: Path) -> dict[str, Any] | None:
    """``DIR/router.json`` ({"pid", "port", "started"}), or None."""
    try:
        data = json.loads((home / INFO_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed router nobody reaped yet (containers without an init) is gone too
        with open(f"/proc/{pid}/stat", "rb") as stat:
            if stat.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                return False
        # a killed router leaves its pid in router.json, and the system hands that pid to
        # another program later: only a router counts (stop_router must not end the other)
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return ROUTER_MODULE in cmdline.read()
    except (OSError, IndexError):
        return True


def _port_open(port: Any) -> bool:
    if not isinstance(port, int) or port <= 0:
        return False
    with socket.socket() as probe:
        probe.settimeout(0.5)
        try:
            probe.connect((LOOPBACK, port))
        except OSError:
            return False
    return True


def router_status(home: Path) -> dict[str, Any] | None:
    """``{"pid", "port"}`` of the live router of ``home``, or None when none runs."""
    info = read_info(home)
    if info and _pid_alive(info.get("pid")) and _port_open(info.get("port")):
        return info
    return None


def ensure_router(home: Path, timeout: float = 10.0) -> int:
    """Start the router of ``home`` unless it runs; return its port."""
    home = Path(home).resolve()
    if not home.is_dir():
        raise WorkshopError(f"mock home {home} does not exist")
    live = router_status(home)
    if live:
        return int(live["port"])
    _spawn(home)  # the new router checks again under DIR/router.lock: one router per home
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        live = router_status(home)
        if live:
            return int(live["port"])
        time.sleep(0.01)
    log = home / "router.log"
    detail = log.read_text()[-500:] if log.exists() else ""
    raise WorkshopError(f"the mock router of {home} did not start\n{detail}".rstrip())


def start_router(home: Path, spawn: bool = True) -> int:
    """Start the router of ``home`` unless it runs, without waiting for it; return the port
    it will listen on (its previous one when free, else a free one).

    For a learner's shell, whose ``http_proxy`` needs the port before bash starts but not a
    listening router until the first request, seconds later: the router's start (a Python
    process) then overlaps with the shell's and the screen's. If the port is taken in the
    meantime the router takes another; :func:`ensure_router` (before checks) finds it.

    ``spawn=False`` only settles and writes down the port: the learner's TUI starts the
    router once the shell is up (a call with ``spawn=True`` then keeps that port), so that
    its Python start does not compete with the first screen's."""
    home = Path(home).resolve()
    if not home.is_dir():
        raise WorkshopError(f"mock home {home} does not exist")
    import fcntl

    with open(home / "router.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the router's own lock: it writes the info too
        live = router_status(home)
        if live:
            return int(live["port"])
        info = read_info(home) or {}
        previous = info.get("port")
        port = previous if isinstance(previous, int) and _port_free(previous) else _free_port()
        # written down at once: a router another starter spawns meanwhile (the cf mock's
        # ensure_router_quick, a check's ensure_router) takes this port too, the one the
        # learner's shell is given, whichever of them comes up first
        write_info(home, {**info, "pid": None, "port": port})
    if spawn:
        _spawn(home, wait=False, port=port)
    return port


def write_info(home: Path, info: dict[str, Any]) -> None:
    """Replace ``DIR/router.json`` atomically (a starter and the router itself write it,
    under ``DIR/router.lock``)."""
    tmp = home / f".{INFO_FILE}.{os.getpid()}"
    tmp.write_text(json.dumps(info))
    os.replace(tmp, home / INFO_FILE)


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _spawn(home: Path, wait: bool = True, port: int = 0) -> None:
    """Run ``python -S -m workshop.mock.router --detach``; it daemonises itself (double
    fork), so nothing it leaves behind holds our stdout (``$(workshop mock env)`` returns).

    Without ``site`` (``-S``), like the fake ``cf``: the installed packages' ``.pth`` files
    and an editable install's import hook cost every start a few ms, and most mock homes
    start a router; this package's folder and the site-packages ones go on PYTHONPATH
    instead."""
    import subprocess

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(python_path(env.get("PYTHONPATH", "")))
    command = [sys.executable, "-S", "-m", "workshop.mock.router", "--home", str(home)]
    command += ["--detach", "--requested", repr(time.time())]
    if port:
        command += ["--port", str(port)]
    with open(home / "router.log", "ab") as log:
        process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=home
        )
    if wait:
        process.wait(timeout=10)


def python_path(extra: str = "") -> list[str]:
    """What a ``python -S`` of this package needs on its path: the folder that holds the
    ``workshop`` package, then the site-packages folders of this interpreter (its
    libraries), then ``extra`` (a PYTHONPATH already set)."""
    root = str(Path(__file__).resolve().parents[3])
    sites = [p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")]
    return list(dict.fromkeys([root, *sites, *filter(None, extra.split(os.pathsep))]))


def ensure_router_quick(home: Path) -> None:
    """Start the router in the background if its process is gone; never waits for it."""
    info = read_info(Path(home))
    if info is not None and _pid_alive(info.get("pid")):
        return
    import subprocess

    try:
        _spawn(Path(home).resolve(), wait=False)
    except (OSError, subprocess.SubprocessError):
        pass


def stop_router(home: Path, timeout: float = 5.0) -> bool:
    """Stop the router of ``home``; True when one was running."""
    info = read_info(Path(home))
    pid = info.get("pid") if info else None
    if not _pid_alive(pid):
        return False
    assert isinstance(pid, int)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pid_alive(pid):
        time.sleep(0.01)
    if _pid_alive(pid):
        os.kill(pid, signal.SIGKILL)
    return True
