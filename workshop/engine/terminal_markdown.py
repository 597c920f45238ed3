"""Lesson Markdown as plain text for a terminal or a screen reader: the line mode's renderer.

The line mode prints a step's prose where no Markdown widget draws it, so the marks that
only mean something to a renderer must go: no ``>``, ``*``, ``#`` or backticks; a link is its
text followed by its address in brackets; lists keep a bullet (``•``) or their number;
quotes and code are indented; prose is wrapped at word boundaries to the width (never in
the middle of a word or an address), code is not wrapped at all. It works from
markdown-it's syntax tree (the parser the loader reads lessons with), not from patterns
over the source, so emphasis inside a link or code inside a quote come out right.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_md = MarkdownIt("commonmark").enable("table")

QUOTE = "  "
"""How a quote's lines are indented (no ``>``: screen readers would read it out)."""
CODE = "    "
"""How a code block's lines are indented."""
MIN_WIDTH = 20
"""Prose is never wrapped narrower than this, whatever the terminal says."""


def render(text: str, width: int = 80) -> str:
    """``text`` (Markdown) as plain lines no wider than ``width`` (code excepted), blocks
    separated by one blank line, no trailing spaces."""
    tree = SyntaxTreeNode(_md.parse(text))
    blocks = _blocks(tree.children, max(width, MIN_WIDTH))
    return "\n\n".join(blocks).strip("\n")


def render_inline(text: str) -> str:
    """A short text (a hint, a check's reason) without its inline marks, not wrapped; its
    lines stay lines, and nothing in it is read as a block ("1. Run …" keeps its number)."""
    lines = []
    for line in text.split("\n"):
        tree = SyntaxTreeNode(_md.parseInline(line))
        lines.append("".join(_inline_children(inline) for inline in tree.children))
    return "\n".join(lines).strip()


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped at word boundaries to ``width``: each of its lines (hard breaks) on
    its own; ``first`` starts the first line and ``rest`` the others (a hanging indent)."""
    lines: list[str] = []
    for number, line in enumerate(text.split("\n")):
        lead = first if number == 0 else rest
        wrapped = textwrap.wrap(
            line,
            width=max(width, len(lead) + MIN_WIDTH // 2),
            initial_indent=lead,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines.extend(wrapped or [lead.rstrip()])
    return [line.rstrip() for line in lines]


def _blocks(nodes: Iterable[SyntaxTreeNode], width: int) -> list[str]:
    """Each block node as a piece of text."""
    out: list[str] = []
    for node in nodes:
        piece = _block(node, width)
        if piece is not None:
            out.append(piece)
    return out


def _block(node: SyntaxTreeNode, width: int) -> str | None:
    kind = node.type
    if kind in ("paragraph", "heading"):
        return "\n".join(wrap(_inline_children(node), width))
    if kind in ("fence", "code_block"):
        return "\n".join((CODE + line).rstrip() for line in node.content.rstrip("\n").split("\n"))
    if kind == "blockquote":
        inner = "\n\n".join(_blocks(node.children, width - len(QUOTE)))
        return "\n".join((QUOTE + line).rstrip() for line in inner.split("\n"))
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, width)
    if kind == "hr":
        return "─" * min(width, 40)
    if kind == "html_block":
        return None
    if kind == "table":
        return _table(node)
    return "\n\n".join(_blocks(node.children, width)) or None


def _list(node: SyntaxTreeNode, width: int) -> str:
    """A list: each item's first line after its bullet or number, the rest hanging under it."""
    start = int(str(node.attrs.get("start", 1))) if node.type == "ordered_list" else 1
    items: list[str] = []
    for number, item in enumerate(node.children, start):
        mark = f"{number}. " if node.type == "ordered_list" else "• "
        hang = " " * len(mark)
        inner = "\n\n" if not node.meta.get("tight", True) else "\n"
        body = inner.join(_blocks(item.children, width - len(mark)))
        if not body.strip():
            continue  # an empty bullet says nothing
        lines = body.split("\n")
        items.append(
            "\n".join(
                ((mark if i == 0 else hang) + line).rstrip() if line else ""
                for i, line in enumerate(lines)
            )
        )
    return "\n".join(items)


def _table(node: SyntaxTreeNode) -> str:
    """A table: one line per row, cells separated by `` | `` (unwrapped)."""
    rows = [
        " | ".join(_inline_children(cell) for cell in row.children)
        for section in node.children
        for row in section.children
    ]
    return "\n".join(rows)


def _inline_children(node: SyntaxTreeNode) -> str:
    return "".join(_inline(child) for child in node.children)


def _inline(node: SyntaxTreeNode) -> str:
    """An inline run as text: marks dropped, links followed by their address."""
    kind = node.type
    if kind in ("text", "code_inline"):
        return node.content
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "\n"
    if kind == "html_inline":
        return ""
    if kind == "link":
        label = _inline_children(node)
        href = str(node.attrs.get("href", ""))
        if not href or href.startswith("#") or href in (label, f"mailto:{label}"):
            return label
        return f"{label} ({href})"
    if kind == "image":
        alt = _inline_children(node)
        return f"[image: {alt}]" if alt else "[image]"
    return _inline_children(node)
