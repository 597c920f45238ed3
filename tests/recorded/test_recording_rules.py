"""The rules under recorded mocks, one by one: the scenario matcher, redaction, the drift
check's normalisation and its pairing of calls."""

from __future__ import annotations

from typing import Any

from workshop.engine.recording import Recorded, _aligned, scenario
from workshop.engine.selftest import SelfTestReport
from workshop.mock.matching import expected, select
from workshop.mock.normalize import normalize
from workshop.mock.redact import redact_argv, redact_text, suspicious_lines


def entry(argv: str, state: int | None = None, then: int | None = None, **more: Any) -> dict:
    made: dict[str, Any] = {"argv": argv.split(), "exit": 0, "chunks": [], **more}
    if state is not None:
        made["state"] = state
    if then is not None:
        made["then"] = then
    return made


GET_BEFORE = entry("kv get k", 0, exit=1)
PUT = entry("kv put k v", 0, 1)
GET_AFTER = entry("kv get k", 1)
DELETE = entry("kv delete k", 1, 2)
VERSION = entry("kv --version")
RECORDING = [GET_BEFORE, PUT, GET_AFTER, DELETE, VERSION]


def chosen(argv: str, state: int) -> dict | None:
    found = select(RECORDING, argv.split(), state)
    return found[0] if found else None


def test_a_call_answers_as_recorded_in_the_current_state() -> None:
    assert chosen("kv get k", 0) is GET_BEFORE
    assert chosen("kv put k v", 0) is PUT
    assert chosen("kv get k", 1) is GET_AFTER
    assert chosen("/usr/bin/kv get k", 1) is GET_AFTER  # the program by its base name


def test_a_read_carries_forward_a_move_does_not() -> None:
    assert chosen("kv get k", 2) is GET_AFTER  # nothing recorded at 2: the latest read
    assert chosen("kv put k v", 1) is None  # a move only in its own state
    assert chosen("kv delete k", 0) is None  # nor ahead of it


def test_calls_recorded_outside_the_protocol_answer_in_any_state() -> None:
    assert chosen("kv --version", 5) is VERSION
    assert chosen("kv --help", 0) is None


def test_a_move_wins_over_a_read_of_the_same_call_in_the_same_state() -> None:
    read = entry("kv get k", 1)
    move = entry("kv get k", 1, 2)
    found = select([read, move], ["kv", "get", "k"], 1)
    assert found is not None and found[0] is move


def test_placeholders_bind_words() -> None:
    found = select(
        [entry("kv login --password {{secret}}", 0, 1)], "kv login --password x".split(), 0
    )
    assert found is not None and found[1] == {"secret": "x"}


def test_what_the_lesson_expects_is_its_next_move() -> None:
    assert expected(RECORDING, "kv", 0) == [["kv", "put", "k", "v"]]
    assert expected(RECORDING, "kv", 2) == []


def test_secrets_are_redacted_in_output_and_argv() -> None:
    assert redact_text("token: kvt_0123456789abcdef") == "token: <redacted>"
    assert redact_text("Authorization: Bearer abc123defghijklm") == (
        "Authorization: Bearer <redacted>"
    )
    assert redact_text("key AKIAABCDEFGHIJKLMNOP here") == "key <redacted> here"
    assert redact_text("3 tokens left") == "3 tokens left"
    assert redact_text("uses basic authentication") == "uses basic authentication"
    assert redact_argv(["kv", "login", "--password", "pw", "--api-key=abc"]) == [
        "kv", "login", "--password", "{{secret}}", "--api-key={{secret2}}",
    ]  # fmt: skip
    assert suspicious_lines('ok\n  - [0.0, "password=hunter22"]\n') == [
        (2, "a value after 'password'")
    ]
    assert suspicious_lines("token: <redacted>\n") == []


def test_normalise_what_always_changes() -> None:
    a = "notes bkt-1a2b3c4d5e 0 2026-12-07T03:53:02Z took 1.2s, 3m ago 5d4h id=6f1c9e2"
    b = "notes  bkt-99ffee7d11 0 2027-01-01T00:00:00Z took 0.4s, 12m ago 1h id=0a9b8c7"
    assert normalize(a) == normalize(b)
    assert normalize("NAME ID") != normalize("BUCKET ID")
    uuid = "4b0a8a62-7d0c-4c2b-9d7a-2f0e7c1b9a11"
    assert normalize(uuid) == "<id>"


def _call(argv: str, step: str, phase: str, out: str) -> dict[str, Any]:
    return {
        "argv": argv.split(),
        "at": {"lesson": "l", "step": step, "phase": phase},
        "cwd": ".",
        "exit": 0,
        "started": 0.0,
        "chunks": [[0.0, out]],
    }


def test_drift_pairs_calls_so_one_more_does_not_shift_the_rest() -> None:
    old = scenario([_call("kv list", "a", "before", "x\n"), _call("kv put", "a", "solve", "ok\n")])
    new = scenario(
        [
            _call("kv list", "a", "before", "x\n"),
            _call("kv whoami", "a", "before", "ada\n"),
            _call("kv put", "a", "solve", "ok\n"),
        ]
    )
    pairs = _aligned(old, new)
    assert [(o is not None, n is not None) for o, n in pairs] == [
        (True, True), (False, True), (True, True),
    ]  # fmt: skip
    assert Recorded(SelfTestReport(), {"l": new}).entries["l"][1]["argv"] == ["kv", "whoami"]


def test_scenario_states_and_retries() -> None:
    calls = [
        _call("kv get k", "s", "before", "no\n"),
        _call("kv put k v", "s", "solve", "ok\n"),
        _call("kv get k", "s", "after", "v\n"),
        _call("kv get k", "s", "after", "v\n"),  # a check's retry
    ]
    made = scenario(calls)
    assert [(e["argv"][1], e["state"], e.get("then")) for e in made] == [
        ("get", 0, None), ("put", 0, 1), ("get", 1, None),
    ]  # fmt: skip


def test_a_prefixed_random_id_normalises_the_same_whatever_its_random_part_holds() -> None:
    """``bkt-`` and ten random hex digits: all digits, digits and letters, or letters only,
    it is one ``<id>`` (it used to be ``bkt-<hash>`` or ``<id>`` by chance: a drift)."""
    shapes = ["bkt-3f2a19c0d1", "bkt-0123456789", "bkt-abcdefabcd"]
    assert {normalize(f"OK created bucket notes ({s})") for s in shapes} == {
        "OK created bucket notes (<id>)"
    }
    assert normalize("commit 3f2a19c") == "commit <hash>"
