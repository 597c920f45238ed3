"""``ShellSession(restart=True)``: a bash that ends by itself is replaced, in the same folder
with the same environment and history, and the session says so; a bash that keeps dying
at start-up is given up on."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from shell_support import Recorder, wait_until

from workshop.shell import ShellClosed, ShellSession, restart

Make = Callable[..., tuple[ShellSession, Recorder]]


def restarting(make_session: Make, **kwargs: object) -> tuple[ShellSession, Recorder, list[int]]:
    """A started session with restart on, and the statuses ``on_restarted`` was called with."""
    statuses: list[int] = []
    session, rec = make_session(restart=True, on_restarted=statuses.append, **kwargs)
    return session, rec, statuses


def test_exit_starts_a_new_shell_in_the_same_folder(make_session: Make, home: Path) -> None:
    session, rec, statuses = restarting(make_session)
    (home / "stock").mkdir()
    session.run("cd stock; export GREETING=hello")
    first_pid = session.pid
    session.write("exit 3\r")
    wait_until(lambda: statuses == [3])
    assert session.wait_idle(5) and session.alive and session.at_prompt
    assert session.pid != first_pid
    ended = rec.finished[-1]
    assert (ended.command, ended.exit_code, ended.ended_shell) == ("exit 3", 3, True)
    assert "[workshop] The shell ended (exit status 3); a new one started in ~/stock.\r\n" in (
        rec.text()
    )
    assert session.run("pwd").output == f"{home / 'stock'}\n"
    assert session.cwd == home / "stock"
    assert session.run('echo "$GREETING"').output == "hello\n"
    assert session.env["GREETING"] == "hello"
    history = session.run("history").output
    assert history.count("cd stock; export GREETING=hello") == 1 and "exit 3" in history
    assert not rec.finished[-1].ended_shell


def test_exec_false_and_a_killed_bash_are_restarted(make_session: Make) -> None:
    session, rec, statuses = restarting(make_session)
    session.write("exec false\r")
    wait_until(lambda: statuses == [1])
    assert session.run("echo again").output == "again\n"
    pid = session.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: statuses == [1, 137])
    assert session.run("echo and again").output == "and again\n"
    assert "exit status 137" in rec.text()


def test_a_run_in_flight_when_bash_dies_raises_as_before(make_session: Make) -> None:
    session, rec, statuses = restarting(make_session)
    with pytest.raises(ShellClosed):
        session.run("exit 4")
    wait_until(lambda: statuses == [4])
    assert session.wait_idle(5)
    errors: list[BaseException] = []

    def long_run() -> None:
        try:
            session.run("sleep 30", timeout=20)
        except ShellClosed as exc:
            errors.append(exc)

    worker = threading.Thread(target=long_run)
    worker.start()
    wait_until(lambda: rec.started[-1:] == ["sleep 30"])
    pid = session.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    worker.join(10)
    assert errors and not worker.is_alive()
    assert rec.finished[-1].command == "sleep 30" and rec.finished[-1].ended_shell
    assert session.run("echo fine").output == "fine\n"


def test_a_run_during_the_restart_waits_for_the_new_shell(make_session: Make) -> None:
    session, _, statuses = restarting(make_session)
    session.write("exit\r")
    result = session.run("echo on the new one")
    assert result.output == "on the new one\n"
    assert statuses == [0]


def test_a_removed_folder_falls_back_to_the_start_folder(make_session: Make, home: Path) -> None:
    session, rec, statuses = restarting(make_session)
    (home / "gone").mkdir()
    session.run("cd gone")
    shutil.rmtree(home / "gone")
    session.write("exit\r")
    wait_until(lambda: statuses == [0])
    assert "a new one started in ~.\r\n" in rec.text()
    assert session.run("pwd").output == f"{home}\n"


def test_close_does_not_restart(make_session: Make) -> None:
    session, rec, statuses = restarting(make_session)
    session.close()
    assert not session.alive
    assert statuses == [] and "[workshop]" not in rec.text()


def test_without_restart_the_shell_stays_dead(make_session: Make) -> None:
    session, rec = make_session()
    session.write("exit\r")
    wait_until(lambda: not session.alive)
    assert rec.finished[-1].ended_shell
    with pytest.raises(ShellClosed):
        session.run("true", timeout=1)


def test_a_shell_dying_at_start_up_is_given_up(make_session: Make, home: Path) -> None:
    flag = home / "started-once"
    session, rec, statuses = restarting(
        make_session, init_commands=[f"[ -e '{flag}' ] && exit 9; touch '{flag}'"]
    )
    session.write("exit 2\r")
    wait_until(lambda: not session.alive)
    assert statuses == [2] + [9] * (restart.MAX_RESTARTS - 1)
    assert rec.text().count("a new one started") == restart.MAX_RESTARTS
    assert "it was not started again" in rec.text()
    with pytest.raises(ShellClosed):
        session.run("true", timeout=1)


def test_restart_policy_window() -> None:
    policy = restart.RestartPolicy(limit=2, window=10)
    assert policy.allow(now=0) and policy.allow(now=1)
    assert not policy.allow(now=5)
    assert policy.allow(now=10.5)
