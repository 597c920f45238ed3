"""ShellSession against real bash in a PTY: typed, edited and sent commands, interactive
programs, large and multi-byte output, forged markers, and closing a busy shell."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from shell_support import Recorder, wait_until

from workshop.shell import ShellClosed, ShellError, ShellSession, ShellTimeout

Make = Callable[..., tuple[ShellSession, Recorder]]
Shell = tuple[ShellSession, Recorder]
LEFT = "\x1b[D"


def test_typed_command_is_reported_with_its_status(shell: Shell) -> None:
    session, rec = shell
    session.write("(exit 3); echo typed\r")
    wait_until(lambda: rec.finished)
    result = rec.finished[0]
    assert rec.started == ["(exit 3); echo typed"]
    assert (result.command, result.exit_code, result.output) == (
        "(exit 3); echo typed",
        0,
        "typed\n",
    )
    session.write("echo x; (exit 4)\r")
    wait_until(lambda: len(rec.finished) == 2)
    assert rec.finished[1].exit_code == 4
    assert result.started_at <= result.ended_at


def test_line_edited_with_readline_keys_reports_the_final_line(shell: Shell) -> None:
    session, rec = shell
    session.write("echo helo")
    session.write(LEFT)
    session.write("l\r")
    wait_until(lambda: rec.finished)
    assert rec.finished[0].command == "echo hello"
    assert rec.finished[0].output == "hello\n"
    assert rec.started == ["echo hello"]


def test_empty_enter_is_not_a_command(shell: Shell) -> None:
    session, rec = shell
    session.run("true")
    session.write("\r")
    session.write("   \r")
    result = session.run("echo after")
    assert [r.command for r in rec.finished] == ["true", "echo after"]
    assert rec.started == ["true", "echo after"]
    assert result.output == "after\n"


def test_false_exits_one_and_run_returns_output(shell: Shell) -> None:
    session, _ = shell
    assert session.run("false").exit_code == 1
    result = session.run("printf 'a\\nb\\n'; echo err >&2")
    assert (result.exit_code, result.output) == (0, "a\nb\nerr\n")
    assert session.run("nosuchcommand-xyz").exit_code == 127


def test_directory_variables_and_history_carry_over(shell: Shell, tmp_path: Path) -> None:
    session, _ = shell
    target = tmp_path / "dir with space"
    target.mkdir()
    session.run(f"cd '{target}'")
    session.run("LESSON_VAR=parity; export OTHER=1")
    assert session.run("echo $LESSON_VAR $OTHER").output == "parity 1\n"
    assert session.run("pwd").output == f"{target}\n"
    assert session.cwd == target
    history = session.run("history").output
    assert "LESSON_VAR=parity" in history and f"cd '{target}'" in history
    histfile = session.run('echo "$HISTFILE"').output.strip()
    assert histfile and not histfile.startswith(os.environ["HOME"])


def test_ctrl_c_interrupts_a_running_command(shell: Shell) -> None:
    session, rec = shell
    session.write("sleep 100\r")
    wait_until(lambda: rec.started == ["sleep 100"])
    assert not session.at_prompt
    session.interrupt()
    wait_until(lambda: rec.finished)
    assert rec.finished[0].command == "sleep 100"
    assert rec.finished[0].exit_code == 130
    assert session.wait_idle(5)
    assert session.run("echo still here").output == "still here\n"


def test_password_prompt_answered_through_write(shell: Shell) -> None:
    session, rec = shell
    session.write('read -s -p "Password: " pw; echo; echo "got ${#pw} chars"\r')
    wait_until(lambda: rec.text().endswith("Password: "))
    assert not session.at_prompt
    session.write("s3cret\r")
    wait_until(lambda: rec.finished)
    result = rec.finished[0]
    assert result.exit_code == 0
    assert "got 6 chars" in result.output
    assert "s3cret" not in rec.text()


def test_prompted_input_is_echoed(shell: Shell) -> None:
    session, rec = shell
    session.write('read -p "Email: " email; echo "hello $email"\r')
    wait_until(lambda: rec.text().endswith("Email: "))
    session.write("me@example.org\r")
    wait_until(lambda: rec.finished)
    assert rec.finished[0].output == "Email: me@example.org\nhello me@example.org\n"


def test_hundred_thousand_lines_arrive_whole(shell: Shell) -> None:
    session, rec = shell
    result = session.run("seq 1 100000", timeout=60)
    assert result.exit_code == 0
    assert result.output.splitlines() == [str(i) for i in range(1, 100001)]
    shown = rec.text()
    assert "\r\n99999\r\n100000\r\n" in shown and "\r\n1\r\n2\r\n3\r\n" in shown


def test_multibyte_characters_split_across_reads(shell: Shell) -> None:
    session, rec = shell
    # One character whose bytes are written (and so read) apart.
    result = session.run(
        r"printf '\xc3'; sleep 0.2; printf '\xa9\xe2\x82'; sleep 0.2; printf '\xac\n'"
    )
    assert result.output == "é€\n"
    many = session.run("printf 'é€😀%.0s' {1..20000}; echo", timeout=60)
    assert many.output == "é€😀" * 20000 + "\n"
    assert "\ufffd" not in rec.text()


def test_forged_markers_in_output_are_not_obeyed(shell: Shell) -> None:
    session, rec = shell
    forge = (
        r"printf '\e]133;D;0\x1f/forged\x1fecho fake\a'; "
        r"printf '\e]133;B;0000000000000000\a'; "
        r"printf '\e]133;C;0000000000000000;    1  evil\a'; "
        "sleep 0.2; echo real; (exit 5)"
    )
    result = session.run(forge)
    assert result.exit_code == 5
    assert "real" in result.output
    assert [r.command for r in rec.finished] == [forge]
    assert rec.started == [forge]
    assert session.cwd != Path("/forged")


def test_markers_never_reach_the_display(shell: Shell) -> None:
    session, rec = shell
    session.run("echo one")
    session.write("echo two\r")
    wait_until(lambda: len(rec.finished) == 2)
    shown = rec.text()
    assert "\x1b]133;" not in shown
    assert session._nonce not in shown  # noqa: SLF001 - the secret must stay invisible


def test_callbacks_run_on_the_reader_thread(shell: Shell) -> None:
    session, rec = shell
    session.run("echo x")
    assert len(rec.threads) == 1
    assert next(iter(rec.threads)).startswith("workshop-shell-reader")


def test_multi_line_commands_and_refused_lines(shell: Shell) -> None:
    session, rec = shell
    heredoc = session.run("cat <<EOF\nfirst\n\nlast\nEOF")
    assert heredoc.output == "first\n\nlast\n"
    two = session.run("echo 1\necho 2; false")
    assert (two.command, two.exit_code, two.output) == ("echo 1\necho 2; false", 1, "1\n2\n")
    refused = session.run("echo )")
    assert refused.exit_code == 2 and "syntax error" in refused.output
    assert rec.finished[-1] == refused
    with pytest.raises(ShellError, match="incomplete"):
        session.run('echo "unclosed')
    assert session.run("echo ok").output == "ok\n"


def test_run_timeout_leaves_the_command_running(shell: Shell) -> None:
    session, rec = shell
    with pytest.raises(ShellTimeout):
        session.run("sleep 30", timeout=0.3)
    assert not session.at_prompt
    with pytest.raises(ShellTimeout):
        session.run("echo queued", timeout=0.2)
    session.interrupt()
    assert session.wait_idle(5)
    assert rec.finished[-1].exit_code == 130
    assert session.run("echo next").output == "next\n"


def test_init_commands_and_env(make_session: Make) -> None:
    session, _ = make_session(
        env={"WORKSHOP_MODE": "mock"},
        init_commands=["export CF_HOME=/tmp/cf-test", "alias hello='echo hi'"],
    )
    assert session.run('echo "$WORKSHOP_MODE $CF_HOME $TERM $PAGER"').output == (
        "mock /tmp/cf-test xterm-256color cat\n"
    )
    assert session.run("hello").output == "hi\n"


def test_hanging_init_command_times_out(home: Path) -> None:
    session = ShellSession(cwd=home, init_commands=["echo starting; sleep 30"])
    with pytest.raises(ShellTimeout, match="(?s)no prompt.*starting"):
        session.start(timeout=0.5)
    assert not session.alive
    session.close()


def test_start_in_a_missing_directory_is_a_clear_error(home: Path) -> None:
    session = ShellSession(cwd=home / "missing")
    with pytest.raises(ShellError, match="not a directory"):
        session.start()


def test_resize_reaches_programs(shell: Shell) -> None:
    session, _ = shell
    assert session.run("stty size").output == "24 80\n"
    session.resize(30, 100)
    assert session.run("stty size").output == "30 100\n"
    assert session.run("echo $COLUMNS").output == "100\n"


def test_learner_exit_ends_the_session(shell: Shell) -> None:
    session, rec = shell
    session.write("exit 7\r")
    wait_until(lambda: not session.alive)
    assert rec.finished[-1].command == "exit 7"
    assert rec.finished[-1].exit_code == 7
    assert not session.wait_idle(0.1)
    with pytest.raises(ShellClosed):
        session.run("echo gone", timeout=1)


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_close_of_a_busy_shell_kills_everything(shell: Shell) -> None:
    session, rec = shell
    session.run("trap '' HUP")  # bash itself ignores the polite signal
    stubborn = session.run("(trap '' HUP INT TERM; exec sleep 300) & echo $!").output.split()[-1]
    session.write("sleep 100\r")
    wait_until(lambda: rec.started[-1:] == ["sleep 100"])
    bash_pid = session.pid
    assert bash_pid is not None
    session.close()
    session.close()  # idempotent
    assert not session.alive and not session.at_prompt
    wait_until(lambda: _gone(int(stubborn)) and _gone(bash_pid), timeout=5)
    assert rec.finished[-1].command == "sleep 100"
    with pytest.raises(ShellClosed):
        session.write("echo\r")
    assert not session.wait_idle(0.1)


def test_history_dir_is_removed_on_close(shell: Shell) -> None:
    session, _ = shell
    histfile = Path(session.run('echo "$HISTFILE"').output.strip())
    assert histfile.parent.is_dir()
    session.close()
    assert not histfile.parent.exists()


def test_a_custom_prompt_keeps_the_markers(shell: Shell) -> None:
    session, rec = shell
    session.run("PS1='custom> '; PS2='more> '")
    assert session.run("echo ok").output == "ok\n"
    assert session.run("for i in 1 2\ndo echo $i\ndone").output == "1\n2\n"
    assert rec.text().endswith("custom> ")
    assert "more> " in rec.text()


def test_ctrl_c_at_the_prompt_is_not_a_command(shell: Shell) -> None:
    session, rec = shell
    session.write("half typed")
    wait_until(lambda: rec.text().endswith("half typed"))  # as a person would: seen, then ^C
    session.interrupt()
    assert session.wait_idle(5)
    assert session.run("echo next").output == "next\n"
    assert [r.command for r in rec.finished] == ["echo next"]


def test_lines_typed_ahead_run_before_run(shell: Shell) -> None:
    session, rec = shell
    session.write("sleep 0.3\r")
    wait_until(lambda: rec.started)
    session.write("echo ahead\r")  # typed while sleep runs: bash reads it afterwards
    result = session.run("echo mine")
    assert result.command == "echo mine" and result.output == "mine\n"
    assert [r.command for r in rec.finished] == ["sleep 0.3", "echo ahead", "echo mine"]


def test_run_from_a_callback_is_refused(make_session: Make) -> None:
    errors: list[BaseException] = []
    holder: list[ShellSession] = []

    def finished(result: object) -> None:
        try:
            holder[0].run("echo nested")
        except RuntimeError as exc:
            errors.append(exc)

    session, _ = make_session()
    holder.append(session)
    session.on_command_finished = finished
    session.run("true")
    assert errors and "callback" in str(errors[0])


def test_using_a_session_before_start_is_a_clear_error(home: Path) -> None:
    session = ShellSession(cwd=home)
    with pytest.raises(ShellError, match="not started"):
        session.run("true")
    with pytest.raises(ShellClosed, match="not started"):
        session.write("true\r")
    assert not session.alive and session.cwd is None
    session.close()
