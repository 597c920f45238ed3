"""``workshop mock env|state|reset|stop`` and ``workshop record``: the offline foundation.

``eval "$(workshop mock env --lesson dev-prod-parity)"`` turns any bash into a learner's
mock shell (private ``cf``, ``http_proxy`` to the app router, ``cd`` to the working
folder); ``state`` shows the simulated foundation, ``reset`` restores a lesson's start,
``stop`` ends the router. ``record PATH`` runs a workshop's protocol live and records its
``recorded:`` programs into ``PATH/recordings/``; ``record --out FILE -- COMMAND`` captures
one real command into a recording.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from workshop.errors import UsageError, WorkshopError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``mock`` (with its sub-commands) and ``record`` to the command line."""
    mock = sub.add_parser("mock", help="the offline cf foundation: env, state, reset, stop")
    msub = mock.add_subparsers(dest="mock_command", metavar="SUBCOMMAND")
    mock.set_defaults(handler=lambda args: _help(mock))

    def common(p: argparse.ArgumentParser, lesson: bool) -> None:
        p.add_argument(
            "--home", type=Path, metavar="DIR", help="the mock home (default: per workshop)"
        )
        p.add_argument(
            "--workshop", type=Path, metavar="PATH", help="workshop folder (default: bundled)"
        )
        if lesson:
            p.add_argument("--lesson", metavar="ID", help="start from this lesson's state")

    env = msub.add_parser("env", help='print export lines for eval "$(workshop mock env)"')
    common(env, True)
    env.add_argument("--reset", action="store_true", help="re-initialise an existing home")
    env.set_defaults(handler=run_env)

    state = msub.add_parser("state", help="show the simulated foundation")
    common(state, False)
    state.add_argument("--json", action="store_true", help="the raw state.json")
    state.set_defaults(handler=run_state)

    reset = msub.add_parser("reset", help="restore the starting state of a lesson")
    common(reset, True)
    reset.set_defaults(handler=run_reset)

    stop = msub.add_parser("stop", help="stop the app router of a mock home")
    common(stop, False)
    stop.set_defaults(handler=run_stop)

    record = sub.add_parser(
        "record",
        help="record a workshop's recorded programs live (PATH), or one command (--out)",
        description="workshop record PATH [--lesson ID]: run the workshop's protocol live "
        "(each lesson's setup; each step's checks before, solve, checks after) and record "
        "every call of its `recorded:` programs into PATH/recordings/<lesson>.yaml. "
        "workshop record --out FILE -- COMMAND...: run one command and append it to FILE.",
    )
    record.add_argument(
        "--out", type=Path, metavar="FILE", help="append one command's recording to FILE"
    )
    record.add_argument(
        "--lesson", metavar="ID", action="append", help="only this lesson (repeatable)"
    )
    record.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="longest a command may run while recording (default: 60)",
    )
    record.add_argument("argv", nargs=argparse.REMAINDER, metavar="PATH | -- COMMAND ...")
    record.set_defaults(handler=run_record)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _workshop(args: argparse.Namespace) -> Any:
    from workshop.content.cache import load_workshop_cached
    from workshop.paths import bundled_workshop

    # not strict: a lint problem elsewhere in the workshop (a check, a hint) must not keep
    # the mock from starting; what cannot be read at all still raises
    return load_workshop_cached(args.workshop or bundled_workshop(), strict=False)


def _home(args: argparse.Namespace, workshop: Any | None) -> Path:
    """``--home``, or the home of the workshop's id (what ``workshop run`` uses too)."""
    from workshop.mock.env import check_home
    from workshop.paths import mock_home

    if args.home is not None:
        return check_home(args.home)
    if workshop is None:
        workshop = _workshop(args)
    return check_home(mock_home(workshop.id))


def _existing_home(args: argparse.Namespace) -> Path:
    from workshop.mock.env import is_new

    home = _home(args, None)
    if is_new(home):
        raise UsageError(f"no mock foundation in {home} (run `workshop mock env` first)")
    return home


def _start(workshop: Any, lesson_id: str | None) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    if not lesson_id:
        return None, dict(workshop.mock)
    return workshop.lesson(lesson_id).start, dict(workshop.mock)


