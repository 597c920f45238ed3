"""cf v6.16.1's flag parsing (its ``flags`` package), word for word.

Why: learners put flags before or after names (``cf push -n host``, ``cf scale app -i 2``),
with one or two dashes, ``-flag=value``, and bool flags followed by ``true``/``false``; the
errors ("Invalid flag: -x", "No value provided for flag: -i", "Value for flag 'i' must be
an integer") are cf's. A command that skips flag parsing (``set-env``) takes every word as
an argument, so ``cf set-env app JAVA_OPTS -Xmx512m`` works as it does in cf.
"""

from __future__ import annotations

from workshop.mock.cf.specs import Flag, Spec

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True}
_BOOLS.update({"0": False, "f": False, "F": False, "FALSE": False, "false": False})
_BOOLS["False"] = False
_FLOAT = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(?i:inf|infinity|nan)"
"""Go's float syntax; ``re`` is imported only for a command given a float flag (it costs a
mock command's start about 5 ms)."""


def _is_int(value: str) -> bool:
    """Go's integer syntax: ``[+-]?[0-9]+``."""
    digits = value[1:] if value[:1] in ("+", "-") else value
    return digits != "" and all(c in "0123456789" for c in digits)


def _matches(pattern: str, value: str) -> bool:
    import re

    return re.fullmatch(pattern, value) is not None


class UsageProblem(Exception):
    """A flag problem: ``str(self)`` is the line cf prints after ``Incorrect Usage``."""


def parse(spec: Spec, argv: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Split ``argv`` into ({first flag name: value}, positional arguments)."""
    opts: dict[str, Any] = {}
    if spec.skip_flags:
        return opts, list(argv)
    words = list(argv)
    args: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if not word.startswith("-"):
            args.append(word)
            i += 1
            continue
        name = word.lstrip("-")
        if "=" in name:
            name, value = name.split("=", 1)
            words.insert(i + 1, value)  # the value then reads as the next word
        flag = _find(spec.flags, name)
        if flag is None:
            raise UsageProblem(f"Invalid flag: {word}")
        key = flag.names[0]
        last = i >= len(words) - 1
        if flag.kind == "bool":
            following = None if last else _BOOLS.get(words[i + 1])
            if following is not None:
                i += 1
            opts[key] = True if following is None else following
            i += 1
            continue
        if last:
            raise UsageProblem(f"No value provided for flag: {word}")
        value = words[i + 1]
        i += 2
        if flag.kind == "int":
            if not _is_int(value) or not -(2**31) <= int(value) < 2**31:
                raise UsageProblem(f"Value for flag '{name}' must be an integer")
            opts[key] = int(value)
        elif flag.kind == "float":
            if not _matches(_FLOAT, value):
                raise UsageProblem(f"Value for flag '{name}' must be a float64")
            opts[key] = float(value)
        else:
            opts[key] = value
    return opts, args


def _find(flags: tuple[Flag, ...], name: str) -> Flag | None:
    """By long name first, then by short name (cf's lookup order)."""
    for flag in flags:
        if flag.names[0] == name and len(flag.names[0]) > 1:
            return flag
    for flag in flags:
        if name in flag.names:
            return flag
    if name == "":  # "-" alone: cf picks a flag without a short name, if there is one
        return next((f for f in flags if len(f.names) == 1 and len(f.names[0]) > 1), None)
    return None
