"""The offline ``git`` for real: clone naming, status of edits, log, refusals, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from tools_support import in_mock

from workshop.mock.tools.git import humanish


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://github.com/URL_TO_YOUR_REPO.git", "URL_TO_YOUR_REPO"),
        ("https://github.com/VladimirZenkevich/workshop-12-factors", "workshop-12-factors"),
        ("https://github.com/someone/stock.git/", "stock"),
        ("git@github.com:someone/stock.git", "stock"),
        ("host:stock.git", "stock"),
        ("/srv/git/stock/.git", "stock"),
    ],
)
def test_folder_named_after_the_url_like_git(url: str, name: str) -> None:
    assert humanish(url) == name


def test_status_log_and_remote_of_a_clone(home: Path) -> None:
    done = in_mock(
        home,
        "git clone -q https://github.com/someone/stock.git && cd stock\n"
        "git status\necho ---\n"
        "echo '# notes' >> pom.xml\nrm manifest.yml\nmkdir docs && touch docs/a.md README.md\n"
        "mkdir target && touch target/x.jar\n"  # ignored by the project's .gitignore
        "cd src && git status && cd ..\necho ---\n"
        "git status -s\necho ---\n"
        "git log --oneline\ngit remote -v\ngit branch\n",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    clean, dirty, short, rest = done.stdout.split("---\n")
    assert clean == (
        "On branch master\nYour branch is up-to-date with 'origin/master'.\n"
        "nothing to commit, working directory clean\n"
    )
    assert "\tmodified:   ../pom.xml\n\tdeleted:    ../manifest.yml\n" in dirty
    assert "Untracked files:" in dirty and "\t../README.md\n\t../docs/\n" in dirty
    assert "target" not in dirty
    assert dirty.endswith('no changes added to commit (use "git add" and/or "git commit -a")\n')
    assert short.splitlines() == [" M pom.xml", " D manifest.yml", "?? README.md", "?? docs/"]
    lines = rest.splitlines()
    assert len(lines[0].split()[0]) == 7 and "someone/stock.git" in lines[0]
    assert lines[1:] == [
        "origin\thttps://github.com/someone/stock.git (fetch)",
        "origin\thttps://github.com/someone/stock.git (push)",
        "* master",
    ]


def test_errors_and_refusals(home: Path) -> None:
    done = in_mock(
        home,
        "git status; echo rc=$?\n"
        "git clone; echo rc=$?\n"
        "git clone ./no/such/repo; echo rc=$?\n"
        "git clone -q https://github.com/a/stock.git\n"
        "cd stock\n"
        "git push origin master; echo rc=$?\n"
        "git frobnicate; echo rc=$?\n",
    )
    assert done.stdout.splitlines() == ["rc=128", "rc=129", "rc=128", "rc=1", "rc=1"]
    err = done.stderr
    assert "fatal: Not a git repository (or any of the parent directories): .git\n" in err
    assert "fatal: You must specify a repository to clone." in err
    assert "fatal: repository './no/such/repo' does not exist" in err
    assert "git push: not available in the offline workshop mock" in err
    assert "git: 'frobnicate' is not a git command. See 'git --help'." in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/URL_TO_YOUR_REPO.git",
        "https://github.com/<your-name>/stock.git",
        "https://github.com/stock.git",
    ],
)
def test_a_placeholder_url_is_refused_like_the_hosting_service(home: Path, url: str) -> None:
    done = in_mock(home, f"git clone '{url}'; echo \"rc=$?\"; ls")
    assert done.stdout.startswith("rc=128\n") and done.stdout.strip() == "rc=128"
    assert done.stderr.endswith(
        f"remote: Repository not found.\nfatal: repository '{url}/' not found\n"
    )
