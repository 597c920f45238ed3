"""Start-up cost of the offline ``cf`` mock: ``cf target`` against ``python -c pass``.

Budget (DESIGN.md, issue 3): one mock command takes at most 4x the wall time of a bare
interpreter start. Both are run alternately, many times, with the same interpreter (the
one the mock's ``bin/cf`` shim execs), and the medians are compared. Prints both figures
and the ratio; never asserts (benchmarks print, tests check behaviour).

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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.mock import state  # noqa: E402


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(runs: int = 40) -> None:
    """Measure and print the medians and their ratio."""
    import yaml

    data = yaml.safe_load(
        (REPO / "workshop" / "bundled" / "12factor" / "workshop.yaml").read_text()
    )
    lesson = next(item for item in data["lessons"] if item["id"] == "dev-prod-parity")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "mock"
        state.reset(home, lesson["start"], data["mock"])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CF_", "WORKSHOP_"))}
        env.update(WORKSHOP_MOCK_HOME=str(home), CF_HOME=str(home), PYTHONPATH=str(REPO))
        baseline_cmd = [sys.executable, "-c", "pass"]
        mock_cmd = [sys.executable, "-m", "workshop.mock.cf", "target"]
        for _ in range(3):  # warm the page cache and the .pyc files
            _timed(baseline_cmd, env)
            _timed(mock_cmd, env)
        # As `workshop mock env` sets it up for the 12-factor workshop: with its cassettes.
        cassette_env = dict(
            env,
            WORKSHOP_MOCK_RECORDINGS=str(REPO / "workshop" / "bundled" / "12factor" / "recordings"),
        )
        _timed(mock_cmd, cassette_env)
        base, mock, with_cassettes = [], [], []
        for _ in range(runs):
            base.append(_timed(baseline_cmd, env))
            mock.append(_timed(mock_cmd, env))
            with_cassettes.append(_timed(mock_cmd, cassette_env))
    b, m, c = (statistics.median(x) for x in (base, mock, with_cassettes))
    print(
        f"python -c pass                 median {b * 1000:7.1f} ms  ({runs} runs, {sys.executable})"
    )
    print(
        f"cf target (mock)               median {m * 1000:7.1f} ms  ratio {m / b:5.2f}x  (budget 4x)"
    )
    print(
        f"cf target (mock, cassettes on) median {c * 1000:7.1f} ms  ratio {c / b:5.2f}x  (budget 4x)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
