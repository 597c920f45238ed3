"""The foundation the learner's commands act on: the offline mock, or a live platform.

A foundation gives the learner's shell its environment and starting folder, sets each
lesson up, keeps each lesson's state (mock state and work folder) when the learner leaves
it and puts it back on return, saves each step's starting point and rewinds to it.
:class:`MockFoundation` does all of that with the mock's home folder and the progress
store's checkpoints; :class:`LiveFoundation` cannot rewind a real platform, so it only
gives the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from workshop.content.model import Lesson, Step, Workshop
from workshop.engine.ports import Entry, ProgressPort

if TYPE_CHECKING:
    from workshop.mock.router.holder import PortHolder

WORK_DIR_VARIABLE = "WORKSHOP_WORK_DIR"
"""Set in the shell and for checks: the folder the lesson's shell starts in."""


class MockFoundation:
    """The offline mock in ``home``: state, work folder, router, checkpoints."""

    mode: Literal["mock", "live"] = "mock"

    def __init__(
        self,
        workshop: Workshop,
        home: Path,
        store: ProgressPort,
        values: Mapping[str, str],
        *,
        color: bool = True,
    ) -> None:
        self.workshop = workshop
        self.home = home
        self.store = store
        self.values = dict(values)
        self.color = color
        """False when the terminal output goes to a pipe: the mock then prints no colour."""
        self._holder: PortHolder | None = None
        """Holds the app router's port while the session lives: the router (a Python
        process) starts only when something connects to it (most sessions never do)."""

    def environment(self, lesson: Lesson, *, reset: bool) -> tuple[dict[str, str], Path]:
        """The shell's environment and starting folder; ``reset`` sets ``lesson``'s start."""
        from workshop.engine.mockshell import mock_shell_environment

        env, cwd = mock_shell_environment(
            self.workshop,
            lesson,
            self.home,
            self.values,
            reset=reset,
            color=self.color,
            router_port=self._router_port,
        )
        env[WORK_DIR_VARIABLE] = str(cwd)
        return env, cwd

    def _router_port(self, home: Path) -> int:
        """The app router's port, held from the first call on (see :attr:`_holder`)."""
        if self._holder is None:
            from workshop.mock.router.holder import PortHolder

            self._holder = PortHolder(home, serve=False)  # until the shell is up
        return self._holder.port

    def has_state(self) -> bool:
        """True when the mock has run before (there is a foundation to resume)."""
        return (self.home / "state.json").exists()

    def shell_started(self) -> None:
        """The learner's shell is up: from now on the app router starts when something
        connects to its port (the home's CA is made first, if it is new). Not before: in the
        TUI, that work would compete with the first screen's."""
        if self._holder is not None:
            self._holder.serve()

    def leave_lesson(self, lesson: Lesson) -> None:
        """Keep the lesson's foundation as the learner leaves it."""
        if self.has_state():
            self.store.save_lesson_state(self.workshop.id, lesson.id, self.home)

    def enter_lesson(self, lesson: Lesson, *, continuing: bool) -> Entry:
        """Put ``lesson``'s own foundation back if the learner left one; else, for a lesson
        that declares no start, keep the one there when ``continuing`` (going on from the
        finished lesson before); else set up the lesson's start. A declared start always
        wins over the learner's leftovers, which could pass its steps for them."""
        if self.store.restore_lesson_state(self.workshop.id, lesson.id, self.home):
            return "restored"
        if continuing and lesson.start is None and self.has_state():
            if self.workshop.recorded:  # the recordings of this lesson answer from now on
                from workshop.mock.recorded import enter_lesson

                enter_lesson(self.home, lesson.id)
            return "continued"
        self.environment(lesson, reset=True)
        return "fresh"

    def checkpoint_step(self, lesson: Lesson, step: Step) -> None:
        """Save where ``step`` starts (kept if one was saved before)."""
        self.store.checkpoint(self.workshop.id, lesson.id, step.id, self.home)

    def rewind_step(self, lesson: Lesson, step: Step) -> bool:
        """Put the foundation back where ``step`` started; False when nothing was saved.
        The work folder stays and its contents are swapped, so the shell in it sees them."""
        return self.store.reset_step(self.workshop.id, lesson.id, step.id, self.home)

    def before_checks(self) -> None:
        """Make sure the app router answers (a router that another process started and
        that stopped after an idle spell) when the workshop has the cf mock; without it
        there is no router. While the session holds the port this starts nothing."""
        from workshop.engine.mockshell import workshop_tools

        if "cf" not in workshop_tools(self.workshop):
            return
        from workshop.mock.router import ensure_router

        ensure_router(self.home)

    def close(self) -> None:
        """Give the router's port back (a router it started outlives the session until
        idle; ``workshop mock stop`` ends it)."""
        if self._holder is not None:
            self._holder.close()


class LiveFoundation:
    """A real platform: the learner's own environment and folder; nothing can be rewound."""

    mode: Literal["mock", "live"] = "live"

    def __init__(self, workshop: Workshop, store: ProgressPort, cwd: Path | None = None) -> None:
        self.workshop = workshop
        self.store = store
        self.cwd = cwd or Path.cwd()

    def environment(self, lesson: Lesson, *, reset: bool) -> tuple[dict[str, str], Path]:
        """This process's environment and folder (``reset`` cannot apply to a real platform)."""
        env = dict(os.environ)
        env[WORK_DIR_VARIABLE] = str(self.cwd)
        return env, self.cwd

    def has_state(self) -> bool:
        """A real platform always is where the learner left it."""
        return True

    def leave_lesson(self, lesson: Lesson) -> None:
        """Nothing to keep: the platform is where it is."""

    def enter_lesson(self, lesson: Lesson, *, continuing: bool) -> Entry:
        """The platform stays as it is."""
        return "continued"

    def checkpoint_step(self, lesson: Lesson, step: Step) -> None:
        """A real platform has no checkpoints."""

    def rewind_step(self, lesson: Lesson, step: Step) -> bool:
        """Forget the step's progress; the platform itself is not rewound."""
        self.store.reset_step(self.workshop.id, lesson.id, step.id, None)
        return False

    def shell_started(self) -> None:
        """Nothing to start."""

    def before_checks(self) -> None:
        """Nothing to wake up."""

    def close(self) -> None:
        """Nothing to release."""
