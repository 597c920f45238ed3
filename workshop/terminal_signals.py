"""The signals Python ignores that a program started from a terminal has at their defaults.

Python ignores SIGPIPE and SIGXFSZ. A program it starts by ``fork`` and ``exec`` keeps them
ignored unless they are reset in between: ``subprocess`` does that (``restore_signals``);
pexpect, ``pty.fork``, ``pty.spawn`` and ``os.execv`` do not. With SIGPIPE ignored,
``yes | head -1`` prints "yes: standard output: Broken pipe" and fails, where from a
terminal ``yes`` ends quietly (status 141). The learner's shell, the recorders and the
offline ``sudo`` reset them with :func:`restore_defaults`.
"""

from __future__ import annotations

import signal

TERMINAL_DEFAULTS = (signal.SIGPIPE, signal.SIGXFSZ)
"""Signals Python ignores that a program run from a terminal has at their defaults."""


def restore_defaults() -> None:
    """Put :data:`TERMINAL_DEFAULTS` back to their defaults in this process (a forked child,
    before it ``exec``\\ s a program)."""
    for signum in TERMINAL_DEFAULTS:
        signal.signal(signum, signal.SIG_DFL)
