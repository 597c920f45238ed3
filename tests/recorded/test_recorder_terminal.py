"""The recording shim on a terminal runs the real program as the terminal alone would.

``workshop record`` puts a shim before each ``recorded:`` program; on a terminal the shim
runs the real one in a pseudo-terminal of its own (``workshop.mock.recorder``). The shim is
Python, which ignores SIGPIPE: the real program used to inherit that, so a pipe of its own
whose reader stopped early failed with "Broken pipe" where the terminal ends it quietly,
and that was what got recorded.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect

SHIM = "import os, sys\nfrom workshop.mock.recorder import main\nsys.exit(main('piper', os.environ['SHIMS']))"
"""A recording shim of ``piper`` (the shims' folder in SHIMS), as ``workshop record`` makes."""


def test_a_pipe_of_the_real_program_ends_as_in_a_terminal(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    program = real / "piper"
    program.write_text('#!/bin/bash\nyes | head -1\necho "yes ended with ${PIPESTATUS[0]}"\n')
    program.chmod(0o755)
    shims = tmp_path / "shims"
    shims.mkdir()
    log = tmp_path / "calls.jsonl"
    env = dict(os.environ, PATH=f"{shims}:{real}:{os.environ['PATH']}")
    env.update(WORKSHOP_RECORD_LOG=str(log), SHIMS=str(shims))
    shim = pexpect.spawn(sys.executable, ["-c", SHIM], env=env, encoding="utf-8", timeout=20)
    shim.expect(pexpect.EOF)
    shim.close()
    assert "Broken pipe" not in shim.before
    assert "yes ended with 141" in shim.before, shim.before
    (call,) = [json.loads(line) for line in log.read_text().splitlines()]
    assert call["argv"] == ["piper"] and call["exit"] == 0
    assert "yes ended with 141" in "".join(c[1] for c in call["chunks"] if isinstance(c[1], str))
