"""The package as users install it: a wheel into a fresh venv and into a private user base.

The bundled workshop (lessons, checks, cassettes) is package data inside ``workshop/``, read
with ``importlib.resources``, so every way of installing carries it: this builds the wheel
from a copy of the source tree, looks inside it, installs it the ways users do (``pip
install`` into a venv, ``pip install --user`` with ``PYTHONUSERBASE``, ``pipx install``),
and runs ``workshop show``, ``lint`` and ``test`` of the seed lesson from ``/``, far from any
checkout.

The wheel is built once, by ``pip wheel`` of the source folder: the build ``pip install .``
and ``pip install --user .`` make (PEP 517, in an isolated build environment) before they
install the wheel they built. So each way of installing is tested on that wheel, and the
source is built once, not once per way.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)
NOT_SOURCE = (
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".import_linter_cache",
)

pytestmark = pytest.mark.timeout(900)


def run(args: list[str], env: dict[str, str] | None = None) -> str:
    """Run ``args`` from ``/``; its output, or a failure that shows it."""
    done = subprocess.run(
        args, cwd="/", env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="session")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every xdist worker of this run: the source copy, the wheel and
    pip's cache are made there once, by whichever worker needs them first."""
    base = tmp_path_factory.getbasetemp()
    # an xdist worker's base is one folder of the run's (popen-gwN); without xdist, the
    # base is the run's own and its parent holds every run's
    run_folder = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = run_folder / "packaging"
    root.mkdir(exist_ok=True)
    return root


@contextmanager
def locked(shared: Path, what: str) -> Iterator[None]:
    """Hold the lock on making ``what`` (the other workers wait, then find it made)."""
    with open(shared / f"{what}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def source(shared: Path) -> Path:
    """A copy of the source tree, as a fresh clone has it (the checkout stays untouched)."""
    copy = shared / "source" / "workshop"
    with locked(shared, "source"):
        if not (shared / "source.done").exists():
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE), symlinks=True)
            (shared / "source.done").touch()
    return copy


@pytest.fixture(scope="session")
def wheel(source: Path, shared: Path) -> Path:
    """The wheel, built once per run from the copy of the source tree."""
    where = shared / "wheel"
    with locked(shared, "wheel"):  # the source's own lock stays free meanwhile
        if not (shared / "wheel.done").exists():
            shutil.rmtree(where, ignore_errors=True)
            pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(where)]
            run([*pip, str(source)], pip_env(shared, dict(os.environ)))
            (shared / "wheel.done").touch()
    (built,) = where.glob("workshop-*.whl")
    return built


NO_COMPILE = "--no-compile"
"""pip does not byte-compile what it installs (Python compiles what it imports anyway):
most of an install's CPU time is compiling textual, rich and pygments."""


def pip_env(shared: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` with pip's cache shared by the run's installs (each downloads nothing twice)."""
    return {**env, "PIP_CACHE_DIR": str(shared / "pip-cache")}


def learner_env(home: Path, shared: Path, **extra: str) -> dict[str, str]:
    """A clean environment for the installed program: its own home, no checkout on any path."""
    keep = ("PATH", "LANG", "LC_ALL", "TERM", "TMPDIR", "PIP_FIND_LINKS", "PIP_CERT")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update({"HOME": str(home), "WORKSHOP_HOME": str(home / "workshop"), "NO_COLOR": "1"})
    env.update(extra)
    return pip_env(shared, env)


def check_installed(workshop: Path, env: dict[str, str]) -> None:
    """The installed ``workshop`` shows, lints and tests the bundled workshop from ``/``."""
    assert "dev-prod-parity" in run([str(workshop), "show"], env)
    assert "ok: 13 lesson(s), 48 step(s)" in run([str(workshop), "lint"], env)
    tested = run([str(workshop), "test", "--lesson", "dev-prod-parity"], env)
    assert "6 passed, 0 failed" in tested, tested


def test_the_wheel_carries_the_bundled_workshop_inside_the_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        script = archive.getinfo("workshop/bundled/12factor/checks/_lib/target-space.sh")
        assert (script.external_attr >> 16) & 0o111, "check scripts must stay executable"
    for name in (
        "workshop/bundled/12factor/workshop.yaml",
        "workshop/bundled/12factor/11_dev_prod_parity.md",
        "workshop/bundled/12factor/recordings/push.yaml",
        "workshop/bundled/12factor/checks/concurrency/compare-instances.sh",
    ):
        assert name in names
    assert not [name for name in names if name.startswith(("lessons/", "checks/", "share/"))]


def test_a_wheel_in_a_fresh_venv_runs_the_bundled_workshop_from_anywhere(
    wheel: Path, shared: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    env = learner_env(tmp_path, shared)
    # a venv without its own pip (ensurepip costs seconds): this run's pip installs into it
    run([BASE_PYTHON, "-m", "venv", "--without-pip", str(venv)], env)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    run([*pip, "install", "--quiet", NO_COMPILE, str(wheel)], env)
    check_installed(venv / "bin" / "workshop", env)


def test_a_user_install_runs_the_bundled_workshop_from_anywhere(
    wheel: Path, shared: Path, tmp_path: Path
) -> None:
    """``pip install --user .`` into a private user base (``PYTHONUSERBASE``): the user
    scheme, where the data-files of old were looked for in the wrong place."""
    base = tmp_path / "userbase"
    env = learner_env(tmp_path, shared, PYTHONUSERBASE=str(base), PIP_BREAK_SYSTEM_PACKAGES="1")
    run([BASE_PYTHON, "-m", "pip", "install", "--quiet", NO_COMPILE, "--user", str(wheel)], env)
    check_installed(base / "bin" / "workshop", env)


def test_pipx_runs_the_bundled_workshop_from_anywhere(
    wheel: Path, shared: Path, tmp_path: Path
) -> None:
    pipx = Path(sys.executable).parent / "pipx"
    env = learner_env(
        tmp_path, shared, PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin")
    )
    run(
        [str(pipx), "install", "--python", BASE_PYTHON, f"--pip-args={NO_COMPILE}", str(wheel)], env
    )
    check_installed(tmp_path / "bin" / "workshop", env)
