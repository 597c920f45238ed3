"""The router process's light start: take the port, say so, wait for a first connection.

Most mock homes' routers are never asked anything (a learner who has not pushed an app
yet, a lesson whose checks open no URL), and the HTTP server, the emulated apps and what
they import cost more than half of a router's start. So the router listens on a plain
socket and writes ``DIR/router.json`` first; it imports :mod:`.server` and serves on that
same socket only once a connection asks something (the starters' probes, which connect and
close, do not). Starters see no difference: the port accepts connections from the start.

Until then the process imports only C extensions and :mod:`.info` (no ``socket``,
``json``, ``pathlib`` or ``typing``, whose imports were most of a start's CPU): about every
mock home a session, a sandbox or ``workshop mock env`` makes starts one.
"""

from __future__ import annotations

import _socket
import os
import select
import sys
import time

from workshop.mock.router.info import (
    HOLDER_KEYS,
    LOCK_FILE,
    LOOPBACK,
    holder_alive,
    read_info,
    router_status,
    write_info,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time (start-up cost)
    from typing import Any

DEFAULT_IDLE_SECONDS = 30 * 60
PROBE_SECONDS = 1.0
"""How long a new connection may stay silent before it is taken for a request, not a probe."""
LISTEN_BACKLOG = 128
"""The listen backlog (socketserver's default is 5): starters probe the port every 10 ms
(:func:`~workshop.mock.router.info.router_status`); while a loaded machine keeps the
router from accepting, a full queue dropped those probes, the router looked gone, and a
second one started."""


def serve(
    home: str,
    port: int = 0,
    idle_seconds: float = DEFAULT_IDLE_SECONDS,
    requested: float = 0,
    fd: int | None = None,
) -> None:
    """Run the router of ``home`` (an absolute path) until it has been idle for
    ``idle_seconds``.

    ``port`` 0 means: the port of the previous router of this home if free, else any.
    ``requested``: when this start was asked for; if another router started since, even one
    already stopped again, this one is not needed and leaves at once. ``fd``: the socket
    listening on the port already, inherited from the process that holds the port
    (:mod:`.holder`), with a connection waiting; without it, a router leaves the port to
    a live holder.
    """
    import fcntl

    with open(os.path.join(home, LOCK_FILE), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # racing starters: the first one serves, others leave
        previous = read_info(home) or {}
        if fd is not None:
            sock = _socket.socket(fileno=fd)
            kept = previous  # the holder's keys stay: it holds the port again when we leave
        else:
            if router_status(home) or float(previous.get("started") or 0) >= requested > 0:
                return
            if holder_alive(previous):  # the holder starts a router when one is needed
                return
            kept = {k: v for k, v in previous.items() if k not in HOLDER_KEYS}
            if not port:
                port = int(previous.get("port") or 0)
            try:
                sock = listening_socket(port)
            except OSError:
                sock = listening_socket(0)
        bound = int(sock.getsockname()[1])
        # the port is ours (a starter racing this one finds it taken); until the info is
        # written nobody counts on it: who finds the router finds its CA bundle too
        try:
            from workshop.mock.router import tls

            tls.bundle_path(home)
        except Exception as exc:  # noqa: BLE001 - plain http still works; router.log says why
            print(f"workshop mock router: no CA bundle for https routes: {exc}", file=sys.stderr)
        started = time.time()
        write_info(home, {**kept, "pid": os.getpid(), "port": bound, "started": started})
    try:
        first = first_request(home, sock, idle_seconds)
        if first is not None:
            import socket
            from pathlib import Path

            from workshop.mock.router.server import run

            conn = socket.socket(fileno=first[0].detach())
            listening = socket.socket(fileno=sock.detach())
            try:
                run(Path(home), listening, idle_seconds, (conn, first[1]))
            finally:
                listening.close()
    finally:
        sock.close()
        _leave(home, bound, started)


def _leave(home: str, port: int, started: float) -> None:
    """Say in ``DIR/router.json`` that this router has gone, keeping its port for the next
    start (the learner's http_proxy points at it) and the holder of the port, if any."""
    import fcntl

    if not os.path.isdir(home):
        return
    with open(os.path.join(home, LOCK_FILE), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        info = read_info(home)
        if info and info.get("pid") == os.getpid():
            write_info(home, {**info, "pid": None, "port": port, "started": started})


def listening_socket(port: int) -> _socket.socket:
    """A socket listening on 127.0.0.1:``port`` (0: any free port)."""
    sock = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK, port))
        sock.listen(LISTEN_BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def first_request(
    home: str, sock: _socket.socket, idle_seconds: float
) -> tuple[_socket.socket, Any] | None:
    """The first connection that asks something (accepted: the server answers it), or None
    once ``idle_seconds`` passed without one, the home disappeared or another router took it
    over. A starter's probe (:func:`~workshop.mock.router.info.router_status` connects
    and closes) is no request: it is closed and the router waits on."""
    deadline = time.monotonic() + idle_seconds
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([sock], [], [], max(0.0, min(1.0, idle_seconds / 4, left)))
        if ready:
            try:
                fd, address = sock._accept()  # type: ignore[attr-defined]  # socket.accept's own
            except OSError:
                continue
            conn = _socket.socket(fileno=fd)
            if not closed_without_a_word(conn):
                return conn, address
            conn.close()
            continue
        if time.monotonic() >= deadline:
            return None
        info = read_info(home)
        if not os.path.isdir(home) or (info and info.get("pid") not in (os.getpid(), None)):
            return None


def closed_without_a_word(conn: _socket.socket) -> bool:
    """Whether the peer closed ``conn`` without sending anything (a probe). A client that
    says nothing for :data:`PROBE_SECONDS` is taken as one that will: the server handles it."""
    try:
        readable, _, _ = select.select([conn], [], [], PROBE_SECONDS)
        return bool(readable) and conn.recv(1, _socket.MSG_PEEK) == b""
    except OSError:  # reset by the peer: nothing to answer either
        return True
