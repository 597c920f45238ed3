"""The classroom wire protocol: event kinds, field limits and validation.

Learners (through :class:`workshop.classroom.reporter.Reporter`) and the server both use
this module, so that what a reporter stores in its outbox is exactly what the server will
accept: the reporter *clamps* fields to the limits (:func:`clamp_event`), the server
*validates* them (:func:`validate_event`) and refuses anything else with a message naming
the field. Standard library only.

An event is a JSON object::

    {"seq": 7, "kind": "check_failed", "time": 1764130000.25,
     "lesson": "11_dev_prod_parity", "step": "create-space", "reason": "no space named ..."}

``seq`` is the learner's own sequence number (1, 2, 3 … without gaps): the server stores
each ``(learner, seq)`` once and acknowledges the highest contiguous one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

#: Every event kind, with the optional fields it may carry beyond the common ones.
KIND_FIELDS: dict[str, frozenset[str]] = {
    "joined": frozenset({"steps", "title"}),
    "step_started": frozenset({"steps", "title"}),
    "command_run": frozenset({"command", "exit_code", "output", "attempt"}),
    "check_passed": frozenset({"reason"}),
    "check_failed": frozenset({"reason"}),
    "check_error": frozenset({"reason"}),
    "hint_shown": frozenset({"hint"}),
    "help_requested": frozenset({"message"}),
    "step_completed": frozenset(),
    "step_skipped": frozenset(),
    "left": frozenset(),
    "quiz_answered": frozenset({"answer", "right"}),
    "caught_up": frozenset({"done", "skipped"}),
}
KINDS = frozenset(KIND_FIELDS)

#: The kinds every classroom server takes, older ones too. A learner sends a newer kind
#: only to a server whose join answer lists it (``kinds``): a server that refused an event
#: would stall the learner's outbox, which resends it until it is taken.
BASE_KINDS = KINDS - {"quiz_answered", "caught_up"}

#: Fields an event of the kind must carry.
REQUIRED_FIELDS: dict[str, frozenset[str]] = {
    "command_run": frozenset({"command"}),
    "quiz_answered": frozenset({"answer", "right"}),
    "caught_up": frozenset({"done", "skipped"}),
}

#: Fields every event has (``lesson`` and ``step`` may be empty, e.g. for ``joined``).
COMMON_FIELDS = frozenset({"seq", "kind", "time", "lesson", "step"})

#: Maximum length in characters of each text field.
TEXT_LIMITS: dict[str, int] = {
    "lesson": 100,
    "step": 100,
    "title": 200,
    "command": 2000,
    "output": 8000,
    "reason": 1000,
    "hint": 1000,
    "message": 500,
    "answer": 500,
}
MAX_STEPS = 200  # items in a ``steps`` list (the ordered step ids of the lesson)
MAX_DONE = 2000  # items in a ``caught_up`` list (``lesson/step`` of the whole workshop)
DONE_FIELDS = frozenset({"done", "skipped"})
"""``caught_up``'s lists: the steps a learner finished before joining, as ``lesson/step``."""
MAX_BATCH = 200  # events in one POST
MAX_BODY = 512 * 1024  # bytes of any request body; more is refused with 413
MAX_NAME = 64
MAX_BROADCAST = 500
MAX_FRAME = 24_000  # characters of a shared screen (200 columns × 120 rows)
MAX_SEQ = 2**53  # what JSON numbers carry exactly
MAX_EVENTS_PER_LEARNER = 20_000  # a busy day is ~1,000; more is a script, not a person
MAX_LEARNERS = 1000  # per room, unless the instructor sets another (serve --max-learners)
# Times are Unix seconds; anything outside 2001..2100 is a broken clock or garbage.
MIN_TIME, MAX_TIME = 1.0e9, 4.1e9

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi embeddings, overrides and isolates: in a message they would reverse what follows
# it on the instructor's page; they are dropped from every text (names lose more).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class ProtocolError(ValueError):
    """A request that breaks the protocol; ``field`` names what is wrong when known."""

    def __init__(self, message: str, field: str | None = None):
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


