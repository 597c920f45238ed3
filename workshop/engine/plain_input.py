"""The line mode's input: the learner's keys (a terminal) or lines (a pipe) to the shell.

From a terminal, keys go to bash as they are typed (raw mode), except a ``:`` typed at an
empty prompt, which starts a learner command that the runner reads and echoes itself
(:mod:`workshop.engine.plain_commands`), and Ctrl+] at the prompt (skip the step). On a
quiz step, the keys never reach bash: the runner reads the answer's line itself. From a
pipe, each line is typed as a terminal would (or is the answer, on a quiz step), and the
runner waits for bash's answer before the next one (see :func:`pump_lines`).
"""

from __future__ import annotations

import codecs
import os
import select
import sys
import time
from typing import TYPE_CHECKING

from workshop.engine.line_reader import stdin_lines
from workshop.engine.plain_commands import LineCommand, LineCommands, Outcome, parse
from workshop.engine.plain_quiz import PROMPT
from workshop.engine.ports import ShellState

if TYPE_CHECKING:
    from collections.abc import Iterator

    from workshop.engine.plain import PlainFrontEnd
    from workshop.engine.session import LearnerSession

SKIP_KEY = "\x1d"
"""Ctrl+] at the prompt: skip the step (after asking)."""
SHARE_KEY = "\x1e"
"""Ctrl+^: share the screen with the instructor, or stop (in a classroom)."""
LINE_ENDS = ("\r", "\n")
CLEARS_LINE = ("\r", "\n", "\x03", "\x15")
"""Keys after which readline's line is empty again: Enter, Ctrl-C, Ctrl-U."""
ERASE = ("\x7f", "\x08")

PROMPT_QUIET = 0.3
"""Seconds a running command must stay silent after printing part of a line before the
line mode takes it for a question (``Email>``, ``Password>``) and answers with the next line."""


