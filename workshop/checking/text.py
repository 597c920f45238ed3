"""Clean terminal output into plain text: no ANSI/OSC escapes, no carriage-return redraws.

Checks compare what the learner *saw*, so colour codes, shell-integration markers and
progress bars redrawn with ``\\r`` must not count.
"""

from __future__ import annotations

import functools
import re

_ANSI = re.compile(
    r"""
    \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?   # OSC ... BEL or ST (shell-integration marks, titles)
    | \x1b[P^_][^\x1b]*(?:\x1b\\)?       # DCS / PM / APC strings
    | \x1b\[[0-?]*[ -/]*[@-~]            # CSI (colours, cursor moves)
    | \x1b[@-Z\\-_]                      # two-byte escapes
    | \x9b[0-?]*[ -/]*[@-~]              # 8-bit CSI
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_ansi(text: str) -> str:
    """``text`` without escape sequences and stray control characters (tabs and newlines kept)."""
    if "\x1b" in text or "\x9b" in text:  # (a C-speed look first: most output has none)
        text = _ANSI.sub("", text)
    return _CONTROL.sub("", text)


@functools.lru_cache(maxsize=4)
def clean_output(text: str) -> str:
    """Terminal output as a learner read it: escapes gone, ``\\r\\n`` → ``\\n``, redraws resolved.

    Kept for the last few texts: one verdict cleans the same output for each of its checks
    (a script's ``WORKSHOP_OUTPUT``, a comparison, a hint), and a string's hash is kept by
    the string, so finding it again costs nothing however long it is."""
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        lines = []
        for line in text.split("\n"):
            if "\r" in line:
                # a carriage return redraws the line: what is visible is the last non-empty part
                parts = [p for p in line.split("\r") if p]
                line = parts[-1] if parts else ""
            lines.append(line)
        text = "\n".join(lines)
    return strip_ansi(text)


def bounded(text: str, limit: int = 64 * 1024) -> str:
    """``text`` cut to about ``limit`` characters, keeping its head and tail."""
    if len(text) <= limit:
        return text
    half = limit // 2
    dropped = len(text) - 2 * half
    return f"{text[:half]}\n… [{dropped} characters left out] …\n{text[-half:]}"


def for_matching(text: str) -> str:
    """Output as regex checks see it: cleaned, and no trailing blanks on any line.

    cf pads every table cell, the last one included (``production_test   ``), so a lesson's
    ``^production_test$`` would never match the raw text.
    """
    return "\n".join(line.rstrip() for line in clean_output(text).split("\n"))
