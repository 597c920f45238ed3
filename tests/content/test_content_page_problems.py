"""Slips in a page that lint must point at, and a page that cannot be read: an unclosed
fence, a BOM, a missing image, bytes that are not UTF-8, a page far too large; and the
template scan of commands once the per-command page scan is gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_support import FIXTURES, CliRunner

from workshop.content import ContentError, load_workshop, pagetext

AUTHORING = FIXTURES / "authoring"


def lint_lines(cli: CliRunner, path: Path) -> list[str]:
    """``workshop lint PATH`` output lines (it must fail, with no traceback)."""
    result = cli("lint", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.splitlines()


def test_unclosed_fence_is_a_problem_and_does_not_swallow_the_page(cli: CliRunner) -> None:
    page = AUTHORING / "unclosed.md"
    workshop = load_workshop(page, strict=False)
    (lesson,) = workshop.lessons
    assert [s.commands for s in lesson.steps] == [["echo first"], ["echo second"], ["echo third"]]
    # the heading after the unclosed block is read as a heading again, not as text
    assert lesson.steps[1].text.startswith("## Second part\n")
    assert lint_lines(cli, page) == [
        f"{page}:5: unclosed code block: it is not closed before line 12, which opens another"
        " block (read as ending at line 6)",
        f"{page}:18: unclosed code block: no ``` line closes it (it runs to the end of the page)",
    ]


def test_unclosed_fence_at_the_end_of_the_page_runs_there(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# T\n\n```sh\n$ echo a\n\nThen prose.\n")
    workshop = load_workshop(page, strict=False)
    (step,) = workshop.lessons[0].steps
    assert step.commands == ["echo a"]
    assert step.text == "Then prose."
    assert [(p.line, p.message) for p in workshop.problems] == [
        (3, "unclosed code block: no ``` line closes it (read as ending at line 4)")
    ]


def test_unclosed_fence_in_a_list_item_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# T\n\n1. Run:\n\n   ```sh\n   $ echo a\n\nAfter the list.\n")
    workshop = load_workshop(page, strict=False)
    assert [s.commands for s in workshop.lessons[0].steps] == [["echo a"]]
    assert [(p.line, p.message) for p in workshop.problems] == [
        (
            5,
            "unclosed code block: no ``` line closes it (it ends with the list item or quote it is in)",
        )
    ]


def test_a_longer_fence_may_hold_a_shorter_one(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# T\n\n````text\n```sh\nshown as it is\n```\n````\n\n```sh\n$ true\n```\n")
    workshop = load_workshop(page)
    assert workshop.problems == []
    assert [s.commands for s in workshop.lessons[0].steps] == [["true"]]


def test_a_bom_does_not_hide_the_first_heading() -> None:
    page = AUTHORING / "bom.md"
    assert page.read_bytes().startswith(b"\xef\xbb\xbf")
    workshop = load_workshop(page)
    (lesson,) = workshop.lessons
    assert (lesson.id, lesson.title) == ("starts-with-a-bom", "Starts with a BOM")
    assert lesson.steps[0].text == ""
    assert workshop.problems == []


def test_missing_images_are_problems_at_their_line(cli: CliRunner) -> None:
    page = AUTHORING / "images.md"
    assert (AUTHORING / "img" / "present.png").is_file()
    lines = lint_lines(cli, page)
    assert f"{page}:6: image not found: img/missing.png" in lines
    assert f"{page}:8: image not found: img/absent.svg" in lines
    # a web image, a present one and a templated path are not reported
    assert not [line for line in lines if "present.png" in line or "example.test" in line]
    assert not [line for line in lines if "image not found: {{" in line]


def test_images_are_looked_up_beside_the_page(tmp_path: Path) -> None:
    (tmp_path / "pages" / "img").mkdir(parents=True)
    (tmp_path / "pages" / "img" / "a b.png").write_bytes(b"png")
    page = tmp_path / "pages" / "page.md"
    page.write_text("# T\n\n![x](img/a%20b.png) ![y](<img/a b.png>) ![z](img/a%20b.png#frag)\n")
    assert load_workshop(page).problems == []


def test_bad_utf8_is_reported_at_its_line_and_column(cli: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes("# Title\n\nCafé is fine, but\n".encode() + b"this \xff is not\n")
    with pytest.raises(ContentError) as raised:
        load_workshop(page)
    assert (raised.value.file, raised.value.line) == (page, 4)
    assert "column 6" in raised.value.message and "0xff" in raised.value.message
    assert "position" not in raised.value.message
    assert lint_lines(cli, page) == [
        f"{page}:4: cannot read: not valid UTF-8 at column 6 (byte 0xff); save the file as UTF-8"
    ]


def test_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes("# é\nàéî".encode() + b"\xc3(\n")
    with pytest.raises(ContentError) as raised:
        load_workshop(page)
    assert raised.value.line == 2
    assert "column 4 " in raised.value.message


def test_a_page_over_the_size_limit_is_refused_with_its_size(
    cli: CliRunner, tmp_path: Path
) -> None:
    page = tmp_path / "huge.md"
    line = "Some prose that goes on and on, line after line, for ever.\n"
    page.write_text("# Huge\n\n" + line * (6 * 1024 * 1024 // len(line)))
    assert lint_lines(cli, page) == [f"{page}: too large (6.0 MB; the limit is 5 MB)"]
    assert pagetext.PAGE_SIZE_LIMIT == 5 * 1024 * 1024


def test_a_page_under_the_limit_loads(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# T\n\n```sh\n$ true\n```\n")
    assert pagetext.read_page(page, limit=page.stat().st_size).startswith("# T")
    with pytest.raises(ContentError, match="too large"):
        pagetext.read_page(page, limit=page.stat().st_size - 1)


# ------------------------------------------------- templates in commands, scanned once


def test_unresolved_variable_in_a_continued_command_is_reported_once(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# T\n\n```sh\n$ cf push \\\n    -n app-{{WORKSHOP_TEST_NOPE}}\n```\n")
    workshop = load_workshop(page, strict=False)
    # a page alone has no workshop.yaml: as in the classic layout, an unset variable is shown
    # empty and is a warning
    assert [(p.line, p.message, p.warning) for p in workshop.problems] == [
        (
            5,
            "unresolved variable '{{WORKSHOP_TEST_NOPE}}' (shown empty unless the learner's "
            "shell sets it)",
            True,
        )
    ]


def test_unresolved_variable_in_a_command_set_by_workshop_yaml_is_reported(
    tmp_path: Path,
) -> None:
    (tmp_path / "one.md").write_text("# One\n\n```sh\n$ cf apps\n```\n")
    (tmp_path / "workshop.yaml").write_text(
        "title: W\nlessons:\n  - file: one.md\n    steps:\n      cf-apps:\n"
        "        commands: ['cf app {{WORKSHOP_TEST_NOPE}}']\n"
    )
    workshop = load_workshop(tmp_path, strict=False)
    assert [(p.file, p.line, p.message) for p in workshop.problems] == [
        (tmp_path / "one.md", 3, "unresolved variable '{{WORKSHOP_TEST_NOPE}}'")
    ]


def test_a_workshop_yaml_that_is_not_utf8_is_reported_at_its_line(
    cli: CliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "latin1"
    root.mkdir()
    (root / "workshop.yaml").write_bytes(
        "title: Caf\u00e9\nlessons:\n  - file: one.md\n".encode("latin-1")
    )
    (root / "one.md").write_text("# One\n\n```sh\n$ true\n```\n")
    assert lint_lines(cli, root) == [
        f"{root / 'workshop.yaml'}:1: cannot read: not valid UTF-8 at column 11 (byte 0xe9);"
        " save the file as UTF-8"
    ]
