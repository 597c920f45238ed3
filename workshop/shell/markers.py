"""Shell-integration markers: how bash tells the session what it is doing.

The generated rc file (:mod:`workshop.shell.rcfile`) makes bash print private OSC 133-style
escapes, invisible to the learner because the session removes them from the stream:

- ``ESC ] 133 ; C ; <nonce> ; <history 1> BEL``: from ``PS0``, a command line was read and
  is about to run (an empty Enter prints no ``PS0``).
- ``ESC ] 133 ; D ; <nonce> ; <status> US <cwd> US <history 1> BEL``: from
  ``PROMPT_COMMAND``, the previous command ended with ``status``; ``history 1`` is the line
  as finally typed, after readline edits.
- ``ESC ] 133 ; E ; <nonce> ; <base64> BEL``: from ``PROMPT_COMMAND`` before ``D``, only
  when the exported environment changed since the last one: ``env -0`` in base64 (so
  values with newlines, BEL or escapes travel intact).
- ``ESC ] 133 ; B ; <nonce> BEL``: the end of ``PS1``, readline waits for a new line.
- ``ESC ] 133 ; P ; <nonce> BEL``: the start of ``PS2``, the command needs more lines.

Every marker carries a random per-session nonce, so a program that prints something that
looks like a marker (``printf '\\e]133;D;0\\a'``) is shown as output, not obeyed.
:class:`MarkerParser` finds the markers in decoded text that arrives in arbitrary pieces.
"""

from __future__ import annotations

import base64
import binascii
import os
import re

from workshop.records import Record

OSC_PREFIX = "\x1b]133;"
UNIT_SEPARATOR = "\x1f"
MARKER_KINDS = "BCDEP"
# A marker whose BEL has not arrived after this many characters is not one of ours.
MAX_MARKER_CHARS = 1 << 20

_HISTORY_LINE = re.compile(r"\s*(\d+)[* ] (.*)", re.DOTALL)


def make_nonce() -> str:
    """Return a fresh random token that only this session's markers carry (from the
    system's random source, as ``secrets.token_hex`` does; ``secrets`` would load OpenSSL's
    hashes into every start of the TUI for nothing else)."""
    return os.urandom(8).hex()


class Marker(Record):
    """One marker found in the stream: its kind (``B``, ``C``, ``D``, ``E``, ``P``), payload."""

    kind: str
    payload: str


class Finished(Record):
    """The fields of a ``D`` marker: exit status, working directory and history line."""

    status: int
    cwd: str
    history_number: int | None
    command: str


def parse_history_line(text: str) -> tuple[int | None, str]:
    """Split the output of ``history 1`` into its number and the command line.

    ``history 1`` prints ``"%5d%c %s"`` (``%c`` is ``*`` for an edited entry); an empty
    history prints nothing. The command comes back without surrounding whitespace, with
    ``\\n`` line ends (the terminal turned them into ``\\r\\n``).
    """
    text = text.replace("\r\n", "\n")
    match = _HISTORY_LINE.match(text)
    if match is None:
        return None, text.strip()
    return int(match.group(1)), match.group(2).strip()


def parse_finished(payload: str) -> Finished:
    """Read the payload of a ``D`` marker (``status US cwd US history``)."""
    status_text, _, rest = payload.partition(UNIT_SEPARATOR)
    cwd, _, history = rest.partition(UNIT_SEPARATOR)
    try:
        status = int(status_text)
    except ValueError:
        status = -1
    number, command = parse_history_line(history)
    return Finished(
        status=status, cwd=cwd.replace("\r\n", "\n"), history_number=number, command=command
    )


def parse_environment(payload: str) -> dict[str, str] | None:
    """Read the payload of an ``E`` marker: base64 of ``NAME=value`` entries ended by NUL.

    The terminal may have put line ends into the base64 text; they are ignored. ``_`` (the
    path of ``env`` itself) is left out. Bytes that are not UTF-8 come back as surrogate
    escapes (``os.fsencode`` gives the original bytes). ``None`` when the payload is empty
    or not base64.
    """
    compact = "".join(payload.split())
    if not compact:
        return None
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    env: dict[str, str] = {}
    for entry in raw.split(b"\0"):
        name, sep, value = entry.partition(b"=")
        if sep and name and name != b"_":
            env[name.decode("utf-8", "surrogateescape")] = value.decode("utf-8", "surrogateescape")
    return env


class MarkerParser:
    """Split a stream of decoded terminal text into display text and this session's markers.

    :meth:`feed` takes text as it arrives (a marker may be split across pieces) and returns
    display strings and :class:`Marker` objects in stream order. The start of something
    that may become a marker is held back until it is decided; :meth:`flush` releases a held
    piece that cannot yet be known to be ours (call it when the stream goes quiet) or, with
    ``force``, everything (at end of stream).
    """

    def __init__(self, nonce: str) -> None:
        """Recognise only markers that carry ``nonce``."""
        self._heads = {kind: f"{OSC_PREFIX}{kind};{nonce}" for kind in MARKER_KINDS}
        self._head_len = len(OSC_PREFIX) + 2 + len(nonce)
        self._pending = ""

    def _could_be_head(self, text: str) -> bool:
        return any(head.startswith(text) for head in self._heads.values())

    def feed(self, text: str) -> list[str | Marker]:
        """Return the display text and markers in ``text`` (plus anything held back)."""
        buf = self._pending + text if self._pending else text
        self._pending = ""
        out: list[str | Marker] = []
        i, n = 0, len(buf)
        while i < n:
            j = buf.find(OSC_PREFIX, i)
            if j < 0:
                end = n
                k = buf.rfind("\x1b", max(i, n - len(OSC_PREFIX) + 1))
                if k >= 0 and OSC_PREFIX.startswith(buf[k:]):
                    end, self._pending = k, buf[k:]
                if end > i:
                    out.append(buf[i:end])
                break
            if j > i:
                out.append(buf[i:j])
            head = buf[j : j + self._head_len]
            if len(head) < self._head_len:
                if self._could_be_head(head):
                    self._pending = buf[j:]
                    break
            elif self._heads.get(head[len(OSC_PREFIX)]) == head:
                bel = buf.find("\x07", j + self._head_len)
                if bel < 0 and n - j <= MAX_MARKER_CHARS:
                    self._pending = buf[j:]
                    break
                payload = buf[j + self._head_len : bel] if bel >= 0 else "x"
                if payload == "" or payload.startswith(";"):
                    out.append(Marker(head[len(OSC_PREFIX)], payload[1:]))
                    i = bel + 1
                    continue
            # Not ours: the prefix is ordinary output, scanning resumes after it.
            out.append(buf[j : j + len(OSC_PREFIX)])
            i = j + len(OSC_PREFIX)
        return _merge(out)

    def flush(self, force: bool = False) -> list[str | Marker]:
        """Release held-back text that is not (yet) a complete head of one of our markers."""
        pending = self._pending
        if not pending:
            return []
        if force or len(pending) < self._head_len:
            self._pending = ""
            return [pending]
        return []


def _merge(items: list[str | Marker]) -> list[str | Marker]:
    """Join neighbouring strings so each stretch of display text is one item."""
    merged: list[str | Marker] = []
    for item in items:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + item
        else:
            merged.append(item)
    return merged
