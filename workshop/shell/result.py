"""What one finished command looked like, and the bounded buffer its output is kept in."""

from __future__ import annotations

from dataclasses import dataclass

from workshop.shell.ansi import strip_ansi

#: At most this many characters of a command's output are kept (the last ones).
OUTPUT_LIMIT = 1 << 20


@dataclass
class CommandResult:
    """One command the shell ran, typed by the learner or sent by :meth:`ShellSession.run`.

    ``command`` is the line as finally typed (after readline edits), ``exit_code`` its exit
    status (130 after Ctrl-C), ``output`` the plain text it printed (escape sequences
    removed, ``\\n`` line ends, the last :data:`OUTPUT_LIMIT` characters), and
    ``started_at``/``ended_at`` wall-clock times (``time.time()``). ``ended_shell`` is true
    when bash itself ended while the command ran (``exit``, ``exec false``, bash killed, the
    session closed): ``exit_code`` is then bash's exit status (128 + signal when killed),
    and the command is no attempt at anything.
    """

    command: str
    exit_code: int
    output: str
    started_at: float
    ended_at: float
    ended_shell: bool = False

    @property
    def duration(self) -> float:
        """Seconds between start and end."""
        return self.ended_at - self.started_at


class OutputBuffer:
    """Collects display text and keeps only the last ``limit`` characters (amortised)."""

    def __init__(self, limit: int = OUTPUT_LIMIT) -> None:
        """Keep at most ``limit`` characters of plain text once :meth:`text` is taken."""
        self._limit = limit
        self._parts: list[str] = []
        self._size = 0

    def append(self, text: str) -> None:
        """Add raw display text; trims from the front when well over the limit."""
        self._parts.append(text)
        self._size += len(text)
        if self._size > 2 * self._limit + 4096:
            joined = "".join(self._parts)[-(self._limit + 4096) :]
            self._parts = [joined]
            self._size = len(joined)

    def clear(self) -> None:
        """Forget everything collected."""
        self._parts.clear()
        self._size = 0

    def raw(self) -> str:
        """The collected text as received (escape sequences kept)."""
        return "".join(self._parts)

    def text(self) -> str:
        """The collected text made plain by :func:`strip_ansi`, at most ``limit`` characters."""
        return strip_ansi(self.raw())[-self._limit :]
