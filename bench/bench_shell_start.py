"""Starting a learner's bash: :meth:`BashProcess.spawn` against pexpect's fork.

The runner starts bash at each lesson, reset and ``exit``. pexpect (what started it before)
forks the runner and execs bash in the fork; the fork copies the page tables of the whole
runner, whose size is a TUI's (Textual and the lesson loaded: about 150-300 MB). Now bash
starts through ``setsid -c`` without a fork. Both start the same interactive bash whose rc
file ends it at once, from this process grown to ``--mb`` MB, in rounds that alternate the
two; the script prints the medians of CPU time (this process and the child) and wall time
a start, and the ratio.

Run: ``python bench/bench_shell_start.py [--mb 260] [--rounds 40]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pexpect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop.shell.process import BashProcess, _default_signals, build_env, find_bash  # noqa: E402


def cpu() -> float:
    """CPU seconds of this process and its reaped children."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def by_setsid(rcfile: Path, env: dict[str, str]) -> None:
    bash = BashProcess.spawn(rcfile, env, None, 24, 80)
    bash.reap(5)
    bash.close()


def by_pexpect(rcfile: Path, env: dict[str, str]) -> None:
    child = pexpect.spawn(
        find_bash(env),
        ["--noprofile", "--rcfile", str(rcfile), "-i"],
        env=env,
        echo=True,
        dimensions=(24, 80),
        use_poll=True,
        preexec_fn=_default_signals,
    )
    child.ptyproc.delayafterclose = 0.0
    child.expect(pexpect.EOF)
    child.close(force=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=260, help="the runner's size to start from")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    ballast = [bytes(4096) + i.to_bytes(4, "big") for i in range(args.mb * 256)]  # touched pages
    size = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    with tempfile.TemporaryDirectory() as folder:
        rcfile = Path(folder) / "rc"
        rcfile.write_text("exit 0\n")
        env = build_env(None)
        ways: dict[str, Callable[[Path, dict[str, str]], None]] = {
            "setsid -c (now)": by_setsid,
            "pexpect fork (before)": by_pexpect,
        }
        cpus: dict[str, list[float]] = {name: [] for name in ways}
        walls: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.rounds):
            for name, start in ways.items():
                used, began = cpu(), time.perf_counter()
                start(rcfile, env)
                walls[name].append(time.perf_counter() - began)
                cpus[name].append(cpu() - used)
    print(f"runner of {size} MB (rss), {args.rounds} starts each, load {os.getloadavg()[0]:.1f}")
    for name in ways:
        print(
            f"  {name:22} CPU {statistics.median(cpus[name]) * 1000:6.2f} ms"
            f"  wall {statistics.median(walls[name]) * 1000:6.2f} ms"
        )
    now, before = (statistics.median(cpus[name]) for name in ways)
    print(f"  CPU a start: {now / before:.2f}x pexpect's")
    del ballast
    return 0


if __name__ == "__main__":
    sys.exit(main())
