"""Reading a learner's standing back from the progress store, for a session that (re)starts
or enters a lesson: the lesson's passed steps and tallies, and whether a lesson is done."""

from __future__ import annotations

from workshop.content.model import Lesson, Workshop
from workshop.engine.lesson_progress import LessonProgress
from workshop.engine.ports import ProgressPort


def load_progress(
    store: ProgressPort, workshop: Workshop, lesson: Lesson, at: str | None = None
) -> LessonProgress:
    """``lesson``'s position (``at`` when it may be visited) and tallies as stored."""
    rows = [p for p in store.steps(workshop.id) if p.lesson == lesson.id]
    progress = LessonProgress(lesson, {p.step for p in rows if p.status == "passed"})
    for row in rows:
        tally = progress.tally(row.step)
        tally.attempts, tally.failures = row.attempts, row.failures
        tally.hints_shown = set(store.hints_shown(workshop.id, lesson.id, row.step))
    progress.resume_at(at)
    return progress


def follows_finished(store: ProgressPort, workshop: Workshop, lesson: Lesson, left: str) -> bool:
    """True when ``left`` (the lesson the learner was in) is the one just before ``lesson``
    and is complete: its foundation is where ``lesson`` begins."""
    index = workshop.lessons.index(lesson)
    if index == 0 or workshop.lessons[index - 1].id != left:
        return False
    before = workshop.lessons[index - 1]
    passed = {p.step for p in store.steps(workshop.id) if p.lesson == left and p.status == "passed"}
    return all(step.id in passed for step in before.steps)
