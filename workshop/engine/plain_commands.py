"""The learner's commands to the line mode: ``:hint``, ``:back``, ``:quit`` …

What the TUI puts on function keys, the line mode takes as a line starting with ``:`` and a
word, typed at the shell's prompt. No bash command looks like that (``:`` is bash's no-op
builtin, but ``:hint`` is no command at all), so they never collide with the learner's own
commands; a line such as ``: > file`` or ``:`` alone still goes to bash. The same commands
serve both inputs: a terminal (the runner reads the line after a ``:`` typed at an empty
prompt) and a pipe (a script's line). On a quiz step, a line that is no such command is the
learner's answer (:meth:`LineCommands.answer`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from workshop.engine.plain_quiz import read_answer

if TYPE_CHECKING:
    from workshop.engine.plain import PlainFrontEnd
    from workshop.engine.session import LearnerSession

Outcome = Literal["done", "shell", "quit"]
"""After a command: nothing else to do, the shell ran something (a fresh prompt is due), or
the learner leaves."""

COMMAND = re.compile(r":([A-Za-z]+)(?:\s+(.*))?")
HELP = [
    (":hint", "the next hint for this step"),
    (":solution", "the step's solution (on a question: its answer)"),
    (":check", "check the step again (a reading step: mark it read)"),
    (":next, :back", "the next or previous step (done steps stay open)"),
    (":step", "this step's text again"),
    (":skip", "skip the step: its solution runs for you (asks first)"),
    (":reset", "start the step again, foundation included (asks first)"),
    (":lessons [N]", "list the lessons; with a number or id, go to that lesson"),
    (":hand [text]", "raise your hand in a classroom"),
    (":share, :unshare", "show your screen to the instructor, or stop (in a classroom)"),
    (":quit", "leave (progress is kept); exit or Ctrl-D at the prompt too"),
]
"""``:help``'s lines."""
KEYS = (
    "In a terminal, Ctrl+] at the prompt skips the step too, and Ctrl+^ shares your screen"
    " with the instructor (or stops)."
)
SKIP_QUESTION = (
    "Skip this step? Its solution runs in your shell for you, and the step counts as "
    "skipped, not passed."
)
SKIP_QUESTION_QUIZ = "Skip this question? It counts as skipped, not passed."


@dataclass(frozen=True)
class LineCommand:
    """A learner command: its word (lower case) and the rest of the line."""

    name: str
    argument: str = ""


def parse(line: str) -> LineCommand | None:
    """The learner command ``line`` is, or None when it goes to bash."""
    match = COMMAND.fullmatch(line.strip())
    if match is None:
        return None
    return LineCommand(match[1].lower(), (match[2] or "").strip())


