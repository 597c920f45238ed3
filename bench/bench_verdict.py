"""Enter → verdict: how long after Enter a learner sees a step's verdict (budget 1.3×).

The engine: a real ``LearnerSession`` on ``workshop/bundled/12factor``, lesson ``dev-prod-parity``,
mock mode, each round in its own fresh ``WORKSHOP_HOME``. For each command of each step (the
URL step's is ``curl -s URL``) the command text is typed with ``type_keys``; once the shell
has echoed it the clock starts and Enter is sent, and it stops when the listener receives
the ``CheckCompleted`` event for that command. That is what a learner sees.

The baseline, measured in the same run: a bare ``ShellSession`` on its own fresh mock home
with the session's environment (``mock_shell_environment``), where for each command one line
runs the command and then, one after another, the distinct commands its step's checks run
(``command:`` checks their command; ``http:`` as ``curl -s -o /dev/null URL``; ``script:``
checks the script with its args and the ``WORKSHOP_*`` variables the engine gives scripts;
checks that read the output run nothing), timed from sending the line to its end. That is
the least the verdict can cost: the command and its checks, with no engine around them.

Both run quiet, then both again beside a CPU hog (one ``python -c "while True: pass"`` for
the duration of the loaded rounds). Engine and baseline rounds alternate, so drift hits
both. Prints per-command medians and, over all commands, the median and p90 of each and
their ratio. Run: ``python bench/bench_verdict.py`` (``BENCH_ROUNDS`` rounds of each per
phase, default 12, about 70 s on two cores).
"""

from __future__ import annotations

import contextlib
import math
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
_ROOT = Path(tempfile.mkdtemp(prefix="bench-verdict-"))
os.environ["WORKSHOP_HOME"] = str(_ROOT / "home-0")  # before anything reads workshop paths

from workshop.content import load_workshop  # noqa: E402
from workshop.content.model import Step, Workshop  # noqa: E402
from workshop.engine import events as ev  # noqa: E402
from workshop.engine.foundation import WORK_DIR_VARIABLE  # noqa: E402
from workshop.engine.mockshell import mock_shell_environment  # noqa: E402
from workshop.engine.session import LearnerSession  # noqa: E402
from workshop.engine.steps import rendered_step, template_values  # noqa: E402
from workshop.mock.router import stop_router  # noqa: E402
from workshop.progress import ProgressStore  # noqa: E402
from workshop.shell import ShellSession  # noqa: E402
from workshop.shell.ansi import strip_ansi  # noqa: E402

WORKSHOP = REPO / "workshop" / "bundled" / "12factor"
LESSON = "dev-prod-parity"
BUDGET = 1.3
TIMEOUT = 60.0
ROWS, COLS = 30, 200  # wide enough that no typed command wraps


@dataclass(frozen=True)
class Typed:
    """One command a learner types, on its step (rendered)."""

    step: Step
    label: str
    command: str


def typed_commands(workshop: Workshop) -> list[Typed]:
    """Every command of the lesson, in order."""
    values = template_values(workshop)
    out: list[Typed] = []
    for raw in workshop.lesson(LESSON).steps:
        step = rendered_step(raw, values)
        commands = step.commands
        if step.kind == "url" and step.url:
            commands = [f"curl -s {step.url}"]
        for index, command in enumerate(commands):
            label = step.id + (f" #{index + 1}" if len(commands) > 1 else "")
            out.append(Typed(step, label, command))
    return out


def check_lines(step: Step, command: str, output: Path) -> list[str]:
    """The distinct shell lines that run what ``step``'s checks run after ``command``
    (``output``: the file a script gets as ``WORKSHOP_OUTPUT``)."""
    env = {
        "WORKSHOP_STEP": step.id,
        "WORKSHOP_COMMAND": command,
        "WORKSHOP_EXIT_CODE": "0",
        "WORKSHOP_OUTPUT": str(output),
        "WORKSHOP_MODE": "mock",
    }
    prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    lines: list[str] = []
    for spec in step.checks:
        if spec.kind == "command":
            line = f"{spec.params['command']} >/dev/null 2>&1"
        elif spec.kind == "http":
            line = f"curl -s -o /dev/null {shlex.quote(str(spec.params['url']))}"
        elif spec.kind == "script":
            argv = [str(spec.params["path"]), *map(str, spec.params.get("args", []) or [])]
            line = f"{prefix} {shlex.join(argv)} >/dev/null 2>&1"
        else:  # exit code, output regex, similar output: they read what is there
            continue
        if line not in lines:
            lines.append(line)
    return lines


