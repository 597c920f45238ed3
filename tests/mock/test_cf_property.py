"""Property: whatever a learner types, in whatever state, the fake cf answers like cf v6 —
never a Python traceback, exit status only 0 or 1 (reference §1.1)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from cf_support import cf_command, cf_env, dev_prod_start
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s

from workshop.mock import state as st
from workshop.mock.router.control import python_environment

COMMANDS = [
    "api",
    "login",
    "logout",
    "target",
    "t",
    "spaces",
    "create-space",
    "delete-space",
    "marketplace",
    "m",
    "create-service",
    "services",
    "bind-service",
    "unbind-service",
    "delete-service",
    "cups",
    "create-user-provided-service",
    "push",
    "apps",
    "app",
    "routes",
    "delete",
    "start",
    "stop",
    "restart",
    "restage",
    "scale",
    "set-env",
    "unset-env",
    "env",
    "logs",
    "orgs",
    "domains",
    "help",
    "version",
    "curl",
    "-v",
    "-h",
    "--build",
]
WORDS = [
    "workshop-12f-stock",
    "mysql",
    "redis",
    "development",
    "production_test",
    "your-org",
    "cleardb",
    "spark",
    "30mb",
    "rediscloud",
    "x",
    "",
    "-",
    "--",
    "é",
    "a b",
    "1",
    "-1",
    "0",
    "nope",
    "api.run.pivotal.io",
    "http://api.cfapps.io",
    "target/stock-1.0-SNAPSHOT.jar",
    "manifest.yml",
    "{}",
    "{bad",
    "1G",
    "512M",
    "lots",
]
FLAGS = [
    "-f",
    "-r",
    "-o",
    "-s",
    "-u",
    "-p",
    "-a",
    "-i",
    "-m",
    "-k",
    "-n",
    "--hostname",
    "--no-start",
    "--no-route",
    "--random-route",
    "--no-manifest",
    "-c",
    "-t",
    "-l",
    "-d",
    "-b",
    "--guid",
    "--recent",
    "--orglevel",
    "--unset",
    "--skip-ssl-validation",
    "--sso",
    "-h",
    "--bogus",
    "-i=2",
    "--no-hostname",
]

argvs = s.lists(s.sampled_from(COMMANDS), min_size=1, max_size=1).flatmap(
    lambda head: s.lists(
        s.one_of(
            s.sampled_from(WORDS), s.sampled_from(FLAGS), s.text(alphabet="abc-_=/.{}", max_size=6)
        ),
        max_size=5,
    ).map(lambda tail: head + tail)
)

starts = s.fixed_dictionaries(
    {
        "logged_in": s.booleans(),
        "space": s.sampled_from(["development", "production_test", None]),
        "api": s.sampled_from(["https://api.run.pivotal.io", None]),
        "with_app": s.booleans(),
        "app_state": s.sampled_from(["started", "stopped"]),
        "extra_space": s.booleans(),
    }
)


def build_start(choice: dict[str, Any]) -> dict[str, Any]:
    start, _ = dev_prod_start()
    start = {
        **start,
        "logged_in": choice["logged_in"],
        "space": choice["space"],
        "api": choice["api"],
    }
    spaces = {"development": {**start["spaces"]["development"]}}
    if not choice["with_app"]:
        spaces["development"]["apps"] = []
    else:
        spaces["development"]["apps"] = [
            {**a, "state": choice["app_state"]} for a in spaces["development"]["apps"]
        ]
    if choice["extra_space"]:
        spaces["production_test"] = {}
    start["spaces"] = spaces
    return start


@settings(
    max_examples=int(os.environ.get("CF_MOCK_PROPERTY_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(argv=argvs, choice=starts)
def test_never_a_traceback_and_only_cf_exit_codes(
    tmp_path: Path, argv: list[str], choice: dict[str, Any]
) -> None:
    if argv[0] == "logs" and "--recent" not in argv:
        argv = [*argv, "--recent"]  # tailing runs until Ctrl-C (tested on a PTY)
    home = tmp_path / f"h{abs(hash((tuple(argv), tuple(sorted(map(str, choice.items()))))))}"
    _, settings_ = dev_prod_start()
    st.reset(home, build_start(choice), settings_)
    env = cf_env(home)
    del env["WORKSHOP_MOCK_DEBUG"]
    proc = subprocess.run(
        cf_command(*argv),
        cwd=home / "work",
        env=python_environment(env),
        input=b"",
        capture_output=True,
        timeout=30,
    )
    out = proc.stdout.decode("utf-8", "replace")
    assert "Traceback" not in out and proc.stderr == b"", (argv, out, proc.stderr)
    assert "Internal error in the offline cf mock" not in out, (argv, out)
    assert proc.returncode in (0, 1), (argv, proc.returncode, out)
