"""The replay shim of a ``recorded:`` program: answer a call from the workshop's recordings.

In mock mode ``DIR/bin/<program>`` (written by :mod:`workshop.mock.recorded`) runs
:func:`main` with ``python -S``. It works whether the real program is installed or not:

- the recordings are read from a precompiled index (``DIR/cache/recordings.marshal``,
  rebuilt from the YAML files when one of them changed);
- the replay state (the lesson and its scenario state) is ``DIR/data/replay``, a two-line
  text file; it lives in ``data/`` so that checkpoints, step reset and lesson switching
  save and rewind it with the rest of the mock foundation;
- :func:`workshop.mock.matching.select` picks the entry; one with ``then`` moves the state;
- its chunks are played: instant by default, as recorded with
  ``WORKSHOP_MOCK_SPEED=recorded`` (or a number: a speed-up); colours are removed when
  stdout is not a terminal or ``NO_COLOR`` (or the runner's ``WORKSHOP_MOCK_NO_COLOR``) is
  set; at a recorded prompt a line is read from stdin (without echo when the recorded
  answer was a hidden one);
- a call the recording does not have fails with a message in the program's own error
  style (taken from a failure it recorded) naming what the lesson expects instead.

A replayed call must cost little more than starting Python, so this module imports only
``os``, ``sys``, ``marshal`` and the matcher (``bench/bench_recorded.py`` measures it).
"""

from __future__ import annotations

import marshal
import os
import sys

from workshop.mock.matching import expected, select

TYPE_CHECKING = False  # not typing's: importing typing costs more than a replay itself
if TYPE_CHECKING:
    from typing import Any

    from workshop.mock.matching import Entry

STATE_FILE = os.path.join("data", "replay")
"""The replay state in a mock home: the lesson's id, then its scenario state."""
INDEX_FILE = os.path.join("cache", "recordings.marshal")
"""The precompiled recordings of a mock home."""
RECORDINGS_VARIABLE = "WORKSHOP_MOCK_RECORDINGS"
"""The folder of the workshop's recordings, in the learner's shell."""
NO_COLOR_VARIABLE = "WORKSHOP_MOCK_NO_COLOR"
"""Set by the runner when the learner's terminal output goes to a pipe (``--plain``)."""
REDACTED = "<redacted>"
"""What stands for a secret in a recording (a hidden answer at a prompt, a token)."""


def read_state(home: str) -> tuple[str, int]:
    """The lesson the replay is in and its scenario state (``("", 0)`` when unset)."""
    try:
        with open(os.path.join(home, STATE_FILE), encoding="utf-8") as handle:
            lesson, _, state = handle.read().partition("\n")
        return lesson.strip(), int(state.strip() or 0)
    except (OSError, ValueError):
        return "", 0


def write_state(home: str, lesson: str, state: int) -> None:
    """Set the replay state (atomically)."""
    path = os.path.join(home, STATE_FILE)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(f"{lesson}\n{state}\n")
    os.replace(tmp, path)


def sources(folder: str) -> list[list[Any]]:
    """The recording files of ``folder`` with their mtime and size (the index's key)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found = []
    for name in names:
        if name.endswith((".yaml", ".yml")):
            stat = os.stat(os.path.join(folder, name))
            found.append([name, stat.st_mtime_ns, stat.st_size])
    return found


def load_entries(home: str, folder: str) -> list[Entry]:
    """Every entry of the recordings in ``folder`` (the index when fresh, else rebuilt);
    none when the workshop has no recordings folder."""
    if not folder:
        return []
    key = [folder, sources(folder)]
    try:
        with open(os.path.join(home, INDEX_FILE), "rb") as handle:
            index = marshal.load(handle)
        if index["key"] == key:
            return list(index["entries"])
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    from workshop.mock.recorded import build_index  # slow path: imports PyYAML

    return build_index(home, folder)


def lesson_of(entry: Entry) -> str | None:
    """The lesson an entry was recorded in (None: recorded outside the protocol)."""
    at = entry.get("at")
    return at.get("lesson") if at else None


def speed_factor() -> float:
    """How much of the recorded delays to keep (``WORKSHOP_MOCK_SPEED``)."""
    speed = os.environ.get("WORKSHOP_MOCK_SPEED", "")
    if speed == "recorded":
        return 1.0
    try:
        return 1.0 / float(speed) if float(speed) > 0 else 0.0
    except ValueError:
        return 0.0


def strip_ansi(text: str) -> str:
    """``text`` without CSI escape sequences (colours, styles, cursor moves)."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\x1b" and text[i + 1 : i + 2] == "[":
            j = i + 2
            while j < len(text) and not ("@" <= text[j] <= "~"):
                j += 1
            i = j + 1
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def fill(text: str, bound: dict[str, str]) -> str:
    """``text`` with the ``{{name}}`` placeholders its entry's argv bound."""
    if "{{" in text:
        for name, value in bound.items():
            text = text.replace("{{" + name + "}}", value)
    return text


class OtherAnswer(Exception):
    """The learner answered a recorded prompt otherwise than the recording did."""

    def __init__(self, recorded: str, given: str) -> None:
        super().__init__(recorded, given)
        self.recorded = recorded
        self.given = given


