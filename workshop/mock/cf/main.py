"""Entry point of the fake cf: global options, help, dispatch, state and cassette replay.

Why: every mock command goes through here, so this module decides the order cf v6.16.1's
``main.go`` checks things in (help words and version → ``-h`` anywhere, which becomes
``cf help CMD`` → registered command → flags → argument count → requirements, in the
command's order → the simulation, or the offline message for a command the mock does not
simulate), holds the state lock for the command's duration, and lets a recorded cassette
(``workshop.mock.replay``) replace the simulated output.
Only the standard library and the one command module needed are imported.
"""

from __future__ import annotations

import os
import sys

from workshop.mock import state as st
from workshop.mock.cf.args import UsageProblem, parse
from workshop.mock.cf.context import Context
from workshop.mock.cf.specs import BUILD_LINE, BY_NAME, VERSION_LINE, Spec, help_text
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
        code = _main(argv)
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
        damaged = _damage()
        if damaged:  # a field of the state with a type the mock does not expect: say so
            _emit(f"FAILED\n{damaged}\n")
            return 1
        _emit(f"FAILED\nInternal error in the offline cf mock: {type(exc).__name__}: {exc}\n")
        return 1
    if code:  # a command may fail for a field it read as nothing ("No space targeted")
        damaged = _damage()
        if damaged:
            _emit(f"{damaged}\n")
    return code


def _damage() -> str | None:
    """What is wrong with the state's fields (:func:`workshop.mock.state.check_fields`), or
    None. Asked only after a command failed: every call checking would slow them all."""
    try:
        st.check_fields(mock_home())
    except st.StateError as damaged:
        return str(damaged)
    except Exception:  # noqa: BLE001 - the command's own answer stands
        return None
    return None


def _die_by_sigint() -> None:
    """Exit as a Go program killed by SIGINT would (the shell shows 130), no traceback."""
    try:
        sys.stdout.flush()
    except Exception:  # noqa: BLE001
        pass
    import signal  # not at start-up: it imports enum

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)


def _main(argv: list[str]) -> int:
    """cf v6.16.1's main.go: help words, version, ``-h`` anywhere, then the command."""
    ui = UI()
    if not argv or argv[0] in HELP_WORDS:
        _emit(help_text(ui.header if ui.color else None))
        return 0
    if len(argv) == 1 and argv[0] in ("-v", "--version"):
        _emit(VERSION_LINE)
        return 0
    if len(argv) == 1 and argv[0] in ("-b", "--build"):
        _emit(BUILD_LINE)
        return 0
    if any(word in ("-h", "--help", "--h") for word in argv[1:]):
        # cf rewrites ``cf CMD WORD… -h`` to ``cf help CMD WORD…`` minus WORD (sic)
        argv = ["help", argv[0], *argv[2:]]
    spec = BY_NAME.get(argv[0])
    if spec is None:
        _emit(f"'{argv[0]}' is not a registered command. See 'cf help'\n")
        return 1
    try:
        opts, args = parse(spec, argv[1:])
    except UsageProblem as problem:
        _emit(f"{ui.paint('FAILED', 31)}\nIncorrect Usage\n\n{problem}\n\n" + spec.help)
        return 1
    if spec.name == "help":
        return _help(ui, args)
    why = _count_problem(spec, opts, args)
    if why is not None:
        _emit(f"{ui.paint('FAILED', 31)}\n{why}")
        return 1
    return _run(ui, spec, opts, args, argv)


def _count_problem(spec: Spec, opts: dict[str, Any], args: list[str]) -> str | None:
    """What follows ``FAILED`` when cf refuses these arguments, None when fine."""
    if spec.name == "set-health-check" and len(args) == 2:
        # the real message carries its newlines escaped and then the usage (sic)
        return None if args[1] in ("port", "none") else spec.count_problem(2)
    if spec.name == "migrate-service-instances" and len(args) == 5:
        return None
    if spec.name == "config" and opts:
        return None
    why = spec.count_problem(len(args))
    return None if why is None else f"{why}\n\n{spec.help}"


def _help(ui: UI, words: list[str]) -> int:
    if not words:
        _emit(help_text(ui.header if ui.color else None))
        return 0
    spec = BY_NAME.get(words[0])
    if spec is None:
        _emit(
            f"{ui.paint('FAILED', 31)}\n'{words[0]}' is not a registered command. See 'cf help'\n"
        )
        return 1
    _emit(spec.help)
    return 0


def _requirements(ctx: Context, spec: Spec, opts: dict[str, Any]) -> None:
    """cf's requirement checks, in order: api and login only say, the others fail."""
    for need in spec.requirements:
        if need.startswith("?"):  # only with a flag: "?FLAG?REQUIREMENT"
            flag, _, need = need[1:].partition("?")
            if flag not in opts:
                continue
        if need.startswith("!"):  # only without a flag: "!FLAG!REQUIREMENT"
            flag, _, need = need[1:].partition("!")
            if flag in opts:
                continue
        if need.startswith(("min:", "max:")):
            ctx.need_api_version(*need.split(":", 2))
        elif need == "api":
            ctx.need_api()
        elif need == "login":
            if ctx.state.get("api"):
                ctx.need_login()
            else:
                ctx.need_api()
        elif need == "org":
            ctx.need_org()
        elif need == "space":
            ctx.need_space()
    ctx.checked = True


def _handler(spec: Spec) -> Any:
    module, _, func = spec.handler.partition(":")
    return getattr(__import__(f"workshop.mock.cf.{module}", fromlist=[func]), func)


def _run(ui: UI, spec: Spec, opts: dict[str, Any], args: list[str], argv: list[str]) -> int:
    home = mock_home()
    if not spec.handler or (spec.name == "logs" and not opts.get("recent")):
        ctx = Context(ui, st.load(home), home)
        try:
            if spec.handler:  # cf logs APP: tails until Ctrl-C, printing as it goes
                _requirements(ctx, spec, opts)
                from workshop.mock.cf import commands_logs

                _emit(ui.output())
                ui.parts.clear()
                return commands_logs.tail(ctx, args[0])
            from workshop.mock.cf import commands_offline

            commands_offline.before_requirements(ctx, spec.name, args)
            _requirements(ctx, spec, opts)
            code = commands_offline.offline(ctx, spec.name, opts, args)
        except Failed:
            code = 1
        except Exit as stop:
            code = stop.code
        _emit(ui.output())
        return code
    handler = _handler(spec)
    with st.locked(home):
        state, before = st.load_text(home)
        ctx = Context(ui, state, home)
        try:
            _requirements(ctx, spec, opts)
            code = int(handler(ctx, opts, args) or 0)
        except Failed:
            code = 1
        except Exit as stop:
            code = stop.code
        st.save_if_changed(home, state, before)
    if ctx.session_changed:
        from workshop.mock.cf import config

        config.write(home, state)
    if ui.interactive:  # it prompted: everything is already on the terminal, no replay
        return code
    return _show(ui, home, argv, before, code)


def _show(ui: UI, home: str, argv: list[str], before: str, code: int) -> int:
    """Print the simulation's output, or a recorded cassette's instead when one matches."""
    output = ui.output()
    chosen = None
    if _may_have_cassettes(home):
        from workshop.mock import replay

        try:
            from workshop.mock import jsonlite as json

            state_before = json.loads(before) if before else st.initial_state(None, None)
            chosen = replay.choose(home, ["cf", *argv], state_before, output, code)
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
