"""The engine's listener in the TUI: from background threads onto the UI's loop.

The engine calls its listener from background threads (the shell's reader, the check
worker). :class:`EngineBridge` is that listener: terminal output goes straight into the
terminal pane's model (thread-safe, batched by the pane's frame timer, so a flood of output
never floods the message queue); every other event becomes one small message of
:mod:`workshop.tui.messages`, posted with ``post_message`` (thread-safe).

This module imports no Textual at import time, so ``workshop run`` can start the session
(bash, the mock) before it imports Textual, and both come up at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from workshop.engine import events as ev
from workshop.records import Record

if TYPE_CHECKING:
    from textual.message import Message

    from workshop.engine.ports import LearnerSessionPort


class SessionUp(Record):
    """The front end's own note: the session started (becomes ``SessionStarted``)."""


class SessionDown(Record):
    """The front end's own note: the session could not start (becomes ``SessionFailed``)."""

    message: str


Item = ev.Event | SessionUp | SessionDown
"""What the bridge carries: the engine's events and the front end's own two notes."""
Post = Callable[["Message"], object]
"""``post_message`` of the screen."""


class EngineBridge:
    """The engine's listener: output to the terminal model, the rest as messages.

    It can be made before the screen exists (the session may start while Textual is still
    importing, and the classroom reporter may speak first): until :meth:`connect` it keeps
    what arrives, then hands it over in order.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._post: Post | None = None
        self._feed: Callable[[str], None] | None = None
        self._hurry: Callable[[], None] = _nothing
        self._early: list[Item] = []

    def connect(
        self, post: Post, feed: Callable[[str], None], hurry: Callable[[], None] | None = None
    ) -> None:
        """Start delivering: messages to ``post`` (``post_message``), output to ``feed``;
        ``hurry`` is called (on the engine's thread, before the message) when a command
        ended, so that the prompt that follows is drawn at once."""
        self._hurry = hurry or _nothing
        while True:
            with self._lock:
                early, self._early = self._early, []
                if not early:  # nothing new arrived while replaying: go live
                    self._post, self._feed = post, feed
                    return
            for item in early:
                self._deliver(item, post, feed)

    def holds(self, kind: type) -> bool:
        """An event of ``kind`` arrived and waits for :meth:`connect`."""
        with self._lock:
            return any(isinstance(item, kind) for item in self._early)

    def __call__(self, event: Item) -> None:
        """Called by the engine (and :func:`start_session`), from any thread."""
        with self._lock:
            post, feed = self._post, self._feed
            if post is None or feed is None:
                self._early.append(event)
                return
        self._deliver(event, post, feed)

    def _deliver(self, event: Item, post: Post, feed: Callable[[str], None]) -> None:
        if isinstance(event, ev.OutputReceived):
            feed(event.text)
            return
        if isinstance(event, ev.CommandFinished):
            self._hurry()
        from workshop.tui.messages import WRAPPERS

        wrapper = WRAPPERS.get(type(event))
        if wrapper is not None:
            post(wrapper(event))  # type: ignore[call-arg]  # each wrapper takes its event


def _nothing() -> None:
    return None


def start_session(session: LearnerSessionPort, bridge: EngineBridge) -> None:
    """Start the session (blocking) and say how it went through ``bridge``.

    Run on a thread: by the lesson screen's worker, or by ``workshop run`` before Textual
    has even been imported, so bash and the mock come up while the UI does.
    """
    try:
        session.start()
    except Exception as exc:  # shown on screen; the app stays up to say why
        bridge(SessionDown(f"{type(exc).__name__}: {exc}"))
        return
    bridge(SessionUp())
