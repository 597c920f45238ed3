"""The slow ``workshop test`` runs of ``test_selftest_cli.py``, started together as subprocesses.

``conftest.py`` starts them when the session begins, so they run while the other engine
tests do; the tests then only wait for their results. They run once per test run: the
first xdist worker to begin starts them in a folder every worker sees, and each run's
output and exit status land there as files, for whichever worker runs the tests.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import yaml
from engine_support import LESSON, REPO, WORKSHOP, cli_env, copy_course
from run_support import made_once

RECORD = 'out=$1 err=$2 status=$3; shift 3; "$@" >"$out" 2>"$err"; echo $? >"$status.new"; mv "$status.new" "$status"'
"""A shell around a run: its output and, once it has ended, its exit status, as files."""


class Runs:
    """The three slow ``workshop test`` runs, started together so they overlap."""

    NAMES = ("text", "json", "broken")

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        """Where the runs write (shared by the run's workers)."""
        with made_once(folder) as to_start:
            if not to_start:
                return  # another worker started them
            broken = _broken_copy(folder)
            self._start("text", "test", str(WORKSHOP))
            self._start("json", "test", str(WORKSHOP), "--lesson", LESSON, "--json")
            self._start("broken", "test", str(broken), "--lesson", LESSON)

    def _start(self, name: str, *args: str) -> None:
        files = [str(self.folder / f"{name}.{kind}") for kind in ("out", "err", "status")]
        # not waited for here: the shell writes the status file when the run ends
        subprocess.Popen(
            ["sh", "-c", RECORD, "sh", *files, sys.executable, "-m", "workshop", *args],
            cwd=REPO,
            env=cli_env(self.folder / f"{name}-home"),
            stdin=subprocess.DEVNULL,
        )

    def result(self, name: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        """The finished run ``name`` (waits for its status file)."""
        status = self.folder / f"{name}.status"
        deadline = time.monotonic() + timeout
        while not status.exists():
            assert time.monotonic() < deadline, (
                f"workshop test ({name}) did not end in {timeout:g} s"
            )
            time.sleep(0.1)
        out, err = ((self.folder / f"{name}.{kind}").read_text() for kind in ("out", "err"))
        return subprocess.CompletedProcess(["workshop", "test"], int(status.read_text()), out, err)


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
