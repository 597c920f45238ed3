"""``serve --workers N``: several server processes on one machine, one listening socket.

The parent binds the port, prints the banner, then forks N workers that each open their
own connection pool to the shared PostgreSQL database and accept connections from the
same socket (the kernel hands each new connection to one of them); they keep in step
through the database (:mod:`workshop.classroom.fanout`). Each worker is a process group
of its own, so Ctrl-C reaches the parent once and the parent stops them all; a worker
that dies is started again.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("workshop.classroom")


def _fork(run_one: Callable[[], int]) -> int:
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        status = run_one()
    except KeyboardInterrupt:
        status = 0
    except BaseException as exc:  # noqa: BLE001 - one line, then the parent starts another
        print(f"classroom worker {os.getpid()}: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def run_workers(count: int, run_one: Callable[[], int]) -> int:
    """Run ``run_one`` in ``count`` child processes until interrupted; restart any that dies."""
    stopping = False

    def stop(sig: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(pids):
            try:
                os.kill(pid, signal.SIGINT)
            except ProcessLookupError:
                pass

    pids: set[int] = set()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        pids.update(_fork(run_one) for _ in range(count))
        while pids:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            pids.discard(pid)
            if not stopping:
                print(f"classroom worker {pid} ended ({status}); starting another",
                      file=sys.stderr)  # fmt: skip
                time.sleep(0.5)
                pids.add(_fork(run_one))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
