"""``sudo`` in mock mode: ``sudo apt-get`` is answered offline, any other command goes to
the machine's own ``sudo``, which runs it as it would from a terminal.

The mock's ``sudo`` is Python, which ignores SIGPIPE; it used to hand that on to the real
``sudo`` and the command, so a pipe of the command's own whose reader stopped early failed
with "Broken pipe" where it ends quietly without the mock.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from workshop.mock.tools import write_shims


@pytest.fixture
def shims(tmp_path: Path) -> Path:
    """The shims of a mock home whose workshop simulates ``apt-get`` (and so ``sudo``)."""
    home = tmp_path / "mock home"
    (home / "bin").mkdir(parents=True)
    write_shims(home, ("apt-get",))
    return home / "bin"


def in_bash(script: str, path: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=path, WORKSHOP_MOCK_HOME=str(home))
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_sudo_apt_get_is_answered_offline(shims: Path) -> None:
    done = in_bash("sudo apt-get install -y git", f"{shims}:{os.environ['PATH']}", shims.parent)
    assert done.returncode == 0, done.stderr
    assert "git is already the newest version." in done.stdout


def test_another_command_goes_to_the_machines_sudo_with_default_signals(
    shims: Path, tmp_path: Path
) -> None:
    machine = tmp_path / "machine-bin"
    machine.mkdir()
    real = machine / "sudo"  # runs its command as the real one would (as the same user)
    real.write_text('#!/bin/bash\necho "real sudo: $*"\nexec "$@"\n')
    real.chmod(0o755)
    script = "sudo bash -c 'yes | head -1; echo \"yes ended with ${PIPESTATUS[0]}\"'"
    done = in_bash(script, f"{shims}:{machine}:{os.environ['PATH']}", shims.parent)
    assert done.returncode == 0, done.stderr
    assert "Broken pipe" not in done.stderr
    assert done.stdout.splitlines() == [
        'real sudo: bash -c yes | head -1; echo "yes ended with ${PIPESTATUS[0]}"',
        "y",
        "yes ended with 141",
    ]
