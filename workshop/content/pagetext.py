"""A lesson page's bytes as text: a size limit, a BOM dropped, bad UTF-8 at its line.

A page is read whole, so one that is far larger than any lesson (a log pasted by mistake, a
binary renamed ``.md``) is refused before it is read, with its size and the limit. A page
that is not UTF-8 is reported at the line and column of the first bad byte, where an editor
can find it, rather than as Python's byte offset.
"""

from __future__ import annotations

from pathlib import Path

from workshop.content.model import ContentError

PAGE_SIZE_LIMIT = 5 * 1024 * 1024
"""The largest page the loader reads, in bytes (the longest lesson of the course is 11 KB)."""

BOM = "\ufeff"


def read_page(file: Path, limit: int | None = None) -> str:
    """The text of ``file``: at most ``limit`` bytes (:data:`PAGE_SIZE_LIMIT` by default),
    UTF-8, a leading byte-order mark dropped. Any problem is a :class:`ContentError`."""
    limit = PAGE_SIZE_LIMIT if limit is None else limit
    try:
        size = file.stat().st_size
        if size > limit:
            raise ContentError(f"too large ({_mb(size)}; the limit is {_mb(limit)})", file)
        data = file.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror or exc}", file) from None
    return decode(data, file)


def decode(data: bytes, file: Path) -> str:
    """``data`` decoded as UTF-8 with a leading BOM dropped; bad bytes are an error at
    their line and column (in characters, from 1)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        byte = data[exc.start]
        raise ContentError(
            f"cannot read: not valid UTF-8 at column {column} (byte 0x{byte:02x});"
            " save the file as UTF-8",
            file,
            line,
        ) from None
    return text.removeprefix(BOM)


def _mb(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"
