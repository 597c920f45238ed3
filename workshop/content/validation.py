"""Convert a loaded ``workshop.yaml`` into the typed :class:`~workshop.content.manifest.Manifest`,
reporting every problem at its line.

msgspec stops at the first error and names it by a path (``$.lessons[3].steps[...].chekcs``),
so conversion runs in rounds: each error is mapped back to the YAML node it names (the lines
come from :mod:`workshop.content.yamlio`'s ``LineDict``/``LineList``), reported as a
:class:`ContentError` with a "did you mean" for an unknown key, and the offending key or item
is dropped from the data before the next round. What is left converts, so one typo costs its
author one message and the rest of the workshop still loads (``workshop run`` warns and goes
on; ``workshop lint`` lists them all).

Before conversion, keys starting with ``x-`` at the top are dropped (YAML anchors live there)
and each check gets its ``kind`` tag from the key it holds.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from workshop.content import checkspec
from workshop.content.lines import LineDict, LineList
from workshop.content.manifest import NAMES, Manifest
from workshop.content.model import ContentError

MAX_PROBLEMS = 200
"""Rounds of conversion before giving up (each round reports one problem)."""

ANCHOR_PREFIX = "x-"

_SEGMENT = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[\.\.\.\]")
_AT = re.compile(r"^(?P<what>.*?)(?: - at `(?P<path>\$[^`]*)`)?$", re.S)


@dataclass
class Result:
    """What conversion gives: the typed manifest (None when even the top is unusable), the
    data it came from (pruned of what was reported), and the problems."""

    manifest: Manifest | None
    data: LineDict
    problems: list[ContentError]


def convert(data: LineDict, file: Path) -> Result:
    """Convert ``data`` (the mapping at the top of ``file``) into a :class:`Manifest`.

    ``data`` is changed in place: reported keys and items are removed from it, so the loader
    can read lines from it alongside the typed result."""
    problems: list[ContentError] = []
    _prepare(data, file, problems)
    for _ in range(MAX_PROBLEMS):
        try:
            return Result(msgspec.convert(data, Manifest), data, _in_order(problems))
        except msgspec.ValidationError as exc:
            problem = _locate(str(exc), data, file)
            problems.append(problem.error)
            if not problem.drop():
                return Result(None, data, _in_order(problems))
        except (TypeError, ValueError, RecursionError) as exc:  # data msgspec cannot walk
            problems.append(ContentError(f"cannot read workshop.yaml: {exc}", file, data.line))
            return Result(None, data, problems)
    problems.append(ContentError(f"more than {MAX_PROBLEMS} problems; stopped", file))
    return Result(None, data, problems)


def _in_order(problems: list[ContentError]) -> list[ContentError]:
    """In the order of their lines (checks without a kind are found before conversion)."""
    return sorted(problems, key=lambda p: p.line or 0)


# ---------------------------------------------------------------- before conversion


def _prepare(data: LineDict, file: Path, problems: list[ContentError]) -> None:
    """Drop the top's ``x-`` keys; tag each check with its kind (or report and drop it)."""
    for key in [k for k in data if k.startswith(ANCHOR_PREFIX)]:
        del data[key]
    tagged: set[int] = set()
    prerequisites = data.get("prerequisites")
    if isinstance(prerequisites, list):
        _tag_checks(prerequisites, file, problems, tagged)
    lessons = data.get("lessons")
    if not isinstance(lessons, list):
        return
    for lesson in lessons:
        steps = lesson.get("steps") if isinstance(lesson, dict) else None
        if not isinstance(steps, dict):
            continue
        for settings in steps.values():
            checks = settings.get("checks") if isinstance(settings, dict) else None
            if isinstance(checks, list):
                _tag_checks(checks, file, problems, tagged)


def _tag_checks(
    checks: list[Any], file: Path, problems: list[ContentError], tagged: set[int]
) -> None:
    for index in reversed(range(len(checks))):
        raw = checks[index]
        if not isinstance(raw, dict) or id(raw) in tagged:
            continue  # a bare string is a script; anything else is msgspec's to report
        if "kind" in raw:
            problems.append(
                ContentError(
                    f"unknown key 'kind' in a check{_keys_here(checkspec.KINDS)}",
                    file,
                    _key_line(raw, "kind"),
                )
            )
        kind = checkspec.kind_of(raw)
        if kind is None:
            problems.append(ContentError(_no_kind(raw), file, _item_line(checks, index)))
            _pop(checks, index)
            continue
        raw["kind"] = kind
        tagged.add(id(raw))  # an alias (`- *check`) is the same mapping: tagged once


