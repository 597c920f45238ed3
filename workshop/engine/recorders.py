"""Subscribers to the session's event stream that keep what happened.

:class:`ProgressRecorder` writes progress (steps, commands, checks, hints) to the store as
the events happen, and :class:`ClassroomFeed` derives the classroom's wire events from the
same events. Both see exactly what the learner's screen sees, so the completion summary,
``workshop progress`` and the instructor's grid count the same attempts and hints.
"""

from __future__ import annotations

import re
import time

from workshop.engine import events as ev
from workshop.engine.ports import ProgressPort, ReporterPort, WireValue
from workshop.shell.result import CommandResult


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


ASKS_PASSWORD = re.compile(
    r"^\s*(?:sudo|su|ssh|passwd|cf\s+(?:login|auth)|docker\s+login|mysql|psql|git\s+push)\b"
)
"""Commands that may ask for a password: a learner whose one goes wrong often types the
password at the next prompt, where bash says "command not found"."""


class ClassroomFeed:
    """Events → the classroom's wire events (``workshop.classroom.protocol`` kinds)."""

    def __init__(self, reporter: ReporterPort) -> None:
        self.reporter = reporter
        self._last_command = ""

    def __call__(self, event: ev.Event) -> None:
        """Send what the instructor sees of ``event`` (nothing for most events)."""
        if isinstance(event, ev.OutputReceived):  # kept for a screen the learner shares
            self.reporter.terminal_output(event.text)
            return
        if isinstance(event, ev.SessionStarted) and (event.done or event.skipped):
            self.reporter.catch_up(list(event.done), list(event.skipped))  # before joining
        masked = isinstance(event, ev.CommandFinished) and self._password_typed(event.result)
        for kind, lesson, step, fields in wire_events(event):
            if masked and kind == "command_run":  # a dashboard is often on a projector
                fields = {**fields, "command": "*** (not shown: a password?)", "output": ""}
            self.reporter.report(kind, lesson=lesson, step=step, time=time.time(), **fields)

    def _password_typed(self, result: CommandResult) -> bool:
        """A lone word bash did not know (exit 127) right after a command that may have
        asked for a password: the password typed at the prompt, most likely."""
        before, self._last_command = self._last_command, result.command
        word = result.command.strip()
        return (
            result.exit_code == 127
            and bool(word)
            and not any(c.isspace() for c in word)
            and ASKS_PASSWORD.match(before) is not None
        )


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
