"""The router of a mock home started when something first connects to its port, not before.

Why: almost every mock home a learner's session or a ``workshop test`` sandbox makes
started a router process (a Python of its own), and almost none of them was ever asked
anything: a learner who pushes no app, a lesson whose checks open no URL. A process that
lives as long as the learner's shell (the runner's session, the sandbox's test) holds the
router's port instead: it listens on it, so a connection waits in the kernel's queue, and
when one comes it starts the router on that same listening socket (inherited), which then
accepts it. Nothing is lost and nothing races: a ``curl`` right after the shell started, or
right after ``cf push``, is answered; the learner's ``http_proxy`` names that port from the
start. When the router leaves (idle) the holder waits for the next connection again.

``DIR/router.json`` names the holder (``holder``: its pid, ``holder_started``: when that
process started, so that a pid the system gave another process since is not taken for it):
:func:`~workshop.mock.router.control.ensure_router`, the ``cf`` shim and a router started by
anyone else leave the port to it. :meth:`PortHolder.close` (the session or sandbox ends)
hands the port back: a router it started keeps serving until idle.
"""

from __future__ import annotations

import os
import select
import socket
import sys
import threading
from pathlib import Path

from workshop.mock.router.info import (
    HOLDER_KEYS,
    LOCK_FILE,
    process_started,
    read_info,
    router_status,
    write_info,
)

ROUTER_FD = 3
"""The descriptor the router finds the listening socket on (``--fd``; 4 when the holder's
own socket is 3, which ``dup2`` would leave closed on exec)."""


class PortHolder:
    """Holds the router port of one mock home for as long as it is open (see the module's
    docstring); ``port`` is what the learner's shell is given as its proxy."""

    def __init__(self, home: Path, serve: bool = True) -> None:
        """Hold the port of ``home``'s router: its previous one when free, else any. When a
        router already runs, its port is the one and nothing is held. ``serve=False``:
        connections wait until :meth:`serve` is called (a learner's TUI calls it once the
        shell is up, so that making the home's CA does not compete with the first screen)."""
        import fcntl

        self.home = Path(home).resolve()
        self._sock: socket.socket | None = None
        self._closed = False
        self._lock = threading.Lock()
        with open(self.home / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the routers' own lock: they write the info too
            live = router_status(self.home)
            if live:
                self.port = int(live["port"])
                return
            info = read_info(self.home) or {}
            previous = info.get("port")
            sock = None
            if isinstance(previous, int) and previous > 0:
                sock = _listening(previous)
            sock = sock or _listening(0)
            if sock is None:
                raise OSError("no free port on 127.0.0.1 for the mock's app router")
            self._sock = sock
            self.port = int(sock.getsockname()[1])
            me = os.getpid()
            write_info(
                self.home,
                {
                    **{k: v for k, v in info.items() if k not in HOLDER_KEYS},
                    "pid": None,
                    "port": self.port,
                    "holder": me,
                    "holder_started": process_started(me),
                },
            )
        self._wake_read, self._wake_write = os.pipe()
        self._thread: threading.Thread | None = None
        if serve:
            self.serve()

    def serve(self) -> None:
        """Start the router whenever a connection waits (from now on; once is enough)."""
        with self._lock:
            if self._sock is None or self._closed or self._thread is not None:
                return
            self._thread = threading.Thread(
                target=self._serve, daemon=True, name=f"router-port-{self.port}"
            )
            self._thread.start()

    @property
    def holding(self) -> bool:
        """True while this process holds the port (no router was running when it opened)."""
        return self._sock is not None and not self._closed

    def close(self) -> None:
        """Stop holding the port (a router started meanwhile serves on until idle)."""
        import fcntl

        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._sock is None:
                return
            self._sock.close()
            if self._thread is None:  # it never served: nobody else closes these
                os.close(self._wake_read)
                os.close(self._wake_write)
            else:
                os.write(self._wake_write, b"x")
        if not self.home.is_dir():
            return
        with open(self.home / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            info = read_info(self.home)
            if info and info.get("holder") == os.getpid():
                write_info(self.home, {k: v for k, v in info.items() if k not in HOLDER_KEYS})

    def _serve(self) -> None:
        """The holder's thread: make the home's CA bundle (the shell is told to trust it),
        then start the router whenever a connection waits and none runs."""
        try:
            from workshop.mock.router import tls

            tls.bundle_path(self.home)
        except Exception as exc:  # noqa: BLE001 - plain http still works; the router says why
            _log(self.home, f"no CA bundle for https routes yet: {exc}")
        assert self._sock is not None
        listening = self._sock.fileno()
        while True:
            try:
                ready, _, _ = select.select([listening, self._wake_read], [], [])
            except (OSError, ValueError):  # closed meanwhile
                ready = []
            with self._lock:
                if self._closed:
                    break
                if listening not in ready:
                    continue
                try:
                    pid = self._start_router(self._sock)
                except OSError as exc:  # no router: the waiting client gets no answer
                    _log(self.home, f"the router could not start: {exc}")
                    _refuse_one(self._sock)
                    continue
            _, status = os.waitpid(pid, 0)  # until it leaves (idle, stopped): hold again
            if status != 0:
                _log(self.home, f"the router ended with status {os.waitstatus_to_exitcode(status)}")
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:
                # it failed: what waits may be what broke it. Refused, so that a router that
                # cannot start is not started again and again for the same connection. One
                # killed (a signal) broke on nothing waiting: what waits now came after it
                # ended (a learner's next request), and the next router answers it.
                with self._lock:
                    if not self._closed:
                        _refuse_one(self._sock)
        os.close(self._wake_read)
        os.close(self._wake_write)

    def _start_router(self, sock: socket.socket) -> int:
        """Start the router of the home on ``sock`` (its descriptor :data:`ROUTER_FD` in
        the router), in a session of its own, output to ``DIR/router.log``; its pid."""
        from workshop.mock.router.control import router_command, spawn_logged

        target = ROUTER_FD if sock.fileno() != ROUTER_FD else ROUTER_FD + 1
        command = router_command(self.home)
        command[command.index("--detach") :] = ["--fd", str(target)]
        return spawn_logged(self.home, command, [(sock.fileno(), target)], setsid=True)


def _listening(port: int) -> socket.socket | None:
    """A socket listening on 127.0.0.1:``port`` (0: any), or None when it is taken: the
    router's own (:func:`~workshop.mock.router.listen.listening_socket`, a ``_socket``),
    as a :class:`socket.socket`."""
    from workshop.mock.router.listen import listening_socket

    try:
        raw = listening_socket(port)
    except OSError:
        return None
    return socket.socket(fileno=raw.detach())


def _refuse_one(sock: socket.socket) -> None:
    """Take one waiting connection off the queue and close it (no router to answer it)."""
    sock.setblocking(False)
    try:
        conn, _ = sock.accept()
        conn.close()
    except OSError:
        pass
    finally:
        sock.setblocking(True)


def _log(home: Path, message: str) -> None:
    """A line in ``DIR/router.log`` (where the router's own messages go)."""
    try:
        with open(home / "router.log", "a", encoding="utf-8") as log:
            log.write(f"workshop mock router: {message}\n")
    except OSError:
        print(f"workshop mock router: {message}", file=sys.stderr)