def _text(value: Any, field: str, limit: int, *, multiline: bool = False) -> str:
    if not isinstance(value, str):
        raise ProtocolError("must be a string", field)
    if len(value) > limit:
        raise ProtocolError(f"longer than {limit} characters", field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ProtocolError("is not valid Unicode text", field) from None
    probe = value.replace("\n", "").replace("\t", "").replace("\r", "") if multiline else value
    if _CONTROL.search(probe) or (not multiline and ("\n" in value or "\r" in value)):
        raise ProtocolError("contains control characters", field)
    return _BIDI.sub("", value)


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError("must be an integer", field)
    if not low <= value <= high:
        raise ProtocolError(f"must be between {low} and {high}", field)
    return value


# Letters that show nothing: Hangul fillers, the combining grapheme joiner, Mongolian
# vowel separator (the rest of the invisible ones are format characters, category Cf).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u034f\u180e\u2800")


def normalise_name(text: str) -> str:
    """``text`` as a name people can see and tell apart.

    NFKC (full-width and styled letters become plain ones), no control, format (bidi
    overrides, zero-width joiners and spaces, soft hyphens) or private-use characters,
    every kind of space one plain space, at most two combining marks per letter.
    """
    out: list[str] = []
    marks = 0
    for ch in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(ch)
        if category[0] == "Z" or ch.isspace():
            ch, category = " ", "Zs"
        elif category[0] == "C" or ch in _BLANK_LETTERS:
            continue
        if category == "Mn":
            marks += 1
            if marks > 2:
                continue
        else:
            marks = 0
        out.append(ch)
    return " ".join("".join(out).split())


def validate_name(value: Any) -> str:
    """A learner's display name, normalised (:func:`normalise_name`): 1..64 characters."""
    if not isinstance(value, str):
        raise ProtocolError("must be a string", "name")
    if len(value) > MAX_NAME * 4:
        raise ProtocolError(f"longer than {MAX_NAME} characters", "name")
    name = normalise_name(value.encode("utf-8", "replace").decode("utf-8"))
    if not name:
        raise ProtocolError("must contain visible characters", "name")
    if len(name) > MAX_NAME:
        raise ProtocolError(f"longer than {MAX_NAME} characters", "name")
    return name


def distinct_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)`` … so that it differs from every ``taken`` one.

    ``taken`` holds case-folded names; two learners called "Ada" and "ada" are told apart.
    """
    if name.casefold() not in taken:
        return name
    n = 2
    while f"{name} ({n})".casefold() in taken:
        n += 1
    suffix = f" ({n})"
    return name[: MAX_NAME - len(suffix)] + suffix


def validate_client_id(value: Any) -> str:
    """The reporter's random install id (16..64 characters of ``[A-Za-z0-9_-]``)."""
    if not isinstance(value, str) or not _CLIENT_ID.match(value):
        raise ProtocolError("must be 16 to 64 characters of letters, digits, - or _", "client_id")
    return value


def validate_broadcast(value: Any) -> str:
    """An instructor's broadcast message: 1..500 characters."""
    text = _text(value, "text", MAX_BROADCAST, multiline=True).strip()
    if not text:
        raise ProtocolError("must not be empty", "text")
    return text


def validate_frame(value: Any) -> str:
    """A frame of a learner's shared screen: plain text lines, at most ``MAX_FRAME``."""
    return _text(value, "frame", MAX_FRAME, multiline=True)