class LineCommands:
    """Runs learner commands against the session; the front end prints what they cause."""

    def __init__(
        self, session: LearnerSession, front: PlainFrontEnd, ask: Callable[[str], str]
    ) -> None:
        self.session = session
        self.front = front
        self.ask = ask
        """Ask the learner a yes/no question; returns the answer as typed."""

    def run(self, command: LineCommand) -> Outcome:
        """Do what ``command`` asks; unknown words are answered with the list."""
        handlers: dict[str, Callable[[str], Outcome]] = {
            "help": self._help,
            "hint": self._hint,
            "solution": self._solution,
            "check": self._check,
            "step": self._step,
            "next": self._next,
            "back": self._back,
            "skip": self._skip,
            "reset": self._reset,
            "lessons": self._lessons,
            "lesson": self._lessons,
            "hand": self._hand,
            "share": lambda _: self.share(True),
            "unshare": lambda _: self.share(False),
            "quit": self._quit,
        }
        handler = handlers.get(command.name)
        if handler is None:
            self._say(f"No command :{command.name}. :help lists them.")
            return "done"
        return handler(command.argument)

    def _say(self, text: str) -> None:
        self.front.say("\n" + self.front.paragraph(text) + "\n")

    def _confirm(self, question: str) -> bool:
        return self.ask(question).strip().lower() in ("y", "yes")

    # ------------------------------------------------------------------ the commands

    def _help(self, _: str) -> Outcome:
        width = max(len(name) for name, _ in HELP) + 2
        lines = [self.front.paragraph(text, name.ljust(width), " " * width) for name, text in HELP]
        self.front.say("\nCommands (a line starting with :)\n" + "\n".join(lines))
        self._say(KEYS)
        return "done"

    def _hint(self, _: str) -> Outcome:
        if self.session.next_hint() is None:
            none = not self.session.step_view().hints
            text = "This step has no hints" if none else "No more hints for this step"
            self._say(f"{text}: :solution shows the solution.")
        return "done"

    def answer(self, line: str) -> Outcome:
        """``line``, typed on a quiz step, is the learner's answer: graded (the session's
        verdict is printed as it comes), or said why it answers nothing."""
        session = self.session
        step = session.current_step
        if step.question is None:
            return "done"
        try:
            answer = read_answer(step.question, line)
        except ValueError as exc:
            self._say(str(exc))
            return "done"
        done = session.step_status(step.id) in ("passed", "skipped")
        graded = session.answer_quiz(answer)
        session.settle()
        if done:
            verdict = "Right" if graded.right else "Not quite"
            self._say(f"{verdict}. This question is done already: :next goes on.")
        return "done"

    def _solution(self, _: str) -> Outcome:
        if self.session.current_step.question is not None:
            self.session.reveal_answer()
        else:
            self.session.solution()
        return "done"

    def _check(self, _: str) -> Outcome:
        self.front.rechecking = True
        try:
            self.session.check_now()
            self.session.settle()
        finally:
            self.front.rechecking = False
        return "done"

    def _step(self, _: str) -> Outcome:
        self.front.show_step()
        return "done"

    def _next(self, _: str) -> Outcome:
        return self._move(+1)

    def _back(self, _: str) -> Outcome:
        return self._move(-1)

    def _move(self, delta: int) -> Outcome:
        session = self.session
        ids = [s.id for s in session.lesson.steps]
        index = ids.index(session.current_step.id) + delta
        if not 0 <= index < len(ids):
            where = "first" if delta < 0 else "last"
            self._say(f"This is the lesson's {where} step.")
            return "done"
        if not session.unlocked(ids[index]):
            self._say("The next step opens once this one is done (or :skip it).")
            return "done"
        session.go_to(ids[index])
        return "done"

    def _skip(self, _: str) -> Outcome:
        session = self.session
        if session.step_status(session.current_step.id) in ("passed", "skipped"):
            self._say("This step is done already.")
            return "done"
        quiz = session.current_step.question is not None
        if not self._confirm(SKIP_QUESTION_QUIZ if quiz else SKIP_QUESTION):
            self._say("Not skipped.")
            return "done"
        session.skip_step()
        session.settle()
        return "shell"

    def _reset(self, _: str) -> Outcome:
        session = self.session
        ids = [s.id for s in session.lesson.steps]
        later = ids[ids.index(session.current_step.id) :]
        lost = sum(1 for s in later if session.step_status(s) in ("passed", "skipped"))
        what = f" {lost} done step(s) from here on are to do again." if lost else ""
        question = f"Start this step again, with the foundation as it was when it began?{what}"
        if not self._confirm(question):
            self._say("Not reset.")
            return "done"
        session.reset_step()
        return "done"

    def _lessons(self, argument: str) -> Outcome:
        session = self.session
        lessons = session.workshop.lessons
        if not argument:
            finished = session.finished_lessons()
            lines = [
                f"{'▶' if lesson.id == session.lesson.id else ' '} {n}. {lesson.title}"
                + ("  (done)" if lesson.id in finished else "")
                for n, lesson in enumerate(lessons, 1)
            ]
            self.front.say(f"\nLessons of {session.workshop.title}\n" + "\n".join(lines) + "\n")
            self._say(":lessons N goes to lesson N (your progress in this one is kept).")
            return "done"
        ids = [lesson.id for lesson in lessons]
        target = (
            ids[int(argument) - 1]
            if argument.isdigit() and 0 < int(argument) <= len(ids)
            else argument
        )
        if target not in ids:
            self._say(f"No lesson {argument}: :lessons lists them.")
            return "done"
        if target == session.lesson.id:
            self._say("You are in that lesson.")
            return "done"
        session.switch_lesson(target)
        return "shell"

    def _hand(self, argument: str) -> Outcome:
        session = self.session
        if not session.in_classroom:
            self._say(
                "You are not in a classroom (workshop run --classroom URL --code CODE "
                "--name NAME joins one)."
            )
            return "done"
        state = self.front.classroom or ""
        if state.startswith("rejected"):
            self._say("No hand raised: the classroom did not let you join.")
            return "done"
        # the classroom's notice says the hand is up (and that the screen is now shared)
        session.request_help(argument or f"stuck on {session.step_title(session.current_step)}")
        return "done"

    def share(self, on: bool | None) -> Outcome:
        """Share the screen with the instructor, stop (``False``) or toggle (``None``)."""
        if not self.session.in_classroom:
            self._say("You are not in a classroom: there is no instructor to share with.")
            return "done"
        self.session.share_screen(on)  # the classroom's notice says what happened
        return "done"

    def _quit(self, _: str) -> Outcome:
        return "quit"
