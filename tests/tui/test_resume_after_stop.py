"""A SIGCONT takes the terminal back only after a stop.

A closed terminal sends SIGCONT with its SIGHUP. Textual took the gone terminal back on it:
a second output thread, dead on its first write, whose full queue held the app's exit until
the clean-up deadline (the TUIs that outlived their tmux server in the tests).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from workshop.tui.app import resume_only_after_a_stop


@pytest.fixture
def heard() -> Iterator[list[str]]:
    """Stand-ins for Textual's SIGTSTP and SIGCONT handlers, recording what reached them."""
    calls: list[str] = []
    kept = {s: signal.getsignal(s) for s in (signal.SIGTSTP, signal.SIGCONT)}
    signal.signal(signal.SIGTSTP, lambda *_: calls.append("stop"))
    signal.signal(signal.SIGCONT, lambda *_: calls.append("resume"))
    try:
        yield calls
    finally:
        for signum, handler in kept.items():
            signal.signal(signum, handler)


def test_a_sigcont_without_a_stop_is_ignored_and_one_after_a_stop_resumes(
    heard: list[str],
) -> None:
    resume_only_after_a_stop()
    signal.raise_signal(signal.SIGCONT)  # a hung-up terminal's
    assert heard == []
    on_stop = signal.getsignal(signal.SIGTSTP)
    assert callable(on_stop)
    on_stop(signal.SIGTSTP, None)  # Ctrl+Z (not raised: it would stop the test run)
    signal.raise_signal(signal.SIGCONT)  # `fg`
    signal.raise_signal(signal.SIGCONT)  # a stray one after it
    assert heard == ["stop", "resume"]
