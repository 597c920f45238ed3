"""``workshop run``: open a workshop in the learner's TUI (or ``--plain`` without one).

Only the standard library at import time: the CLI builds every parser on each start, and
Textual is imported by the handler alone.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

SWITCH_SECONDS = 0.0005
"""How long a thread of the TUI's process keeps the interpreter while another waits."""

FPS = 120
"""Screen updates a second at most (Textual's own default is 60; ``TEXTUAL_FPS`` in the
environment wins). An update waits for its slot after the one before: the prompt that
follows a flood of output, drawn 30 times a second, waited up to 17 ms for it."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``run`` to the command line."""
    run = sub.add_parser(
        "run",
        help="work through a workshop: lesson, steps, checks and a real terminal",
        description="Open a workshop (default: the bundled 12-factor workshop) where you "
        "left it. Mock mode (offline, simulated cf) unless --live.",
    )
    run.add_argument("path", nargs="?", type=Path, help="workshop folder (default: bundled)")
    run.add_argument("--lesson", metavar="ID", help="start at this lesson")
    run.add_argument("--live", action="store_true", help="use the real tool, not the offline mock")
    run.add_argument("--plain", action="store_true", help="no TUI: plain text in this terminal")
    run.add_argument(
        "--watch",
        action="store_true",
        help="reload the lessons and checks when their files change (for authors)",
    )
    run.add_argument(
        "--theme",
        choices=["dark", "light"],
        default=os.environ.get("WORKSHOP_THEME") or None,
        help="colour theme (default: the last one chosen with F12, else dark; env WORKSHOP_THEME)",
    )
    run.add_argument("--classroom", metavar="URL", help="report progress to this classroom")
    run.add_argument("--code", metavar="C", help="the classroom's join code")
    run.add_argument("--name", metavar="N", help="your name in the classroom")
    run.set_defaults(handler=run_workshop)


def run_workshop(args: argparse.Namespace) -> int:
    """Start the TUI (or the plain runner) and return the exit status."""

    if not args.plain and args.theme not in (None, "dark", "light"):
        from workshop.errors import UsageError

        raise UsageError(f"--theme: expected dark or light, got {args.theme!r}")
    if not args.plain and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # the TUI would draw into a pipe and wait for keys that never come
        print("workshop: not a terminal: running as with --plain", file=sys.stderr)
        args.plain = True
    if args.plain:
        from workshop.engine.plain import run_plain

        return int(run_plain(args) or 0)
    import gc
    import threading

    # Until the first screen is drawn, no collection of cyclic garbage: the start allocates
    # a few hundred thousand objects that all live on (modules, widgets, the course), and
    # the collector went through them about 180 times, some 50 ms of a start of 500.
    # It is back on once the app's first frame is out (WorkshopApp's ``first_frame``).
    gc.disable()
    from workshop.content.cache import fill_in_background
    from workshop.engine.launch import (
        choice,
        load_settings,
        open_session,
        remember,
        workshop_path,
    )

    # A first start parses the course in a child process while this one imports Textual.
    cached = fill_in_background(workshop_path(args))
    # Textual is imported before the session starts: its start (bash, the mock's router)
    # then runs while the app lays out and draws its first screen. Started before the
    # import, its Python work would share the interpreter with it and delay the screen.
    _import_textual(FPS)
    from workshop.tui.app import WorkshopApp
    from workshop.tui.bridge import EngineBridge, start_session
    from workshop.tui.terminal_input import read_any_bytes
    from workshop.tui.themes import DARK, LIGHT

    read_any_bytes()

    cached()

    # Three threads share the interpreter: the UI's loop, the shell's reader and the check
    # worker. Handing it over every 0.5 ms rather than every 5 keeps each from waiting long
    # for another (the reader reads a flood 4 KB at a time; a verdict keeps the worker busy
    # while the prompt that follows is drawn).
    sys.setswitchinterval(SWITCH_SECONDS)
    bridge = EngineBridge()
    # the pane's real size follows as soon as it is known
    rows, cols = _pane_size_guess()
    session = open_session(args, bridge, front_end="TUI", rows=rows, cols=cols)
    starter = threading.Thread(
        target=start_session, args=(session, bridge), name="workshop-session-start", daemon=True
    )
    starter.start()

    settings = load_settings()
    # the flag (or WORKSHOP_THEME) wins over the theme the learner last chose with F12
    named = args.theme or choice(settings, "theme")
    theme = LIGHT.name if named == "light" else DARK.name
    layout = choice(settings, "layout") or "auto"
    app = WorkshopApp(
        session,
        bridge,
        theme=theme,
        session_starting=True,
        layout=layout,
        remember=remember,
        first_frame=collect_again,
    )
    try:
        app.run()
    finally:
        starter.join(timeout=15)
        session.close()
    code = app.return_code or 0
    if code > 128:  # SIGTERM or SIGHUP ended the app (see WorkshopApp.on_mount)
        import signal

        with contextlib.suppress(OSError, ValueError):  # a closed terminal
            print(f"workshop: stopped by {signal.Signals(code - 128).name}", file=sys.stderr)
    return code


def collect_again() -> None:
    """Collect cyclic garbage again, as Python does by default. (Not ``gc.freeze()`` of
    what the start made: the learner's shell would never be collected, and a TUI ended by
    SIGTERM then took seconds to exit.)"""
    import gc

    gc.enable()


def _import_textual(fps: int) -> None:
    """Import Textual with ``fps`` screen updates a second at most, unless the environment
    says otherwise (Textual reads ``TEXTUAL_FPS`` once, as it is imported); the variable
    is not left behind for the learner's shell."""
    own = "TEXTUAL_FPS" not in os.environ
    if own:
        os.environ["TEXTUAL_FPS"] = str(fps)
    try:
        import textual.constants  # noqa: F401
    finally:
        if own:
            del os.environ["TEXTUAL_FPS"]


def _pane_size_guess() -> tuple[int, int]:
    """Roughly the terminal pane's size in this terminal (rows, cols), before layout."""
    import shutil

    size = shutil.get_terminal_size((120, 40))
    return max(5, int((size.lines - 2) * 0.55) - 2), max(20, size.columns - 2)
