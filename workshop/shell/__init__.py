"""The learner's shell: bash in a PTY that reports each command's line, status and output.

Public interface (other parts code against exactly this):

- :class:`ShellSession`: start, write keystrokes, run a command, wait for the prompt,
  interrupt, resize, close; callbacks for output and command start/finish.
- :class:`CommandResult`: one finished command.
- :func:`strip_ansi`: terminal output to plain text.
- :class:`ShellError`, :class:`ShellTimeout`, :class:`ShellClosed`.
"""

from workshop.shell.ansi import strip_ansi
from workshop.shell.errors import ShellClosed, ShellError, ShellTimeout
from workshop.shell.result import OUTPUT_LIMIT, CommandResult
from workshop.shell.session import ShellSession

__all__ = [
    "OUTPUT_LIMIT",
    "CommandResult",
    "ShellClosed",
    "ShellError",
    "ShellSession",
    "ShellTimeout",
    "strip_ansi",
]
