"""A stand-in for ``LearnerSession`` for tests that need a deterministic screen.

Snapshots cannot hold a real bash (its prompt carries temporary paths, timings vary), so
this session replays a fixed transcript and emits the engine's own event types
(``workshop.engine.events``) exactly when the test says. It loads the real bundled
workshop, renders steps with the real template code, and records what the TUI wrote to
its "shell", so tests can assert on the keys that reached it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workshop.content import load_workshop, templates
from workshop.content.model import Step
from workshop.engine import events as ev
from workshop.engine.steps import rendered_step

FROZEN_WORKSHOP = Path(__file__).resolve().parent / "fixtures" / "12factor"
"""A frozen copy of the bundled workshop (see fixtures/README.md): snapshots stay put."""


class RecordingShell:
    """Collects what the TUI writes, and the sizes it asks for."""

    def __init__(self) -> None:
        self.written: list[str] = []
        self.sizes: list[tuple[int, int]] = []

    def write(self, data: str) -> None:
        self.written.append(data)

    def resize(self, rows: int, cols: int) -> None:
        self.sizes.append((rows, cols))


class TranscriptSession:
    """The session's shape (see ``workshop.engine.session``) over a fixed transcript."""

    def __init__(self, lesson_id: str = "dev-prod-parity", live: bool = False) -> None:
        self.workshop = load_workshop(FROZEN_WORKSHOP)
        self.lesson = self.workshop.lesson(lesson_id)
        self.live = live
        self.values = templates.variables(self.workshop.variables, environ={})
        self.listener: Any = lambda event: None
        self.rows, self.cols = 24, 80
        self.shell: RecordingShell | None = None
        self.step_index = 0
        self.passed: set[str] = set()
        self.failures: dict[str, int] = {}
        self.checks_requested = 0
        self.reporter: object | None = None
        self.help_requests: list[str] = []
        self.closed = False

    @property
    def current_step(self) -> Step:
        return self.lesson.steps[self.step_index]

    def start(self) -> None:
        self.shell = RecordingShell()
        self.listener(ev.StepStarted(self.lesson.id, self.current_step.id))

    def close(self) -> None:
        self.closed = True

    def step_status(self, step_id: str) -> str:
        if step_id in self.passed:
            return "passed"
        return "current" if step_id == self.current_step.id else "locked"

    def step_view(self, step: Step | None = None) -> Step:
        return rendered_step(step or self.current_step, self.values)

    def unlocked(self, step_id: str) -> bool:
        """As the engine: passed steps, and the first one not passed yet."""
        first_open = next((s.id for s in self.lesson.steps if s.id not in self.passed), None)
        return step_id in self.passed or step_id == first_open

    def go_to(self, step_id: str) -> bool:
        if not self.unlocked(step_id):
            return False
        self.step_index = [s.id for s in self.lesson.steps].index(step_id)
        self.listener(ev.StepStarted(self.lesson.id, step_id))
        return True

    def paste_command(self) -> str:
        commands = self.step_view().commands
        return commands[0] if commands else ""

    def check_now(self) -> None:
        self.checks_requested += 1

    def next_hint(self) -> str | None:
        text = "Spell the space name exactly as the lesson does."
        self.listener(ev.HintShown(self.current_step.id, text))
        return text

    def solution(self) -> str:
        text = "; ".join(self.step_view().commands)
        self.listener(ev.HintShown(self.current_step.id, text, solution=True))
        return text

    def request_help(self, message: str = "") -> None:
        self.help_requests.append(message)

    def reset_step(self) -> None:
        self.failures.pop(self.current_step.id, None)
        self.listener(ev.StepStarted(self.lesson.id, self.current_step.id))

    def switch_lesson(self, lesson_id: str) -> None:
        self.lesson = self.workshop.lesson(lesson_id)
        self.step_index = 0
        self.listener(ev.StepStarted(self.lesson.id, self.current_step.id))

    # --- what the test makes happen ------------------------------------------------------

    def output(self, text: str) -> None:
        """The terminal printed ``text``."""
        self.listener(ev.OutputReceived(text))

    def fail(self, command: str, reason: str, near_miss: str | None, hint: str | None) -> None:
        """The learner ran ``command`` and the step's check failed."""
        step = self.current_step
        self.failures[step.id] = self.failures.get(step.id, 0) + 1
        self.listener(ev.CommandFinished(_Result(command, 1), step.id))
        self.listener(ev.CheckCompleted(step.id, False, [], reason, near_miss, hint))

    def succeed(self, command: str) -> None:
        """The learner ran ``command`` and the step passed (moving on as the engine does)."""
        step = self.current_step
        self.listener(ev.CommandFinished(_Result(command, 0), step.id))
        self.passed.add(step.id)
        self.listener(ev.CheckCompleted(step.id, True))
        ids = [s.id for s in self.lesson.steps]
        following = next((i for i, s in enumerate(ids) if s not in self.passed), None)
        if following is None:
            self.listener(ev.StepUnlocked(step.id, None))
            self.listener(ev.LessonCompleted(self.lesson.id, None))
            return
        self.step_index = following
        self.listener(ev.StepUnlocked(step.id, ids[following]))
        self.listener(ev.StepStarted(self.lesson.id, ids[following]))


class _Result:
    """The parts of ``workshop.shell.CommandResult`` the TUI reads."""

    def __init__(self, command: str, exit_code: int) -> None:
        self.command = command
        self.exit_code = exit_code
        self.output = ""
