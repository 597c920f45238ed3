"""Entry point of the fake cf: global options, help, dispatch, state and cassette replay.

Why: every mock command goes through here, so this module decides the order cf v6 checks
things in (version/help → registered command → ``-h`` → flags → argument count →
requirements inside the command), holds the state lock for the command's duration, and
lets a recorded cassette (``workshop.mock.replay``) replace the simulated output.
Only the standard library and the one command module needed are imported.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from workshop.mock import state as st
from workshop.mock.cf.args import UsageProblem, parse
from workshop.mock.cf.context import Context
from workshop.mock.cf.specs import BY_NAME, Spec, usage_block
from workshop.mock.cf.ui import UI, Exit, Failed, _emit

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

HELP_WORDS = ("-h", "--help", "-help", "--h")


def mock_home() -> str:
    """``$WORKSHOP_MOCK_HOME``, else ``$CF_HOME``, else the 12-factor mock home of paths.py.

    A plain string: pathlib is not imported on the start-up path.
    """
    value = os.environ.get("WORKSHOP_MOCK_HOME") or os.environ.get("CF_HOME")
    if value:
        return os.path.expanduser(value)
    from workshop import paths

    return str(paths.mock_home("12factor"))


def main(argv: list[str]) -> int:
    """Run ``cf *argv`` and return its exit status (Ctrl-C ends it like a signal does)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        _die_by_sigint()
        return 130
    except st.StateError as exc:
        _emit(f"FAILED\n{exc}\n")
        return 1
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 1
    except Exception as exc:  # noqa: BLE001 - a learner must never see a traceback
        if os.environ.get("WORKSHOP_MOCK_DEBUG"):
            raise
        _emit(f"FAILED\nInternal error in the offline cf mock: {type(exc).__name__}: {exc}\n")
        return 1


def _die_by_sigint() -> None:
    """Exit as a Go program killed by SIGINT would (the shell shows 130), no traceback."""
    try:
        sys.stdout.flush()
    except Exception:  # noqa: BLE001
        pass
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)


def _main(argv: list[str]) -> int:
    ui = UI()
    if not argv or argv[0] in HELP_WORDS or argv[0] in ("help", "h"):
        return _help(ui, argv[1:] if argv and argv[0] in ("help", "h") else [])
    first = argv[0]
    if len(argv) == 1 and first in ("-v", "--version"):
        from workshop.mock.cf.helptext import VERSION

        _emit(f"cf version {VERSION}\n")
        return 0
    if len(argv) == 1 and first in ("-b", "--build"):
        _emit("cf was built with Go version: go1.5.3\n")  # UNVERIFIED Go version
        return 0
    spec = BY_NAME.get(first)
    if spec is None:
        from workshop.mock.cf import helptext

        if first in helptext.all_commands():
            _emit(
                f"{ui.paint('FAILED', 31)}\n'cf {first}' is not available in the offline workshop mock.\n"
            )
        else:
            _emit(f"'{first}' is not a registered command. See 'cf help'\n")
        return 1
    rest = argv[1:]
    if any(word in HELP_WORDS for word in rest):
        _emit(usage_block(spec, ui))
        return 0
    try:
        opts, args = parse(spec, rest)
    except UsageProblem as problem:
        _emit(f"{ui.paint('FAILED', 31)}\nIncorrect Usage\n\n{problem}\n\n" + usage_block(spec, ui))
        return 1
    low, high = spec.args
    if not low <= len(args) <= high:
        reason = f"Incorrect Usage. {spec.arg_reason}" if spec.arg_reason else "Incorrect Usage."
        _emit(f"{ui.paint('FAILED', 31)}\n{reason}\n\n" + usage_block(spec, ui))
        return 1
    return _run(ui, spec, opts, args, argv)


def _help(ui: UI, words: list[str]) -> int:
    if not words:
        from workshop.mock.cf import helptext

        _emit(helptext.render(ui.header))
        return 0
    spec = BY_NAME.get(words[0])
    if spec is None:
        from workshop.mock.cf import helptext

        description = helptext.description(words[0])
        if description is None:
            _emit(
                f"{ui.paint('FAILED', 31)}\n'{words[0]}' is not a registered command. See 'cf help'\n"
            )
            return 1
        # A real cf command the mock does not simulate: its name and purpose only
        # (UNVERIFIED usage line, kept to the command name).
        spec = Spec(words[0], description, f"cf {words[0]}")
    _emit(usage_block(spec, ui))
    return 0


def _handler(spec: Spec) -> Any:
    module, _, func = spec.handler.partition(":")
    return getattr(__import__(f"workshop.mock.cf.{module}", fromlist=[func]), func)


def _run(ui: UI, spec: Spec, opts: dict[str, Any], args: list[str], argv: list[str]) -> int:
    home = mock_home()
    if spec.name == "logs" and not opts.get("recent"):
        from workshop.mock.cf import commands_logs

        return commands_logs.tail(Context(ui, st.load(home), home), args[0])
    handler = _handler(spec)
    with st.locked(home):
        if not os.path.exists(os.path.join(home, st.STATE_FILE)):
            st.save(home, st.load(home))
        state = st.load(home)
        before = st.dumps(state)
        ctx = Context(ui, state, home)
        try:
            code = int(handler(ctx, opts, args) or 0)
        except Failed:
            code = 1
        except Exit as stop:
            code = stop.code
        if st.dumps(state) != before:
            st.save(home, state)
    if ctx.session_changed:
        from workshop.mock.cf import config

        config.write(home, state)
    if ui.interactive:  # it prompted: everything is already on the terminal, no replay
        return code
    return _show(ui, home, argv, json.loads(before), code)


def _show(ui: UI, home: str, argv: list[str], before: dict[str, Any], code: int) -> int:
    """Print the simulation's output, or a recorded cassette's instead when one matches."""
    output = ui.output()
    chosen = None
    if _may_have_cassettes(home):
        from pathlib import Path

        from workshop.mock import replay

        try:
            chosen = replay.choose(Path(home), ["cf", *argv], before, output, code)
        except Exception:  # a broken cassette must not hide the simulation's output
            if os.environ.get("WORKSHOP_MOCK_DEBUG"):
                raise
            chosen = None
    if chosen is None:
        _emit(output)
        return code
    import time

    chunks, recorded_code = chosen
    for delay, text in chunks:
        if delay > 0:
            time.sleep(delay)
        _emit(text)
    return recorded_code


def _may_have_cassettes(home: str) -> bool:
    """Fast path: replay finds recordings only in $WORKSHOP_MOCK_RECORDINGS and
    DIR/recordings (its docstring); with neither there is nothing to match, nothing to import."""
    return bool(os.environ.get("WORKSHOP_MOCK_RECORDINGS")) or os.path.isdir(
        os.path.join(home, "recordings")
    )
