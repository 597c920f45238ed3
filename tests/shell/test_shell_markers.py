"""The marker parser and the rc file, without bash."""

from __future__ import annotations

from pathlib import Path

from workshop.shell.markers import (
    Marker,
    MarkerParser,
    make_nonce,
    parse_finished,
    parse_history_line,
)
from workshop.shell.rcfile import render_rc

NONCE = "0123456789abcdef"
STREAM = (
    "$ echo hi\r\n"
    f"\x1b]133;C;{NONCE};    7  echo hi\x07"
    "hi é\r\n"
    f"\x1b]133;D;{NONCE};0\x1f/tmp/a;b\x1f    7  echo hi\r\n\x07"
    f"$ \x1b]133;B;{NONCE}\x07"
)
EXPECTED: list[str | Marker] = [
    "$ echo hi\r\n",
    Marker("C", "    7  echo hi"),
    "hi é\r\n",
    Marker("D", "0\x1f/tmp/a;b\x1f    7  echo hi\r\n"),
    "$ ",
    Marker("B", ""),
]


def _merge(items: list[str | Marker]) -> list[str | Marker]:
    merged: list[str | Marker] = []
    for item in items:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        elif item != "":
            merged.append(item)
    return merged


def test_whole_stream() -> None:
    assert MarkerParser(NONCE).feed(STREAM) == EXPECTED


def test_every_split_point_gives_the_same_items() -> None:
    for cut in range(len(STREAM) + 1):
        parser = MarkerParser(NONCE)
        items = parser.feed(STREAM[:cut]) + parser.feed(STREAM[cut:]) + parser.flush(force=True)
        assert _merge(items) == EXPECTED, cut


def test_one_character_at_a_time() -> None:
    parser = MarkerParser(NONCE)
    items: list[str | Marker] = []
    for ch in STREAM:
        items += parser.feed(ch)
    assert _merge(items) == EXPECTED


def test_forged_markers_are_output() -> None:
    forged = (
        "\x1b]133;D;0\x1f/\x1fecho x\x07"  # no nonce
        "\x1b]133;D;fedcba9876543210;0\x07"  # another nonce
        f"\x1b]133;D;{NONCE}0;0\x07"  # our nonce with more after it
    )
    items = MarkerParser(NONCE).feed(forged + "done")
    assert items == [forged + "done"]


def test_held_escape_is_released_when_quiet() -> None:
    parser = MarkerParser(NONCE)
    assert parser.feed("abc\x1b]13") == ["abc"]
    assert parser.flush() == ["\x1b]13"]
    assert parser.feed("3;x") == ["3;x"]


def test_our_head_waits_for_its_end() -> None:
    parser = MarkerParser(NONCE)
    assert parser.feed(f"\x1b]133;D;{NONCE};1\x1f/x") == []
    assert parser.flush() == []
    assert parser.feed("\x1f\x07$ ") == [Marker("D", "1\x1f/x\x1f"), "$ "]


def test_history_lines() -> None:
    assert parse_history_line("    7  echo hi\r\n") == (7, "echo hi")
    assert parse_history_line("   12*  echo edited") == (12, " echo edited".strip())
    assert parse_history_line("    3  cat <<EOF\r\nx\r\nEOF\r\n\r\n") == (3, "cat <<EOF\nx\nEOF")
    assert parse_history_line("") == (None, "")


def test_finished_payload() -> None:
    fin = parse_finished("130\x1f/home/me\x1f   42  sleep 100\r\n")
    assert (fin.status, fin.cwd, fin.history_number, fin.command) == (
        130,
        "/home/me",
        42,
        "sleep 100",
    )


def test_nonces_differ_and_rc_carries_them(tmp_path: Path) -> None:
    first, second = make_nonce(), make_nonce()
    assert first != second and first.isalnum()
    rc = render_rc(first, tmp_path / "history file", ["export A=1", "cd /tmp"])
    assert rc.count(first) >= 4 and second not in rc
    assert "HISTFILE='" in rc and "export A=1\ncd /tmp" in rc
    assert "enable-bracketed-paste off" in rc
