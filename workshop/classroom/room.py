"""The room as the instructor sees it: learners × steps, stuck radar, help queue, funnel.

:class:`Room` folds stored events into one summary per learner. The server keeps one in
memory, rebuilt from the store at start-up (so a restart shows the same picture, failure
streaks included), and updates it with each accepted batch. Pure logic, no I/O: the
dashboard, the terminal ``watch`` view and the tests all read the same JSON it produces.
The lessons and their steps are the served workshop's (``lessons``), never the learners'.

Times are the server's: when an event was received, never the learner's clock (which
may be off by an hour, or jump). A learner is *online* while a long poll of theirs is
open or their last contact is less than ``offline_after`` seconds old.

Who is stuck (:meth:`Room.radar`), among online learners working on a step:

- on the current step for more than ``stuck_factor`` × the room's median time on that
  step (the median of those who completed it when at least 3 did, otherwise the median
  time-on-current-step of the *active* learners: online, and having run a command, so
  that joiners who do nothing do not drag it down), and at least ``min_stuck_seconds``;
- or ``failed_in_row`` (3) or more failed checks in a row on the current step (a restart
  of the learner's runner on the same step keeps the streak).
"""

from __future__ import annotations

import time as _time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# Cell statuses, in the order a step goes through them.
TODO, ACTIVE, FAILING, DONE, SKIPPED = "todo", "active", "failing", "done", "skipped"
FINISHED = frozenset({DONE, SKIPPED})
"""A skipped step (its solve ran for the learner) is finished, but not passed."""
SOLUTION = "[solution] "
"""How a ``hint_shown`` event that showed the solution begins (see engine.recorders)."""


def _median(values: list[float]) -> float:
    """The median of ``values`` (not empty), as ``statistics.median`` gives it; that module
    and its imports (fractions, decimal, random) cost every server start about 4 ms."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass
class Cell:
    """One learner on one step."""

    status: str = ACTIVE
    attempts: int = 0
    commands: int = 0
    hints: int = 0
    started_at: float = 0.0
    completed_at: float | None = None
    answers: int = 0
    """A quiz question: the answers given until the first right one."""
    right: bool = False
    """A quiz question: answered right."""
    revealed: bool = False
    """The solution (a question's answer) was shown before the step was done."""

    def quiz(self) -> str:
        """How a quiz question went: ``right at first try``, ``right after N tries``,
        ``revealed`` (the answer shown before a right one), ``wrong (N tries)`` or ""."""
        if self.right and self.revealed:
            return "revealed"
        if self.right:
            return (
                "right at first try" if self.answers == 1 else f"right after {self.answers} tries"
            )
        if self.revealed:
            return "revealed"
        if self.answers:
            return f"wrong ({self.answers} {'try' if self.answers == 1 else 'tries'})"
        return ""

    def to_json(self) -> dict[str, Any]:
        """Compact JSON for the dashboard (``quiz``: how a quiz question went)."""
        out: dict[str, Any] = {"status": self.status, "attempts": self.attempts,
                               "commands": self.commands, "hints": self.hints}  # fmt: skip
        if self.answers or self.revealed:
            out["quiz"] = self.quiz()
        return out


@dataclass
class LearnerState:
    """What the room knows about one learner."""

    id: str
    name: str
    joined_at: float
    last_seq: int = 0
    last_seen: float = 0.0
    """Server time of the last contact (an event received, a long poll begun or ended)."""
    polls: int = 0
    """Long polls of this learner open now: while one is, the learner is connected."""
    lesson: str = ""
    step: str = ""
    step_since: float = 0.0
    failed_in_row: int = 0
    left: bool = False
    help: dict[str, Any] | None = None
    events: int = 0
    """Events stored for this learner (bounded by ``protocol.MAX_EVENTS_PER_LEARNER``)."""
    commands: int = 0
    last_command: str = ""
    last_failure: dict[str, Any] | None = None
    """The last failed check of the current step: ``{command, reason, time}``."""
    sharing: str = ""
    """The learner's screen: "" (not shared), "offered" or "live" (frames arriving)."""
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)

    def cell(self, lesson: str, step: str, when: float) -> Cell:
        """The cell of ``lesson``/``step``, created as active at ``when``."""
        steps = self.cells.setdefault(lesson, {})
        if step not in steps:
            steps[step] = Cell(started_at=when)
        return steps[step]

    def dump(self) -> dict[str, Any]:
        """Everything :meth:`Room.apply` built, for :meth:`restore` (the start-up summary)."""
        # by hand: asdict's deep copy is 4-5x the CPU (1,000 learners saved every 5 s:
        # 94 ms of the event loop with JSON, 20 ms this way)
        data = dict(vars(self))
        for key in ("polls", "sharing"):  # this process's connections, not the learner's
            data.pop(key)
        for key in ("help", "last_failure"):
            if data[key] is not None:
                data[key] = dict(data[key])
        data["cells"] = {lesson: {step: dict(vars(cell)) for step, cell in steps.items()}
                         for lesson, steps in self.cells.items()}  # fmt: skip
        return data

    @classmethod
    def restore(cls, data: dict[str, Any]) -> LearnerState:
        """A learner's state from :meth:`dump`."""
        fields = dict(data)
        cells = fields.pop("cells", {})
        state = cls(**fields)
        state.cells = {lesson: {step: Cell(**cell) for step, cell in steps.items()}
                       for lesson, steps in cells.items()}  # fmt: skip
        return state

    def online(self, now: float, offline_after: float) -> bool:
        """Connected now: not gone (a runner that left said so), and a long poll open or a
        contact within ``offline_after`` s."""
        return not self.left and (self.polls > 0 or now - self.last_seen < offline_after)

    def to_json(self, now: float, offline_after: float) -> dict[str, Any]:
        """The learner's summary as the dashboard and ``watch`` read it."""
        return {
            "id": self.id, "name": self.name, "joined_at": self.joined_at,
            "last_seq": self.last_seq, "last_seen": self.last_seen,
            "online": self.online(now, offline_after), "lesson": self.lesson,
            "step": self.step, "step_since": self.step_since,
            "failed_in_row": self.failed_in_row, "left": self.left, "help": self.help,
            "last_failure": self.last_failure, "sharing": self.sharing,
            "cells": {les: {st: c.to_json() for st, c in steps.items()}
                      for les, steps in self.cells.items()},
        }  # fmt: skip


