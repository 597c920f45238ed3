"""Textual messages that carry the engine's events onto the UI's loop.

One small, past-tense message per engine event (``workshop.engine.events``), each holding
the event itself. :class:`workshop.tui.bridge.EngineBridge` makes them and posts them.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.message import Message

from workshop.engine import events as ev
from workshop.tui import bridge

E = TypeVar("E")


class Carrying(Message, Generic[E]):
    """A message that carries one engine event (written out, not a dataclass: the app
    defines a dozen of these at every start, and dataclasses compile code for each)."""

    def __init__(self, event: E) -> None:
        super().__init__()
        self.event = event
        """The engine's event."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.event!r})"


class SessionStarted(Carrying[bridge.SessionUp]):
    """The learner's session is up: the shell runs and the first step is known."""


class SessionFailed(Carrying[bridge.SessionDown]):
    """The session could not start; ``event.message`` says why."""


class StepStarted(Carrying[ev.StepStarted]):
    """The learner is now on ``event.step_id`` (``ev.StepStarted``)."""


class CommandFinished(Carrying[ev.CommandFinished]):
    """A command ended at the prompt (``ev.CommandFinished``)."""


class CheckCompleted(Carrying[ev.CheckCompleted]):
    """The step's checks ran (``ev.CheckCompleted``): passed, failed or still pending."""


class StepUnlocked(Carrying[ev.StepUnlocked]):
    """A step passed and the next opened (``ev.StepUnlocked``)."""


class LessonCompleted(Carrying[ev.LessonCompleted]):
    """Every step of the lesson passed (``ev.LessonCompleted``)."""


class HintShown(Carrying[ev.HintShown]):
    """A hint or the solution was revealed (``ev.HintShown``)."""


class ProblemReported(Carrying[ev.SessionProblem]):
    """Something broke that is not the learner's fault (``ev.SessionProblem``)."""


class BroadcastReceived(Carrying[ev.Broadcast]):
    """The instructor sent the room a message (``ev.Broadcast``)."""


class ClassroomChanged(Carrying[ev.ClassroomStateChanged]):
    """The classroom connection changed state (``ev.ClassroomStateChanged``)."""


class SharingChanged(Carrying[ev.ScreenSharingChanged]):
    """The learner's screen began or stopped being shared (``ev.ScreenSharingChanged``)."""


class StepReset(Carrying[ev.StepReset]):
    """The learner rewound a step (``ev.StepReset``)."""


class ShellRestarted(Carrying[ev.ShellRestarted]):
    """The learner's bash ended and a new one started (``ev.ShellRestarted``)."""


class NoticeShown(Carrying[ev.Notice]):
    """A one-line note for the learner (``ev.Notice``)."""


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
