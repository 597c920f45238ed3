"""``workshop test --solutions``: what a learner types where a page says it in prose only, and
the original platform's weak verify scripts (passing before their page), offline.

The project's own small classic unit: page 01 logs in with ``cf auth`` (which clears the
target) and asks in prose to "target your org and space", which its verify script checks;
page 02's verify script already passes before the page (it checks the login again); page
03's looks for the opposite of what its command does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workshop.content import load_workshop
from workshop.content.model import ContentError
from workshop.engine.selftest import format_table, run_selftest
from workshop.engine.solutions import load_solutions

PAGES = {
    "01_Log in.md": (
        "# Log in\n\n```sh\ncf api api.{{echo $CF_DOMAIN}} --skip-ssl-validation\n"
        'cf auth admin "admin"\n```\n\n'
        "Then, target your org and space with `cf target`.\n"
    ),
    "01_Log in.verify.sh": (
        "#!/bin/bash -e\n\n"
        "check 'cf target | grep Org' '^$' false #> Org is not selected.\n"
        "check 'cf target | grep Space' '^$' false #> Space is not selected.\n"
    ),
    "02_Look around.md": "# Look around\n\n```sh\ncf apps\n```\n",
    "02_Look around.verify.sh": (
        "#!/bin/bash -e\n\ncheck 'cf target' 'User:.*admin' true #> You are not logged in.\n"
    ),
}

SOLUTIONS = """\
pages:
  # "target your organization and space using `cf target`"
  "001 Log in/01_Log in.md":
    after: [cf target -o your-org -s development]
