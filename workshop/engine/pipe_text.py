"""The learner's terminal output made fit for a pipe or a file (``workshop run --plain > log``).

A terminal draws what programs print; a file keeps every byte. So in a file, ``cf push``'s
``\\r``-overwritten progress line would stay as a string of carriage returns, and the spaces
that pad cf's tables would end every line. :class:`PipeText` turns the stream into the lines
a terminal would have shown: CRLF becomes LF, a line rewritten with ``\\r`` keeps only what
was written last, and trailing spaces go. It holds back the line being written until it
ends, or until the terminal has been quiet a moment (:meth:`PipeText.idle`, so a prompt is
seen while the learner types), and says nothing about colours (the line mode starts the
learner's shell without them when output is not a terminal).
"""

from __future__ import annotations

import time


class PipeText:
    """Terminal output in, finished lines out; see the module docstring."""

    def __init__(self) -> None:
        self._line = ""
        """What the terminal has on its current line, not yet written."""
        self._shown = ""
        """The part of the current line already written (by :meth:`idle`)."""
        self._cr = False
        """The last chunk ended in ``\\r``: a following ``\\n`` makes it a line end."""
        self.last_fed = 0.0
        """When text last came in (monotonic clock)."""

    def feed(self, text: str) -> str:
        """Take a chunk of terminal output; return the text to write now."""
        self.last_fed = time.monotonic()
        if self._cr:
            text = "\r" + text
            self._cr = False
        if text.endswith("\r"):
            text, self._cr = text[:-1], True
        out: list[str] = []
        pieces = text.replace("\r\n", "\n").split("\n")
        for piece in pieces[:-1]:
            out.append(self._finish(self._line + piece))
        self._line += pieces[-1]
        return "".join(out)

    def _finish(self, line: str) -> str:
        """The line ended: what remains to be written of it, with its newline."""
        final = _overwritten(line).rstrip()
        shown, self._shown, self._line = self._shown, "", ""
        if shown and final.startswith(shown):
            return final[len(shown) :] + "\n"
        return ("\n" if shown else "") + final + "\n"

    def idle(self, quiet: float = 0.3) -> str:
        """The current line's unwritten part, once the terminal has been quiet for ``quiet``
        seconds (a prompt waiting for the learner); empty otherwise."""
        if not self._line or time.monotonic() - self.last_fed < quiet:
            return ""
        current = _overwritten(self._line).rstrip()
        if current.startswith(self._shown):
            new = current[len(self._shown) :]
        else:
            new = "\n" + current
        self._shown = current
        return new

    def take_line(self) -> str:
        """The unwritten part of the current line, as is (a prompt the learner's line follows
        in the file); the whole line is written again when it ends."""
        current = _overwritten(self._line)
        new = current[len(self._shown) :] if current.startswith(self._shown) else current
        self._shown = ""
        return new

    def interject(self) -> bool:
        """The line mode writes text of its own now: the part of the current line already
        written is left as it is, and the whole line is written again when it ends (as a
        terminal redraws a prompt). True when that part is on the file's last line, so the
        line mode's text must begin on a new one."""
        shown, self._shown = self._shown, ""
        return bool(shown)

    def end(self) -> str:
        """The end of the run: a line partly written is ended (a last prompt nobody
        answered, not written yet, is left out)."""
        return "\n" if self._shown else ""


def _overwritten(line: str) -> str:
    """What a terminal shows of ``line`` after its carriage returns: each ``\\r`` goes back to
    the start, and later text covers earlier text only as far as it reaches."""
    if "\r" not in line:
        return line
    shown = ""
    for part in line.split("\r"):
        shown = part + shown[len(part) :]
    return shown
