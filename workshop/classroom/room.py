"""The room as the instructor sees it: learners × steps, stuck radar, help queue, funnel.

:class:`Room` folds stored events into one summary per learner. The server keeps one in
memory, rebuilt from the store at start-up (so a restart shows the same picture), and
updates it with each accepted batch. Pure logic, no I/O: the dashboard, the terminal
``watch`` view and the tests all read the same JSON it produces.

Who is stuck (:meth:`Room.radar`):

- on the current step for more than ``stuck_factor`` × the room's median time on that
  step (the median of those who completed it when at least 3 did, otherwise the median
  time-on-current-step of everyone still working), and at least ``min_stuck_seconds``;
- or ``failed_in_row`` (3) or more failed checks in a row on the current step.

Times are the learners' event times corrected for clock skew (see :meth:`Room.apply`);
"now" is the server's clock.
"""

from __future__ import annotations

import statistics
import time as _time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# Cell statuses, in the order a step goes through them.
TODO, ACTIVE, FAILING, DONE, SKIPPED = "todo", "active", "failing", "done", "skipped"
FINISHED = frozenset({DONE, SKIPPED})
"""A skipped step (its solve ran for the learner) is finished, but not passed."""


@dataclass
class Cell:
    """One learner on one step."""

    status: str = ACTIVE
    attempts: int = 0
    commands: int = 0
    hints: int = 0
    started_at: float = 0.0
    completed_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Compact JSON for the dashboard."""
        return {"status": self.status, "attempts": self.attempts, "commands": self.commands,
                "hints": self.hints}  # fmt: skip


@dataclass
class LearnerState:
    """What the room knows about one learner."""

    id: str
    name: str
    joined_at: float
    last_seq: int = 0
    last_seen: float = 0.0
    lesson: str = ""
    step: str = ""
    step_since: float = 0.0
    failed_in_row: int = 0
    left: bool = False
    help: dict[str, Any] | None = None
    skew: float | None = None
    """Estimated (server clock − learner clock): the smallest receive delay seen so far."""
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)

    def cell(self, lesson: str, step: str, when: float) -> Cell:
        """The cell of ``lesson``/``step``, created as active at ``when``."""
        steps = self.cells.setdefault(lesson, {})
        if step not in steps:
            steps[step] = Cell(started_at=when)
        return steps[step]

    def to_json(self) -> dict[str, Any]:
        """The learner's summary as the dashboard and ``watch`` read it."""
        return {
            "id": self.id, "name": self.name, "joined_at": self.joined_at,
            "last_seq": self.last_seq, "last_seen": self.last_seen, "lesson": self.lesson,
            "step": self.step, "step_since": self.step_since,
            "failed_in_row": self.failed_in_row, "left": self.left, "help": self.help,
            "cells": {les: {st: c.to_json() for st, c in steps.items()}
                      for les, steps in self.cells.items()},
        }  # fmt: skip


