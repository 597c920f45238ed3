"""``SessionChecks``: how a learner's session judges what they do.

Every command that ends in the shell gets exactly one verdict, on the check worker: whether
it is an attempt (a command of the step's own), the round of checks
(:func:`~workshop.engine.rounds.judge_round`), and the move on after a pass. The check on
resume looks once at the last command that never got its verdict. The session
(:class:`~workshop.engine.session.LearnerSession`) provides the parts this uses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from workshop.checking.attempts import is_attempt, matching_command
from workshop.checking.result import CheckContext
from workshop.checking.vocabulary import Vocabulary
from workshop.content.model import Step
from workshop.content.quiz import Grade, grade, revealed
from workshop.engine import events as ev
from workshop.engine.coach import Coach
from workshop.engine.evaluate import evaluate_prerequisites
from workshop.engine.ports import ProgressPort
from workshop.engine.resume import step_commands, unjudged_command
from workshop.engine.rounds import Round, check_context, judge_round
from workshop.engine.session_reads import SessionReads
from workshop.engine.worker import CheckWorker
from workshop.errors import UsageError
from workshop.shell.result import CommandResult


class SessionChecks(SessionReads):
    """The judging half of a learner's session."""

    store: ProgressPort
    vocabulary: Vocabulary
    coach: Coach
    worker: CheckWorker
    _lock: threading.RLock
    _internal: str | None
    _closed: bool

    def _emit(self, event: ev.Event) -> None:
        """Put ``event`` on the session's stream (the session does)."""
        raise NotImplementedError

    def _announce(self, event: ev.Event) -> None:
        """Show ``event`` now, keep it on the check worker (the session does)."""
        raise NotImplementedError

    def _passed(self, step: Step) -> None:
        """Move on after ``step`` passed (the session does)."""
        raise NotImplementedError

    def go_to(self, step_id: str) -> bool:
        """Move to an unlocked step of this lesson (the session does)."""
        raise NotImplementedError

    _prerequisites_met: bool
    """The workshop's prerequisites passed in this session (or it has none)."""

    _pace: Callable[[float], object] | None = None
    """What the work after a command waits for (see :meth:`pace_verdicts`)."""

    def pace_verdicts(self, wait: Callable[[float], object] | None) -> None:
        """Have what follows a command on the check worker (keeping it, judging it) first
        call ``wait(ended)``, ``ended`` being when the command ended (``time.monotonic``).

        A front end that draws output on a frame of its own (the TUI) waits there until it
        has shown the prompt that follows the command, with a bound of its own: judging
        takes the interpreter and starts the checks' processes right when that prompt is
        to be drawn. None: no wait (the line mode holds its prompt for the verdict)."""
        self._pace = wait

    def check_now(self) -> None:
        """Check the current step again (F3; marks a reading step read): its last attempt
        is judged again, not a command typed since that has nothing to do with the step
        (with none, the step's command is asked for)."""
        step = self.current_step
        self.worker.submit(lambda: self._check(self._last_attempt(step), step.id, ask=True))

    def _last_attempt(self, step: Step) -> CommandResult | None:
        """The last command run on ``step`` since it (re)started that belongs to it."""
        commands = self.step_view(step).commands
        for result in reversed(step_commands(self.store, self.workshop, self.lesson, step)):
            if is_attempt(result.command, commands, self.vocabulary):
                return result
        return None

    def _recall_commands_run(self) -> None:
        """Each unfinished multi-command step of the lesson knows again which of its commands
        ran since it (re)started, as stored: a restart or a visit to another lesson does not
        make the learner run them again ("3 of 4 commands done" goes on from where it was)."""
        for step in self.lesson.steps:
            if len(step.commands) < 2 or self.progress.done(step.id):
                continue
            ran = [r for r in step_commands(self.store, self.workshop, self.lesson, step)
                   if r.exit_code == 0]  # fmt: skip
            if not ran:
                continue
            commands = self.step_view(step).commands
            seen = self.progress.tally(step.id).seen
            for result in ran:
                index = matching_command(result.command, commands, self.vocabulary, self.env)
                if index is not None:
                    seen.add(index)

    def answer_quiz(self, answer: str | Sequence[str]) -> Grade:
        """Grade ``answer`` to the current quiz step: recorded as an attempt; a right answer
        passes the step. Raises ``UsageError`` when the step is no quiz."""
        with self._lock:
            step = self.current_step
            question = step.question
            if step.kind != "quiz" or question is None:
                raise UsageError(f"step '{step.id}' is not a quiz question")
            graded = grade(question, answer)
            shown = answer if isinstance(answer, str) else ", ".join(answer)
            self._emit(ev.QuizAnswered(self.lesson.id, step.id, shown.strip(), graded.right))
            if self.progress.done(step.id):
                self._emit(ev.CheckCompleted(step.id, graded.right, lesson_id=self.lesson.id,
                                             attempt=False, review=True))  # fmt: skip
                return graded
            tally = self.progress.tally(step.id)
            tally.count_round(attempt=True, failed=not graded.right)
            reason = "Right." if graded.right else "Not quite. Try again, or reveal the answer."
            self._emit(ev.CheckCompleted(step.id, graded.right, reason=reason,
                                         lesson_id=self.lesson.id, attempt=True))  # fmt: skip
            if graded.right:
                self._passed(step)
            return graded

    def reveal_answer(self) -> str:
        """The current quiz step's right answer, in words (shown as its solution)."""
        with self._lock:
            step = self.current_step
            if step.question is None:
                raise UsageError(f"step '{step.id}' is not a quiz question")
            text = revealed(step.question)
            self.progress.tally(step.id).hints_shown.add(-1)
            self._emit(ev.HintShown(step.id, text, True, self.lesson.id, -1))  # kept as seen
            return text

    def _check_prerequisites(self, step: Step) -> None:
        """At the start: run the prerequisites (on the check worker), so a learner whose
        machine lacks a tool hears it before the first step (not before a quiz question:
        answering needs no tool)."""
        with self._lock:
            if not self._closed and self.current_step.id == step.id and step.kind != "quiz":
                self._prerequisites(step)

    def _prerequisites(self, step: Step) -> bool:
        """Run the workshop's prerequisites until they pass once in this session; while one
        fails, it is the verdict (its ``#>`` message), and F3 or the next command re-checks."""
        if self._prerequisites_met or not self.workshop.prerequisites:
            return True
        verdict = evaluate_prerequisites(self.workshop.prerequisites, self._context())
        if verdict is None:
            self._prerequisites_met = True
            self._emit(ev.Notice("The workshop's prerequisites are met.", prerequisites_met=True))
            return True
        self._emit(ev.CheckCompleted(step.id, False, reason=f"Before you start: {verdict}",
                                     lesson_id=self.lesson.id, attempt=False,
                                     prerequisite=True))  # fmt: skip
        return False

    def _command_finished(self, result: CommandResult) -> None:
        """The shell's reader thread: a command ended at the prompt.

        The front end hears of it at once (the line mode holds the prompt that follows until
        the verdict); progress keeps it on the check worker, before the verdict, so that the
        reader goes straight on to that prompt instead of waiting for a committed write."""
        if self._internal is not None:  # the engine's own (see _internal_command)
            return
        follow = None if result.ended_shell else self._step_to_follow(result)
        if follow is not None:
            self.go_to(follow.id)
        with self._lock:
            step = self.current_step
            attempt = not result.ended_shell and is_attempt(
                result.command, self.step_view(step).commands, self.vocabulary
            )
            self.coach.saw(self.lesson.id, step.id, lambda: result.output)
        pace = self._pace
        if pace is not None and not result.ended_shell:
            ended = time.monotonic()

            def paced() -> None:
                pace(ended)

            self.worker.submit(paced)
        self._announce(ev.CommandFinished(result, self.lesson.id, step.id, attempt))
        if result.ended_shell:
            # `exit` (or a crash) ended bash: nothing to judge, and never an attempt
            self.worker.submit(lambda: self._emit(ev.CheckCompleted(
                step.id, False, lesson_id=self.lesson.id, attempt=False, quiet=True)))  # fmt: skip
            return
        self.worker.submit(lambda: self._check(result, step.id, attempt=attempt))

    def _step_to_follow(self, result: CommandResult) -> Step | None:
        """While the learner looks back at a done step, a command of the step still to do
        (and none of the one looked at) is work on that step: the session goes there, so
        the command counts for it and is judged there."""
        with self._lock:
            step, to_do = self.current_step, self.progress.first_open()
            if step is to_do or not self.progress.done(step.id) or self.progress.done(to_do.id):
                return None
            env = self._context().env
            here = matching_command(result.command, self.step_view(step).commands,
                                    self.vocabulary, env)  # fmt: skip
            there = matching_command(result.command, self.step_view(to_do).commands,
                                     self.vocabulary, env)  # fmt: skip
            return to_do if here is None and there is not None else None

    def _resume_check(self) -> None:
        """On resume, check the current step once with the last command run on it since it
        (re)started: a command that finished just before a crash is not lost. It counts as
        the attempt it was when it belongs to the step and no verdict was kept for it."""
        step = self.current_step
        result, unjudged = unjudged_command(self.store, self.workshop, self.lesson, step)
        attempt = (
            result is not None
            and unjudged
            and is_attempt(result.command, self.step_view(step).commands, self.vocabulary)
        )
        self._check(result, step.id, attempt=attempt, quiet=True)

    def _check(self, result: CommandResult | None, step_id: str, **how: bool) -> None:
        """Judge the current step and move on when it passed (runs on the check worker);
        ``how``: ``attempt``, ``ask``, ``quiet`` (see :class:`~workshop.engine.rounds.Round`)."""
        with self._lock:
            step = self.current_step
            if step.id != step_id or self._closed:
                # the learner moved on before the verdict: this command judged nothing
                self._emit(ev.CheckCompleted(step_id, False, lesson_id=self.lesson.id,
                                             attempt=False, quiet=True))  # fmt: skip
                return
            if self.progress.done(step.id):
                self._emit(
                    ev.CheckCompleted(step.id, True, reason="This step is already done.",
                                      lesson_id=self.lesson.id, attempt=False, review=True)
                )  # fmt: skip
                return
            if step.kind == "quiz":  # answered, not run: the prerequisites are the pages'
                self._emit(ev.CheckCompleted(step.id, False, lesson_id=self.lesson.id,
                                             reason="Answer the question to go on.",
                                             attempt=False, quiet=result is not None))  # fmt: skip
                return
            if not self._prerequisites(step):
                return
            view = self.step_view(step)
            matched = (
                matching_command(
                    result.command, view.commands, self.vocabulary, self._context().env
                )
                if result is not None
                else None
            )
            if view.checks:
                self.foundation.before_checks()
            event = judge_round(
                view,
                self.lesson.id,
                self.progress.tally(step.id),
                check_context(self._context(), view, result),
                self.coach,
                Round(result, matched, **how),
            )
            self._emit(event)
            if event.passed:
                self._passed(step)

    def _context(self) -> CheckContext:
        """What every check sees: the shell's environment and folder as of its last prompt."""
        shell = self.shell
        env = dict(shell.env) if shell is not None and shell.env else dict(self.env)
        return CheckContext(
            env=env,
            cwd=(shell.cwd if shell is not None else None) or self.cwd,
            variables={k: v for k, v in self.values.items() if k in self.workshop.variables},
            mode=self.mode,
        )
