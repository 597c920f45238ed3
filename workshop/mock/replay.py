"""The fake ``cf``'s use of recordings: a recorded output shown instead of the simulated one.

The fake ``cf`` runs its simulation first (it updates the state and captures its output),
then asks :func:`choose` whether a recording (the same format as every recorded program's,
:mod:`workshop.mock.cassette`, chosen by the same matcher, :mod:`workshop.mock.matching`)
answers this command in this situation. Beyond the matcher's argv and scenario state, an
entry fits when

- its ``exit`` is the simulation's exit code (so a recording of a success is never shown for
  a command that failed in the simulation);
- its ``when`` holds in the state before the command: ``org``, ``space``, ``user`` (the
  target), ``apps``/``no_apps`` (app names present/absent in the targeted space),
  ``routes``/``no_routes`` (``host.domain`` present/absent);
- every ``{sim: ...}`` slice it uses is found in the simulation's output.

The chunks are returned with ``{{name}}`` replaced (bound argv words and ``ORG``, ``SPACE``,
``USER``, ``DOMAIN``, ``API``, ``CWD``). Slices ``{sim: {start, stop, lines}}`` splice in the
simulation's own lines: from the first line (after the previous slice) starting with
``start`` (or the current position), up to the line starting with ``stop`` or ``lines``
lines or the end; a prefix written ``re:PATTERN`` is a regular expression.

Delays are kept only when ``WORKSHOP_MOCK_SPEED=recorded`` (or a number: a speed-up factor);
otherwise every chunk comes at once. Colours in recordings are removed when stdout is not a
terminal or ``CF_COLOR=false``. Recordings come from the folder ``WORKSHOP_MOCK_RECORDINGS``
(a workshop's ``recordings/``) and from ``DIR/recordings``.
"""

from __future__ import annotations

import os

from workshop.mock.matching import match_argv, select

TYPE_CHECKING = False  # not typing's: the fake cf imports this module on every command
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Chunks", "choose", "match_argv", "play"]

Chunks = list[tuple[float, str]]


def choose(
    home: str | os.PathLike[str],
    argv: list[str],
    state_before: dict[str, Any],
    sim_output: str,
    sim_exit: int,
) -> tuple[Chunks, int] | None:
    """The recorded chunks and exit code to show instead of the simulation's, or None."""
    from workshop.mock import cassette
    from workshop.mock.replayer import RECORDINGS_VARIABLE, lesson_of, read_state, write_state

    home = os.fspath(home)
    folders = []
    if os.environ.get(RECORDINGS_VARIABLE):
        folders.append(os.environ[RECORDINGS_VARIABLE])
    folders.append(os.path.join(home, "recordings"))
    files = [f for folder in folders for f in cassette.cassette_paths(folder)]
    if not files:
        return None
    entries = []
    for file in files:
        try:
            entries.extend(cassette.load(file, os.path.join(home, "cache", "cassettes")))
        except cassette.CassetteError:
            continue  # a broken recording never breaks the mock: `workshop lint` reports it
    lesson, scenario = read_state(str(home))
    entries = [e for e in entries if lesson_of(e) in (None, lesson)]

    def accept(entry: dict[str, Any], bound: dict[str, str]) -> Chunks | None:
        if entry["exit"] != sim_exit or not _holds(entry.get("when") or {}, state_before, bound):
            return None
        return _render(entry["chunks"], _variables(state_before, bound), sim_output)

    words = ["cf", *argv[1:]] if argv and os.path.basename(argv[0]) == "cf" else ["cf", *argv]
    chosen = select(entries, words, scenario, accept)
    if chosen is None:
        return None
    entry, chunks = chosen
    if entry.get("then") is not None:
        write_state(str(home), lesson, entry["then"])
    assert isinstance(chunks, list)
    return chunks, entry["exit"]


def _fill(text: str, variables: dict[str, str]) -> str:
    from workshop.mock.replayer import fill

    return fill(text, variables)


def _variables(state: dict[str, Any], bound: dict[str, str]) -> dict[str, str]:
    session = state.get("session") or {}
    api = state.get("api") or {}
    try:
        cwd = os.getcwd()
    except OSError:
        cwd = ""
    return {
        "ORG": str(session.get("org") or ""),
        "SPACE": str(session.get("space") or ""),
        "USER": str(session.get("user") or ""),
        "DOMAIN": str(state.get("domain") or ""),
        "API": str(api.get("url") or ""),
        "CWD": cwd,
        **bound,
    }


def _holds(when: dict[str, Any], state: dict[str, Any], bound: dict[str, str]) -> bool:
    session = state.get("session") or {}
    variables = _variables(state, bound)
    for key in ("org", "space", "user"):
        if key in when and _fill(str(when[key]), variables) != str(session.get(key) or ""):
            return False
    try:
        apps = state["orgs"][session["org"]]["spaces"][session["space"]]["apps"]
    except (KeyError, TypeError):
        apps = {}
    routes = state.get("routes") or {}
    checks = (
        ("apps", apps, True),
        ("no_apps", apps, False),
        ("routes", routes, True),
        ("no_routes", routes, False),
    )
    for key, existing, wanted in checks:
        names = when.get(key) or []
        for name in [names] if isinstance(names, str) else names:
            if (_fill(str(name), variables) in existing) != wanted:
                return False
    return True


def _line_matches(line: str, prefix: str) -> bool:
    if prefix.startswith("re:"):
        import re

        return re.match(prefix[3:], line) is not None
    return line.startswith(prefix)


def _find(lines: list[str], first: int, prefix: str) -> int:
    """The index of the first line from ``first`` on that matches ``prefix``, or -1."""
    return next((i for i in range(first, len(lines)) if _line_matches(lines[i], prefix)), -1)


def _render(raw: list[Any], variables: dict[str, str], sim_output: str) -> Chunks | None:
    from workshop.mock.replayer import speed_factor, strip_ansi

    factor = speed_factor()
    plain = not os.isatty(1) or os.environ.get("CF_COLOR", "").lower() == "false"
    lines = sim_output.splitlines(keepends=True)
    cursor = 0
    chunks: Chunks = []
    for delay, body in raw:
        if isinstance(body, dict) and "input" in body:
            continue  # the simulation prompts for itself
        if isinstance(body, dict) and "err" in body:
            body = body["err"]
        if isinstance(body, dict):
            spec = body["sim"]
            begin = cursor
            if spec.get("start") is not None:
                begin = _find(lines, cursor, spec["start"])
                if begin < 0:
                    return None
            end = len(lines)
            if spec.get("lines") is not None:
                end = min(len(lines), begin + int(spec["lines"]))
            elif spec.get("stop") is not None:
                first = begin + 1 if spec.get("start") is not None else begin
                end = _find(lines, first, spec["stop"])
                if end < 0:
                    return None
            text = "".join(lines[begin:end])
            cursor = end
        else:
            text = _fill(body, variables)
            if plain and "\x1b" in text:
                text = strip_ansi(text)
        chunks.append((float(delay) * factor, text))
    return chunks


def play(chunks: Chunks, write: Any = None) -> None:
    """Write the chunks to stdout, sleeping each chunk's delay first (a helper for ``cf``)."""
    import sys
    import time

    out = write or (lambda s: (sys.stdout.write(s), sys.stdout.flush()))
    for delay, text in chunks:
        if delay > 0:
            time.sleep(delay)
        out(text)
