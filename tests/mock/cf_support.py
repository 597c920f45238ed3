"""Running the real fake-``cf`` executable in isolated mock homes, for the tests here."""

from __future__ import annotations

import copy
import functools
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from workshop.mock import state
from workshop.mock.router.control import python_environment

REPO = Path(__file__).resolve().parents[2]
CLOCK = 1454418705.0
"""Frozen mock clock: Tue Feb 2 13:11:45 UTC 2016 (a PWS week of the workshop)."""


def workshop_yaml() -> dict[str, Any]:
    """The bundled 12-factor workshop.yaml (a copy of its own for each caller)."""
    return copy.deepcopy(_workshop_yaml())


@functools.cache
def _workshop_yaml() -> dict[str, Any]:
    """The bundled workshop.yaml, parsed once per test process: its thousand lines cost a
    quarter of a second each time with PyYAML's pure-Python parser (libyaml's when there)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (REPO / "workshop" / "bundled" / "12factor" / "workshop.yaml").read_text()
    data: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return data


def dev_prod_start() -> tuple[dict[str, Any], dict[str, Any]]:
    """The dev-prod-parity lesson's ``start:`` block and the workshop's ``mock:`` block."""
    data = workshop_yaml()
    lesson = next(item for item in data["lessons"] if item["id"] == "dev-prod-parity")
    return lesson["start"], data["mock"]


def cf_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment a mock ``cf`` runs in: its home, a frozen clock, UTC, no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CF_", "WORKSHOP_"))}
    env.update(
        WORKSHOP_MOCK_HOME=str(home),
        CF_HOME=str(home),
        TZ="UTC",
        WORKSHOP_MOCK_CLOCK=str(CLOCK),
        WORKSHOP_MOCK_DEBUG="1",
        WORKSHOP_HOME=str(home.parent / "workshop-home"),
    )
    env.update(extra)
    return env


def cf_command(*args: str) -> list[str]:
    """``cf ARGS`` as the learner's shim runs it (``python -S -P -c`` calling the mock's
    ``main``; run it with :func:`~workshop.mock.router.control.python_environment`): a
    third of the CPU of ``python -m workshop.mock.cf``, which loads ``site`` and ``runpy``."""
    from workshop.mock.tools import python_command

    return [*python_command("workshop.mock.cf", main="workshop.mock.cf.main"), *args]


def cf(
    home: Path, *args: str, cwd: Path | None = None, stdin: str = "", **env: str
) -> tuple[str, int]:
    """Run ``cf ARGS`` as a subprocess; return (stdout, exit code). stderr must stay empty."""
    proc = subprocess.run(
        cf_command(*args),
        cwd=cwd or (home / "work" if (home / "work").is_dir() else home),
        env=python_environment(cf_env(home, **env)),
        input=stdin.encode(),
        capture_output=True,
        timeout=30,
    )
    assert proc.stderr == b"", proc.stderr.decode()
    return proc.stdout.decode(), proc.returncode  # bytes decoded as is: no newline translation


def seeded_home(
    tmp_path: Path,
    start: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    name: str = "mock",
) -> Path:
    """A mock home reset to ``start`` (default: the dev-prod-parity lesson)."""
    home = tmp_path / name
    if start is None and settings is None:
        start, settings = dev_prod_start()
    old = os.environ.get("WORKSHOP_MOCK_CLOCK")
    os.environ["WORKSHOP_MOCK_CLOCK"] = str(CLOCK - 3600)
    try:
        state.reset(home, start, settings)
    finally:
        if old is None:
            del os.environ["WORKSHOP_MOCK_CLOCK"]
        else:
            os.environ["WORKSHOP_MOCK_CLOCK"] = old
    return home


def block(
    user: str | None = "user_name",
    org: str | None = "your-org",
    space: str | None = "development",
    api: str | None = "https://api.run.pivotal.io",
) -> str:
    """The "current target" block of reference §3.1 for the given session."""
    lines = []
    rows = []
    if api:
        rows.append(("API endpoint:", f"{api} (API version: 2.46.0)"))
    if user:
        rows.append(("User:", user))
        if org or space:
            rows.append(("Org:", org or "No org targeted, use 'cf target -o Org'"))
            rows.append(("Space:", space or "No space targeted, use 'cf target -s SPACE'"))
    width = max([len(r[0]) for r in rows] + [0])
    lines.append(" " * width + "   " + "   ")
    lines += [label.ljust(width) + "   " + value + "   " for label, value in rows]
    if not user:
        lines.append("Not logged in. Use 'cf login' to log in.")
    elif not org and not space:
        lines.append("No org or space targeted, use 'cf target -o ORG -s SPACE'")
    return "\n".join(lines) + "\n"
