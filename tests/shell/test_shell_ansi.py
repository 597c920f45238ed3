"""strip_ansi: terminal output to the plain text a reader sees."""

from __future__ import annotations

from workshop.shell import strip_ansi


def test_colours_and_cursor_moves_are_removed() -> None:
    assert strip_ansi("\x1b[1;31mred\x1b[0m \x1b[2K\x1b[10Gok") == "red ok"


def test_osc_title_hyperlink_and_marks_are_removed() -> None:
    text = "\x1b]0;title\x07a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b\x1b]133;D;0\x07"
    assert strip_ansi(text) == "alinkb"


def test_crlf_becomes_lf_and_lone_cr_overwrites() -> None:
    assert strip_ansi("one\r\ntwo\r\n") == "one\ntwo\n"
    assert strip_ansi("10%\r50%\r100%\n") == "100%\n"
    assert strip_ansi("abc\rX\n") == "Xbc\n"


def test_backspace_and_invisible_controls() -> None:
    assert strip_ansi("helo\bo\x07\x00!") == "helo!"[:3] + "o!"
    assert strip_ansi("a\tb") == "a\tb"


def test_short_escapes_and_lone_esc() -> None:
    assert strip_ansi("\x1b(Bx\x1b=y\x1b7z\x1b") == "xyz"


def test_plain_text_is_unchanged() -> None:
    text = "héllo wörld 😀\nline two\n"
    assert strip_ansi(text) == text
