"""Admonitions, in the three spellings authors bring from elsewhere, as one blockquote.

- GitHub's alerts: ``> [!NOTE]``, ``> [!TIP]``, ``> [!IMPORTANT]``, ``> [!WARNING]``,
  ``> [!CAUTION]`` on the first line of a blockquote;
- GitHub's older habit: ``> **Note**`` or ``> **Warning**`` alone on a blockquote's line;
- MkDocs / Python-Markdown: ``!!! tip`` or ``!!! tip "A title"`` (also ``???`` and
  ``???+``, the collapsible form) followed by lines indented four spaces.

Each becomes a blockquote whose first line is its bold label (``> **Tip**``, or the title an
``!!!`` line gives) ending in a hard line break, then its text: CommonMark shows that as a
quote with a heading line in the TUI, and the line mode prints it indented, ``Tip`` on its
first line. Without this, ``!!! tip`` is literal text and its indented body a code block.

The rewrite works on lines and keeps their number, so every step and problem keeps its line.
Fenced code is left alone.
"""

from __future__ import annotations

import re

GITHUB = re.compile(
    r"^(?P<pre>[ \t]*>[ \t]?)\[!(?P<kind>NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?P<rest>.*)$",
    re.IGNORECASE,
)
BOLD = re.compile(
    r"^(?P<pre>[ \t]*>[ \t]?)\*\*(?P<kind>Note|Tip|Hint|Info|Important|Warning|Caution|Danger)"
    r"(?::\*\*|\*\*:?)[ \t]*$",
    re.IGNORECASE,
)
MKDOCS = re.compile(
    r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[A-Za-z][\w-]*)(?:[ \t]+[A-Za-z][\w-]*)*"
    r"(?:[ \t]+\"(?P<title>[^\"]*)\")?[ \t]*$"
)
FENCE = re.compile(r"^(?P<indent>[ \t]*(?:>[ \t]?)*)(?P<marker>`{3,}|~{3,})")
ANY = re.compile(r"^[ \t>]*(?:!!!|\?\?\?)|\[![A-Za-z]+\]|^[ \t]*>[ \t]?\*\*[A-Za-z]+", re.MULTILINE)
HARD_BREAK = "  "


def rewrite(text: str) -> str:
    """``text`` with every admonition written as a labelled blockquote (same line count)."""
    if not ANY.search(text):
        return text
    lines = text.split("\n")
    return "\n".join(_rewrite(lines))


def label(kind: str) -> str:
    """The label of an admonition kind: ``tip`` → ``Tip``."""
    return kind.replace("-", " ").replace("_", " ").capitalize()


def _rewrite(lines: list[str]) -> list[str]:
    out: list[str] = []
    fence: tuple[str, int] | None = None
    quoted = False  # the previous line is part of a blockquote
    i = 0
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            out.append(line)
            if _closes(line, fence):
                fence = None
            i += 1
            continue
        opened = FENCE.match(line)
        if opened:
            marker = opened.group("marker")
            fence = (marker[0], len(marker))
            out.append(line)
            quoted = False
            i += 1
            continue
        mkdocs = MKDOCS.match(line)
        if mkdocs:
            indent = mkdocs.group("indent")
            title = mkdocs.group("title")
            body, i = _body(lines, i + 1, _width(indent) + 4)
            name = title.strip() if title and title.strip() else label(mkdocs.group("kind"))
            out.append(f"{indent}> **{name}**{HARD_BREAK}")
            inner = _rewrite(body)
            trailing = len(inner) - len(_strip_blank_tail(inner))
            for text in inner[: len(inner) - trailing]:
                out.append(f"{indent}> {text}" if text.strip() else f"{indent}>")
            out.extend([""] * trailing)
            quoted = False
            continue
        github = GITHUB.match(line) if not quoted else None
        bold = BOLD.match(line) if github is None else None
        if github:
            rest = github.group("rest")
            head = f"{github.group('pre')}**{label(github.group('kind'))}**"
            out.append(f"{head} {rest}" if rest else head + HARD_BREAK)
        elif bold:
            out.append(f"{bold.group('pre')}**{label(bold.group('kind'))}**{HARD_BREAK}")
        else:
            out.append(line)
        quoted = line.lstrip().startswith(">")
        i += 1
    return out


def _body(lines: list[str], start: int, width: int) -> tuple[list[str], int]:
    """The lines of an ``!!!`` admonition's body from ``start`` (indented ``width`` columns
    or blank), with that indentation removed, and the index of the first line after it."""
    body: list[str] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if line.strip() and _width(line[: len(line) - len(line.lstrip())]) < width:
            break
        body.append(_dedent(line, width))
        i += 1
    return body, i


def _width(indent: str) -> int:
    """Columns of leading white space (a tab counts to the next multiple of four)."""
    columns = 0
    for char in indent:
        columns = columns + 4 - columns % 4 if char == "\t" else columns + 1
    return columns


def _dedent(line: str, width: int) -> str:
    """``line`` without its first ``width`` columns of white space."""
    columns = 0
    for index, char in enumerate(line):
        if columns >= width or char not in " \t":
            return line[index:]
        columns = columns + 4 - columns % 4 if char == "\t" else columns + 1
    return ""


def _strip_blank_tail(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _closes(line: str, fence: tuple[str, int]) -> bool:
    """Whether ``line`` closes a fence of ``fence = (char, length)``."""
    stripped = line.strip().lstrip(">").strip()
    char, length = fence
    return len(stripped) >= length and stripped == char * len(stripped)
