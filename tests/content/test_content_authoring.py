"""Markdown written the way authors write it: front matter, output under `$ ` commands,
prose after a block, admonitions. One fixture page per habit in ``fixtures/authoring/``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from content_support import FIXTURES, CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from workshop.content import Lesson, load_workshop
from workshop.content.markdown import page_lines, parse_page, split_block

AUTHORING = FIXTURES / "authoring"


def lesson_of(name: str) -> Lesson:
    """The one lesson of the single-page fixture ``authoring/NAME``."""
    workshop = load_workshop(AUTHORING / name, strict=False)
    (lesson,) = workshop.lessons
    return lesson


# ---------------------------------------------------------------- front matter


def test_front_matter_gives_title_id_and_duration_and_is_never_shown() -> None:
    lesson = lesson_of("front_matter.md")
    assert (lesson.id, lesson.title) == ("setting-up", "Setting up")
    assert lesson.settings["duration"] == "10 minutes"
    assert lesson.settings["front_matter"]["level"] == "beginner"
    (step,) = lesson.steps
    assert step.commands == ["git --version"]
    assert step.text == "Check that git is there."
    assert step.source is not None and step.source.line == 12  # lines keep their numbers


def test_front_matter_without_title_leaves_the_heading_as_title(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\nduration: 5 minutes\n---\n# Real title\n\n```sh\n$ true\n```\n")
    (lesson,) = load_workshop(page).lessons
    assert (lesson.id, lesson.title) == ("real-title", "Real title")
    assert lesson.settings["duration"] == "5 minutes"
    assert "duration" not in lesson.steps[0].text


def test_front_matter_title_without_a_heading_names_the_lesson(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: Only in front\n---\n\nProse.\n\n```sh\n$ true\n```\n")
    (lesson,) = load_workshop(page).lessons
    assert (lesson.id, lesson.title) == ("only-in-front", "Only in front")
    assert lesson.steps[0].text == "Prose."


def test_workshop_yaml_title_and_id_win_over_front_matter(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("---\ntitle: Front\nid: front\n---\n```sh\n$ true\n```\n")
    (tmp_path / "workshop.yaml").write_text(
        "title: W\nlessons:\n  - {file: one.md, id: from-yaml, title: From YAML}\n"
    )
    (lesson,) = load_workshop(tmp_path).lessons
    assert (lesson.id, lesson.title) == ("from-yaml", "From YAML")


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("title: [a\n", 3, "front matter: YAML syntax error"),
        ("- a list\n", 1, "front matter must be a mapping"),
        ("duration: 5\nid: Not An Id\n", 3, "lesson id 'Not An Id' must be lower case"),
        ("duration: [1, 2]\n", 2, "front matter 'duration' must be text"),
    ],
)
def test_bad_front_matter_is_a_problem_at_its_line(
    tmp_path: Path, front: str, line: int, message: str
) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"---\n{front}---\n# T\n\n```sh\n$ true\n```\n")
    workshop = load_workshop(page, strict=False)
    assert [(p.file, p.line) for p in workshop.problems] == [(page, line)]
    assert message in workshop.problems[0].message
    assert workshop.lessons[0].title == "T"


def test_a_rule_on_the_first_line_without_a_closing_one_is_markdown(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\n# Title\n\nProse.\n\n```sh\n$ true\n```\n")
    workshop = load_workshop(page)
    assert workshop.lessons[0].title == "Title"
    assert workshop.problems == []


# ---------------------------------------------------------------- output lines


def test_lines_without_a_prompt_under_prompted_commands_are_output() -> None:
    first, second, third = lesson_of("output_lines.md").steps
    assert (first.commands, first.expected_output) == (["echo one"], "one")
    # no `$ ` at all: every line of a sh block is a command, as before
    assert (second.commands, second.expected_output) == (["mkdir -p demo", "cd demo"], None)
    # a continuation and a here-document body still belong to their command
    assert third.commands == ["printf '%s\\n' two", "cat <<END\nthree\nEND"]
    assert third.expected_output == "two\nthree"


def test_a_quote_left_open_continues_the_command_on_the_next_lines() -> None:
    """As bash reads it: the JSON between the quotes is the command's, not its output; a
    `$ ` line starts the next command, and a quote in a comment opens nothing."""
    block = (
        "$ SERVICES='[{\n"
        '  "name": "db",\n'
        '  "plans": [{"name": "basic"}]\n'
        "}]'\n"
        "\n"
        '$ echo "$SERVICES" # the services\' list\n'
        '$ echo "one\n'
        'two"\n'
        "one\n"
    )
    commands, output = split_block(block, "")
    assert commands == [
        'SERVICES=\'[{\n  "name": "db",\n  "plans": [{"name": "basic"}]\n}]\'',
        'echo "$SERVICES" # the services\' list',
        'echo "one\ntwo"',
    ]
    assert output == "one"
    assert split_block("echo 'a\n\nb'\necho c\n", "sh") == (["echo 'a\n\nb'", "echo c"], None)


@pytest.mark.parametrize("lang", ["bash", "sh", "shell", "zsh", "console", ""])
def test_prompted_block_in_every_shell_language(lang: str) -> None:
    assert split_block("$ echo one\none\n", lang) == (["echo one"], "one")


def test_a_step_with_output_lines_needs_only_its_command(cli: CliRunner) -> None:
    """The step would wait for `one` to be typed: `workshop show` lists one command."""
    result = cli("show", str(AUTHORING / "output_lines.md"), "--json")
    assert result.returncode == 0, result.stderr
    (lesson,) = json.loads(result.stdout)["lessons"]
    assert lesson["steps"][0]["commands"] == ["echo one"]
    assert lesson["steps"][0]["expected_output"] == "one"


# ---------------------------------------------------------------- prose after a block


def test_prose_after_the_last_block_under_a_heading_stays_with_its_step() -> None:
    create, target_dev, target = lesson_of("prose_after.md").steps
    assert create.text == (
        "## Create the space\n\nCreate it:\n\nThe space exists now; `cf spaces` lists it."
    )
    assert "exists now" not in target_dev.text
    assert target_dev.text == "## Target it\n\nThen target it:"
    # between two blocks under one heading, prose leads up to the second
    assert target.text.startswith("Between two blocks under one heading")
    # after the page's last block: with that step, as before
    assert target.text.endswith("Everything after the last block of the page follows up its step.")


def test_prose_after_a_url_step_stays_with_it() -> None:
    text = (
        "# T\n\n## Open it\n\nOpen http://app.test/ping in a browser.\n\n"
        "It answers `pong`.\n\n## Next\n\n```sh\n$ true\n```\n"
    )
    url, command = parse_page(text, Path("x.md")).steps
    assert url.kind == "url" and url.text.endswith("It answers `pong`.")
    assert command.text == "## Next"


@pytest.mark.parametrize(
    "sentence",
    [
        "In your browser try to access **http://app.test/stock/ping**. You should see Ping.",
        "Open _http://app.test/stock/ping_ in a browser.",
        "Open ~~http://app.test/stock/ping~~ (or not).",
        "Open http://app.test/stock/ping?",
    ],
)
def test_a_url_in_emphasis_or_before_punctuation_is_opened_without_them(sentence: str) -> None:
    """As GitHub's autolinks end: the emphasis and punctuation around a URL are not in it."""
    (url,) = parse_page(f"# T\n\n{sentence}\n", Path("x.md")).steps
    assert url.kind == "url"
    assert url.url == "http://app.test/stock/ping"