def play(chunks: list[Any], bound: dict[str, str]) -> None:
    """Write the chunks (sleeping their delays when asked), reading a line at each prompt;
    :class:`OtherAnswer` when a line read is not the recorded answer (a hidden one, such
    as a password, is never compared: it was never recorded)."""
    factor = speed_factor()
    no_color = bool(os.environ.get("NO_COLOR") or os.environ.get(NO_COLOR_VARIABLE))
    plain = [no_color or not os.isatty(1), no_color or not os.isatty(2)]
    for delay, body in chunks:
        if delay and factor:
            import time

            time.sleep(delay * factor)
        if isinstance(body, str):
            fd, text = 1, body
        elif "err" in body:
            fd, text = 2, body["err"]
        elif "input" in body:
            hidden = body["input"] == REDACTED
            given = read_answer(hidden=hidden)
            recorded = fill(str(body["input"]), bound)
            if not hidden and given.strip() != recorded.strip():
                raise OtherAnswer(recorded.strip(), given.strip())
            continue
        else:
            continue  # a slice of a simulation's output: only the fake cf has one
        text = fill(text, bound)
        if plain[fd - 1] and "\x1b" in text:
            text = strip_ansi(text)
        os.write(fd, text.encode("utf-8", "replace"))


def read_answer(hidden: bool) -> str:
    """One line from stdin (without echo on a terminal when ``hidden``)."""
    saved = None
    if hidden and os.isatty(0):
        import termios

        saved = termios.tcgetattr(0)
        quiet = list(saved)
        quiet[3] &= ~termios.ECHO
        termios.tcsetattr(0, termios.TCSANOW, quiet)
    data = b""
    try:
        while not data.endswith(b"\n"):
            byte = os.read(0, 1)
            if not byte:
                break
            data += byte
    except OSError:
        pass
    finally:
        if saved is not None:
            import termios

            termios.tcsetattr(0, termios.TCSANOW, saved)
    return data.decode("utf-8", "replace").rstrip("\n")


def error_style(entries: list[Entry], program: str) -> tuple[str, int]:
    """How ``program`` starts an error message and the exit code it fails with, from a
    failure it recorded (``"PROGRAM: "`` and 1 when it recorded none)."""
    for entry in entries:
        if entry["exit"] == 0 or os.path.basename(entry["argv"][0]) != program:
            continue
        for _, body in entry["chunks"]:
            text = body if isinstance(body, str) else body.get("err")
            line = strip_ansi(text).strip().split("\n")[0] if isinstance(text, str) else ""
            cut = line.rfind(": ", 0, 28)
            if line and cut > 0:
                return line[: cut + 2], entry["exit"]
            if line:
                return f"{program}: ", entry["exit"]
    return f"{program}: ", 1


def quoted(argv: list[str]) -> str:
    """A command line as a person would type it."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_{}")
    return " ".join(
        a if a and set(a) <= safe else "'" + a.replace("'", "'\\''") + "'" for a in argv
    )


def refuse(entries: list[Entry], argv: list[str], state: int) -> int:
    """Say that ``argv`` is not in the recording, in the program's error style."""
    program = os.path.basename(argv[0])
    prefix, code = error_style(entries, program)
    lines = [f"{prefix}`{quoted(argv)}` is not in the offline recording of this workshop."]
    wanted = expected(entries, program, state)
    if wanted:
        lines.append("This lesson expects here: " + " or ".join(f"`{quoted(w)}`" for w in wanted))
    else:
        lines.append(f"The recording has no {program} call at this point of the lesson.")
    os.write(2, ("\n".join(lines) + "\n").encode("utf-8", "replace"))
    return code


def main(program: str, home: str, folder: str) -> int:
    """Answer ``program`` with the arguments of this process from the recordings."""
    home = os.environ.get("WORKSHOP_MOCK_HOME") or home
    folder = os.environ.get(RECORDINGS_VARIABLE) or folder
    argv = [program, *sys.argv[1:]]
    lesson, state = read_state(home)
    try:
        everything = load_entries(home, folder)
    except Exception as exc:  # a recording an author broke: say which, never a traceback
        os.write(2, f"{program}: the offline recording cannot be read: {exc}\n".encode())
        return 1
    entries = [e for e in everything if lesson_of(e) in (None, lesson)]
    chosen = select(entries, argv, state)
    if chosen is None:
        return refuse(entries, argv, state)
    entry, bound = chosen
    # recorded output names the recording's work folder so (workshop record): the learner's
    bound = {"WORKSHOP_WORK_DIR": os.environ.get("WORKSHOP_WORK_DIR") or os.getcwd(), **bound}
    try:
        play(entry["chunks"], bound)
    except BrokenPipeError:
        pass
    except KeyboardInterrupt:  # Ctrl-C while it plays slowly or waits at a prompt
        os.write(2, b"\n")
        return 130
    except OtherAnswer as other:  # what the real program does then was never recorded
        prefix, code = error_style(entries, program)
        os.write(2, (
            f"\n{prefix}the offline recording answered `{other.recorded}` here, not "
            f"`{other.given}`: offline, only the recorded answer goes on.\n"
        ).encode())  # fmt: skip
        return code
    if entry.get("then") is not None:  # played to its end: the scenario moves on
        write_state(home, lesson, entry["then"])
    return int(entry["exit"])
