"""How a stopped command ends: its clean-up gets a deadline, then the process ends anyway.

After Ctrl-C, SIGTERM or SIGHUP (a closed terminal) the command cleans up (the learner's
shell, sandboxes, mock routers, the terminal's screen mode). A person who stops a command
expects it to stop: a clean-up stuck past :data:`CLEAN_UP_GRACE` seconds (a thread that
does not end, a lock never released) ends the process with the signal's status.
"""

from __future__ import annotations

import os
import threading

CLEAN_UP_GRACE = 10.0
"""Seconds the clean-up may take."""


def leave_anyway(status: int) -> None:
    """Arm the clean-up's deadline: a daemon timer, so a clean-up that ends in time ends the
    process first. At the deadline the person is told why the command stopped, as the
    command itself would have said it."""
    timer = threading.Timer(CLEAN_UP_GRACE, _leave, (status,))
    timer.daemon = True
    timer.start()


def _leave(status: int) -> None:
    import signal

    why = "interrupted" if status == 130 else f"stopped by {signal.Signals(status - 128).name}"
    try:
        os.write(2, f"\nworkshop: {why}\n".encode())
    except OSError:  # no terminal any more
        pass
    os._exit(status)
