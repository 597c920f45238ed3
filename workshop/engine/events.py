"""The one stream of events a learner's session emits, typed: :data:`Event`.

Every front end (the TUI, the plain runner), the progress recorder and the classroom feed
subscribe to the same stream (:mod:`workshop.engine.recorders`), so what the learner sees,
what progress keeps and what the instructor sees cannot disagree. Events are small, frozen
and past tense (light records, see :mod:`workshop.records`: cheap to define at start-up). They are emitted from background threads (the shell's reader, the check
worker): a front end that draws must hand them to its own loop (the TUI uses
``post_message``).
"""

from __future__ import annotations

from collections.abc import Callable

from workshop.checking.result import CheckResult
from workshop.records import Record
from workshop.shell.result import CommandResult


class SessionStarted(Record):
    """The session is up on a lesson: its shell runs and the learner can type."""

    lesson_id: str
    step_id: str
    step_ids: tuple[str, ...]
    title: str
    done: tuple[str, ...] = ()
    """Every step of the workshop the learner had passed (``lesson/step``), any lesson."""
    skipped: tuple[str, ...] = ()
    """And those skipped (their solve ran)."""


class OutputReceived(Record):
    """Text the learner's terminal printed (ANSI kept, markers removed)."""

    text: str


class CommandFinished(Record):
    """A command ended at the prompt, on this step."""

    result: CommandResult
    lesson_id: str
    step_id: str
    attempt: bool
    """The command belongs to the step (its program and sub-command): it counts as an attempt."""


class CheckCompleted(Record):
    """The current step's checks ran (after a command, on request, or on resume).

    Every :class:`CommandFinished` is followed by exactly one ``CheckCompleted`` for it.
    """

    step_id: str
    passed: bool
    results: tuple[CheckResult, ...] = ()
    reason: str = ""
    near_miss: str | None = None
    hint: str | None = None
    solution: str | None = None
    pending: str | None = None
    """Set (e.g. "1 of 2 commands done") when a multi-command step is only part way."""
    lesson_id: str = ""
    attempt: bool = True
    """The round came from a command that belongs to the step: progress counts it."""
    quiet: bool = False
    """Nothing the learner asked for (``ls``, ``clear``, the check on resume): front ends
    show no failure for it."""
    review: bool = False
    """The step had passed before: nothing changed (a command run while reviewing it)."""
    error: bool = False
    """A check itself broke (not the learner's fault)."""
    hint_index: int | None = None
    """Which of the step's hints ``hint`` is (None: the failing check's own hint, or none)."""
    prerequisite: bool = False
    """A prerequisite of the workshop is not met (``reason`` says which): the step was not
    judged, and nothing the learner does counts until it is met."""


class QuizAnswered(Record):
    """The learner answered a quiz step (the verdict follows as a :class:`CheckCompleted`)."""

    lesson_id: str
    step_id: str
    answer: str
    right: bool


class StepStarted(Record):
    """The learner is now on this step (after a pass, a jump, a reset or a resume)."""

    lesson_id: str
    step_id: str
    step_ids: tuple[str, ...] = ()
    title: str = ""
    """The lesson's title (the classroom shows it)."""


class StepUnlocked(Record):
    """A step passed and the next one is open."""

    step_id: str
    next_step_id: str | None
    lesson_id: str = ""
    skipped: bool = False
    """The step was skipped, not passed."""


class StepSkipped(Record):
    """The learner skipped a step: its solve ran for them; it is done, not passed."""

    lesson_id: str
    step_id: str


class StepReset(Record):
    """The learner rewound a step: it and the steps after it are to do again."""

    lesson_id: str
    step_id: str
    lost_steps: int
    """How many passed steps the reset took back."""


class LessonCompleted(Record):
    """Every step of the lesson has passed."""

    lesson_id: str
    next_lesson_id: str | None


class HintShown(Record):
    """A hint (or the solution) was shown to the learner."""

    step_id: str
    text: str
    solution: bool = False
    lesson_id: str = ""
    index: int | None = None
    """Which of the step's hints it is (``-1``: the solution; None: not one to keep)."""


class HelpRequested(Record):
    """The learner raised a hand."""

    lesson_id: str
    step_id: str
    message: str


class ShellRestarted(Record):
    """The learner's bash ended (``exit``, a crash) and a new one started in ``cwd``."""

    status: int
    cwd: str


class Notice(Record):
    """A one-line note for the learner that is nobody's fault (variables lost in a restart)."""

    text: str
    prerequisites_met: bool = False
    """The note says the workshop's prerequisites pass now (what stopped the learner is gone)."""


class SessionProblem(Record):
    """Something went wrong that is not the learner's fault (the shell died, a check crashed)."""

    message: str


class SessionEnded(Record):
    """The session closed (the learner left)."""

    lesson_id: str
    step_id: str


class Broadcast(Record):
    """A message from the instructor."""

    text: str


class ClassroomStateChanged(Record):
    """The classroom connection changed (connecting, online, offline, rejected: …)."""

    state: str


class ScreenSharingChanged(Record):
    """The learner's screen began (``sharing``) or stopped being shared with the instructor."""

    sharing: bool


Event = (
    SessionStarted
    | OutputReceived
    | CommandFinished
    | CheckCompleted
    | QuizAnswered
    | StepStarted
    | StepUnlocked
    | StepSkipped
    | StepReset
    | LessonCompleted
    | HintShown
    | HelpRequested
    | ShellRestarted
    | Notice
    | SessionProblem
    | SessionEnded
    | Broadcast
    | ClassroomStateChanged
    | ScreenSharingChanged
)
"""Everything a session emits."""

Listener = Callable[[Event], None]
"""Who receives the stream: a front end, a recorder, a test's event log."""
