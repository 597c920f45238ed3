"""Steps from the Markdown habits lesson authors have: one fixture page per habit."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_support import FIXTURES

from workshop.content import ContentError, Step, load_workshop
from workshop.content.markdown import parse_info, parse_page

HABITS = FIXTURES / "habits"


def steps_of(name: str) -> list[Step]:
    """The steps of the single-page fixture ``habits/NAME.md``."""
    workshop = load_workshop(HABITS / name, strict=False)
    assert len(workshop.lessons) == 1
    return workshop.lessons[0].steps


def test_each_shell_fence_language_is_a_step() -> None:
    steps = steps_of("fences.md")
    assert [s.commands for s in steps] == [
        ["echo from-sh"],
        ["echo from-bash"],
        ["echo from-console"],
        ["echo from-shell"],
    ]
    assert [s.kind for s in steps] == ["command"] * 4
    # the console fence's other lines are what the command prints
    assert steps[2].expected_output == "from-console"
    assert [s.expected_output for s in (steps[0], steps[1], steps[3])] == [None, None, None]
    # the step's source is the line of its fence
    assert [s.source.line if s.source else None for s in steps] == [5, 11, 17, 24]


def test_commands_without_a_prompt() -> None:
    steps = steps_of("no_dollar.md")
    # comments and blank lines are skipped; a console fence without `$` lines is no step
    assert [s.commands for s in steps] == [["mkdir -p demo", "cd demo"]]
    assert steps[0].id == "mkdir-p-demo"


def test_backslash_continuations_join_lines() -> None:
    steps = steps_of("continuation.md")
    assert [s.commands for s in steps] == [
        ["cf push stock -m 512M -n stock-dev", "cf apps"],
        ["docker run --rm alpine echo hi"],
    ]


def test_expected_output_paragraphs_and_marker() -> None:
    steps = steps_of("expected.md")
    assert [(s.commands, s.expected_output) for s in steps] == [
        (["cf target"], "Space: development"),  # "You should see similar output"
        (["cf spaces"], "development\nproduction"),  # "Expected output:"
        (["cf apps"], "No apps found"),  # <!-- expected -->
        (["echo plain"], None),  # a block after other prose is not expected output
    ]
    assert "illustration" in steps[3].text


def test_several_steps_under_one_heading() -> None:
    steps = steps_of("several.md")
    assert [s.id for s in steps] == [
        "cf-create-space-development",
        "cf-create-space-production",
        "cf-spaces",
        "cf-spaces-2",  # a derived id that repeats gets a number
    ]
    # a heading is where a step's text starts, not its name (it is often a chapter's
    # subtitle, and names one step of several): the first command names it
    assert steps[0].title == "cf create-space development"
    assert steps[0].text.endswith("First the development space:")
    assert steps[1].text == "then the production space:"
    assert steps[2].text == "and list them."
    assert steps[3].text == "Once more, to see the change:"


def test_explicit_ids_in_the_info_string() -> None:
    steps = steps_of("explicit_ids.md")
    assert [(s.id, s.id_explicit) for s in steps] == [
        ("create-space", True),
        ("target-dev", True),
        ("push-app", True),
        ("cf-create-space-dev", False),
    ]
    assert steps[2].title == "Push the app"
    assert parse_info("sh {id=create-space}") == ("sh", {"id": "create-space"})
    assert parse_info('bash{#x title="A b"}') == ("bash", {"id": "x", "title": "A b"})


def test_bad_explicit_id_is_a_problem(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# P\n\n```sh {id=Not_Valid!}\n$ true\n```\n")
    workshop = load_workshop(page, strict=False)
    assert [(p.file, p.line) for p in workshop.problems] == [(page, 3)]
    with pytest.raises(ContentError):
        load_workshop(page)


def test_templates_are_normalised() -> None:
    steps = steps_of("templates.md")
    assert steps[0].kind == "url"
    assert steps[0].url == "http://app.{{CF_DOMAIN}}/health"
    assert steps[0].commands == ["curl http://app.{{CF_DOMAIN}}/health"]
    assert "{{CF_DOMAIN}}" in steps[0].text and "echo" not in steps[0].text
    assert steps[1].commands == [
        "curl -s http://app.{{CF_DOMAIN}}/ping",
        "echo {{USER_NAME}} {{ORG}}",
    ]


def test_a_page_without_commands_is_one_read_step() -> None:
    steps = steps_of("no_commands.md")
    assert len(steps) == 1
    (step,) = steps
    assert (step.id, step.kind, step.commands, step.title) == ("read", "read", [], "Just reading")
    assert "Some theory" in step.text and "a list" in step.text


def test_a_single_markdown_file_is_a_workshop() -> None:
    workshop = load_workshop(HABITS / "several.md")
    assert workshop.id == "several"
    assert workshop.title == "Several steps"
    assert workshop.root == HABITS
    assert [lesson.id for lesson in workshop.lessons] == ["several-steps"]
    assert workshop.problems == []


def test_parse_page_reports_fence_lines() -> None:
    text = "# T\n\nProse.\n\n```sh\n$ a\n```\n\n```sh\n$ b\n```\n"
    page = parse_page(text, Path("x.md"))
    assert page.title == "T"
    assert [(s.commands, s.source.line if s.source else None, s.text_line) for s in page.steps] == [
        (["a"], 5, 2),
        (["b"], 9, 8),
    ]


def test_steps_inside_list_items() -> None:
    steps = steps_of("lists.md")
    assert [(s.kind, s.commands) for s in steps] == [
        ("command", ["cf login -a https://api.example.test"]),
        ("command", ["cf target"]),
        ("url", ["curl http://app.example.test/ping"]),
    ]
    assert steps[1].expected_output == "Space: development"
    assert [s.source.line if s.source else None for s in steps] == [5, 11, 21]


def test_open_source_beside_a_link_is_not_a_request_to_open_it() -> None:
    """'open-source' is not 'open': a page that only links a site has no URL step."""
    text = (
        '# What\n\n<a href="https://www.example.org/" target="_blank">Example</a> is an'
        " open-source project.\n"
    )
    assert [s.kind for s in parse_page(text, Path("what.md")).steps] == ["read"]
    asked = "# What\n\nOpen https://www.example.org/ in your browser.\n"
    assert [s.kind for s in parse_page(asked, Path("what.md")).steps] == ["url"]
