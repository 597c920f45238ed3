"""Events a :class:`~workshop.engine.session.LearnerSession` emits to its front end.

Small, immutable, past tense. They are emitted from background threads: a front end that
draws must hand them to its own loop (the TUI uses ``post_message``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OutputReceived:
    """Text the learner's terminal printed (ANSI kept, markers removed)."""

    text: str


@dataclass(frozen=True)
class CommandFinished:
    """A command ended at the prompt; ``result`` is a ``workshop.shell.CommandResult``."""

    result: Any
    step_id: str


@dataclass(frozen=True)
class CheckCompleted:
    """The current step's checks ran. ``results`` are ``workshop.checking.CheckResult``s."""

    step_id: str
    passed: bool
    results: list[Any] = field(default_factory=list)
    reason: str = ""
    near_miss: str | None = None
    hint: str | None = None
    solution: str | None = None
    pending: str | None = None
    """Set (e.g. "1 of 2 commands done") when a multi-command step is only part way."""


@dataclass(frozen=True)
class StepStarted:
    """The learner is now on this step (after a pass, a jump or a resume)."""

    lesson_id: str
    step_id: str


@dataclass(frozen=True)
class StepUnlocked:
    """A step passed and the next one is open."""

    step_id: str
    next_step_id: str | None


@dataclass(frozen=True)
class LessonCompleted:
    """Every step of the lesson has passed."""

    lesson_id: str
    next_lesson_id: str | None


@dataclass(frozen=True)
class HintShown:
    """A hint (or the solution) was shown to the learner."""

    step_id: str
    text: str
    solution: bool = False


@dataclass(frozen=True)
class SessionProblem:
    """Something went wrong that is not the learner's fault (the shell died, a check crashed)."""

    message: str


@dataclass(frozen=True)
class Broadcast:
    """A message from the instructor."""

    text: str


@dataclass(frozen=True)
class ClassroomStateChanged:
    """The classroom connection changed (connecting, online, offline, rejected: …)."""

    state: str
