"""Textual messages that carry the engine's events onto the UI's loop.

One small, past-tense message per engine event (``workshop.engine.events``), each holding
the event itself. :class:`workshop.tui.bridge.EngineBridge` makes them and posts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from workshop.engine import events as ev
from workshop.tui import bridge


@dataclass
class SessionStarted(Message):
    """The learner's session is up: the shell runs and the first step is known."""

    event: bridge.SessionUp


@dataclass
class SessionFailed(Message):
    """The session could not start; ``event.message`` says why."""

    event: bridge.SessionDown


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


@dataclass
class SharingChanged(Message):
    """The learner's screen began or stopped being shared (``ev.ScreenSharingChanged``)."""

    event: ev.ScreenSharingChanged


@dataclass
class StepReset(Message):
    """The learner rewound a step (``ev.StepReset``)."""

    event: ev.StepReset


@dataclass
class ShellRestarted(Message):
    """The learner's bash ended and a new one started (``ev.ShellRestarted``)."""

    event: ev.ShellRestarted


@dataclass
class NoticeShown(Message):
    """A one-line note for the learner (``ev.Notice``)."""

    event: ev.Notice


WRAPPERS: dict[type, type[Message]] = {
    bridge.SessionUp: SessionStarted,
    bridge.SessionDown: SessionFailed,
    ev.StepStarted: StepStarted,
    ev.CommandFinished: CommandFinished,
    ev.CheckCompleted: CheckCompleted,
    ev.StepUnlocked: StepUnlocked,
    ev.LessonCompleted: LessonCompleted,
    ev.HintShown: HintShown,
    ev.SessionProblem: ProblemReported,
    ev.Broadcast: BroadcastReceived,
    ev.ClassroomStateChanged: ClassroomChanged,
    ev.ScreenSharingChanged: SharingChanged,
    ev.StepReset: StepReset,
    ev.ShellRestarted: ShellRestarted,
    ev.Notice: NoticeShown,
}
