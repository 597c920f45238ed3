"""The one matcher of recorded calls: which recording answers a command, and what follows.

Both consumers of recordings use it: the replay shim of a ``recorded:`` program
(:mod:`workshop.mock.replayer`) and the fake ``cf``'s overlay of recorded output
(:mod:`workshop.mock.replay`). It runs on every replayed command, so it imports nothing
but ``os``.

An entry (a dict, see :mod:`workshop.mock.cassette`) fits a command when its ``argv``
matches word for word; ``{{name}}`` in an entry's word matches any text and binds ``name``.
The program is compared by its base name. Entries form scenarios, the way WireMock's do:

- an entry with a ``state`` was recorded in that scenario state of its lesson; one with a
  ``then`` moves the scenario there when it answers (a state-changing call: a solve's or a
  setup's), one without leaves it (a check's read);
- :func:`select` prefers an entry recorded in the current state (a state-changing one over
  a read: the same call in the same state answers the same, and moving on keeps the
  replay on the recorded path); else the read recorded last at an earlier state (what has
  not changed since answers as it did); else an entry with no ``state`` (recorded outside
  the protocol: answers in any state).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing's: importing typing costs more than a replay itself
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    Entry = dict[str, Any]
    T = TypeVar("T")


def match_argv(pattern: Sequence[str], words: Sequence[str]) -> dict[str, str] | None:
    """The ``{{name}}`` bindings when ``words`` match ``pattern`` word for word, else None."""
    if len(pattern) != len(words):
        return None
    bound: dict[str, str] = {}
    for pat, word in zip(pattern, words, strict=True):
        start = pat.find("{{")
        end = pat.find("}}", start + 2) if start >= 0 else -1
        if start < 0 or end < 0:
            if pat != word:
                return None
            continue
        prefix, name, suffix = pat[:start], pat[start + 2 : end].strip(), pat[end + 2 :]
        if "{{" in suffix:
            return None  # one placeholder per word
        fits = word.startswith(prefix) and word.endswith(suffix)
        if not fits or len(word) < len(prefix) + len(suffix):
            return None
        value = word[len(prefix) : len(word) - len(suffix)]
        if not value or bound.setdefault(name, value) != value:
            return None
    return bound


def argv_fits(entry: Entry, argv: Sequence[str]) -> dict[str, str] | None:
    """``match_argv`` on the whole command line, the program compared by its base name."""
    pattern = entry["argv"]
    if not argv or os.path.basename(pattern[0]) != os.path.basename(argv[0]):
        return None
    return match_argv(pattern[1:], argv[1:])


def select(
    entries: Sequence[Entry],
    argv: Sequence[str],
    state: int,
    accept: Callable[[Entry, dict[str, str]], T | None] | None = None,
) -> tuple[Entry, T | dict[str, str]] | None:
    """The entry that answers ``argv`` in scenario ``state`` and what ``accept`` made of it
    (by default the argv bindings); None when no entry fits. ``accept`` may refuse an entry
    (None) for reasons of its own consumer (the cf simulation's exit code and target)."""

    def fits(entry: Entry) -> Any:
        bound = argv_fits(entry, argv)
        if bound is None:
            return None
        return accept(entry, bound) if accept is not None else bound

    read: tuple[Entry, Any] | None = None
    for entry in entries:  # recorded in this very state: a move first, else a read
        if entry.get("state") == state:
            made = fits(entry)
            if made is not None and entry.get("then") is not None:
                return entry, made
            if made is not None and read is None:
                read = (entry, made)
    if read is not None:
        return read
    best: tuple[Entry, Any] | None = None
    for entry in entries:  # a read recorded last before it: nothing changed it since
        recorded = entry.get("state")
        if recorded is None or recorded > state or entry.get("then") is not None:
            continue
        if best is not None and best[0]["state"] > recorded:
            continue
        made = fits(entry)
        if made is not None:
            best = (entry, made)
    if best is not None:
        return best
    for entry in entries:  # recorded outside the protocol: any state
        if entry.get("state") is None:
            made = fits(entry)
            if made is not None:
                return entry, made
    return None


def expected(entries: Sequence[Entry], program: str, state: int) -> list[list[str]]:
    """What the recording has for ``program`` in ``state``: its state-changing calls there
    (what the lesson does next), else its reads there."""
    mine = [
        e for e in entries if e.get("state") == state and os.path.basename(e["argv"][0]) == program
    ]
    moves = [e["argv"] for e in mine if e.get("then") is not None]
    found = moves or [e["argv"] for e in mine]
    unique: list[list[str]] = []
    for argv in found:
        if argv not in unique:
            unique.append(argv)
    return unique