class TerminalKeys:
    """Routes a terminal's keys: to bash, or to a learner command typed after ``:``."""

    def __init__(self, session: LearnerSession, front: PlainFrontEnd, fd: int) -> None:
        self.session = session
        self.front = front
        self.fd = fd
        self.fresh = True
        """Nothing typed at the prompt since it appeared (a ``:`` now starts a command)."""
        self._command: str | None = None
        self.answer = ""
        """The line typed so far on a quiz step (an answer, or a ``:`` command)."""
        self.commands = LineCommands(session, front, self.ask)
        self.quit = False
        self.decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        """Bytes read to text; a character split over two reads is kept whole."""

    @property
    def command(self) -> str | None:
        """The learner command being typed (after its ``:``), or None."""
        return self._command

    @command.setter
    def command(self, typed: str | None) -> None:
        self._command = typed
        self.front.own_line = "" if typed is None else ":" + typed

    def ask(self, question: str) -> str:
        """Ask a question and read the answer's line from the keyboard (echoed)."""
        self.front.say(f"\n{question} [y/N] ")
        answer = ""
        while data := os.read(self.fd, 64):
            for ch in self.decode(data):
                if ch in LINE_ENDS or ch == "\x03":  # Ctrl-C: no
                    self.front.say("\n")
                    return answer if ch != "\x03" else ""
                if ch in ERASE and answer:
                    answer = answer[:-1]
                    self.front.echo("\b \b")
                elif ch.isprintable():
                    answer += ch
                    self.front.echo(ch)
        self.front.say("\n")
        return answer

    def feed(self, text: str) -> None:
        """Keys the learner typed."""
        shell = self.session.shell
        to_bash: list[str] = []
        index = 0
        while index < len(text):
            ch = text[index]
            index += 1
            if self.command is not None:
                if ch == "\x1b":  # Escape, or an arrow key's sequence: never mind the command
                    index += _sequence_length(text, index)
                    self._cancel()
                    continue
                self._command_key(ch, to_bash)
                continue
            at_prompt = shell is not None and shell.at_prompt
            if at_prompt and self.front.asking:
                self._flush(to_bash)
                index += self._answer_key(ch, text[index:])
                continue
            if at_prompt and ch == SKIP_KEY:
                self._flush(to_bash)
                self._run(LineCommand("skip"))
                continue
            if ch == SHARE_KEY:
                self._flush(to_bash)
                self.commands.share(None)
                continue
            if at_prompt and self.fresh and ch == ":":
                self._flush(to_bash)
                self.command = ""
                self.front.echo(":")
                continue
            if at_prompt and self.fresh and ch in LINE_ENDS:
                if self.session.current_step.kind == "read":
                    self.session.check_now()  # an empty Enter: read
            to_bash.append(ch)
            self.fresh = ch in CLEARS_LINE
        self._flush(to_bash)

    def _flush(self, keys: list[str]) -> None:
        if keys:
            self.session.type_keys("".join(keys))
            keys.clear()

    def _command_key(self, ch: str, to_bash: list[str]) -> None:
        """One key while a learner command is typed."""
        typed = self.command or ""
        if ch in LINE_ENDS:
            command = parse(":" + typed)
            if command is None:  # ":" alone, ":a-b": no learner command, so bash's after all
                self._cancel()
                to_bash.append(":" + typed + ch)
                self.fresh = True
                return
            self.command = None
            self.front.echo("\r\n")
            self._run(command)
        elif ch in ERASE:
            self.front.echo("\b \b")
            self.command = typed[:-1] if typed else None
        elif ch in ("\x03", "\x15"):  # Ctrl-C, Ctrl-U: never mind
            self._cancel()
        elif ch.isprintable():
            if not typed and not ch.isalpha():  # ": …", ":(": bash's no-op builtin
                self.command = None
                self.front.echo("\b \b")
                to_bash.append(":" + ch)
                self.fresh = False
                return
            self.command = typed + ch
            self.front.echo(ch)

    def _answer_key(self, ch: str, after: str) -> int:
        """One key on a quiz step, where the runner reads the line itself (``after``: the
        keys that follow); returns how many of those it took too (an arrow key's)."""
        typed = self.answer
        if ch == "\x1b":
            return _sequence_length(after, 0) if after else 0
        if ch in LINE_ENDS:
            self.answer = ""
            self.front.own_line = ""
            self.front.echo("\r\n")
            command = parse(typed)
            if command is not None:
                self._run(command)
            else:
                self.commands.answer(typed)
                if self.front.asking:  # still (the next question, or the same again)
                    self.front.redraw()
            return 0
        if ch == SKIP_KEY and not typed:
            self._run(LineCommand("skip"))
            return 0
        if ch == "\x04" and not typed:  # Ctrl-D on an empty line: leave, as at bash's prompt
            self.quit = True
            return 0
        self.front.redraw()  # the prompt, if a message came in its place
        if ch in ERASE:
            if typed:
                typed = typed[:-1]
                self.front.echo("\b \b")
        elif ch in ("\x03", "\x15"):  # Ctrl-C, Ctrl-U: the line is cleared
            self.front.echo("\b \b" * len(typed))
            typed = ""
        elif ch.isprintable():
            typed += ch
            self.front.echo(ch)
        self.answer = typed
        self.front.own_line = PROMPT + typed
        return 0

    def _cancel(self) -> None:
        """Drop the learner command being typed, and its echo."""
        self.front.echo("\b \b" * (len(self.command or "") + 1))
        self.command = None

    def _run(self, command: LineCommand) -> None:
        outcome: Outcome = self.commands.run(command)
        if outcome == "quit":
            self.quit = True
        elif outcome == "shell":
            self.session.type_keys("\r")  # a fresh prompt after what the shell printed
            if self.front.asking:
                self.front.redraw()  # the runner's prompt (bash's waits)
        else:
            self.front.redraw()
        self.fresh = True


def _sequence_length(text: str, at: int) -> int:
    """How many characters after an Escape at ``at - 1`` belong to its key's sequence: an
    arrow or function key's ``[…`` (CSI, up to its final letter) or ``O…`` (SS3); none for
    Escape on its own."""
    if text[at : at + 1] == "O" and at + 1 < len(text):
        return 2
    if text[at : at + 1] != "[":
        return 0
    for end in range(at + 1, len(text)):
        if "@" <= text[end] <= "~":
            return end - at + 1
    return len(text) - at


