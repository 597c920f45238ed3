"""The learner's side of the classroom: report events, never block, lose nothing.

Usage by the runner or the TUI::

    reporter = Reporter("http://10.0.0.5:8765", "K7QM-2XPA", "Ada",
                        on_state=..., on_broadcast=...)
    reporter.start()
    reporter.report("joined", lesson="11_dev_prod_parity", step="target", steps=[...])
    reporter.report("step_started", lesson="11_dev_prod_parity", step="target")
    reporter.report("command_run", command="cf target", exit_code=0, output="...")
    reporter.report("check_failed", reason="no space named production_test")
    reporter.report("left")
    reporter.close()

:meth:`Reporter.report` redacts secrets, numbers the event and writes it to the durable
:class:`~workshop.classroom.outbox.Outbox`, then returns: the network is only touched by
two background threads. The *sender* joins the classroom and sends pending events in
batches until the server acknowledges them, retrying with backoff while the server is
down. The *listener* long-polls the learner's inbox for broadcasts. ``on_state`` and
``on_broadcast`` are called from those threads: a Textual app must hop back to its loop
(``app.call_from_thread``).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from workshop.classroom import protocol
from workshop.classroom.outbox import Outbox, OutboxClosed, default_outbox_path
from workshop.classroom.redaction import redact
from workshop.classroom.sharing import ScreenShare

CONNECTING, ONLINE, OFFLINE = "connecting", "online", "offline"
T = TypeVar("T")

SHARE_ON = (
    "Your instructor now sees the output of your commands (share command output is on); "
    "secrets such as passwords are removed first."
)
SHARE_OFF = "Your instructor no longer sees the output of your commands."
_STOP_KEYS = "Shift+F10 (:unshare or Ctrl+^ in the line mode)"
_SHARE_KEYS = "Shift+F10 (:share or Ctrl+^ in the line mode)"
SCREEN_BY_HAND = (
    "Your hand is up: your instructor can see your screen until it is answered (secrets "
    f"are removed). {_STOP_KEYS} stops sharing."
)
HAND_UP = "Your hand is up: your instructor can see you need help."
HAND_UP_OFFLINE = "Your hand is up: your instructor sees it once the classroom is reachable again."
SCREEN_ASKED = f"Your instructor asks to see your screen: {_SHARE_KEYS} shares it."
SCREEN_ON = f"Your instructor can see your screen (secrets are removed). {_STOP_KEYS} stops it."
SCREEN_OFF = "Your screen is no longer shared."


class _Rejected(Exception):
    """The classroom refused us for good (wrong code, invalid name …)."""


class _Rejoin(Exception):
    """The classroom no longer knows our token: join again."""


class _Unavailable(Exception):
    """The classroom answered with a server error; retry later."""


def _message(response: Any) -> str:
    """The server's ``error`` message, or a description of a non-classroom answer."""
    try:
        data = response.json()
        if isinstance(data, dict) and data.get("error"):
            return str(data["error"])[:300]
    except ValueError:
        pass
    if response.status_code == 404:
        return "no classroom at this address (HTTP 404): check the URL"
    return f"unexpected answer from the classroom (HTTP {response.status_code})"


