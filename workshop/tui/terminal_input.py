"""What the TUI reads from the terminal it runs in: bytes that are not UTF-8 included.

Textual's Linux driver decodes the terminal's bytes strictly, so one byte that is not UTF-8
(a terminal set to another encoding, a paste cut in the middle of a character, a stray
escape) stops its input thread: its traceback is printed and the app ends, exit status 0
(Textual issue 6456, open). Until Textual replaces them itself, the driver's decoder
replaces them with U+FFFD, the way Python's own text streams do with ``errors="replace"``.
"""

from __future__ import annotations

import codecs
import functools


def read_any_bytes() -> None:
    """Make Textual's Linux driver replace bytes that are not UTF-8 instead of failing
    (every app of this process; call before the app runs)."""
    from textual.drivers import linux_driver

    def decoder(encoding: str) -> functools.partial[codecs.IncrementalDecoder]:
        return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")

    # the driver looks the name up each time its input thread starts
    setattr(linux_driver, "getincrementaldecoder", decoder)  # noqa: B010