def _no_kind(raw: dict[str, Any]) -> str:
    import difflib  # only when there is a problem: it costs milliseconds to import

    kinds = [k for k in checkspec.KINDS if k in raw]
    if len(kinds) > 1:
        return f"a check names exactly one of: {', '.join(checkspec.KINDS)} (this one: {', '.join(kinds)})"
    guesses = [
        match
        for key in raw
        for match in difflib.get_close_matches(str(key), checkspec.KINDS, n=1, cutoff=0.6)
    ]
    suggestion = f" (did you mean '{guesses[0]}'?)" if guesses else ""
    return f"a check names exactly one of: {', '.join(checkspec.KINDS)}{suggestion}"


# ---------------------------------------------------------------- an error → a problem


@dataclass
class _Problem:
    error: ContentError
    parent: Any = None
    """The mapping or list that holds what is dropped (None: nothing can be dropped)."""
    key: str | int | None = None

    def drop(self) -> bool:
        """Remove the offending key or item; False when there is nothing to remove."""
        if self.parent is None or self.key is None:
            return False
        if isinstance(self.parent, list) and isinstance(self.key, int):
            _pop(self.parent, self.key)
        elif isinstance(self.parent, dict):
            self.parent.pop(self.key, None)
        return True


def _locate(text: str, data: LineDict, file: Path) -> _Problem:
    """msgspec's message → the node it names, its line, and a message in our words."""
    match = _AT.match(text)
    what = match["what"] if match else text
    path = match["path"] if match and match["path"] else "$"
    steps = _walk(path, data)
    node, tp = steps[-1].node, steps[-1].type
    parent, key = (steps[-2].node, steps[-1].key) if len(steps) > 1 else (None, None)
    if unknown := re.match(r"Object contains unknown field `(.+)`$", what):
        name = unknown[1]
        return _Problem(
            ContentError(_unknown_key(name, tp, key), file, _key_line(node, name)), node, name
        )
    if missing := re.match(r"Object missing required field `(.+)`$", what):
        return _Problem(
            ContentError(
                f"{_name_of(tp, key)} needs '{missing[1]}'", file, _line(node, parent, key)
            ),
            parent,
            key,
        )
    expects = _expects(steps[-1].annotation) or _plain(what)
    label = f"'{key}'" if isinstance(key, str) else _item_label(steps)
    written = _shown(node)
    message = f"{label} must be {expects}" + (f", not {written}" if written else "")
    error = ContentError(message, file, _line(node, parent, key))
    if len(steps) > 2 and isinstance(key, str) and _required(steps[-2].type, key):
        return _Problem(error, steps[-3].node, steps[-2].key)  # its mapping cannot stand
    return _Problem(error, parent, key)


def _required(tp: Any, name: str) -> bool:
    if not (isinstance(tp, type) and issubclass(tp, msgspec.Struct)):
        return False
    return any(f.encode_name == name and f.required for f in msgspec.structs.fields(tp))


def _unknown_key(name: str, tp: Any, key: str | int | None) -> str:
    import difflib

    allowed = _fields(tp)
    guess = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    hint = f" (did you mean '{guess[0]}'?)" if guess else _keys_here(allowed)
    return f"unknown key '{name}' in {_name_of(tp, key)}{hint}"


def _keys_here(allowed: typing.Iterable[str]) -> str:
    return f" (keys here: {', '.join(allowed)})"


def _name_of(tp: Any, key: str | int | None) -> str:
    name = NAMES.get(tp, "this mapping") if isinstance(tp, type) else "this mapping"
    return name.replace("{key}", str(key))


def _fields(tp: Any) -> list[str]:
    if not (isinstance(tp, type) and issubclass(tp, msgspec.Struct)):
        return []
    config = tp.__struct_config__
    names = [f.encode_name for f in msgspec.structs.fields(tp) if f.encode_name != config.tag_field]
    if isinstance(config.tag, str) and config.tag in names:  # a check's own key first
        names.remove(config.tag)
        names.insert(0, config.tag)
    return names


def _item_label(steps: list[_Step]) -> str:
    holder = next((s.key for s in reversed(steps[:-1]) if isinstance(s.key, str)), None)
    return f"an item of '{holder}'" if holder else "this value"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = "null" if value is None else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "null",
    "array": "a list",
    "object": "a mapping",
}


