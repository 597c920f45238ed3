"""Step titles say what a step does: a YAML ``title``, else the first command, never the
heading above the block (a chapter's subtitle), and never two alike in one lesson."""

from __future__ import annotations

from pathlib import Path

from content_support import SEED_WORKSHOP

from workshop.content import load_workshop


def write(folder: Path, yaml: str, page: str) -> Path:
    (folder / "workshop.yaml").write_text(yaml, encoding="utf-8")
    (folder / "01_page.md").write_text(page, encoding="utf-8")
    return folder


PAGE = """\
# Chapter

## A subtitle that says nothing of the step

Look where the CLI points:

```sh
$ cf target
```

Open http://example.test/stock/ping in a browser.

Then once more, open http://example.test/stock/ping to see it change.

```sh
$ cf restart stock
```
"""


def test_titles_come_from_the_first_command_and_are_distinct(tmp_path: Path) -> None:
    yaml = "title: T\nlessons:\n  - file: 01_page.md\n"
    lesson = load_workshop(write(tmp_path, yaml, PAGE)).lessons[0]
    titles = [step.title for step in lesson.steps]
    assert titles == ["cf target", "Open /stock/ping", "Open /stock/ping (2)", "cf restart stock"]


def test_a_yaml_title_wins(tmp_path: Path) -> None:
    yaml = (
        "title: T\nlessons:\n  - file: 01_page.md\n    steps:\n"
        "      cf-target:\n        title: See where the CLI points\n"
    )
    lesson = load_workshop(write(tmp_path, yaml, PAGE)).lessons[0]
    assert lesson.steps[0].title == "See where the CLI points"


def test_the_bundled_course_names_every_step_by_what_it_does() -> None:
    workshop = load_workshop(SEED_WORKSHOP)
    lesson = workshop.lesson("dev-prod-parity")
    assert lesson.steps[0].title == "See where the CLI points"
    for each in workshop.lessons:
        titles = [step.title for step in each.steps]
        assert len(set(titles)) == len(titles), (each.id, titles)
