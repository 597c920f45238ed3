"""Secrets in recordings: redacted as calls are recorded, and found by ``workshop lint``.

A recording is committed with the workshop, so what a real program printed or was given
must not carry the author's credentials. :func:`redact_text` replaces what looks like a
secret in output (``password: …``, ``token=…``, ``Authorization: Bearer …``, JWTs, the
well-known token formats of GitHub, GitLab, AWS, Slack, OpenAI-style keys) with
``<redacted>``; :func:`redact_argv` turns the value of an option named like a secret
(``--password``, ``--token`` …) into a ``{{placeholder}}``, so a replay accepts whatever the
learner types there. Answers typed at a prompt with the echo off never reach a recording
(:mod:`workshop.mock.recorder`). :func:`suspicious_lines` is what lint warns about.
"""

from __future__ import annotations

import re

from workshop.mock.replayer import REDACTED

_NAMED = re.compile(
    r"(?i)\b((?:[a-z]+[_-])?(?:password|passwd|secret|token|api[_-]?key|access[_-]?key))"
    r"(\"?\s*[:=]\s*\"?)(?!<redacted>|\{\{)([^\s\"',;]{4,})"
)
"""``name: value`` / ``name=value`` where the name says it is a secret."""
_BEARER = re.compile(
    r"(?i)\b(bearer|basic)\s+(?!<redacted>)(?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}"
)
"""An HTTP authorization's credentials (the scheme's name is kept)."""
_SHAPES = [
    re.compile(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}"),  # JWT
    re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
    re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"),
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    re.compile(r"\bsk-[A-Za-z0-9_-]{20,}"),
]
"""Secrets known by their shape, whatever names them."""
SECRET_OPTION = re.compile(r"(?i)^--?[a-z-]*(password|passwd|secret|token|api-?key)[a-z-]*$")
"""An option whose value is a secret."""


def redact_text(text: str) -> str:
    """``text`` with every secret it seems to hold replaced by ``<redacted>``."""
    text = _NAMED.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)
    text = _BEARER.sub(lambda m: m.group(1) + " " + REDACTED, text)
    for shape in _SHAPES:
        text = shape.sub(REDACTED, text)
    return text


def redact_argv(argv: list[str]) -> list[str]:
    """``argv`` with the values of secret options as ``{{secret}}``, ``{{secret2}}`` …"""
    out: list[str] = []
    count = 0

    def placeholder() -> str:
        nonlocal count
        count += 1
        return "{{secret}}" if count == 1 else "{{secret" + str(count) + "}}"

    take_next = False
    for word in argv:
        if take_next:
            out.append(placeholder())
            take_next = False
            continue
        name, eq, value = word.partition("=")
        if SECRET_OPTION.match(name):
            if eq:
                out.append(f"{name}={placeholder()}" if value else word)
            else:
                out.append(word)
                take_next = True
            continue
        out.append(redact_text(word))
    return out


def suspicious_lines(text: str) -> list[tuple[int, str]]:
    """(line number, what) for each line of ``text`` that still seems to hold a secret."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        named = _NAMED.search(line)
        if named:
            found.append((number, f"a value after '{named.group(1)}'"))
            continue
        for shape in (_BEARER, *_SHAPES):
            if shape.search(line):
                found.append((number, "a token"))
                break
    return found
