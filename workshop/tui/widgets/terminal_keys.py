"""Textual key names → the bytes a VT100/xterm sends for them.

A separate table so the translation can be read (and tested) at a glance, and so the
terminal widget stays about drawing. What bash's readline expects: ``DEL`` for Backspace,
``CR`` for Enter, CSI sequences for arrows (``SS3`` ones when the program turned on
application cursor keys), ``ESC`` + key for Alt.
"""

from __future__ import annotations

# Keys whose sequence depends on application cursor mode (DECCKM): CSI form / SS3 form.
_CURSOR_KEYS = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}

_FIXED = {
    "enter": "\r",
    "ctrl+m": "\r",
    "ctrl+j": "\n",
    "tab": "\t",
    "ctrl+i": "\t",
    "shift+tab": "\x1b[Z",
    "backspace": "\x7f",
    "ctrl+h": "\x08",
    "escape": "\x1b",
    "ctrl+space": "\x00",
    "ctrl+@": "\x00",
    "insert": "\x1b[2~",
    "delete": "\x1b[3~",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "ctrl+backslash": "\x1c",
    "ctrl+right_square_bracket": "\x1d",
    "ctrl+circumflex_accent": "\x1e",
    "ctrl+underscore": "\x1f",
}

# xterm modifier parameter: 1 + (shift 1, alt 2, ctrl 4).
_MODIFIERS = {"shift": 1, "alt": 2, "ctrl": 4}


def key_to_sequence(key: str, character: str | None, application_cursor: bool = False) -> str:
    """The text to write to the PTY for a key press, or ``""`` for keys the shell never gets.

    ``key`` is Textual's key name (``ctrl+c``, ``up``, ``shift+left``), ``character`` the
    printable character the key produced, if any.
    """
    if key in _FIXED:
        return _FIXED[key]
    if key in _CURSOR_KEYS:
        return ("\x1bO" if application_cursor else "\x1b[") + _CURSOR_KEYS[key]
    parts = key.split("+")
    base, mods = parts[-1], parts[:-1]
    if mods and base in _CURSOR_KEYS and all(m in _MODIFIERS for m in mods):
        code = 1 + sum(_MODIFIERS[m] for m in mods)
        return f"\x1b[1;{code}{_CURSOR_KEYS[base]}"
    if mods == ["ctrl"] and len(base) == 1 and base.isalpha():
        return chr(ord(base.lower()) - ord("a") + 1)
    if mods and mods[0] == "alt":
        rest = "+".join(mods[1:] + [base])
        inner = key_to_sequence(rest, character if len(mods) == 1 else None, application_cursor)
        if not inner and len(base) == 1:
            inner = base
        return "\x1b" + inner if inner else ""
    if character and character.isprintable():
        return character
    return ""
