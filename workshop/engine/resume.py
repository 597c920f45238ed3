"""Picking up where a learner left: which lesson, its foundation, its passed steps and
tallies, and the last command of the current step that never got its verdict.

A session calls :func:`prepare` when it starts and :func:`unjudged_command` for the check on
resume; :func:`load_progress` also serves a lesson the learner switches to.
"""

from __future__ import annotations

from pathlib import Path

from workshop.content.model import Lesson, Step, Workshop
from workshop.engine.lesson_progress import LessonProgress
from workshop.engine.ports import FoundationPort, ProgressPort
from workshop.errors import UsageError
from workshop.records import Record
from workshop.shell.result import CommandResult


class Resumed(Record):
    """Where a starting session stands."""

    progress: LessonProgress
    env: dict[str, str]
    cwd: Path
    resumed: bool
    """The learner was in this lesson and its foundation is as they left it."""
    begun: bool = False
    """The lesson starts now from its start (its setup is to run)."""
    continued: bool = False
    """The lesson goes on from the finished lesson before it (it declares no start): the
    shell starts where the learner's last one was, as if they had gone on in it."""


def prepare(
    store: ProgressPort,
    workshop: Workshop,
    foundation: FoundationPort,
    requested: Lesson | None,
    *,
    fresh: bool,
) -> Resumed:
    """Pick the lesson (``requested``, else where the learner was, else the first) and make
    its foundation ready: its own start when fresh or new; as the learner left it when they
    were in it; else the lesson they were in is kept for them and this one is entered."""
    position = store.position(workshop.id)
    here = position[0] if position else None
    lesson = requested or workshop.lessons[0]
    if requested is None and here is not None:
        try:
            lesson = workshop.lesson(here)
        except UsageError:  # a lesson that is no longer in the workshop
            here = None
    progress = load_progress(store, workshop, lesson, position[1] if position else None)
    never = not any(p.lesson == lesson.id for p in store.steps(workshop.id))
    if fresh or not foundation.has_state():
        env, cwd = foundation.environment(lesson, reset=True)
        return Resumed(progress, env, cwd, False, never or fresh)
    resumed = here == lesson.id
    entry = ""
    if not resumed and here is not None:
        # the foundation on disk is the lesson the learner was in: keep it for them
        foundation.leave_lesson(workshop.lesson(here))
        continuing = follows_finished(store, workshop, lesson, here)
        entry = foundation.enter_lesson(lesson, continuing=continuing)
    elif not resumed:
        entry = foundation.enter_lesson(lesson, continuing=False)
    env, cwd = foundation.environment(lesson, reset=False)
    continued = not resumed and entry == "continued"
    return Resumed(progress, env, cwd, resumed, never and not resumed, continued)


def unjudged_command(
    store: ProgressPort, workshop: Workshop, lesson: Lesson, step: Step
) -> tuple[CommandResult | None, bool]:
    """The last command run on ``step`` since it (re)started, and whether it never got a
    verdict (the runner died between its end and its checks)."""
    since = store.step_status(workshop.id, lesson.id, step.id).started_at or 0.0
    records = [r for r in store.commands(workshop.id, lesson.id, step.id) if r.finished_at >= since]
    last = records[-1] if records else None
    if last is None or last.exit_code is None:
        return None, False
    result = CommandResult(last.command, last.exit_code, last.output, 0.0, last.finished_at)
    judged = store.last_judged_at(workshop.id, lesson.id, step.id)
    return result, judged is None or judged < last.finished_at


def step_commands(
    store: ProgressPort, workshop: Workshop, lesson: Lesson, step: Step
) -> list[CommandResult]:
    """The commands run on ``step`` since it (re)started that ended, oldest first."""
    since = store.step_status(workshop.id, lesson.id, step.id).started_at or 0.0
    return [
        CommandResult(r.command, r.exit_code, r.output, 0.0, r.finished_at)
        for r in store.commands(workshop.id, lesson.id, step.id)
        if r.finished_at >= since and r.exit_code is not None
    ]


def load_progress(
    store: ProgressPort, workshop: Workshop, lesson: Lesson, at: str | None = None
) -> LessonProgress:
    """``lesson``'s position (``at`` when it may be visited) and tallies as stored."""
    rows = [p for p in store.steps(workshop.id) if p.lesson == lesson.id]
    progress = LessonProgress(
        lesson,
        {p.step for p in rows if p.status == "passed"},
        {p.step for p in rows if p.status == "skipped"},
    )
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
    done = {
        p.step
        for p in store.steps(workshop.id)
        if p.lesson == left and p.status in ("passed", "skipped")
    }
    return all(step.id in done for step in before.steps)
