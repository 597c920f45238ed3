"""The headless core never imports Textual.

Every module under ``workshop/`` except the TUI (``workshop.tui``) and the command that
starts it (``workshop.commands.run``) is imported in a fresh interpreter, which must end
with no ``textual`` module loaded. Modules are discovered with ``pkgutil.walk_packages``,
so new ones are covered without editing this file. ``lint-imports`` checks the same rule
statically (the contract in pyproject.toml).
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import workshop

REPO = Path(__file__).resolve().parents[1]
EXCLUDED = ("workshop.tui", "workshop.commands.run")


def core_modules() -> list[str]:
    """Every importable module of the package outside the TUI (and no ``__main__``)."""
    names = []
    for info in pkgutil.walk_packages(workshop.__path__, "workshop."):
        name = info.name
        if name.rsplit(".", 1)[-1] == "__main__":
            continue  # runs a program when imported
        if any(name == ex or name.startswith(ex + ".") for ex in EXCLUDED):
            continue
        names.append(name)
    return sorted(names)


CHECK = """
import importlib, sys
importlib.import_module(sys.argv[1])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(" ".join(loaded))
"""


def test_discovery_finds_the_core() -> None:
    modules = core_modules()
    assert "workshop.content.loader" in modules
    assert "workshop.paths" in modules
    assert not any(m.startswith("workshop.tui") for m in modules)


@pytest.mark.parametrize("module", core_modules())
def test_core_module_does_not_import_textual(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, module],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a dev dependency (pip install -e '.[dev]')"
    result = subprocess.run([lint_imports], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout
