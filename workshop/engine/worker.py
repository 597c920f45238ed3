"""``CheckWorker``: the one thread a session's checks run on, in the order they were asked.

Checks never run on the shell's reader thread (output keeps streaming while they run), and
one worker keeps verdicts in command order. :meth:`CheckWorker.settle` waits for everything
asked so far: the line mode reads its next line only once the verdict is in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class CheckWorker:
    """Runs jobs one after another on a thread; a failing job is reported, never raised."""

    def __init__(self, on_error: Callable[[Exception], None]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checks")
        self._on_error = on_error
        self._lock = threading.Lock()
        self._inflight: list[Future[None]] = []
        self._closed = False

    def submit(self, job: Callable[[], None]) -> None:
        """Run ``job`` after the jobs before it (nothing once shut down)."""

        def run() -> None:
            try:
                job()
            except Exception as exc:  # a broken check must not kill the worker
                self._on_error(exc)

        with self._lock:
            if self._closed:
                return
            self._inflight = [f for f in self._inflight if not f.done()]
            self._inflight.append(self._pool.submit(run))

    def settle(self, timeout: float | None = 60) -> None:
        """Wait (each job at most ``timeout`` seconds) until every job asked so far is done."""
        with self._lock:
            waiting = list(self._inflight)
        for future in waiting:
            try:
                future.result(timeout=timeout)
            except Exception:  # a cancelled job, or a timeout: nothing more to wait for
                pass

    def shutdown(self) -> None:
        """Stop taking jobs and drop those not started."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
