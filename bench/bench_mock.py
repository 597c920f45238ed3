"""Cost of the offline ``cf`` mock: start-up, and how it grows with the foundation.

Two budgets, each measured against a baseline taken in the same run, side by side:

- start-up: ``cf target`` through the mock home's ``bin/cf`` shim (as a learner's shell
  runs it) against ``python -c pass`` of the same interpreter: at most 1.5x;
- size: ``cf target`` and ``cf app`` at a foundation of 500 apps with 300 log lines each
  against the same commands at a fresh one: at most 1.3x.

Runs alternate between the compared commands; medians are compared. Prints the figures
and ratios; never asserts (benchmarks print, tests check behaviour).

Also the CPU time of an app router that nobody asks anything, from its start to its idle
exit, against a bare start of the same interpreter. (A learner's session or a sandbox
starts its router only when something connects to it; ``workshop mock env`` and the cf
shim's restart still start one that may never be asked.)

Usage: python bench/bench_mock.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.mock import env as mock_env  # noqa: E402
from workshop.mock import state  # noqa: E402

APPS = 500
LOG_LINES = 300


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _medians(commands: list[tuple[list[str], dict[str, str]]], runs: int) -> list[float]:
    for cmd, env in commands:  # warm the page cache and the cached bytecode
        for _ in range(3):
            _timed(cmd, env)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for i, (cmd, env) in enumerate(commands):
            times[i].append(_timed(cmd, env))
    return [statistics.median(t) for t in times]


def _home(root: Path, name: str, lesson: dict[str, Any], mock: dict[str, Any]) -> Path:
    home = root / name
    state.reset(home, lesson["start"], mock)
    (home / "bin").mkdir(exist_ok=True)
    mock_env.write_shim(home, ["cf"])
    return home


def _grow(home: Path) -> None:
    """500 more apps in the targeted space, each with its logs."""
    with state.transaction(home) as data:
        apps = data["orgs"]["your-org"]["spaces"]["development"]["apps"]
        for i in range(APPS):
            name = f"app-{i:03d}"
            apps[name] = state.new_app(name, memory=512, instances=1, disk=1024)
            for n in range(LOG_LINES):
                state.append_log(
                    data,
                    "your-org",
                    "development",
                    name,
                    "RTR/0",
                    f'{name}.cfapps.io - [02/02/2016:13:11:{n % 60:02d} +0000] "GET /stock/ping '
                    'HTTP/1.1" 200 0 15 "-" "curl/7.47.0" 10.10.2.3:40000 x_forwarded_for:"-"',
                )


def main(runs: int = 30) -> None:
    """Measure and print the medians and their ratios."""
    import yaml

    data = yaml.safe_load(
        (REPO / "workshop" / "bundled" / "12factor" / "workshop.yaml").read_text()
    )
    lesson = next(item for item in data["lessons"] if item["id"] == "dev-prod-parity")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _home(Path(tmp), "fresh", lesson, data["mock"])
        big = _home(Path(tmp), "big", lesson, data["mock"])
        _grow(big)
        size = sum(p.stat().st_size for p in big.rglob("*") if p.is_file()) / 2**20
        state_size = (big / state.STATE_FILE).stat().st_size / 2**20
        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("CF_", "WORKSHOP_"))}

        def env(home: Path) -> dict[str, str]:
            return dict(base_env, WORKSHOP_MOCK_HOME=str(home), CF_HOME=str(home))

        shim = [str(fresh / "bin" / "cf"), "target"]
        bare, target = _medians(
            [([sys.executable, "-c", "pass"], env(fresh)), (shim, env(fresh))], runs
        )
        print(f"python -c pass                median {bare * 1000:7.1f} ms  ({sys.executable})")
        print(
            f"cf target (bin/cf shim)       median {target * 1000:7.1f} ms  "
            f"ratio {target / bare:5.2f}x  (budget 1.5x)"
        )
        print(
            f"\nfoundation of {APPS} apps x {LOG_LINES} log lines: {size:.1f} MiB on disk, "
            f"state.json {state_size:.2f} MiB"
        )
        for words in (["target"], ["app", "workshop-12f-stock"]):
            small, large = _medians(
                [
                    ([str(fresh / "bin" / "cf"), *words], env(fresh)),
                    ([str(big / "bin" / "cf"), *words], env(big)),
                ],
                runs,
            )
            label = "cf " + " ".join(words)
            print(
                f"{label:<29} fresh {small * 1000:7.1f} ms   500 apps {large * 1000:7.1f} ms   "
                f"ratio {large / small:5.2f}x  (budget 1.3x)"
            )


def _cpu(cmd: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user + system) ``cmd`` took, run to its end in the foreground."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def router_start(runs: int) -> None:
    """CPU of a router that nobody asks, started as its starters start it (``python -S -P
    -c``, see ``workshop.mock.router.control.router_command``), from its start to its idle
    exit: in a home whose CA is made, and in a new home (its starter gives it a copy of the
    user's CA first, counted in); against the same
    interpreter's bare start (``python -S -P -c pass``, same environment): medians of
    alternate runs."""
    from workshop.mock.router import tls
    from workshop.mock.router.control import python_environment, router_command

    bare_command = [sys.executable, "-S", "-P", "-c", "pass"]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKSHOP_CACHE_DIR"] = os.path.join(tmp, "cache")  # the user's CA: new
        env = python_environment(dict(os.environ))

        def router(home: str) -> list[str]:
            return [*router_command(home)[:-1], "--idle", "0.05"]  # in the foreground

        used = os.path.join(tmp, "used")
        os.mkdir(used)
        subprocess.run(router(used), env=env, check=False)  # makes the CA, warms the bytecode
        bare: list[float] = []
        warm: list[float] = []
        fresh: list[float] = []
        for n in range(runs):
            bare.append(_cpu(bare_command, env))
            warm.append(_cpu(router(used), env))
            new = os.path.join(tmp, f"new-{n}")
            os.mkdir(new)
            before = time.process_time()
            tls.bundle_path(new)  # as its starters do: a copy of the user's CA, made once
            made = time.process_time() - before
            fresh.append(made + _cpu(router(new), env))
        base = max(statistics.median(bare), 1e-6)
        print(f"\npython -S -P -c pass (CPU)     median {base * 1000:7.1f} ms")
        for label, times in (("its CA made", warm), ("a new home", fresh)):
            median = statistics.median(times)
            print(
                f"app router nobody asks, {label:<12} median {median * 1000:7.1f} ms of CPU  "
                f"ratio {median / base:5.2f}x"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
    router_start(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
