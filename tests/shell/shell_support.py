"""Helpers shared by the shell tests: a callback recorder and a polling wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from workshop.shell import CommandResult


@dataclass
class Recorder:
    """Everything a session reported through its callbacks, with the reporting threads."""

    output: list[str] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    finished: list[CommandResult] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def on_output(self, text: str) -> None:
        """Record display text."""
        with self.lock:
            self.output.append(text)
            self.threads.add(threading.current_thread().name)

    def on_started(self, command: str) -> None:
        """Record a command start."""
        with self.lock:
            self.started.append(command)
            self.threads.add(threading.current_thread().name)

    def on_finished(self, result: CommandResult) -> None:
        """Record a finished command."""
        with self.lock:
            self.finished.append(result)
            self.threads.add(threading.current_thread().name)

    def text(self) -> str:
        """All display text so far."""
        with self.lock:
            return "".join(self.output)


def wait_until(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """Poll ``predicate`` until it is true; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.005)
