"""The footer's keys: all of them on a wide screen, the six a learner needs on a narrow one.

At 80 columns the full row of function keys is cut off after the eighth, and Quit falls
off the end. Below the lesson screen's narrow width the footer keeps Help, Paste, Check,
Hint, Lessons and Quit; the help screen (F1) lists every key.

Textual's footer rebuilds all its keys whenever the screen's bindings may have changed
(focus moves, a screen is pushed): a dozen widgets mounted and styled each time, several
times while the first screen comes up. This one rebuilds only when the keys it shows differ.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

# FooterKey is what Footer itself yields; it is not exported by textual.widgets.
from textual.widgets._footer import FooterKey

ESSENTIAL = frozenset({"app.help", "paste", "check", "hint", "lessons", "quit"})
"""Actions whose keys a narrow footer keeps."""


class LessonFooter(Footer):
    """A footer that drops all but the ESSENTIAL keys while its screen has ``-narrow``."""

    _drawn: tuple[object, ...] | None = None
    """What the keys on show were made from (None: none made yet)."""

    def _keys(self) -> list[tuple[str, str, str, str, bool, str]]:
        """``(key, key display, description, action, enabled, tooltip)`` of each key to show:
        one per action, in binding order (this app uses no binding groups)."""
        narrow = self.screen.has_class("-narrow")
        shown: set[str] = set()
        keys = []
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in shown:
                continue
            if narrow and binding.action not in ESSENTIAL:
                continue
            shown.add(binding.action)
            display = self.app.get_key_display(binding)
            keys.append(
                (binding.key, display, binding.description, binding.action, enabled, tooltip)
            )
        return keys

    def compose(self) -> ComposeResult:
        """The keys of :meth:`_keys`, from the first compose on (Textual's footer starts
        empty and recomposes when the bindings are first announced: the same keys, made
        twice while the first screen comes up)."""
        keys = self._keys()
        self._drawn = (tuple(keys), self.compact)
        for key, display, description, action, enabled, tooltip in keys:
            item = FooterKey(
                key, display, description, action, disabled=not enabled, tooltip=tooltip
            )
            # set without the watcher: it would restyle the key before it is even mounted
            item.set_reactive(FooterKey.compact, self.compact)
            item.set_class(self.compact, "-compact")
            yield item

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild the keys only when the ones to show changed."""
        if self._drawn is not None and screen is self.screen and self.is_attached:
            self._bindings_ready = True
            if (tuple(self._keys()), self.compact) == self._drawn:
                return
        super().bindings_changed(screen)
