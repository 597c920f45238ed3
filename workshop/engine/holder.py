"""Which running session holds a workshop, so that another process does not pull the
foundation from under it.

A session holds its workshop with an advisory lock (``flock``) on a small file under the
state folder that names it (process id and front end). ``workshop reset`` and ``workshop
mock reset`` ask :func:`holder_of` first and refuse while a session holds the workshop, naming
it, instead of rewinding the mock while the learner's screen still shows the old step. The
lock goes with the process, so a crashed session (``kill -9``) never leaves a stale hold.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

from workshop import paths
from workshop.errors import WorkshopError

SETTLE = 2.0
"""Seconds a starting session waits for a hold that is being let go."""


class WorkshopHeld(WorkshopError):
    """Another running session holds the workshop (exit status 1)."""


def _lock_file(workshop_id: str) -> Path:
    return paths.state_dir() / "sessions" / f"{workshop_id}.lock"


class Hold:
    """The hold a running session keeps on its workshop; :meth:`release` ends it."""

    def __init__(self, workshop_id: str, fd: int) -> None:
        self.workshop_id = workshop_id
        self._fd: int | None = fd

    def release(self) -> None:
        """Let go (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)


def hold(workshop_id: str, front_end: str) -> Hold:
    """Hold ``workshop_id`` for this process; raises :class:`WorkshopHeld` naming the session
    that already holds it."""
    path = _lock_file(workshop_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + SETTLE
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            # a session that just closed may still be letting go (a child process between
            # its fork and its exec shares the lock for a moment)
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            os.close(fd)
            other = holder_of(workshop_id) or "another workshop session"
            raise WorkshopHeld(
                f"{other} already has this workshop open; go on there, or quit it first"
            ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()} {front_end}\n".encode())
    return Hold(workshop_id, fd)


def holder_of(workshop_id: str) -> str | None:
    """Who holds ``workshop_id`` (``workshop run (pid 123, TUI)``), or None when nobody does."""
    path = _lock_file(workshop_id)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = path.read_text(encoding="utf-8", errors="replace").split()
            if len(text) >= 2 and text[0].isdigit():
                return f"workshop run (pid {text[0]}, {' '.join(text[1:])})"
            return "a workshop session"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def refuse_while_held(workshop_id: str, what: str) -> None:
    """Raise :class:`WorkshopHeld` when a running session holds ``workshop_id``; ``what`` is
    what was asked (``reset``, ``stop the mock``)."""
    other = holder_of(workshop_id)
    if other is not None:
        raise WorkshopHeld(
            f"{other} has this workshop open; quit it first, then {what} (inside the TUI, "
            "F9 resets the current step), so that its screen and the foundation stay in step"
        )
