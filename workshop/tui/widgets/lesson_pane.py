"""The lesson half of the screen (steps, text, checks) with one-letter keys of its own.

Function keys work everywhere, but some terminals take a few for themselves (F1 help,
F10 menu, F11 full screen). When the keyboard is in the lesson (F6 or Ctrl+]), letters
are free, so every action has a letter too; the footer shows them there.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Horizontal


class LessonPane(Horizontal):
    """Steps on the left, the step's text and the check panel on the right."""

    BINDINGS = [
        Binding("p", "screen.paste", "Paste"),
        Binding("c", "screen.check", "Check"),
        Binding("h", "screen.hint", "Hint"),
        Binding("s", "screen.solution", "Solution"),
        Binding("b", "screen.previous_step", "Back"),
        Binding("n", "screen.next_step", "Next"),
        Binding("r", "screen.reset_step", "Reset"),
        Binding("l", "screen.lessons", "Lessons"),
        Binding("a", "screen.raise_hand", "Ask"),
        Binding("question_mark", "app.help", "Help"),
        Binding("t", "screen.switch_focus", "Terminal"),
    ]
    """Letters for every lesson action, live while the lesson has the keyboard."""
