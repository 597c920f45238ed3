"""The typed model of workshop.yaml in the loader: wrong types and unknown keys at their lines,
bad shapes as lint problems, and the keys the lifecycle will use read into the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_support import REPO, CliRunner

from workshop.content import ContentError, load_workshop
from workshop.content.model import Action

LESSON = "# The lesson\n\nRun it.\n\n```sh {id=one}\n$ echo one\n```\n"


def workshop_at(root: Path, manifest: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "lesson.md").write_text(LESSON)
    (root / "workshop.yaml").write_text(manifest)
    return root


def problems_of(root: Path) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in load_workshop(root, strict=False).problems]


WRONG_TYPES = """\
title: [not, text]
variables:
  PORT: 8080
  EMPTY:
mock:
  tools: [cf, "not a program"]
lessons:
  - 5
  - file: lesson.md
    id: {a: b}
  - file: lesson.md
    id: third
    setup: 7
    steps:
      one:
        title: Fine
        test_commands: echo one
        checks:
          - http: ftp://example.com/
          - exit_code: 0
            timeout: soon
        hints:
          - 3
          - when_output: x
"""


def test_wrong_types_are_reported_at_their_lines(tmp_path: Path) -> None:
    got = problems_of(workshop_at(tmp_path / "w", WRONG_TYPES))
    assert got == [
        (1, "'title' must be text, not a list"),
        (4, "'EMPTY' must be text, a number or true/false, not null"),
        (
            6,
            "an item of 'tools' must be a program name (letters, digits, . _ + -), not 'not a program'",
        ),
        (8, "an item of 'lessons' must be text or a mapping, not 5"),
        (10, "'id' must be text, not a mapping"),
        (13, "'setup' must be text (commands) or a mapping {script:, args:}, not 7"),
        (17, "'test_commands' must be a list of text, not 'echo one'"),
        (19, "'http' must be a URL starting with http:// or https://, not 'ftp://example.com/'"),
        (21, "'timeout' must be a number of seconds from 0 to 86400, not 'soon'"),
        (23, "an item of 'hints' must be text or a mapping, not 3"),
        (24, "a hint needs 'text'"),
    ]


LIFECYCLE = """\
title: Lifecycle
answers:
  "Password>": secret
mock:
  tools: [cf, git]
x-greeting: &greeting {output_matches: "one"}
lessons:
  - file: lesson.md
    setup: git init -q
    solve: {script: solve.sh, args: [fast, 2]}
    cleanup: rm -rf .git
    answers:
      "Email>": ada@example.com
      "(unclosed": x
    steps:
      one:
        setup: {script: prepare.sh}
        solve: echo one
        cleanup: "true"
        checks:
          - *greeting
          - exit_code: 0
"""


def test_lifecycle_keys_and_mock_tools_are_read_into_the_model(tmp_path: Path) -> None:
    workshop = load_workshop(workshop_at(tmp_path / "w", LIFECYCLE), strict=False)
    manifest = tmp_path / "w" / "workshop.yaml"
    assert [(p.line, p.message) for p in workshop.problems] == [
        (14, "bad regular expression in answers: '(unclosed'")
    ]
    assert workshop.mock["tools"] == ["cf", "git"]
    assert workshop.answers == {"Password>": "secret"}
    [lesson] = workshop.lessons
    assert lesson.setup == Action(commands="git init -q", source=lesson.setup.source)
    assert lesson.solve is not None and (lesson.solve.script, lesson.solve.args) == (
        "solve.sh",
        ["fast", "2"],
    )
    assert lesson.cleanup is not None and lesson.cleanup.commands == "rm -rf .git"
    assert lesson.setup.source is not None and str(lesson.setup.source) == f"{manifest}:9"
    assert lesson.answers == {"Email>": "ada@example.com"}
    step = lesson.step("one")
    assert step.setup is not None and step.setup.script == "prepare.sh"
    assert step.solve is not None and step.solve.commands == "echo one"
    assert step.cleanup is not None and step.cleanup.commands == "true"
    assert [c.kind for c in step.checks] == ["output_matches", "exit_code"]


def test_a_typo_warns_and_the_rest_still_loads(tmp_path: Path) -> None:
    """`workshop run` loads with strict=False: the typo is a problem, the lesson still runs."""
    root = workshop_at(
        tmp_path / "w",
        "title: T\nlessons:\n  - file: lesson.md\n    steps:\n      one:\n"
        "        chekcs: [{exit_code: 0}]\n        hints: [Look again.]\n",
    )
    workshop = load_workshop(root, strict=False)
    assert [(p.line, p.message) for p in workshop.problems] == [
        (6, "unknown key 'chekcs' in step 'one' (did you mean 'checks'?)")
    ]
    assert [h.text for h in workshop.lessons[0].step("one").hints] == ["Look again."]
    with pytest.raises(ContentError, match="chekcs"):
        load_workshop(root)


def test_an_unknown_key_far_from_any_known_one_lists_the_keys_there(tmp_path: Path) -> None:
    root = workshop_at(tmp_path / "w", "title: T\ncolour: red\nlessons: [lesson.md]\n")
    [(line, message)] = problems_of(root)
    assert line == 2
    assert message.startswith("unknown key 'colour' in workshop.yaml (keys here: title, ")


@pytest.mark.parametrize(
    "text",
    [
        "title: T\nlessons: 5\n",
        "title: T\nlessons: [{file: lesson.md, steps: [1, 2]}]\n",
        "title: T\nlessons: [{file: lesson.md, steps: {one: 5}}]\n",
        "title: T\nlessons: [{file: lesson.md, steps: {one: {checks: {exit_code: 0}}}}]\n",
        "title: T\nlessons: [{file: lesson.md, start: {spaces: {dev: {apps: [{memory: 1}]}}}}]\n",
        "title: T\nvariables: [A, B]\nmock: 3\nlessons: [lesson.md]\n",
        "title: T\nlessons: [{file: lesson.md, steps: {one: {checks: [{kind: exit_code, exit_code: 0}]}}}]\n",
    ],
)
def test_bad_shapes_are_lint_problems_not_tracebacks(
    cli: CliRunner, tmp_path: Path, text: str
) -> None:
    root = workshop_at(tmp_path / "w", text)
    result = cli("lint", str(root))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(f"{root / 'workshop.yaml'}:") for line in lines), lines


def test_the_mock_cf_does_not_import_the_model(cli: CliRunner) -> None:
    """The fake cf runs on every mock command: it must not pay for msgspec."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "workshop.mock.cf", "--version"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    modules = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "workshop.mock.cf" in modules
    assert not {
        m for m in modules if m.split(".")[0] == "msgspec" or m.startswith("workshop.content")
    }
