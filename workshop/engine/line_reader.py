"""Lines of the line mode's piped stdin, read so that a signal always reaches the runner.

Python runs a signal's handler (Ctrl-C's ``KeyboardInterrupt``, SIGTERM's and SIGHUP's
ending) in the main thread only, when it next runs Python code; the kernel hands a
process's signal to any of its threads that does not block it (the shell's reader, the
check workers). A main thread blocked in ``read`` on a pipe that stays open is not woken by
a signal another thread took, so ``workshop run --plain`` fed by a pipe could ignore Ctrl-C
until its next line came. :func:`stdin_lines` waits for input in short ``select`` rounds
instead, and comes back to Python between them.
"""

from __future__ import annotations

import codecs
import io
import os
import select
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TextIO

WAKE_SECONDS = 0.1
"""The longest a signal waits for the main thread while no input comes."""


def stdin_lines(stream: TextIO) -> Iterator[str]:
    """The lines of ``stream`` as iterating over it gives them (``\\n``-ended, universal
    newlines, the stream's encoding; the last one without a newline when the input has
    none), read from its descriptor in rounds of at most :data:`WAKE_SECONDS`. A stream
    without a descriptor (a test's ``StringIO``) is read as it is."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        yield from stream
        return
    decoder = codecs.getincrementaldecoder(stream.encoding or "utf-8")(stream.errors or "strict")
    newlines = io.IncrementalNewlineDecoder(decoder, translate=True)
    pending = ""
    while True:
        ready, _, _ = select.select([fd], [], [], WAKE_SECONDS)
        if not ready:
            continue
        data = os.read(fd, 65536)
        pending += newlines.decode(data, final=not data)
        *lines, pending = pending.split("\n")
        yield from (line + "\n" for line in lines)
        if not data:
            if pending:
                yield pending
            return