def test_a_url_given_as_an_example_is_not_a_step_to_open() -> None:
    text = (
        "# T\n\nOn a laptop, a developer reaches an app at a URL like ```http://localhost:5000/```"
        " to access what it serves.\n\n```sh\n$ true\n```\n"
    )
    (step,) = parse_page(text, Path("x.md")).steps
    assert step.kind == "command"


# ---------------------------------------------------------------- admonitions


def test_admonitions_become_labelled_blockquotes() -> None:
    (step,) = lesson_of("admonitions.md").steps
    assert step.commands == ["cf apps"]  # nothing in them is a command
    text = step.text
    assert "> **Tip**  \n> Use tab completion." in text
    assert "> **Note**  \n> The space is yours alone." in text
    assert (
        "> **Mind the quota**  \n> Each app takes 512 MB.\n>\n> Stop the ones you do not use."
        in text
    )
    assert "> **Info**  \n> Plain info." in text
    assert "[!TIP]" not in text
    # in a fence, `!!! tip` is left as it is written
    assert "```text\n!!! tip\n    inside a fence it stays as it is\n```" in text


def test_admonitions_render_as_quotes_with_a_bold_label_on_its_own_line() -> None:
    """What the TUI's Markdown widget reads: a blockquote, a bold label, a line break."""
    (step,) = lesson_of("admonitions.md").steps
    tokens = MarkdownIt("commonmark").parse(step.text)
    quotes = [i for i, t in enumerate(tokens) if t.type == "blockquote_open"]
    assert len(quotes) == 4
    labels = []
    for index in quotes:
        inline = tokens[index + 2]
        assert inline.type == "inline" and inline.children
        children = [c for c in inline.children if c.type != "text" or c.content]
        assert [c.type for c in children[:4]] == [
            "strong_open",
            "text",
            "strong_close",
            "hardbreak",
        ]
        labels.append(children[1].content)
    assert labels == ["Tip", "Note", "Mind the quota", "Info"]
    # no literal `!!!` left outside the fence
    assert not [t for t in tokens if t.type == "inline" and "!!!" in t.content]


