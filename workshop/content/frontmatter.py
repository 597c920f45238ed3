"""YAML front matter at the top of a lesson page (``---`` … ``---``), as static-site
generators and many Markdown editors write it.

It is read as YAML with the page's own line numbers, and its lines are blanked out of the
page, so it is never shown nor taken for the title, and every later line keeps its number.
``title``, ``id`` and ``duration`` mean something to the loader; every other key is kept in
the lesson's settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.content.lines import LineDict
from workshop.content.model import ContentError
from workshop.content.yamlio import parse_yaml

LESSON_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CLOSE = ("---", "...")


@dataclass
class FrontMatter:
    """What a page's front matter says, and the problems in it."""

    values: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    id: str | None = None
    duration: str | None = None
    problems: list[ContentError] = field(default_factory=list)


def split_front_matter(lines: list[str], file: Path) -> FrontMatter | None:
    """Read the front matter at the top of ``lines`` and blank its lines in place; None when
    the page has none (its first line is not ``---`` or no line closes it)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    close = next((n for n in range(1, len(lines)) if lines[n].rstrip() in CLOSE), None)
    if close is None:
        return None
    body = "\n".join(lines[1:close])
    for n in range(close + 1):
        lines[n] = ""
    front = FrontMatter()
    try:
        data = parse_yaml(body, file)
    except ContentError as exc:
        # the YAML starts on the page's second line
        where = exc.line + 1 if exc.line is not None else 1
        front.problems.append(ContentError(f"front matter: {exc.message}", file, where))
        return front
    if data is None:
        return front
    if not isinstance(data, dict):
        front.problems.append(
            ContentError("front matter must be a mapping (title:, id:, duration: …)", file, 1)
        )
        return front
    front.values = dict(data)
    front.title = _text(data, "title", file, front.problems)
    front.id = _text(data, "id", file, front.problems)
    if front.id is not None and not LESSON_ID.match(front.id):
        front.problems.append(
            ContentError(
                f"lesson id '{front.id}' must be lower case letters, digits, '-' or '_'",
                file,
                _line(data, "id"),
            )
        )
        front.id = None
    duration = data.get("duration")
    if isinstance(duration, str | int | float) and not isinstance(duration, bool):
        front.duration = str(duration)
    elif duration is not None:
        front.problems.append(
            ContentError(
                "front matter 'duration' must be text (10 minutes)", file, _line(data, "duration")
            )
        )
    return front


def _text(data: dict[str, Any], key: str, file: Path, problems: list[ContentError]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    problems.append(ContentError(f"front matter '{key}' must be text", file, _line(data, key)))
    return None


def _line(data: dict[str, Any], key: str) -> int | None:
    """The page line of ``key`` (its YAML line, plus the opening ``---``)."""
    return data.line_of(key) + 1 if isinstance(data, LineDict) else None
