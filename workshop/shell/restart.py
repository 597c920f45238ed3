"""When a learner's bash ends by itself: whether to start another, where, and what to say.

``ShellSession(restart=True)`` starts a new bash when the old one ends (``exit``,
``exec false``, a crash) unless the session was closed. This module holds the policy, kept
free of I/O: the folder the new shell starts in, the line shown in the terminal, and the
cap that stops a shell which dies as it starts (a broken init command, an exported
``TMOUT=1``) from being restarted forever.
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path

#: At most this many restarts ...
MAX_RESTARTS = 5
#: ... within this many seconds; one more and the shell stays closed.
RESTART_WINDOW = 15.0


class RestartPolicy:
    """Counts restarts in a sliding window and refuses one when there were too many."""

    def __init__(self, limit: int = MAX_RESTARTS, window: float = RESTART_WINDOW) -> None:
        """Allow ``limit`` restarts in any ``window`` seconds."""
        self.limit = limit
        self.window = window
        self._times: deque[float] = deque()

    def allow(self, now: float | None = None) -> bool:
        """True (and counted) when one more restart is allowed now."""
        now = time.monotonic() if now is None else now
        while self._times and now - self._times[0] > self.window:
            self._times.popleft()
        if len(self._times) >= self.limit:
            return False
        self._times.append(now)
        return True


def pick_cwd(last: str | None, start: Path | None) -> Path | None:
    """The folder for a new shell: the last known one if it still exists, else the start."""
    if last and Path(last).is_dir():
        return Path(last)
    if start is not None and start.is_dir():
        return start
    return None


def shown_path(path: Path | None, home: str | None) -> str:
    """``path`` as a learner reads it: ``~`` for the home folder."""
    if path is None:
        return "the runner's folder"
    if home:
        home_path = Path(home)
        if path == home_path:
            return "~"
        if path.is_relative_to(home_path):
            return f"~/{path.relative_to(home_path)}"
    return str(path)


def restarted_notice(status: int, cwd: Path | None, home: str | None) -> str:
    """The terminal line that says the shell ended and a new one started (CRLF around it)."""
    return (
        f"\r\n[workshop] The shell ended (exit status {status}); "
        f"a new one started in {shown_path(cwd, home)}.\r\n"
    )


def gave_up_notice(status: int, policy: RestartPolicy) -> str:
    """The terminal line that says the shell keeps ending and stays closed."""
    return (
        f"\r\n[workshop] The shell ended (exit status {status}) {policy.limit} times within "
        f"{policy.window:g} s; it was not started again.\r\n"
    )


def failed_notice(status: int, error: str) -> str:
    """The terminal line that says the shell ended and a new one could not start."""
    return f"\r\n[workshop] The shell ended (exit status {status}); a new one failed: {error}\r\n"
