"""``python -m workshop.mock.router --home DIR [--port N] [--idle SECONDS] [--detach]``.

Runs the mock router of one mock home in the foreground, or with ``--detach`` as a daemon
(double fork, own session, output to ``DIR/router.log``) so it survives the shell that
started it. :func:`workshop.mock.router.ensure_router` is the usual way to start it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and serve until idle."""
    parser = argparse.ArgumentParser(prog="python -m workshop.mock.router")
    parser.add_argument("--home", type=Path, required=True, help="the mock home (DIR)")
    parser.add_argument("--port", type=int, default=0, help="0: the previous port, else any")
    parser.add_argument("--idle", type=float, default=None, help="idle shutdown, seconds")
    parser.add_argument("--detach", action="store_true", help="run in the background")
    parser.add_argument(
        "--requested", type=float, default=0, help="epoch time the start was asked for"
    )
    args = parser.parse_args(argv)
    home = args.home.resolve()
    if not home.is_dir():
        print(f"workshop mock router: no such mock home: {home}", file=sys.stderr)
        return 2
    idle = args.idle
    if idle is None:
        idle = float(os.environ.get("WORKSHOP_MOCK_ROUTER_IDLE") or 30 * 60)
    if args.detach:
        if os.fork():
            os._exit(0)  # the first child ends: the starter's wait() returns at once
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(home / "router.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.chdir("/")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    from workshop.mock.router.listen import serve

    serve(home, args.port, idle, args.requested)
    return 0


if __name__ == "__main__":
    sys.exit(main())
