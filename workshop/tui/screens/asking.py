"""The lesson screen's actions that throw work away or do it for the learner: resetting a
step or the lesson, and skipping a step. Each asks first when something would be lost, and
says what (``2 passed steps and the foundation since step 4``); Escape keeps everything.

A base class of :class:`~workshop.tui.screens.lesson.LessonScreen`, kept apart so that the
screen module stays about showing the session.
"""

from __future__ import annotations

from textual import work
from textual.screen import Screen

from workshop.engine.ports import LearnerSessionPort


class AskingActions(Screen[None]):
    """Reset (F9, Shift+F9) and skip (F11), asking before they lose anything."""

    session: LearnerSessionPort
    """The learner's session (set by the screen)."""

    def _passed_from(self, index: int) -> int:
        """How many steps from ``index`` on are done (passed or skipped)."""
        steps = self.session.lesson.steps[index:]
        return sum(self.session.step_status(s.id) in ("passed", "skipped") for s in steps)

    def _ask_to_reset(self, question: str, first: str | None) -> None:
        """Ask ``question``; on yes, reset from ``first`` (None: the current step)."""
        from workshop.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            """Reset when the learner said yes."""
            if yes:
                self._reset(first)

        self.app.push_screen(ConfirmScreen(question, yes="Reset (y)"), answered)

    def action_reset_step(self) -> None:
        """Rewind the foundation to the start of this step and forget its attempts; when
        that throws away done steps, ask first."""
        ids = [s.id for s in self.session.lesson.steps]
        number = ids.index(self.session.current_step.id) + 1
        lost = self._passed_from(number - 1)
        if not lost:
            self._reset(None)
            return
        self._ask_to_reset(
            f"Reset step {number}? {_lost(lost, number)} will be lost: you do them again.",
            None,
        )

    def action_reset_lesson(self) -> None:
        """Rewind the whole lesson to its start, after asking."""
        lesson = self.session.lesson
        lost = self._passed_from(0)
        what = _lost(lost, 1) if lost else "The foundation since step 1"
        self._ask_to_reset(
            f"Reset the lesson “{lesson.title}”? {what} will be lost: you start it again.",
            lesson.steps[0].id,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="steps", description="reset")
    def _reset(self, first: str | None) -> None:
        if first is not None and first != self.session.current_step.id:
            self.session.go_to(first)
        self.session.reset_step()

    def action_skip_step(self) -> None:
        """Skip this step, after asking: its solution runs in the terminal, and the step
        counts as skipped, not passed."""
        from workshop.tui.screens.confirm import ConfirmScreen

        step = self.session.current_step
        if self.session.step_status(step.id) in ("passed", "skipped"):
            self.notify("This step is done already.", timeout=3)
            return
        title = self.session.step_title(step)

        def answered(yes: bool | None) -> None:
            """Skip when the learner said yes."""
            if yes:
                self._skip()

        question = (
            f"Skip “{title}”? Its solution runs in your terminal for you, and the step "
            "counts as skipped, not passed."
        )
        self.app.push_screen(ConfirmScreen(question, yes="Skip it (y)"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="steps", description="skip step")
    def _skip(self) -> None:
        self.session.skip_step()


def _lost(done: int, number: int) -> str:
    """``3 passed steps and the foundation since step 4``."""
    steps = f"{done} passed step{'s' if done != 1 else ''}"
    return f"{steps} and the foundation since step {number}"