class Room:
    """Every learner's summary, the lessons' step order, and the radar computed from them."""

    def __init__(self, *, stuck_factor: float = 3.0, min_stuck_seconds: float = 60.0,
                 failed_in_row: int = 3):  # fmt: skip
        self.learners: dict[str, LearnerState] = {}
        self.lessons: dict[str, list[str]] = {}
        """lesson id → step ids in order (from ``steps`` lists, else first-seen order)."""
        self.stuck_factor = stuck_factor
        self.min_stuck_seconds = min_stuck_seconds
        self.failed_in_row = failed_in_row

    def add_learner(self, learner_id: str, name: str, joined_at: float) -> LearnerState:
        """Register (or rename) a learner."""
        state = self.learners.get(learner_id)
        if state is None:
            state = self.learners[learner_id] = LearnerState(learner_id, name, joined_at)
            state.last_seen = joined_at
        state.name = name
        return state

    def _note_steps(self, lesson: str, step: str, steps: list[str] | None) -> None:
        if not lesson:
            return
        known = self.lessons.setdefault(lesson, [])
        if steps:
            merged = list(steps) + [s for s in known if s not in steps]
            known[:] = merged
        if step and step not in known:
            known.append(step)

    def apply(self, event: dict[str, Any]) -> LearnerState | None:
        """Fold one stored event (with ``learner``) into its learner; None if unknown."""
        state = self.learners.get(event["learner"])
        if state is None or event["seq"] <= state.last_seq:
            return None
        state.last_seq = event["seq"]
        kind = event["kind"]
        # Learners' clocks may be off by minutes or hours: correct event times by the
        # smallest delay seen (events sent live), so that queued events keep their spacing.
        sent = float(event["time"])
        delay = float(event.get("received_at", sent)) - sent
        state.skew = delay if state.skew is None else min(state.skew, delay)
        when = sent + state.skew
        state.last_seen = max(state.last_seen, when)
        lesson, step = event.get("lesson", ""), event.get("step", "")
        self._note_steps(lesson, step, event.get("steps"))
        if kind == "joined":
            state.left = False
        elif kind == "left":
            state.left = True
        if not (lesson and step):
            return state
        moved = (lesson, step) != (state.lesson, state.step)
        if moved or kind == "step_started":
            state.lesson, state.step = lesson, step
            state.step_since = when
            state.failed_in_row = 0
        cell = state.cell(lesson, step, when)
        if kind == "step_started" and cell.status not in FINISHED:
            cell.status = ACTIVE
        elif kind == "command_run":
            cell.commands += 1
            # an attempt is a command of the step's own (the learner's runner decides, as it
            # does for the learner's own summary); `ls` or `clear` is none
            cell.attempts += int(event.get("attempt") is True)
        elif kind == "hint_shown":
            cell.hints += 1
        elif kind == "check_passed":
            state.failed_in_row = 0
            if cell.status == FAILING:
                cell.status = ACTIVE
        elif kind in ("check_failed", "check_error"):
            state.failed_in_row += 1
            if cell.status not in FINISHED:
                cell.status = FAILING
        elif kind in ("step_completed", "step_skipped"):
            cell.status = DONE if kind == "step_completed" else SKIPPED
            cell.completed_at = when
            state.failed_in_row = 0
            if state.help and state.help.get("step") == step:
                state.help = None
        elif kind == "help_requested":
            state.help = {"seq": event["seq"], "time": when, "lesson": lesson, "step": step,
                          "message": event.get("message", "")}  # fmt: skip
        return state

    def resolve_help(self, learner_id: str, upto_seq: int) -> bool:
        """Close the learner's open help request if it is at or below ``upto_seq``."""
        state = self.learners.get(learner_id)
        if state and state.help and state.help["seq"] <= upto_seq:
            state.help = None
            return True
        return False

    # -- views ---------------------------------------------------------------------------

    def current_lesson(self) -> str:
        """The lesson most active learners are on (ties: the latest in the room's order)."""
        counts = Counter(s.lesson for s in self.learners.values() if s.lesson and not s.left)
        if not counts:
            counts = Counter(s.lesson for s in self.learners.values() if s.lesson)
        if not counts:
            return next(iter(self.lessons), "")
        return counts.most_common(1)[0][0]

    def _working(self, state: LearnerState) -> bool:
        if state.left or not state.step:
            return False
        cell = state.cells.get(state.lesson, {}).get(state.step)
        return cell is not None and cell.status not in FINISHED

    def radar(self, now: float | None = None) -> dict[str, Any]:
        """Stuck learners, the help queue and the per-step funnel of the current lesson."""
        now = _time.time() if now is None else now
        working = [s for s in self.learners.values() if self._working(s)]
        on_step = [max(0.0, now - s.step_since) for s in working]
        room_median = statistics.median(on_step) if on_step else 0.0
        done_times: dict[tuple[str, str], list[float]] = {}
        for s in self.learners.values():
            for lesson, steps in s.cells.items():
                for step, c in steps.items():
                    if c.completed_at is not None:
                        done_times.setdefault((lesson, step), []).append(
                            max(0.0, c.completed_at - c.started_at)
                        )
        stuck: list[dict[str, Any]] = []
        for s, seconds in zip(working, on_step, strict=True):
            reasons = []
            if s.failed_in_row >= self.failed_in_row:
                reasons.append(f"{s.failed_in_row} failed checks in a row")
            done = done_times.get((s.lesson, s.step), [])
            median = statistics.median(done) if len(done) >= 3 else room_median
            if seconds >= self.min_stuck_seconds and seconds > self.stuck_factor * median:
                reasons.append(f"{int(seconds)} s on this step (room median {int(median)} s)")
            if reasons:
                stuck.append({"id": s.id, "name": s.name, "lesson": s.lesson, "step": s.step,
                              "seconds": round(seconds, 1), "reason": "; ".join(reasons)})  # fmt: skip
        stuck.sort(key=lambda x: -x["seconds"])
        help_queue = sorted(
            ({"id": s.id, "name": s.name, **s.help} for s in self.learners.values() if s.help),
            key=lambda h: h["time"],
        )
        lesson = self.current_lesson()
        funnel = []
        for step in self.lessons.get(lesson, []):
            cells = [s.cells.get(lesson, {}).get(step) for s in self.learners.values()]
            funnel.append({"step": step,
                           "started": sum(1 for c in cells if c is not None),
                           "completed": sum(1 for c in cells if c is not None and c.status in FINISHED)})  # fmt: skip
        return {"now": now, "lesson": lesson, "median_on_step": round(room_median, 1),
                "stuck": stuck, "help": help_queue, "funnel": funnel}  # fmt: skip

    def snapshot(self, now: float | None = None) -> dict[str, Any]:
        """The whole room as JSON: learners, lessons' steps, current lesson and radar."""
        return {
            "learners": [s.to_json() for s in self.learners.values()],
            "lessons": self.lessons,
            "radar": self.radar(now),
        }
