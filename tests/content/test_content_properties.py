"""Property tests: any Markdown and any YAML either loads or raises ContentError.

Nothing else may escape the loader: front ends print a ContentError as ``file:line:
message`` and every other exception would be a traceback in front of a learner.
"""

from __future__ import annotations

import json
import os
import string
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.content import ContentError, Workshop, load_workshop

# A moderate number keeps the run to seconds; WORKSHOP_PROPERTY_EXAMPLES=5000 digs deeper.
SETTINGS = settings(
    max_examples=int(os.environ.get("WORKSHOP_PROPERTY_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# ------------------------------------------------------------------ Markdown

LANGS = ["sh", "bash", "console", "shell", "zsh", "text", "python", "", "shell-session", "SH"]
words = st.text(alphabet=string.ascii_letters + string.digits + " -_$.{}=#\"'", max_size=20)
info_strings = st.one_of(
    st.builds(lambda lang, attrs: f"{lang} {attrs}".strip(), st.sampled_from(LANGS), words),
    st.builds(
        lambda lang, key, value: f"{lang} {{{key}={value}}}",
        st.sampled_from(LANGS),
        st.sampled_from(["id", "title", "#", "x"]),
        words,
    ),
    st.text(max_size=15).filter(lambda s: "`" not in s and "\n" not in s),
)
templates = st.builds(
    lambda form, name: form.format(name),
    st.sampled_from(
        ["{{{{{}}}}}", "{{{{echo ${}}}}}", "{{{{ {} }}}}", "{{{{${{{}}}}}}}", "{{{{ echo {} }}}}"]
    ),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True),
)
command_lines = st.builds(
    lambda prompt, body, tail: f"{prompt}{body}{tail}",
    st.sampled_from(["$ ", "", "  $ ", "$", "> "]),
    st.one_of(words, templates, st.text(max_size=30)),
    st.sampled_from(["", " \\", "\\", " # comment"]),
)
fences = st.builds(
    lambda mark, info, lines, close: (
        f"{mark}{info}\n" + "\n".join(lines) + (f"\n{mark}" if close else "")
    ),
    st.sampled_from(["```", "~~~", "````"]),
    info_strings,
    st.lists(st.one_of(command_lines, st.text(max_size=20)), max_size=5),
    st.booleans(),
)
urls = st.builds(
    lambda verb, host, tmpl, path: f"{verb} http://{host}.{tmpl}/{path} now.",
    st.sampled_from(["Open", "Visit", "Try to access", "curl", "Go to", "See"]),
    st.from_regex(r"[a-z0-9_-]{1,10}", fullmatch=True),
    templates,
    st.text(max_size=10),
)
fragments = st.one_of(
    fences,
    st.builds(
        lambda block, mark: mark + block.replace("\n", "\n   "),
        fences,
        st.sampled_from(["1. ", "- ", "> "]),
    ),
    command_lines,
    urls,
    templates,
    st.builds(
        lambda level, text: "#" * level + " " + text, st.integers(1, 7), st.text(max_size=20)
    ),
    st.sampled_from(
        [
            "You should see similar output",
            "Expected output:",
            "<!-- expected -->",
            "<!-- expected output -->",
            "The output looks like:",
            "",
            "    indented code $ ls",
            "* item",
            "> $ quoted",
        ]
    ),
    st.text(max_size=40),
)
markdown_pages = st.lists(fragments, max_size=14).map("\n".join)


@contextmanager
def folder() -> Iterator[Path]:
    """A fresh temporary folder (hypothesis runs many examples per test function)."""
    with tempfile.TemporaryDirectory(prefix="workshop-prop-") as name:
        yield Path(name)


def load_or_content_error(path: Path) -> Workshop | None:
    """Load both ways; only ContentError may be raised. A loaded workshop must be JSON-able."""
    try:
        workshop = load_workshop(path, strict=False)
    except ContentError:
        return None
    assert all(isinstance(p, ContentError) for p in workshop.problems)
    json.dumps(workshop.to_json())
    for lesson in workshop.lessons:
        assert lesson.steps, "every lesson has at least one step"
        for step in lesson.steps:
            assert step.id
    try:
        load_workshop(path, strict=True)
    except ContentError:
        pass
    return workshop


@SETTINGS
@given(text=st.text(max_size=400))
def test_arbitrary_markdown_text(text: str) -> None:
    with folder() as root:
        page = root / "page.md"
        page.write_text(text, encoding="utf-8", errors="surrogatepass")
        load_or_content_error(page)


@SETTINGS
@given(text=markdown_pages)
def test_markdown_from_fragments(text: str) -> None:
    with folder() as root:
        page = root / "01_Page.md"
        page.write_text(text, encoding="utf-8", errors="surrogatepass")
        (root / "01_Page.verify.sh").write_text("#!/bin/sh\n")
        load_or_content_error(page)
        load_or_content_error(root)  # the classic layout around the same page


# ------------------------------------------------------------------ YAML

LESSON = "# Lesson\n\n```sh {id=one}\n$ echo {{X}}\n```\n\n```sh\n$ cf target\n```\n"
KEYS = [
    "title", "description", "variables", "mock", "lessons", "file", "id", "steps", "start",
    "checks", "hints", "solution", "commands", "text", "when_output", "exit_code",
    "output_matches", "output_similar", "command", "matches", "http", "status",
    "body_matches", "script", "args", "verify_sh", "timeout", "retries", "interval",
    "message", "threshold", "checks_dir", "one", "cf-target", "X",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["lesson.md", "missing.md", "(", "[z-a]", "http://x/{{X}}", "{{Y}}", ".", "/", "0"]
    ),
    st.text(max_size=12),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=5),
    ),
    max_leaves=25,
)
manifests = st.one_of(
    structures,
    st.fixed_dictionaries(
        {
            "title": scalars,
            "lessons": st.lists(
                st.one_of(
                    structures,
                    st.fixed_dictionaries({"file": st.just("lesson.md"), "steps": structures}),
                ),
                max_size=3,
            ),
        },
        optional={
            "variables": structures,
            "mock": structures,
            "checks_dir": scalars,
            "id": structures,
        },
    ),
)


def write_manifest(root: Path, text: str) -> None:
    (root / "lesson.md").write_text(LESSON)
    (root / "workshop.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")


@SETTINGS
@given(text=st.text(max_size=300))
def test_arbitrary_yaml_text(text: str) -> None:
    with folder() as root:
        write_manifest(root, text)
        load_or_content_error(root)


@SETTINGS
@given(
    text=st.lists(
        st.sampled_from(
            [
                "title: T",
                "lessons:",
                "  - lesson.md",
                "  - file: lesson.md",
                "    steps:",
                "      one:",
                "        checks:",
                "          - exit_code: 0",
                "          - {",
                "    - ]",
                "&a [*a]",
                "<<: *a",
                "!!python/object:os.system x",
                "? [a, b]",
                "  : c",
                "---",
                "...",
                "%YAML 1.1",
                "\t",
                "",
            ]
        ),
        max_size=12,
    ).map("\n".join)
)
def test_yaml_text_from_fragments(text: str) -> None:
    with folder() as root:
        write_manifest(root, text)
        load_or_content_error(root)


@SETTINGS
@given(data=manifests)
def test_arbitrary_yaml_structures(data: Any) -> None:
    with folder() as root:
        write_manifest(root, yaml.safe_dump(data, allow_unicode=True))
        load_or_content_error(root)
