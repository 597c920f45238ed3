"""Keep one address from locking everyone else out: connection bounds, deadlines, rate limits.

A classroom runs on a shared Wi-Fi, where anyone can open thousands of connections that
send nothing (or one byte a second). uvicorn alone keeps them open and, once its
``limit_concurrency`` is reached, answers every newcomer 503. So the server accepts
connections on a thread of its own (:class:`Acceptor`), which refuses those that a
:class:`ConnectionGuard` does not admit before the event loop ever sees them (a flood of
thousands of connections a second costs the loop nothing), and wraps uvicorn's HTTP
protocol (:func:`guarded_protocol`) with the guard's deadline:

- a connection must send a complete request head within ``header_timeout`` seconds of
  connecting (or of its previous response); otherwise it is closed. uvicorn's own
  keep-alive timeout still closes idle kept-alive connections;
- one address holds at most ``per_address`` connections;
- of the ``total`` connections the process accepts, the last ``reserve`` go only to
  addresses holding fewer than ``small`` connections, so a flood from one address
  leaves room for everyone else.

:class:`RateLimiter` (token buckets per address) limits joins and wrong join codes. The
counts live in the process: they are about this process's sockets and this process's
CPU, so several server instances each keep their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import select
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_REFUSAL = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    b"Connection: close\r\nRetry-After: 5\r\nContent-Length: %d\r\n\r\n%s"
)


def _refusal(message: str) -> bytes:
    body = b'{"error": "%s"}' % message.encode()
    return _REFUSAL % (len(body), body)


def default_total() -> int:
    """Connections this process can hold: its open-file limit minus a margin for files."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = 65536
    return max(64, min(20000, soft - 64))


def raise_file_limit() -> None:
    """Raise the soft open-file limit to the hard one (each connection is a file)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass


@dataclass
class ConnectionGuard:
    """Open connections per address, and the decision to admit a new one."""

    per_address: int = 128
    total: int = field(default_factory=default_total)
    reserve: int = 0
    """Connections kept for small addresses (default: a tenth of ``total``)."""
    small: int = 8
    header_timeout: float = 5.0
    open: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    timed_out: int = 0
    count: int = field(default=0, init=False)
    """Connections open now."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """The acceptor thread admits, the event loop releases."""

    def __post_init__(self) -> None:
        if self.reserve <= 0:
            self.reserve = max(16, self.total // 10)
        self.reserve = min(self.reserve, self.total - 1)

    def admit(self, address: str) -> str | None:
        """Count a new connection from ``address``; a reason when it must be refused."""
        with self.lock:
            return self._admit(address)

    def _admit(self, address: str) -> str | None:
        held = self.open[address]
        total = self.count
        if held >= self.per_address:
            reason = "too many connections from your address"
        elif total >= self.total or (total >= self.total - self.reserve and held >= self.small):
            reason = "the classroom server is busy: try again in a few seconds"
        else:
            self.open[address] = held + 1
            self.count = total + 1
            return None
        self.refused += 1
        return reason

    def release(self, address: str) -> None:
        """A connection admitted by :meth:`admit` closed."""
        with self.lock:
            self._release(address)

    def _release(self, address: str) -> None:
        self.count -= 1
        if self.open[address] <= 1:
            del self.open[address]
        else:
            self.open[address] -= 1


class RateLimiter:
    """Token buckets per address: ``burst`` at once, then one every ``every`` seconds."""

    def __init__(self, burst: int, every: float, *, max_addresses: int = 10000):
        self.burst = burst
        self.every = every
        self.max_addresses = max_addresses
        self._buckets: dict[str, tuple[float, float]] = {}

    def wait(self, address: str, now: float | None = None) -> float:
        """Seconds until ``address`` has a token (0: it has one now); takes nothing."""
        now = time.monotonic() if now is None else now
        tokens, since = self._buckets.get(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) / self.every)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) * self.every

    def take(self, address: str, now: float | None = None) -> float:
        """Take one token: 0 when allowed, else the seconds until the next one."""
        now = time.monotonic() if now is None else now
        tokens, since = self._buckets.get(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) / self.every)
        if tokens < 1.0:
            self._buckets[address] = (tokens, now)
            return (1.0 - tokens) * self.every
        if len(self._buckets) >= self.max_addresses and address not in self._buckets:
            self._forget_full(now)
        self._buckets[address] = (tokens - 1.0, now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled (they hold nothing worth remembering)."""
        full = [
            a for a, (t, s) in self._buckets.items() if t + (now - s) / self.every >= self.burst
        ]
        for address in full:
            del self._buckets[address]


def _address(peer: object) -> str:
    return str(peer[0]) if isinstance(peer, tuple) and peer else "?"