def run_env(args: argparse.Namespace) -> int:
    """Prepare the home and print the shell's export lines."""
    from workshop.mock.env import export_lines, mock_environment

    workshop = _workshop(args)
    home = _home(args, workshop)
    start, settings = _start(workshop, args.lesson)
    from workshop.engine.mockshell import recordings_folder, workshop_tools
    from workshop.mock.env import is_new, prepare_home

    tools = workshop_tools(workshop)
    recordings = recordings_folder(workshop)
    origin = {"workshop": str(workshop.root), "lesson": args.lesson}
    if args.reset or is_new(home):
        prepare_home(home, start, settings, reset=True, origin=origin, tools=tools,
                     recorded=workshop.recorded, recordings=recordings)  # fmt: skip
    env = mock_environment(
        home,
        start,
        settings,
        recordings=recordings,
        tools=tools,
        recorded=workshop.recorded,
    )
    if workshop.recorded and workshop.lessons:
        from workshop.mock.recorded import enter_lesson
        from workshop.mock.replayer import read_state

        lesson = args.lesson or read_state(str(home))[0] or workshop.lessons[0].id
        enter_lesson(home, lesson)
    sys.stdout.write(export_lines(env, home))
    return 0


def run_reset(args: argparse.Namespace) -> int:
    """Restore the start of ``--lesson`` (default: the lesson the home was made from)."""
    from workshop.mock.env import ORIGIN_FILE, prepare_home

    home = _home(args, None)
    lesson = args.lesson
    if lesson is None and args.workshop is None:
        try:
            origin = json.loads((home / ORIGIN_FILE).read_text())
            lesson = origin.get("lesson")
            if origin.get("workshop"):
                args.workshop = Path(origin["workshop"])
        except (OSError, ValueError):
            pass
    workshop = _workshop(args)
    if args.home is None:
        home = _home(args, workshop)
    if args.home is None:
        from workshop.engine.holder import refuse_while_held

        refuse_while_held(workshop.id, "reset the mock")
    start, settings = _start(workshop, lesson)
    origin = {"workshop": str(workshop.root), "lesson": lesson}
    from workshop.engine.mockshell import recordings_folder, workshop_tools

    prepare_home(
        home,
        start,
        settings,
        reset=True,
        origin=origin,
        tools=workshop_tools(workshop),
        recorded=workshop.recorded,
        recordings=recordings_folder(workshop),
    )
    if workshop.recorded and workshop.lessons:
        from workshop.mock.recorded import enter_lesson

        enter_lesson(home, lesson or workshop.lessons[0].id)
    what = f"lesson {lesson}" if lesson else "an empty foundation"
    print(f"Mock foundation in {home} reset to the start of {what}.")
    return 0


def run_stop(args: argparse.Namespace) -> int:
    """Stop the router; exit 0 also when none was running."""
    from workshop.mock.router import stop_router

    if args.home is None:
        from workshop.engine.holder import refuse_while_held

        refuse_while_held(_workshop(args).id, "stop the mock")
    home = _home(args, None)
    print("Router stopped." if stop_router(home) else "No router was running.")
    return 0


