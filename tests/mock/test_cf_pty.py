"""The fake cf on a real terminal (pexpect PTY): login prompts without password echo,
org/space menus, colours, tailing logs until Ctrl-C."""

from __future__ import annotations

import io
import json
import signal
import sys
import time
from pathlib import Path

import pexpect
from cf_support import cf, cf_env, seeded_home

from workshop.mock import state as st


def spawn(home: Path, *args: str, **env: str) -> pexpect.spawn:
    """``cf ARGS`` on a PTY; everything it prints is kept in ``child.logfile_read``."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "workshop.mock.cf", *args],
        cwd=str(home),
        env=cf_env(home, **env),
        encoding="utf-8",
        timeout=15,
        dimensions=(40, 200),
    )
    child.delaybeforesend = None
    child.logfile_read = io.StringIO()
    return child


def test_interactive_login_hides_the_password(fresh: Path) -> None:
    child = spawn(fresh, "login", CF_COLOR="false")
    child.expect_exact("API endpoint: https://api.run.pivotal.io\r\n\r\nEmail> ")
    child.sendline("user_name")
    child.expect_exact("user_name\r\n\r\nPassword> ")
    child.sendline("s3cret-word")
    child.expect_exact("Authenticating...")
    child.expect_exact("Password> ")  # rejected: asked again
    child.sendline("password")
    child.expect(pexpect.EOF)
    child.close()
    transcript = child.logfile_read.getvalue()
    assert "s3cret-word" not in transcript and "password" not in transcript
    assert (
        "Password> \r\nAuthenticating...\r\nCredentials were rejected, please try again.\r\n\r\n"
        "Password> \r\nAuthenticating...\r\nOK\r\n"
    ) in transcript
    assert child.exitstatus == 0
    assert "Targeted org your-org" in transcript and "Space:          development   " in transcript


def test_login_menus_for_orgs_and_spaces(tmp_path: Path) -> None:
    start = {
        "user": "me@example.com",
        "password": "pw",
        "logged_in": False,
        "org": "my-org",
        "orgs": ["other-org"],
        "spaces": {"development": {}, "production_test": {}},
    }
    home = seeded_home(tmp_path, start, None)
    child = spawn(home, "login", "-u", "me@example.com", "-p", "pw", CF_COLOR="false")
    child.expect_exact(
        "Select an org (or press enter to skip):\r\n1. my-org\r\n2. other-org\r\n\r\nOrg> "
    )
    child.sendline("7")  # out of range: the list again
    child.expect_exact(
        "Select an org (or press enter to skip):\r\n1. my-org\r\n2. other-org\r\n\r\nOrg> "
    )
    child.sendline("1")
    child.expect_exact(
        "Targeted org my-org\r\n\r\nSelect a space (or press enter to skip):\r\n"
        "1. development\r\n2. production_test\r\n\r\nSpace> "
    )
    child.sendline("production_test")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Targeted space production_test\r\n\r\n\r\n" in child.before
    session = json.loads((home / "state.json").read_text())["session"]
    assert session == {"user": "me@example.com", "org": "my-org", "space": "production_test"}


def test_colours_on_a_terminal_only(home: Path) -> None:
    child = spawn(home, "services")
    child.expect(pexpect.EOF)
    out = child.before
    assert "\x1b[1;32mOK\x1b[0m" in out
    assert "\x1b[1;38mname\x1b[0m   " in out and "\x1b[1;36mmysql\x1b[0m   " in out
    assert "Getting services in org \x1b[1;36myour-org\x1b[0m" in out
    child = spawn(home, "app", "nope", CF_COLOR="false")
    child.expect(pexpect.EOF)
    assert child.before == "FAILED\r\nApp nope not found\r\n"
    forced, _ = cf(home, "target", CF_COLOR="true")
    assert "\x1b[1;36muser_name\x1b[0m" in forced
    assert "\x1b" not in cf(home, "target")[0]


def test_tailing_logs_until_ctrl_c(home: Path) -> None:
    child = spawn(home, "logs", "workshop-12f-stock", CF_COLOR="false")
    child.expect_exact(
        "Connected, tailing logs for app workshop-12f-stock in org your-org / space development "
        "as user_name...\r\n\r\n"
    )
    with st.transaction(home) as state:
        st.append_log(
            state,
            "your-org",
            "development",
            "workshop-12f-stock",
            "RTR/0",
            'workshop-12f-stock.cfapps.io - "GET /stock/ping HTTP/1.1" 200',
            when=time.time(),
        )
    child.expect_exact(
        '[RTR/0]      OUT workshop-12f-stock.cfapps.io - "GET /stock/ping HTTP/1.1" 200\r\n'
    )
    child.kill(signal.SIGINT)
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in child.before
    assert child.signalstatus == signal.SIGINT


def test_ctrl_c_at_the_password_prompt_exits_2(fresh: Path) -> None:
    child = spawn(fresh, "login", "-u", "user_name", CF_COLOR="false")
    child.expect_exact("Password> ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2 and "Traceback" not in child.before
