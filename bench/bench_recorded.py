"""Cost of replaying one recorded call: the replay shim of ``kvcloud`` against ``python -c pass``.

Budget (README): replaying a recorded call costs at most 2x the wall time of a bare
interpreter start (``python -c pass``, with its ``site`` module, as any Python program
starts). The shim is run as a learner's shell runs it (``DIR/bin/kvcloud get notes
greeting``, from the examples/kvcloud recordings, index warm) alternately with the
baseline, many times, with the same interpreter; the medians and their ratio are printed.
``python -S -c pass`` is printed too, for scale. Never asserts.

Usage: python bench/bench_recorded.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.content import load_workshop  # noqa: E402
from workshop.engine.mockshell import mock_shell_environment  # noqa: E402


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(runs: int = 60) -> None:
    """Measure and print the medians and their ratios."""
    workshop = load_workshop(REPO / "examples" / "kvcloud")
    lesson = workshop.lesson("data")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "mock"
        env, _ = mock_shell_environment(workshop, lesson, home, {}, reset=True)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a learner's Python caches its bytecode
        (home / "data" / "replay").write_text("data\n1\n")  # after the put: `get` answers
        shim = [str(home / "bin" / "kvcloud"), "get", "notes", "greeting"]
        baseline = [sys.executable, "-c", "pass"]
        bare = [sys.executable, "-S", "-c", "pass"]
        for _ in range(3):  # warm the page cache, the .pyc files and the index
            for cmd in (baseline, bare, shim):
                _timed(cmd, env)
        times: dict[str, list[float]] = {"base": [], "bare": [], "shim": []}
        for _ in range(runs):
            times["base"].append(_timed(baseline, env))
            times["bare"].append(_timed(bare, env))
            times["shim"].append(_timed(shim, env))
    b, s, r = (statistics.median(times[k]) for k in ("base", "bare", "shim"))
    print(f"python -c pass                 median {b * 1000:7.1f} ms")
    print(f"python -S -c pass              median {s * 1000:7.1f} ms  ratio {s / b:5.2f}x")
    print(
        f"kvcloud get (replayed)         median {r * 1000:7.1f} ms  ratio {r / b:5.2f}x  (budget 2x)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
