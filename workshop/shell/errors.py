"""Errors raised by the learner's shell session.

They derive from :class:`workshop.errors.WorkshopError` so a command line front end can
report them as a message and an exit status instead of a traceback.
"""

from __future__ import annotations

from workshop.errors import WorkshopError


class ShellError(WorkshopError):
    """The shell session could not do what was asked (start, run a command, write)."""


class ShellTimeout(ShellError, TimeoutError):
    """A wait on the shell ran out of time; the shell itself is left as it was."""


class ShellClosed(ShellError):
    """The shell has exited or the session was closed."""
