"""``SessionReads``: what a front end reads of a learner's session, apart from what it does.

The lesson and step the learner is on, each step's status, steps rendered for display (with
the workshop's variables, the learner's settings and what their shell exported), the lesson
summary. :class:`~workshop.engine.session.LearnerSession` is one; this half holds no I/O.
"""

from __future__ import annotations

from pathlib import Path

from workshop.content import templates
from workshop.content.model import Lesson, Step, Workshop
from workshop.engine.lesson_progress import LessonProgress, LessonSummary, summarise
from workshop.engine.ports import FoundationPort, ReporterPort, ShellPort, StepStatus
from workshop.engine.shell_templates import ShellTemplates
from workshop.engine.steps import rendered_step, shown_values


class SessionReads:
    """The reading half of a learner's session (the session sets these attributes)."""

    workshop: Workshop
    progress: LessonProgress
    foundation: FoundationPort
    reporter: ReporterPort | None
    shell: ShellPort | None
    env: dict[str, str]
    cwd: Path | None
    values: dict[str, str]
    """Template values: settings over the workshop's variables over this environment."""
    _own: set[str]
    """The names the workshop and the learner's settings define (the shell cannot)."""
    _shell_templates: ShellTemplates
    """Runs the classic layout's ``{{ command }}`` templates where the learner's shell is."""

    @property
    def lesson(self) -> Lesson:
        """The lesson the learner is in."""
        return self.progress.lesson

    @property
    def mode(self) -> str:
        """``mock`` or ``live``."""
        return self.foundation.mode

    @property
    def current_step(self) -> Step:
        """The step the learner is on."""
        return self.progress.current

    @property
    def passed(self) -> set[str]:
        """Ids of the current lesson's passed steps."""
        return self.progress.passed

    @property
    def lesson_complete(self) -> bool:
        """True when every step of the current lesson has passed."""
        return self.progress.complete

    @property
    def host_suffix(self) -> str:
        """The learner's host suffix (``HOST_SUFFIX``), shown so they know their routes."""
        return self.values.get("HOST_SUFFIX", "") or ""

    @property
    def in_classroom(self) -> bool:
        """True when the session reports to an instructor."""
        return self.reporter is not None

    def step_status(self, step_id: str) -> StepStatus:
        """``passed``, ``current`` or ``locked``."""
        return self.progress.status(step_id)

    def step_view(self, step: Step | None = None) -> Step:
        """A step with templates rendered, for display."""
        if not self.workshop.classic:
            return rendered_step(step or self.current_step, self.shown_values())
        shell = self.shell
        env = (shell.env if shell is not None else None) or self.env
        cwd = (shell.cwd if shell is not None else None) or self.cwd
        run = self._shell_templates.runner(env, cwd)
        return rendered_step(step or self.current_step, self.shown_values(), "", run)

    def step_title(self, step: Step) -> str:
        """A step's title with templates rendered."""
        return templates.render(step.title, self.shown_values())

    def shown_values(self) -> dict[str, str]:
        """What templates show now: the workshop's variables and the learner's settings, over
        the learner shell's environment as of its last prompt (``{{echo $VAR}}`` meant the
        learner's shell), over this process's environment."""
        # before the shell starts, the environment it starts with (the mock's, in mock mode)
        shell_env = self.shell.env if self.shell is not None else self.env
        return shown_values(self.values, self._own, shell_env) if shell_env else self.values

    def unlocked(self, step_id: str) -> bool:
        """A learner may visit passed steps and the first one not yet passed."""
        return self.progress.unlocked(step_id)

    def next_lesson_id(self) -> str | None:
        """The lesson after this one, if any."""
        following = self.workshop.lesson_after(self.lesson.id)
        return following.id if following else None

    def lesson_summary(self) -> LessonSummary:
        """The current lesson in numbers (what progress and the classroom count too)."""
        return summarise(self.progress, self.workshop, self.shown_values())
