"""The top bar: workshop and lesson title, the learner's host suffix, the MOCK/LIVE badge,
the classroom's state and, while it lasts, that the learner's screen is shared."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class LessonHeader(Widget):
    """One line that says where the learner is and what they are connected to."""

    DEFAULT_CSS = """
    LessonHeader {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    workshop_title: reactive[str] = reactive("")
    """The workshop's title."""
    lesson_title: reactive[str] = reactive("")
    """The current lesson's title."""
    mode: reactive[str] = reactive("mock")
    """``mock`` (offline, simulated) or ``live`` (the real tool)."""
    classroom: reactive[str] = reactive("")
    """The classroom connection (``online``, ``offline`` …); empty when not in a classroom."""
    sharing: reactive[bool] = reactive(False)
    """The learner's screen is shared with the instructor: marked for as long as it is."""
    host_suffix: reactive[str] = reactive("")
    """The learner's HOST_SUFFIX (what keeps their app's routes apart from the room's on a
    shared foundation); shown when not empty."""

    def render(self) -> Text:
        """Titles on the left; the host suffix, the classroom and the mode on the right."""
        variables = self.app.theme_variables
        left = Text.assemble(
            (" " + self.workshop_title, "bold"),
            ("  ›  " if self.lesson_title else "", "dim"),
            (self.lesson_title, ""),
        )
        badge_bg = variables.get("warning" if self.mode == "live" else "success", "green")
        right = Text()
        if self.host_suffix:
            right.append(" host suffix: ", "dim")
            right.append(self.host_suffix + " ", "bold")
        if self.sharing:
            right.append(" ● SCREEN SHARED ", f"bold reverse {variables.get('error', 'red')}")
            right.append(" ")
        if self.classroom:
            state_colour = "success" if self.classroom == "online" else "warning"
            right.append(" classroom: ", "dim")
            right.append(self.classroom + " ", f"bold {variables.get(state_colour, 'yellow')}")
        right.append(f" {self.mode.upper()} ", f"bold reverse {badge_bg}")
        right.append(" ")
        width = self.size.width
        left.truncate(max(0, width - right.cell_len - 1), overflow="ellipsis")
        pad = max(1, width - left.cell_len - right.cell_len)
        return Text.assemble(left, " " * pad, right)
