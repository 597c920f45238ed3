"""Errors that reach the user as a message and an exit status, never as a traceback."""

from __future__ import annotations


class WorkshopError(Exception):
    """A problem to report to the user; ``exit_code`` is what the command exits with."""

    exit_code = 1


class UsageError(WorkshopError):
    """The command line asks for something that does not exist (a lesson, a step)."""

    exit_code = 2
