"""CPU time of the ``workshop`` commands that read the course, from the cache and without it.

``show``, ``progress`` and ``mock env`` read the bundled course like ``run`` does, from the
cache of loaded workshops while nothing changed (``workshop.content.cache``); a cold cache
(a folder of its own for each start) parses the course. Each command's CPU time (its
process and what it starts and waits for) is printed against ``python -c pass`` of the
same interpreter, measured in the same run, with the cold start's against the warm one's.

Runs alternate between the compared commands; medians are compared. Prints the figures and
ratios; never asserts (benchmarks print, tests check behaviour).

Usage: python bench/bench_cli.py [RUNS]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _cpu(cmd: list[str], env: dict[str, str]) -> float:
    """CPU seconds of ``cmd`` and the children it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(runs: int = 9) -> None:
    """Measure and print the medians and their ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("CF_", "WORKSHOP_"))}
        base.update(WORKSHOP_HOME=str(root / "home"), WORKSHOP_CACHE_DIR=str(root / "cache"))
        if base.pop("PYTHONDONTWRITEBYTECODE", None):  # compiling every module would dominate
            base.setdefault("PYTHONPYCACHEPREFIX", str(root / "bytecode"))
        home = root / "mock"
        workshop = [sys.executable, "-m", "workshop"]
        commands = {
            "show": [*workshop, "show"],
            "progress": [*workshop, "progress"],
            "mock env": [*workshop, "mock", "env", "--home", str(home)],
        }
        for cmd in commands.values():
            _cpu(cmd, base)  # the cache, the bytecode and the mock home are made
        bare = [sys.executable, "-c", "pass"]
        samples: dict[str, list[float]] = {"bare": []}
        for run in range(runs):
            samples["bare"].append(_cpu(bare, base))
            for name, cmd in commands.items():
                cold_env = dict(base, WORKSHOP_CACHE_DIR=str(root / f"cold-{name}-{run}"))
                samples.setdefault(f"{name} warm", []).append(_cpu(cmd, base))
                samples.setdefault(f"{name} cold", []).append(_cpu(cmd, cold_env))
        subprocess.run([*workshop, "mock", "stop", "--home", str(home)], env=base, check=False)
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"python -c pass           median CPU {median['bare'] * 1000:6.1f} ms")
    for name in commands:
        warm, cold = median[f"{name} warm"], median[f"{name} cold"]
        print(
            f"workshop {name:15s} cached {warm * 1000:6.1f} ms ({warm / median['bare']:4.1f}x)"
            f"   parsed {cold * 1000:6.1f} ms ({cold / median['bare']:4.1f}x)"
            f"   cached/parsed {warm / cold:4.2f}"
        )
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
