"""Cost of the offline ``git``/``mvn``/``java`` of mock mode, against ``python -c pass``.

Runs, through the shims of a fresh mock home, ``git --version``, ``git clone`` (into a new
folder each time), ``mvn clean install`` of the cloned stock project, ``java -version`` and
``java -jar`` up to its "Started" line, alternating with a bare interpreter start, and
prints each median and its ratio to the baseline. Never asserts.

Usage: python bench/bench_mock_tools.py [RUNS]
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.mock.tools import write_shims  # noqa: E402


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _java_started(cwd: Path, env: dict[str, str]) -> float:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["java", "-jar", "target/stock-1.0-SNAPSHOT.jar", f"--server.port={port}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Started " in line:
            break
    took = time.perf_counter() - start
    proc.terminate()
    proc.wait(10)
    return took


def main(runs: int = 15) -> None:
    """Measure and print the medians and their ratios to a bare interpreter start."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "mock"
        (home / "bin").mkdir(parents=True)
        write_shims(home)
        work = home / "work"
        work.mkdir()
        env = {**os.environ, "PATH": f"{home / 'bin'}:{os.environ['PATH']}"}
        env["WORKSHOP_MOCK_HOME"] = str(home)
        subprocess.run(["git", "clone", "-q", "https://github.com/a/stock.git"], cwd=work, env=env)
        stock = work / "stock"
        figures: dict[str, list[float]] = {}
        cases = {
            "python -c pass": lambda i: _timed([sys.executable, "-c", "pass"], work, env),
            "git --version": lambda i: _timed(["git", "--version"], work, env),
            "git clone": lambda i: _timed(
                ["git", "clone", "-q", "u/stock.git", f"c{i}"], work, env
            ),
            "mvn clean install": lambda i: _timed(["mvn", "clean", "install"], stock, env),
            "java -version": lambda i: _timed(["java", "-version"], work, env),
            "java -jar to Started": lambda i: _java_started(stock, env),
        }
        for i in range(runs):
            for name, case in cases.items():
                figures.setdefault(name, []).append(case(i))
        base = statistics.median(figures["python -c pass"])
        print(f"{'command':<24}{'median ms':>10}{'x python':>10}   ({runs} runs each)")
        for name, values in figures.items():
            median = statistics.median(values)
            print(f"{name:<24}{median * 1000:>10.1f}{median / base:>10.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