def pump_tty(session: LearnerSession, front: PlainFrontEnd) -> None:
    """A terminal: raw keys to bash (and the learner's commands) until the lesson is
    complete, bash ends, input ends or the learner quits."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    front.raw = True
    keys = TerminalKeys(session, front, fd)
    try:
        shell = session.shell
        while not front.done.is_set() and not keys.quit and shell is not None and shell.alive:
            ready, _, _ = select.select([fd], [], [], 0.1)
            _follow_size(session, front)
            front.tick()
            if ready:
                data = os.read(fd, 1024)
                if not data:
                    break
                keys.feed(keys.decode(data))
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        front.raw = False
        front.say("\n")


def _follow_size(session: LearnerSession, front: PlainFrontEnd) -> None:
    """The terminal was resized: the shell's programs and the runner's text follow it."""
    try:
        columns, lines = os.get_terminal_size(sys.stdout.fileno())
    except OSError:  # output is not a terminal
        return
    if (lines, columns) != (session.rows, session.cols):
        session.resize(lines, columns)
        front.width = columns


def pump_lines(session: LearnerSession, front: PlainFrontEnd) -> None:
    """Line mode: each line of stdin is typed into the shell as a terminal would, then the
    mode waits for bash: back at its prompt (the command's verdict is in before the next
    line is read), at ``PS2`` (a here-document, a ``\\`` continuation, an open quote: the
    next line goes on with it), or a running command that asks (``cf login``'s email and
    password: the next line is its answer). A learner command (``:hint``) at the prompt is
    the runner's, not bash's."""
    state: ShellState = session.shell_state
    typed = time.monotonic()
    lines: Iterator[str] = stdin_lines(sys.stdin)  # never deaf to Ctrl-C while it waits

    def ask(question: str) -> str:
        front.say(f"\n{question} [y/N] ")
        answer = next(lines, "").strip()
        front.say(f"{answer}\n")
        return answer

    commands = LineCommands(session, front, ask)
    try:
        for raw in lines:
            line = raw.rstrip("\n")
            if state == "busy":
                state = _wait(session, front, typed)
                if state == "busy":  # a question: the line is its answer
                    typed = time.monotonic()
                    session.type_keys(line + "\r")
                    continue
            if state == "ready":
                session.settle()
            if front.done.is_set() or state == "gone" or not session.shell_alive:
                break
            if state == "ready" and not line.strip() and session.current_step.kind == "read":
                session.check_now()
                session.settle()
                continue
            command = parse(line) if state == "ready" else None
            if command is None and state == "ready" and front.asking:
                front.echo_line(line.strip())
                commands.answer(line)
                continue
            if command is not None:
                front.echo_line(line.strip())
                outcome = commands.run(command)
                if outcome == "quit":
                    break
                if outcome == "shell":
                    state = _wait(session, front, time.monotonic())
                continue
            typed = time.monotonic()
            session.type_keys(line + "\r")
            state = "busy"
        if state == "busy":
            state = _wait(session, front, typed)
        if state in ("busy", "more"):
            session.interrupt()  # it asks, or waits for more lines, and the input has ended
            _wait(session, front, time.monotonic())
        session.settle()
    except KeyboardInterrupt:
        # Ctrl-C reaches the running command, as in a terminal, so leaving does not wait
        # for it to end on its own
        if session.shell_state in ("busy", "more"):
            session.interrupt()
        raise


def _wait(session: LearnerSession, front: PlainFrontEnd, typed: float) -> ShellState:
    """Wait until bash is at a prompt (``ready``), at ``PS2`` (``more``) or gone, or until a
    running command, since the last line was ``typed``, printed part of a line and stayed
    silent, as a program waiting for an answer does (``busy``)."""
    while True:
        state = session.shell_state
        if state != "busy":
            return state
        now = time.monotonic()
        asking = front.mid_line and front.last_output_at > typed
        if asking and now - front.last_output_at >= PROMPT_QUIET:
            return "busy"
        front.tick()
        time.sleep(0.02)
