"""Helpers shared by the engine tests: the real CLI in a subprocess, polling with a deadline,
the dev/prod parity lesson's commands, and an event recorder for ``LearnerSession``."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[2]
WORKSHOP = REPO / "workshop" / "bundled" / "12factor"
LESSON = "dev-prod-parity"

STEP_IDS = [
    "cf-target",
    "cf-create-space-production-test",
    "cf-target-s-production-test",
    "cf-create-service-cleardb-spark-mysql",
    "cf-push-n-workshop-12f-stock-production-test",
    "open-stock-ping",
]
"""The lesson's steps, in order."""

STEP_COMMANDS: dict[str, list[str]] = {
    "cf-target": ["cf target"],
    "cf-create-space-production-test": ["cf create-space production_test"],
    "cf-target-s-production-test": ["cf target -s production_test"],
    "cf-create-service-cleardb-spark-mysql": [
        "cf create-service cleardb spark mysql",
        "cf create-service rediscloud 30mb redis",
    ],
    "cf-push-n-workshop-12f-stock-production-test": [
        "cf push -n workshop-12f-stock-production_test"
    ],
    "open-stock-ping": ["curl -s http://workshop-12f-stock-production_test.cfapps.io/stock/ping"],
}
"""What a learner types for each step (written out, not taken from the loader)."""

T = TypeVar("T")


def copy_course(dest: Path) -> Path:
    """A copy of the course at ``dest``, its check scripts in ``dest/checks`` with it."""
    import shutil

    shutil.copytree(WORKSHOP, dest)
    return dest


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``workshop`` subprocess whose paths all live under ``home``."""
    env = {k: v for k, v in os.environ.items() if k not in ("CF_DOMAIN", "CF_COLOR")}
    env.update({"WORKSHOP_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100", "LINES": "30"})
    env.update(extra)
    return env


def cli(
    *args: str, home: Path, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python -m workshop ARGS`` run to its end, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args],
        cwd=REPO,
        env=cli_env(home),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_for(probe: Callable[[], T | None], timeout: float = 15.0, what: str = "a condition") -> T:
    """Poll ``probe`` until it returns something truthy; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


class Events:
    """A session listener that keeps every event (from any thread) and can wait for one."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._cond = threading.Condition()

    def __call__(self, event: Any) -> None:
        with self._cond:
            self.items.append(event)
            self._cond.notify_all()

    def mark(self) -> int:
        """The index the next event will have."""
        with self._cond:
            return len(self.items)

    def since(self, mark: int, kind: type | None = None) -> list[Any]:
        """Events from ``mark`` on (of ``kind`` only, when given)."""
        with self._cond:
            items = self.items[mark:]
        return [e for e in items if kind is None or isinstance(e, kind)]

    def count(self, *kinds: type) -> int:
        """How many events of these kinds arrived so far."""
        with self._cond:
            return sum(1 for e in self.items if isinstance(e, kinds))

    def wait_for(
        self, predicate: Callable[[list[Any]], bool], timeout: float = 15.0, what: str = ""
    ) -> None:
        """Wait until ``predicate(all events)`` holds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self.items):
                left = deadline - time.monotonic()
                if left <= 0:
                    names = [type(e).__name__ for e in self.items]
                    raise AssertionError(f"timed out waiting for {what or predicate}; got {names}")
                self._cond.wait(left)

    def wait(self, kind: type, mark: int = 0, timeout: float = 15.0) -> Any:
        """The first event of ``kind`` from ``mark`` on, waiting for it up to ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.items[mark:]:
                    if isinstance(event, kind):
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    names = [type(e).__name__ for e in self.items[mark:]]
                    raise AssertionError(f"no {kind.__name__} within {timeout:g} s; got {names}")
                self._cond.wait(left)


def progress_json(home: Path) -> dict[str, Any]:
    """``workshop progress --json`` for the shipped workshop under ``home``."""
    import json

    result = cli("progress", str(WORKSHOP), "--json", home=home)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def mock_home(home: Path) -> Path:
    """The shipped workshop's mock foundation under ``home``."""
    return home / "state" / "mock" / "12factor"


def mock_cf(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the learner's fake ``cf`` (its shim in the mock home) outside any shell session."""
    shim = mock_home(home) / "bin" / "cf"
    # the shim names the home it was written for; a copied home must say where it is now
    env = cli_env(home, WORKSHOP_MOCK_HOME=str(mock_home(home)), CF_HOME=str(mock_home(home)))
    return subprocess.run(
        [str(shim), *args], cwd=mock_home(home), env=env, capture_output=True, text=True, timeout=30
    )


def stored_summary(home: Path) -> dict[str, Any]:
    """The progress summary read in-process (cheap, for polling and before/after checks)."""
    from workshop.progress import ProgressStore

    with ProgressStore(home / "state" / "progress.sqlite3") as store:
        summary = store.summary("12factor")
        summary["history"] = [record.command for record in store.commands("12factor")]
    return dict(summary)


def stop_router(home: Path, workshop_id: str = "12factor") -> None:
    """Stop the mock's app router a test's runner left behind (it outlives ``workshop run``)."""
    from workshop.mock.router import stop_router as stop

    folder = home / "state" / "mock" / workshop_id
    if folder.is_dir():
        stop(folder)


def plain_commands(step_ids: list[str]) -> str:
    """The stdin of ``workshop run --plain`` that does these steps, one command a line."""
    return "".join(f"{command}\n" for step in step_ids for command in STEP_COMMANDS[step])
