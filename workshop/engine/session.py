"""``LearnerSession``: one learner working through one workshop, headless; the orchestrator.

It wires the parts and holds no policy of its own: the learner's shell
(:class:`~workshop.engine.ports.ShellPort`), the foundation (mock or live,
:mod:`workshop.engine.foundation`), the position and tallies (:class:`LessonProgress`), the
verdict (:func:`~workshop.engine.evaluate.evaluate_step`), hints (``HintBook``), and one
typed event stream (:mod:`workshop.engine.events`) that the front end, the progress
recorder and the classroom feed all subscribe to (:mod:`workshop.engine.recorders`).

Threads: the shell's reader thread reports each finished command; its checks then always
run on the one check worker, so output keeps streaming and verdicts come in command order.
:meth:`settle` waits for the verdicts of everything finished so far (the line mode uses it).
Listener calls come from either thread.
"""

from __future__ import annotations

import shlex
import threading
from contextlib import AbstractContextManager
from pathlib import Path

from workshop import paths
from workshop.checking.vocabulary import Vocabulary
from workshop.content.model import Action, Lesson, Step, Workshop
from workshop.engine import events as ev
from workshop.engine.answers import PromptAnswerer, answers_for
from workshop.engine.coach import Coach
from workshop.engine.foundation import LiveFoundation, MockFoundation
from workshop.engine.holder import Hold, hold
from workshop.engine.learner_shell import open_learner_shell
from workshop.engine.lesson_progress import LessonProgress
from workshop.engine.lifecycle import piece_lines, rendered_action, solve_lines
from workshop.engine.mockshell import workshop_tools
from workshop.engine.ports import (
    FoundationPort,
    ProgressPort,
    ReporterPort,
    ShellPort,
    ShellState,
)
from workshop.engine.recorders import ClassroomFeed, ProgressRecorder
from workshop.engine.resume import load_progress, prepare
from workshop.engine.session_checks import SessionChecks
from workshop.engine.shell_templates import ShellTemplates
from workshop.engine.steps import template_values
from workshop.engine.vocabulary import vocabulary_for
from workshop.engine.watch import ContentWatcher
from workshop.engine.worker import CheckWorker
from workshop.errors import WorkshopError
from workshop.shell.errors import ShellError
from workshop.shell.result import CommandResult

SOLVE_TIMEOUT = 300.0
"""Seconds a command of a skipped step's solve may run (a push takes a while)."""


def _ignore(event: ev.Event) -> None:
    """The listener of a session nobody watches."""


