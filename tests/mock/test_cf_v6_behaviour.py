"""cf v6.16.1's behaviour where the mock used to guess: the real executable, end to end.

Each case is something the real CLI does differently from what one would expect (read
from its v6.16.1 sources, or from the real CLI where it needs no Cloud Controller).
"""

from __future__ import annotations

import json
from pathlib import Path

from cf_support import block, cf

APP = "workshop-12f-stock"


def test_api_unset_keeps_the_session(home: Path) -> None:
    assert cf(home, "api", "--unset") == (
        "Unsetting api endpoint...\nOK\n\nNo api endpoint set.\n",
        0,
    )
    assert cf(home, "target") == (
        "No API endpoint set. Use 'cf login' or 'cf api' to target an endpoint.\n"
        + block(api=None),
        0,
    )
    out, code = cf(home, "apps")
    assert code == 1 and out.startswith("No API endpoint set.")
    assert 'unsupported protocol scheme ""' in out


def test_set_env_takes_dashes_as_the_value(home: Path) -> None:
    out, code = cf(home, "set-env", APP, "JAVA_OPTS", "-Xmx512m -Dfoo=bar")
    assert code == 0 and "Setting env variable 'JAVA_OPTS' to '-Xmx512m -Dfoo=bar'" in out
    state = json.loads((home / "state.json").read_text())
    app = state["orgs"]["your-org"]["spaces"]["development"]["apps"][APP]
    assert app["env"]["JAVA_OPTS"] == "-Xmx512m -Dfoo=bar"


def test_extra_arguments_are_ignored_where_cf_ignores_them(home: Path) -> None:
    assert cf(home, "logout", "now", "please") == ("Logging out...\nOK\n", 0)
    out, code = cf(home, "api", "api.run.pivotal.io", "extra")
    assert code == 0 and out.startswith("Setting api endpoint to api.run.pivotal.io...\nOK\n")


def test_help_after_an_argument_is_an_invalid_flag_of_help(home: Path) -> None:
    out, code = cf(home, "push", APP, "-h")
    assert code == 1
    assert out.startswith(
        "FAILED\nIncorrect Usage\n\nInvalid flag: -h\n\nNAME:\n   help - Show help\n"
    )
    out, code = cf(home, "push", "-h", APP)
    assert code == 0 and out.startswith("NAME:\n   push - Push a new app")


def test_cups_with_broken_json_asks_for_the_names(home: Path) -> None:
    out, code = cf(home, "cups", "creds", "-p", '{"user": oops, pw}', stdin="a\nb\n")
    assert code == 0
    assert out.startswith('\n{"user": oops> \npw}> Creating user provided service creds')


def test_every_real_command_and_alias_is_known(home: Path) -> None:
    for word in ("f", "uups", "pw", "org", "space", "quotas", "events", "files", "ssh", "curl"):
        out, code = cf(home, word, "-h")
        assert code == 0 and out.startswith("NAME:\n"), word
    out, code = cf(home, "create-shared-domain", "x.example.com")
    assert (out, code) == (
        "FAILED\n'cf create-shared-domain' is not available in the offline workshop mock.\n",
        1,
    )


def test_the_learners_off_script_commands_answer(home: Path) -> None:
    out, code = cf(home, "org", "your-org")
    assert code == 0 and "spaces:         development" in out.replace("   ", " " * 3)
    out, code = cf(home, "space", "development")
    assert code == 0 and APP in out
    out, code = cf(home, "service", "mysql")
    assert code == 0 and "Service: cleardb\n" in out and "Plan: spark\n" in out
    assert cf(home, "rename", APP, "stock")[1] == 0
    assert "stock " in cf(home, "apps")[0]
    assert cf(home, "rename", "stock", APP)[1] == 0
    out, code = cf(home, "create-route", "development", "cfapps.io", "-n", "extra-host")
    assert code == 0
    assert cf(home, "map-route", APP, "cfapps.io", "-n", "extra-host")[1] == 0
    assert "extra-host.cfapps.io" in cf(home, "app", APP)[0]
    assert cf(home, "unmap-route", APP, "cfapps.io", "-n", "extra-host")[1] == 0
    out, code = cf(home, "delete-route", "cfapps.io", "-n", "extra-host", "-f")
    assert (out, code) == ("Deleting route extra-host.cfapps.io...\nOK\n", 0)
    assert "extra-host" not in cf(home, "routes")[0]
    out, code = cf(home, "ssh", APP)
    assert code == 1 and out.startswith("FAILED\nError opening SSH connection: ")
    out, code = cf(home, "files", APP)
    assert (out, code) == (
        "FAILED\nThe app is running on the Diego backend, which does not support this command.\n",
        1,
    )
    assert cf(home, "stop", APP)[1] == 0
    out, code = cf(home, "events", APP)
    assert code == 0 and "audit.app.update   user_name   state: STOPPED" in out
    out, code = cf(home, "config", "--color", "false")
    assert (out, code) == ("", 0)
    assert json.loads((home / ".cf" / "config.json").read_text())["ColorEnabled"] == "false"


def test_cf_config_color_decides_unless_cf_color_says(home: Path) -> None:
    assert cf(home, "config", "--color", "true") == ("", 0)
    out, _ = cf(home, "apps")
    assert "\033[1;32mOK\033[0m" in out  # asked for, even on a pipe
    out, _ = cf(home, "apps", CF_COLOR="false")
    assert "\033[" not in out  # CF_COLOR=false wins
    assert cf(home, "config", "--color", "false") == ("", 0)
    assert "\033[" not in cf(home, "apps")[0]


def test_binding_with_no_space_targeted_finds_no_app(home: Path) -> None:
    """bind-service needs no targeted space in v6.16.1; after `cf auth` (which clears the
    target) the app lookup finds nothing. The mock used to crash there (KeyError)."""
    user, password = "user_name", "password"
    assert cf(home, "auth", user, password)[1] == 0
    assert cf(home, "bind-service", APP, "mysql") == (f"FAILED\nApp {APP} not found\n", 1)
    assert cf(home, "unbind-service", APP, "mysql") == (f"FAILED\nApp {APP} not found\n", 1)
