"""The learner's exported environment as the session reports it (``ShellSession.env``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shell_support import Recorder

from workshop.shell import CommandResult, ShellSession

Make = Callable[..., tuple[ShellSession, Recorder]]
Shell = tuple[ShellSession, Recorder]


def test_a_typed_export_is_in_env_when_the_command_is_reported(shell: Shell) -> None:
    session, rec = shell
    seen: list[str | None] = []

    def finished(result: CommandResult) -> None:
        rec.on_finished(result)
        seen.append(session.env.get("GREETING"))

    session.on_command_finished = finished
    assert "GREETING" not in session.env
    session.write("export GREETING=hello\r")
    session.wait_idle(5)
    assert session.run("true").exit_code == 0
    assert seen == ["hello", "hello"]
    session.run("unset GREETING")
    assert "GREETING" not in session.env
    session.run("GREETING=local_only")  # set, not exported: not in the environment
    assert "GREETING" not in session.env


def test_values_with_newlines_bells_and_escapes_arrive_intact(shell: Shell) -> None:
    session, _ = shell
    session.run(r"export ODD=$'line one\nline two\a\e]133;B;x\a end'; export 'EMPTY='")
    assert session.env["ODD"] == "line one\nline two\a\x1b]133;B;x\a end"
    assert session.env["EMPTY"] == ""
    session.run(r"export UTF=$'\xc3\xa9\xff'")
    assert session.env["UTF"].encode("utf-8", "surrogateescape") == b"\xc3\xa9\xff"


def test_env_starts_as_the_start_environment(make_session: Make, home: Path) -> None:
    unstarted = ShellSession(env={"FROM_RUNNER": "1"}, cwd=home)
    assert unstarted.env["FROM_RUNNER"] == "1" and unstarted.env["PAGER"] == "cat"
    session, _ = make_session(env={"FROM_RUNNER": "1"}, init_commands=["export FROM_INIT=2"])
    env = session.env
    assert (env["FROM_RUNNER"], env["FROM_INIT"], env["PWD"]) == ("1", "2", str(home))
    assert "_" not in env
    assert env["HOME"] == str(home)


def test_a_broken_path_does_not_stop_the_reports(shell: Shell) -> None:
    session, _ = shell
    session.run("export PATH=/nonexistent; export AFTER=yes")
    assert session.env["PATH"] == "/nonexistent"
    assert session.env["AFTER"] == "yes"


def test_an_unchanged_environment_is_not_reported_again(shell: Shell) -> None:
    session, _ = shell
    tracker = session._tracker  # noqa: SLF001 - the report itself is invisible by design
    first = tracker.env
    assert first is not None
    for _ in range(3):
        session.run("true")
    session.run("echo $HOME >/dev/null")
    assert tracker.env is first
    session.run("cd /")
    assert tracker.env is not first and tracker.env["PWD"] == "/"