class LearnerSession(SessionChecks):
    """A learner's run through a workshop: shell, foundation, checks, hints, progress."""

    def __init__(
        self,
        workshop: Workshop,
        lesson_id: str | None = None,
        *,
        live: bool = False,
        listener: ev.Listener | None = None,
        store: ProgressPort | None = None,
        reporter: ReporterPort | None = None,
        settings: dict[str, str] | None = None,
        rows: int = 24,
        cols: int = 80,
        mock_home: Path | None = None,
        fresh: bool = False,
        color: bool = True,
        front_end: str = "headless",
        vocabulary: Vocabulary | None = None,
        restart_shell: bool = True,
        watch: bool = False,
    ) -> None:
        self.workshop = workshop
        self.live = live
        self.listener: ev.Listener = listener or _ignore
        """The front end's subscriber (set before :meth:`start`)."""
        self.reporter = reporter
        self.rows, self.cols = rows, cols
        self.values = template_values(workshop, settings, live)
        """Template values: settings over the workshop's variables over this environment."""
        self._own = set(template_values(workshop, settings, live, environ={}))
        """The names the workshop and the learner's settings define (the shell cannot)."""
        self._shell_templates = ShellTemplates()
        self._prerequisites_met = False
        self._foundation_ready = False
        self.mock_home = mock_home or paths.mock_home(workshop.id)
        self.fresh = fresh
        self.front_end = front_end
        """Named to another process that finds the workshop held (``TUI``, ``line mode``)."""
        self.restart_shell = restart_shell
        """Start a new bash when the learner's ends (``exit``); the line mode ends instead."""
        if store is None:
            from workshop.progress import ProgressStore

            store = ProgressStore()
        self.store: ProgressPort = store
        self.foundation: FoundationPort = (
            LiveFoundation(workshop, store)
            if live
            else MockFoundation(workshop, self.mock_home, store, self.values, color=color)
        )
        self._vocabulary = vocabulary
        self._recorders: list[ev.Listener] = [ProgressRecorder(store, workshop.id)]
        if reporter is not None:
            self._recorders.append(ClassroomFeed(reporter))
            reporter.resize(rows, cols)
        self._requested = lesson_id
        first = workshop.lesson(lesson_id) if lesson_id else workshop.lessons[0]
        self.progress = LessonProgress(first)
        self.shell: ShellPort | None = None
        self.env: dict[str, str] = {}
        self.cwd: Path | None = None
        self.coach = Coach(store, workshop.id, lambda: self.vocabulary)
        self.worker = CheckWorker(
            lambda exc: self._emit(ev.SessionProblem(f"checks could not run: {exc}"))
        )
        self._lock = threading.RLock()
        self._internal: str | None = None
        self._hold: Hold | None = None
        self._closed = False
        self.answerer = PromptAnswerer(lambda data: self._shell().write(data))
        """Answers the prompts a solve or a setup meets (``answers:``)."""
        self._pending: list[Action | None] = []
        """Lifecycle pieces (setups, cleanups) waiting for the shell."""
        self._checkpoint_due: tuple[Lesson, Step] | None = None
        """The step whose start is saved once the pending pieces ran."""
        self._watcher: ContentWatcher | None = None
        if watch:
            roots = [workshop.root] + ([workshop.checks_dir] if workshop.checks_dir else [])
            self._watcher = ContentWatcher(roots, lambda: self.worker.submit(self.reload))

    @property
    def vocabulary(self) -> Vocabulary:
        """What the checker knows of the workshop's tools, made when first needed (not while
        the session starts: every command line of the course is parsed for it). The check
        worker makes it while the first command runs (:meth:`_command_started`), so the
        reader thread finds it made when that command ends."""
        with self._lock:
            if self._vocabulary is None:
                self._vocabulary = vocabulary_for(self.workshop)
            return self._vocabulary

    @vocabulary.setter
    def vocabulary(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Resume (or begin) the workshop: hold it, prepare the foundation, start the shell,
        and check the current step once (a command finished just before a crash counts)."""
        self._hold = hold(self.workshop.id, self.front_end)
        try:
            requested = self.workshop.lesson(self._requested) if self._requested else None
            ready = prepare(self.store, self.workshop, self.foundation, requested, fresh=self.fresh)
            self.progress, self.env, self.cwd = ready.progress, ready.env, ready.cwd
            self._recall_commands_run()
            resumed = ready.resumed
            if ready.begun:  # the lesson starts from its start: its setup runs first
                self._pending.append(self.lesson.setup)
            ids = tuple(s.id for s in self.lesson.steps)
            finished = self.store.steps(self.workshop.id)
            done, skipped = (
                tuple(f"{s.lesson}/{s.step}" for s in finished if s.status == status)
                for status in ("passed", "skipped")
            )
            self._emit(
                ev.SessionStarted(
                    self.lesson.id, self.current_step.id, ids, self.lesson.title, done, skipped
                )
            )
            self._enter_step(checkpoint=True)  # the step is shown before the first prompt
            self._start_shell(resumed or ready.continued)  # continued: in the last folder
            self.foundation.shell_started()
        except BaseException:
            self._hold.release()
            raise
        self._pending = [
            rendered_action(a, self.shown_values()) if a is self.lesson.setup else a
            for a in self._pending
        ]
        self._run_pending()
        if resumed and self.current_step.kind != "read" and not self.lesson_complete:
            self.worker.submit(self._resume_check)
        elif self.workshop.prerequisites and not self.lesson_complete:
            step = self.current_step
            self.worker.submit(lambda: self._check_prerequisites(step))
        if self._watcher is not None:
            self._watcher.start()

    def reload(self) -> None:
        """Read the workshop's content again (``--watch``: an author saved a file); the
        learner stays on the same step, and the screen shows the new text and checks."""
        from workshop.content import load_workshop

        try:
            fresh = load_workshop(self.workshop.root, strict=False)
            lesson = fresh.lesson(self.lesson.id)
        except WorkshopError as exc:  # a page that does not parse, a lesson gone
            self._emit(ev.Notice(f"Could not reload the lesson: {exc}"))
            return
        with self._lock:
            self.workshop = fresh
            self._vocabulary = None
            self.coach = Coach(self.store, fresh.id, lambda: self.vocabulary)
            self.progress.replace_lesson(lesson)
        problems = f" ({len(fresh.problems)} problem(s): `workshop lint`)" if fresh.problems else ""
        self._emit(ev.Notice(f"Reloaded {lesson.title}{problems}."))
        self._enter_step(checkpoint=False)

    def _start_shell(self, resumed: bool) -> None:
        shell, notice = open_learner_shell(
            self.workshop.id,
            self.env,
            self.cwd or Path.cwd(),
            (self.rows, self.cols),
            resumed=resumed,
            restart=self.restart_shell,
            on_output=self._output,
            on_command_started=self._command_started,
            on_command_finished=self._command_finished,
            on_restarted=self._shell_restarted,
        )
        self.shell = shell
        if notice:
            self._emit(ev.Notice(notice))

    def close(self) -> None:
        """End the shell and the worker, say goodbye to the classroom; safe to call twice.
        The hold on the workshop goes whatever else fails."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._watcher is not None:
                self._watcher.stop()
            if self.shell is not None:
                self.shell.close()
            self.worker.shutdown()
            self._emit(ev.SessionEnded(self.lesson.id, self.current_step.id))
            if self.reporter is not None:
                self.reporter.close()
            self.foundation.close()
        finally:
            if self._hold is not None:
                self._hold.release()

    def settle(self, timeout: float | None = 60) -> None:
        """Wait until every command finished so far has its verdict."""
        self.worker.settle(timeout)

    # ------------------------------------------------------------------ events

    def _emit(self, event: ev.Event) -> None:
        """Put ``event`` on the stream: recorders first (so progress is kept before anything
        is shown), then the front end. A failing subscriber never breaks the session."""
        self._record(event)
        self.listener(event)

    def _announce(self, event: ev.Event) -> None:
        """Put ``event`` on the stream from the shell's reader thread: the front end now, the
        recorders on the check worker (before any verdict asked after this), so a committed
        write never holds up the output that follows."""
        self.worker.submit(lambda: self._record(event))
        self.listener(event)

    def _record(self, event: ev.Event) -> None:
        """Hand ``event`` to the recorders (a failing one is reported, never raised)."""
        for recorder in self._recorders:
            try:
                recorder(event)
            except Exception as exc:
                if not isinstance(event, ev.SessionProblem):
                    self.listener(ev.SessionProblem(f"{type(recorder).__name__}: {exc}"))

    # ------------------------------------------------------------------ progress

    def _load_progress(self, lesson: Lesson, at: str | None = None) -> LessonProgress:
        """The lesson's position and tallies as the store has them."""
        return load_progress(self.store, self.workshop, lesson, at)

    def _enter_step(self, checkpoint: bool) -> None:
        step = self.current_step
        first = self.store.step_status(self.workshop.id, self.lesson.id, step.id).status
        if checkpoint and not self.progress.done(step.id):
            if first == "locked":  # the step begins for the first time: its setup runs
                self._pending.append(self.step_view(step).setup)
            # saved once the setups ran (at start, once the shell runs): a reset comes back
            # to what they made, as they do not run again
            self._checkpoint_due = (self.lesson, step)
            self._run_pending()
        ids = tuple(s.id for s in self.lesson.steps)
        self._emit(ev.StepStarted(self.lesson.id, step.id, ids, self.lesson.title))

    def _lesson_piece(self, action: Action | None) -> None:
        """Queue a lesson's ``setup`` or ``cleanup`` (rendered as shown now)."""
        self._pending.append(rendered_action(action, self.shown_values()))
        self._run_pending()

    def _run_pending(self) -> None:
        """Run the queued lifecycle pieces in the learner's shell, once it runs; a piece that
        fails is said, and the rest still run."""
        lines = [line for action in self._pending for line in piece_lines(action, self.workshop)]
        if lines and (self.shell is None or not self.shell.alive):
            return
        self._pending = []
        for line in lines:
            try:
                with self._answering():
                    done = self._internal_command(line, timeout=SOLVE_TIMEOUT)
            except ShellError as exc:
                self._emit(ev.SessionProblem(f"`{line}` could not run: {exc}"))
                continue
            if done.exit_code != 0:
                self._emit(ev.SessionProblem(f"`{line}` exited {done.exit_code}"))
        due, self._checkpoint_due = self._checkpoint_due, None
        if due is not None:
            self.foundation.checkpoint_step(*due)

    # ------------------------------------------------------------------ moving around

    def go_to(self, step_id: str) -> bool:
        """Move to an unlocked step of this lesson; False when it is locked."""
        with self._lock:
            if not self.progress.go_to(step_id):
                return False
        self._enter_step(checkpoint=False)
        return True

    def switch_lesson(self, lesson_id: str) -> None:
        """Leave this lesson (its foundation is kept) for another: its own foundation comes
        back if the learner was there before; going on from a finished lesson to the next
        keeps the foundation as it is; any other lesson starts from its own start state."""
        target = self.workshop.lesson(lesson_id)
        with self._lock:
            continuing = self.lesson_complete and self.next_lesson_id() == lesson_id
            never = not any(p.lesson == lesson_id for p in self.store.steps(self.workshop.id))
            self.foundation.leave_lesson(self.lesson)
            entry = self.foundation.enter_lesson(target, continuing=continuing)
            self.progress = self._load_progress(target)
            self._recall_commands_run()
        shell = self.shell
        if entry != "continued" and shell is not None and self.cwd not in (None, shell.cwd):
            # back to the lesson's folder; typed into the learner's terminal, so only when
            # the learner is elsewhere
            self._internal_command(f"cd {shlex.quote(str(self.cwd))}")
        if never and entry != "restored":  # the lesson begins: its setup runs first
            self._lesson_piece(target.setup)
        self._enter_step(checkpoint=True)

    def reset_step(self) -> None:
        """Rewind the foundation to the start of the current step; it and the steps after
        it are to do again."""
        with self._lock:
            step = self.current_step
            lost = sum(
                1 for s in self.progress.ids[self.progress.index :] if s in self.progress.passed
            )
            self.foundation.rewind_step(self.lesson, step)
            self.coach.forget(self.lesson.id, self.progress.ids[self.progress.index :])
            self.progress = self._load_progress(self.lesson, step.id)
        self._emit(ev.StepReset(self.lesson.id, step.id, lost))
        self._enter_step(checkpoint=False)

    def skip_step(self) -> bool:
        """Run the current step's solve for the learner (its ``solve``, else its
        ``test_commands``, else its commands, typed in their terminal) and move on: the step
        is skipped, not passed.
        False (with a ``SessionProblem``) when a command of the solve fails, or the step is
        done already."""
        with self._lock:
            step = self.current_step
            if self.progress.done(step.id):
                return False
            view = self.step_view(step)
        for command in solve_lines(view, self.workshop):
            with self._answering():
                result = self._internal_command(command, timeout=SOLVE_TIMEOUT)
            if result.exit_code != 0:
                self._emit(
                    ev.SessionProblem(
                        f"The step's solution did not work here: `{command}` exited "
                        f"{result.exit_code}; the step is not skipped."
                    )
                )
                return False
        with self._lock:
            following = self.progress.mark_skipped(step.id)
        self._emit(ev.StepSkipped(self.lesson.id, step.id))
        self._emit(ev.StepUnlocked(step.id, following, self.lesson.id, skipped=True))
        self._moved_on(step, following)
        return True

    def commands_run(self) -> frozenset[int]:
        """Which of the current step's commands ran since it (re)started, by index."""
        return frozenset(self.progress.tally(self.current_step.id).seen)

    def paste_command(self) -> str:
        """The next command of the current step the learner has not run yet."""
        step = self.step_view()
        seen = self.progress.tally(step.id).seen
        for index, command in enumerate(step.commands):
            if index not in seen:
                return command
        return step.commands[0] if step.commands else ""

    # ------------------------------------------------------------------ the terminal

    def run_line(self, command: str, timeout: float | None = 120) -> CommandResult:
        """Type a command into the shell as the learner would and wait for it to end."""
        self._foundation_answering()
        return self._shell().run(command, timeout=timeout)

    def type_keys(self, data: str) -> None:
        """Keys the learner typed in the terminal pane (never held up: the session holds the
        app router's port its shell was given, and a ``curl`` waits there while the router
        starts)."""
        self._shell().write(data)

    def _foundation_answering(self) -> None:
        """Before the first command reaches bash: the foundation answers (a learner's first
        ``curl`` must find the mock's app router, or its port held for it)."""
        if not self._foundation_ready:
            self.foundation.before_checks()
            self._foundation_ready = True

    def interrupt(self) -> None:
        """Ctrl-C for the running command."""
        self._shell().interrupt()

    @property
    def shell_alive(self) -> bool:
        """True while the learner's bash runs."""
        return self.shell is not None and self.shell.alive

    @property
    def shell_state(self) -> ShellState:
        """``ready`` (at its prompt), ``more`` (at ``PS2``: the command goes on over the next
        line), ``busy`` (a command runs, or bash has not answered the keys yet) or ``gone``."""
        shell = self.shell
        if shell is None or not shell.alive:
            return "gone"
        if shell.at_prompt:
            return "ready"
        return "more" if shell.at_continuation else "busy"

    def resize(self, rows: int, cols: int) -> None:
        """The terminal pane's new size."""
        self.rows, self.cols = rows, cols
        if self.shell is not None:
            self.shell.resize(rows, cols)
        if self.reporter is not None:
            self.reporter.resize(rows, cols)

    def _shell(self) -> ShellPort:
        if self.shell is None:
            from workshop.shell import ShellClosed

            raise ShellClosed("the shell is not started")
        return self.shell

    def finished_lessons(self) -> frozenset[str]:
        """The lessons whose every step the learner passed or skipped (the lesson lists
        mark them)."""
        done: dict[str, set[str]] = {}
        for row in self.store.steps(self.workshop.id):
            if row.status in ("passed", "skipped"):
                done.setdefault(row.lesson, set()).add(row.step)
        if self.progress.complete:  # the current lesson as the session has it
            done[self.lesson.id] = {step.id for step in self.lesson.steps}
        return frozenset(
            lesson.id
            for lesson in self.workshop.lessons
            if lesson.steps and {step.id for step in lesson.steps} <= done.get(lesson.id, set())
        )

    def _internal_command(self, command: str, timeout: float = 10) -> CommandResult:
        """Run a command of the engine's own in the shell; it is neither recorded nor checked.

        Every command that ends while it runs is the engine's: a piece of several lines
        (a setup, a ``for`` loop) ends as several commands, none of them equal to the piece.
        A learner's command still running first ends as the learner's."""
        shell = self._shell()
        shell.wait_idle(timeout)
        self._internal = command
        try:
            return shell.run(command, timeout=timeout)
        finally:
            self._internal = None

    def _command_started(self, command: str) -> None:
        """The reader thread: a command started. The first one has the check worker make
        the vocabulary its end will need (the reader would otherwise make it between the
        command's last output and the prompt)."""
        if self._vocabulary is None:
            self.worker.submit(self._make_vocabulary)

    def _make_vocabulary(self) -> None:
        _ = self.vocabulary
        # and what the first verdict imports (not imported at start: see evaluate.py)
        from workshop.checking import runner  # noqa: F401

    def _output(self, text: str) -> None:
        """What the terminal printed (the shell's reader thread)."""
        self.answerer.feed(text)
        self._emit(ev.OutputReceived(text))

    def _answering(self) -> AbstractContextManager[object]:
        """While a solve or a setup runs: its prompts get the workshop's answers."""
        cf_mocked = not self.live and "cf" in workshop_tools(self.workshop)
        answers = answers_for(self.workshop, self.lesson, self.shown_values(), cf_mocked)
        return self.answerer.active(answers)

    def _shell_restarted(self, status: int) -> None:
        cwd = self.shell.cwd if self.shell is not None else None
        self._emit(ev.ShellRestarted(status, str(cwd or self.cwd or "")))

    # ------------------------------------------------------------------ hints

    def next_hint(self) -> str | None:
        """The next hint of the current step (None when there is none left)."""
        step = self.current_step
        tally = self.progress.tally(step.id)
        picked = self.coach.next_hint(self.lesson.id, self.step_view(step), tally.failures)
        if picked is None:
            return None
        index, text = picked
        tally.hints_shown.add(index)
        self._emit(ev.HintShown(step.id, text, False, self.lesson.id, index))
        return text

    def solution(self) -> str:
        """The solution of the current step (its commands unless the lesson gives one)."""
        step = self.current_step
        tally = self.progress.tally(step.id)
        text = self.coach.solution(self.lesson.id, self.step_view(step), tally.failures)
        tally.hints_shown.add(-1)
        self._emit(ev.HintShown(step.id, text, True, self.lesson.id, -1))
        return text

    def request_help(self, message: str = "") -> None:
        """Raise a hand in the classroom."""
        self._emit(ev.HelpRequested(self.lesson.id, self.current_step.id, message[:500]))

    def share_screen(self, on: bool | None = None) -> bool | None:
        """Share the screen with the instructor (None: toggle); the new state, None
        outside a classroom."""
        return None if self.reporter is None else self.reporter.share_screen(on)

    def _passed(self, step: Step) -> None:
        following = self.progress.mark_passed(step.id)
        self._emit(ev.StepUnlocked(step.id, following, self.lesson.id))
        self._moved_on(step, following)

    def _moved_on(self, step: Step, following: str | None) -> None:
        """After a pass or a skip: the step's cleanup, then the next step (its setup), or the
        lesson's cleanup and its end."""
        self._pending.append(self.step_view(step).cleanup)
        self._run_pending()
        if following is None:
            self._lesson_piece(self.lesson.cleanup)
            self._emit(ev.LessonCompleted(self.lesson.id, self.next_lesson_id()))
            return
        self._enter_step(checkpoint=True)