def _plain(what: str) -> str:
    """msgspec's ``Expected `str | object`, got `int``` → ``text or a mapping``."""
    found = re.match(r"Expected `([^`]+)`(.*?)(?:, got `[^`]+`)?$", what)
    if not found:
        return what[:1].lower() + what[1:]
    names = [_WORDS.get(part.strip(), part.strip()) for part in found[1].split("|")]
    either = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
    return either + found[2]


def _expects(annotation: Any) -> str | None:
    """The ``expects`` phrase of a field's Meta, when it has one."""
    for meta in typing.get_args(annotation)[1:] if _is_annotated(annotation) else ():
        extra = getattr(meta, "extra", None)
        if isinstance(extra, dict) and isinstance(extra.get("expects"), str):
            return str(extra["expects"])
    return None


# ---------------------------------------------------------------- following a path


@dataclass
class _Step:
    node: Any
    type: Any
    """The type the node converts to (Annotated and Optional unwrapped)."""
    annotation: Any = None
    """The field's annotation as written (with its Meta)."""
    key: str | int | None = None


def _walk(path: str, data: Any) -> list[_Step]:
    """Follow msgspec's path through the data and the types; ``[...]`` (a key msgspec does
    not name) is the first entry of that mapping that does not convert."""
    steps = [_Step(data, Manifest, Manifest)]
    for segment in _SEGMENT.finditer(path[1:]):
        here = steps[-1]
        node, tp = here.node, _member(here.type, here.node)
        name, index = segment[1], segment[2]
        if name is not None and isinstance(node, dict) and name in node:
            annotation = _field_type(tp, name)
            key: str | int = name
        elif index is not None and isinstance(node, list) and int(index) < len(node):
            annotation = _args(tp)[0] if _args(tp) else Any
            key = int(index)
        elif segment[0] == "[...]" and isinstance(node, dict):
            value_type = _args(tp)[1] if len(_args(tp)) == 2 else Any
            failing = next((k for k, v in node.items() if not _converts(v, value_type)), None)
            if failing is None:
                break
            annotation, key = value_type, failing
        else:
            break
        value = node[key]
        steps.append(_Step(value, _member(_unwrap(annotation), value), annotation, key))
    return steps


def _converts(value: Any, tp: Any) -> bool:
    try:
        msgspec.convert(value, tp)
    except (msgspec.ValidationError, TypeError, ValueError):
        return False
    return True


def _is_annotated(tp: Any) -> bool:
    return typing.get_origin(tp) is typing.Annotated


def _unwrap(tp: Any) -> Any:
    while _is_annotated(tp):
        tp = typing.get_args(tp)[0]
    return tp


def _args(tp: Any) -> tuple[Any, ...]:
    return typing.get_args(_unwrap(tp))


def _member(tp: Any, value: Any) -> Any:
    """The member of a union that ``value`` goes to (a check struct by its kind tag)."""
    tp = _unwrap(tp)
    if not isinstance(tp, types.UnionType) and typing.get_origin(tp) is not typing.Union:
        return tp
    for member in map(_unwrap, typing.get_args(tp)):
        if isinstance(member, type) and issubclass(member, msgspec.Struct):
            config = member.__struct_config__
            if isinstance(value, dict) and (
                config.tag_field is None or value.get(config.tag_field) == config.tag
            ):
                return member
        elif isinstance(value, dict) and typing.get_origin(member) is dict:
            return member
        elif isinstance(value, list) and typing.get_origin(member) is list:
            return member
    return tp


def _field_type(tp: Any, name: str) -> Any:
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        for field in msgspec.structs.fields(tp):
            if field.encode_name == name:
                return field.type
    return Any


# ---------------------------------------------------------------- lines


def _key_line(node: Any, key: str) -> int | None:
    return node.line_of(key) if isinstance(node, LineDict) else None


def _item_line(items: Any, index: int) -> int | None:
    if isinstance(items, LineList) and index < len(items.item_lines):
        return items.item_lines[index]
    return getattr(items, "line", None)


def _line(node: Any, parent: Any, key: str | int | None) -> int | None:
    """The line of ``parent[key]``: its key's line in a mapping, its own in a list."""
    if isinstance(key, str) and isinstance(parent, LineDict):
        return parent.line_of(key)
    if isinstance(key, int) and isinstance(parent, LineList):
        return _item_line(parent, key)
    return getattr(node, "line", None) or None


def _pop(items: list[Any], index: int) -> None:
    """Remove an item, keeping a LineList's lines in step."""
    del items[index]
    if isinstance(items, LineList) and index < len(items.item_lines):
        del items.item_lines[index]
