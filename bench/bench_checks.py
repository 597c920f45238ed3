"""How long from a command's end to its check result, for built-in and script checks.

Also the cost of recording a command and a round of checks in the progress store
(one committed, fsync'd SQLite transaction each).

Prints the median (and 90th percentile) of many runs of each check kind next to a
baseline measured in the same run: starting a bare ``true`` with ``subprocess.run``,
the least any check that runs a process can cost. Run: ``python bench/bench_checks.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop.checking import CheckContext, run_check, run_checks  # noqa: E402
from workshop.content.model import CheckSpec, Step  # noqa: E402
from workshop.progress import ProgressStore  # noqa: E402

SEED = """API endpoint:   https://api.run.pivotal.io (API version: 2.46.0)
User:           user_name
Org:            your-org
Space:          development
"""
OUTPUT = (
    "                   \r\n"
    "\x1b[1;36mAPI endpoint:\x1b[0m   https://api.local.workshop.test (API version: 2.54.0)   \r\n"
    "\x1b[1;36mUser:\x1b[0m           admin   \r\n"
    "\x1b[1;36mOrg:\x1b[0m            default_organization   \r\n"
    "\x1b[1;36mSpace:\x1b[0m          development   \r\n"
)


def measure(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 90th percentile of ``fn``'s wall time in milliseconds."""
    fn()  # warm up caches, imports, the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "200"))
    folder = Path(tempfile.mkdtemp(prefix="bench-checks-"))
    bash_check = folder / "check.sh"
    bash_check.write_text('#!/bin/bash\ngrep -q "Space: *development" "$WORKSHOP_OUTPUT"\n')
    bash_check.chmod(0o755)
    py_check = folder / "check.py"
    py_check.write_text(
        f"#!{sys.executable}\nimport os, sys\n"
        "sys.exit(0 if 'development' in open(os.environ['WORKSHOP_OUTPUT']).read() else 1)\n"
    )
    py_check.chmod(0o755)
    context = CheckContext(
        env=dict(os.environ), cwd=folder, variables={"CF_DOMAIN": "cfapps.test"}, mode="mock",
        command="cf target", exit_code=0, output=OUTPUT, step_id="cf-target", expected_output=SEED,
    )  # fmt: skip

    output_file = folder / "output.txt"
    output_file.write_text("Space:          development\n")
    bare_env = dict(os.environ, WORKSHOP_OUTPUT=str(output_file))

    def check(kind: str, params: dict[str, object]) -> Callable[[], object]:
        spec = CheckSpec(kind, params)

        def run() -> None:
            result = run_check(spec, context)
            assert result.status == "pass", (kind, result.reason)

        return run

    step = Step("cf-target", "t", "", commands=["cf target"], expected_output=SEED,
                checks=[CheckSpec("exit_code", {"code": 0}), CheckSpec("output_similar", {})])  # fmt: skip
    cases: list[tuple[str, Callable[[], object]]] = [
        ("baseline: subprocess.run(['true'])", lambda: subprocess.run(["true"], check=True)),
        ("baseline: bash -c true", lambda: subprocess.run(["bash", "-c", "true"], check=True)),
        (
            "baseline: check.sh run bare",
            lambda: subprocess.run([str(bash_check)], check=True, env=bare_env),
        ),
        ("built-in exit_code", check("exit_code", {"code": 0})),
        ("built-in output_matches", check("output_matches", {"pattern": "^Space: +development$"})),
        ("built-in output_similar", check("output_similar", {})),
        ("step: exit_code + output_similar", lambda: run_checks(step, context)),
        ("built-in command (bash -c)", check("command", {"command": "true", "matches": None})),
        ("script check (bash)", check("script", {"path": str(bash_check), "args": []})),
        ("verify_sh (bash + helpers)", check("verify_sh", {"path": str(bash_check)})),
        ("script check (python)", check("script", {"path": str(py_check), "args": []})),
    ]
    store = ProgressStore(folder / "progress.sqlite3")
    result = run_check(CheckSpec("exit_code", {"code": 0}), context)
    cases += [
        (
            "progress: record_command (fsync)",
            lambda: store.record_command("w", "l", "s", "cf target", 0, OUTPUT),
        ),
        ("progress: record_checks (fsync)", lambda: store.record_checks("w", "l", "s", [result])),
    ]
    results = [(name, *measure(fn, runs)) for name, fn in cases]
    store.close()
    baseline = results[0][1]
    script_bare = results[2][1]
    print(f"check latency, command end -> result ({runs} runs each)")
    print(f"{'case':40} {'median ms':>10} {'p90 ms':>9} {'x true':>8}")
    for name, median, p90 in results:
        print(f"{name:40} {median:10.3f} {p90:9.3f} {median / baseline:8.2f}")
    script = dict((name, median) for name, median, _ in results)["script check (bash)"]
    print(
        f"script check overhead over running check.sh bare: {script - script_bare:+.3f} ms "
        f"(x{script / script_bare:.2f})"
    )


if __name__ == "__main__":
    main()
