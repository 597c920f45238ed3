"""The learner's shell: bash in a PTY that reports each command's line, status and output.

Public interface (other parts code against exactly this):

- :class:`ShellSession`: start, write keystrokes, run a command, wait for the prompt,
  interrupt, resize, close; callbacks for output and command start/finish.
- :class:`CommandResult`: one finished command (``ended_shell`` when bash ended during it).
- :class:`ShellState`, :func:`load_shell_state`, :func:`lost_variables`,
  :func:`lost_variables_notice`: what a session's state file says after a restart.
- :func:`strip_ansi`: terminal output to plain text.
- :class:`ShellError`, :class:`ShellTimeout`, :class:`ShellClosed`.
"""

from workshop.shell.ansi import strip_ansi
from workshop.shell.errors import ShellClosed, ShellError, ShellTimeout
from workshop.shell.result import OUTPUT_LIMIT, CommandResult
from workshop.shell.session import ShellSession
from workshop.shell.state import (
    ShellState,
    load_shell_state,
    lost_variables,
    lost_variables_notice,
)

__all__ = [
    "OUTPUT_LIMIT",
    "CommandResult",
    "ShellClosed",
    "ShellError",
    "ShellSession",
    "ShellState",
    "ShellTimeout",
    "load_shell_state",
    "lost_variables",
    "lost_variables_notice",
    "strip_ansi",
]
