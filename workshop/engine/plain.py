"""``workshop run --plain``: the workshop in a plain terminal, without the TUI.

For screen readers, slow links and scripting. It prints the step's text, then hands the
learner's keyboard to the real shell (raw mode on a terminal; line by line when input is a
pipe). After each command the step's checks run before the next prompt appears, their
verdict is printed, and a passing step moves on. Progress is kept, so running it again
resumes where the learner left.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import sys
import threading
import time
from typing import TYPE_CHECKING, TextIO

from workshop.engine import events as ev
from workshop.engine.ports import LearnerSessionPort, ShellState

if TYPE_CHECKING:
    from workshop.engine.session import LearnerSession

RULE = "─" * 60


class PlainFrontEnd:
    """Turns session events into lines of text on stdout.

    The verdict of a command is printed before the prompt that follows it: terminal output
    that arrives after a command ended is held back until its verdict is printed (the checks
    run on the session's worker, not on the shell's reader)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out: TextIO = out or sys.stdout
        self.raw = False
        self.tty = self.out.isatty()
        """Output goes to a terminal (else a pipe or file: no colour, LF line ends)."""
        self.session: LearnerSessionPort | None = None
        self.done = threading.Event()
        self.completed = False
        self.last_output_at = 0.0
        """When the terminal last printed (monotonic clock)."""
        self.mid_line = False
        """True when the terminal's last output did not end a line (a prompt, perhaps)."""
        self._lock = threading.Lock()
        self._waiting = 0
        """Commands ended whose verdict is not printed yet."""
        self._held: list[str] = []
        self._moving_on = False
        """A step just passed: hold the prompt until the next step (or the end) is shown."""

    def say(self, text: str) -> None:
        """Print a block of our own text (CRLF in raw mode)."""
        if self.raw:
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        self.out.write(text)
        self.out.flush()

    def _terminal(self, text: str) -> None:
        if not text:
            return
        self.last_output_at = time.monotonic()
        self.mid_line = not text.endswith("\n")
        # into a pipe, the terminal's CRLF line ends become plain newlines
        self.out.write(text if self.tty else text.replace("\r\n", "\n"))
        self.out.flush()

    def __call__(self, event: ev.Event) -> None:
        """The session's listener."""
        with self._lock:
            self._handle(event)

    def _handle(self, event: ev.Event) -> None:
        if isinstance(event, ev.OutputReceived):
            if self._waiting:
                self._held.append(event.text)
            else:
                self._terminal(event.text)
        elif isinstance(event, ev.CommandFinished):
            self._waiting += 1
        elif isinstance(event, ev.CheckCompleted):
            self.show_check(event)
            if event.passed and not event.review:
                self._moving_on = True  # the next step's text comes before the prompt
            else:
                self._release()
        elif isinstance(event, ev.StepStarted):
            self.show_step()
            if self._moving_on:
                self._moving_on = False
                self._release()
        elif isinstance(event, ev.HintShown):
            label = "Solution" if event.solution else "Hint"
            text = event.text.replace("\n", "\n" + " " * (len(label) + 2))
            self.say(f"\n{label}: {text}\n")
        elif isinstance(event, ev.LessonCompleted):
            self.completed = True
            nxt = (
                f" Next lesson: {event.next_lesson_id} (workshop run --plain --lesson {event.next_lesson_id})."
                if event.next_lesson_id
                else ""
            )
            title = self.session.lesson.title if self.session is not None else event.lesson_id
            self.say(f"\n{RULE}\nLesson complete: {title}.{nxt}\n")
            if self._moving_on:
                self._moving_on = False
                self._release()
            self.done.set()
        elif isinstance(event, ev.StepSkipped):
            self.say("\n↷ Step skipped: its solution ran for you.\n")
        elif isinstance(event, ev.StepReset):
            self.say(f"\nStep reset ({event.lost_steps} passed step(s) to do again).\n")
        elif isinstance(event, ev.Notice):
            self.say(f"\n{event.text}\n")
        elif isinstance(event, ev.SessionProblem):
            self.say(f"\n[problem] {event.message}\n")
            self._release()

    def _release(self) -> None:
        """One verdict is out: print what the terminal said meanwhile once none is awaited."""
        self._waiting = max(0, self._waiting - 1)
        if not self._waiting:
            held, self._held = self._held, []
            for text in held:
                self._terminal(text)

    def show_step(self) -> None:
        """The current step's heading, text and commands."""
        session = self.session
        if session is None:
            return
        step = session.step_view()
        number = [s.id for s in session.lesson.steps].index(step.id) + 1
        total = len(session.lesson.steps)
        lines = [
            f"\n{RULE}",
            f"{session.lesson.title} — step {number} of {total}: {step.title}",
            RULE,
        ]
        text = _plain_markdown(step.text)
        if text:
            lines.append(text)
        if step.kind == "read":
            lines.append("(Press Enter on an empty line, or run `true`, when you have read it.)")
        else:
            lines.append("(Stuck? Ctrl+] at the prompt, or a line `:skip`, skips this step.)")
        for command in step.commands:
            lines.append(f"    $ {command}")
        self.say("\n".join(lines) + "\n")

    def show_check(self, event: ev.CheckCompleted) -> None:
        """A check verdict, with what the learner can do next (nothing for a command that
        is not the step's own)."""
        if event.review:
            return
        if event.passed:
            self.say("\n✔ Step passed.\n")
            return
        if event.quiet:
            return
        if event.pending:
            # part way; a check its author wrote may already see something off (the place)
            but = f"\n  But: {event.reason}\n  Hint: {event.hint}" if event.hint else ""
            self.say(f"\n… {event.pending}.{but}\n")
            return
        lines = [f"\n✘ {event.reason or 'Not yet.'}"]
        if event.near_miss:
            lines.append(f"  {event.near_miss}")
        if event.hint:
            lines.append(f"  Hint: {event.hint}")
        if event.solution:
            lines.append("  Solution: " + event.solution.replace("\n", "\n            "))
        self.say("\n".join(lines) + "\n")


