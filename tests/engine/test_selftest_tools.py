"""``workshop test`` for any workshop: the tools it declares, sandboxes, parallel lessons.

Real bash, real git and the real mock: a workshop that names no mock tool runs its real
programs (no shim shadows them, no router, no CF_HOME, no proxy); one that names ``cf``
gets the offline cf and nothing else; ``--jobs`` changes nothing but the time; a broken
step shows the command that failed, its exit code and its output; the "before" look does
not wait through a check's retries.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from engine_support import cli

from workshop.content import load_workshop
from workshop.engine.mockshell import mock_shell_environment
from workshop.engine.selftest import format_table, run_selftest
from workshop.mock.router import stop_router


def write_workshop(root: Path, manifest: str, pages: dict[str, str]) -> Path:
    """A workshop folder with ``workshop.yaml`` and its Markdown pages."""
    root.mkdir(parents=True)
    (root / "workshop.yaml").write_text(manifest, encoding="utf-8")
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def which_manifest(tools: str) -> str:
    return f"""\
title: Which
{tools}
lessons:
  - id: which
    file: which.md
    steps:
      where-git:
        checks:
          - output_matches: "^{shutil.which("git")}$"
            message: "git is not the real one"
      proxies:
        checks:
          - output_matches: "^none$"
            message: "the mock's variables are set"
"""


WHICH_PAGE = """\
# Which git

```sh {id=where-git}
type -P git
```

```sh {id=proxies}
echo "${CF_HOME:-}${http_proxy:-}${WORKSHOP_MOCK_HOME:-}" | sed 's/^$/none/'
```
"""


def test_a_workshop_without_tools_runs_the_real_programs(tmp_path: Path) -> None:
    root = write_workshop(tmp_path / "which", which_manifest(""), {"which.md": WHICH_PAGE})
    report = run_selftest(load_workshop(root), timeout=20)
    assert report.mode == "live" and report.tools == ()
    assert [o.ok for o in report.outcomes] == [True, True], format_table(report)


def test_a_workshop_that_names_cf_gets_only_cf(tmp_path: Path) -> None:
    manifest = which_manifest("mock:\n  tools: [cf]")
    root = write_workshop(tmp_path / "which", manifest, {"which.md": WHICH_PAGE})
    workshop = load_workshop(root)
    report = run_selftest(workshop, timeout=20)
    assert report.mode == "mock" and report.tools == ("cf",)
    where_git, proxies = report.outcomes
    assert where_git.ok, format_table(report)  # git is still the real one
    assert not proxies.ok and proxies.after == "fail"  # CF_HOME and the proxy are there
    home = tmp_path / "mock"
    env, _ = mock_shell_environment(workshop, workshop.lessons[0], home, {}, reset=True)
    try:
        assert sorted(p.name for p in (home / "bin").iterdir()) == ["cf"]
        assert env["PATH"].startswith(str(home / "bin"))
        assert "CF_HOME" in env and "http_proxy" in env
    finally:
        stop_router(home)


def test_the_mock_env_of_a_workshop_without_tools_changes_nothing(tmp_path: Path) -> None:
    root = write_workshop(tmp_path / "which", which_manifest(""), {"which.md": WHICH_PAGE})
    workshop = load_workshop(root)
    home = tmp_path / "mock"
    env, cwd = mock_shell_environment(workshop, workshop.lessons[0], home, {}, reset=True)
    assert env["PATH"] == os.environ["PATH"]
    assert not {"CF_HOME", "http_proxy", "WORKSHOP_MOCK_HOME"} & set(env)
    assert list((home / "bin").iterdir()) == []
    assert not (home / "router.json").exists()
    assert cwd.is_dir()
    printed = cli("mock", "env", "--workshop", str(root), "--home", str(tmp_path / "m2"),
                  home=tmp_path / "h")  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    assert "PATH" not in printed.stdout and "CF_HOME" not in printed.stdout
    assert printed.stdout.strip().startswith("cd ")


def test_the_course_names_its_four_tools_and_mock_env_still_serves_them(tmp_path: Path) -> None:
    home = tmp_path / "mock"
    printed = cli("mock", "env", "--home", str(home), home=tmp_path / "h")
    try:
        assert printed.returncode == 0, printed.stderr
        assert sorted(p.name for p in (home / "bin").iterdir()) == ["cf", "git", "java", "mvn"]
        assert "export CF_HOME=" in printed.stdout and "export http_proxy=" in printed.stdout
    finally:
        stop_router(home)


def test_a_tool_the_mock_does_not_have_is_a_clear_error(tmp_path: Path) -> None:
    manifest = which_manifest("mock:\n  tools: [cf, kubectl]")
    root = write_workshop(tmp_path / "which", manifest, {"which.md": WHICH_PAGE})
    result = cli("test", str(root), home=tmp_path / "h")
    assert result.returncode != 0
    assert "kubectl" in result.stderr and "Traceback" not in result.stderr


def test_a_classic_folder_that_runs_cf_gets_the_cf_mock(tmp_path: Path) -> None:
    cf = tmp_path / "cf-course"
    cf.mkdir()
    (cf / "01_Target.md").write_text("# Target\n\n```sh\ncf target\n```\n")
    plain = tmp_path / "plain-course"
    plain.mkdir()
    (plain / "01_Hello.md").write_text("# Hello\n\n```sh\necho hello\n```\n")
    # the platform's environment: its admin account beside the learner's
    assert load_workshop(cf).mock == {
        "tools": ["cf"],
        "users": {"admin": "admin"},
        "foundation": "training",
    }
    assert load_workshop(plain).mock == {}


THREE_LESSONS = """\
title: Counting
lessons:
  - {id: one, file: one.md}
  - {id: two, file: two.md}
  - {id: three, file: three.md}
