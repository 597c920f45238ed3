"""A stand-in for ``LearnerSession`` for tests that need a deterministic screen.

Snapshots cannot hold a real bash (its prompt carries temporary paths, timings vary), so
this session replays a fixed transcript and emits the engine's own event types
(``workshop.engine.events``) exactly when the test says. It loads the real bundled
workshop, renders steps with the real template code, and records what the TUI wrote to
its "shell", so tests can assert on the keys that reached it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from workshop.content import load_workshop, templates
from workshop.content.model import Lesson, Step
from workshop.content.quiz import Grade, grade, revealed
from workshop.engine import events as ev
from workshop.engine.lesson_progress import LessonProgress, LessonSummary, summarise
from workshop.engine.ports import LearnerSessionPort, StepStatus
from workshop.engine.steps import rendered_step
from workshop.errors import UsageError
from workshop.shell.result import CommandResult

FROZEN_WORKSHOP = Path(__file__).resolve().parent / "fixtures" / "12factor"
"""A frozen copy of the bundled workshop (see fixtures/README.md): snapshots stay put."""
QUIZ_UNIT = Path(__file__).resolve().parent / "fixtures" / "quiz_unit"
"""A unit in the classic layout with a page and a quiz of each question type."""


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
    """The session's shape (``workshop.engine.ports.LearnerSessionPort``) over a fixed
    transcript; the position rules are the engine's own ``LessonProgress``."""

    def __init__(
        self, lesson_id: str = "dev-prod-parity", live: bool = False, root: Path = FROZEN_WORKSHOP
    ) -> None:
        self.workshop = load_workshop(root)
        self.progress = LessonProgress(self.workshop.lesson(lesson_id))
        self.live = live
        self.values = templates.variables(self.workshop.variables, environ={})
        self.listener: ev.Listener = lambda event: None
        self.rows, self.cols = 24, 80
        self.shell: RecordingShell | None = None
        self.checks_requested = 0
        self.reporter: object | None = None
        self.help_requests: list[str] = []
        self.shares: list[bool | None] = []
        """What each ``share_screen`` call asked (None: toggle)."""
        self.pace: Callable[[float], object] | None = None
        """What the front end asked the session's verdicts to wait for."""
        self.closed = False

    @property
    def lesson(self) -> Lesson:
        return self.progress.lesson

    @property
    def current_step(self) -> Step:
        return self.progress.current

    @property
    def passed(self) -> set[str]:
        return self.progress.passed

    @property
    def host_suffix(self) -> str:
        return self.values.get("HOST_SUFFIX", "") or ""

    @property
    def in_classroom(self) -> bool:
        return self.reporter is not None

    @property
    def lesson_complete(self) -> bool:
        return self.progress.complete

    def start(self) -> None:
        # as the engine does: the step is shown before the shell is up
        self.listener(ev.StepStarted(self.lesson.id, self.current_step.id))
        self.shell = RecordingShell()

    def close(self) -> None:
        self.closed = True

    def step_status(self, step_id: str) -> StepStatus:
        return self.progress.status(step_id)

    def step_view(self, step: Step | None = None) -> Step:
        return rendered_step(step or self.current_step, self.values)

    def step_title(self, step: Step) -> str:
        return templates.render(step.title, self.values)

    def unlocked(self, step_id: str) -> bool:
        return self.progress.unlocked(step_id)

    def go_to(self, step_id: str) -> bool:
        if not self.progress.go_to(step_id):
            return False
        self.listener(ev.StepStarted(self.lesson.id, step_id))
        return True

    def next_lesson_id(self) -> str | None:
        following = self.workshop.lesson_after(self.lesson.id)
        return following.id if following else None

    def paste_command(self) -> str:
        commands = self.step_view().commands
        return commands[0] if commands else ""

    def commands_run(self) -> frozenset[int]:
        return frozenset(self.progress.tally(self.current_step.id).seen)

    def check_now(self) -> None:
        self.checks_requested += 1

    def next_hint(self) -> str | None:
        text = "Spell the space name exactly as the lesson does."
        self.progress.tally(self.current_step.id).hints_shown.add(0)
        self.listener(ev.HintShown(self.current_step.id, text, index=0))
        return text

    def solution(self) -> str:
        text = "; ".join(self.step_view().commands)
        self.progress.tally(self.current_step.id).hints_shown.add(-1)
        self.listener(ev.HintShown(self.current_step.id, text, solution=True, index=-1))
        return text

    def answer_quiz(self, answer: str | Sequence[str]) -> Grade:
        """Graded by the engine's own rules; a right answer passes the step as the engine does."""
        step = self.current_step
        if step.question is None:
            raise UsageError(f"step '{step.id}' is not a quiz question")
        graded = grade(step.question, answer)
        shown = answer if isinstance(answer, str) else ", ".join(answer)
        self.listener(ev.QuizAnswered(self.lesson.id, step.id, shown.strip(), graded.right))
        if self.progress.done(step.id):
            self.listener(ev.CheckCompleted(step.id, graded.right, attempt=False, review=True))
            return graded
        self.progress.record_round(step.id, attempt=True, failed=not graded.right)
        reason = "Right." if graded.right else "Not quite. Try again, or reveal the answer."
        self.listener(ev.CheckCompleted(step.id, graded.right, reason=reason))
        if graded.right:
            self._moved_on(step.id, self.progress.mark_passed(step.id))
        return graded

    def reveal_answer(self) -> str:
        step = self.current_step
        if step.question is None:
            raise UsageError(f"step '{step.id}' is not a quiz question")
        text = revealed(step.question)
        self.progress.tally(step.id).hints_shown.add(-1)
        self.listener(ev.HintShown(step.id, text, solution=True, index=-1))
        return text

    def request_help(self, message: str = "") -> None:
        self.help_requests.append(message)

    def share_screen(self, on: bool | None = None) -> bool | None:
        self.shares.append(on)
        return None

    def reset_step(self) -> None:
        lost = self.progress.forget_from(self.current_step.id)
        self.listener(ev.StepReset(self.lesson.id, self.current_step.id, lost))
        self.listener(ev.StepStarted(self.lesson.id, self.current_step.id))

    def skip_step(self) -> bool:
        step = self.current_step
        following = self.progress.mark_skipped(step.id)
        self.listener(ev.StepSkipped(self.lesson.id, step.id))
        self.listener(ev.StepUnlocked(step.id, following, skipped=True))
        if following is None:
            self.listener(ev.LessonCompleted(self.lesson.id, None))
        else:
            self.listener(ev.StepStarted(self.lesson.id, following))
        return True

    def switch_lesson(self, lesson_id: str) -> None:
        self.progress = LessonProgress(self.workshop.lesson(lesson_id))
        self.listener(ev.StepStarted(self.lesson.id, self.current_step.id))

    def lesson_summary(self) -> LessonSummary:
        return summarise(self.progress, self.workshop, self.values)

    finished: frozenset[str] = frozenset()
    """Lessons a test says are done (besides this one once complete)."""

    def finished_lessons(self) -> frozenset[str]:
        return self.finished | ({self.lesson.id} if self.progress.complete else set())

    def type_keys(self, data: str) -> None:
        if self.shell is not None:
            self.shell.write(data)

    def resize(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        if self.shell is not None:
            self.shell.resize(rows, cols)

    def pace_verdicts(self, wait: Callable[[float], object] | None) -> None:
        self.pace = wait

    # --- what the test makes happen ------------------------------------------------------

    def prerequisite_failed(self, reason: str) -> None:
        """A prerequisite of the workshop is not met (as the engine says it)."""
        step = self.current_step
        self.listener(ev.CheckCompleted(step.id, False, reason=f"Before you start: {reason}",
                                        lesson_id=self.lesson.id, attempt=False,
                                        prerequisite=True))  # fmt: skip

    def prerequisites_met(self) -> None:
        """The prerequisites pass now (as the engine says it)."""
        self.listener(ev.Notice("The workshop's prerequisites are met.", prerequisites_met=True))

    def output(self, text: str) -> None:
        """The terminal printed ``text``."""
        self.listener(ev.OutputReceived(text))

    def fail(self, command: str, reason: str, near_miss: str | None, hint: str | None) -> None:
        """The learner ran ``command`` and the step's check failed."""
        step = self.current_step
        self.progress.record_round(step.id, attempt=True, failed=True)
        self.listener(ev.CommandFinished(_result(command, 1), self.lesson.id, step.id, True))
        self.listener(ev.CheckCompleted(step.id, False, (), reason, near_miss, hint))

    def succeed(self, command: str) -> None:
        """The learner ran ``command`` and the step passed (moving on as the engine does)."""
        step = self.current_step
        self.progress.record_round(step.id, attempt=True, failed=False)
        self.listener(ev.CommandFinished(_result(command, 0), self.lesson.id, step.id, True))
        self.listener(ev.CheckCompleted(step.id, True))
        self._moved_on(step.id, self.progress.mark_passed(step.id))

    def _moved_on(self, step_id: str, following: str | None) -> None:
        """``step_id`` passed: the next step opens, or the lesson is complete."""
        self.listener(ev.StepUnlocked(step_id, following))
        if following is None:
            self.listener(ev.LessonCompleted(self.lesson.id, None))
            return
        self.listener(ev.StepStarted(self.lesson.id, following))


def _result(command: str, exit_code: int) -> CommandResult:
    """A finished command as the shell reports it."""
    return CommandResult(command, exit_code, "", 0.0, 0.0)


def as_port(session: TranscriptSession) -> LearnerSessionPort:
    """The fake where the real session goes: mypy (``make types``) holds it to the Protocol."""
    return session
