"""Secrets are removed on the learner's machine, before an event is stored or sent.

The reporter runs every text field of every event through :func:`redact`. What counts
as a secret here:

- passwords on command lines: ``cf login -p X``, ``cf auth USER PASS``, ``-p X`` /
  ``-pX`` / ``-p=X`` (except for programs where ``-p`` is a path, port or pid, such as
  ``mkdir -p`` or ``cf push -p``), ``--password X``, ``--token X`` and friends;
- assignments: ``password=X``, ``CF_PASSWORD=X``, ``token: X``, ``api_key=X`` …;
- HTTP credentials: ``Authorization: …`` headers, ``Bearer X``, ``curl -u user:pass``,
  and the ``user:pass@`` part of URLs;
- token-shaped strings: JWTs (``eyJ….….…``).

Each secret becomes :data:`MASK`; the rest of the line is kept so the instructor still
sees what the learner tried.
"""

from __future__ import annotations

import re

MASK = "***"

# A shell word, possibly quoted.
_WORD = r"""(?:'[^']*'|"[^"]*"|[^\s'"]+)"""

# Programs (and cf sub-commands) where `-p` is not a secret.
_P_NOT_SECRET = {
    "mkdir", "cp", "install", "ssh", "ps", "pgrep", "pkill", "nc", "netstat", "patch",
    "docker run", "docker create", "docker port", "podman run", "kubectl port-forward",
    "cf push", "cf p", "cf ssh", "git", "python", "python3", "ip", "xargs", "ls", "mktemp",
}  # fmt: skip

_SECRET_OPTION = re.compile(
    r"(?P<opt>--(?:password|passwd|pass|token|secret|client-secret|api-key|apikey|"
    r"access-token|refresh-token|auth-token)(?:=|\s+))(?P<val>" + _WORD + ")",
    re.IGNORECASE,
)
_ASSIGN = re.compile(
    r"(?P<key>\b[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|"
    r"access[_-]?key|private[_-]?key|credentials?)[\w.-]*\s*(?:=|:)\s*)(?P<val>" + _WORD + ")",
    re.IGNORECASE,
)
_AUTH_HEADER = re.compile(
    r"""(?P<key>\b(?:proxy-)?authorization\s*:\s*)(?P<val>[^\r\n"']+)""", re.I
)
_BEARER = re.compile(r"(?P<key>\b(?:bearer|basic|token)\s+)(?P<val>[A-Za-z0-9._~+/=-]{8,})", re.I)
_URL_AUTH = re.compile(r"(?P<key>\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)(?P<val>[^/\s@]+)(?=@)", re.I)
_CURL_USER = re.compile(
    r"(?P<key>(?:^|\s)(?:-u|--user)(?:=|\s+)['\"]?[^\s:'\"]+:)(?P<val>[^\s'\"]+)"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b")
_CF_AUTH = re.compile(r"(?P<key>\bcf\s+auth\s+" + _WORD + r"\s+)(?P<val>" + _WORD + ")")
_SHORT_P = re.compile(r"(?P<key>(?<=\s)-p(?:=|\s+|(?=[^\s-])))(?P<val>" + _WORD + ")")
_SEGMENT = re.compile(r"(\|\||&&|[;|&\n]|\$\()")


def _mask(match: re.Match[str]) -> str:
    return match.group("key") + MASK


def _program(segment: str) -> str:
    """``cf push`` / ``mkdir``: the program (with sub-command for cf, docker …) of a segment."""
    words = [w for w in segment.split() if "=" not in w or w.startswith("-")]
    words = [w for w in words if w not in {"sudo", "env", "time", "command", "exec"}]
    if not words:
        return ""
    prog = words[0].rsplit("/", 1)[-1]
    if prog in {"cf", "docker", "podman", "kubectl"} and len(words) > 1:
        return f"{prog} {words[1]}"
    return prog


def _redact_short_p(text: str) -> str:
    """``-p X`` is a password unless the segment's program uses ``-p`` for something else."""
    parts = _SEGMENT.split(text)
    out = []
    for part in parts:
        if _SEGMENT.fullmatch(part) or " -p" not in f" {part}":
            out.append(part)
            continue
        prog = _program(part)
        if prog in _P_NOT_SECRET or prog.split(" ")[0] in _P_NOT_SECRET:
            out.append(part)
        else:
            out.append(_SHORT_P.sub(_mask, " " + part)[1:])
    return "".join(out)


def redact(text: str) -> str:
    """``text`` with every secret described in the module docstring replaced by ``***``."""
    if not text:
        return text
    text = _AUTH_HEADER.sub(_mask, text)
    text = _URL_AUTH.sub(_mask, text)
    text = _CURL_USER.sub(_mask, text)
    text = _SECRET_OPTION.sub(lambda m: m.group("opt") + MASK, text)
    text = _CF_AUTH.sub(_mask, text)
    text = _redact_short_p(text)
    text = _BEARER.sub(_mask, text)
    text = _ASSIGN.sub(_mask, text)
    text = _JWT.sub(MASK, text)
    return text
