"""Turn what a terminal program printed into plain text.

Checks compare a command's output with expected text; they must not see colours, cursor
movement, window titles or the carriage-return tricks of progress bars. :func:`strip_ansi`
removes escape sequences and applies the few control characters that change which text a
reader would see (CR LF, a lone CR that overwrites the line, backspace).
"""

from __future__ import annotations

import re

# One alternative per family of escape sequence (ECMA-48):
_ESCAPES = re.compile(
    r"""
      \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?      # OSC ... BEL or ST (title, hyperlinks, marks)
    | \x1b[P^_X][^\x1b]*(?:\x1b\\)?           # DCS, PM, APC, SOS strings
    | \x1b\[[0-?]*[\ -/]*[@-~]                # CSI (colours, cursor movement, erase)
    | \x9b[0-?]*[\ -/]*[@-~]                  # 8-bit CSI
    | \x1b[\ -/]*[0-~]                        # two or three byte escapes (charset, keypad)
    | \x1b                                    # a lone ESC left over
    """,
    re.VERBOSE,
)
# Control characters with no visible effect on plain text (keeps \t \n \r \b).
_CONTROLS = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]")


def _overwrite(line: str) -> str:
    """Apply carriage returns and backspaces within one line as a terminal would."""
    if "\r" not in line and "\b" not in line:
        return line
    cells: list[str] = []
    col = 0
    for ch in line:
        if ch == "\r":
            col = 0
        elif ch == "\b":
            col = max(col - 1, 0)
        else:
            if col < len(cells):
                cells[col] = ch
            else:
                cells.append(ch)
            col += 1
    return "".join(cells)


def strip_ansi(text: str) -> str:
    """Return the plain text a reader would see in ``text`` printed by a terminal program.

    Escape sequences (CSI, OSC, DCS and the short ones) and invisible control characters
    are removed, ``\\r\\n`` becomes ``\\n``, and a lone ``\\r`` or ``\\b`` overwrites the
    characters before it on the same line (so a progress bar leaves its last state).
    """
    if "\x1b" in text or "\x9b" in text:  # (a C-speed look first: most output has none)
        text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    text = text.replace("\r\n", "\n")
    if "\r" not in text and "\b" not in text:
        return text
    return "\n".join(_overwrite(line) for line in text.split("\n"))