def shared_durations(verdict: ev.CheckCompleted) -> list[float]:
    """How long the ``command:`` checks took whose line an earlier check of the same verdict
    ran: near zero when a shared command runs once."""
    seen: set[str] = set()
    out: list[float] = []
    for result in verdict.results:
        if result.check.kind != "command":
            continue
        line = str(result.check.params.get("command", ""))
        if line in seen:
            out.append(result.duration)
        seen.add(line)
    return out


class Listener:
    """The session's subscriber: terminal text, and each verdict with the time it came."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.output: list[str] = []
        self.verdicts: list[tuple[float, ev.CheckCompleted]] = []
        self.finished: list[float] = []
        self.problems: list[str] = []

    def __call__(self, event: ev.Event) -> None:
        now = time.perf_counter()
        with self.cond:
            if isinstance(event, ev.CheckCompleted):
                self.verdicts.append((now, event))
            elif isinstance(event, ev.CommandFinished):
                self.finished.append(now)
            elif isinstance(event, ev.OutputReceived):
                self.output.append(event.text)
            elif isinstance(event, ev.SessionProblem):
                self.problems.append(event.message)
            self.cond.notify_all()

    def wait(self, probe: Callable[[], bool], what: str) -> None:
        """Wait until ``probe()`` holds (checked under the lock)."""
        with self.cond:
            if not self.cond.wait_for(lambda: probe() or bool(self.problems), TIMEOUT):
                raise RuntimeError(f"timed out waiting for {what}")
            if self.problems:
                raise RuntimeError(f"session problem: {self.problems[0]}")

    def wait_echo(self, seen: int, text: str) -> None:
        """Wait until the terminal text after the first ``seen`` pieces shows ``text``."""
        self.wait(lambda: text in strip_ansi("".join(self.output[seen:])), f"the echo of {text!r}")

    def wait_verdict(self, judged: int, what: str) -> tuple[float, ev.CheckCompleted]:
        """The first verdict after the first ``judged`` ones, and when it came."""
        self.wait(lambda: len(self.verdicts) > judged, f"{what}'s verdict")
        return self.verdicts[judged]


@dataclass
class Samples:
    """Seconds per command label, engine and baseline."""

    engine: dict[str, list[float]] = field(default_factory=dict)
    baseline: dict[str, list[float]] = field(default_factory=dict)
    parts: list[tuple[float, float, float]] = field(default_factory=list)
    """Each engine verdict split: Enter → ``CommandFinished`` received (the store write of the
    command included), the checks' own time, and the rest (the engine's own work)."""
    shared: list[float] = field(default_factory=list)
    """Durations of ``command:`` checks whose line an earlier check of the round ran."""


@contextlib.contextmanager
def fresh_home(name: str) -> Iterator[Path]:
    """A new ``WORKSHOP_HOME`` for one round; its mock router is stopped and it is removed."""
    home = _ROOT / name
    home.mkdir()
    os.environ["WORKSHOP_HOME"] = str(home)
    try:
        yield home
    finally:
        stop_router(home / "mock")
        shutil.rmtree(home, ignore_errors=True)


def engine_round(workshop: Workshop, commands: list[Typed], name: str, into: Samples) -> None:
    """One pass through the lesson in a ``LearnerSession``: Enter → ``CheckCompleted``."""
    with fresh_home(name) as home:
        listener = Listener()
        store = ProgressStore()
        session = LearnerSession(
            workshop, LESSON, listener=listener, store=store, mock_home=home / "mock",
            fresh=True, rows=ROWS, cols=COLS,
        )  # fmt: skip
        try:
            session.start()
            session.settle()
            for typed in commands:
                if session.current_step.id != typed.step.id:
                    raise RuntimeError(f"on {session.current_step.id}, not {typed.step.id}")
                with listener.cond:
                    seen, judged = len(listener.output), len(listener.verdicts)
                session.type_keys(typed.command)
                listener.wait_echo(seen, typed.command)
                started = time.perf_counter()
                session.type_keys("\r")
                at, verdict = listener.wait_verdict(judged, typed.label)
                if verdict.step_id != typed.step.id or not (verdict.passed or verdict.pending):
                    raise RuntimeError(f"{typed.label}: unexpected verdict {verdict}")
                into.engine.setdefault(typed.label, []).append(at - started)
                ended = listener.finished[-1] - started
                checks = sum(result.duration for result in verdict.results)
                into.parts.append((ended, checks, at - started - ended - checks))
                into.shared += shared_durations(verdict)
                session.settle()  # the step change a pass causes is done before the next
        finally:
            session.close()
            store.close()


def baseline_round(workshop: Workshop, commands: list[Typed], name: str, into: Samples) -> None:
    """The same commands in a bare ``ShellSession``, each followed by its checks' commands."""
    with fresh_home(name) as home:
        lesson = workshop.lesson(LESSON)
        env, cwd = mock_shell_environment(
            workshop, lesson, home / "mock", template_values(workshop), reset=True
        )
        env[WORK_DIR_VARIABLE] = str(cwd)
        output = home / "output.txt"
        output.write_text("")
        shell = ShellSession(env=env, cwd=cwd, rows=ROWS, cols=COLS)
        try:
            shell.start()
            for typed in commands:
                checks = check_lines(typed.step, typed.command, output)
                line = " && ".join([typed.command, *checks])  # a failing check shows
                started = time.perf_counter()
                result = shell.run(line, timeout=TIMEOUT)
                elapsed = time.perf_counter() - started
                if result.exit_code != 0:
                    raise RuntimeError(f"baseline {typed.label} exited {result.exit_code}")
                into.baseline.setdefault(typed.label, []).append(elapsed)
        finally:
            shell.close()


