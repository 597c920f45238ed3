"""What the reporter stores is always what the server accepts (property-based)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.classroom import protocol
from workshop.classroom.redaction import redact

TEXT = st.text(st.characters(codec=None), max_size=3000)  # any code point, surrogates too


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(sorted(protocol.KINDS)),
    texts=st.fixed_dictionaries({}, optional={k: TEXT for k in protocol.TEXT_LIMITS}),
    steps=st.lists(TEXT, max_size=250),
    exit_code=st.integers(-(10**6), 10**6),
)
def test_clamped_events_always_validate(kind: str, texts: dict[str, str], steps: list[str],
                                        exit_code: int) -> None:  # fmt: skip
    allowed = protocol.KIND_FIELDS[kind]
    event: dict[str, Any] = {"seq": 1, "kind": kind, "time": 1.7e9}
    event.update({k: redact(v) for k, v in texts.items() if k in allowed | {"lesson", "step"}})
    if "steps" in allowed:
        event["steps"] = steps
    if "exit_code" in allowed:
        event["exit_code"] = exit_code
    if kind == "command_run":
        event.setdefault("command", "")
    if kind == "quiz_answered":
        event.setdefault("answer", "")
        event.update(right=exit_code % 2 == 0, step="quiz-1")
    if kind == "caught_up":  # any text: what is no lesson/step is left out
        event.update(done=[f"L/{s}" for s in steps] + steps, skipped=steps)
    clamped = protocol.clamp_event(event)
    json.dumps(clamped, ensure_ascii=False).encode("utf-8")  # storable as UTF-8
    checked = protocol.validate_event(clamped)
    assert checked["kind"] == kind


@given(st.text(max_size=200))
def test_names_validate_or_refuse_cleanly(name: str) -> None:
    try:
        clean = protocol.validate_name(name)
    except protocol.ProtocolError as exc:
        assert exc.field == "name"
    else:
        assert clean == clean.strip() and 0 < len(clean) <= protocol.MAX_NAME


def test_bidi_overrides_are_dropped_from_every_text() -> None:
    from workshop.classroom import protocol

    event = protocol.validate_event({"seq": 1, "kind": "help_requested", "time": 1.8e9,
                                     "lesson": "L", "step": "s1",
                                     "message": "push \u202efails\u202c please"})  # fmt: skip
    assert event["message"] == "push fails please"
    clamped = protocol.clamp_event({"kind": "hint_shown", "hint": "a\u2067b\u2069c"})
    assert clamped["hint"] == "abc"
