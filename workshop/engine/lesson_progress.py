"""``LessonProgress``: where a learner is in one lesson, as pure data (no I/O, no threads).

The position, the passed steps, and for each step the attempts, failures, hints and which of
its commands already ran. The session keeps one for the current lesson (loaded from the
progress store), and so does the TUI's test fake: the rules of moving on, going back and
counting live here once. :class:`LessonSummary` is what the completion screen, ``workshop
progress`` and the classroom all count from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workshop.content import templates
from workshop.content.model import Lesson, Step, Workshop
from workshop.engine.ports import StepStatus
from workshop.records import Record


@dataclass
class StepTally:
    """What happened on one step."""

    attempts: int = 0
    """Commands that belong to the step (its program and sub-command), checked."""
    failures: int = 0
    """Attempts that failed (a part-way round of a multi-command step is no failure)."""
    hints_shown: set[int] = field(default_factory=set)
    """Which hints were shown, by index (``-1``: the solution)."""
    seen: set[int] = field(default_factory=set)
    """Indexes of the step's commands that ran successfully (multi-command steps)."""

    @property
    def hints(self) -> int:
        """How many different hints (and the solution) were shown."""
        return len(self.hints_shown)

    def count_round(self, *, attempt: bool, failed: bool) -> None:
        """A round of checks ran: count it when it was an attempt."""
        if attempt:
            self.attempts += 1
            self.failures += int(failed)


class StepSummary(Record):
    """One line of a lesson's summary."""

    step_id: str
    title: str
    attempts: int
    failures: int
    hints: int
    skipped: bool = False
    """The step's solve ran for the learner: done, not passed."""


class LessonSummary(Record):
    """A finished (or unfinished) lesson in numbers."""

    lesson_id: str
    title: str
    steps: tuple[StepSummary, ...]
    next_lesson_title: str | None = None

    @property
    def first_try(self) -> int:
        """Steps passed with no failed attempt."""
        return sum(1 for s in self.steps if s.failures == 0 and not s.skipped)

    @property
    def skipped(self) -> int:
        """Steps skipped."""
        return sum(1 for s in self.steps if s.skipped)

    @property
    def retries(self) -> int:
        """Failed attempts over the whole lesson."""
        return sum(s.failures for s in self.steps)

    @property
    def hints(self) -> int:
        """Hints and solutions shown over the whole lesson."""
        return sum(s.hints for s in self.steps)


