"""One TLS context for the classroom's HTTP clients in a process.

Why: httpx makes a TLS context for every client it creates (and for every ``httpx.get``),
loading the CA bundle each time: about 30 ms of CPU. A learner's reporter makes two clients
as it starts and the terminal dashboard one per refresh, for the same server each time: the
context is made once, on first use, and shared (a TLS context serves many connections, in
any thread). It is made as httpx makes it (its CA bundle, ``SSL_CERT_FILE`` and
``SSL_CERT_DIR``), so a client verifies exactly what it verified before.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

_LOCK = threading.Lock()
_CONTEXTS: list[ssl.SSLContext] = []


def tls_context() -> ssl.SSLContext:
    """The process's TLS context for the classroom's clients (made on the first call)."""
    with _LOCK:
        if not _CONTEXTS:
            import httpx

            _CONTEXTS.append(httpx.create_ssl_context())
        return _CONTEXTS[0]
