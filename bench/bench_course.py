"""How long ``workshop test`` takes over the whole 12-factor course (budget: 60 s).

Prints the wall time of the full run (every step of every lesson, each lesson in a fresh
mock), and, as a baseline measured in the same run, the time of the same number of bare
mock ``cf target`` calls through bash, so the ratio says how much the protocol (checks
before and after, the shell, the router) costs over the commands themselves.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKSHOP = REPO / "workshop" / "bundled" / "12factor"
BUDGET = 60.0


def run_course(home: Path) -> tuple[float, str]:
    """Wall time and last line of ``workshop test workshop/bundled/12factor``."""
    env = dict(os.environ, WORKSHOP_HOME=str(home))
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "workshop", "test", str(WORKSHOP)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"workshop test failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, proc.stdout.strip().splitlines()[-1]


def run_baseline(home: Path, count: int) -> float:
    """Wall time of ``count`` mock ``cf target`` calls in one bash."""
    env = dict(os.environ, WORKSHOP_HOME=str(home))
    setup = subprocess.run(
        [sys.executable, "-m", "workshop", "mock", "env", "--home", str(home / "mock"),
         "--lesson", "dev-prod-parity"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    script = setup + f"\nfor i in $(seq {count}); do cf target >/dev/null; done\n"
    started = time.perf_counter()
    subprocess.run(["bash", "-c", script], env=env, check=True)
    elapsed = time.perf_counter() - started
    subprocess.run(
        [sys.executable, "-m", "workshop", "mock", "stop", "--home", str(home / "mock")],
        env=env, capture_output=True, check=False,
    )  # fmt: skip
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        course, summary = run_course(Path(tmp) / "a")
        steps = int(summary.split()[0])
        baseline = run_baseline(Path(tmp) / "b", steps * 3)
    print(
        f"workshop test workshop/bundled/12factor: {course:.1f} s ({summary}); budget {BUDGET:.0f} s"
    )
    print(f"baseline, {steps * 3} bare mock `cf target` calls: {baseline:.1f} s")
    print(f"ratio course / baseline: {course / baseline:.1f}x")


if __name__ == "__main__":
    main()
