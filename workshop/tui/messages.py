"""Textual messages that carry the engine's events onto the UI's loop.

The engine calls its listener from background threads (the shell's reader, the check
worker). :class:`EngineBridge` is that listener: terminal output goes straight into the
terminal pane's model (thread-safe, batched by the pane's frame timer, so a flood of output
never floods the message queue); every other event becomes one small, past-tense message
posted with ``post_message`` (thread-safe) to the app.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from workshop.engine import events as ev


@dataclass
class SessionStarted(Message):
    """The learner's session is up: the shell runs and the first step is known."""


@dataclass
class SessionFailed(Message):
    """The session could not start; ``message`` says why."""

    message: str


@dataclass
class StepStarted(Message):
    """The learner is now on ``event.step_id`` (``ev.StepStarted``)."""

    event: ev.StepStarted


@dataclass
class CommandFinished(Message):
    """A command ended at the prompt (``ev.CommandFinished``)."""

    event: ev.CommandFinished


@dataclass
class CheckCompleted(Message):
    """The step's checks ran (``ev.CheckCompleted``): passed, failed or still pending."""

    event: ev.CheckCompleted


@dataclass
class StepUnlocked(Message):
    """A step passed and the next opened (``ev.StepUnlocked``)."""

    event: ev.StepUnlocked


@dataclass
class LessonCompleted(Message):
    """Every step of the lesson passed (``ev.LessonCompleted``)."""

    event: ev.LessonCompleted


@dataclass
class HintShown(Message):
    """A hint or the solution was revealed (``ev.HintShown``)."""

    event: ev.HintShown


@dataclass
class ProblemReported(Message):
    """Something broke that is not the learner's fault (``ev.SessionProblem``)."""

    event: ev.SessionProblem


@dataclass
class BroadcastReceived(Message):
    """The instructor sent the room a message (``ev.Broadcast``)."""

    event: ev.Broadcast


@dataclass
class ClassroomChanged(Message):
    """The classroom connection changed state (``ev.ClassroomStateChanged``)."""

    event: ev.ClassroomStateChanged


_WRAPPERS: dict[type, type[Message]] = {
    ev.StepStarted: StepStarted,
    ev.CommandFinished: CommandFinished,
    ev.CheckCompleted: CheckCompleted,
    ev.StepUnlocked: StepUnlocked,
    ev.LessonCompleted: LessonCompleted,
    ev.HintShown: HintShown,
    ev.SessionProblem: ProblemReported,
    ev.Broadcast: BroadcastReceived,
    ev.ClassroomStateChanged: ClassroomChanged,
}


class EngineBridge:
    """The engine's listener: output to the terminal model, the rest as messages.

    It can be made before the screen exists (the classroom reporter may speak first):
    until :meth:`connect` it keeps what arrives, then hands it over in order.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._post: Callable[[Message], Any] | None = None
        self._feed: Callable[[str], None] | None = None
        self._early: list[Any] = []

    def connect(self, post: Callable[[Message], Any], feed: Callable[[str], None]) -> None:
        """Start delivering: messages to ``post``, terminal output to ``feed``."""
        with self._lock:
            self._post, self._feed = post, feed
            early, self._early = self._early, []
        for event in early:
            self(event)

    def relay(self, message: Message) -> None:
        """Post a message of the front end's own (session started/failed) the same way."""
        with self._lock:
            post = self._post
        if post is not None:
            post(message)

    def __call__(self, event: Any) -> None:
        """Called by the engine, from any thread."""
        with self._lock:
            post, feed = self._post, self._feed
            if post is None or feed is None:
                self._early.append(event)
                return
        if isinstance(event, ev.OutputReceived):
            feed(event.text)
            return
        wrapper = _WRAPPERS.get(type(event))
        if wrapper is not None:
            post(wrapper(event))  # type: ignore[call-arg]