"""


def write_unit(root: Path, pages: dict[str, str] = PAGES) -> Path:
    root.mkdir()
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_page_that_asks_in_prose_only_is_carried_out_by_the_solutions_file(
    tmp_path: Path,
) -> None:
    unit = write_unit(tmp_path / "001 Log in")
    (tmp_path / "solutions.yaml").write_text(SOLUTIONS, encoding="utf-8")
    workshop = load_workshop(unit)

    without = run_selftest(workshop, timeout=60)
    first = without.outcomes[0]
    assert not first.ok and first.content, format_table(without)
    assert "the page asks the learner to run `cf target`" in first.reason

    solutions = load_solutions(tmp_path / "solutions.yaml")
    report = run_selftest(workshop, timeout=60, solutions=solutions)
    assert [o.ok for o in report.outcomes] == [True, True], format_table(report)
    assert solutions.unused() == []
    # page 02's verify script passed before its page (the login of page 01): the platform ran
    # it only after the page, so the step passes, with the weakness said
    weak = report.outcomes[1]
    assert weak.warning == (
        "its checks already pass before the step's commands ran (they do not test it)"
    )
    table = format_table(report)
    assert "WARN look-around/cf-apps: content: its checks already pass" in table
    assert table.endswith("; 1 passed with a content warning (WARN)")


def test_a_verify_script_that_looks_for_the_opposite_is_a_content_problem(tmp_path: Path) -> None:
    pages = dict(PAGES)
    pages["01_Log in.md"] = PAGES["01_Log in.md"].replace(
        '"admin"\n', '"admin"\ncf target -o your-org -s development\n'
    )
    pages["02_Look around.md"] = "# Make a space\n\n```sh\ncf create-space demo\n```\n"
    pages["02_Look around.verify.sh"] = (  # inverted: it fails once the space is there
        "#!/bin/bash -e\n\ncheck 'cf spaces' 'demo' false #> The space was not created.\n"
    )
    report = run_selftest(load_workshop(write_unit(tmp_path / "001 Log in", pages)), timeout=60)
    first, second = report.outcomes
    assert first.ok, format_table(report)
    assert not second.ok and second.content
    assert second.reason.startswith(
        "content problem: its checks already pass before the step's commands ran (they do not"
        " test it), and fail after them: they look for the opposite of what it does (fail:"
        " The space was not created."
    )


def test_a_fault_the_solutions_file_names_makes_the_pages_failure_the_contents(
    tmp_path: Path,
) -> None:
    pages = dict(PAGES)
    pages["02_Look around.verify.sh"] = (  # looks for a space no page makes
        "#!/bin/bash -e\n\ncheck 'cf spaces' 'demo' true #> development is missing.\n"
    )
    unit = write_unit(tmp_path / "001 Log in", pages)
    (tmp_path / "solutions.yaml").write_text(
        SOLUTIONS + '  "00? Log*/02_Look around.md":\n    content_problem: it looks for `demo`\n',
        encoding="utf-8",
    )
    solutions = load_solutions(tmp_path / "solutions.yaml")
    report = run_selftest(load_workshop(unit), timeout=60, solutions=solutions)
    first, second = report.outcomes
    assert first.ok, format_table(report)
    assert not second.ok and second.content
    assert second.reason.startswith(
        "content problem (solutions file, '00? Log*/02_Look around.md'): it looks for `demo`"
        " (then: fail: development is missing."
    )
    assert solutions.unused() == []  # the key's parts are patterns


def test_workshop_test_takes_a_solutions_file_and_names_entries_no_page_matched(
    tmp_path: Path,
) -> None:
    unit = write_unit(tmp_path / "001 Log in", {**PAGES, "03_Notes.md": "# Notes\n\nRead on.\n"})
    solutions = tmp_path / "solutions.yaml"
    solutions.write_text(
        SOLUTIONS
        + '  "Another unit/01_Log in.md":\n    after: [cf apps]\n'
        + '  "03_Notes.md":\n    after: [cf apps]\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workshop",
            "test",
            str(unit),
            "--json",
            "--solutions",
            str(solutions),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True
    # a key of only the last parts of a path matches no page of another unit's name
    assert f"{solutions}:5: warning: 'Another unit/01_Log in.md' did nothing in this run" in (
        done.stderr
    )
    # a page without commands has nowhere to run them: said, not silently dropped
    assert f"{solutions}:7: warning: '03_Notes.md' did nothing in this run" in done.stderr


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- a\n", 1, "a solutions file is a mapping with one key, `pages:`"),
        (
            "pages:\n  a.md:\n    after: [x]\n    befor: [y]\n",
            4,
            "page 'a.md': unknown key `befor` (did you mean `before:`?)",
        ),
        ("pages:\n  a.md: {}\n", 2, "page 'a.md': give `before:`, `after:`"),
        ('pages:\n  "": {after: [x]}\n', 2, "a page is named by the end of its path"),
        (
            "page:\n  a.md: {after: [x]}\n",
            1,
            "a solutions file is a mapping with one key, `pages:` (page: before/after/replace) (did you mean `pages:`?)",
        ),
        ("pages: {}\nextra: 1\n", 2, "unknown key `extra`: a solutions file has only `pages:`"),
        ("pages:\n  a.md:\n    after: cf apps\n", 3, "page 'a.md': `after:` is a list"),
        ("pages:\n  a.md:\n    before: ['']\n", 3, "page 'a.md': each command of `before:`"),
        ("pages:\n  a.md:\n    replace: [x]\n", 3, "page 'a.md': `replace:` maps the text"),
        ("pages:\n  a.md:\n    content_problem: [x]\n", 3, "page 'a.md': `content_problem:` says"),
    ],
)
def test_a_broken_solutions_file_is_an_error_at_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "solutions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_solutions(path)
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_a_missing_solutions_file_is_a_clear_error_and_exit_2(tmp_path: Path) -> None:
    unit = write_unit(tmp_path / "001 Log in")
    done = subprocess.run(
        [sys.executable, "-m", "workshop", "test", str(unit), "--solutions", "nope.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "workshop: nope.yaml: no such solutions file" in done.stderr
    assert "Traceback" not in done.stderr
