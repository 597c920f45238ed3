"""What the line mode prints of a lesson's Markdown and of the learner's terminal into a file:
no Markdown marks, words never split, links with their address; no ``\\r`` progress lines
and no trailing spaces in a pipe."""

from __future__ import annotations

from workshop.engine.pipe_text import PipeText
from workshop.engine.terminal_markdown import render, render_inline

# the dev/prod parity lesson's closing words, as the page has them
PING = """Try to access your production_test deployment http://workshop-12f-stock-production_test.cfapps.io/stock/ping and make sure that it is work properly.

> Why `Ping null`? The value of `environment.variable` was set with `cf set-env` on
> the app in *development* only. Config lives in the environment of each deploy, not in
> the code, so the same build answers `Ping null` in production_test until that space
> gets its own setting.
"""


def test_no_markdown_marks_are_left() -> None:
    text = render(PING, 80)
    for mark in (">", "`", "*"):
        assert mark not in text, text
    assert "  Why Ping null? The value of environment.variable was set with cf set-env" in text
    assert "the app in development only." in text


def test_prose_is_wrapped_at_word_boundaries_to_the_width() -> None:
    words = PING.replace("\n", " ").replace(">", " ").replace("`", "").replace("*", "").split()
    for width in (40, 60, 80):
        text = render(PING, width)
        lines = text.splitlines()
        url = "http://workshop-12f-stock-production_test.cfapps.io/stock/ping"
        assert all(len(line) <= width or url in line for line in lines), (width, text)
        assert text.split() == words, "every word whole, none split over two lines"
        assert all(line == line.rstrip() for line in lines)


def test_headings_lists_code_and_links() -> None:
    page = (
        "## Set up\n\n"
        "Read [the factor](https://12factor.net/dev-prod-parity) and <https://example.org>.\n\n"
        "* **one** thing\n* two\n  1. inner\n\n"
        "```sh\n$ cf target   \n```\n\n"
        "![diagram](img/a.png)\n"
    )
    text = render(page, 80)
    assert text.splitlines()[0] == "Set up"
    assert "the factor (https://12factor.net/dev-prod-parity)" in text
    assert "and https://example.org." in text  # an address shown once
    assert "• one thing\n• two\n  1. inner" in text
    assert "\n    $ cf target\n" in text  # code indented, its trailing spaces gone
    assert "[image: diagram]" in text
    assert "#" not in text and "**" not in text


def test_an_admonition_reads_as_its_label_and_text() -> None:
    text = render("> **Tip**  \n> Use `cf target` first.\n", 80)
    assert text == "  Tip\n  Use cf target first."


def test_inline_text_loses_its_marks_and_nothing_else() -> None:
    assert render_inline("`cf create-space` takes the **name**.") == (
        "cf create-space takes the name."
    )
    assert render_inline("1. Run `cf target`\n2. Read [the docs](https://x.io)") == (
        "1. Run cf target\n2. Read the docs (https://x.io)"
    )
    assert render_inline("# not a heading") == "# not a heading"


def test_a_progress_line_keeps_what_was_written_last() -> None:
    pipe = PipeText()
    out = pipe.feed("Uploading 490.1K, 88 files\r\n")
    out += pipe.feed("\r" + " " * 29 + "\r")
    out += pipe.feed("Done uploading\r\nOK   \r\n")
    assert out == "Uploading 490.1K, 88 files\nDone uploading\nOK\n"


def test_a_line_is_held_until_it_ends_or_the_terminal_is_quiet() -> None:
    pipe = PipeText()
    assert pipe.feed("work # ") == ""
    assert pipe.idle(quiet=0.0) == "work #"  # a prompt is seen while the learner types
    assert pipe.feed("cf target\r\n") == " cf target\n"
    assert pipe.feed("\r") == ""  # a CRLF split over two reads is one line end
    assert pipe.feed("\nnext\r\n") == "\nnext\n"
