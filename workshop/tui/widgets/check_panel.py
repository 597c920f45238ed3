"""What the checks said about the learner's last attempt, and any hint or solution shown.

It grows with what it says up to a part of the lesson column, then scrolls (to its end,
where the newest words are): the step's commands above it stay in sight.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static


class CheckPanel(VerticalScroll):
    """The verdict on the current step: waiting, partly done, passed, failed or check error."""

    DEFAULT_CSS = """
    CheckPanel {
        height: auto;
        max-height: 45%;
        padding: 0 1;
        border-top: solid $primary;
        scrollbar-size-vertical: 1;
    }
    CheckPanel > Static {
        height: auto;
    }
    CheckPanel.-passed { border-top: solid $success; }
    CheckPanel.-failed { border-top: solid $error; }
    CheckPanel.-error, CheckPanel.-stopped { border-top: solid $warning; }
    """

    _lines: tuple[RenderableType, ...] = ()
    """What the panel shows now, line by line: the verdict, then the notes."""

    state: reactive[str] = reactive("waiting")
    """``waiting``, ``pending``, ``passed``, ``failed``, ``error`` (the check broke) or
    ``stopped`` (a prerequisite of the workshop is not met)."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._first = text
        self._verdict: tuple[RenderableType, ...] = (Text(text),)
        self._lines = self._verdict
        self._notes: list[tuple[str, str]] = []
        """Hints and the solution shown on this step, as (label, text)."""

    def compose(self) -> ComposeResult:
        """One block of text."""
        yield Static(self._first, id="check-text")

    @property
    def text(self) -> str:
        """What the panel says, as plain text (one line per line shown)."""
        return "\n".join(
            line.plain if isinstance(line, Text) else str(line) for line in self._lines
        )

    def show_waiting(self, text: str) -> None:
        """Before any attempt: what to do next."""
        self._set("waiting", Text(text))

    def show_pending(self, text: str) -> None:
        """Part of a multi-command step is done."""
        self._set("pending", Text.assemble(("… ", "bold"), (text, "")))

    def show_passed(self, text: str) -> None:
        """The step passed."""
        self._set("passed", Text.assemble(("✓ ", "bold green"), (text, "bold")))

    def show_stopped(self, reason: str) -> None:
        """A prerequisite of the workshop is not met: what it says, and how to go on."""
        lines = Group(
            Text.assemble(("⚠ ", "bold yellow"), (reason, "bold")),
            Text("Fix this, then F3 checks again.", "dim"),
        )
        self._set("stopped", lines)

    def show_failed(
        self,
        reason: str,
        near_miss: str | None = None,
        hint: str | None = None,
        solution: str | None = None,
        problem: bool = False,
    ) -> None:
        """A failed attempt: the reason, the near-miss token, the hint; or a broken check."""
        lines: list[RenderableType] = []
        if problem:
            lines.append(Text.assemble(("⚠ Problem with the check: ", "bold yellow"), (reason, "")))
            lines.append(
                Text("This is not your fault. Try F3 to check again, or ask for help.", "dim")
            )
        else:
            lines.append(
                Text.assemble(("✗ Not yet: ", "bold red"), (reason or "the check failed.", ""))
            )
        if near_miss:
            lines.append(Text.assemble(("  Look at: ", "bold"), (near_miss, "bold reverse")))
        for label, text in (("Hint", hint), ("Solution", solution)):
            if text:
                self._remember(label, text)
        self._set("error" if problem else "failed", Group(*lines))

    def add_note(self, label: str, text: str) -> None:
        """Add a hint or solution under the verdict; it stays under later verdicts on the
        same step (until :meth:`forget_notes`)."""
        self._remember(label, text)
        self._draw(newest_last=True)

    def reveal_notes(self) -> bool:
        """Scroll to the hints and solution shown on this step; False when there are none."""
        if not self._notes:
            return False
        self.scroll_end(animate=False)
        return True

    def forget_notes(self) -> None:
        """A new step: its own hints only."""
        self._notes = []

    def _remember(self, label: str, text: str) -> None:
        if (label, text) not in self._notes:
            self._notes.append((label, text))

    def _set(self, state: str, content: RenderableType) -> None:
        self.state = state
        self._verdict = tuple(content.renderables) if isinstance(content, Group) else (content,)
        self.set_class(state == "passed", "-passed")
        self.set_class(state == "failed", "-failed")
        self.set_class(state == "error", "-error")
        self.set_class(state == "stopped", "-stopped")
        self._draw()

    def _draw(self, newest_last: bool = False) -> None:
        notes = [Text.assemble((f"{label}: ", "bold"), (text, "")) for label, text in self._notes]
        lines = (*self._verdict, *notes)
        if lines != self._lines:  # the same text again: no new layout of the screen
            self._lines = lines
            self.query_one("#check-text", Static).update(Group(*self._lines))
        # a new verdict is read from its first line; an added note is the newest words
        if newest_last:
            self.call_after_refresh(self.scroll_end, animate=False)
        else:
            self.scroll_home(animate=False)
