"""The ``workshop`` command line as a user meets it: help, version, and clean failures.

Runs the real program in a subprocess (``python -m workshop`` and the installed console
script) with its own ``WORKSHOP_HOME``; bad input must give a message and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workshop import __version__

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "workshop" / "bundled" / "12factor"


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``python -m workshop ARGS`` with every path under ``home``."""
    env = {k: v for k, v in os.environ.items() if k != "CF_DOMAIN"}
    env.update({"WORKSHOP_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"})
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_lists_show_and_lint(tmp_path: Path) -> None:
    result = run("--help", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "show" in result.stdout and "lint" in result.stdout


def test_version(tmp_path: Path) -> None:
    result = run("--version", home=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, f"workshop {__version__}")


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = shutil.which("workshop", path=str(Path(sys.executable).parent))
    assert script, "the `workshop` console script is missing (pip install -e .)"
    result = subprocess.run(
        [script, "show", str(SEED), "--json"],
        env={**os.environ, "WORKSHOP_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "dev-prod-parity" in [lesson["id"] for lesson in json.loads(result.stdout)["lessons"]]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], 2),  # no command: the help, exit 2
        (["no-such-command"], 2),
        (["show", "/nonexistent"], 1),
        (["lint", "/nonexistent/workshop.yaml"], 1),
        (["show", str(SEED), "--lesson", "nope"], 2),
    ],
)
def test_bad_input_is_a_message_not_a_traceback(tmp_path: Path, args: list[str], code: int) -> None:
    result = run(*args, home=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert (result.stdout + result.stderr).strip()


def test_show_lint_and_test_default_to_the_bundled_workshop_from_any_folder(
    tmp_path: Path,
) -> None:
    """Like ``workshop run``, the content commands need no PATH: the bundled workshop."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CF_DOMAIN"}
    env.update({"WORKSHOP_HOME": str(tmp_path / "home"), "NO_COLOR": "1"})

    def workshop(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "workshop", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    shown = workshop("show", "--json")
    assert shown.returncode == 0, shown.stderr
    assert "dev-prod-parity" in [lesson["id"] for lesson in json.loads(shown.stdout)["lessons"]]
    linted = workshop("lint")
    assert (linted.returncode, linted.stderr.strip()) == (0, "ok: 13 lesson(s), 48 step(s)")
    tested = workshop("test", "--lesson", "dev-prod-parity", "--json")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "dev-prod-parity" in tested.stdout


def test_show_nonexistent_names_the_path(tmp_path: Path) -> None:
    result = run("show", "/nonexistent", home=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip() == "workshop: /nonexistent: no such file or folder"


def test_a_clean_up_that_hangs_after_ctrl_c_still_ends_the_process() -> None:
    """After Ctrl-C, SIGTERM or SIGHUP the clean-up has ``CLEAN_UP_GRACE`` seconds; a clean-up
    stuck longer (a run once hung 20 s after Ctrl-C) ends with the signal's status anyway."""
    import subprocess
    import time

    code = (
        "import time, workshop.ending as e; e.CLEAN_UP_GRACE = 0.3; e.leave_anyway(130);"
        "time.sleep(30)"  # the clean-up that never ends
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, timeout=20, check=False, capture_output=True
    )
    assert done.returncode == 130
    assert time.monotonic() - started < 15
    assert done.stderr.decode().rstrip().endswith("workshop: interrupted")  # still said


def _help_and_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, ...]:
    """What the parser built for ``argv`` prints for ``argv + --help`` and for a bad option."""
    from workshop.cli import build_parser

    said = []
    for extra in (["--help"], ["--no-such-option"]):
        with pytest.raises(SystemExit):
            build_parser(argv).parse_args([*argv, *extra])
        out, err = capsys.readouterr()
        said.append(out + err)
    return tuple(said)


def test_each_command_registers_its_own_module_alone_with_the_same_help_and_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A command line that starts with a command builds only that command's group (ALONE);
    every command of every group is named there, with the group that registers it, and
    says the same as when every group is built."""
    import argparse
    import importlib

    from workshop.cli import ALONE, COMMAND_MODULES

    registers = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        registers.update(dict.fromkeys(sub.choices, name))
    assert ALONE == registers
    for command in ALONE:
        alone = _help_and_error([command], capsys)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("workshop.cli.ALONE", {})  # every group, as for `workshop --help`
            every = _help_and_error([command], capsys)
        assert alone == every and f"workshop {command}" in alone[0] and "error:" in alone[1]
