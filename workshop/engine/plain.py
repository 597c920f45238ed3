"""``workshop run --plain``: the workshop in a plain terminal, without the TUI.

For screen readers, slow links and scripting. It prints the step's text (Markdown rendered
as plain, wrapped text), then hands the learner's keyboard to the real shell (raw mode on a
terminal; line by line when input is a pipe, :mod:`workshop.engine.plain_input`). After each
command the step's checks run before the next prompt appears, their verdict is printed, and
a passing step moves on. Lines starting with ``:`` are the learner's commands to the runner
(``:hint``, ``:back`` …, :mod:`workshop.engine.plain_commands`). A quiz step is answered,
not run: its options are numbered, the runner shows its own prompt instead of bash's, and
what the learner types is graded as the answer (:mod:`workshop.engine.plain_quiz`). A
workshop's prerequisite that fails is said once, before the first step. In a classroom, the
instructor's messages and the connection's state are printed as they come. Progress is
kept, so running it again resumes where the learner left.

Exit status: 0 when the lesson is complete, 1 when input ends, the shell is left (``exit``)
or ``:quit`` is typed before that, 130 on Ctrl-C (SIGINT).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from typing import TYPE_CHECKING, TextIO

from workshop.engine import events as ev
from workshop.engine.pipe_text import PipeText
from workshop.engine.plain_quiz import PROMPT, question_lines, revealed
from workshop.engine.ports import LearnerSessionPort
from workshop.engine.terminal_markdown import render, render_inline, wrap

if TYPE_CHECKING:
    from workshop.engine.session import LearnerSession

RULE_WIDTH = 60
"""The widest a rule between steps gets."""
INCOMPLETE = 1
"""Exit status when the run ends before the lesson is complete."""
SLOW_START = 1.0
"""Seconds the first checks (a workshop's prerequisites) may take before the line mode says
what it is waiting for."""


class PlainFrontEnd:
    """Turns session events into lines of text on stdout.

    The verdict of a command is printed before the prompt that follows it: terminal output
    that arrives after a command ended is held back until its verdict is printed (the checks
    run on the session's worker, not on the shell's reader)."""

    def __init__(self, out: TextIO | None = None, width: int | None = None) -> None:
        self.out: TextIO = out or sys.stdout
        self.raw = False
        self.tty = self.out.isatty()
        """Output goes to a terminal (else a pipe or file: no colour, LF line ends)."""
        self.width = width or shutil.get_terminal_size((80, 24)).columns
        """Columns the runner's own text is wrapped to."""
        self.session: LearnerSessionPort | None = None
        self.done = threading.Event()
        self.last_output_at = 0.0
        """When the terminal last printed (monotonic clock)."""
        self.mid_line = False
        """True when the terminal's last output did not end a line (a prompt, perhaps)."""
        self.tail = ""
        """What the terminal printed since its last line end (the prompt, and what the
        learner typed after it): drawn again after the runner's own text interrupted it."""
        self.own_line = ""
        """What the runner itself echoes after the prompt (a ``:`` command being typed)."""
        self.pipe = PipeText()
        """Terminal output made fit for a file (used when output is not a terminal)."""
        self._lock = threading.RLock()
        self._waiting = 0
        """Commands ended whose verdict is not printed yet."""
        self._held: list[str] = []
        self._moving_on = False
        """A step just passed: hold the prompt until the next step (or the end) is shown."""
        self.classroom: str | None = None
        """The classroom connection's state as last said (None: not said, or no classroom)."""
        self.opening = True
        """Until :meth:`opened`: the first step and the terminal wait, so that a failing
        prerequisite (checked as the session starts) is said before them."""
        self._step_due = False
        """A step started while opening: shown by :meth:`opened`."""
        self.asking = False
        """The step shown is a quiz question: the learner's lines are answers, the runner's
        prompt is shown, and bash's output waits until a step of commands comes."""
        self.prerequisite = ""
        """The failing prerequisite last said in full (said once, not after every command)."""
        self.rechecking = False
        """The learner asked for a check (``:check``): a prerequisite still failing is said."""
        self._attempted = False
        """The last command that ended belonged to the step."""
        self._terminal_last = False
        """What the terminal printed was the last thing written (its prompt is on screen:
        nothing to draw again)."""

    # ------------------------------------------------------------------ writing

    def say(self, text: str) -> None:
        """Print a block of our own text (CRLF in raw mode)."""
        with self._lock:
            if not self.tty and self.pipe.interject() and not text.startswith("\n"):
                text = "\n" + text
            if self.raw:
                text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            self._terminal_last = False
            self.out.write(text)
            self.out.flush()

    def interject(self, text: str) -> None:
        """Say ``text`` on lines of its own wherever the terminal is (at a prompt, in the
        middle of a command's output), then draw the interrupted line again."""
        with self._lock:
            again = self.tty and (bool(self.own_line) or (self.mid_line and not self.asking))
            self.say(("\n" if again else "") + text.rstrip("\n") + "\n")
            if again:
                self.out.write(self.own_line if self.asking else self.tail + self.own_line)
                self.out.flush()

    def echo(self, text: str) -> None:
        """Keys the learner typed that the runner itself echoes (a ``:`` command)."""
        with self._lock:
            self._terminal_last = False
            self.out.write(text)
            self.out.flush()

    def echo_line(self, line: str) -> None:
        """A line the runner took for itself (a ``:`` command or an answer from a pipe),
        shown after the prompt as the terminal would have echoed it (on a quiz step, after
        the runner's own prompt)."""
        with self._lock:
            if self.asking:
                prompt = ("\n" if self.pipe.interject() else "") + PROMPT
            else:
                prompt = self.pipe.take_line()
            self.out.write(f"{'' if self.tty else prompt}{line}\n")
            self.out.flush()

    def redraw(self) -> None:
        """Draw the terminal's current line (the prompt) again after the runner's text; on
        a quiz step, the runner's own prompt, unless it is there already."""
        with self._lock:
            if not self.tty:
                return
            if self.asking:
                if not self.own_line:
                    self.own_line = PROMPT
                    self.out.write(PROMPT)
            elif not self._terminal_last:
                self.out.write(self.tail)
            self.out.flush()

    def tick(self) -> None:
        """Called while waiting for the learner: into a file, a prompt shows once the
        terminal is quiet."""
        if not self.tty and not self.asking:
            with self._lock:
                text = self.pipe.idle()
                if text:
                    self.out.write(text)
                    self.out.flush()

    def finish(self) -> None:
        """The run ends: the last line of a file is ended."""
        with self._lock:
            if not self.tty:
                self.out.write(self.pipe.end())
                self.out.flush()

    def _terminal(self, text: str) -> None:
        if not text:
            return
        self.last_output_at = time.monotonic()
        self.mid_line = not text.endswith("\n")
        at = text.rfind("\n")
        self.tail = text[at + 1 :] if at >= 0 else self.tail + text
        self._terminal_last = True
        self.out.write(text if self.tty else self.pipe.feed(text))
        self.out.flush()

    # ------------------------------------------------------------------ events

    def __call__(self, event: ev.Event) -> None:
        """The session's listener (also the classroom reporter's)."""
        with self._lock:
            self._handle(event)

    def _handle(self, event: ev.Event) -> None:
        if isinstance(event, ev.OutputReceived):
            if self._waiting or self.asking or self.opening:
                self._held.append(event.text)
            else:
                self._terminal(event.text)
        elif isinstance(event, ev.CommandFinished):
            self._waiting += 1
            self._attempted = event.attempt
        elif isinstance(event, ev.CheckCompleted):
            self.show_check(event)
            if event.passed and not event.review:
                self._moving_on = True  # the next step's text comes before the prompt
            else:
                self._release()
        elif isinstance(event, ev.StepStarted):
            if self.opening:
                self._step_due = True
                return
            self.show_step()
            if self._moving_on:
                self._moving_on = False
                self._release()
            else:
                self._flush_held()
        elif isinstance(event, ev.HintShown):
            question = self.session.current_step.question if self.session else None
            if event.solution and question is not None and self.asking:
                self.say("\nAnswer: " + revealed(question) + "\n")
            elif event.solution:
                self.say("\nSolution: " + event.text.replace("\n", "\n" + " " * 10) + "\n")
            else:
                self.say(
                    "\n" + self.paragraph(render_inline(event.text), "Hint: ", "      ") + "\n"
                )
        elif isinstance(event, ev.LessonCompleted):
            self.asking = False
            self.show_completed(event)
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
        elif isinstance(event, ev.Broadcast):
            self.interject(self.paragraph(f"Message from the instructor: {event.text}"))
        elif isinstance(event, ev.ClassroomStateChanged):
            said = classroom_line(event.state, self.classroom)
            if said is not None:
                self.classroom = event.state
                self.interject(self.paragraph(said))

    def _release(self) -> None:
        """One verdict is out: print what the terminal said meanwhile once none is awaited."""
        self._waiting = max(0, self._waiting - 1)
        self._flush_held()

    def _flush_held(self) -> None:
        """Print what the terminal said meanwhile, unless it must wait still (a verdict to
        come, a quiz question asked, the first step not shown yet)."""
        if self._waiting or self.asking or self.opening:
            return
        held, self._held = self._held, []
        for text in held:
            self._terminal(text)

    def opened(self) -> None:
        """The session has started and its first checks ran: the first step, then the
        terminal (the prompt) are shown."""
        with self._lock:
            self.opening = False
            if self._step_due:
                self._step_due = False
                self.show_step()
            self._flush_held()

    def paragraph(self, text: str, first: str = "", rest: str = "") -> str:
        """``text`` wrapped to the width, ``first`` before its first line, ``rest`` before
        the others."""
        return "\n".join(wrap(text, self.width, first, rest))

    # ------------------------------------------------------------------ screens

    def show_step(self) -> None:
        """The current step's heading, text and commands."""
        session = self.session
        if session is None:
            return
        step = session.step_view()
        self.asking = step.question is not None
        number = [s.id for s in session.lesson.steps].index(step.id) + 1
        total = len(session.lesson.steps)
        rule = "─" * min(RULE_WIDTH, self.width)
        title = "a question" if self.asking else step.title  # the question follows in full
        lines = [
            f"\n{rule}",
            self.paragraph(f"{session.lesson.title} — step {number} of {total}: {title}"),
            rule,
        ]
        text = render(step.text, self.width)
        if text:
            lines.append(text)
        status = session.step_status(step.id)
        if step.question is not None:
            lines.append("")
            lines.extend(question_lines(step.question, self.paragraph))
            if status in ("passed", "skipped"):
                lines.append(self.paragraph(f"(This question is {status}: :next goes on.)"))
            self.own_line = ""
            self.say("\n".join(lines) + "\n")
            self.redraw()
            return
        if status in ("passed", "skipped"):
            lines.append(self.paragraph(f"(This step is {status}: :next goes on.)"))
        elif step.kind == "read":
            lines.append(self.paragraph("(Press Enter on an empty line when you have read it.)"))
        else:
            lines.append(self.paragraph("(Stuck? :hint, :solution or :skip; :help lists more.)"))
        for command in step.commands:
            lines.append(f"    $ {command}")
        self.say("\n".join(lines) + "\n")

    def show_completed(self, event: ev.LessonCompleted) -> None:
        """The end of a lesson, and where to go on."""
        session = self.session
        title = session.lesson.title if session is not None else event.lesson_id
        nxt = (
            f" Next lesson: {event.next_lesson_id} "
            f"(workshop run --plain --lesson {event.next_lesson_id})."
            if event.next_lesson_id
            else " That was the last lesson."
        )
        rule = "─" * min(RULE_WIDTH, self.width)
        self.say(f"\n{rule}\n" + self.paragraph(f"Lesson complete: {title}.{nxt}") + "\n")

    def show_check(self, event: ev.CheckCompleted) -> None:
        """A check verdict, with what the learner can do next (nothing for a command that
        is not the step's own)."""
        if event.review:
            return
        if event.prerequisite:
            self.show_prerequisite(event)
            return
        quiz = self.asking and not event.results
        if event.passed:
            self.say("\n✔ Right.\n" if quiz and event.attempt else "\n✔ Step passed.\n")
            return
        if event.quiet:
            return
        if quiz and event.attempt:
            text = "Not quite. Try again, or :solution reveals the answer."
            self.say("\n" + self.paragraph(text, "✘ ", "  ") + "\n")
            return
        if event.pending:
            # part way; a check its author wrote may already see something off (the place)
            lines = [self.paragraph(f"… {event.pending}.")]
            if event.hint:
                lines.append(self.paragraph(render_inline(event.reason), "  But: ", "       "))
                lines.append(self.paragraph(render_inline(event.hint), "  Hint: ", "        "))
            self.say("\n" + "\n".join(lines) + "\n")
            return
        lines = [self.paragraph(render_inline(event.reason or "Not yet."), "✘ ", "  ")]
        if event.near_miss:
            lines.append(self.paragraph(render_inline(event.near_miss), "  ", "  "))
        if event.hint:
            lines.append(self.paragraph(render_inline(event.hint), "  Hint: ", "        "))
        if event.solution:
            lines.append("  Solution: " + event.solution.replace("\n", "\n            "))
        self.say("\n" + "\n".join(lines) + "\n")

    def show_prerequisite(self, event: ev.CheckCompleted) -> None:
        """A prerequisite fails: said in full once (and when the learner asks again with
        ``:check``); after a command of the step, a line says why it was not checked."""
        if event.reason != self.prerequisite:
            self.prerequisite = event.reason
            lines = [
                self.paragraph(render_inline(event.reason), "✘ ", "  "),
                self.paragraph(
                    "Your commands still run in bash meanwhile; once it is fixed, :check "
                    "checks again (your next command does too).",
                    "  ",
                    "  ",
                ),
            ]
            self.say("\n" + "\n".join(lines) + "\n")
        elif self.rechecking:
            self.say("\n" + self.paragraph(render_inline(event.reason), "✘ ", "  ") + "\n")
        elif self._attempted:
            self.say(
                "\n"
                + self.paragraph("Not checked: the prerequisite above is not met yet.", "✘ ", "  ")
                + "\n"
            )


def classroom_line(state: str, said: str | None) -> str | None:
    """What to tell the learner when the classroom connection becomes ``state``, given the
    state said last (None: nothing yet); None when there is nothing new to say."""
    if state == said or state == "connecting":
        return None
    if state == "online":
        if said == "offline":
            return "Classroom: connected again; what you did meanwhile is being sent."
        return "Classroom: joined; the instructor sees your progress."
    if state == "offline":
        return (
            "Classroom: cannot reach it; your progress is kept and sent once it is back."
            if said != "offline"
            else None
        )
    if state.startswith("rejected"):
        reason = state.partition(":")[2].strip() or "refused"
        return f"Classroom: not joined ({reason}). You can go on; nothing is sent."
    return None


def run_plain(args: argparse.Namespace) -> int:
    """Run the workshop in the plain front end until the lesson completes, input ends, the
    shell exits or the learner quits; the exit status says which (see the module)."""
    from workshop.engine.launch import open_session
    from workshop.engine.plain_input import pump_lines, pump_tty

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
    waiting = threading.Timer(
        SLOW_START, lambda: front.say("\nChecking the workshop's prerequisites…\n")
    )
    try:
        session.start()
        if session.workshop.prerequisites:
            waiting.start()
        session.settle()  # the check on resume comes before the learner types anything
        waiting.cancel()
        front.opened()
        if session.lesson_complete:
            # resumed on a lesson already done: say so and where to go on, instead of
            # waiting for commands that cannot change anything
            front(ev.LessonCompleted(session.lesson.id, session.next_lesson_id()))
            return 0
        if sys.stdin.isatty():
            pump_tty(session, front)
        else:
            pump_lines(session, front)
        if session.lesson_complete:
            return 0
        _say_where(session, front)
        return INCOMPLETE
    finally:
        waiting.cancel()
        front.finish()
        session.close()


def _say_where(session: LearnerSession, front: PlainFrontEnd) -> None:
    """The run ends before the lesson is complete: where the learner is, and how to go on."""
    steps = [s.id for s in session.lesson.steps]
    number = steps.index(session.current_step.id) + 1
    front.say(
        "\n"
        + front.paragraph(
            f"Stopped at step {number} of {len(steps)} of {session.lesson.title}; "
            "workshop run --plain goes on from there."
        )
        + "\n"
    )
