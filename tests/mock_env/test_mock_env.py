"""``workshop mock env|state|reset|stop`` for real: eval'd in bash, the seed's commands, curl."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from env_support import bash, workshop

from workshop.mock import state as mock_state
from workshop.mock.env import mock_environment, working_dir
from workshop.paths import bundled_workshop

SEED = """
cf target
cf create-space production_test
cf target -s production_test
cf create-service cleardb spark mysql
cf create-service rediscloud 30mb redis
cf push -n workshop-12f-stock-production_test
"""


def test_env_prints_exports_in_order(home: Path) -> None:
    done = workshop("mock", "env", "--home", str(home), "--lesson", "dev-prod-parity")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f'export PATH={shlex.quote(str(home / "bin"))}:"$PATH"'
    assert lines[-1] == f"cd {shlex.quote(str(home / 'work'))}"
    assert "unset CF_COLOR" in lines
    port = json.loads((home / "router.json").read_text())["port"]
    for line in (
        f"export CF_HOME={home}",
        f"export WORKSHOP_MOCK_HOME={home}",
        f"export http_proxy=http://127.0.0.1:{port}",
        f"export HTTP_PROXY=http://127.0.0.1:{port}",
        "export no_proxy=localhost,127.0.0.1,::1",
        f"export WORKSHOP_MOCK_RECORDINGS={bundled_workshop() / 'recordings'}",
    ):
        assert line in lines
    assert (home / "work" / "manifest.yml").is_file()
    assert (home / "work" / "target" / "stock-1.0-SNAPSHOT.jar").is_file()


def test_seed_commands_then_curl_print_ping_null(home: Path) -> None:
    script = (
        f'eval "$({shlex.quote(sys.executable)} -m workshop mock env --home {shlex.quote(str(home))}'
        ' --lesson dev-prod-parity)"\n'
        'test "$(command -v cf)" = "$WORKSHOP_MOCK_HOME/bin/cf" || exit 91\n'
        'test "$PWD" = "$WORKSHOP_MOCK_HOME/work" || exit 92\n'
        "set -e\n"
        + SEED
        + "\ncurl -sS http://workshop-12f-stock-production_test.cfapps.io/stock/ping\n"
        + "echo\ncurl -sS https://workshop-12f-stock-production_test.cfapps.io/stock/ping\n"
        + "echo\ncurl -sS https://workshop-12f-stock.cfapps.io/stock/ping\n"
    )
    done = bash(script)
    assert done.returncode == 0, done.stdout + done.stderr
    # http and https alike, and the lesson's own app at its https URL
    assert done.stdout.endswith("Ping null\nPing null\nPing some_value")
    assert "Uploaded droplet (56.4M)" in done.stdout  # the shipped push cassette's staging log
    state = mock_state.load(home)
    assert (
        state["routes"]["workshop-12f-stock-production_test.cfapps.io"]["space"]
        == "production_test"
    )


def test_env_change_needs_a_restart_through_cf(home: Path) -> None:
    script = (
        f'eval "$({shlex.quote(sys.executable)} -m workshop mock env --home {shlex.quote(str(home))}'
        ' --lesson dev-prod-parity)"\n'
        "URL=http://workshop-12f-stock.cfapps.io/stock/ping\n"
        "curl -s $URL; echo\n"
        "cf set-env workshop-12f-stock environment.variable other >/dev/null\n"
        "curl -s $URL; echo\n"
        "cf restart workshop-12f-stock >/dev/null\n"
        "curl -s $URL; echo\n"
        "cf stop workshop-12f-stock >/dev/null\n"
        "curl -s $URL; echo\n"
    )
    done = bash(script)
    assert done.stdout.splitlines() == [
        "Ping some_value",
        "Ping some_value",
        "Ping other",
        "404 Not Found: Requested route ('workshop-12f-stock.cfapps.io') does not exist.",
        "",  # the router's body ends with a newline, then echo's
    ], done.stderr


def test_existing_home_is_kept_unless_reset(home: Path) -> None:
    assert (
        workshop("mock", "env", "--home", str(home), "--lesson", "dev-prod-parity").returncode == 0
    )
    with mock_state.transaction(home) as state:
        state["session"]["space"] = None
    assert (
        workshop("mock", "env", "--home", str(home), "--lesson", "dev-prod-parity").returncode == 0
    )
    assert mock_state.load(home)["session"]["space"] is None
    done = workshop("mock", "env", "--home", str(home), "--lesson", "dev-prod-parity", "--reset")
    assert done.returncode == 0
    assert mock_state.load(home)["session"]["space"] == "development"


def test_reset_restores_the_lesson_start(home: Path) -> None:
    assert (
        workshop("mock", "env", "--home", str(home), "--lesson", "dev-prod-parity").returncode == 0
    )
    with mock_state.transaction(home) as state:
        state["orgs"]["your-org"]["spaces"].pop("development")
    (home / "work" / "manifest.yml").unlink()
    done = workshop("mock", "reset", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert "dev-prod-parity" in done.stdout
    assert "development" in mock_state.load(home)["orgs"]["your-org"]["spaces"]
    assert (home / "work" / "manifest.yml").is_file()


def test_state_readable_and_json(home: Path) -> None:
    assert (
        workshop("mock", "env", "--home", str(home), "--lesson", "dev-prod-parity").returncode == 0
    )
    done = workshop("mock", "state", "--home", str(home))
    assert done.returncode == 0
    assert "app workshop-12f-stock: started, 2/2 running" in done.stdout
    assert "env environment.variable=some_value" in done.stdout
    assert "service mysql: cleardb spark" in done.stdout
    raw = json.loads(workshop("mock", "state", "--home", str(home), "--json").stdout)
    assert raw == mock_state.load(home)


def test_stop(home: Path) -> None:
    assert workshop("mock", "env", "--home", str(home)).returncode == 0
    assert workshop("mock", "stop", "--home", str(home)).stdout == "Router stopped.\n"
    assert workshop("mock", "stop", "--home", str(home)).stdout == "No router was running.\n"


def test_errors_are_messages(tmp_path: Path, home: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    for args, words in (
        (["mock", "env", "--home", str(a_file)], "is not a folder"),
        (["mock", "env", "--home", str(busy)], "is not a mock home"),
        (["mock", "env", "--home", str(home), "--lesson", "nope"], "no lesson 'nope'"),
        (["mock", "state", "--home", str(tmp_path / "new")], "no mock foundation"),
        (["mock", "env", "--workshop", str(tmp_path / "missing")], "missing"),
    ):
        done = workshop(*args)
        assert done.returncode != 0, args
        assert words in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (busy / "bin").exists()


def test_mock_environment_for_the_engine(home: Path) -> None:
    env = mock_environment(home, None, {"domain": "cfapps.io"}, path="/usr/bin:/bin")
    assert env["PATH"] == f"{home / 'bin'}:/usr/bin:/bin"
    assert env["CF_HOME"] == env["WORKSHOP_MOCK_HOME"] == str(home)
    assert env["http_proxy"].startswith("http://127.0.0.1:")
    assert env["https_proxy"] == env["http_proxy"]
    assert env["SSL_CERT_FILE"] == env["CURL_CA_BUNDLE"] == env["REQUESTS_CA_BUNDLE"]
    assert Path(env["SSL_CERT_FILE"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert working_dir(home) == home / "work" and working_dir(home).is_dir()
    assert mock_state.load(home)["session"]["user"] is None  # no start: a fresh account


def test_cf_restarts_a_gone_router_on_the_same_port(home: Path) -> None:
    from env_support import wait_for_router

    script = (
        f'eval "$({shlex.quote(sys.executable)} -m workshop mock env --home {shlex.quote(str(home))}'
        ' --lesson dev-prod-parity)"\n'
        f"{shlex.quote(sys.executable)} -m workshop mock stop --home {shlex.quote(str(home))}\n"
        "cf target >/dev/null\n"
        "echo $http_proxy\n"
    )
    done = bash(script)
    assert done.stdout.startswith("Router stopped.\n"), done.stdout + done.stderr
    proxy = done.stdout.splitlines()[-1]
    info = wait_for_router(home)
    assert proxy == f"http://127.0.0.1:{info['port']}"
    ping = bash(f"http_proxy={proxy} curl -s http://workshop-12f-stock.cfapps.io/stock/ping")
    assert ping.stdout == "Ping some_value"


def test_a_home_with_spaces_and_quotes(tmp_path: Path) -> None:
    from mock_support import stop_router_of

    home = tmp_path / "my home's dir"
    q = shlex.quote
    script = (
        f'eval "$({q(sys.executable)} -m workshop mock env --home {q(str(home))}'
        ' --lesson dev-prod-parity)"\n'
        "pwd\n"
        "env -u WORKSHOP_MOCK_HOME -u CF_HOME cf target | grep Space\n"  # the shim knows its home
        "curl -s http://workshop-12f-stock.cfapps.io/stock/ping\n"
    )
    try:
        done = bash(script)
    finally:
        stop_router_of(home)
    assert done.stdout.splitlines() == [
        str(home / "work"),
        "Space:          development   ",
        "Ping some_value",
    ], done.stderr


def test_the_cf_shim_caches_its_bytecode_where_the_environment_says(
    home: Path, tmp_path: Path
) -> None:
    """In the user's cache folder by default, shared by every mock home (even with
    PYTHONDONTWRITEBYTECODE set; a new home compiled the mock again); in the folder
    PYTHONPYCACHEPREFIX names when there is one."""
    cache = tmp_path / "cache"
    named = tmp_path / "named"
    q = shlex.quote
    script = (
        f"export WORKSHOP_CACHE_DIR={q(str(cache))}\n"
        f'eval "$({q(sys.executable)} -m workshop mock env --home {q(str(home))}'
        ' --lesson dev-prod-parity)"\n'
        "PYTHONDONTWRITEBYTECODE=1 PYTHONPYCACHEPREFIX= cf target >/dev/null || exit 91\n"
        f"PYTHONDONTWRITEBYTECODE=1 PYTHONPYCACHEPREFIX={q(str(named))} cf apps >/dev/null"
        " || exit 92\n"
    )
    done = bash(script)
    assert done.returncode == 0, done.stdout + done.stderr
    in_cache = {p.name for p in (cache / "bytecode").rglob("*.pyc")}
    in_named = {p.name for p in named.rglob("*.pyc")}
    assert any(name.startswith("commands_target.") for name in in_cache)
    assert not any(name.startswith("commands_apps.") for name in in_cache)
    assert any(name.startswith("commands_apps.") for name in in_named)
    assert not list(home.rglob("*.pyc"))  # nothing compiled in the mock home


def test_the_cf_of_a_workshop_with_recordings_starts_without_pathlib_typing_or_yaml(
    home: Path,
) -> None:
    """The bundled workshop has recordings, so every ``cf`` command asks whether one answers
    it: that must not cost the imports of pathlib, typing or PyYAML (a third of a command's
    start-up), once the recordings' parsed copy is cached by the first command."""
    q = shlex.quote
    script = (
        f'eval "$({q(sys.executable)} -m workshop mock env --home {q(str(home))}'
        ' --lesson dev-prod-parity)"\n'
        'test -n "$WORKSHOP_MOCK_RECORDINGS" || exit 90\n'
        "cf target >/dev/null || exit 91\n"
        "PYTHONPROFILEIMPORTTIME=1 cf target 2>&1 >/dev/null\n"
    )
    done = bash(script)
    assert done.returncode == 0, done.stdout + done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stdout.splitlines()}
    assert "workshop.mock.replay" in imported, done.stdout  # the recordings were consulted
    assert not {"pathlib", "typing", "yaml"} & imported, done.stdout
