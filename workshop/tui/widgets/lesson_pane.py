"""The lesson half of the screen (steps, text, checks), whose keys never take a letter.

Function keys work everywhere, but some terminals take a few for themselves (F1 help,
F10 menu, F11 full screen). When the keyboard is in the lesson (F6 or Ctrl+]), every
action also has a Ctrl key; the footer shows them there. A printable key typed while the
lesson has the keyboard is meant for the shell: it goes back to the terminal with the
keyboard, so a learner who clicked the lesson and typed on never runs a lesson action.
A quiz question's form is the exception: what is typed there is the answer.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message


class LessonPane(Horizontal):
    """Steps on the left, the step's text and the check panel on the right."""

    BINDINGS = [
        Binding("ctrl+p", "screen.paste", "Paste"),
        Binding("ctrl+k", "screen.check", "Check"),
        Binding("ctrl+t", "screen.hint", "Hint"),
        Binding("ctrl+s", "screen.solution", "Solution"),
        Binding("ctrl+b", "screen.previous_step", "Back"),
        Binding("ctrl+n", "screen.next_step", "Next"),
        Binding("ctrl+r", "screen.reset_step", "Reset"),
        Binding("ctrl+l", "screen.lessons", "Lessons"),
        Binding("ctrl+a", "screen.raise_hand", "Ask"),
        Binding("escape", "screen.switch_focus", "Terminal"),
    ]
    """Ctrl keys for every lesson action, live while the lesson has the keyboard."""

    class TypedAway(Message):
        """A printable key reached the lesson: it belongs to the terminal."""

        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    def on_key(self, event: events.Key) -> None:
        """Send printable keys to the terminal (and the keyboard with them), unless the
        keyboard is in a form that takes typing (a quiz question's answer)."""
        focused = self.screen.focused
        if focused is not None and any(
            getattr(node, "takes_typing", False) for node in focused.ancestors_with_self
        ):
            return
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.post_message(self.TypedAway(event.character))
