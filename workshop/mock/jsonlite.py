"""JSON for the mock's start-up path: the ``json`` module's C parser and encoder, without it.

Why: every ``cf`` a learner types starts a Python that reads and writes the foundation's
state as JSON. ``import json`` compiles six regular expressions and imports ``re`` and, with
it, ``enum``, ``collections`` and ``functools``: about 10 ms of a mock command's CPU, a
third of it. The ``_json`` extension the ``json`` module itself uses parses and encodes
without any of that (and an indented document is a few lines of Python here).
:func:`loads`, :func:`load` and :func:`dumps` take the ``json`` module's arguments (only
those the mock uses); whatever else (a bad document, a key or a value JSON has no plain
form for, a Python without ``_json``) is handed to ``json`` itself, so results and errors
are exactly the ``json`` module's.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time (start-up cost)
    from typing import IO, Any

_WHITESPACE = " \t\n\r"
"""What JSON allows around a document (``json.decoder.WHITESPACE``)."""

_scan: Any = None


def _scanner() -> Any:
    """The C scanner with ``json.loads``'s defaults (None when ``_json`` is missing)."""
    global _scan
    if _scan is None:
        try:
            import _json
        except ImportError:
            return None
        constants = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}

        class Context:
            strict = True
            object_hook = None
            object_pairs_hook = None
            parse_float = float
            parse_int = int
            parse_constant = constants.__getitem__

        _scan = _json.make_scanner(Context())  # type: ignore[arg-type]  # its duck type
    return _scan


def loads(text: str | bytes) -> Any:
    """``json.loads(text)``."""
    scan = _scanner()
    if scan is not None and isinstance(text, str):
        start = len(text) - len(text.lstrip(_WHITESPACE))
        try:
            value, end = scan(text, start)
        except Exception:  # noqa: BLE001, S110 - json.loads below says what is wrong
            pass
        else:
            if not text[end:].strip(_WHITESPACE):
                return value
    import json

    return json.loads(text)


def load(fh: IO[Any]) -> Any:
    """``json.load(fh)``."""
    return loads(fh.read())


def _refuse(value: object) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(
    value: Any,
    *,
    ensure_ascii: bool = True,
    separators: tuple[str, str] | None = None,
    indent: int | None = None,
    sort_keys: bool = False,
) -> str:
    """``json.dumps(value, ...)`` with these arguments."""
    try:
        import _json

        text = _json.encode_basestring_ascii if ensure_ascii else _json.encode_basestring
        if indent is not None:
            item, key = separators or (",", ": ")
            return _indented(value, text, " " * indent, item, key, sort_keys, "\n", set())
        item, key = separators or (", ", ": ")
        if isinstance(value, str):
            return str(text(value))
        encode = _json.make_encoder({}, _refuse, text, None, key, item, sort_keys, False, True)
        return "".join(encode(value, 0))
    except Exception:  # noqa: BLE001, S110 - json.dumps below gives its own answer or error
        pass
    import json

    return json.dumps(
        value, ensure_ascii=ensure_ascii, separators=separators, indent=indent, sort_keys=sort_keys
    )


def _indented(
    value: Any,
    text: Any,
    step: str,
    item: str,
    key: str,
    sort_keys: bool,
    newline: str,
    seen: set[int],
) -> str:
    """What ``json.dumps`` writes with ``indent`` (what ``cf`` writes its config.json with);
    anything unusual (a key that is not a string, a float that is not finite, a cycle, an
    object of another type) raises, and ``json`` answers instead."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return str(text(value))
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not finite")
        return float.__repr__(value)
    if kind not in (list, dict) or id(value) in seen:
        raise TypeError("json answers")
    if not value:
        return "[]" if kind is list else "{}"
    seen.add(id(value))
    inner = newline + step
    if kind is list:
        parts = [_indented(v, text, step, item, key, sort_keys, inner, seen) for v in value]
        opening, closing = "[", "]"
    else:
        pairs = sorted(value.items()) if sort_keys else value.items()
        parts = []
        for k, v in pairs:
            if type(k) is not str:
                raise TypeError("json answers")
            parts.append(
                text(k) + key + _indented(v, text, step, item, key, sort_keys, inner, seen)
            )
        opening, closing = "{", "}"
    seen.discard(id(value))
    return opening + inner + (item + inner).join(parts) + newline + closing
