"""The fake cf's command table as plain data, for whoever needs cf's vocabulary.

Why: feedback and attempt counting must know cf's commands, aliases, flags and argument
names, and those must be the mock's own (``specs.SPECS``), not a copy that drifts. This
module turns the specs into tuples and dicts of strings and booleans, so that its callers
need not know the mock's classes and the mock need not know its callers. The mock's
start-up never imports it; it imports only ``specs`` (already loaded by every command).
"""

from __future__ import annotations

from workshop.mock.cf.specs import SPECS, Flag, Spec

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time, as everywhere in the mock
    from typing import TypedDict

    class FlagRow(TypedDict):
        """One flag: names without dashes (long first), whether it takes a value, and the
        value's name in the usage text ("" when the usage does not show it)."""

        names: tuple[str, ...]
        takes_value: bool
        value_name: str

    class CommandRow(TypedDict):
        """One command: name, aliases, flags, and its positional arguments' names in order
        as its usage text writes them (optional ones included)."""

        name: str
        aliases: tuple[str, ...]
        flags: tuple[FlagRow, ...]
        arguments: tuple[str, ...]

    class CommandTable(TypedDict):
        """The whole table: the program, its global options, its commands."""

        program: str
        global_flags: tuple[FlagRow, ...]
        commands: tuple[CommandRow, ...]


PROGRAM = "cf"

# What main.py accepts before (or instead of) a command: version, build, help.
_GLOBAL_FLAGS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("version", "v"), False),
    (("build", "b"), False),
    (("help", "h"), False),
)


def command_table() -> CommandTable:
    """cf's commands as the mock knows them: names, aliases, flags, argument names."""
    return {
        "program": PROGRAM,
        "global_flags": tuple(
            {"names": names, "takes_value": value, "value_name": ""}
            for names, value in _GLOBAL_FLAGS
        ),
        "commands": tuple(_row(spec) for spec in SPECS),
    }


def _row(spec: Spec) -> CommandRow:
    synopsis = _synopsis(spec)
    values = _value_names(synopsis)
    return {
        "name": spec.name,
        "aliases": (spec.alias,) if spec.alias else (),
        "flags": tuple(_flag_row(flag, values) for flag in spec.flags),
        "arguments": _arguments(synopsis),
    }


def _flag_row(flag: Flag, values: dict[str, str]) -> FlagRow:
    takes_value = flag.kind != "bool"
    value_name = next((values[n] for n in flag.names if n in values), "") if takes_value else ""
    return {"names": flag.names, "takes_value": takes_value, "value_name": value_name}


def _synopsis(spec: Spec) -> str:
    """The usage text from ``cf NAME`` to the first blank line, on one line."""
    lines: list[str] = []
    for line in spec.usage.splitlines():
        if not line.strip():
            if lines:
                break
            continue
        if lines or f"cf {spec.name}" in line:
            lines.append(line.strip())
    text = " ".join(lines)
    start = text.find(f"cf {spec.name}")
    return text[start:] if start >= 0 else ""


def _tokens(text: str) -> list[tuple[str, bool]]:
    """The words of ``text`` and whether each sits inside ``[ ]``."""
    words: list[tuple[str, bool]] = []
    depth = 0
    current = ""
    for char in text + " ":
        if char in "[] ":
            if current:
                words.append((current, depth > 0))
                current = ""
            depth += 1 if char == "[" else -1 if char == "]" else 0
            depth = max(depth, 0)
        else:
            current += char
    return words


def _is_placeholder(word: str) -> bool:
    return word[:1].isalpha() and word.upper() == word and not word.startswith("-")


def _value_names(synopsis: str) -> dict[str, str]:
    """Flag name (no dashes) → the value name the usage writes after it (``-s SPACE``)."""
    names: dict[str, str] = {}
    words = _tokens(synopsis)
    for (word, _), (following, _) in zip(words, words[1:], strict=False):
        if word.startswith("-") and len(word) > 1 and _is_placeholder(following):
            names[word.lstrip("-")] = following
    return names


def _arguments(synopsis: str) -> tuple[str, ...]:
    """Positional argument names: placeholders not written as a flag's value."""
    words = _tokens(synopsis)[2:]  # past "cf NAME"
    arguments: list[str] = []
    previous = ""
    for word, _ in words:
        if _is_placeholder(word) and not previous.startswith("-"):
            arguments.append(word)
        previous = word
    return tuple(arguments)
