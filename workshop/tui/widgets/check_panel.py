"""What the checks said about the learner's last attempt, and any hint or solution shown."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class CheckPanel(Static):
    """The verdict on the current step: waiting, partly done, passed, failed or check error."""

    DEFAULT_CSS = """
    CheckPanel {
        height: auto;
        max-height: 10;
        padding: 0 1;
        border-top: solid $primary;
    }
    CheckPanel.-passed { border-top: solid $success; }
    CheckPanel.-failed { border-top: solid $error; }
    CheckPanel.-error { border-top: solid $warning; }
    """

    _lines: tuple[RenderableType, ...] = ()
    """What the panel shows now, line by line (to append notes to)."""

    state: reactive[str] = reactive("waiting")
    """``waiting``, ``pending``, ``passed``, ``failed`` or ``error`` (the check broke)."""

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
        if hint:
            lines.append(Text.assemble(("Hint: ", "bold"), (hint, "")))
        if solution:
            lines.append(Text.assemble(("Solution: ", "bold"), (solution, "")))
        self._set("error" if problem else "failed", Group(*lines))

    def add_note(self, label: str, text: str) -> None:
        """Append a hint or solution under the current verdict."""
        current = [*self._lines, Text.assemble((f"{label}: ", "bold"), (text, ""))]
        self._set(self.state, Group(*current))

    def _set(self, state: str, content: RenderableType) -> None:
        self.state = state
        self._lines = tuple(content.renderables) if isinstance(content, Group) else (content,)
        self.set_class(state == "passed", "-passed")
        self.set_class(state == "failed", "-failed")
        self.set_class(state == "error", "-error")
        self.update(content)
