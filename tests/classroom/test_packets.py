"""An answer leaves the server as one packet (its head and body written together).

Counted by the kernel: the client's socket reports how many segments carrying data it
received (``tcpi_data_segs_in`` of Linux's ``TCP_INFO``).
"""

from __future__ import annotations

import socket
import struct
from urllib.parse import urlsplit

from classroom_support import CODE, ServerProcess

_DATA_SEGS_IN = 152
"""Offset of ``tcpi_data_segs_in`` in ``struct tcp_info`` (Linux 4.6 and later)."""


def data_segments_in(sock: socket.socket) -> int:
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    return int(struct.unpack_from("I", info, _DATA_SEGS_IN)[0])


def answer(sock: socket.socket, request: bytes) -> bytes:
    """Send ``request``; its whole answer (read by its Content-Length)."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))  # fmt: skip
    while len(body) < length:
        body += sock.recv(65536)
    return head


def test_each_answer_is_one_packet(shared_server: ServerProcess) -> None:
    url = urlsplit(shared_server.url)
    with socket.create_connection((url.hostname, url.port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        host = f"Host: {url.hostname}\r\n".encode()
        body = f'{{"code": "{CODE}", "name": "Pat"}}'.encode()  # refused: 422
        requests = [b"GET /healthz HTTP/1.1\r\n" + host + b"\r\n",
                    b"POST /api/join HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode() + body,
                    b"GET /nowhere HTTP/1.1\r\n" + host + b"\r\n"]  # fmt: skip
        for request in requests:
            before = data_segments_in(sock)
            head = answer(sock, request)
            assert head.startswith(b"HTTP/1.1 "), head
            assert data_segments_in(sock) - before == 1, (request, head)