@contextlib.contextmanager
def cpu_hog(on: bool) -> Iterator[None]:
    """One busy Python process beside the rounds (when ``on``), killed however they end."""
    if not on:
        yield
        return
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


def phase(workshop: Workshop, commands: list[Typed], rounds: int, loaded: bool) -> Samples:
    """``rounds`` engine and baseline rounds, alternating which goes first."""
    samples = Samples()
    tag = "loaded" if loaded else "quiet"
    with cpu_hog(loaded):
        warm = Samples()  # first of each: page cache, imports, router start
        engine_round(workshop, commands, f"{tag}-warm-e", warm)
        baseline_round(workshop, commands, f"{tag}-warm-b", warm)
        for index in range(rounds):
            runs = [engine_round, baseline_round]
            if index % 2:
                runs.reverse()
            for run in runs:
                run(workshop, commands, f"{tag}-{index}-{run.__name__}", samples)
    return samples


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * 0.9) - 1, 0)]


def report(title: str, commands: list[Typed], samples: Samples) -> None:
    """Per-command medians, then median and p90 over all commands, with the ratio."""
    ms = 1000.0
    print(f"\n{title}")
    print(f"{'command':48} {'engine ms':>10} {'bare ms':>9} {'ratio':>7}")
    for typed in commands:
        e = statistics.median(samples.engine[typed.label]) * ms
        b = statistics.median(samples.baseline[typed.label]) * ms
        print(f"{typed.label:48} {e:10.1f} {b:9.1f} {e / b:7.2f}")
    engine = [t for ts in samples.engine.values() for t in ts]
    bare = [t for ts in samples.baseline.values() for t in ts]
    for name, fn in (("median", statistics.median), ("p90", p90)):
        e, b = fn(engine) * ms, fn(bare) * ms
        verdict = "within" if e / b <= BUDGET else "OVER"
        print(
            f"{'all commands, ' + name:48} {e:10.1f} {b:9.1f} {e / b:7.2f}"
            f"  ({verdict} the {BUDGET}x budget)"
        )
    parts = [statistics.median(p[i] for p in samples.parts) * ms for i in range(3)]
    print(
        "engine, median split: Enter -> command finished {:.1f} ms, checks {:.1f} ms, "
        "the rest {:.1f} ms".format(*parts)
    )
    if samples.shared:
        print(
            f"checks sharing a command: {len(samples.shared)} second uses, the slowest "
            f"{max(samples.shared) * ms:.2f} ms (the command ran once)"
        )
    spread = [p90(ts) / statistics.median(ts) for ts in samples.baseline.values()]
    print(f"noise: the baseline's p90/median per command {min(spread):.2f}..{max(spread):.2f}")


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through every cleanup, like Ctrl-C


def main() -> int:
    """Measure quiet, then loaded; print both."""
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started ignoring it
    rounds = int(os.environ.get("BENCH_ROUNDS", "12"))
    began = time.perf_counter()
    try:
        workshop = load_workshop(WORKSHOP)
        commands = typed_commands(workshop)
        quiet = phase(workshop, commands, rounds, loaded=False)
        loaded = phase(workshop, commands, rounds, loaded=True)
    finally:
        shutil.rmtree(_ROOT, ignore_errors=True)
    took = time.perf_counter() - began
    print(f"Enter -> verdict, {LESSON}: {rounds} rounds of each per phase, {took:.0f} s in all")
    report("quiet", commands, quiet)
    report("beside a CPU hog (one busy process)", commands, loaded)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted: sessions closed, routers stopped, the CPU hog killed")