class Acceptor:
    """Accepts connections on ``sock`` in a thread: refuses what ``guard`` does not admit
    (a 503 with the reason, then close), hands the rest to the event loop."""

    def __init__(self, sock: socket.socket, guard: ConnectionGuard,
                 loop: asyncio.AbstractEventLoop,
                 protocol_factory: Callable[[], asyncio.Protocol]):  # fmt: skip
        self.sock = sock
        self.guard = guard
        self.loop = loop
        self.factory = protocol_factory
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="classroom-accept", daemon=True)

    def start(self) -> Acceptor:
        """Start accepting."""
        self.sock.setblocking(False)  # a connection another worker took first: no wait
        self._wake_read, self._wake_write = os.pipe()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting (the socket stays open until its owner closes it), at once: the
        thread waits on the socket and on a pipe that this writes to, not on a timeout."""
        self._stop.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b".")
        self._thread.join(timeout=2)
        if not self._thread.is_alive():
            for fd in (self._wake_read, self._wake_write):
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _run(self) -> None:
        waiting = select.poll()
        waiting.register(self.sock, select.POLLIN)
        waiting.register(self._wake_read, select.POLLIN)
        while not self._stop.is_set():
            try:
                waiting.poll()
                if self._stop.is_set():
                    return
                conn, peer = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                continue  # another worker process accepted it
            except OSError:
                if self._stop.is_set() or self.sock.fileno() < 0:
                    return
                time.sleep(0.05)  # out of files: let the loop close some
                continue
            address = _address(peer)
            reason = self.guard.admit(address)
            if reason is not None:
                try:
                    conn.setblocking(False)
                    conn.send(_refusal(reason))
                except OSError:
                    pass
                conn.close()
                continue
            conn.setblocking(False)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.loop.call_soon_threadsafe(self._hand_over, conn, address)
            except RuntimeError:  # the loop is closed: shutting down
                self.guard.release(address)
                conn.close()
                return

    def _hand_over(self, conn: socket.socket, address: str) -> None:
        async def connect() -> None:
            try:
                await self.loop.connect_accepted_socket(self.factory, conn)
            except Exception:  # noqa: BLE001 - the peer went away already
                self.guard.release(address)
                conn.close()

        self.loop.create_task(connect())


class AcceptingServer:
    """What ``create_server`` returns for a guarded socket: the :class:`Acceptor` seen as an
    ``asyncio.Server`` (the part of it a server's shutdown uses)."""

    def __init__(self, acceptor: Acceptor):
        self.acceptor = acceptor
        self.sockets = [acceptor.sock]

    def close(self) -> None:
        """Stop accepting (the connections already handed over stay)."""
        self.acceptor.stop()

    async def wait_closed(self) -> None:
        """Nothing is left to wait for once :meth:`close` returned."""


def guarded_loop_factory(guard: ConnectionGuard,
                         sockets: list[socket.socket]) -> Callable[[], asyncio.AbstractEventLoop]:  # fmt: skip
    """A factory of event loops whose ``create_server`` on one of ``sockets`` accepts
    through an :class:`Acceptor` thread under ``guard``, with the protocol factory the web
    server passes in: the web server is run as it is, through asyncio's public interface."""
    guarded = {s.fileno() for s in sockets}

    class GuardedLoop(asyncio.SelectorEventLoop):
        async def create_server(self, protocol_factory: Callable[[], asyncio.Protocol],  # type: ignore[override]
                                host: Any = None, port: Any = None, *,
                                sock: socket.socket | None = None, **kwargs: Any) -> Any:  # fmt: skip
            if sock is None or sock.fileno() not in guarded:
                return await super().create_server(
                    protocol_factory, host, port, sock=sock, **kwargs
                )
            return AcceptingServer(Acceptor(sock, guard, self, protocol_factory).start())

    return GuardedLoop


class HeadDeadlines:
    """The connections waiting for a request head, in the order they began to wait, and
    one timer for them all.

    Every request arms a deadline and its head disarms it: a timer each (``call_later``
    and ``cancel``, a heap of thousands) cost a twentieth of the server's time at a
    thousand requests a second. All deadlines are the same length, so the waiting are in
    the order they fall due; the one timer wakes at most every :data:`GRAIN` seconds and
    closes those whose deadline passed and who still wait for the same head.
    """

    GRAIN = 0.2
    """How late after its deadline a connection may be closed, at most."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._waiting: deque[tuple[float, Any]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    def arm(self, protocol: Any, loop: asyncio.AbstractEventLoop) -> float:
        """``protocol`` waits for a head from now; its deadline (its mark while it waits)."""
        due = loop.time() + self.timeout
        self._waiting.append((due, protocol))
        if self._timer is None:
            self._timer = loop.call_at(due + self.GRAIN, self._sweep, loop)
        return due

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        while self._waiting and self._waiting[0][0] <= now:
            due, protocol = self._waiting.popleft()
            if protocol._deadline == due:  # still waiting for the same head
                protocol._too_slow()
        self._timer = None
        if self._waiting:
            self._timer = loop.call_at(self._waiting[0][0] + self.GRAIN, self._sweep, loop)


def guarded_protocol(base: type[asyncio.Protocol], guard: ConnectionGuard) -> type:
    """uvicorn's HTTP protocol class ``base`` with ``guard``'s bounds and head deadline."""
    deadlines = HeadDeadlines(guard.header_timeout)

    class Guarded(base):  # type: ignore[misc, valid-type]
        _guard_address: str | None = None
        _deadline: float | None = None
        """When the head now awaited is due (None: none awaited)."""
        _armed_cycle: Any = None

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            # the Acceptor admitted it (and counted it against its address)
            self._guard_address = _address(transport.get_extra_info("peername"))
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            self._armed_cycle = self.cycle
            self._deadline = deadlines.arm(self, self.loop)

        def _disarm(self) -> None:
            self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            if self.cycle is self._armed_cycle and not self.transport.is_closing():
                guard.timed_out += 1
                self.transport.close()

        def data_received(self, data: bytes) -> None:
            if self._deadline is None and (self.cycle is None or self.cycle.response_complete):
                self._arm()
            super().data_received(data)
            if self._deadline is not None and self.cycle is not self._armed_cycle:
                self._disarm()  # the request's head is complete

        def connection_lost(self, exc: Exception | None) -> None:
            if self._guard_address is None:
                return
            self._disarm()
            guard.release(self._guard_address)
            self._guard_address = None
            super().connection_lost(exc)

    Guarded.__name__ = f"Guarded{base.__name__}"
    return Guarded
