"""The TLS contexts of the classroom's HTTP clients, one of each kind per process.

Why: httpx makes a TLS context for every client it creates (and for every ``httpx.get``),
loading the CA bundle each time: about 250 million instructions (some 80 ms of CPU). A
learner's reporter makes two clients as it starts and the terminal dashboard one per
refresh, for the same server each time: a context is made once, on first use, and shared
(a TLS context serves many connections, in any thread).

For an ``https://`` classroom it is made as httpx makes it (its CA bundle, ``SSL_CERT_FILE``
and ``SSL_CERT_DIR``), so a client verifies exactly what it verified before. A classroom on
``http://`` (a LAN, the usual case) never does TLS: its clients get a context that trusts no
certificate at all, made without reading any, so that nothing could pass through it
unverified (the clients follow no redirect to another address).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

_LOCK = threading.Lock()
_CONTEXTS: dict[bool, ssl.SSLContext] = {}


def tls_context(url: str) -> ssl.SSLContext:
    """The process's TLS context for the classroom's clients of ``url`` (made on the first
    call): httpx's for ``https://``, else one that trusts nothing."""
    secure = url.lower().startswith("https://")
    with _LOCK:
        if secure not in _CONTEXTS:
            _CONTEXTS[secure] = _verifying() if secure else _trusting_nothing()
        return _CONTEXTS[secure]


def _verifying() -> ssl.SSLContext:
    import httpx

    return httpx.create_ssl_context()


def _trusting_nothing() -> ssl.SSLContext:
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, with no CA to verify against
