"""Where the router of a mock home is: ``DIR/router.json`` ({"pid", "port", "started"}),
and whether that process is alive and its port open.

Light on purpose: the router process itself starts with this module (every mock home a
session, a ``workshop test`` sandbox or ``workshop mock env`` makes starts one), so it
imports no ``json``, ``socket``, ``pathlib`` or ``typing``: the ``_json`` and ``_socket``
extensions do the same work without the modules' ``re``, ``enum`` and ``collections``
(about 25 ms of a start's CPU). Paths are anything ``os.fspath`` takes.
"""

from __future__ import annotations

import os

from workshop.mock import jsonlite

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time (start-up cost)
    from typing import Any

INFO_FILE = "router.json"
LOCK_FILE = "router.lock"
HOLDER_KEYS = ("holder", "holder_started")
"""The keys of ``DIR/router.json`` that name a process holding the router's port (the
learner's session, see :mod:`workshop.mock.router.holder`): its pid, and when it started."""
ROUTER_MODULE = b"workshop.mock.router"
"""What a router's command line holds (``python ... workshop.mock.router ...``)."""
LOOPBACK = b"127.0.0.1"
"""As bytes: a host given as text is IDNA-encoded first, and that codec's import costs a
learner's session start ~5 ms."""


def read_info(home: str | os.PathLike[str]) -> dict[str, Any] | None:
    """``DIR/router.json`` ({"pid", "port", "started"}), or None."""
    try:
        with open(os.path.join(home, INFO_FILE), encoding="utf-8") as fh:
            data = jsonlite.loads(fh.read())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_info(home: str | os.PathLike[str], info: dict[str, Any]) -> None:
    """Replace ``DIR/router.json`` atomically (a starter and the router itself write it,
    under ``DIR/router.lock``). Written as ``json.dumps`` writes it: the ``cf`` shim reads
    the pid with shell builtins (``"pid": N``)."""
    tmp = os.path.join(home, f".{INFO_FILE}.{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(jsonlite.dumps(info))
    os.replace(tmp, os.path.join(home, INFO_FILE))


def pid_alive(pid: Any) -> bool:
    """True when ``pid`` is a live router process (not a zombie, not another program that
    was given a dead router's pid)."""
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


def port_open(port: Any) -> bool:
    """True when something accepts connections on 127.0.0.1:``port``."""
    if not isinstance(port, int) or port <= 0:
        return False
    import _socket

    probe = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        probe.settimeout(0.5)
        probe.connect((LOOPBACK, port))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def router_status(home: str | os.PathLike[str]) -> dict[str, Any] | None:
    """``{"pid", "port", ...}`` of the live router of ``home``, or None when none runs."""
    info = read_info(home)
    if info and pid_alive(info.get("pid")) and port_open(info.get("port")):
        return info
    return None


def process_started(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot, ``/proc/PID/stat``), or None
    when there is no such process (or it is a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        if fields[0] == b"Z":
            return None
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def holder_alive(info: dict[str, Any] | None) -> bool:
    """True when ``info`` (``DIR/router.json``) names a process holding the router's port
    that is still there (not another process the system gave its pid since)."""
    if not info:
        return False
    pid, started = info.get("holder"), info.get("holder_started")
    if not isinstance(pid, int) or pid <= 0 or started is None:
        return False
    return process_started(pid) == started
