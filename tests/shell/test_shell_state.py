"""History and the shell's folder outlive the runner: a persistent ``histfile``, the state
file, and a new session reading both back after a ``kill -9`` of the process that held the
old one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from shell_support import Recorder

from workshop import paths
from workshop.shell import (
    ShellSession,
    ShellState,
    load_shell_state,
    lost_variables,
    lost_variables_notice,
)

Make = Callable[..., tuple[ShellSession, Recorder]]
REPO = Path(__file__).resolve().parents[2]

_HOLDER = r"""
import sys
from pathlib import Path
from workshop.shell import ShellSession

home, histfile, state = (Path(arg) for arg in sys.argv[1:4])
session = ShellSession(cwd=home, histfile=histfile, state_file=state)
session.start(timeout=10)
(home / "stock").mkdir()
session.run("cd stock")
session.run("export GREETING=hello FOO=bar")
session.run("echo the last command before the crash")
print("ready", flush=True)
sys.stdin.read()  # held until killed
"""


def test_history_and_state_survive_a_kill_of_the_runner(make_session: Make, home: Path) -> None:
    histfile = home / "state" / "history"
    state_file = home / "state" / "state.json"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(home), str(histfile), str(state_file)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()

    state = load_shell_state(state_file)
    assert state == ShellState(cwd=home / "stock", exported=("FOO", "GREETING"))
    session, _ = make_session(cwd=state.cwd, histfile=histfile, state_file=state_file)
    assert session.run("pwd").output == f"{home / 'stock'}\n"
    history = session.run("history").output
    for line in ("cd stock", "export GREETING=hello FOO=bar", "echo the last command before"):
        assert line in history
    assert history.count("cd stock") == 1
    assert lost_variables(state, session.env) == ("FOO", "GREETING")
    assert lost_variables_notice(lost_variables(state, session.env)) == (
        "FOO, GREETING were exported before the restart and are not set now."
    )
    reloaded = load_shell_state(state_file)
    assert reloaded == ShellState(cwd=home / "stock", exported=())


def test_the_state_file_follows_the_folder_and_the_exports(make_session: Make, home: Path) -> None:
    state_file = home / "shell.json"
    session, _ = make_session(env={"KEEP": "1"}, state_file=state_file)
    assert load_shell_state(state_file) == ShellState(cwd=home, exported=())
    inode = state_file.stat().st_ino
    session.run("true")
    session.run("echo $KEEP; X=1")
    assert state_file.stat().st_ino == inode  # nothing changed: not rewritten
    session.run("export KEEP=2 NEW=x; cd /")
    assert load_shell_state(state_file) == ShellState(cwd=Path("/"), exported=("KEEP", "NEW"))
    session.run("export KEEP=1; unset NEW")
    assert load_shell_state(state_file) == ShellState(cwd=Path("/"), exported=())
    assert [p.name for p in state_file.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_history_is_written_after_every_command(make_session: Make, home: Path) -> None:
    histfile = home / "deep" / "history"
    session, _ = make_session(histfile=histfile)
    session.run("echo first")
    assert histfile.read_text().splitlines()[-1] == "echo first"
    session.run("echo second")
    assert histfile.read_text().splitlines()[-2:] == ["echo first", "echo second"]


def test_a_private_history_is_still_the_default(make_session: Make, home: Path) -> None:
    session, _ = make_session()
    histfile = Path(session.run('echo "$HISTFILE"').output.strip())
    assert histfile.name == "history" and not histfile.is_relative_to(home)


def test_bad_state_files_read_as_none(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert load_shell_state(path) is None
    for text in (
        "",
        "not json",
        "[]",
        '{"version": 1, "cwd": "relative", "exported": []}',
        '{"version": 99, "cwd": "/", "exported": []}',
        b"\xff".decode("latin-1"),
    ):
        path.write_text(text)
        assert load_shell_state(path) is None, text
    path.write_text(json.dumps({"version": 1, "cwd": "/w", "exported": ["OK", "bad name", 3]}))
    assert load_shell_state(path) == ShellState(cwd=Path("/w"), exported=("OK",))


def test_lost_variables_notice_wording() -> None:
    assert lost_variables_notice([]) is None
    assert lost_variables_notice(["GREETING"]) == (
        "GREETING was exported before the restart and is not set now."
    )
    assert lost_variables_notice(["GREETING", "FOO", "GREETING"]) == (
        "GREETING, FOO were exported before the restart and are not set now."
    )


def test_paths_per_workshop_under_the_state_dir(isolated: Path) -> None:
    assert paths.shell_history("12factor") == isolated / "state" / "shell" / "12factor" / "history"
    assert paths.shell_state("12factor").parent == paths.shell_history("12factor").parent
