"""The line mode's own commands (``:hint``, ``:back`` …) and its exit status, through a pipe:
the real ``workshop run --plain``, real bash, the real mock.

A line starting with ``:`` and a word is the runner's, never bash's: ``help`` stays bash's
help and ``: > file`` bash's no-op. The exit status says whether the lesson was finished: 0
complete, 1 when input ends, ``exit`` or ``:quit`` comes first (130 on Ctrl-C is
``test_plain_interrupt``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engine_support import LESSON, STEP_IDS, WORKSHOP, cli, plain_commands, stop_router

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


def run_plain(home: Path, typed: str, *args: str) -> tuple[int, str]:
    """``workshop run --plain`` on the dev/prod parity lesson with ``typed`` as its input."""
    try:
        done = cli(
            "run", str(WORKSHOP), "--plain", "--lesson", LESSON, *args, home=home, stdin=typed
        )
    finally:
        stop_router(home)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout


def test_learner_commands_are_the_runners_and_never_reach_bash(tmp_path: Path) -> None:
    home = tmp_path / "home"
    typed = (
        ":help\n"
        ":hint\n"
        ":hint\n"
        ":solution\n"
        ":next\n"
        "cf target\n"
        ":back\n"
        ":next\n"
        ":lessons\n"
        ":hand\n"
        ":nonsense\n"
        ": > made-by-bash\n"
        "help cd | head -1\n"
    )
    status, out = run_plain(home, typed)
    assert status == 1, out
    assert "command not found" not in out
    # :help lists the commands; bash's `help` stays bash's
    for name in (":hint", ":solution", ":check", ":next, :back", ":skip", ":lessons", ":hand"):
        assert f"\n{name}" in out, name
    assert "\n:quit" in out and "\n:help" not in out
    assert "GNU bash" not in out
    assert "cd: cd [-L|[-P [-e]] [-@]] [dir]" in out
    # hints one by one, then the solution
    assert "Hint: cf target with no arguments only shows where the CLI points" in out
    assert "No more hints for this step: :solution shows the solution." in out
    assert "Solution: $ cf target" in out
    # a locked step stays locked; a passed one can be revisited, and left again
    assert "The next step opens once this one is done (or :skip it)." in out
    after_pass = out[out.index("✔ Step passed.") :]
    headings = [line for line in after_pass.splitlines() if " — step " in line]
    assert [h.split(" — ")[1].split(":")[0] for h in headings] == [
        "step 2 of 6",
        "step 1 of 6",
        "step 2 of 6",
    ]
    assert "(This step is passed: :next goes on.)" in after_pass
    # the lessons, the current one marked; a hand needs a classroom
    assert "▶ 11. X. Dev/prod parity" in out and "  1. Objective\n" in out  # none done yet
    assert "You are not in a classroom" in out
    assert "No command :nonsense. :help lists them." in out
    assert (home / "state").is_dir()
    shown = json.loads(cli("progress", "--json", home=home).stdout)
    assert [h["command"] for h in shown["history"]] == [
        "cf target",
        ": > made-by-bash",
        "help cd | head -1",
    ]
    assert shown["steps"][0]["hints_shown"] == 2  # the hint and the solution count as in the TUI


def test_a_learner_command_shows_after_the_prompt_in_the_file(tmp_path: Path) -> None:
    status, out = run_plain(tmp_path / "home", ":hint\n")
    assert status == 1
    assert "\nwork # :hint\n" in out


def test_lessons_n_goes_to_another_lesson(tmp_path: Path) -> None:
    status, out = run_plain(tmp_path / "home", ":lessons 12\n:lessons 99\n")
    assert status == 1
    assert "XI. Logs — step 1 of" in out
    assert "No lesson 99: :lessons lists them." in out


def test_reset_asks_and_says_what_is_lost(tmp_path: Path) -> None:
    home = tmp_path / "home"
    typed = plain_commands(STEP_IDS[:2]) + ":back\n:reset\nn\n:reset\ny\n"
    status, out = run_plain(home, typed)
    assert status == 1
    assert out.count("Start this step again") == 2
    assert "1 done step(s) from here on are to do again." in out
    assert "Not reset." in out and "Step reset (1 passed step(s) to do again)." in out


def test_quit_leaves_with_status_1_and_runs_nothing_after_it(tmp_path: Path) -> None:
    status, out = run_plain(tmp_path / "home", "cf target\n:quit\necho after-quit\n")
    assert status == 1, out
    assert "after-quit" not in out
    assert "Stopped at step 2 of 6 of X. Dev/prod parity" in out


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("echo hello\n", 0),  # the lesson is complete
        ("echo other\n", 1),  # input ends first
        ("exit\necho hello\n", 1),  # the shell is left first
    ],
)
def test_the_exit_status_says_whether_the_lesson_is_complete(
    tmp_path: Path, typed: str, status: int
) -> None:
    home = tmp_path / "home"
    try:
        done = cli("run", str(TINY), "--plain", "--lesson", "first", home=home, stdin=typed)
    finally:
        stop_router(home, "tiny")
    assert done.returncode == status, done.stdout + done.stderr
    assert ("Lesson complete: First." in done.stdout) == (status == 0)


def test_the_commands_of_a_step_already_run_count_after_a_restart_and_a_lesson_switch(
    tmp_path: Path,
) -> None:
    """Objective's first step has four commands. Two run, the runner quits; in the next run
    the third makes three of four, not a count that forgot what ran before. The same after
    going to another lesson and back."""
    home = tmp_path / "home"

    def run(typed: str) -> str:
        try:
            done = cli("run", str(WORKSHOP), "--plain", "--lesson", "objective", home=home,
                       stdin=typed)  # fmt: skip
        finally:
            stop_router(home)
        assert "Traceback" not in done.stderr, done.stderr
        return done.stdout

    assert "2 of 4 commands done" in run("java -version\nmvn --version\n:quit\n")
    out = run(":lessons 2\n:lessons 1\ngit --version\n:quit\n")
    assert "3 of 4 commands done" in out, out
    assert "Step passed" in run("cf -v\n:quit\n")


def test_bytes_that_are_not_utf8_reach_bash_as_they_are(tmp_path: Path) -> None:
    """A pipe may carry any bytes: bash gets them as typed (and says the command is not
    found); the runner goes on to the next line. It ended in a traceback."""
    import subprocess
    import sys

    from engine_support import REPO, cli_env

    try:
        done = subprocess.run(
            [sys.executable, "-m", "workshop", "run", str(WORKSHOP), "--plain", "--lesson", LESSON],
            cwd=REPO,
            env=cli_env(tmp_path),
            input=b"\xff\xfe-not-a-command\ncf target\n",
            capture_output=True,
            timeout=60,
        )
    finally:
        stop_router(tmp_path)
    out, err = done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    assert "Traceback" not in err, err
    assert "bash: $'\\377\\376-not-a-command': command not found" in out, out
    assert "step 2 of 6" in out, out  # cf target, the next line, still passed step 1
