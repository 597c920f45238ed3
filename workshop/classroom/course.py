"""The workshop as the classroom server knows it: lessons and their steps, in order.

The room's columns (lessons, step ids, titles) come from the workshop the instructor
serves, never from learners' events: a learner can neither rename a column nor grow the
room without bound. :meth:`Course.check` refuses an event for a lesson or step the
workshop does not have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.classroom.protocol import ProtocolError


@dataclass(frozen=True)
class CourseLesson:
    """One lesson: its id, title and steps (ids and titles, in order)."""

    id: str
    title: str
    steps: tuple[str, ...]
    step_titles: tuple[str, ...]
    quiz_steps: frozenset[str] = frozenset()
    """The steps that are quiz questions (answered, not run)."""


@dataclass
class Course:
    """The served workshop's structure."""

    title: str
    lessons: list[CourseLesson]
    _steps: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._steps = {lesson.id: frozenset(lesson.steps) for lesson in self.lessons}

    def has(self, lesson: str, step: str) -> bool:
        """Whether the workshop has ``lesson`` and its ``step``."""
        return step in self._steps.get(lesson, ())

    def check(self, lesson: str, step: str) -> None:
        """Raise :class:`ProtocolError` unless ``lesson``/``step`` belong to the workshop.

        Both may be empty (an event before any lesson); a step needs its lesson.
        """
        if not lesson:
            if step:
                raise ProtocolError("a step needs its lesson", "step")
            return
        steps = self._steps.get(lesson)
        if steps is None:
            raise ProtocolError(f"no lesson {lesson[:40]!r} in this classroom's workshop", "lesson")
        if step and step not in steps:
            raise ProtocolError(f"lesson {lesson[:40]!r} has no step {step[:40]!r}", "step")

    def check_quiz(self, lesson: str, step: str) -> None:
        """Raise :class:`ProtocolError` unless ``lesson``/``step`` is a quiz question."""
        self.check(lesson, step)
        if not any(les.id == lesson and step in les.quiz_steps for les in self.lessons):
            raise ProtocolError(f"step {step[:40]!r} is no quiz question", "step")

    def steps(self) -> dict[str, list[str]]:
        """lesson id → step ids in order."""
        return {lesson.id: list(lesson.steps) for lesson in self.lessons}

    def to_json(self) -> dict[str, Any]:
        """What the dashboard needs: titles for the hover text and the CSV."""
        return {
            "title": self.title,
            "lessons": [
                {"id": les.id, "title": les.title,
                 "steps": [{"id": s, "title": t, "quiz": s in les.quiz_steps}
                           for s, t in zip(les.steps, les.step_titles, strict=True)]}
                for les in self.lessons
            ],
        }  # fmt: skip


def load_course(path: Path) -> Course:
    """The structure of the workshop at ``path`` (raises the loader's ContentError)."""
    from workshop.content.cache import load_workshop_cached

    workshop = load_workshop_cached(path, strict=False)
    return Course(
        title=workshop.title,
        lessons=[
            CourseLesson(
                lesson.id,
                lesson.title,
                tuple(s.id for s in lesson.steps),
                tuple(s.title for s in lesson.steps),
                frozenset(s.id for s in lesson.steps if s.kind == "quiz"),
            )  # fmt: skip
            for lesson in workshop.lessons
        ],
    )
