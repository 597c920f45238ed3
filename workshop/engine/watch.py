"""``ContentWatcher``: notices when an author saves a lesson, workshop.yaml or a check.

``workshop run --watch`` reloads the content while the learner works (the session keeps its
position). A thread compares the modification times of the workshop's files every half
second — no dependency, cheap for a workshop's few hundred files — and calls back once per
burst of saves.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

SUFFIXES = frozenset({".md", ".yaml", ".yml", ".sh", ".py"})
"""What counts as content (plus executables under the checks folder)."""


def snapshot(root: Path) -> dict[str, float]:
    """Modification time of each content file under ``root``."""
    found: dict[str, float] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = os.path.join(folder, name)
            if os.path.splitext(name)[1] in SUFFIXES or os.access(path, os.X_OK):
                try:
                    found[path] = os.stat(path).st_mtime
                except OSError:
                    continue
    return found


class ContentWatcher:
    """Calls ``on_change`` (from its own thread) after files under ``roots`` changed."""

    def __init__(
        self, roots: list[Path], on_change: Callable[[], None], interval: float = 0.5
    ) -> None:
        self.roots = roots
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="content-watcher", daemon=True)

    def _state(self) -> dict[str, float]:
        state: dict[str, float] = {}
        for root in self.roots:
            state.update(snapshot(root))
        return state

    def start(self) -> None:
        """Begin watching (from the files as they are now)."""
        self._seen = self._state()
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            now = self._state()
            if now == self._seen:
                continue
            # a burst of saves (an editor writes a temporary file, then renames it): wait
            # until it has settled
            while not self._stop.wait(self.interval):
                again = self._state()
                if again == now:
                    break
                now = again
            self._seen = now
            if not self._stop.is_set():
                self.on_change()

    def stop(self) -> None:
        """Stop watching; safe to call twice."""
        self._stop.set()
