"""The server's accepting thread hands connections to the event loop and stops at once.

Stopping it (Ctrl-C on ``workshop classroom serve``) used to wait until its ``accept`` timed
out, up to half a second with the event loop blocked meanwhile; every server stop paid it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest

from workshop.classroom.guard import Acceptor, ConnectionGuard


class BlockingSocket(socket.socket):
    """A listening socket that keeps blocking in ``accept`` whatever timeout it is given:
    an acceptor that needs ``accept`` to return before it can stop never stops."""

    def settimeout(self, value: float | None) -> None:
        return None


class Connected(asyncio.Protocol):
    """Keeps the connections the event loop was handed."""

    made: list[asyncio.BaseTransport] = []
    arrived = threading.Event()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        Connected.made.append(transport)
        Connected.arrived.set()


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop running on a thread of its own, as uvicorn's runs beside the acceptor."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def test_connections_reach_the_loop_until_it_stops_and_the_stop_waits_for_nothing(
    loop: asyncio.AbstractEventLoop,
) -> None:
    Connected.made = []
    Connected.arrived.clear()
    with BlockingSocket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        guard = ConnectionGuard(per_address=10, total=100, reserve=10, small=8)
        acceptor = Acceptor(sock, guard, loop, Connected).start()
        with socket.create_connection(sock.getsockname()):
            assert Connected.arrived.wait(10)  # handed over, on the loop's thread
            acceptor.stop()
            assert not acceptor._thread.is_alive()
        assert len(Connected.made) == 1
        for transport in Connected.made:
            loop.call_soon_threadsafe(transport.close)
