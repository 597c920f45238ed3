"""Starting, finding and stopping the router of a mock home (``DIR/router.json``).

The router runs detached from whoever started it (``workshop mock env``, the runner, the
fake ``cf``), so this module only talks to it through its pid and port. A starting
router takes the fcntl lock ``DIR/router.lock`` and leaves if another one is alive, so
starters may race: two shells that start at once share one router.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from workshop.errors import WorkshopError
from workshop.mock.router.info import (
    INFO_FILE,
    LOCK_FILE,
    LOOPBACK,
    ROUTER_MODULE,
    holder_alive,
    read_info,
    router_status,
    write_info,
)
from workshop.mock.router.info import pid_alive as _pid_alive

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: routers and the cf shim start light
    from collections.abc import Sequence

__all__ = [
    "INFO_FILE",
    "answering_port",
    "ROUTER_MODULE",
    "ensure_router",
    "ensure_router_quick",
    "read_info",
    "router_command",
    "router_status",
    "start_router",
    "stop_router",
    "write_info",
]


def answering_port(home: Path) -> int | None:
    """The port where the router of ``home`` answers: a live router's, or the one a process
    holds for it (the router starts at the first connection, :mod:`.holder`); else None."""
    live = router_status(home)
    if live:
        return int(live["port"])
    info = read_info(home)
    if info and holder_alive(info) and isinstance(info.get("port"), int):
        return int(info["port"])
    return None


def ensure_router(home: Path, timeout: float = 10.0) -> int:
    """Start the router of ``home`` unless it runs (or a process holds its port, and starts
    it when asked); return its port."""
    home = Path(home).resolve()
    if not home.is_dir():
        raise WorkshopError(f"mock home {home} does not exist")
    port = answering_port(home)
    if port:
        return port
    _spawn(home)  # the new router checks again under DIR/router.lock: one router per home
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        port = answering_port(home)
        if port:
            return port
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

    with open(home / LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the router's own lock: it writes the info too
        live = router_status(home)
        if live:
            return int(live["port"])
        info = read_info(home) or {}
        previous = info.get("port")
        if holder_alive(info) and isinstance(previous, int):
            return previous  # its holder starts the router at the first connection
        port = previous if isinstance(previous, int) and _port_free(previous) else _free_port()
        # written down at once: a router another starter spawns meanwhile (the cf mock's
        # ensure_router_quick, a check's ensure_router) takes this port too, the one the
        # learner's shell is given, whichever of them comes up first
        write_info(home, {**info, "pid": None, "port": port})
    if spawn:
        _spawn(home, wait=False, port=port)
    return port


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


BOOT = "import sys\nfrom workshop.mock.router.__main__ import main\nsys.exit(main())"
"""What ``python -S -c`` runs to start a router: :func:`workshop.mock.router.__main__.main`
without ``-m`` (its ``runpy`` imports ``importlib.util`` and ``contextlib``, ~4 ms)."""


def router_command(home: Path | str) -> list[str]:
    """The command that starts the router of ``home`` in the background (it daemonises
    itself, see :mod:`workshop.mock.router.__main__`); run it with
    :func:`python_environment`. ``-P``: the folder it starts in is not searched for
    modules (nor listed, which costs a start in a big folder such as /tmp)."""
    return [sys.executable, "-S", "-P", "-c", BOOT, "--home", str(home), "--detach"]


def python_environment(base: dict[str, str]) -> dict[str, str]:
    """``base`` with what a ``python -S`` of the mock (a router, a shim's program) needs:
    this package and its libraries on
    PYTHONPATH (:func:`python_path`), and its bytecode cached where the mock's programs
    cache theirs (the user's cache folder, unless PYTHONPYCACHEPREFIX names one), even
    where PYTHONDONTWRITEBYTECODE is set: compiling the modules again cost a start more
    than running them. The shims set the same in shell (:func:`workshop.mock.tools.python_lines`)."""
    from workshop import paths

    env = dict(base)
    env["PYTHONPATH"] = os.pathsep.join(python_path(env.get("PYTHONPATH", "")))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = env.get("PYTHONPYCACHEPREFIX") or str(
        paths.cache_dir() / "bytecode"
    )
    return env


def _spawn(home: Path, wait: bool = True, port: int = 0) -> None:
    """Start the router of ``home`` (:func:`router_command`); it daemonises itself (double
    fork), so nothing it leaves behind holds our stdout (``$(workshop mock env)`` returns).
    ``wait``: until its first fork has returned (the router itself runs on).

    Without ``site`` (``-S``), like the fake ``cf``: the installed packages' ``.pth`` files
    and an editable install's import hook cost every start a few ms, and most mock homes
    start a router; this package's folder and the site-packages ones go on PYTHONPATH
    instead. Started with ``os.posix_spawn``, which a process that has not imported
    ``subprocess`` does without it."""
    _make_bundle(home)
    command = router_command(home) + ["--requested", repr(time.time())]
    if port:
        command += ["--port", str(port)]
    pid = spawn_logged(home, command)
    if wait:
        os.waitpid(pid, 0)
    else:
        _reap_later(pid)


def _make_bundle(home: Path) -> None:
    """Make the home's CA bundle now if it is new (the router would, importing more for it):
    a copy of the user's CA (:mod:`.tls`). A failure is left to the router, which says why
    in ``DIR/router.log``."""
    from workshop.mock.router import tls

    try:
        tls.bundle_path(home)
    except Exception:  # noqa: BLE001, S110 - the router tries again and logs the reason
        pass


def spawn_logged(
    home: Path, command: list[str], fds: Sequence[tuple[int, int]] = (), setsid: bool = False
) -> int:
    """Start ``command`` (a router) with ``os.posix_spawn``: no input, its output appended to
    ``DIR/router.log``, each ``(fd, target)`` of ``fds`` given to it as ``target``; its pid."""
    log = os.open(home / "router.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        return os.posix_spawn(
            command[0],
            command,
            python_environment(dict(os.environ)),
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, log, 1),
                (os.POSIX_SPAWN_DUP2, log, 2),
                *((os.POSIX_SPAWN_DUP2, fd, target) for fd, target in fds),
            ],
            setsid=setsid,
        )
    finally:
        os.close(log)


def _reap_later(pid: int) -> None:
    """Collect the exit status of the router's first fork, which ends at once (so that it
    leaves no zombie behind in a long-lived starter), without waiting for it now."""
    import threading

    thread = threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True, name="router-reap")
    thread.start()


def python_path(extra: str = "") -> list[str]:
    """What a ``python -S`` of this package needs on its path: the folder that holds the
    ``workshop`` package, then the site-packages folders of this interpreter (its
    libraries), then ``extra`` (a PYTHONPATH already set)."""
    root = str(Path(__file__).resolve().parents[3])
    sites = [p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")]
    return list(dict.fromkeys([root, *sites, *filter(None, extra.split(os.pathsep))]))


def ensure_router_quick(home: Path) -> None:
    """Start the router in the background if its process is gone (and no process holds its
    port); never waits for it."""
    info = read_info(Path(home))
    if info is not None and (_pid_alive(info.get("pid")) or holder_alive(info)):
        return
    try:
        _spawn(Path(home).resolve(), wait=False)
    except OSError:
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
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it ended after all, just now
    return True
