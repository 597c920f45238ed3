"""The containers YAML loads into, each remembering the lines it came from.

Kept apart from the YAML reader (:mod:`workshop.content.yamlio`) because a loaded workshop
holds them: a cached one (:mod:`workshop.content.cache`) is read back without importing
the YAML parser.
"""

from __future__ import annotations

from typing import Any


class LineDict(dict[str, Any]):
    """A mapping from YAML with the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence from YAML with the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


def line_of(obj: Any, default: int | None = None) -> int | None:
    """The line where a loaded YAML value starts, when it knows."""
    return getattr(obj, "line", None) or default
