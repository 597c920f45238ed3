"""The recording shim of a ``recorded:`` program: run the real one and log the call.

While ``workshop record PATH`` runs a workshop's content-CI protocol live, a folder of
these shims is first on the sandbox's PATH (:func:`workshop.mock.recorded.write_record_shims`).
Each call runs the real program (the next one of that name on PATH) and appends a JSON line
to ``$WORKSHOP_RECORD_LOG``: its argv, its folder relative to ``$WORKSHOP_WORK_DIR``, where
in the protocol it happened (the ``lesson``, ``step`` and ``phase`` the runner wrote to
``$WORKSHOP_RECORD_AT``), its output as timed chunks, the lines it read at its prompts and
its exit code. Redaction and the scenario states come later
(:mod:`workshop.engine.recording`), except for answers typed while the terminal's echo was
off (passwords): those are never written anywhere.

On a terminal (stdin and stdout) the program runs in a pseudo-terminal of its own, so it
prints colours and prompts as for a person, and the keyboard is passed through; otherwise
it runs with pipes, its stderr kept apart.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from workshop.mock.record import chunks_of
from workshop.mock.replayer import REDACTED

Chunk = list[Any]


def real_program(name: str, own_dir: str) -> str | None:
    """The first ``name`` on PATH that is not in ``own_dir`` (the shims' folder)."""
    own = os.path.realpath(own_dir)
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or os.path.realpath(folder) == own:
            continue
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def main(program: str, own_dir: str) -> int:
    """Run the real ``program`` with this process's arguments; log the call; its exit code."""
    real = real_program(program, own_dir)
    if real is None:
        sys.stderr.write(f"{program}: command not found (workshop record runs the real one)\n")
        return 127
    argv = [program, *sys.argv[1:]]
    started = time.time()
    at = _where()
    if os.isatty(0) and os.isatty(1):
        code, chunks = _run_in_pty(real, argv)
    else:
        code, chunks = _run_with_pipes(real, argv)
    _log(argv, at, code, chunks, started)
    return code


def _where() -> dict[str, str]:
    """Where the protocol is as the call starts (``lesson``, ``step``, ``phase``)."""
    try:
        with open(os.environ.get("WORKSHOP_RECORD_AT", ""), encoding="utf-8") as handle:
            words = handle.read().rstrip("\n").split("\t")
    except OSError:
        return {}
    return dict(zip(("lesson", "step", "phase"), words, strict=False))


def _log(
    argv: list[str], at: dict[str, str], code: int, chunks: list[Chunk], started: float
) -> None:
    log = os.environ.get("WORKSHOP_RECORD_LOG")
    if not log:
        return
    work = os.environ.get("WORKSHOP_WORK_DIR") or os.getcwd()
    cwd = os.path.relpath(os.getcwd(), work)
    line = json.dumps(
        {"argv": argv, "at": at, "cwd": cwd, "work": work, "exit": code, "chunks": chunks,
         "started": started}
    )  # fmt: skip
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def _run_in_pty(real: str, argv: list[str]) -> tuple[int, list[Chunk]]:
    """Run ``real`` in a pseudo-terminal; pass the keyboard through; the chunks, with the
    lines it read (hidden ones redacted, their echo-less typing never kept)."""
    import fcntl
    import pty
    import select
    import termios
    import tty

    from workshop.terminal_signals import restore_defaults

    pid, master = pty.fork()
    if pid == 0:
        try:
            restore_defaults()  # what Python ignores, as a terminal's programs have them
            os.execv(real, argv)
        finally:
            os._exit(127)
    try:
        size = fcntl.ioctl(1, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(master, termios.TIOCSWINSZ, size)
    except OSError:
        pass
    saved = termios.tcgetattr(0)
    tty.setraw(0, termios.TCSANOW)  # keep what was typed ahead
    events: list[tuple[str, float, bytes]] = []  # ("out"|"in", monotonic time, data)
    typed = b""
    echo = b""
    stdin_open = True
    try:
        while True:
            readable = [master] + ([0] if stdin_open else [])
            ready, _, _ = select.select(readable, [], [])
            if master in ready:
                try:
                    data = os.read(master, 4096)
                except OSError:
                    data = b""
                if not data:
                    break
                os.write(1, data)
                if echo:  # the terminal's echo of a typed answer is the person's, not output
                    same = os.path.commonprefix([echo, data])
                    echo = echo[len(same) :] if same else b""
                    data = data[len(same) :]
                if data:
                    events.append(("out", time.monotonic(), data))
            if stdin_open and 0 in ready:
                data = os.read(0, 1024)
                if not data:
                    stdin_open = False
                    continue
                hidden = not termios.tcgetattr(master)[3] & termios.ECHO
                os.write(master, data)
                typed += data
                while b"\r" in typed or b"\n" in typed:
                    cut = min(i for i in (typed.find(b"\r"), typed.find(b"\n")) if i >= 0)
                    line, typed = typed[:cut], typed[cut + 1 :]
                    answer = REDACTED if hidden else line.decode("utf-8", "replace")
                    events.append(("in", time.monotonic(), answer.encode()))
                    if not hidden:
                        echo = line + b"\r\n"
    finally:
        termios.tcsetattr(0, termios.TCSADRAIN, saved)
        os.close(master)
    _, status = os.waitpid(pid, 0)
    return _exit_code(status), _chunks(events)


def _run_with_pipes(real: str, argv: list[str]) -> tuple[int, list[Chunk]]:
    """Run ``real`` with stdout and stderr through pipes (passed on as they come)."""
    import selectors
    import subprocess

    process = subprocess.Popen(
        argv, executable=real, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    streams = {process.stdout.fileno(): ("out", 1), process.stderr.fileno(): ("err", 2)}
    events: list[tuple[str, float, bytes]] = []
    with selectors.DefaultSelector() as selector:
        for fd in streams:
            selector.register(fd, selectors.EVENT_READ)
        open_streams = len(streams)
        while open_streams:
            try:
                ready = selector.select()
            except KeyboardInterrupt:  # Ctrl-C reached the program too: let it end
                continue
            for key, _ in ready:
                data = os.read(key.fd, 4096)
                kind, target = streams[key.fd]
                if not data:
                    selector.unregister(key.fd)
                    open_streams -= 1
                    continue
                os.write(target, data)
                events.append((kind, time.monotonic(), data))
    code = process.wait()
    return (128 - code if code < 0 else code), _chunks(events)


def _chunks(events: list[tuple[str, float, bytes]]) -> list[Chunk]:
    """Timed chunks from raw events: runs of one stream decoded and merged (as ``workshop
    record`` does), an answer as ``{input: ...}``, stderr as ``{err: ...}``."""
    chunks: list[Chunk] = []
    last = events[0][1] if events else 0.0
    run: list[tuple[float, bytes]] = []
    kind = ""

    def flush() -> None:
        for delay, text in chunks_of(run):
            chunks.append([delay, text if kind == "out" else {"err": text}])
        run.clear()

    for event, when, data in events:
        if event != kind and run:
            flush()
        if event == "in":
            chunks.append([round(when - last, 3), {"input": data.decode()}])
        else:
            kind = event
            run.append((when - last, data))
        last = when
    if run:
        flush()
    return chunks