def test_admonition_body_with_a_command_block_is_still_a_step() -> None:
    text = "# T\n\n!!! tip\n    Try this:\n\n    ```sh\n    $ cf apps\n    ```\n"
    (step,) = parse_page(text, Path("x.md")).steps
    assert step.commands == ["cf apps"]
    assert step.source is not None and step.source.line == 6
    assert step.text == "> **Tip**  \n> Try this:\n>"


def test_admonition_alert_not_at_the_start_of_a_quote_is_text() -> None:
    text = "# T\n\n> Some quote\n> [!NOTE]\n\n```sh\n$ true\n```\n"
    (step,) = parse_page(text, Path("x.md")).steps
    assert "> [!NOTE]" in step.text


# ---------------------------------------------------------------- lines keep their numbers

page_fragments = st.lists(
    st.sampled_from(
        [
            "---",
            "title: T",
            "# Title",
            "> [!TIP]",
            "> **Note**",
            "> text",
            "!!! tip",
            '!!! note "A title"',
            "    indented body",
            "",
            "```sh",
            "$ echo a",
            "```",
            "~~~",
            "\r",
            "\ufeffx",
            "![i](img/none.png)",
            "prose\x0cwith a form feed",
        ]
    ),
    max_size=30,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(text=page_fragments)
def test_the_step_reader_keeps_one_entry_per_line(text: str) -> None:
    lines, _ = page_lines(text, Path("x.md"))
    normalised = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert len(lines) == normalised.count("\n") + 1
    page = parse_page(text, Path("x.md"))
    for step in page.steps:
        assert step.source is not None and step.source.line is not None
        assert 1 <= step.source.line <= len(lines)


def test_a_form_feed_in_prose_does_not_shift_the_text() -> None:
    (step,) = parse_page("# T\n\nA\x0cB\n\n```sh\n$ a\n```\n", Path("x.md")).steps
    assert step.text == "A\x0cB"
    assert step.source is not None and step.source.line == 5


def test_a_transcript_with_other_arguments_after_output_should_be_is_not_a_step() -> None:
    """The platform's pages show `cf delete-service DB -f` failing under the page's own
    `cf delete-service DB` block: after "Output should be:", an illustration."""
    from workshop.content.markdown import parse_page

    page = parse_page(
        "# Delete\n\n```sh\ncf delete-service my-db\n```\n\nOutput should be:\n\n"
        "```\n$ cf delete-service my-db -f\nDeleting service my-db...\nFAILED\n```\n\n"
        "Unbind it, then:\n\nOutput should be:\n\n"
        "```\n$ cf delete-service my-db\nDeleting service my-db...\nOK\n```\n\n"
        "```\n$ cf services\nGetting services...\n```\n",
        Path("delete.md"),
    )
    assert [s.commands for s in page.steps] == [["cf delete-service my-db"], ["cf services"]]
    assert page.steps[0].expected_output == "Deleting service my-db...\nFAILED"


def test_a_shell_block_without_prompts_under_you_should_see_is_output() -> None:
    """The platform's pages label output blocks `sh` too: after "If all is OK you should see
    similar output:", its lines (`OK`, `Targeted org …`) are not commands."""
    from workshop.content.markdown import parse_page

    page = parse_page(
        "# Log in\n\n```sh\n$ cf login\n```\nIf all is OK you should see similar output:\n"
        "```sh\nOK\n\nTargeted org default_organization\n```\n",
        Path("login.md"),
    )
    (step,) = page.steps
    assert step.commands == ["cf login"]
    assert step.expected_output == "OK\n\nTargeted org default_organization"