def _plain_markdown(text: str) -> str:
    """Markdown prose made easy to read as plain text."""
    text = re.sub(r"^#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"```[^\n]*\n", "", text)
    return text.strip()


def run_plain(args: argparse.Namespace) -> int:
    """Run the workshop in the plain front end until the lesson completes or the shell exits."""
    from workshop.engine.launch import open_session

    front = PlainFrontEnd()
    size = os.get_terminal_size() if sys.stdout.isatty() else os.terminal_size((80, 24))
    session = open_session(
        args,
        listener=front,
        front_end="line mode",
        restart_shell=False,
        rows=size.lines,
        cols=size.columns,
        color=sys.stdout.isatty(),
    )
    front.session = session
    try:
        session.start()
        session.settle()  # the check on resume comes before the learner types anything
        if session.lesson_complete:
            # resumed on a lesson already done: say so and where to go on, instead of
            # waiting for commands that cannot change anything
            lessons = [lesson.id for lesson in session.workshop.lessons]
            position = lessons.index(session.lesson.id) + 1
            front(
                ev.LessonCompleted(
                    session.lesson.id, lessons[position] if position < len(lessons) else None
                )
            )
            return 0
        if sys.stdin.isatty():
            _pump_tty(session, front)
        else:
            _pump_lines(session, front)
    finally:
        session.close()
    return 0


def _pump_tty(session: LearnerSession, front: PlainFrontEnd) -> None:
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    front.raw = True
    try:
        shell = session.shell
        while not front.done.is_set() and shell is not None and shell.alive:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                data = os.read(fd, 1024)
                if not data:
                    break
                text = data.decode("utf-8", "replace")
                if text == SKIP_KEY and shell.at_prompt:
                    front.say(f"\n{SKIP_QUESTION} [y/N] ")
                    answer = os.read(fd, 16).decode("utf-8", "replace").strip().lower()
                    front.say(f"{answer}\n")
                    if answer in ("y", "yes"):
                        session.skip_step()
                    else:
                        front.say("Not skipped.\n")
                    session.type_keys("\r")  # a fresh prompt
                    continue
                if text == SHARE_KEY:
                    session.share_screen(None)  # the classroom's notice says what happened
                    continue
                if session.current_step.kind == "read" and text in ("\r", "\n") and shell.at_prompt:
                    session.check_now()
                session.type_keys(text)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        front.raw = False
        front.say("\n")


SKIP_KEY = "\x1d"
"""Ctrl+] at the prompt, in a terminal: skip the step (after asking)."""
SKIP_LINE = ":skip"
"""The line that skips the step (after asking) when input is piped."""
SHARE_KEY = "\x1e"
"""Ctrl+^ in a terminal: share the screen with the instructor, or stop (in a classroom)."""
SHARE_LINES = {":share": True, ":unshare": False}
"""The lines that do it when input is piped."""
SKIP_QUESTION = (
    "Skip this step? Its solution runs in your shell for you, and the step counts as "
    "skipped, not passed."
)

PROMPT_QUIET = 0.3
"""Seconds a running command must stay silent after printing part of a line before the
line mode takes it for a question (``Email>``, ``Password>``) and answers with the next line."""


def _pump_lines(session: LearnerSession, front: PlainFrontEnd) -> None:
    """Line mode: each line of stdin is typed into the shell as a terminal would, then the
    mode waits for bash: back at its prompt (the command's verdict is in before the next
    line is read), at ``PS2`` (a here-document, a ``\\`` continuation, an open quote: the
    next line goes on with it), or a running command that asks (``cf login``'s email and
    password: the next line is its answer)."""
    state: ShellState = session.shell_state
    typed = time.monotonic()
    lines = iter(sys.stdin)
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
            if state == "ready" and line.strip() == SKIP_LINE:
                front.say(f"\n{SKIP_QUESTION} [y/N] ")
                answer = next(lines, "").strip().lower()
                front.say(f"{answer}\n")
                if answer in ("y", "yes"):
                    session.skip_step()
                    session.settle()
                else:
                    front.say("Not skipped.\n")
                continue
            if state == "ready" and line.strip() in SHARE_LINES:
                session.share_screen(SHARE_LINES[line.strip()])
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
        time.sleep(0.02)