class Room:
    """Every learner's summary, the lessons' step order, and the radar computed from them."""

    def __init__(self, lessons: dict[str, list[str]] | None = None, *,
                 stuck_factor: float = 3.0, min_stuck_seconds: float = 60.0,
                 failed_in_row: int = 3, offline_after: float = 30.0):  # fmt: skip
        self.learners: dict[str, LearnerState] = {}
        self.lessons: dict[str, list[str]] = dict(lessons or {})
        """lesson id → step ids in order: the served workshop's."""
        # kept up to date by apply() so that radar() need not walk every learner's cells:
        # (lesson, step) → learner id → seconds taken, and → learners started / finished
        self._done: dict[tuple[str, str], dict[str, float]] = {}
        self._started: Counter[tuple[str, str]] = Counter()
        self._finished: Counter[tuple[str, str]] = Counter()
        self.stuck_factor = stuck_factor
        self.min_stuck_seconds = min_stuck_seconds
        self.failed_in_row = failed_in_row
        self.offline_after = offline_after

    def add_learner(self, learner_id: str, name: str, joined_at: float) -> LearnerState:
        """Register (or rename) a learner."""
        state = self.learners.get(learner_id)
        if state is None:
            state = self.learners[learner_id] = LearnerState(learner_id, name, joined_at)
            state.last_seen = joined_at
        state.name = name
        return state

    def restore(self, state: LearnerState) -> None:
        """Add a learner as summarised earlier (:meth:`LearnerState.dump`)."""
        self.remove(state.id)
        self.learners[state.id] = state
        self._index(state, 1)

    def remove(self, learner_id: str) -> None:
        """The instructor removed the learner."""
        state = self.learners.pop(learner_id, None)
        if state is not None:
            self._index(state, -1)

    def _index(self, state: LearnerState, sign: int) -> None:
        """Count (sign 1) or uncount (-1) a learner's cells in the room's indexes."""
        for lesson, steps in state.cells.items():
            for step, cell in steps.items():
                self._count_cell(state.id, lesson, step, cell, sign, started=True)

    def _count_cell(self, learner_id: str, lesson: str, step: str, cell: Cell, sign: int,
                    *, started: bool) -> None:  # fmt: skip
        key = (lesson, step)
        if started:
            self._started[key] += sign
        if cell.status in FINISHED:
            self._finished[key] += sign
        if cell.completed_at is not None:
            done = self._done.setdefault(key, {})
            if sign > 0:
                done[learner_id] = max(0.0, cell.completed_at - cell.started_at)
            else:
                done.pop(learner_id, None)

    def contact(self, learner_id: str, now: float, polls: int = 0) -> None:
        """The learner made contact (``polls``: +1 as a long poll begins, -1 as it ends)."""
        state = self.learners.get(learner_id)
        if state is not None:
            state.last_seen = max(state.last_seen, now)
            state.polls = max(0, state.polls + polls)

    def apply(self, event: dict[str, Any]) -> LearnerState | None:
        """Fold one stored event (with ``learner``) into its learner; None if unknown."""
        state = self.learners.get(event["learner"])
        if state is None or event["seq"] <= state.last_seq:
            return None
        state.last_seq = event["seq"]
        state.events += 1
        kind = event["kind"]
        # server time: a learner's clock may be off by an hour, or jump
        when = float(event.get("received_at", event["time"]))
        state.last_seen = max(state.last_seen, when)
        lesson, step = event.get("lesson", ""), event.get("step", "")
        if kind == "caught_up":
            self._catch_up(state, event, when)
        if kind == "joined":
            state.left = False
        elif kind == "left":
            state.left = True
            state.sharing = ""  # its screen went with it
        if not (lesson and step):
            return state
        if (lesson, step) != (state.lesson, state.step):
            # a new step; the same step again (a restarted runner) keeps time and streak
            state.lesson, state.step = lesson, step
            state.step_since = when
            state.failed_in_row = 0
            state.last_failure = None
        fresh = step not in state.cells.get(lesson, {})
        cell = state.cell(lesson, step, when)
        self._count_cell(state.id, lesson, step, cell, -1, started=False)
        self._apply_to_cell(state, cell, kind, event, when, lesson, step)
        self._count_cell(state.id, lesson, step, cell, 1, started=fresh)
        return state

    def _apply_to_cell(self, state: LearnerState, cell: Cell, kind: str, event: dict[str, Any],
                       when: float, lesson: str, step: str) -> None:  # fmt: skip
        if kind == "command_run":
            cell.commands += 1
            state.commands += 1
            state.last_command = str(event.get("command", ""))
            # an attempt is a command of the step's own (the learner's runner decides, as it
            # does for the learner's own summary); `ls` or `clear` is none
            cell.attempts += int(event.get("attempt") is True)
        elif kind == "hint_shown":
            cell.hints += 1
            if str(event.get("hint", "")).startswith(SOLUTION) and cell.status not in FINISHED:
                cell.revealed = True
        elif kind == "quiz_answered":
            if cell.status not in FINISHED and not cell.right:  # a done question's answer
                cell.answers += 1  # is a review: its result stands
                cell.attempts += 1
                cell.right = event.get("right") is True
        elif kind == "check_passed":
            state.failed_in_row = 0
            if cell.status == FAILING:
                cell.status = ACTIVE
        elif kind in ("check_failed", "check_error"):
            state.failed_in_row += 1
            state.last_failure = {"command": state.last_command, "time": when,
                                  "reason": str(event.get("reason", ""))}  # fmt: skip
            if cell.status not in FINISHED:
                cell.status = FAILING
        elif kind in ("step_completed", "step_skipped"):
            cell.status = DONE if kind == "step_completed" else SKIPPED
            cell.completed_at = when
            state.failed_in_row = 0
            state.last_failure = None
            if state.help and state.help.get("step") == step:
                state.help = None
        elif kind == "help_requested":
            state.help = {"seq": event["seq"], "time": when, "lesson": lesson, "step": step,
                          "message": event.get("message", "")}  # fmt: skip

    def _catch_up(self, state: LearnerState, event: dict[str, Any], when: float) -> None:
        """Steps the learner finished before joining: finished cells, with no time of their
        own (they are not in the room's durations); a cell already finished stays as is."""
        for name, status in (("done", DONE), ("skipped", SKIPPED)):
            for item in event.get(name, ()):
                lesson, _, step = str(item).partition("/")
                fresh = step not in state.cells.get(lesson, {})
                cell = state.cell(lesson, step, when)
                if cell.status in FINISHED:
                    continue
                self._count_cell(state.id, lesson, step, cell, -1, started=False)
                cell.status = status
                self._count_cell(state.id, lesson, step, cell, 1, started=fresh)

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

    def _working(self, state: LearnerState, now: float) -> bool:
        if state.left or not state.step or not state.online(now, self.offline_after):
            return False
        cell = state.cells.get(state.lesson, {}).get(state.step)
        return cell is not None and cell.status not in FINISHED

    def finished(self, state: LearnerState, lesson: str) -> bool:
        """Every step of ``lesson`` done or skipped by the learner."""
        steps = self.lessons.get(lesson, [])
        cells = state.cells.get(lesson, {})
        return bool(steps) and all(
            step in cells and cells[step].status in FINISHED for step in steps
        )

    def radar(self, now: float | None = None) -> dict[str, Any]:
        """Stuck learners, the help queue, counts and the per-step funnel of the current lesson."""
        now = _time.time() if now is None else now
        working = [s for s in self.learners.values() if self._working(s, now)]
        active = [max(0.0, now - s.step_since) for s in working if s.commands > 0]
        room_median = _median(active) if active else 0.0
        stuck: list[dict[str, Any]] = []
        medians: dict[tuple[str, str], float] = {}  # once per step, not once per learner
        for s in working:
            seconds = max(0.0, now - s.step_since)
            reasons = []
            if s.failed_in_row >= self.failed_in_row:
                reasons.append(f"{s.failed_in_row} failed checks in a row")
            key = (s.lesson, s.step)
            if key not in medians:
                done = list(self._done.get(key, {}).values())
                medians[key] = _median(done) if len(done) >= 3 else room_median
            median = medians[key]
            if seconds >= self.min_stuck_seconds and seconds > self.stuck_factor * median:
                reasons.append(f"{int(seconds)} s on this step (room median {int(median)} s)")
            if reasons:
                failure = s.last_failure or {}
                stuck.append({"id": s.id, "name": s.name, "lesson": s.lesson, "step": s.step,
                              "seconds": round(seconds, 1), "reason": "; ".join(reasons),
                              "last_command": failure.get("command", ""),
                              "last_reason": failure.get("reason", "")})  # fmt: skip
        stuck.sort(key=lambda x: -x["seconds"])
        help_queue = sorted(
            ({"id": s.id, "name": s.name, **s.help, "waited": round(max(0.0, now - s.help["time"]), 1)}
             for s in self.learners.values() if s.help),
            key=lambda h: h["time"],
        )  # fmt: skip
        lesson = self.current_lesson()
        funnel = []
        for step in self.lessons.get(lesson, []):
            funnel.append({"step": step, "started": self._started[(lesson, step)],
                           "completed": self._finished[(lesson, step)]})  # fmt: skip
        offline = {s.id: s.last_seen for s in self.learners.values()
                   if not s.online(now, self.offline_after)}  # fmt: skip
        online = sum(1 for s in self.learners.values() if s.id not in offline and not s.left)
        finished = sum(1 for s in self.learners.values() if self.finished(s, lesson))
        return {"now": now, "lesson": lesson, "median_on_step": round(room_median, 1),
                "stuck": stuck, "help": help_queue, "funnel": funnel, "offline": offline,
                "counts": {"joined": len(self.learners), "online": online,
                           "finished": finished}}  # fmt: skip

    def learner_json(self, learner_id: str, now: float | None = None) -> dict[str, Any] | None:
        """One learner's summary, or None."""
        state = self.learners.get(learner_id)
        now = _time.time() if now is None else now
        return None if state is None else state.to_json(now, self.offline_after)

    def snapshot(self, now: float | None = None) -> dict[str, Any]:
        """The whole room as JSON: learners, lessons' steps, current lesson and radar."""
        now = _time.time() if now is None else now
        return {
            "learners": [s.to_json(now, self.offline_after) for s in self.learners.values()],
            "lessons": self.lessons,
            "radar": self.radar(now),
        }
