"""The ``workshop`` command: parses arguments and hands off to ``workshop.commands``.

Each command group lives in its own module under ``workshop/commands/`` with a
``register(subparsers)`` function; this module only assembles them and turns every
expected failure into a message and an exit status (never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Sequence

from workshop.ending import leave_anyway
from workshop.errors import WorkshopError

# Command modules, in the order `workshop --help` lists them. Each is imported when the
# parser is built, so they must import only the standard library at module level.
COMMAND_MODULES = [
    "workshop.commands.run",
    "workshop.commands.content",
    "workshop.commands.new",
    "workshop.commands.schema",
    "workshop.commands.testing",
    "workshop.commands.progress",
    "workshop.commands.settings",
    "workshop.commands.mock",
    "workshop.commands.classroom",
]


ALONE = {
    "run": "workshop.commands.run",
    "show": "workshop.commands.content",
    "lint": "workshop.commands.content",
    "new": "workshop.commands.new",
    "schema": "workshop.commands.schema",
    "test": "workshop.commands.testing",
    "progress": "workshop.commands.progress",
    "reset": "workshop.commands.progress",
    "settings": "workshop.commands.settings",
    "mock": "workshop.commands.mock",
    "record": "workshop.commands.mock",
    "classroom": "workshop.commands.classroom",
}
"""The module that registers each command: when the command line starts with one, that
module alone is registered. Importing the nine groups and building their parsers is about
60 million instructions (some 20 ms of CPU) of every command's start: the learner's
``workshop run`` (measured against a bare Textual app), the instructor's ``classroom
serve``, an author's ``lint`` and ``test``, every ``mock env`` of a learner's shell. Help
and errors are the same; anything else (``--help``, a typo) gets every group."""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line, with a sub-command per module in ``COMMAND_MODULES`` (only the
    one module when ``argv`` starts with a command of :data:`ALONE`)."""
    import importlib

    parser = argparse.ArgumentParser(
        prog="workshop",
        description="Hands-on command-line workshops: lessons, a real terminal, checks, "
        "an offline mock of the tool, and a live classroom.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    alone = ALONE.get(argv[0]) if argv else None
    for name in [alone] if alone else COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command group not written yet
                continue
            raise
        module.register(sub)
    return parser


class _Version(argparse.Action):
    """``--version``: the package's version, read from its metadata only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        import workshop

        print(f"workshop {workshop.__version__}")
        parser.exit()


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (``kill``, a cancelled CI job, a closed terminal): the command ends
    as on Ctrl-C, its clean-up included (sandboxes, mock routers, the learner's shell),
    with status 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(_signum: int, _frame: object) -> None:
    leave_anyway(130)
    raise KeyboardInterrupt


def _terminate(signum: int, _frame: object) -> None:
    leave_anyway(128 + signum)
    raise Terminated(signum)


ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    previous = {}
    for signum in ENDING_SIGNALS:
        try:
            previous[signum] = signal.signal(signum, _terminate)
        except ValueError:  # not the main thread: the caller keeps its own handling
            pass
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        with contextlib.suppress(ValueError):
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, _interrupt)
    try:
        return int(args.handler(args) or 0)
    except WorkshopError as exc:
        print(f"workshop: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        name = signal.Signals(exc.signum).name if isinstance(exc, Terminated) else ""
        try:  # on a line of its own: Ctrl-C's ^C or a progress line may be on the current one
            print(f"\nworkshop: {'stopped by ' + name if name else 'interrupted'}", file=sys.stderr)
        except (OSError, ValueError):  # stderr closed or gone
            pass
        return 128 + exc.signum if isinstance(exc, Terminated) else 130
    except BrokenPipeError:
        return 1
    finally:
        for signum, kept in previous.items():
            signal.signal(signum, kept)


if __name__ == "__main__":
    sys.exit(main())
