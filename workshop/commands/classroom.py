"""``workshop classroom serve|watch``: the instructor's server and terminal view.

Only argument parsing lives here; the server (uvicorn, Starlette) and the watch view are
imported inside the handlers so ``workshop --help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from workshop.errors import UsageError

TOKEN_ENV = "WORKSHOP_CLASSROOM_TOKEN"  # also in workshop.classroom.serve (kept light here)


def _serve(args: argparse.Namespace) -> int:
    from workshop.classroom.serve import ServeOptions, serve

    return serve(ServeOptions(host=args.host, port=args.port, db=args.db, code=args.code,
                              token=args.token, share_output=args.share_output,
                              workshop=args.path, room=args.room,
                              per_address=args.per_address,
                              offline_after=args.offline_after,
                              workers=args.workers, max_learners=args.max_learners,
                              head_timeout=args.head_timeout,
                              dashboard_queue=args.dashboard_queue))  # fmt: skip


def _watch(args: argparse.Namespace) -> int:
    from workshop.classroom.watch import watch

    token = args.token or os.environ.get(TOKEN_ENV)
    if not token:
        raise UsageError(f"watch needs the instructor token: --token TOKEN or {TOKEN_ENV}")
    return watch(args.url, token, once=args.once, interval=args.interval,
                 lesson=args.lesson)  # fmt: skip


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number < 1e6:
        raise argparse.ArgumentTypeError(f"must be positive: {value!r}")
    return number


def _learners(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise argparse.ArgumentTypeError(f"give 1 to 100000 learners, not {value!r}")
    return int(value)


def _queue(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 1_000_000:
        raise argparse.ArgumentTypeError(f"give 1 to 1000000 events, not {value!r}")
    return int(value)


def _workers(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError(f"give 1 to 64 processes, not {value!r}")
    return int(value)


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range: {port}")
    return port


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``classroom`` with its ``serve`` and ``watch`` sub-commands."""
    parser = subparsers.add_parser(
        "classroom", help="run a live classroom (instructor)",
        description="The instructor's side: a server learners report to, and views of the room.",
    )  # fmt: skip
    sub = parser.add_subparsers(dest="classroom_command", metavar="ACTION")

    def _usage(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    parser.set_defaults(handler=_usage)

    serve = sub.add_parser(
        "serve", help="start the classroom server and print the join code and token",
        description="Start the classroom server for a workshop. Prints the join URL and the "
        "learners' join code (safe to project), then the instructor's private link. Code and "
        f"token are kept in the room's database, so a restart keeps them. The token may also "
        f"come from {TOKEN_ENV}.",
    )  # fmt: skip
    serve.add_argument("path", type=Path, nargs="?", metavar="PATH",
                       help="the workshop whose lessons the room follows (default: the bundled one)")  # fmt: skip
    serve.add_argument("--room", metavar="NAME",
                       help="one room per cohort: its own database, with fresh codes")  # fmt: skip
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)",
    )
    serve.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0: any free)")
    serve.add_argument(
        "--db",
        metavar="URL",
        help="database: a file path or sqlite:///path (default: the data dir), or "
        "postgresql://user@host/dbname for several server instances sharing one room",
    )
    serve.add_argument("--code", help="the learners' join code (default: generated)")
    serve.add_argument(
        "--token", help=f"the instructor token (default: {TOKEN_ENV}, else generated)"
    )
    serve.add_argument("--per-address", type=int, default=128, metavar="N",
                       help="connections one address may hold (default 128; raise it when a "
                       "whole class shares one NAT address)")  # fmt: skip
    serve.add_argument("--offline-after", type=_positive, default=30.0, metavar="SECONDS",
                       help="a learner not heard from for this long is shown offline (default 30)")  # fmt: skip
    serve.add_argument("--max-learners", type=_learners, default=1000, metavar="N",
                       help="learners the room takes (default 1000)")  # fmt: skip
    serve.add_argument("--workers", type=_workers, default=1, metavar="N",
                       help="server processes sharing the port (default 1; more than one "
                       "needs a postgresql:// --db)")  # fmt: skip
    serve.add_argument("--head-timeout", type=_positive, default=5.0, metavar="SECONDS",
                       help="a connection that has not sent a whole request head within this "
                       "time is closed (default 5; raise it for very slow links)")  # fmt: skip
    serve.add_argument("--dashboard-queue", type=_queue, default=2000, metavar="N",
                       help="events held for a dashboard that stopped reading; past that, it "
                       "reads the rest from the database when it reads again (default 2000)")  # fmt: skip
    serve.add_argument("--share-output", action="store_true",
                       help="ask learners' runners to send command output too")  # fmt: skip
    serve.set_defaults(handler=_serve)

    watch = sub.add_parser(
        "watch", help="the room's grid and stuck list in this terminal",
        description="Show the learners × steps grid, the stuck radar and the help queue.",
    )  # fmt: skip
    watch.add_argument("url", help="the classroom server, e.g. http://127.0.0.1:8765")
    watch.add_argument("--token", help=f"the instructor token (default: {TOKEN_ENV})")
    watch.add_argument("--once", action="store_true", help="print one snapshot and exit")
    watch.add_argument("--interval", type=float, default=2.0, help="seconds between refreshes")
    watch.add_argument("--lesson", help="lesson to show (default: where most learners are)")
    watch.set_defaults(handler=_watch)