class Reporter:
    """Sends one learner's events to a classroom server; see the module docstring."""

    batch_size = 100
    """Events per request."""
    min_backoff, max_backoff = 0.2, 3.0
    """Seconds between retries while the server is unreachable (doubling, with jitter)."""
    poll_wait = 20.0
    """Seconds a broadcast long-poll waits on the server."""

    def __init__(self, server_url: str, code: str, name: str, outbox_path: Path | None = None,
                 on_state: Callable[[str], None] | None = None,
                 on_broadcast: Callable[[str], None] | None = None,
                 on_notice: Callable[[str], None] | None = None,
                 on_sharing: Callable[[bool], None] | None = None):  # fmt: skip
        if not server_url.startswith(("http://", "https://")):
            raise ValueError(f"classroom URL must start with http:// or https://: {server_url!r}")
        self.server_url = server_url.rstrip("/")
        self.code = code.strip()
        self.name = protocol.validate_name(name)
        self.on_state = on_state
        self.on_broadcast = on_broadcast
        """The instructor's messages (to everyone, or to this learner)."""
        self.on_notice = on_notice
        """What the runner itself tells the learner about the classroom (sharing on or off);
        falls back to ``on_broadcast`` when not given."""
        self.on_sharing = on_sharing
        """Whether the learner's screen is shared now, each time that changes (a front end
        keeps a marker up for as long as it is)."""
        self.outbox = Outbox(outbox_path or default_outbox_path(server_url, code, name))
        self.client_id = self.outbox.get("client_id") or ""
        self._state = CONNECTING
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._joined = threading.Event()
        self._learner_id: str | None = None
        self._token: str | None = None
        self._share_output = self.outbox.get("share_output") == "1"
        self._settings_read_after = 0.0
        """When the settings last applied were read at the latest (see _apply_settings)."""
        self._share_told: bool | None = None  # what the learner was told in this process
        known = self.outbox.get("lessons")
        self._lessons: dict[str, list[str]] | None = json.loads(known) if known else None
        kinds = self.outbox.get("kinds")
        self._kinds = frozenset(json.loads(kinds)) if kinds else protocol.BASE_KINDS
        """What the classroom takes (as of the last join; before any, what every one does)."""
        self._lesson = self.outbox.get("lesson") or ""  # a restarted runner continues
        self._step = self.outbox.get("step") or ""
        self._threads: list[threading.Thread] = []
        self._clients: list[Any] = []
        self._caught_up: tuple[list[str], list[str]] | None = None
        """What the learner finished before this run joined (see :meth:`catch_up`)."""
        self.screen = ScreenShare(self._post_screen)
        """The learner's screen: shared only by their action (a raised hand, Shift+F10)."""
        self._screen_client: Any = None

    # -- public API ----------------------------------------------------------------------

    @property
    def state(self) -> str:
        """``connecting``, ``online``, ``offline`` or ``rejected: <reason>``."""
        return self._state

    @property
    def share_output(self) -> bool:
        """Whether the instructor asked for command output (last known setting)."""
        return self._share_output

    @property
    def pending(self) -> int:
        """Events reported but not yet acknowledged by the server."""
        return self.outbox.count()

    def start(self) -> None:
        """Start the background sender and listener threads (once)."""
        if self._threads:
            return
        for target, label in ((self._send_loop, "sender"), (self._listen_loop, "listener")):
            thread = threading.Thread(target=target, name=f"classroom-{label}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def report(self, kind: str, **fields: Any) -> int:
        """Queue one event durably and return its seq; never waits for the network.

        ``lesson`` and ``step`` default to the last ones reported. ``time`` defaults to
        now. Other fields depend on ``kind`` (see :data:`protocol.KIND_FIELDS`);
        ``output`` of ``command_run`` is kept only when the instructor enabled it. Every
        text is redacted (:func:`~workshop.classroom.redaction.redact`) before storing.
        Raises ``ValueError`` for an unknown kind or field (a programming error). After
        :meth:`close` it does nothing and returns 0.
        """
        if kind not in protocol.KINDS:
            raise ValueError(f"unknown classroom event kind {kind!r}")
        if kind not in self._kinds:
            return 0  # a kind this classroom's server does not take: it would refuse it
        lesson = fields.pop("lesson", None)
        step = fields.pop("step", None)
        if not self._known(lesson, step):
            return 0  # a lesson the classroom's workshop does not have: it would refuse it
        when = float(fields.pop("time", time.time()))
        unknown = set(fields) - protocol.KIND_FIELDS[kind]
        if unknown:
            raise ValueError(f"{kind} events have no field(s) {sorted(unknown)}")
        if kind == "command_run" and not self._share_output:
            fields.pop("output", None)
        event: dict[str, Any] = {"kind": kind, "time": when}
        for key, value in fields.items():
            if value is None:
                continue
            if key in ("steps", "done", "skipped"):
                event[key] = [str(s) for s in value]
            elif key == "exit_code":
                event[key] = int(value)
            elif key in ("attempt", "right"):
                event[key] = bool(value)
            else:
                event[key] = redact(str(value))
        try:
            with self._lock:
                if lesson is not None and str(lesson) != self._lesson:
                    self._lesson = str(lesson)
                    self.outbox.set("lesson", self._lesson)
                if step is not None and str(step) != self._step:
                    self._step = str(step)
                    self.outbox.set("step", self._step)
                event.update(lesson=self._lesson, step=self._step)
                seq = self.outbox.append(protocol.clamp_event(event))
        except OutboxClosed:  # reported during shutdown, after close(): nothing to do
            return 0
        self._wake.set()
        if kind == "help_requested":  # the one notice of a raised hand, in every front end
            if self.screen.start(by_hand=True):
                self._sharing_changed(SCREEN_BY_HAND)
            else:
                self._notice(HAND_UP_OFFLINE if self.state == OFFLINE else HAND_UP)
        return seq

    def _notice(self, text: str) -> None:
        self._call(self.on_notice or self.on_broadcast, text)

    def _sharing_changed(self, text: str) -> None:
        """The screen began or stopped being shared: tell the learner, once and lastingly."""
        self._notice(text)
        self._call(self.on_sharing, self.screen.sharing)

    def catch_up(self, done: list[str], skipped: list[str]) -> None:
        """Tell the classroom, once per run, which steps (``lesson/step``) the learner had
        passed or skipped before it joined (earlier runs, offline): the instructor's grid
        shows them finished instead of not started. Sent after the join, to a classroom
        that takes it (its join answer lists ``caught_up``), without the steps its workshop
        does not have; nothing when there is none."""
        if not done and not skipped:
            return
        with self._lock:
            self._caught_up = (list(done), list(skipped))
        if self._joined.is_set():
            self._send_caught_up()

    def _send_caught_up(self) -> None:
        with self._lock:
            pending, self._caught_up = self._caught_up, None
        if pending is None or "caught_up" not in self._kinds:
            return
        done, skipped = ([s for s in items if self._known(*s.split("/", 1))] for items in pending)
        if done or skipped:
            self.report("caught_up", done=done, skipped=skipped)

    def terminal_output(self, text: str) -> None:
        """What the learner's terminal printed (kept for a shared screen)."""
        self.screen.output(text)

    def resize(self, rows: int, cols: int) -> None:
        """The learner's terminal has a new size."""
        self.screen.resize(rows, cols)

    def share_screen(self, on: bool | None = None) -> bool:
        """Start (True), stop (False) or toggle (None) sharing the screen; the new state.

        Only the learner's own action calls this; the learner is told what happened.
        """
        on = not self.screen.sharing if on is None else on
        if on and self.screen.start():
            self._sharing_changed(SCREEN_ON)
        elif not on and self.screen.stop():
            self._sharing_changed(SCREEN_OFF)
        return self.screen.sharing

    def _post_screen(self, body: dict[str, Any]) -> bool:
        """Send one screen message (the screen thread); False if it did not arrive."""
        if self._token is None or self._stop.is_set():
            return False
        try:
            if self._screen_client is None:
                self._screen_client = self._client(5.0)
            response = self._screen_client.post(
                f"{self.server_url}/api/learners/{self._learner_id}/screen",
                json=body,
                headers={"Authorization": f"Bearer {self._token}"},
            )
            return bool(response.status_code == 200)
        except Exception:  # noqa: BLE001 - network, closed client: the thread tries again
            return False

    def _known(self, lesson: Any, step: Any) -> bool:
        """Whether the classroom's workshop (as of the last join) has this lesson and step."""
        lessons = self._lessons
        if lessons is None or lesson is None:
            return True
        steps = lessons.get(str(lesson))
        return steps is not None and (not step or str(step) in steps)

    def close(self, flush_timeout: float = 2.0) -> None:
        """Try for ``flush_timeout`` s to send what is pending, then stop; the rest stays queued."""
        if self._threads:
            deadline = time.monotonic() + flush_timeout
            self._wake.set()
            while time.monotonic() < deadline and not self._state.startswith("rejected"):
                try:
                    if self.outbox.count() == 0:
                        break
                except OutboxClosed:
                    break
                self._stop.wait(0.02)
            self.screen.close()
            self._stop.set()
            self._wake.set()
            self._joined.set()
            for client in self._clients:
                try:
                    client.close()
                except Exception:  # noqa: BLE001 - a request may be in flight on it
                    pass
            # the sender finishes its request; the listener may sit in a long poll: it is a
            # daemon thread and stops on its own (the closed outbox ends it)
            self._threads[0].join(timeout=2.0)
            self._threads[1].join(timeout=0.1)
        self.outbox.close()

    # -- internals -----------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self._call(self.on_state, state)

    @staticmethod
    def _call(callback: Callable[[T], None] | None, value: T) -> None:
        """Run a front end's callback; its bugs must not stop the background threads."""
        if callback is not None:
            try:
                callback(value)
            except Exception:  # noqa: BLE001
                pass

    def _client(self, read_timeout: float) -> Any:
        import httpx

        from workshop.classroom.tls import tls_context

        timeout = httpx.Timeout(read_timeout, connect=3.0)
        client = httpx.Client(timeout=timeout, verify=tls_context(self.server_url))
        self._clients.append(client)
        return client

    def _join(self, client: Any) -> None:
        body = {"code": self.code, "name": self.name, "client_id": self.client_id,
                "next_seq": self.outbox.first_unacked()}  # fmt: skip
        asked = time.monotonic()
        response = client.post(f"{self.server_url}/api/join", json=body)
        if response.status_code >= 500 or response.status_code == 429:
            raise _Unavailable(_message(response))
        if response.status_code != 200:
            raise _Rejected(_message(response))
        data = response.json()
        self._learner_id, self._token = data["learner_id"], data["token"]
        lessons = data.get("lessons")
        if isinstance(lessons, dict):
            self._lessons = {str(k): [str(s) for s in v] for k, v in lessons.items()}
            self.outbox.set("lessons", json.dumps(self._lessons))
        kinds = data.get("kinds")
        if isinstance(kinds, list):
            self._kinds = frozenset(str(k) for k in kinds) & protocol.KINDS
            self.outbox.set("kinds", json.dumps(sorted(self._kinds)))
        self._apply_settings(data.get("settings", {}), asked)
        latest = int(data.get("broadcast_after", 0))
        seen = self.outbox.get("last_broadcast")
        if seen is None or int(seen) > latest:  # first join, or a new classroom database
            self.outbox.set("last_broadcast", str(latest))
        self._joined.set()
        self._set_state(ONLINE)
        self._send_caught_up()

    def _apply_settings(self, settings: dict[str, Any], read_after: float) -> None:
        """Follow the room's settings; tell the learner when their output starts or stops
        being shared (and, once per run, that it is).

        ``read_after``: a time (monotonic) before which the server cannot have read them. The
        sender's and the listener's answers cross: settings an answer read before a change
        can arrive after the change did, and are older than what is known (the learner was
        told "no longer", then "now" again)."""
        share = bool(settings.get("share_output", False))
        with self._lock:
            if read_after < self._settings_read_after:
                return
            self._settings_read_after = read_after
            before = self._share_output if self._share_told is None else self._share_told
            first = self._share_told is None
            self._share_told = share
            if share != self._share_output:
                self._share_output = share
                self.outbox.set("share_output", "1" if share else "0")
        if share and (first or not before):
            self._notice(SHARE_ON)
        elif not share and before:
            self._notice(SHARE_OFF)

    def _send_batch(self, client: Any) -> bool:
        """Send the oldest pending events; False when there was nothing to send."""
        batch = self.outbox.pending(self.batch_size)
        if not batch:
            return False
        asked = time.monotonic()
        response = client.post(
            f"{self.server_url}/api/learners/{self._learner_id}/events",
            json={"events": batch},
            headers={"Authorization": f"Bearer {self._token}"},
        )
        if response.status_code == 401:
            raise _Rejoin()
        if response.status_code == 413 and self.batch_size > 1:
            self.batch_size = max(1, self.batch_size // 2)
            return True
        if response.status_code >= 500 or response.status_code == 429:
            raise _Unavailable(_message(response))
        if response.status_code != 200:
            raise _Rejected(_message(response))
        data = response.json()
        self._apply_settings(data.get("settings", {}), asked)
        acked = int(data["acked"])
        self.outbox.ack(acked)
        self._set_state(ONLINE)
        if acked < batch[0]["seq"]:  # the server waits for a seq we no longer have
            raise _Unavailable(f"the classroom expects event {acked + 1}")
        return True

    def _send_loop(self) -> None:
        import httpx

        client = self._client(10.0)
        backoff = self.min_backoff
        while not self._stop.is_set():
            try:
                if self._token is None:
                    self._join(client)
                if not self._send_batch(client):
                    self._wake.wait(5.0)
                    self._wake.clear()
                backoff = self.min_backoff
            except _Rejoin:
                self._token = None
                self._joined.clear()
            except _Rejected as exc:
                self._set_state(f"rejected: {exc}")
                return
            except OutboxClosed:
                return
            except (httpx.HTTPError, _Unavailable, ValueError, KeyError):
                if self._stop.is_set():
                    return
                self._set_state(OFFLINE)
                self._stop.wait(backoff * random.uniform(0.8, 1.2))
                backoff = min(self.max_backoff, backoff * 2)

    def _received(self, item: dict[str, Any]) -> None:
        """A message from the inbox: shown to the learner the way broadcasts are."""
        kind = item.get("kind", "broadcast")
        if kind == "screen_request":
            if not self.screen.sharing:
                self._notice(SCREEN_ASKED)
            return
        self._call(self.on_broadcast, str(item["text"]))
        if kind == "help_answered" and self.screen.by_hand and self.screen.stop():
            self._sharing_changed(SCREEN_OFF)

    def _listen_loop(self) -> None:
        client = self._client(self.poll_wait + 10)
        backoff = self.min_backoff
        while not self._stop.is_set():
            if not self._joined.wait(1.0) or self._stop.is_set():
                continue
            try:
                after = int(self.outbox.get("last_broadcast") or 0)
                response = client.get(
                    f"{self.server_url}/api/learners/{self._learner_id}/inbox",
                    params={"after": after, "wait": self.poll_wait},
                    headers={"Authorization": f"Bearer {self._token}"},
                )
                if response.status_code == 401:  # the classroom forgot us: the sender rejoins
                    self._joined.clear()
                    self._token = None
                    self._wake.set()
                    continue
                if response.status_code != 200:
                    raise _Unavailable(_message(response))
                data = response.json()
                # a long poll's answer reads the settings as it answers, not as it was asked
                self._apply_settings(data.get("settings", {}), time.monotonic())
                for item in data.get("broadcasts", []):
                    self.outbox.set("last_broadcast", str(int(item["id"])))
                    self._received(item)
                backoff = self.min_backoff
            except OutboxClosed:
                return
            except Exception:  # noqa: BLE001 - network, closed client, bad JSON: retry later
                if self._stop.is_set():
                    return
                self._stop.wait(backoff * random.uniform(0.8, 1.2))
                backoff = min(self.max_backoff, backoff * 2)
