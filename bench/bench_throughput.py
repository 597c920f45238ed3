"""Benchmark: how fast a flood of output reaches the screen in the TUI (prints figures).

``seq 1 100000`` is typed at the prompt of the learner's terminal pane, inside a real
terminal (tmux, private server), and the clock runs from Enter until the screen shows the
last line (``100000``) and the prompt after it. The baseline, measured in the same run, is
the same command in a bare tmux pane running bash. The CPU time each side used a run is
printed too (the TUI's process, all its threads; the tmux servers): unlike the wall time
it hardly moves with the load of a shared machine. Both at 80x24 and 160x45, on a quiet
machine and beside a CPU hog (one busy process per core). The two sides run in turns (a
bare run, a TUI run, …), each in its own tmux server, so that a shared machine's load
falls on both alike. Target: within 1.5x of the bare
pane quiet, 3x busy. Then: the scrollback of the pane keeps every line (the last 5000
lines the pane keeps hold 95001…100000 in order).

Between runs each side rests :data:`SETTLE` seconds after ``clear``: the runner judges
every command on its check worker (the check of ``clear`` starts a script and the cf mock),
and a run started at once measured the flood beside the previous command's checks.

Run: ``.venv/bin/python bench/bench_throughput.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tmux_support import Tmux  # noqa: E402

COUNT = 100_000
SIZES = [(80, 24), (160, 45)]
SETTLE = 1.0
"""Seconds each side rests between runs, after ``clear`` (the same for both)."""


def last_line_and_prompt(screen: str) -> bool:
    """The screen shows ``100000`` and, on a later line, a prompt."""
    lines = [line.strip(" │") for line in screen.splitlines()]
    try:
        at = max(i for i, line in enumerate(lines) if line.rstrip() == str(COUNT))
    except ValueError:
        return False
    return any(line.rstrip().endswith(("$", "#")) for line in lines[at + 1 :])


def timed_seq(tmux: Tmux) -> float:
    """Type the command, press Enter, poll the screen; seconds from Enter to done."""
    tmux.type(f"seq 1 {COUNT}", per_key=False)
    start = time.perf_counter()
    tmux.press("Enter")
    while True:
        if last_line_and_prompt(tmux.screen()):
            return time.perf_counter() - start
        if time.perf_counter() - start > 120:
            raise RuntimeError("seq never finished on screen:\n" + tmux.screen())
        time.sleep(0.005)


def prompt_shown(screen: str) -> bool:
    return any(line.strip(" │").rstrip().endswith(("$", "#")) for line in screen.splitlines())


def clear(tmux: Tmux) -> None:
    tmux.type("clear", per_key=False)
    tmux.press("Enter")
    tmux.wait_for(lambda s: str(COUNT) not in s and prompt_shown(s), "a cleared screen")
    time.sleep(SETTLE)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far, its ended threads included."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Side:
    """One side of the comparison in its own tmux server: the runs' times and CPU."""

    tmux: Tmux
    name: str
    """``bare`` or ``TUI``."""
    app: int | None = None
    """The TUI's process (None: the bare pane's bash)."""
    times: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds all runs (seq, then clear) cost: ``tmux`` and, for the TUI, ``app``."""

    def run(self) -> None:
        """Time one ``seq``, then clear the screen (and rest: see SETTLE)."""
        before = self._cpu()
        self.times.append(timed_seq(self.tmux))
        clear(self.tmux)
        for key, value in self._cpu().items():
            self.cpu[key] = self.cpu.get(key, 0.0) + value - before[key]

    def _cpu(self) -> dict[str, float]:
        server = self.tmux.server_pid
        now = {"tmux": cpu_seconds(server) if server else 0.0}
        if self.app is not None:
            now["app"] = cpu_seconds(self.app)
        return now


@contextmanager
def bare_side(size: tuple[int, int]) -> Iterator[Side]:
    """bash in a bare tmux pane."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        env = {"HOME": home, "TERM": "xterm-256color", "PS1": "bare $ ", "PATH": os.environ["PATH"]}
        with Tmux(prefix=f"bench-bare-{uuid.uuid4().hex[:6]}") as tmux:
            tmux.start("bash --norc --noprofile", *size, env, cwd=Path(home))
            tmux.wait_for(prompt_shown, "the bare prompt")
            yield Side(tmux, "bare")


