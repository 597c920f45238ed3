"""``workshop record --out FILE -- COMMAND``: run a real command in a PTY, append it to a
recording.

The command runs in a pseudo-terminal (so it behaves as for a person: colours, prompts),
its output is shown live and the keyboard is passed through (``cf login`` works); what it
printed is kept as chunks with the time since the previous chunk, secrets redacted
(:mod:`workshop.mock.redact`; what is typed with the echo off never shows in the output).
The entry gets the exit code and, when a mock home is active (``WORKSHOP_MOCK_HOME``), the
targeted org and space of its state as a precondition. See :mod:`workshop.mock.cassette`
for the format (the one ``workshop record PATH`` writes, :mod:`workshop.engine.recording`).
"""

from __future__ import annotations

import codecs
import json
import os
import pty
import shutil
import time
from pathlib import Path
from typing import Any

MERGE_WITHIN = 0.02
"""Output arriving this soon after the previous chunk is merged into it (seconds)."""

_spawning = False
"""True while :func:`record` starts the command (see :func:`_as_from_a_terminal`)."""


def _as_from_a_terminal() -> None:
    """In the child ``pty.spawn`` forks to run the command: the signals Python ignores back
    at their defaults (:mod:`workshop.terminal_signals`), as from a terminal; with SIGPIPE
    ignored, the command's own pipes failed with "Broken pipe", and that was recorded.
    pty.spawn runs no code of ours between its fork and its exec; an at-fork hook does, so
    this process keeps its own handlers."""
    if _spawning:
        from workshop.terminal_signals import restore_defaults

        restore_defaults()


os.register_at_fork(after_in_child=_as_from_a_terminal)


def record(out: Path, argv: list[str]) -> int:
    """Run ``argv``, show and record its output, append the entry to ``out``; its exit code."""
    if shutil.which(argv[0]) is None:
        raise FileNotFoundError(argv[0])
    when = _precondition()
    raw: list[tuple[float, bytes]] = []
    last = time.monotonic()

    def master_read(fd: int) -> bytes:
        nonlocal last
        data = os.read(fd, 4096)
        now = time.monotonic()
        if data:
            raw.append((now - last, data))
            last = now
        return data

    global _spawning
    _spawning = True
    try:
        status = pty.spawn(argv, master_read)
    finally:
        _spawning = False
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        code = 128 - code
    from workshop.mock import cassette
    from workshop.mock.redact import redact_argv, redact_text

    chunks = [(delay, redact_text(text)) for delay, text in chunks_of(raw)]
    cassette.append(out, {"argv": redact_argv(argv), "when": when, "exit": code, "chunks": chunks})
    return code


def chunks_of(raw: list[tuple[float, bytes]]) -> list[tuple[float, str]]:
    """Decode PTY reads (UTF-8 split anywhere) into chunks; merge close ones; PTY newlines
    (``\\r\\n``) become ``\\n``."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    chunks: list[list[Any]] = []
    for delay, data in raw:
        text = decoder.decode(data)
        if not text:
            continue
        if chunks and delay < MERGE_WITHIN:
            chunks[-1][1] += text
        else:
            chunks.append([round(delay, 3), text])
    tail = decoder.decode(b"", final=True)
    if tail and chunks:
        chunks[-1][1] += tail
    return [(delay, text.replace("\r\n", "\n")) for delay, text in chunks]


def _precondition() -> dict[str, str]:
    home = os.environ.get("WORKSHOP_MOCK_HOME")
    if not home:
        return {}
    try:
        state = json.loads((Path(home) / "state.json").read_text())
    except (OSError, ValueError):
        return {}
    session = state.get("session") or {}
    return {k: str(session[k]) for k in ("org", "space") if session.get(k)}
