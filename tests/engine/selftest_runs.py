"""The slow ``workshop test`` runs of ``test_selftest_cli.py``, started together as subprocesses.

``conftest.py`` starts them when the session begins, so they run while the other engine
tests do; the tests then only wait for their results.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from engine_support import LESSON, REPO, WORKSHOP, cli_env, copy_course


class Runs:
    """The three slow ``workshop test`` runs, started together so they overlap."""

    def __init__(self, tmp: Path) -> None:
        broken = _broken_copy(tmp)
        self._procs = {
            "text": self._start(tmp / "a", "test", str(WORKSHOP)),
            "json": self._start(tmp / "b", "test", str(WORKSHOP), "--lesson", LESSON, "--json"),
            "broken": self._start(tmp / "c", "test", str(broken), "--lesson", LESSON),
        }
        self._done: dict[str, subprocess.CompletedProcess[str]] = {}

    @staticmethod
    def _start(home: Path, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "workshop", *args],
            cwd=REPO,
            env=cli_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def result(self, name: str) -> subprocess.CompletedProcess[str]:
        """The finished run ``name`` (waits for it)."""
        if name not in self._done:
            proc = self._procs[name]
            out, err = proc.communicate(timeout=90)
            self._done[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        return self._done[name]

    def close(self) -> None:
        """Kill whatever still runs (a failed test must not leave them behind)."""
        for proc in self._procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


def _broken_copy(tmp_path: Path) -> Path:
    """The workshop with two wrong checks: one that can never pass, one that always does."""
    copy = tmp_path / "broken"
    copy_course(copy)
    config_file = copy / "workshop.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # a thousand lines: libyaml's
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    lesson = next(entry for entry in config["lessons"] if entry["id"] == LESSON)
    steps = lesson["steps"]
    steps["cf-create-space-production-test"]["checks"] = [
        {
            "command": "cf spaces",
            "matches": "(?m)^production_tset\\s*$",
            "message": "There is no space called production_tset.",
        }
    ]
    steps["cf-target-s-production-test"]["checks"] = [
        {"command": "cf target", "matches": "API endpoint:", "message": "No API endpoint."}
    ]
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return copy
