"""Helpers for the checking tests: contexts, script files, loopback HTTP servers."""

from __future__ import annotations

import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from workshop.checking import CheckContext
from workshop.content.model import CheckSpec

MOCK_TARGET = (
    "                   \r\n"
    "\x1b[1;36mAPI endpoint:\x1b[0m   https://api.local.workshop.test (API version: 2.54.0)   \r\n"
    "\x1b[1;36mUser:\x1b[0m           admin   \r\n"
    "\x1b[1;36mOrg:\x1b[0m            default_organization   \r\n"
    "\x1b[1;36mSpace:\x1b[0m          development   \r\n"
)
"""What the mock's `cf target` prints: other endpoint, version, user and org than the seed."""

SEED_TARGET = """API endpoint:   https://api.run.pivotal.io (API version: 2.46.0)
User:           user_name
Org:            your-org
Space:          development
"""
"""The seed lesson's expected block after `cf target`, word for word."""


def make_context(tmp_path: Path, **overrides: object) -> CheckContext:
    """A context like the runner builds after `cf target` succeeded in mock mode."""
    env = dict(os.environ)
    env["LEARNER_VAR"] = "from-the-shell"
    values: dict[str, object] = {
        "env": env,
        "cwd": tmp_path,
        "variables": {"CF_DOMAIN": "cfapps.test"},
        "mode": "mock",
        "command": "cf target",
        "exit_code": 0,
        "output": MOCK_TARGET,
        "step_id": "cf-target",
    }
    values.update(overrides)
    return CheckContext(**values)  # type: ignore[arg-type]


def write_script(folder: Path, name: str, body: str, executable: bool = True) -> Path:
    """Write a check script (a shebang line is part of ``body``) and return its path."""
    path = folder / name
    path.write_text(body)
    mode = path.stat().st_mode
    if executable:
        path.chmod(mode | stat.S_IXUSR | stat.S_IXGRP)
    else:
        path.chmod(mode & ~(stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))
    return path


def python_shebang() -> str:
    """A shebang line for this interpreter."""
    return f"#!{sys.executable}\n"


def script_spec(path: Path, **kw: object) -> CheckSpec:
    """A ``script`` check for ``path``."""
    return CheckSpec("script", {"path": str(path), "args": kw.pop("args", [])}, **kw)  # type: ignore[arg-type]


Handler = Callable[[BaseHTTPRequestHandler], tuple[int, str]]


@contextmanager
def http_server(answer: Handler) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server answering GETs with ``answer``; yields its URL and request lines."""
    seen: list[str] = []

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            seen.append(f"{self.requestline} Host={self.headers.get('Host')}")
            status, body = answer(self)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def running_in_group(pgid: int) -> list[int]:
    """Pids of processes of group ``pgid`` that still run (zombies awaiting a reaper do not)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def wait_group_stopped(pgid: int, timeout: float = 3.0) -> list[int]:
    """Poll until no process of group ``pgid`` runs; returns the survivors at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        alive = running_in_group(pgid)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.01)
