"""``CF_TRACE=true`` (and ``cf curl -v``): the API requests a command makes, and the answers.

Why: the platform's units show the trace (``CF_TRACE=true cf orgs``) as the way to see what
the CLI asks the Cloud Controller. cf v6.16.1 dumps each request and response with Go's
``httputil`` (``cf/net/http_client.go``): a ``REQUEST: [time]`` line, the request's line and
headers (the token replaced by ``[PRIVATE DATA HIDDEN]``, ``cf/trace/trace.go``), then a
``RESPONSE: [time]`` line, the status, headers and body. The mock traces the requests it
models (``cf orgs``, ``cf curl``); the response headers beyond the status, length and type
are the Cloud Controller's usual ones (UNVERIFIED). ``CF_TRACE`` naming a file is not
written: offline, the mock writes nothing outside the learner's sandbox.
"""

from __future__ import annotations

import os
import time
import uuid

from workshop.mock.cf.context import Context

USER_AGENT = "go-cli 6.16.1+924508c / linux"
HIDDEN = "[PRIVATE DATA HIDDEN]"


def enabled(verbose: bool = False) -> bool:
    """Whether requests are traced to the terminal: ``CF_TRACE=true`` (exactly, as cf reads
    it), or ``cf curl -v``."""
    return verbose or os.environ.get("CF_TRACE") == "true"


def _stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _host(ctx: Context) -> str:
    url = str((ctx.state.get("api") or {}).get("url") or "")
    return url.split("://", 1)[-1].rstrip("/")


def request(ctx: Context, method: str, path: str, status: str, body: str) -> None:
    """Print the dump of one request to the API and of its answer (``body``: its JSON)."""
    ui = ctx.ui
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {_host(ctx)}",
        "Accept: application/json",
        f"Authorization: {HIDDEN}",
        "Content-Type: application/json",
        f"User-Agent: {USER_AGENT}",
        "",
        "",
    ]
    ui.say(f"\n{ui.header('REQUEST:')} [{_stamp()}]\n" + "\r\n".join(lines))
    answer = [
        f"HTTP/1.1 {status}",
        f"Content-Length: {len(body.encode())}",
        "Content-Type: application/json;charset=utf-8",
        f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime())}",
        "Server: nginx",
        "X-Content-Type-Options: nosniff",
        f"X-Vcap-Request-Id: {uuid.uuid4()}",
        "",
        body,
    ]
    ui.say(f"\n{ui.header('RESPONSE:')} [{_stamp()}]\n" + "\r\n".join(answer))
