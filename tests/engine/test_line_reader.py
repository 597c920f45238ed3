"""The line mode reads its piped lines so that Ctrl-C is never lost.

Python acts on a signal in the main thread only, and the kernel may hand a process's signal
to any of its threads (the shell's reader, the check workers): a main thread blocked in a
``read`` of stdin then never wakes to act on it, and ``workshop run --plain`` with a pipe
that stays open ignored Ctrl-C and SIGTERM (``test_plain_interrupt`` hung, now and then).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import pytest

from workshop.engine.line_reader import stdin_lines


@contextmanager
def pipe() -> Iterator[tuple[IO[str], int]]:
    """A text stream to read (as stdin) and the write end's descriptor, both closed after."""
    read, write = os.pipe()
    try:
        with open(read, encoding="utf-8") as stream:
            yield stream, write
    finally:
        os.close(write)


def test_a_signal_handed_to_another_thread_ends_the_wait_for_a_line() -> None:
    with pipe() as (stream, _write):  # the write end stays open: no line, no end
        # SIGINT delivered to this other thread, as the kernel may do for the process's
        caught = threading.Timer(
            0.2, lambda: signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        )
        caught.start()
        with pytest.raises(KeyboardInterrupt):
            next(stdin_lines(stream))
        caught.join()


def test_lines_come_whole_across_reads_and_the_last_one_without_its_newline() -> None:
    read, write = os.pipe()
    with open(read, encoding="utf-8") as stream:
        lines = stdin_lines(stream)
        os.write(write, "échoïng one\r\ntw".encode())
        assert next(lines) == "échoïng one\n"
        os.write(write, "o\n\xc3".encode("latin-1"))
        assert next(lines) == "two\n"
        os.write(write, b"\xa9 three")  # the rest of "é", split between two reads
        os.close(write)  # the end of the input
        assert list(lines) == ["é three"]