def run_state(args: argparse.Namespace) -> int:
    """Print the foundation (or the raw JSON)."""
    from workshop.mock import state as mock_state
    from workshop.mock.router import router_status

    home = _existing_home(args)
    try:
        data = mock_state.load(home)
    except mock_state.StateError as exc:
        print(f"workshop mock state: {exc}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(describe(data, home, router_status(home) or _held(home)))
    return 0


def _held(home: Path) -> dict[str, Any] | None:
    """``{"port", "holder"}`` when a process (a learner's session) holds the router's port
    and starts the router at the first request; else None."""
    from workshop.mock.router.info import holder_alive, read_info

    info = read_info(home)
    if info and holder_alive(info):
        return {"port": info.get("port"), "holder": info.get("holder")}
    return None


def describe(state: dict[str, Any], home: Path, router: dict[str, Any] | None) -> str:
    """A readable summary of the simulated foundation."""
    out = [f"Mock home: {home}"]
    api = state.get("api")
    out.append(
        f"API:       {api['url']} (API version: {api['version']})" if api else "API:       not set"
    )
    session = state.get("session") or {}
    out.append(f"User:      {session.get('user') or 'not logged in'}")
    out.append(f"Target:    org {session.get('org') or '-'} / space {session.get('space') or '-'}")
    out.append(f"Domain:    {state.get('domain')}")
    if router and router.get("pid"):
        out.append(f"Router:    http://127.0.0.1:{router['port']} (pid {router['pid']})")
    elif router:
        out.append(
            f"Router:    http://127.0.0.1:{router['port']} (starts at the first request; "
            f"the port is held by process {router['holder']})"
        )
    else:
        out.append("Router:    not running")
    for org_name, org in (state.get("orgs") or {}).items():
        out.append(f"\norg {org_name}")
        for space_name, space in (org.get("spaces") or {}).items():
            out.append(f"  space {space_name}")
            for si, svc in (space.get("services") or {}).items():
                kind = (
                    "user-provided"
                    if svc.get("user_provided")
                    else f"{svc.get('service')} {svc.get('plan')}"
                )
                bound = ", ".join(svc.get("bound_apps") or []) or "no apps"
                out.append(f"    service {si}: {kind} (bound to {bound})")
            for name, app in (space.get("apps") or {}).items():
                running = len(app.get("instance_addrs") or [])
                out.append(
                    f"    app {name}: {app.get('state')}, {running}/{app.get('instances')} running, "
                    f"{app.get('memory')}M, routes: {', '.join(app.get('routes') or []) or 'none'}"
                )
                if app.get("services"):
                    out.append(f"      services: {', '.join(app['services'])}")
                for key, value in (app.get("env") or {}).items():
                    note = (
                        ""
                        if (app.get("running_env") or {}).get(key) == value
                        else "  (not yet in effect: restart or restage)"
                    )
                    out.append(f"      env {key}={value}{note}")
                for key in app.get("running_env") or {}:
                    if key not in (app.get("env") or {}):
                        out.append(f"      env {key} removed (still in effect until restart)")
    return "\n".join(out) + "\n"


def run_record(args: argparse.Namespace) -> int:
    """``record PATH``: record a workshop live; ``record --out FILE -- COMMAND``: one command."""
    if args.out is None:
        return _record_workshop(args)
    from workshop.mock.record import record

    argv = list(args.argv)
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        raise UsageError("give the command to record after --, e.g. record --out x.yaml -- cf apps")
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "a", encoding="utf-8"):
            pass  # writable before the command runs, not after
    except OSError as exc:
        raise WorkshopError(f"cannot write the cassette {args.out}: {exc.strerror}") from None
    try:
        return record(args.out, argv)
    except FileNotFoundError:
        raise WorkshopError(f"command not found: {argv[0]}") from None


class _RecordArguments(argparse.ArgumentParser):
    """The arguments after ``record PATH``: a mistake is a usage error, said once."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(
            f"{message}; usage: workshop record PATH [--lesson ID] [--timeout SECONDS] "
            "(or: workshop record --out FILE -- COMMAND ...)"
        )


def _record_workshop(args: argparse.Namespace) -> int:
    """Run the workshop's protocol live and write its recordings; 1 when a step failed."""
    from workshop.content import load_workshop
    from workshop.engine.recording import record_live, write_recordings
    from workshop.engine.selftest import StepOutcome, format_table

    # options after PATH land in argv (it takes the rest of the line, for `-- COMMAND`)
    rest = _RecordArguments(prog="workshop record", add_help=False)
    rest.add_argument("path")
    rest.add_argument("--lesson", action="append")
    rest.add_argument("--timeout", type=float)
    late = rest.parse_args([w for w in args.argv if w != "--"])
    args.lesson = (args.lesson or []) + (late.lesson or []) or None
    if late.timeout is not None:
        args.timeout = late.timeout
    words = [late.path]
    if not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, not {args.timeout:g}")
    workshop = load_workshop(Path(words[0]).absolute())
    for lesson_id in args.lesson or []:
        workshop.lesson(lesson_id)

    def progress(outcome: StepOutcome) -> None:
        print("." if outcome.ok else "F", end="", file=sys.stderr, flush=True)

    print(
        f"Recording {', '.join(workshop.recorded)} live in {workshop.title} ...",
        file=sys.stderr,
    )
    recorded = record_live(workshop, args.lesson, on_step=progress, timeout=args.timeout)
    print(file=sys.stderr)
    print(format_table(recorded.report))
    for path in write_recordings(workshop, recorded):
        calls = len(recorded.entries[path.stem])
        print(f"wrote {path} ({calls} call{'s' if calls != 1 else ''})")
    for clash in recorded.clashes:
        print(f"workshop: {clash}", file=sys.stderr)
    if not recorded.report.ok:
        print(
            "Some steps failed while recording: check the recordings before you commit them.",
            file=sys.stderr,
        )
        return 1
    return 1 if recorded.clashes else 0
