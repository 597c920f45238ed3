"""``workshop lint`` and ``workshop show`` on broken content, through the real CLI.

Each fixture under ``fixtures/broken/`` holds one kind of problem; lint must name every
instance as ``file:line: message`` with the exact line, exit 1, and never show a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from content_support import FIXTURES, SEED_WORKSHOP, CliRunner

BROKEN = FIXTURES / "broken"

# fixture → [(file, line, part of the message)], in the order lint prints them
EXPECTED: dict[str, list[tuple[str, int, str]]] = {
    "yaml_syntax": [("workshop.yaml", 4, "YAML syntax error")],
    "unknown_lesson": [("workshop.yaml", 5, "unknown lesson file 'missing.md'")],
    "duplicate_id": [("lesson.md", 9, "duplicate step id 'push'")],
    "unresolved_variable": [
        ("lesson.md", 5, "unresolved variable '{{WORKSHOP_TEST_UNDEFINED_PROSE}}'"),
        ("lesson.md", 9, "unresolved variable '{{WORKSHOP_TEST_UNDEFINED_CMD}}'"),
        ("workshop.yaml", 10, "unresolved variable '{{WORKSHOP_TEST_UNDEFINED_HINT}}'"),
    ],
    "check_missing": [("workshop.yaml", 8, "check file missing")],
    "check_not_executable": [("workshop.yaml", 7, "check file is not executable")],
    "nothing_to_run": [("lesson.md", 11, "step 'empty' has nothing to run and no check")],
    "bad_regex": [
        ("workshop.yaml", 8, "not a valid regular expression: '(unclosed'"),
        ("workshop.yaml", 11, "not a valid regular expression: '*oops'"),
        ("workshop.yaml", 14, "bad regular expression in when_output: '[z-a]'"),
    ],
    "unknown_check_key": [
        (
            "workshop.yaml",
            8,
            "unknown key 'colour' in an exit_code check (keys here: exit_code, timeout,",
        )
    ],
    "typos": [
        (
            "workshop.yaml",
            3,
            "unknown key 'varaibles' in workshop.yaml (did you mean 'variables'?)",
        ),
        ("workshop.yaml", 6, "unknown key 'tols' in mock (did you mean 'tools'?)"),
        (
            "workshop.yaml",
            7,
            "unknown key 'retires' in an exit_code check (did you mean 'retries'?)",
        ),
        ("workshop.yaml", 10, "unknown key 'titel' in a lesson (did you mean 'title'?)"),
        ("workshop.yaml", 11, "unknown key 'stpes' in a lesson (did you mean 'steps'?)"),
        ("workshop.yaml", 16, "unknown key 'spcaes' in a lesson's start (did you mean 'spaces'?)"),
        ("workshop.yaml", 19, "unknown key 'chekcs' in step 'one' (did you mean 'checks'?)"),
        ("workshop.yaml", 21, "unknown key 'hnits' in step 'one' (did you mean 'hints'?)"),
        ("workshop.yaml", 26, "'retries' must be 0 or more (a whole number), not 'two'"),
        ("workshop.yaml", 27, "verify_sh (did you mean 'exit_code'?)"),
        ("workshop.yaml", 31, "unknown key 'when_ouput' in a hint (did you mean 'when_output'?)"),
    ],
    "bad_value": [
        ("workshop.yaml", 8, "'timeout' must be a number of seconds"),
        ("workshop.yaml", 10, "'status' must be an HTTP status code"),
        ("workshop.yaml", 12, "'interval' must be a number of seconds"),
        ("workshop.yaml", 13, "'exit_code' must be a whole number"),
    ],
}

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<message>.+)$")


def test_every_broken_fixture_is_covered() -> None:
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_lint_names_each_problem_with_its_line(cli: CliRunner, name: str) -> None:
    folder = BROKEN / name
    result = cli("lint", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    got = []
    for text in result.stdout.splitlines():
        match = LINE.match(text)
        assert match, f"not file:line: message: {text!r}"
        got.append((match["file"], int(match["line"]), match["message"]))
    expected = EXPECTED[name]
    assert [(file, line) for file, line, _ in got] == [
        (str(folder / file), line) for file, line, _ in expected
    ]
    for (_, _, message), (_, _, part) in zip(got, expected, strict=True):
        assert part in message


def test_check_file_problems_name_the_file(cli: CliRunner) -> None:
    missing = cli("lint", str(BROKEN / "check_missing")).stdout
    assert str(BROKEN / "check_missing" / "scripts" / "not-there.sh") in missing
    not_executable = cli("lint", str(BROKEN / "check_not_executable")).stdout
    assert str(BROKEN / "check_not_executable" / "scripts" / "check.sh") in not_executable


@pytest.mark.parametrize("path", [FIXTURES / "yaml_settings", SEED_WORKSHOP])
def test_clean_workshop_exits_zero(cli: CliRunner, path: Path) -> None:
    result = cli("lint", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("ok: ")


def test_show_on_broken_content_is_a_message(cli: CliRunner) -> None:
    result = cli("show", str(BROKEN / "duplicate_id"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{BROKEN / 'duplicate_id' / 'lesson.md'}:9: duplicate step id" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["show", "/nonexistent"],
        ["lint", "/nonexistent"],
        ["show", "/dev/null"],
        ["show", str(FIXTURES)],  # a folder with neither workshop.yaml nor NN_Title.md pages
        ["show", str(SEED_WORKSHOP), "--lesson", "no-such-lesson"],
    ],
)
def test_bad_arguments_give_a_clear_message(cli: CliRunner, args: list[str]) -> None:
    result = cli(*args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = (result.stdout + result.stderr).strip()
    assert message
    assert args[1] in message


def test_binary_lesson_file_is_a_message(cli: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "binary.md"
    page.write_bytes(b"\xff\xfe\x00# not utf-8")
    result = cli("lint", str(page))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{page}:1: cannot read: not valid UTF-8 at column 1")


def test_an_empty_workshop_yaml_is_told_at_its_first_line(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "workshop.yaml").write_text("")
    result = cli("lint", str(tmp_path))
    assert result.returncode == 1
    manifest = tmp_path / "workshop.yaml"
    assert f"{manifest}:1: workshop.yaml needs a 'title'" in result.stdout  # not at line 0


def test_files_that_would_not_ship_or_run_are_problems(cli: CliRunner, tmp_path: Path) -> None:
    """A lesson file outside the workshop's folder and a check script without ``#!``
    (``Exec format error`` in ``workshop test``) passed lint. (Check scripts may live in a
    ``checks/`` folder beside the workshop's: that layout ships them.)"""
    (tmp_path / "elsewhere.md").write_text("# Elsewhere\n\n```sh\n$ echo hi\n```\n")
    course = tmp_path / "course"
    (course / "checks").mkdir(parents=True)
    plain = course / "checks" / "plain.sh"
    plain.write_text("test -e made\n")
    plain.chmod(0o755)
    (course / "one.md").write_text("# One\n\n```sh {id=make}\n$ touch made\n```\n")
    (course / "workshop.yaml").write_text(
        "title: T\nlessons:\n  - id: one\n    file: one.md\n    steps:\n      make:\n"
        "        checks:\n          - script: checks/plain.sh\n"
        "  - id: two\n    file: ../elsewhere.md\n"
    )
    result = cli("lint", str(course))
    assert result.returncode == 1
    said = result.stdout
    assert "lesson file '../elsewhere.md' is outside the workshop's folder" in said
    assert (
        f"check file has no '#!' first line (say which program runs it, such as #!/bin/bash): {plain}"
        in said
    )


@pytest.mark.parametrize("threshold", ["1.5", "-0.1", "high"])
def test_similarity_threshold_outside_0_to_1_is_a_problem(threshold: str) -> None:
    """A threshold above 1 could never be met; the message speaks of a fraction, not seconds."""
    from workshop.content import validation
    from workshop.content.yamlio import parse_yaml

    text = (
        "title: T\nlessons:\n  - file: l.md\n    steps:\n      one:\n        checks:\n"
        f"          - output_similar: true\n            threshold: {threshold}\n"
    )
    result = validation.convert(parse_yaml(text, Path("w.yaml")), Path("w.yaml"))
    [problem] = result.problems
    assert problem.message.startswith("'threshold' must be a number from 0 to 1, not ")
    assert problem.line == 8
