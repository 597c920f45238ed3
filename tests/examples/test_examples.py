"""The example workshops in ``examples/`` pass ``workshop test`` with the real tools.

Each is run as an author would, from a relative path (``workshop test git-basics`` inside
``examples/``), and each ``cd``s inside its lessons; the lessons after the first start
from what the earlier lessons' solves left, in a sandbox whose ``HOME`` is not the
author's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def workshop_cli(
    *args: str, cwd: Path, home: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m workshop ARGS`` in ``cwd`` with ``HOME`` (and WORKSHOP_HOME) in ``home``."""
    env = dict(os.environ, HOME=str(home), WORKSHOP_HOME=str(home / ".workshop"))
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def rows(stdout: str) -> list[list[str]]:
    """The table's rows without the header, the FAIL lines and the closing line."""
    lines = stdout.splitlines()
    return [line.split() for line in lines[1:] if line and line.split()[-1][0].isdigit()
            and "passed," not in line]  # fmt: skip


def test_git_workshop_passes_from_a_relative_path_with_a_home_of_its_own(tmp_path: Path) -> None:
    home = tmp_path / "author"
    home.mkdir()
    result = workshop_cli("test", "git-basics", cwd=EXAMPLES, home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    table = rows(result.stdout)
    assert [row[:2] for row in table][:3] == [
        ["first-repo", "identity"],
        ["first-repo", "email"],
        ["first-repo", "init"],
    ]
    assert ["merge-conflict", "merge", "fail", "pass", "ok"] == table[-2][:5]
    assert all(row[2:5] == ["fail", "pass", "ok"] for row in table), result.stdout
    assert result.stdout.splitlines()[-1].startswith("11 passed, 0 failed in ")
    assert result.stdout.splitlines()[-1].endswith("(live)")
    # `git config --global` wrote to the sandbox's HOME, not to the author's
    assert not (home / ".gitconfig").exists()
    assert not (home / ".config" / "git").exists()


def test_git_workshop_lesson_three_alone_starts_from_the_earlier_lessons(tmp_path: Path) -> None:
    result = workshop_cli(
        "test", "git-basics", "--lesson", "merge-conflict", "--json", cwd=EXAMPLES, home=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["mode"] == "live" and report["tools"] == []
    assert [s["step_id"] for s in report["steps"]] == [
        "edit-on-main", "edit-on-branch", "merge", "resolve",
    ]  # fmt: skip


def test_sqlite_workshop_passes(tmp_path: Path) -> None:
    result = workshop_cli("test", "sqlite-pantry", cwd=EXAMPLES, home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("6 passed, 0 failed in ")


def test_sqlite_lesson_two_passes_only_because_lesson_one_ran_first(tmp_path: Path) -> None:
    alone = workshop_cli(
        "test", "sqlite-pantry", "--lesson", "queries", cwd=EXAMPLES, home=tmp_path
    )
    assert alone.returncode == 0, alone.stdout + alone.stderr
    # the same lesson told to start from an empty folder has no database to work on
    copy = tmp_path / "sqlite-pantry"
    shutil.copytree(EXAMPLES / "sqlite-pantry", copy)
    manifest = copy / "workshop.yaml"
    config = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    config["lessons"][1]["start"] = {}
    manifest.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    empty = workshop_cli(
        "test", "sqlite-pantry", "--lesson", "queries", cwd=tmp_path, home=tmp_path
    )
    assert empty.returncode == 1, empty.stdout
    assert "FAIL queries/use-flour:" in empty.stdout
    assert "no such table: items" in empty.stdout


def test_classic_cf_folder_passes_in_mock_mode_with_cf_domain_unset(tmp_path: Path) -> None:
    """The original platform's layout (numbered pages, verify scripts with `check`,
    `{{echo $CF_DOMAIN}}`, no workshop.yaml): the cf mock provides the domain and account."""
    home = tmp_path / "author"
    home.mkdir()
    env_before = os.environ.pop("CF_DOMAIN", None)
    try:
        result = workshop_cli("test", "classic-cf", cwd=EXAMPLES, home=home)
        linted = workshop_cli("lint", "classic-cf", cwd=EXAMPLES, home=home)
        shown = workshop_cli("run", "classic-cf", "--plain", cwd=EXAMPLES, home=home, timeout=60)
    finally:
        if env_before is not None:
            os.environ["CF_DOMAIN"] = env_before
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("4 passed, 0 failed in ")
    assert "(mock: cf)" in result.stdout
    # CF_DOMAIN is unset here, but the cf mock sets it in the learner's shell: no problem
    assert (linted.returncode, linted.stdout) == (0, ""), linted.stdout + linted.stderr
    assert linted.stderr.strip() == "ok: 4 lesson(s), 4 step(s)"
    # the learner sees the mock's domain where the page says {{echo $CF_DOMAIN}}
    assert "$ cf api https://api.cfapps.io" in shown.stdout, shown.stdout


def test_a_learner_who_types_their_own_name_passes_the_first_step(tmp_path: Path) -> None:
    """The page shows Ada's name; the learner types theirs. It was judged a failed try (the
    step wanted name and e-mail, and "Grace" was not "Ada Lovelace"), a retry and a hint."""
    env = dict(os.environ, HOME=str(tmp_path), WORKSHOP_HOME=str(tmp_path / ".workshop"))
    done = subprocess.run(
        [sys.executable, "-m", "workshop", "run", "--plain", "git-basics"],
        input='git config --global user.name "Grace Hopper"\n:quit\n',
        cwd=EXAMPLES, env={**env, "NO_COLOR": "1"}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "✔ Step passed." in done.stdout, done.stdout + done.stderr
    assert "✘" not in done.stdout and "Hint" not in done.stdout
    assert "step 2 of 4: Tell git your e-mail" in done.stdout


def test_the_next_lesson_run_as_the_line_mode_says_starts_where_the_last_one_ended(
    tmp_path: Path,
) -> None:
    """Lesson 1 ends in `recipes`; the line mode says `workshop run --plain --lesson
    branching` goes on. That shell started in the work folder's root: git said "not a git
    repository" and the verdict sent the learner the wrong way."""
    env = dict(os.environ, HOME=str(tmp_path), WORKSHOP_HOME=str(tmp_path / ".workshop"))
    lesson_one = (
        'git config --global user.name "Grace Hopper"\n'
        "git config --global user.email grace@example.com\n"
        "mkdir recipes\ncd recipes\ngit init -b main\n"
        'echo "# Recipes" > README.md\ngit add README.md\ngit commit -m "Add a README"\n'
    )

    def plain(*args: str, lines: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "workshop", "run", "--plain", "git-basics", *args],
            input=lines, cwd=EXAMPLES, env={**env, "NO_COLOR": "1"}, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        return done.stdout + done.stderr

    first = plain(lines=lesson_one)
    assert "Lesson complete: Your first repository" in first, first
    second = plain("--lesson", "branching", lines="pwd\ngit rev-parse --abbrev-ref HEAD\n:quit\n")
    assert "/recipes\n" in second, second
    assert "\nmain\n" in second and "not a git repository" not in second
