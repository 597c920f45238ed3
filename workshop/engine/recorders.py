"""Subscribers to the session's event stream that keep what happened.

:class:`ProgressRecorder` writes progress (steps, commands, checks, hints) to the store as
the events happen, and :class:`ClassroomFeed` derives the classroom's wire events from the
same events. Both see exactly what the learner's screen sees, so the completion summary,
``workshop progress`` and the instructor's grid count the same attempts and hints.
"""

from __future__ import annotations

import time

from workshop.engine import events as ev
from workshop.engine.ports import ProgressPort, ReporterPort, WireValue


class ProgressRecorder:
    """Events → the progress store (one committed write per event that matters)."""

    def __init__(self, store: ProgressPort, workshop_id: str) -> None:
        self.store = store
        self.workshop_id = workshop_id
        self._command_id: int | None = None

    def __call__(self, event: ev.Event) -> None:
        """Record ``event`` (events that keep nothing are ignored)."""
        w = self.workshop_id
        if isinstance(event, ev.StepStarted):
            self.store.start_step(w, event.lesson_id, event.step_id)
        elif isinstance(event, ev.CommandFinished):
            r = event.result
            self._command_id = self.store.record_command(
                w, event.lesson_id, event.step_id, r.command, r.exit_code, r.output,
                r.started_at, r.ended_at,
            )  # fmt: skip
        elif isinstance(event, ev.QuizAnswered):
            # the answer is kept like a command: "answer: …", exit 0 when right
            now = time.time()
            self._command_id = self.store.record_command(
                w, event.lesson_id, event.step_id, f"answer: {event.answer}",
                0 if event.right else 1, "", now, now,
            )  # fmt: skip
        elif isinstance(event, ev.CheckCompleted):
            self._checked(event)
        elif isinstance(event, ev.StepSkipped):
            self.store.skip_step(w, event.lesson_id, event.step_id)
        elif isinstance(event, ev.HintShown) and event.index is not None:
            self.store.record_hint(w, event.lesson_id, event.step_id, event.index, event.text)

    def _checked(self, event: ev.CheckCompleted) -> None:
        w, lesson, step = self.workshop_id, event.lesson_id, event.step_id
        if event.review:
            return
        if event.attempt or (event.results and (event.passed or not event.quiet)):
            # a quiet round (ls, clear, the check on resume) that did not pass leaves no trace
            failed = not event.passed and event.pending is None
            self.store.record_checks(
                w, lesson, step, event.results, self._command_id,
                attempt=event.attempt, failed=failed,
            )  # fmt: skip
        if event.hint is not None and event.hint_index is not None:
            self.store.record_hint(w, lesson, step, event.hint_index, event.hint)
        if event.solution is not None:
            self.store.record_hint(w, lesson, step, -1, event.solution)
        if event.passed:
            self.store.pass_step(w, lesson, step)


class ClassroomFeed:
    """Events → the classroom's wire events (``workshop.classroom.protocol`` kinds)."""

    def __init__(self, reporter: ReporterPort) -> None:
        self.reporter = reporter

    def __call__(self, event: ev.Event) -> None:
        """Send what the instructor sees of ``event`` (nothing for most events)."""
        if isinstance(event, ev.OutputReceived):  # kept for a screen the learner shares
            self.reporter.terminal_output(event.text)
            return
        if isinstance(event, ev.SessionStarted) and (event.done or event.skipped):
            self.reporter.catch_up(list(event.done), list(event.skipped))  # before joining
        for kind, lesson, step, fields in wire_events(event):
            self.reporter.report(kind, lesson=lesson, step=step, time=time.time(), **fields)


WireEvent = tuple[str, str, str, dict[str, WireValue]]
"""A classroom event: kind, lesson, step and the kind's own fields."""


def wire_events(event: ev.Event) -> list[WireEvent]:
    """The classroom events one engine event makes (most make none)."""
    if isinstance(event, ev.SessionStarted):
        steps = list(event.step_ids)
        fields: dict[str, WireValue] = {"steps": steps, "title": event.title}
        return [("joined", event.lesson_id, event.step_id, fields)]
    if isinstance(event, ev.StepStarted):
        fields = {"steps": list(event.step_ids), "title": event.title}
        return [("step_started", event.lesson_id, event.step_id, fields)]
    if isinstance(event, ev.CommandFinished):
        r = event.result
        fields = {
            "command": r.command,
            "exit_code": r.exit_code,
            "output": r.output,
            "attempt": event.attempt,
        }
        return [("command_run", event.lesson_id, event.step_id, fields)]
    if isinstance(event, ev.CheckCompleted):
        return _check_events(event)
    if isinstance(event, ev.StepSkipped):
        return [("step_skipped", event.lesson_id, event.step_id, {})]
    if isinstance(event, ev.StepUnlocked):
        if event.skipped:
            return []  # the skip said it already
        return [("step_completed", event.lesson_id, event.step_id, {})]
    if isinstance(event, ev.HintShown):
        text = ("[solution] " if event.solution else "") + event.text
        return [("hint_shown", event.lesson_id, event.step_id, {"hint": text})]
    if isinstance(event, ev.HelpRequested):
        fields = {"message": event.message[:500]}
        return [("help_requested", event.lesson_id, event.step_id, fields)]
    if isinstance(event, ev.QuizAnswered):
        fields = {"answer": event.answer, "right": event.right}
        return [("quiz_answered", event.lesson_id, event.step_id, fields)]
    if isinstance(event, ev.SessionEnded):
        return [("left", event.lesson_id, event.step_id, {})]
    return []


def _check_events(event: ev.CheckCompleted) -> list[WireEvent]:
    lesson, step = event.lesson_id, event.step_id
    if event.review:
        return []
    if event.passed:
        return [("check_passed", lesson, step, {})]
    if not event.attempt or event.pending is not None:
        return []  # not an attempt (ls, clear, the check on resume), or only part way
    kind = "check_error" if event.error else "check_failed"
    out: list[WireEvent] = [(kind, lesson, step, {"reason": event.reason[:500]})]
    if event.hint is not None and event.hint_index is not None:
        out.append(("hint_shown", lesson, step, {"hint": event.hint}))
    if event.solution is not None:
        out.append(("hint_shown", lesson, step, {"hint": "[solution] " + event.solution}))
    return out
