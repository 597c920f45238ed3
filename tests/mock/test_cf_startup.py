"""The fake cf's start-up stays light: no YAML, no Textual, no cassette machinery unless
cassettes exist; push alone loads PyYAML (to read manifest.yml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cf_support import cf_env


def imported_modules(home: Path, *args: str, **env: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "workshop.mock.cf", *args],
        cwd=home / "work",
        env=cf_env(home, **env),
        capture_output=True,
        timeout=30,
    )
    return {
        line.split("|")[-1].strip() for line in proc.stderr.decode().splitlines() if "|" in line
    }


def test_a_plain_command_imports_only_the_standard_library_and_its_own_modules(home: Path) -> None:
    modules = imported_modules(home, "target")
    assert "workshop.mock.cf.commands_target" in modules
    assert not {m for m in modules if m.split(".")[0] in ("yaml", "textual", "platformdirs")}
    assert "workshop.mock.replay" not in modules
    assert "workshop.mock.cf.commands_push" not in modules


def test_push_reads_the_manifest_with_yaml(home: Path) -> None:
    assert "yaml" in imported_modules(home, "push", "--no-start")


HEAVY_STANDARD_MODULES = (
    "re",
    "json",
    "enum",
    "contextlib",
    "runpy",
    "signal",
    "typing",
    "pathlib",
)
"""Standard modules whose import (with what they import: ``collections``, ``functools``)
cost a mock command about as much as the rest of its start."""


def shim_imports(home: Path, *args: str, status: int = 0) -> set[str]:
    """The modules ``DIR/bin/cf ARGS`` (the shim a learner's shell runs) imports; it must
    end with ``status``."""
    from workshop.mock.env import write_shim

    (home / "bin").mkdir(exist_ok=True)
    shim = write_shim(home)
    proc = subprocess.run(
        [str(shim), *args],
        cwd=home / "work",
        env=cf_env(home, PYTHONPROFILEIMPORTTIME="1"),
        capture_output=True,
        timeout=30,
    )
    assert proc.returncode == status, proc.stderr.decode()[-2000:]
    return {
        line.split("|")[-1].strip() for line in proc.stderr.decode().splitlines() if "|" in line
    }


def test_the_learners_cf_commands_run_without_the_heavy_standard_modules(home: Path) -> None:
    """The commands of the course's lessons load and save the foundation without ``json``'s
    regular expressions, ``enum`` or ``runpy`` (the shim calls ``main``); only ``push``
    (a manifest to read with YAML) may import them."""
    app = "workshop-12f-stock"
    assert shim_imports(home, "push", app, "--no-start") & {"yaml"}
    for args in (
        ("target", "-s", "development"),
        ("apps",),
        ("create-service", "cleardb", "spark", "mysql"),
        ("bind-service", app, "mysql"),
        ("set-env", app, "ENVIRONMENT_VARIABLE", "development"),
        ("env", app),
        ("restage", app),
        ("scale", app, "-i", "2"),
        ("app", app),
    ):
        modules = shim_imports(home, *args)
        assert "workshop.mock.cf.main" in modules and "workshop.mock.jsonlite" in modules
        heavy = modules & set(HEAVY_STANDARD_MODULES)
        assert not heavy, (args, heavy)


def test_a_failed_command_stays_light_too(home: Path) -> None:
    """A command that fails has the state's fields checked (a damaged state is named):
    that check loads without ``typing`` and the rest, as many of a lesson's checks fail."""
    modules = shim_imports(home, "app", "no-such-app", status=1)
    assert "workshop.mock.state_shape" in modules
    heavy = modules & set(HEAVY_STANDARD_MODULES)
    assert not heavy, heavy


def test_the_learners_folder_does_not_stand_in_for_the_mock_s_modules(home: Path) -> None:
    """A learner's folder may hold any file: the shim's Python does not look for modules
    there (``-P``), so a ``_json.py`` or ``fcntl.py`` of theirs is not what the mock runs
    (nor is their folder listed at every call)."""
    from workshop.mock.env import write_shim

    (home / "bin").mkdir(exist_ok=True)
    shim = write_shim(home)
    for name in ("_json", "fcntl", "select"):
        (home / "work" / f"{name}.py").write_text("raise SystemExit('a learner file ran')\n")
    proc = subprocess.run(
        [str(shim), "target"], cwd=home / "work", env=cf_env(home), capture_output=True, timeout=30
    )
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode()
    assert b"API endpoint:" in proc.stdout