"""


def counting_page(n: int) -> str:
    return (
        f"# Lesson {n}\n\n```sh {{id=add-{n}}}\necho {n} >> count.txt\ngrep -c . count.txt\n```\n"
    )


def counting_workshop(root: Path) -> Path:
    """Three lessons without a start; each step's check: the count the earlier lessons'
    solves left, plus one."""
    names = ((1, "one"), (2, "two"), (3, "three"))
    root = write_workshop(root, THREE_LESSONS, {f"{w}.md": counting_page(n) for n, w in names})
    for n, lesson in names:
        (root / "checks" / lesson).mkdir(parents=True)
        script = root / "checks" / lesson / f"add-{n}.sh"
        script.write_text(
            f'#!/bin/sh\n[ "$(grep -c . count.txt 2>/dev/null)" = {n} ] && exit 0\n'
            f'echo "count.txt should have {n} lines"\nexit 1\n'
        )
        script.chmod(0o755)
    return root


def without_seconds(table: str) -> list[str]:
    """The table's lines, the seconds column and the closing line's time left out."""
    lines = table.splitlines()
    return [line.rsplit(None, 1)[0] if line.split()[-1][0].isdigit() else line
            for line in lines[:-1]] + [lines[-1].split(" in ")[0]]  # fmt: skip


def test_jobs_one_and_two_give_the_same_table(tmp_path: Path) -> None:
    workshop = load_workshop(counting_workshop(tmp_path / "counting"))
    one = run_selftest(workshop, jobs=1, timeout=20)
    two = run_selftest(workshop, jobs=2, timeout=20)
    assert one.ok, format_table(one)
    assert [(o.lesson_id, o.step_id) for o in one.outcomes] == [
        ("one", "add-1"), ("two", "add-2"), ("three", "add-3"),
    ]  # fmt: skip
    assert without_seconds(format_table(one)) == without_seconds(format_table(two))
    assert (one.jobs, two.jobs) == (1, 2)


def test_the_output_keeps_the_lesson_order_when_a_later_lesson_finishes_first(
    tmp_path: Path,
) -> None:
    pages = {
        "slow.md": "# Slow\n\n```sh {id=slow}\nsleep 1 && touch slow\n```\n",
        "fast.md": "# Fast\n\n```sh {id=fast}\ntouch fast\n```\n",
    }
    manifest = "title: Order\nlessons:\n  - {id: slow, file: slow.md, start: {}}\n" \
        "  - {id: fast, file: fast.md, start: {}}\n"  # fmt: skip
    workshop = load_workshop(write_workshop(tmp_path / "order", manifest, pages))
    seen: list[str] = []
    report = run_selftest(workshop, jobs=2, timeout=20, on_step=lambda o: seen.append(o.step_id))
    assert seen == ["slow", "fast"] == [o.step_id for o in report.outcomes]
    assert report.ok, format_table(report)
    assert report.seconds < 1.9  # the two lessons ran at once


BROKEN = """\
title: Broken
lessons:
  - id: broken
    file: broken.md
    steps:
      count:
        checks:
          - output_matches: "^3$"
            message: "the table should hold three rows"
