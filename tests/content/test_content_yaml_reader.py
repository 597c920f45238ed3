"""workshop.yaml is read with libyaml's parser, and gives the same values and the same line
map as PyYAML's pure-Python parser, so lint's ``file:line`` stays where it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from content_support import FIXTURES, REPO

from workshop.content import ContentError, yamlio

YAML_FILES = sorted(
    [*(REPO / "lessons").rglob("*.yaml"), *FIXTURES.rglob("*.yaml")], key=lambda p: str(p)
)

BROKEN_SNIPPETS = [
    "a: 1\nb: [1, 2\nc: 3\n",
    "a:\n\tb: 1\n",
    "a: 'x\nb: 2\n",
    "a: 1\n  b: 2\n",
    "- a\nb: 1\n",
    "a: &x 1\nb: *y\n",
    "? [1]\n: 2\n",
    "x: |\n  ok\n bad\n",
    "a: !!python/object:os.system x\n",
]


def shape(value: Any) -> Any:
    """A loaded value with every line it remembers, as plain data that compares."""
    if isinstance(value, dict):
        return (
            "map",
            getattr(value, "line", None),
            sorted(getattr(value, "key_lines", {}).items()),
            [(key, shape(item)) for key, item in value.items()],
        )
    if isinstance(value, list):
        return (
            "seq",
            getattr(value, "line", None),
            list(getattr(value, "item_lines", [])),
            [shape(item) for item in value],
        )
    return value


def test_the_reader_uses_libyaml() -> None:
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the project's set-up installs it"
    assert yamlio.Loader is yamlio.CLoader
    assert issubclass(yamlio.CLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_same_values_and_lines_as_the_pure_python_parser(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        pure = shape(yamlio.parse_yaml(text, path, loader=yamlio.PureLoader))
    except ContentError as exc:
        with pytest.raises(ContentError) as fast:
            yamlio.parse_yaml(text, path)
        assert (fast.value.file, fast.value.line) == (exc.file, exc.line)
        return
    assert shape(yamlio.parse_yaml(text, path)) == pure


def test_the_course_manifest_has_lines_everywhere() -> None:
    manifest = REPO / "workshop" / "bundled" / "12factor" / "workshop.yaml"
    data = yamlio.load_yaml(manifest)
    assert isinstance(data, yamlio.LineDict) and data.line_of("title") == 2
    lessons = data["lessons"]
    assert isinstance(lessons, yamlio.LineList)
    assert len(lessons.item_lines) == len(lessons) > 10
    assert lessons.item_lines == sorted(lessons.item_lines)


@pytest.mark.parametrize("text", BROKEN_SNIPPETS)
def test_syntax_errors_point_at_the_same_line(text: str) -> None:
    where = Path("workshop.yaml")
    lines = []
    for loader in (yamlio.CLoader, yamlio.PureLoader):
        with pytest.raises(ContentError) as raised:
            yamlio.parse_yaml(text, where, loader=loader)
        lines.append(raised.value.line)
    assert lines[0] is not None and lines[0] == lines[1]


@pytest.mark.parametrize("loader", [yamlio.CLoader, yamlio.PureLoader])
def test_a_key_given_twice_is_an_error_at_its_second_line(
    loader: yamlio.YamlLoader, tmp_path: Path
) -> None:
    """YAML keeps the last of two equal keys without a word: a step's second ``checks:``
    silently replaced its real checks. Keys a merge (``<<: *base``) brings are still
    overridden as YAML means them to be."""
    text = "steps:\n  init:\n    checks:\n      - command: git log\n    checks:\n      - exit_code: 0\n"
    with pytest.raises(ContentError) as caught:
        yamlio.parse_yaml(text, tmp_path / "workshop.yaml", loader)
    assert caught.value.line == 5
    assert "'checks' is given twice in this mapping (first at line 3)" in str(caught.value)
    merged = "base: &b {title: A, retries: 1}\nstep:\n  <<: *b\n  title: B\n"
    assert yamlio.parse_yaml(merged, tmp_path / "w.yaml", loader)["step"] == {
        "title": "B",
        "retries": 1,
    }
