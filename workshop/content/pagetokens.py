"""A page's markdown-it token stream, with the two slips that would misread it caught.

- **An unclosed fence.** CommonMark lets a fence that is never closed run to the end of the
  page, and one whose closing line is missing borrows the next block's: either way the rest
  of the page would become commands. Such a block is a problem at its opening line, and it
  is read as ending at its first blank line (or just before a line that opens another block
  with a language, such as ```` ```sh ````); the page after that point is read as Markdown
  again.
- **A missing image.** ``![alt](img/x.png)`` or ``<img src="img/x.png">`` naming a file
  that does not exist beside the page is a problem at its line. Links to the web
  (``https:``, ``data:`` …), absolute paths and templated paths are not checked.

Token maps are lines of the page (0-based), as markdown-it gives them for the whole page.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from workshop.content.model import ContentError

MAX_REPAIRS = 50
"""Unclosed fences repaired on one page; past this, the rest is read as CommonMark has it."""
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^/|^#")
IMG_TAG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
PREFIX = re.compile(r"^[ \t>]*")

_md = MarkdownIt("commonmark")


def parse_tokens(lines: list[str], file: Path) -> tuple[list[Token], list[ContentError]]:
    """The tokens of the page ``lines`` and the unclosed fences found on the way."""
    tokens: list[Token] = []
    problems: list[ContentError] = []
    offset = 0
    for attempt in range(MAX_REPAIRS + 1):
        part = _md.parse("\n".join(lines[offset:]) if offset else "\n".join(lines))
        if offset:
            _shift(part, offset)
        cut = None
        for index, tok in enumerate(part):
            if tok.type != "fence" or not tok.map:
                continue
            end = _unclosed(tok, lines, problems, file)
            if end is not None and tok.level == 0 and end < tok.map[1] and attempt < MAX_REPAIRS:
                _truncate(tok, end)
                tokens.extend(part[: index + 1])
                offset, cut = end, index
                break
        if cut is None:
            tokens.extend(part)
            break
    return tokens, problems


def missing_images(tokens: list[Token], lines: list[str], file: Path) -> list[ContentError]:
    """An image the page shows from a file that is not there, at the line that names it."""
    problems: list[ContentError] = []
    for tok in tokens:
        sources: list[str] = []
        if tok.type == "inline" and "!" in tok.content:
            sources = [
                str(child.attrs.get("src", ""))
                for child in tok.children or []
                if child.type == "image"
            ]
        if tok.type in ("inline", "html_block") and "<img" in tok.content.lower():
            sources += [
                next(g for g in m.groups() if g is not None) for m in IMG_TAG.finditer(tok.content)
            ]
        for src in sources:
            path = unquote(src.split("#", 1)[0].split("?", 1)[0]).strip()
            if not path or SCHEME.match(path) or "{{" in path or path.startswith("//"):
                continue
            if not (file.parent / path).exists():
                problems.append(
                    ContentError(f"image not found: {path}", file, _line_of(path, tok, lines))
                )
    return problems


def _line_of(text: str, tok: Token, lines: list[str]) -> int | None:
    """The 1-based line of ``tok`` (a paragraph's first line) that holds ``text``."""
    if not tok.map:
        return None
    start, end = tok.map
    return next((n + 1 for n in range(start, end) if text in lines[n]), start + 1)


def _unclosed(tok: Token, lines: list[str], problems: list[ContentError], file: Path) -> int | None:
    """Where a fence that is not properly closed is read as ending (an exclusive line
    index), with a problem at its opening line; None for a closed fence."""
    assert tok.map is not None
    start, end = tok.map
    char, length = tok.markup[0], len(tok.markup)
    closed = end - start >= 2 and _is_close(lines[end - 1], char, length)
    last = end - 1 if closed else end
    opener = re.compile(
        r"^[ \t>]*" + re.escape(char) + "{" + str(length) + r",}[ \t]*[^\s" + re.escape(char) + "]"
    )
    suspect = next((n for n in range(start + 1, last) if opener.match(lines[n])), None)
    if closed and suspect is None:
        return None
    blank = next(
        (n for n in range(start + 1, suspect if suspect is not None else last) if _blank(lines[n])),
        None,
    )
    cut = blank if blank is not None else suspect if suspect is not None else end
    marker = tok.markup
    if suspect is not None and closed:
        why = f"it is not closed before line {suspect + 1}, which opens another block"
    else:
        why = f"no {marker} line closes it"
    if tok.level > 0:  # its list item or quote ends it; nothing after it is swallowed
        where = "it ends with the list item or quote it is in"
    elif cut < end:
        where = f"read as ending at line {cut}"
    else:
        where = "it runs to the end of the page"
    problems.append(ContentError(f"unclosed code block: {why} ({where})", file, start + 1))
    return cut


def _is_close(line: str, char: str, length: int) -> bool:
    stripped = PREFIX.sub("", line).rstrip()
    return len(stripped) >= length and stripped == char * len(stripped)


def _blank(line: str) -> bool:
    return not PREFIX.sub("", line).strip()


def _truncate(tok: Token, end: int) -> None:
    """Make a top-level fence end (exclusively) at line ``end``."""
    assert tok.map is not None
    start = tok.map[0]
    kept = tok.content.split("\n")[: max(end - start - 1, 0)]
    tok.content = "\n".join(kept) + "\n" if kept else ""
    tok.map = [start, end]


def _shift(tokens: list[Token], offset: int) -> None:
    for tok in tokens:
        if tok.map:
            tok.map = [tok.map[0] + offset, tok.map[1] + offset]