"""
BROKEN_PAGE = """\
# Broken

```sh {id=count}
sqlite3 data.db "SELECT count(*) FROM nosuch;"
```
"""


def test_a_broken_step_shows_the_failing_command_its_exit_code_and_output(
    tmp_path: Path,
) -> None:
    root = write_workshop(tmp_path / "broken", BROKEN, {"broken.md": BROKEN_PAGE})
    text = cli("test", str(root), home=tmp_path / "h")
    assert text.returncode == 1, text.stdout + text.stderr
    assert "FAIL broken/count: fail: the table should hold three rows" in text.stdout
    assert """  $ sqlite3 data.db "SELECT count(*) FROM nosuch;"   (exit 1)""" in text.stdout
    assert "  | Error: in prepare, no such table: nosuch" in text.stdout
    as_json = cli("test", str(root), "--json", home=tmp_path / "h")
    [step] = json.loads(as_json.stdout)["steps"]
    assert step["command"] == 'sqlite3 data.db "SELECT count(*) FROM nosuch;"'
    assert step["exit_code"] == 1
    assert "no such table: nosuch" in step["output"]


RETRIES = """\
title: Retries
lessons:
  - id: retries
    file: retries.md
    steps:
      make-flag:
        checks:
          - command: ls
            matches: "(?m)^flag$"
            retries: 5
            interval: 1
            message: "no flag yet"
"""


def test_the_before_look_does_not_wait_through_retries(tmp_path: Path) -> None:
    page = "# Retries\n\n```sh {id=make-flag}\ntouch flag\n```\n"
    root = write_workshop(tmp_path / "retries", RETRIES, {"retries.md": page})
    started = time.monotonic()
    report = run_selftest(load_workshop(root), timeout=20)
    assert report.ok, format_table(report)
    assert (report.outcomes[0].before, report.outcomes[0].after) == ("fail", "pass")
    assert time.monotonic() - started < 3  # five retries a second apart would take 5 s


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    result = cli("test", "examples/git-basics", "--jobs", "0", home=tmp_path)
    assert result.returncode != 0
    assert "--jobs" in result.stderr and "Traceback" not in result.stderr


def test_a_step_that_needs_a_program_nobody_has_is_reported_untested_not_failed(
    tmp_path: Path,
) -> None:
    """Units written for real infrastructure (bosh, uaac …) load, lint and test: their steps
    are "not tested here", with the programs they need, and the exit status is 3 (1 when a
    step really failed)."""
    root = tmp_path / "infra"
    root.mkdir()
    (root / "01_Start.md").write_text(
        "# Start\n\n```sh\n$ echo ready > ready.txt\n```\n\n"
        "## Director\n\n```sh\n$ director-cli-xyz status --uuid\n```\n"
    )
    done = cli("test", str(root), home=tmp_path / "home")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "NEEDS start/director-cli-xyz-status-uuid: needs director-cli-xyz" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("1 passed, 0 failed in ")
    assert done.stdout.splitlines()[-1].endswith("; 1 not tested here: they need director-cli-xyz")
    (root / "02_Broken.md").write_text("# Broken\n\n```sh\n$ false\n```\n")
    assert cli("test", str(root), home=tmp_path / "home").returncode == 1
