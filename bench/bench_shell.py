"""Overhead of a command run through ShellSession against plain pexpect-driven bash.

The baseline is what pexpect's ``replwrap`` does: bash with a unique prompt (a non-printing
insert so the typed text cannot match it), no prompt hook, and ``expect`` for that prompt
after each line. ShellSession adds the marker hooks (PS0 with ``history 1``, the
PROMPT_COMMAND marker), the reader thread and the callbacks. Both run ``true`` many times
in the same run, interleaved in rounds so machine load hits both alike; the script prints
the medians and the difference (target: under 10 ms added per command).

Run: ``python bench/bench_shell.py [--commands N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop.shell import ShellSession  # noqa: E402

PROMPT = "[BENCH\\[\\]PROMPT]$ "
PROMPT_SEEN = "[BENCHPROMPT]$ "


def plain_bash(home: Path) -> pexpect.spawn:
    """bash driven like pexpect.replwrap: unique prompt, no prompt hooks, echo off."""
    rc = home / "plain.rc"
    rc.write_text(
        f"PS1='{PROMPT}'\nPS2=''\nPROMPT_COMMAND=\n"
        "bind 'set enable-bracketed-paste off' 2>/dev/null\nexport PAGER=cat\n"
    )
    env = dict(os.environ, HOME=str(home), TERM="xterm-256color")
    child = pexpect.spawn(
        "bash", ["--noprofile", "--rcfile", str(rc), "-i"], env=env, echo=False, encoding=None
    )
    child.delaybeforesend = None
    child.expect_exact(PROMPT_SEEN.encode(), timeout=10)
    return child


def time_plain(child: pexpect.spawn, count: int) -> list[float]:
    """Seconds per ``true`` through the plain pexpect bash."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        child.send(b"true\r")
        child.expect_exact(PROMPT_SEEN.encode(), timeout=10)
        times.append(time.perf_counter() - start)
    return times


def time_session(session: ShellSession, count: int) -> list[float]:
    """Seconds per ``ShellSession.run("true")``."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        result = session.run("true", timeout=10)
        times.append(time.perf_counter() - start)
        assert result.exit_code == 0
    return times


def main() -> int:
    """Measure both, print medians and the difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=400, help="commands per variant")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-shell-") as tmp:
        home = Path(tmp)
        finished: list[object] = []
        session = ShellSession(
            env={"HOME": str(home)},
            cwd=home,
            on_output=lambda text: None,
            on_command_finished=finished.append,
        )
        session.start()
        child = plain_bash(home)
        try:
            per_round = max(1, args.commands // args.rounds)
            time_plain(child, 20)  # warm up both
            time_session(session, 20)
            plain: list[float] = []
            ours: list[float] = []
            for _ in range(args.rounds):
                plain += time_plain(child, per_round)
                ours += time_session(session, per_round)
            big_start = time.perf_counter()
            big = session.run("seq 1 100000", timeout=60)
            big_seconds = time.perf_counter() - big_start
        finally:
            child.close(force=True)
            session.close()

    base_ms = statistics.median(plain) * 1000
    ours_ms = statistics.median(ours) * 1000
    print(f"commands per variant         : {len(plain)}")
    print(f"plain pexpect bash, median   : {base_ms:.3f} ms per command")
    print(f"ShellSession.run, median     : {ours_ms:.3f} ms per command")
    print(f"added by ShellSession        : {ours_ms - base_ms:+.3f} ms (target < 10 ms)")
    print(f"ratio                        : {ours_ms / base_ms:.2f}x")
    print(
        f"seq 1 100000 through run()   : {big_seconds * 1000:.0f} ms, "
        f"{len(big.output.splitlines())} lines"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
