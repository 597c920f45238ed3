"""What always changes between two runs of a program, made equal for the drift check.

``workshop test --live --against-recordings`` compares what a program prints today with
what it printed when the workshop was recorded. Generated ids, hashes, timestamps,
durations and ages differ on every run without anything having drifted, so
:func:`normalize` replaces them with ``<id>``, ``<hash>``, ``<time>``, ``<duration>`` (an
age such as ``5d4h`` is one too) and ``<age>`` (``3 minutes ago``), and squeezes runs of
spaces (table columns widen and narrow with them).
"""

from __future__ import annotations

import re

_RULES = [
    (
        re.compile(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
        ),
        "<id>",
    ),
    (
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
        ),
        "<time>",
    ),
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b"), "<time>"),
    (
        re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? \d{1,2} \w{3} \d{4}\b"),
        "<time>",
    ),
    (re.compile(r"\b\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago\b"), "<age>"),
    (  # 1.2s, 350 ms, 5d4h (an age as kubectl shows it): one kind, they turn into each other
        re.compile(
            r"\b(?:\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|secs?|seconds?|m|mins?|minutes?|h|hours?"
            r"|d|days?|w|y)){1,3}\b"
        ),
        "<duration>",
    ),
    # a prefixed id (bkt-3f2a19c0d1, kvt_…) is one id whatever its random part happens to
    # hold (only digits, or hex letters too): before the hash rule, which would take a part
    (
        re.compile(r"\b[A-Za-z]+[-_](?:(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{5,}|[0-9a-f]{7,64})\b"),
        "<id>",
    ),
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b"), "<hash>"),
    (re.compile(r"\b\d{6,}\b"), "<id>"),
    (re.compile(r"[ \t]+"), " "),
]


def normalize(text: str) -> str:
    """``text`` with its ids, hashes, timestamps, durations and ages replaced by their
    kind, and runs of blanks squeezed."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text.rstrip()
