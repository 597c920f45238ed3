"""``LearnerSession``: one learner working through one workshop, headless.

It owns the learner's shell (a ``ShellSession``), the offline mock's environment in mock
mode, the checks that gate each step, the hints, the progress store and the classroom
reporter. Front ends give it a ``listener`` and render the events it emits
(``workshop.engine.events``); they never touch the shell, checks or store themselves.

Threads: the shell's reader thread reports each finished command; checks then run on one
worker thread (so output keeps streaming), or inline with ``sync_checks=True`` (the plain
runner wants results printed before the next prompt). Listener calls come from either.
"""

from __future__ import annotations

import os
import shlex
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from workshop import paths
from workshop.content.model import Lesson, Step, Workshop
from workshop.engine import events as ev
from workshop.engine.steps import (
    default_check_passes,
    matching_command,
    normalise_command,
    rendered_step,
    template_values,
)
from workshop.errors import WorkshopError

Listener = Callable[[Any], None]

ACKNOWLEDGE = frozenset({"true", ":"})
"""Commands that mark a read step as read (what the plain runner tells the learner to run)."""


class LearnerSession:
    """A learner's run through a workshop: shell, checks, hints, progress, classroom."""

    def __init__(
        self,
        workshop: Workshop,
        lesson_id: str | None = None,
        *,
        live: bool = False,
        listener: Listener | None = None,
        store: Any = None,
        reporter: Any = None,
        settings: dict[str, str] | None = None,
        rows: int = 24,
        cols: int = 80,
        sync_checks: bool = False,
        mock_home: Path | None = None,
        fresh: bool = False,
        color: bool = True,
    ) -> None:
        self.workshop = workshop
        self.live = live
        self.listener = listener or (lambda event: None)
        self.reporter = reporter
        self.rows, self.cols = rows, cols
        self.sync_checks = sync_checks
        self.values = template_values(workshop, settings, live)
        self.mock_home = mock_home or paths.mock_home(workshop.id)
        self.fresh = fresh
        self.color = color
        """False when the terminal output goes to a pipe: the mock then prints no colour."""
        if store is None:
            from workshop.progress import ProgressStore

            store = ProgressStore()
        self.store = store
        self.lesson: Lesson = workshop.lesson(lesson_id) if lesson_id else workshop.lessons[0]
        self._requested_lesson = lesson_id
        self.step_index = 0
        self.passed: set[str] = set()
        self.failures: dict[str, int] = {}
        self.commands_seen: dict[str, set[int]] = {}
        self.shell: Any = None
        self.env: dict[str, str] = {}
        self.cwd: Path | None = None
        self._hints: dict[str, Any] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checks")
        self._lock = threading.RLock()
        self._last: Any = None
        self._internal: str | None = None

    # ------------------------------------------------------------------ life cycle

    @property
    def mode(self) -> str:
        """``mock`` or ``live``."""
        return "live" if self.live else "mock"

    @property
    def current_step(self) -> Step:
        """The step the learner is on."""
        return self.lesson.steps[self.step_index]

    def start(self) -> None:
        """Resume (or begin) the workshop, prepare the mock and start the shell."""
        position = self.store.position(self.workshop.id)
        self._resume()
        self.env, self.cwd = self._environment(reset=self._needs_reset(position))
        from workshop.shell import ShellSession

        self.shell = ShellSession(
            env=self.env,
            cwd=self.cwd,
            rows=self.rows,
            cols=self.cols,
            on_output=lambda text: self.listener(ev.OutputReceived(text)),
            on_command_finished=self._command_finished,
        )
        self._report("joined", steps=[s.id for s in self.lesson.steps], title=self.lesson.title)
        self._enter_step(checkpoint=True)
        self.shell.start()

    def close(self) -> None:
        """End the shell and the worker; safe to call twice."""
        if self.shell is not None:
            self.shell.close()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._report("left")
        if self.reporter is not None:
            self.reporter.close()

    def _environment(self, reset: bool) -> tuple[dict[str, str], Path]:
        if self.live:
            return dict(os.environ), Path.cwd()
        from workshop.engine.mockshell import mock_shell_environment

        return mock_shell_environment(
            self.workshop, self.lesson, self.mock_home, self.values, reset=reset, color=self.color
        )

    def _needs_reset(self, position: tuple[str, str] | None) -> bool:
        """Start the mock from the lesson's own state: when asked, when it has never run,
        or when the learner jumps to a lesson they have not begun (continuing from the
        lesson before keeps the foundation they built)."""
        if self.live:
            return False
        if self.fresh or not (self.mock_home / "state.json").exists():
            return True
        progress = self.store.steps(self.workshop.id)
        started = any(p.lesson == self.lesson.id for p in progress)
        here = position is not None and position[0] == self.lesson.id
        return not started and not here and not self._follows_a_finished_lesson(progress)

    def _follows_a_finished_lesson(self, progress: list[Any]) -> bool:
        """True when the lesson before this one is complete: its foundation is where this
        lesson begins, so the learner's own one is kept."""
        lessons = self.workshop.lessons
        index = lessons.index(self.lesson)
        if index == 0:
            return False
        before = lessons[index - 1]
        passed = {p.step for p in progress if p.lesson == before.id and p.status == "passed"}
        return all(step.id in passed for step in before.steps)

    def _resume(self) -> None:
        position = self.store.position(self.workshop.id)
        if self._requested_lesson is None and position:
            lesson_id, step_id = position
            try:
                self.lesson = self.workshop.lesson(lesson_id)
            except WorkshopError:
                return
        self.passed = self._passed_in_store()
        ids = [step.id for step in self.lesson.steps]
        for index, step_id in enumerate(ids):
            if step_id not in self.passed:
                self.step_index = index
                break
        else:
            self.step_index = len(ids) - 1

    def _passed_in_store(self) -> set[str]:
        return {
            p.step
            for p in self.store.steps(self.workshop.id)
            if p.lesson == self.lesson.id and p.status == "passed"
        }

    # ------------------------------------------------------------------ steps

    def step_status(self, step_id: str) -> str:
        """``passed``, ``current`` or ``locked``."""
        if step_id in self.passed:
            return "passed"
        return "current" if step_id == self.current_step.id else "locked"

    def step_view(self, step: Step | None = None) -> Step:
        """A step with templates rendered, for display."""
        return rendered_step(step or self.current_step, self.values)

    def unlocked(self, step_id: str) -> bool:
        """A learner may visit passed steps and the first one not yet passed."""
        return step_id in self.passed or step_id == self._first_open().id

    def _first_open(self) -> Step:
        for step in self.lesson.steps:
            if step.id not in self.passed:
                return step
        return self.lesson.steps[-1]

    def go_to(self, step_id: str) -> bool:
        """Move to an unlocked step of this lesson; False when it is locked."""
        if not self.unlocked(step_id):
            return False
        with self._lock:
            self.step_index = [s.id for s in self.lesson.steps].index(step_id)
        self._enter_step(checkpoint=False)
        return True

    def switch_lesson(self, lesson_id: str) -> None:
        """Start (or resume) another lesson. Going on to the next lesson keeps the mock
        foundation as the learner left it; jumping to a lesson not yet begun starts the
        mock from that lesson's own starting state."""
        target = self.workshop.lesson(lesson_id)
        lessons = [lesson.id for lesson in self.workshop.lessons]
        following = lessons.index(self.lesson.id) + 1
        continuing = (
            self.lesson_complete and following < len(lessons) and lessons[following] == lesson_id
        )
        self.lesson = target
        self._requested_lesson = lesson_id
        self.passed = self._passed_in_store()
        self.step_index = 0
        self._resume()
        started = any(p.lesson == lesson_id for p in self.store.steps(self.workshop.id))
        if not self.live and not continuing and not started:
            self._environment(reset=True)
            if self.shell is not None and self.cwd is not None:
                self._internal_command(f"cd {shlex.quote(str(self.cwd))}")
        self._enter_step(checkpoint=True)

    def _enter_step(self, checkpoint: bool) -> None:
        step = self.current_step
        self.store.start_step(self.workshop.id, self.lesson.id, step.id)
        if checkpoint and not self.live and step.id not in self.passed:
            self.store.checkpoint(self.workshop.id, self.lesson.id, step.id, self.mock_home)
        self._report(
            "step_started", steps=[s.id for s in self.lesson.steps], title=self.lesson.title
        )
        self.listener(ev.StepStarted(self.lesson.id, step.id))

    def reset_step(self) -> None:
        """Rewind the mock to the start of the current step and forget its attempts."""
        step = self.current_step
        self.failures.pop(step.id, None)
        self.commands_seen.pop(step.id, None)
        self._hints.pop(step.id, None)
        # the restore keeps the working folder and swaps what is inside, so the shell
        # standing in it sees the rewound files at once
        self.store.reset_step(
            self.workshop.id, self.lesson.id, step.id, None if self.live else self.mock_home
        )
        self.passed = self._passed_in_store()
        self.store.start_step(self.workshop.id, self.lesson.id, step.id)
        self.listener(ev.StepStarted(self.lesson.id, step.id))

    def run_line(self, command: str, timeout: float | None = 120) -> Any:
        """Type a command into the shell as the learner would and wait for it to end."""
        return self.shell.run(command, timeout=timeout)

    def paste_command(self) -> str:
        """The next command of the current step the learner has not run yet."""
        step = self.step_view()
        seen = self.commands_seen.get(step.id, set())
        for index, command in enumerate(step.commands):
            if index not in seen:
                return command
        return step.commands[0] if step.commands else ""

    # ------------------------------------------------------------------ hints

    def _hint_book(self, step: Step) -> Any:
        from workshop.checking.feedback import HintBook

        if step.id not in self._hints:
            self._hints[step.id] = HintBook(self.step_view(step))
        return self._hints[step.id]

    def next_hint(self) -> str | None:
        """The next hint of the current step (None when there is none left)."""
        step = self.current_step
        output = self._last.output if self._last is not None else ""
        picked = self._hint_book(step).next_hint(output)
        text = picked[1].text if picked else None
        if picked and text:
            self.store.record_hint(self.workshop.id, self.lesson.id, step.id, picked[0], text)
            self._report("hint_shown", hint=text)
            self.listener(ev.HintShown(step.id, text))
        return text

    def solution(self) -> str:
        """The solution of the current step (its commands unless the lesson gives one)."""
        step = self.current_step
        text = self._hint_book(step).solution()
        self.store.record_hint(self.workshop.id, self.lesson.id, step.id, -1, text)
        self._report("hint_shown", hint="[solution] " + text)
        self.listener(ev.HintShown(step.id, text, solution=True))
        return text

    def request_help(self, message: str = "") -> None:
        """Raise a hand in the classroom."""
        self._report("help_requested", message=message[:500])

    # ------------------------------------------------------------------ checking

    def check_now(self) -> Future[ev.CheckCompleted] | ev.CheckCompleted:
        """Run the current step's checks without a new command (a read step: acknowledge)."""
        return self._schedule(None)

    def _internal_command(self, command: str) -> None:
        """Run a command of the engine's own in the shell; it is neither recorded nor checked."""
        self._internal = command
        try:
            self.shell.run(command, timeout=10)
        finally:
            self._internal = None

    def _command_finished(self, result: Any) -> None:
        if self._internal is not None and result.command.strip() == self._internal:
            return
        step = self.current_step
        self._last = result
        self.store.record_command(
            self.workshop.id,
            self.lesson.id,
            step.id,
            result.command,
            result.exit_code,
            result.output,
            result.started_at,
            result.ended_at,
        )
        self.listener(ev.CommandFinished(result, step.id))
        # the reporter keeps the output only when the instructor asked for it
        self._report(
            "command_run", command=result.command, exit_code=result.exit_code, output=result.output
        )
        if self.shell is not None and not self.shell.alive:
            return  # the command ended the shell (`exit`): the learner leaves, nothing to check
        self._schedule(result)

    def _schedule(self, result: Any) -> Any:
        if self.sync_checks:
            return self._check(result)
        return self._pool.submit(self._check_safely, result)

    def _check_safely(self, result: Any) -> ev.CheckCompleted | None:
        try:
            return self._check(result)
        except Exception as exc:  # a broken check must not kill the worker
            self.listener(ev.SessionProblem(f"checks could not run: {exc}"))
            return None

    def _check(self, result: Any) -> ev.CheckCompleted:
        with self._lock:
            step = self.current_step
            if step.id in self.passed:
                # a step already passed stays passed: commands run while reviewing it, or after
                # the lesson is complete, neither fail it nor complete the lesson again
                done = ev.CheckCompleted(step.id, True, reason="This step is already done.")
                self.listener(done)
                return done
            view = self.step_view(step)
            command = result.command if result is not None else ""
            exit_code = result.exit_code if result is not None else None
            output = result.output if result is not None else ""
            matched = matching_command(command, view.commands) if result is not None else None
            if matched is not None and exit_code == 0:
                self.commands_seen.setdefault(step.id, set()).add(matched)
            outcome = self._evaluate(view, command, exit_code, output, acknowledged=result is None)
            if outcome.results:
                self.store.record_checks(self.workshop.id, self.lesson.id, step.id, outcome.results)
            if outcome.passed:
                self._pass(step)
            else:
                self.listener(outcome)
            return outcome

    def _evaluate(
        self, view: Step, command: str, exit_code: int | None, output: str, acknowledged: bool
    ) -> ev.CheckCompleted:
        from workshop.checking import CheckContext, run_checks

        if view.kind == "read":
            # acknowledged from the front end, or by `true` as the plain runner suggests
            passed = acknowledged or (exit_code == 0 and normalise_command(command) in ACKNOWLEDGE)
            return ev.CheckCompleted(
                view.id, passed, reason="" if passed else "Read the text, then mark it as done."
            )
        if not view.checks:
            passed = default_check_passes(view, command, exit_code, self.commands_seen.get(view.id))
            reason = "" if passed else self._default_reason(view, command, exit_code)
            results: list[Any] = []
        else:
            if not self.live:
                from workshop.mock.router import ensure_router

                ensure_router(self.mock_home)  # it may have stopped after an idle spell
            context = CheckContext(
                env=self.env,
                cwd=self._shell_cwd(),
                variables={k: v for k, v in self.values.items() if k in self.workshop.variables},
                mode=self.mode,
                command=command,
                exit_code=exit_code,
                output=output,
                step_id=view.id,
            )
            results = run_checks(view, context)
            passed = bool(results) and all(r.status in ("pass", "warn") for r in results)
            failing = [r for r in results if r.status not in ("pass", "warn")]
            reason = failing[0].reason if failing else ""
            if failing and failing[0].status == "error":
                reason = "The check itself failed (not your fault): " + reason
        if passed:
            return ev.CheckCompleted(view.id, True, results)
        seen = self.commands_seen.get(view.id, set())
        if (
            len(view.commands) > 1
            and command
            and matching_command(command, view.commands) is not None
            and len(seen) < len(view.commands)
        ):
            return ev.CheckCompleted(
                view.id,
                False,
                results,
                pending=f"{len(seen)} of {len(view.commands)} commands done",
            )
        return self._failed(view, results, reason, command, output, counted=bool(command))

    def _shell_cwd(self) -> Path | None:
        """Where the learner's shell is now (checks look at files from there)."""
        cwd = getattr(self.shell, "cwd", None) if self.shell is not None else None
        return Path(cwd) if cwd else self.cwd

    def _default_reason(self, view: Step, command: str, exit_code: int | None) -> str:
        if not command:
            return "Run the step's command first."
        if exit_code not in (0, None):
            return f"The command exited with status {exit_code}."
        return "That is not the command this step asks for."

    def _failed(
        self, view: Step, results: list[Any], reason: str, command: str, output: str, counted: bool
    ) -> ev.CheckCompleted:
        from workshop.checking.feedback import closest_near_miss

        near = closest_near_miss(command, view.commands) if command and view.commands else None
        hint_text = None
        solution = None
        if counted:
            self.failures[view.id] = self.failures.get(view.id, 0) + 1
            book = self._hint_book(view)
            picked = book.on_failure(output)
            hint_text = picked[1].text if picked else None
            if picked and hint_text:
                self.store.record_hint(
                    self.workshop.id, self.lesson.id, view.id, picked[0], hint_text
                )
                self._report("hint_shown", hint=hint_text)
            if book.solution_due:
                solution = book.solution()
        kind = (
            "check_error"
            if any(getattr(r, "status", "") == "error" for r in results)
            else "check_failed"
        )
        self._report(kind, reason=reason[:500])
        return ev.CheckCompleted(
            view.id,
            False,
            results,
            reason=reason,
            near_miss=near,
            hint=hint_text,
            solution=solution,
        )

    def _pass(self, step: Step) -> None:
        self.passed.add(step.id)
        self.store.pass_step(self.workshop.id, self.lesson.id, step.id)
        self._report("check_passed")
        self._report("step_completed")
        self.listener(ev.CheckCompleted(step.id, True))
        ids = [s.id for s in self.lesson.steps]
        index = ids.index(step.id)
        following = next((i for i in range(index + 1, len(ids)) if ids[i] not in self.passed), None)
        if following is None:
            following = next((i for i in range(len(ids)) if ids[i] not in self.passed), None)
        if following is None:
            lessons = [lesson.id for lesson in self.workshop.lessons]
            position = lessons.index(self.lesson.id)
            upcoming = lessons[position + 1] if position + 1 < len(lessons) else None
            self.listener(ev.StepUnlocked(step.id, None))
            self.listener(ev.LessonCompleted(self.lesson.id, upcoming))
            return
        self.step_index = following
        self.listener(ev.StepUnlocked(step.id, ids[following]))
        self._enter_step(checkpoint=True)

    @property
    def lesson_complete(self) -> bool:
        """True when every step of the current lesson has passed."""
        return all(step.id in self.passed for step in self.lesson.steps)

    # ------------------------------------------------------------------ classroom

    def _report(self, kind: str, **fields: Any) -> None:
        if self.reporter is None:
            return
        try:
            self.reporter.report(
                kind, lesson=self.lesson.id, step=self.current_step.id, time=time.time(), **fields
            )
        except Exception as exc:  # the classroom must never break the learner's session
            self.listener(ev.SessionProblem(f"classroom: {exc}"))