class LessonProgress:
    """The learner's position and record in one lesson."""

    def __init__(
        self, lesson: Lesson, passed: set[str] | None = None, skipped: set[str] | None = None
    ) -> None:
        self.lesson = lesson
        self.passed: set[str] = set(passed or ())
        self.skipped: set[str] = set(skipped or ()) - self.passed
        """Steps whose solve ran for the learner: done, not passed."""
        self.tallies: dict[str, StepTally] = {}
        self.index = self._first_open_index()

    # -- where the learner is ---------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        """The lesson's step ids, in order."""
        return [step.id for step in self.lesson.steps]

    @property
    def current(self) -> Step:
        """The step the learner is on."""
        return self.lesson.steps[self.index]

    @property
    def complete(self) -> bool:
        """Every step has passed (or was skipped)."""
        return all(self.done(step.id) for step in self.lesson.steps)

    def done(self, step_id: str) -> bool:
        """The step passed, or was skipped."""
        return step_id in self.passed or step_id in self.skipped

    def _first_open_index(self) -> int:
        for index, step in enumerate(self.lesson.steps):
            if not self.done(step.id):
                return index
        return max(len(self.lesson.steps) - 1, 0)

    def first_open(self) -> Step:
        """The first step not passed yet (the last one when all have)."""
        return self.lesson.steps[self._first_open_index()]

    def status(self, step_id: str) -> StepStatus:
        """``passed``, ``skipped``, ``current`` (the first step not done: the one to do next,
        also while the learner looks back at a done one) or ``locked``."""
        if step_id in self.passed:
            return "passed"
        if step_id in self.skipped:
            return "skipped"
        return "current" if step_id == self.first_open().id else "locked"

    def unlocked(self, step_id: str) -> bool:
        """A learner may visit done steps and the first one not done yet."""
        return self.done(step_id) or step_id == self.first_open().id

    def go_to(self, step_id: str) -> bool:
        """Move to an unlocked step; False (and no move) when it is locked or unknown."""
        if step_id not in self.ids or not self.unlocked(step_id):
            return False
        self.index = self.ids.index(step_id)
        return True

    def replace_lesson(self, lesson: Lesson) -> None:
        """The lesson's content changed (an author saved it): keep what still exists of the
        record, and the position when its step is still there."""
        here = self.current.id
        ids = {step.id for step in lesson.steps}
        self.lesson = lesson
        self.passed &= ids
        self.skipped &= ids
        self.tallies = {k: v for k, v in self.tallies.items() if k in ids}
        self.resume_at(here)

    def resume_at(self, step_id: str | None) -> None:
        """Stand on ``step_id`` when it may be visited, else on the first open step."""
        if step_id is None or not self.go_to(step_id):
            self.index = self._first_open_index()

    # -- what happens -----------------------------------------------------------------

    def tally(self, step_id: str) -> StepTally:
        """The record of one step (made empty on first use)."""
        return self.tallies.setdefault(step_id, StepTally())

    def record_round(self, step_id: str, *, attempt: bool, failed: bool) -> None:
        """A round of checks ran on ``step_id``: count it when it was an attempt."""
        self.tally(step_id).count_round(attempt=attempt, failed=failed)

    def mark_passed(self, step_id: str) -> str | None:
        """``step_id`` passed: move to the next step not passed (after it, else before it)
        and return its id, or None when the lesson is complete (the position stays)."""
        self.passed.add(step_id)
        self.skipped.discard(step_id)
        return self._advance(step_id)

    def mark_skipped(self, step_id: str) -> str | None:
        """``step_id`` was skipped (its solve ran): move on as after a pass."""
        if step_id not in self.passed:
            self.skipped.add(step_id)
        return self._advance(step_id)

    def _advance(self, step_id: str) -> str | None:
        ids = self.ids
        here = ids.index(step_id)
        order = list(range(here + 1, len(ids))) + list(range(0, here))
        following = next((i for i in order if not self.done(ids[i])), None)
        if following is None:
            return None
        self.index = following
        return ids[following]

    def forget_from(self, step_id: str) -> int:
        """Rewind ``step_id`` and every step after it; returns how many passed steps that
        took back."""
        ids = self.ids
        later = ids[ids.index(step_id) :]
        lost = sum(1 for s in later if self.done(s))
        for s in later:
            self.passed.discard(s)
            self.skipped.discard(s)
            self.tallies.pop(s, None)
        self.index = ids.index(step_id)
        return lost

    def summary(
        self, titles: dict[str, str], next_lesson_title: str | None = None
    ) -> LessonSummary:
        """The lesson in numbers, with the step titles given (rendered by the caller)."""
        steps = tuple(
            StepSummary(
                step.id,
                titles.get(step.id, step.title),
                self.tally(step.id).attempts,
                self.tally(step.id).failures,
                self.tally(step.id).hints,
                step.id in self.skipped,
            )
            for step in self.lesson.steps
        )
        return LessonSummary(self.lesson.id, self.lesson.title, steps, next_lesson_title)


def summarise(
    progress: LessonProgress, workshop: Workshop, values: Mapping[str, str]
) -> LessonSummary:
    """``progress``'s lesson in numbers, titles rendered with ``values``, and what comes next."""
    following = workshop.lesson_after(progress.lesson.id)
    titles = {step.id: templates.render(step.title, values) for step in progress.lesson.steps}
    return progress.summary(titles, following.title if following else None)