@contextmanager
def tui_side(size: tuple[int, int]) -> Iterator[Side]:
    """The TUI on the dev/prod parity lesson, in a tmux pane of the same size."""
    from workshop.mock.router import stop_router

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        env = {
            "WORKSHOP_HOME": home,
            "HOME": home,
            "TERM": "xterm-256color",
            "PATH": os.environ["PATH"],
        }
        command = (
            f"{sys.executable} -m workshop run workshop/bundled/12factor --lesson dev-prod-parity"
        )
        try:
            with Tmux(prefix=f"bench-tui-{uuid.uuid4().hex[:6]}") as tmux:
                tmux.start(command, *size, env, cwd=ROOT)
                tmux.wait_for(lambda s: "Step 1 of 6" in s and prompt_shown(s), "the TUI", 60)
                app = int(tmux("display-message", "-p", "#{pane_pid}").strip())
                yield Side(tmux, "TUI", app)
        finally:
            for mock_home in (Path(home) / "state" / "mock").glob("*"):
                stop_router(mock_home)


def scrollback_kept(tmux: Tmux) -> bool:
    """Run seq once more, go to the top of the pane's scrollback (Shift+PgUp) and read it
    page by page down to the end: the last 5000 lines must all be there, in order."""
    tmux.type(f"seq 1 {COUNT}", per_key=False)
    tmux.press("Enter")
    tmux.wait_for(last_line_and_prompt, "seq's end", timeout=120)
    for _ in range(12):
        tmux.press(*["S-PageUp"] * 50)
    time.sleep(1)  # let the last page draw

    def page(screen: str) -> list[int]:
        return [int(t) for line in screen.splitlines() if (t := line.strip(" │")).isdigit()]

    seen: list[int] = []
    screen = tmux.screen()
    for _ in range(1200):
        numbers = page(screen)
        seen += [n for n in numbers if not seen or n > seen[-1]]
        if COUNT in numbers:
            break
        tmux.press("S-PageDown")
        screen = tmux.wait_for(lambda s, before=numbers: page(s) != before, "the next page")
        while (again := tmux.screen()) != screen:  # a frame read while drawn: read it whole
            screen = again
    whole = bool(seen) and seen[0] <= COUNT - 4999 and seen == list(range(seen[0], COUNT + 1))
    if not whole:
        gaps = [(a, b) for a, b in zip(seen, seen[1:], strict=False) if b != a + 1]
        print(f"    scrollback read from {seen[:1]} to {seen[-1:]}; gaps: {gaps[:5]}")
    return whole


class Hog:
    """One busy Python process per core, for the busy-machine figures."""

    def __enter__(self) -> Hog:
        self.procs = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(os.cpu_count() or 1)
        ]
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed: nothing measured")
        return
    print(f"seq 1 {COUNT}: Enter → last line and prompt on screen (median of {args.runs})")
    print(f"  (load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for busy in (False, True):
        for size in SIZES:
            with Hog() if busy else _nothing(), bare_side(size) as bare, tui_side(size) as tui:
                time.sleep(2 * SETTLE)  # the TUI's start (its mock's router) done
                for _ in range(args.runs):  # in turns, so that both meet the same load
                    bare.run()
                    tui.run()
                kept = None if busy else scrollback_kept(tui.tmux)
            base, full = statistics.median(bare.times), statistics.median(tui.times)
            label = f"{size[0]}x{size[1]}{' beside a CPU hog' if busy else ''}"
            target = 3.0 if busy else 1.5
            print(
                f"  {label:24s} bare tmux pane {base * 1000:7.0f} ms   TUI {full * 1000:7.0f} ms"
                f"   {full / base:5.2f}x (target <= {target}x)"
                + (f"   scrollback whole: {kept}" if kept is not None else "")
            )
            if not busy:
                runs = args.runs
                print(
                    f"  {'':24s} CPU a run (seq, then clear): bare pane's tmux"
                    f" {bare.cpu['tmux'] / runs * 1000:4.0f} ms;"
                    f" TUI {tui.cpu['app'] / runs * 1000:4.0f} ms"
                    f" + its tmux {tui.cpu['tmux'] / runs * 1000:3.0f} ms"
                )
    print(f"  (load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    main()
