"""The footer's keys: all of them on a wide screen, the six a learner needs on a narrow one.

At 80 columns the full row of function keys is cut off after the eighth, and Quit falls
off the end. Below the lesson screen's narrow width the footer keeps Help, Paste, Check,
Hint, Lessons and Quit; the help screen (F1) lists every key.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

# FooterKey is what Footer itself yields; it is not exported by textual.widgets.
from textual.widgets._footer import FooterKey

ESSENTIAL = frozenset({"app.help", "paste", "check", "hint", "lessons", "quit"})
"""Actions whose keys a narrow footer keeps."""


class LessonFooter(Footer):
    """A footer that drops all but the ESSENTIAL keys while its screen has ``-narrow``."""

    def compose(self) -> ComposeResult:
        """One key per action, in binding order (this app uses no binding groups)."""
        if not self._bindings_ready:
            return
        narrow = self.screen.has_class("-narrow")
        shown: set[str] = set()
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in shown:
                continue
            if narrow and binding.action not in ESSENTIAL:
                continue
            shown.add(binding.action)
            key = FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            )
            key.compact = self.compact
            yield key
