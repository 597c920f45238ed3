"""The learner's screen, shared with the instructor only by the learner's own action.

:class:`ScreenShare` keeps the last 64 KiB of what the learner's terminal printed (cheap,
always), and only while sharing runs it through a VT100 model (pyte, imported then) to
get the screen the learner sees. A thread posts that screen as plain text, redacted, at
most ``fps`` times a second while it changes (and every few seconds when it does not,
so the server knows the share is alive); stopping posts ``sharing: false``.

Sharing starts when the learner raises a hand (it ends when the hand is answered) or
accepts the instructor's request; the learner is told each time, and can stop it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from workshop.classroom import protocol
from workshop.classroom.redaction import redact

KEEP = 64 * 1024
"""Characters of terminal output kept while not sharing (to draw the screen at once)."""

Post = Callable[[dict[str, Any]], bool]
"""Send one screen message to the classroom; False when it could not be sent."""


class ScreenShare:
    """One learner's terminal as text, and the thread that shares it while asked to."""

    fps = 4.0
    heartbeat = 3.0

    def __init__(self, post: Post, rows: int = 24, cols: int = 80):
        self.post = post
        self.rows, self.cols = rows, cols
        self.by_hand = False
        """Sharing began with a raised hand (answering the hand ends it)."""
        self._lock = threading.Lock()
        self._raw: deque[str] = deque()
        self._raw_size = 0
        self._screen: Any = None
        self._stream: Any = None
        self._version = 0
        self._on = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def sharing(self) -> bool:
        """Whether the screen is being shared now."""
        return self._on.is_set()

    def output(self, text: str) -> None:
        """The terminal printed ``text`` (from the session's reader thread)."""
        with self._lock:
            self._raw.append(text)
            self._raw_size += len(text)
            while self._raw_size > KEEP and len(self._raw) > 1:
                self._raw_size -= len(self._raw.popleft())
            if self._stream is not None:
                self._stream.feed(text)
                self._version += 1

    def resize(self, rows: int, cols: int) -> None:
        """The learner's terminal has a new size."""
        with self._lock:
            self.rows, self.cols = rows, cols
            if self._screen is not None:
                self._screen.resize(rows, cols)
                self._version += 1

    def start(self, *, by_hand: bool = False) -> bool:
        """Begin sharing; False if it already was."""
        if self._closed or self._on.is_set():
            return False
        import pyte

        with self._lock:
            self._screen = pyte.Screen(self.cols, self.rows)
            self._stream = pyte.Stream(self._screen)
            self._stream.feed("".join(self._raw))
            self._version += 1
        self.by_hand = by_hand
        self._on.set()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="classroom-screen", daemon=True)
            self._thread.start()
        return True

    def stop(self) -> bool:
        """Stop sharing (the thread tells the classroom); False if it was not sharing."""
        if not self._on.is_set():
            return False
        self._on.clear()
        with self._lock:
            self._screen = self._stream = None
        return True

    def close(self) -> None:
        """Stop for good (the reporter closes)."""
        self._closed = True
        self.stop()

    def frame(self) -> str:
        """The shared screen now, as redacted text (what the instructor sees)."""
        with self._lock:
            if self._screen is None:
                return ""
            lines = [line.rstrip() for line in self._screen.display]
        return protocol.clamp_frame(redact("\n".join(lines).rstrip("\n")))

    def _run(self) -> None:
        sent_version, sent_at = -1, 0.0
        while not self._closed:
            if not self._on.wait(0.5):
                if sent_version != -1:  # it was on: say it stopped (retry until heard)
                    if self.post({"sharing": False}):
                        sent_version = -1
                continue
            now = time.monotonic()
            version = self._version
            if version != sent_version or now - sent_at >= self.heartbeat:
                frame = self.frame()
                if self._on.is_set() and self.post({"sharing": True, "frame": frame}):
                    sent_version, sent_at = version, now
            time.sleep(1.0 / self.fps)
        if sent_version != -1:
            self.post({"sharing": False})
