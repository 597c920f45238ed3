"""The tools in an interactive bash on a terminal, as the learner types them: git's progress
lines on a tty, and Ctrl-C stopping ``java -jar`` with the JVM's status 130."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pexpect
from tools_support import curl, free_port


def test_ctrl_c_stops_the_app_in_a_terminal(home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PROMPT_COMMAND", "PS1")}
    env.update(TERM="dumb", PS1="$ ")
    shell = pexpect.spawn(
        "bash", ["--noprofile", "--norc", "-i"], env=env, encoding="utf-8", timeout=20, echo=False
    )
    try:
        shell.expect_exact("$ ")
        mock_env = (
            f"{shlex.quote(sys.executable)} -m workshop mock env --home {shlex.quote(str(home))}"
        )
        shell.sendline(f'eval "$({mock_env} --lesson dependencies)"')
        shell.expect_exact("$ ")
        shell.sendline("git clone https://github.com/learner/my-stock.git")
        shell.expect_exact("$ ")
        transcript = shell.before
        assert "Cloning into 'my-stock'..." in transcript
        assert "Checking connectivity... done." in transcript  # progress: stderr is a tty
        shell.sendline("cd my-stock && mvn -q clean package && echo built")
        shell.expect_exact("built")
        shell.expect_exact("$ ")
        port = free_port()
        shell.sendline(f"SERVER_PORT={port} java -jar target/stock-1.0-SNAPSHOT.jar")
        shell.expect(r"Started StockSpringBootStarter in [0-9.]+ seconds")
        assert curl(port, "/stock/ping") == "Ping null"
        shell.sendcontrol("c")
        shell.expect_exact("$ ")
        assert "Traceback" not in shell.before
        shell.sendline('echo "rc=$?"')
        shell.expect(r"rc=(\d+)")
        assert shell.match.group(1) == "130"
        assert curl(port, "/stock/ping") == ""
    finally:
        shell.close(force=True)
