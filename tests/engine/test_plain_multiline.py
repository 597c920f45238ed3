"""The piped line mode enters commands of several lines as a terminal does: a here-document,
a ``\\`` continuation, a quote left open; input that ends in the middle of one is cancelled."""

from __future__ import annotations

from pathlib import Path

from engine_support import cli, stop_router

TINY = Path(__file__).parent / "fixtures" / "tiny"


def test_heredocs_and_continuations_run_whole(tmp_path: Path) -> None:
    home = tmp_path / "home"
    stdin = (
        "cat <<EOF\n"
        "hello from a here-document\n"
        "EOF\n"
        "echo one \\\n"
        "two\n"
        "echo 'open\n"
        "quote'\n"
        "echo hello\n"
    )
    try:
        result = cli("run", str(TINY), "--lesson", "first", "--plain", home=home, stdin=stdin)
    finally:
        stop_router(home, "tiny")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "incomplete command" not in out + result.stderr
    assert "\nhello from a here-document\n" in out
    assert "\none two\n" in out
    assert "\nopen\nquote\n" in out
    assert "✔ Step passed." in out and "Lesson complete" in out


def test_input_ending_inside_a_here_document_is_cancelled(tmp_path: Path) -> None:
    home = tmp_path / "home"
    try:
        result = cli(
            "run", str(TINY), "--lesson", "first", "--plain", home=home,
            stdin="cat <<EOF\nnever ends\n", timeout=30,
        )  # fmt: skip
    finally:
        stop_router(home, "tiny")
    assert result.returncode == 1, result.stderr  # the lesson is not complete
    assert "Traceback" not in result.stderr