def validate_event(raw: Any) -> dict[str, Any]:
    """Check one event object and return a clean copy; raise :class:`ProtocolError`."""
    if not isinstance(raw, dict):
        raise ProtocolError("each event must be a JSON object", "events")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ProtocolError(f"unknown kind {str(kind)[:40]!r}", "kind")
    allowed = COMMON_FIELDS | KIND_FIELDS[kind]
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ProtocolError(f"not allowed for {kind}", str(unknown[0])[:40])
    event: dict[str, Any] = {"kind": kind}
    event["seq"] = _int(raw.get("seq"), "seq", 1, MAX_SEQ)
    when = raw.get("time")
    if isinstance(when, bool) or not isinstance(when, int | float) or not math.isfinite(when):
        raise ProtocolError("must be a number of seconds since 1970", "time")
    if not MIN_TIME <= when <= MAX_TIME:
        raise ProtocolError("is not a plausible Unix time", "time")
    event["time"] = float(when)
    event["lesson"] = _text(raw.get("lesson", ""), "lesson", TEXT_LIMITS["lesson"])
    event["step"] = _text(raw.get("step", ""), "step", TEXT_LIMITS["step"])
    for field in KIND_FIELDS[kind]:
        if field not in raw:
            continue
        value = raw[field]
        if field == "exit_code":
            event[field] = _int(value, field, -255, 255)
        elif field in ("attempt", "right"):
            if not isinstance(value, bool):
                raise ProtocolError("must be true or false", field)
            event[field] = value
        elif field == "steps":
            if not isinstance(value, list) or len(value) > MAX_STEPS:
                raise ProtocolError(f"must be a list of at most {MAX_STEPS} step ids", field)
            event[field] = [_text(s, field, TEXT_LIMITS["step"]) for s in value]
        elif field in DONE_FIELDS:
            if not isinstance(value, list) or len(value) > MAX_DONE:
                raise ProtocolError(f"must be a list of at most {MAX_DONE} lesson/step", field)
            event[field] = [_lesson_step(s, field) for s in value]
        else:
            event[field] = _text(value, field, TEXT_LIMITS[field], multiline=True)
    for field in sorted(REQUIRED_FIELDS.get(kind, ())):
        if field not in event:
            raise ProtocolError(f"is required for {kind}", field)
    if kind == "quiz_answered" and not event["step"]:
        raise ProtocolError("a quiz answer needs its step", "step")
    return event


def _lesson_step(value: Any, field: str) -> str:
    """One ``lesson/step`` of a ``caught_up`` list."""
    text = _text(value, field, TEXT_LIMITS["lesson"] + 1 + TEXT_LIMITS["step"])
    lesson, slash, step = text.partition("/")
    if not (lesson and slash and step):
        raise ProtocolError("each item must be lesson/step", field)
    return text


def validate_batch(body: Any) -> list[dict[str, Any]]:
    """The body of ``POST /api/learners/{id}/events``: ``{"events": [...]}``, ordered by seq."""
    if not isinstance(body, dict) or set(body) != {"events"}:
        raise ProtocolError('the body must be {"events": [...]}')
    raw = body["events"]
    if not isinstance(raw, list) or not raw:
        raise ProtocolError("must be a non-empty list", "events")
    if len(raw) > MAX_BATCH:
        raise ProtocolError(f"at most {MAX_BATCH} events per request", "events")
    events = [validate_event(item) for item in raw]
    events.sort(key=lambda e: e["seq"])
    return events


_MULTILINE = frozenset({"command", "output", "reason", "hint", "message"})


def _clean(value: str, limit: int | None, *, multiline: bool = False) -> str:
    """Valid UTF-8, no control characters (no line breaks unless multiline), cut to limit."""
    value = value.encode("utf-8", "replace").decode("utf-8")  # lone surrogates from a PTY
    value = _BIDI.sub("", _CONTROL.sub("", value))
    if not multiline:
        value = value.replace("\n", " ").replace("\r", " ")
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return value


def clamp_frame(text: str) -> str:
    """A shared screen's text as the server accepts it (reporter side)."""
    return _clean(text, MAX_FRAME, multiline=True)


def clamp_event(event: dict[str, Any]) -> dict[str, Any]:
    """Cut every text field to its limit and drop control characters (reporter side).

    A learner's tool may print anything; rather than have the server refuse an event
    forever, the reporter stores what the server will accept.
    """
    out: dict[str, Any] = {}
    for key, value in event.items():
        if isinstance(value, str):
            value = _clean(value, TEXT_LIMITS.get(key), multiline=key in _MULTILINE)
        elif key == "steps" and isinstance(value, list):
            value = [_clean(str(s), TEXT_LIMITS["step"]) for s in value[:MAX_STEPS]]
        elif key in DONE_FIELDS and isinstance(value, list):
            limit = TEXT_LIMITS["lesson"] + 1 + TEXT_LIMITS["step"]
            cleaned = (_clean(str(s), limit) for s in value)
            value = [s for s in cleaned if all(s.partition("/")[::2]) and "/" in s][:MAX_DONE]
        elif key == "exit_code" and isinstance(value, int) and not isinstance(value, bool):
            value = max(-255, min(255, value))
        out[key] = value
    return out
