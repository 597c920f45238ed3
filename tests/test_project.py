"""The project's own habits hold: the git hooks run what CI runs, CI runs only the README's
test command, and that command runs the static checks before the suite."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def make_prerequisites(target: str) -> list[str]:
    """The targets ``make TARGET`` runs first, as the Makefile lists them."""
    text = (REPO / "Makefile").read_text()
    match = re.search(rf"^{re.escape(target)}:([^\n]*)$", text, re.MULTILINE)
    assert match, f"no make target {target}"
    return [word for word in match.group(1).split() if not word.startswith("$(")]


def test_make_test_runs_the_static_checks_then_the_suite() -> None:
    assert make_prerequisites("test") == ["static", "suite"]
    assert make_prerequisites("static") == ["fmt-check", "lint", "types", "contracts"]
    assert make_prerequisites("check") == ["test"]


def test_ci_runs_the_readme_test_command_and_nothing_else() -> None:
    commands = [
        line
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "set ", "cd "))
    ]
    assert commands == ["make test"]
    assert "make test" in (REPO / "README.md").read_text()


def test_the_git_hooks_run_the_targets_ci_runs() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    targets = [hook["entry"].split()[-1] for hook in hooks]
    assert targets == make_prerequisites("static") + ["suite"]
    assert all(hook["entry"].startswith("make ") for hook in hooks)
