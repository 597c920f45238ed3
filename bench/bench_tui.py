"""Benchmark of the learner's TUI (prints figures, asserts nothing).

1. Start-up: from process start to the first interactive lesson screen (step text drawn and
   the shell's prompt in the terminal pane), for ``workshop run workshop/bundled/12factor --lesson
   dev-prod-parity`` (fresh WORKSHOP_HOME each run, so the mock is set up every time) and,
   as the baseline measured in the same run, a bare Textual app with the same widgets
   (header, option list, heading, Markdown, commands, check panel, a static "terminal",
   Textual's own footer with the same keys) showing the same text, which the benchmark
   works out beforehand so that the
   baseline loads no workshop (a cost only the runner has). Both run in a real PTY
   (120x40) read through pyte; the clock stops when the screen shows both "Step 1 of 6"
   and a prompt. The bare app updates the screen as often as the runner's Textual does
   (``TEXTUAL_FPS``: the runner's ``FPS``). Target: within 1.2x of the bare app. Both start from bytecode (see
   :func:`bench_startup`), and the CPU time each app's process used until then is printed
   too: unlike the wall time, it hardly moves with the load of a shared machine.
2. Key echo while ``seq 1 200000`` floods the terminal pane: the real app (headless, real
   bash, real mock), a key pressed through Pilot, timed until the shell's echo has reached
   the pane's screen model and until the next frame is drawn after it. Idle echo is the
   baseline. Target: under 50 ms. Also how long ``seq`` took to stream through.

Run: ``.venv/bin/python bench/bench_tui.py`` (``--bare-app`` runs the baseline app alone).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 11
"""Start-ups of each app: one start of the same bare app takes from 380 to 640 ms on a
shared virtual machine, so a median of five moved the ratio by a tenth from run to run."""
SEQ_RUNS = 5
ROWS, COLS = 40, 120
STEP_TEXT = "Step 1 of 6"
END = "\n200000\r"
"""The last line of ``seq 1 200000`` in the raw output (not the echo of the command)."""


# --- 1. start-up -----------------------------------------------------------------------


def screen_texts() -> dict[str, object]:
    """What the first lesson screen shows, worked out once by the benchmark itself, so the
    baseline app draws the same text without loading a workshop (a cost only the runner has)."""
    from textual.binding import Binding

    from workshop.content import load_workshop
    from workshop.tui.app import WorkshopApp
    from workshop.tui.screens.lesson import LessonScreen
    from workshop.tui.widgets.lesson_view import step_commands, step_markdown

    workshop = load_workshop(ROOT / "workshop" / "bundled" / "12factor")
    lesson = workshop.lesson("dev-prod-parity")
    step = lesson.steps[0]
    return {
        "header": f" {workshop.title}  ›  {lesson.title}",
        "steps": [f"▶ {n}. {s.title}" for n, s in enumerate(lesson.steps, 1)],
        "heading": f"Step 1 of {len(lesson.steps)}: {step.title}",
        "markdown": step_markdown(step),
        "commands": step_commands(step).plain,
        # the footer's keys: the lesson screen's, then the app's, as the runner shows them
        "keys": [
            [b.key, b.description]
            for b in [*LessonScreen.BINDINGS, *WorkshopApp.BINDINGS]
            if isinstance(b, Binding) and b.show
        ],
    }


def bare_app(texts_file: str) -> None:
    """The baseline: the same widgets with the same text, and no engine, shell or mock."""
    import json

    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.widgets import Footer, Markdown, OptionList, Static

    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))

    class Bare(App[None]):
        ENABLE_COMMAND_PALETTE = False  # as the runner: its key would be one more widget
        BINDINGS = [  # one action per key, as the footer shows one key per action
            Binding(key, f"nothing({key!r})", description) for key, description in texts["keys"]
        ]
        CSS = (
            "#top { height: 45%; } OptionList { width: 32; } #check { height: auto; }"
            " #term { height: 1fr; border: round $primary; }"
        )

        def compose(self) -> ComposeResult:
            yield Static(texts["header"])
            with Horizontal(id="top"):
                yield OptionList(*texts["steps"])
                with Vertical():
                    yield Static(texts["heading"])
                    with VerticalScroll():
                        yield Markdown(texts["markdown"])
                    yield Static(texts["commands"])
                    with VerticalScroll(id="check"):
                        yield Static("Run the command in the terminal below.")
            yield Static("~/work$ ", id="term")
            yield Footer()

        def action_nothing(self, key: str) -> None:
            """What every key of the footer does here."""

    Bare().run()


CPU_SECONDS: list[float] = []
"""CPU time the app's own process had used when it was ready, one entry per start."""


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (Linux: /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time_to_ready(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn until the screen shows the step text and a prompt (the app's
    CPU time by then goes to CPU_SECONDS)."""
    import pexpect
    import pyte

    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.Stream(screen)
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(ROWS, COLS), encoding="utf-8")
    try:
        deadline = start + 60
        while time.perf_counter() < deadline:
            try:
                stream.feed(child.read_nonblocking(65536, timeout=0.05))
            except pexpect.TIMEOUT:
                pass
            text = "\n".join(screen.display)
            if STEP_TEXT in text and any(
                line.rstrip(" │").rstrip().endswith(("$", "#")) and "│" in line
                for line in screen.display[15:]
            ):
                ready = time.perf_counter() - start
                CPU_SECONDS.append(_cpu_seconds(child.pid))
                return ready
        raise RuntimeError("the screen never became ready:\n" + "\n".join(screen.display))
    finally:
        child.terminate(force=True)


def _stop_routers(home: Path) -> None:
    """Stop the mock's app routers started under ``home`` (they outlive the app)."""
    from workshop.mock.router import stop_router

    for mock_home in (home / "state" / "mock").glob("*"):
        if mock_home.is_dir():
            stop_router(mock_home)


def bench_startup() -> None:
    """Median of RUNS start-ups of each app, alternating."""
    import compileall

    # Both apps start from bytecode, as an installed copy does: Textual's was compiled when
    # it was installed, and with PYTHONDONTWRITEBYTECODE set (or a read-only checkout) the
    # runner would compile its own hundred modules on every start, a cost users never pay.
    compileall.compile_dir(ROOT / "workshop", quiet=1)
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
    python = sys.executable
    workshop_times: list[float] = []
    resume_times: list[float] = []
    bare_times: list[float] = []
    texts = Path(tempfile.mkdtemp()) / "screen.json"
    import json

    texts.write_text(json.dumps(screen_texts()), encoding="utf-8")
    bare_cpu: list[float] = []
    resume_cpu: list[float] = []
    from workshop.commands.run import FPS

    bare_env = dict(env, TEXTUAL_FPS=str(FPS))  # the runner's Textual runs at FPS
    for _ in range(RUNS):
        bare_times.append(_time_to_ready([python, __file__, "--bare-app", str(texts)], bare_env))
        bare_cpu.append(CPU_SECONDS[-1])
        with tempfile.TemporaryDirectory() as home:
            run_env = dict(env, WORKSHOP_HOME=home)
            argv = [
                python,
                "-m",
                "workshop",
                "run",
                str(ROOT / "workshop" / "bundled" / "12factor"),
            ]
            argv += ["--lesson", "dev-prod-parity"]
            try:
                workshop_times.append(_time_to_ready(argv, run_env))
                resume_times.append(_time_to_ready(argv, run_env))
                resume_cpu.append(CPU_SECONDS[-1])
            finally:
                _stop_routers(Path(home))
    bare = statistics.median(bare_times)
    full = statistics.median(workshop_times)
    print(f"start-up to the first interactive lesson screen (median of {RUNS}, 120x40 PTY)")
    print(f"  bare Textual app, same widgets : {bare * 1000:7.0f} ms")
    print(f"  workshop run (mock, fresh home): {full * 1000:7.0f} ms")
    resume = statistics.median(resume_times)
    print(f"  ratio                          : {full / bare:7.2f}x  (target <= 1.2x)")
    print(f"  workshop run again (resume)    : {resume * 1000:7.0f} ms  ({resume / bare:.2f}x)")
    own, base = statistics.median(resume_cpu), statistics.median(bare_cpu)
    print(
        f"  CPU time of the app's process  : {own * 1000:7.0f} ms resuming, bare app"
        f" {base * 1000:.0f} ms ({own / base:.2f}x; the machine's load does not change it)"
    )
    print(f"  (load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


# --- 2. key echo under a flood -----------------------------------------------------------


async def _echo_latency() -> None:
    from textual import events

    from workshop.content import load_workshop
    from workshop.engine.session import LearnerSession
    from workshop.tui.app import WorkshopApp
    from workshop.tui.bridge import EngineBridge, SessionUp
    from workshop.tui.screens.lesson import LessonScreen
    from workshop.tui.widgets.terminal import TerminalView

    started: list[object] = []

    class Bridge(EngineBridge):
        def __call__(self, event):  # type: ignore[no-untyped-def]
            if isinstance(event, SessionUp):
                started.append(event)
            super().__call__(event)

    bridge = Bridge()
    session = LearnerSession(
        load_workshop(ROOT / "workshop" / "bundled" / "12factor"),
        "dev-prod-parity",
        listener=bridge,
    )
    app = WorkshopApp(session, bridge)
    frames: list[float] = []
    original = TerminalView._build_strips

    def timed_build(self):  # type: ignore[no-untyped-def]
        frames.append(time.perf_counter())
        return original(self)

    TerminalView._build_strips = timed_build  # type: ignore[method-assign]

    async def wait(condition, timeout=30.0):  # type: ignore[no-untyped-def]
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise RuntimeError("timed out")
            await asyncio.sleep(0.001)

    async with app.run_test(size=(COLS, ROWS)):
        await wait(lambda: started)
        screen = next(s for s in app.screen_stack if isinstance(s, LessonScreen))
        model = screen.terminal.model
        fed: list[tuple[float, str]] = []
        feed = model.feed

        def timed_feed(text: str) -> None:
            feed(text)
            fed.append((time.perf_counter(), text))

        model.feed = timed_feed  # type: ignore[method-assign]
        await wait(
            lambda: (
                model.text_lines()
                and any(line.rstrip().endswith(("#", "$")) for line in model.text_lines())
            )
        )

        async def echo(key: str) -> tuple[float, float]:
            mark = len(fed)
            t0 = time.perf_counter()
            # What the terminal driver does with a key: an event to the app, which hands it
            # to the focused widget (Pilot's press would also wait for the app to go idle).
            app.post_message(events.Key(key, key))
            await wait(lambda: any(key in text for _, text in fed[mark:]), timeout=10)
            t_echo = next(t for t, text in fed[mark:] if key in text)
            await wait(lambda: frames and frames[-1] >= t_echo, timeout=10)
            t_frame = next(t for t in frames if t >= t_echo)
            return t_echo - t0, t_frame - t0

        await asyncio.sleep(0.5)  # let the first step's checkpoint and drawing settle
        idle = [await echo(k) for k in "abcdefghij"]
        for _ in range(10):
            app.post_message(events.Key("backspace", None))
        await asyncio.sleep(0.2)

        busy: list[tuple[float, float]] = []
        seq_times: list[float] = []
        for _ in range(SEQ_RUNS):
            marker = len(fed)
            bytes_before = model.bytes_fed
            t_seq = time.perf_counter()
            screen.type_into_shell("seq 1 200000\r")
            await wait(lambda m=marker: any("\n1000\r" in text for _, text in fed[m:]))
            for key in "QWERTYUIOPZXCVBNMASDFGHJKL":
                if any(END in text for _, text in fed[marker:]):
                    break
                busy.append(await echo(key))
            await wait(lambda m=marker: any(END in text for _, text in fed[m:]), timeout=120)
            seq_times.append(time.perf_counter() - t_seq)
            rate = (model.bytes_fed - bytes_before) / seq_times[-1]
            screen.type_into_shell("\x15")  # drop the keys typed during the flood
            await asyncio.sleep(0.3)
        seq_seconds = statistics.median(seq_times)
    TerminalView._build_strips = original  # type: ignore[method-assign]

    def ms(values: list[float]) -> str:
        return (
            f"median {statistics.median(values) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms"
        )

    print(
        "key echo (key event → echo in the pane's model → next frame drawn), headless app, real bash"
    )
    print(f"  idle shell    : model {ms([a for a, _ in idle])};  frame {ms([b for _, b in idle])}")
    if busy:
        print(
            f"  seq 1 200000  : model {ms([a for a, _ in busy])};  frame {ms([b for _, b in busy])}  ({len(busy)} keys)"
        )
    else:
        print("  seq 1 200000  : finished before a key could be timed")
    print(
        f"  seq 1 200000 streamed through the pane in {seq_seconds:.2f} s (median of {SEQ_RUNS}; {rate / 1e6:.1f} MB/s fed)"
    )
    print(f"  (load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def bench_echo() -> None:
    """Run the echo benchmark in a fresh WORKSHOP_HOME."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["WORKSHOP_HOME"] = home
        try:
            asyncio.run(_echo_latency())
        finally:
            _stop_routers(Path(home))


if __name__ == "__main__":
    if "--bare-app" in sys.argv:
        bare_app(sys.argv[sys.argv.index("--bare-app") + 1])
    else:
        bench_startup()
        bench_echo()
