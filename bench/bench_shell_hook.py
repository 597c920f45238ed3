"""Cost of the prompt hook's extra work per command: environment report and history append.

Two ShellSessions run side by side in the same run, interleaved in rounds so machine load
hits both alike: one as shipped, one whose rc file has neither the environment check
(``declare -px`` into a scratch file, compared with the last one) nor ``history -a`` (the
prompt hook before they were added). Both run ``true`` many times, so the environment does
not change and only the comparison is paid; a third figure shows a command that does change
it (``export``), which also pays for ``env -0 | base64``. Target: well under 1 ms added per
command when nothing changed.

Run: ``python bench/bench_shell_hook.py [--commands N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop.shell import ShellSession, process, rcfile  # noqa: E402


def bare_session(home: Path) -> ShellSession:
    """A session whose prompt hook neither reports the environment nor appends history."""
    template, dump = rcfile._TEMPLATE, process.environment_dump  # noqa: SLF001
    rcfile._TEMPLATE = template.replace("    history -a 2>/dev/null\n", "")  # noqa: SLF001
    process.environment_dump = lambda env: None  # type: ignore[assignment]
    try:
        session = ShellSession(env={"HOME": str(home)}, cwd=home, on_output=lambda text: None)
        session.start()
    finally:
        rcfile._TEMPLATE, process.environment_dump = template, dump  # noqa: SLF001
    return session


def timed(session: ShellSession, command: str, count: int) -> list[float]:
    """Seconds per ``session.run(command)``."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        session.run(command, timeout=10)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    """Measure both sessions, print medians and the difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=2000, help="commands per variant")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-shell-hook-") as tmp:
        home = Path(tmp)
        bare = bare_session(home)
        full = ShellSession(env={"HOME": str(home)}, cwd=home, on_output=lambda text: None)
        full.start()
        try:
            per_round = max(1, args.commands // args.rounds)
            timed(bare, "true", 50)
            timed(full, "true", 50)
            without: list[float] = []
            with_hook: list[float] = []
            changing: list[float] = []
            for index in range(args.rounds):
                without += timed(bare, "true", per_round)
                with_hook += timed(full, "true", per_round)
                changing += timed(full, f"export BENCH_ROUND={index}$RANDOM", 20)
            assert full.env.get("BENCH_ROUND", "").startswith(str(args.rounds - 1))
        finally:
            bare.close()
            full.close()

    base_ms = statistics.median(without) * 1000
    ours_ms = statistics.median(with_hook) * 1000
    change_ms = statistics.median(changing) * 1000
    print(f"commands per variant          : {len(without)}")
    print(f"hook without env/history, med : {base_ms:.3f} ms per command")
    print(f"hook as shipped, median       : {ours_ms:.3f} ms per command")
    print(f"added when nothing changed    : {ours_ms - base_ms:+.3f} ms (target well under 1 ms)")
    print(f"a command that exports, med   : {change_ms:.3f} ms (reports the environment)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
