"""The headless core never imports Textual.

Every module under ``workshop/`` except the TUI (``workshop.tui``) and the command that
starts it (``workshop.commands.run``) is imported in a fork of an interpreter that has
imported nothing of the project (only libraries), which must end with no ``textual``
module loaded. Modules are discovered with ``pkgutil.walk_packages``,
so new ones are covered without editing this file. ``lint-imports`` checks the same rule
statically (the contract in pyproject.toml).
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from collections.abc import Iterator
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


IMPORTER = r"""
import importlib, os, sys
for line in sys.stdin:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a copy of this interpreter imports the module and says what loaded
        os.close(read)
        before = set(sys.modules)
        try:
            importlib.import_module(line.strip())
            loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
            answer = "ok " + " ".join(loaded)
        except BaseException:
            import traceback
            answer = "error " + traceback.format_exc()
        others = [m for m in sys.modules if m not in before and m.partition(".")[0] not in
                  ("workshop", "textual")]
        os.write(write, (answer.replace("\n", "\x00") + "\n" + " ".join(others)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer, _, others = pipe.read().decode().partition("\n")
    os.waitpid(pid, 0)
    print(answer, flush=True)
    for name in others.split():  # the libraries it needed: the next forks start with them
        try:
            importlib.import_module(name)
        except BaseException:
            pass
    assert "textual" not in sys.modules, "a library the core uses imports textual"
"""
"""Imports each module named on a line of its input in a fork of itself, and prints ``ok``
and the ``textual`` modules then loaded, or ``error`` and the traceback (its lines joined
by NULs). Each fork starts from an interpreter that has imported nothing of the project, so
every module of the package runs its imports as in a new ``python -c``; the libraries and
standard modules a fork needed (never ``textual``) are imported by the parent afterwards,
so that the next forks do not import them again (most of a fork's cost)."""


@pytest.fixture(scope="module")
def importer() -> Iterator[subprocess.Popen[str]]:
    """The :data:`IMPORTER` process, for this module's tests."""
    with subprocess.Popen(
        [sys.executable, "-c", IMPORTER],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        yield process
        assert process.stdin is not None
        process.stdin.close()


def test_discovery_finds_the_core() -> None:
    modules = core_modules()
    assert "workshop.content.loader" in modules
    assert "workshop.paths" in modules
    assert not any(m.startswith("workshop.tui") for m in modules)


@pytest.mark.parametrize("module", core_modules())
def test_core_module_does_not_import_textual(module: str, importer: subprocess.Popen[str]) -> None:
    assert importer.stdin is not None and importer.stdout is not None
    importer.stdin.write(module + "\n")
    importer.stdin.flush()
    status, _, detail = importer.stdout.readline().rstrip("\n").partition(" ")
    assert status == "ok", detail.replace("\x00", "\n")
    assert detail == "", f"{module} imports {detail}"
