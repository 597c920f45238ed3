"""Transcripts of app commands (reference §7): apps, app, routes, delete, start, stop,
restart, restage, scale, env, set-env, unset-env, logs --recent; and their state effects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cf_support import cf

from workshop.mock.cf import buildpacks

WHERE = "in org your-org / space development as user_name"
APP = "workshop-12f-stock"


def app_state(home: Path, name: str = APP) -> dict[str, Any]:
    state = json.loads((home / "state.json").read_text())
    return state["orgs"]["your-org"]["spaces"]["development"]["apps"][name]


def test_apps_routes_and_app_errors(home: Path) -> None:
    assert cf(home, "apps") == (
        f"Getting apps {WHERE}...\nOK\n\n"
        "name                 requested state   instances   memory   disk   urls   \n"
        "workshop-12f-stock   started           2/2         512M     1G     workshop-12f-stock.cfapps.io   \n",
        0,
    )
    assert cf(home, "routes") == (
        "Getting routes for org your-org / space development as user_name ...\n\n"
        "space         host                 domain      path   apps                 service   \n"
        "development   workshop-12f-stock   cfapps.io          workshop-12f-stock      \n",
        0,
    )
    assert cf(home, "routes", "--orglevel")[0].startswith(
        "Getting routes for org your-org as user_name ...\n\nspace "
    )
    for command in ("app", "start", "stop", "restart", "restage", "scale", "env", "logs"):
        assert cf(home, command, "nope") == ("FAILED\nApp nope not found\n", 1), command
    assert cf(home, "set-env", "nope", "a", "b") == ("FAILED\nApp nope not found\n", 1)
    guid = app_state(home)["guid"]
    assert cf(home, "app", APP, "--guid") == (guid + "\n", 0)
    out, code = cf(home, "app", APP)
    assert code == 0 and out.startswith(
        f"Showing health and status for app {APP} {WHERE}...\nOK\n\nrequested state: started\ninstances: 2/2\n"
        "usage: 512M x 2 instances\nurls: workshop-12f-stock.cfapps.io\nlast uploaded: Tue Feb 2 12:01:45 UTC 2016\n"
        "stack: cflinuxfs2\nbuildpack: java-buildpack=v3.5.1-"
    )
    assert "\n#1   running   2016-02-02 12:11:45 PM   " in out


def test_stop_start_restart_restage_and_env_semantics(home: Path) -> None:
    assert cf(home, "set-env", APP, "environment.variable", "other") == (
        f"Setting env variable 'environment.variable' to 'other' for app {APP} {WHERE}...\nOK\n"
        "TIP: Use 'cf restage' to ensure your env variable changes take effect\n",
        0,
    )
    app = app_state(home)
    assert app["env"] == {"environment.variable": "other"}
    assert app["running_env"] == {"environment.variable": "some_value"}
    assert cf(home, "stop", APP) == (f"Stopping app {APP} {WHERE}...\nOK\n", 0)
    assert cf(home, "stop", APP) == (f"App {APP} is already stopped\n", 0)
    assert app_state(home)["instance_addrs"] == []
    assert cf(home, "apps")[0].endswith(
        f"{APP}   stopped           0/2         512M     1G     workshop-12f-stock.cfapps.io   \n"
    )
    out, code = cf(home, "start", APP)
    assert code == 0 and out.startswith(
        f"Starting app {APP} {WHERE}...\n\n0 of 2 instances running, 2 starting\n2 of 2 instances running\n\n"
        "App started\n\n\nOK\n\n"
    )
    assert app_state(home)["running_env"] == {"environment.variable": "other"}
    assert cf(home, "start", APP) == (f"App {APP} is already started\n", 0)
    assert cf(home, "unset-env", APP, "environment.variable") == (
        f"Removing env variable environment.variable from app {APP} {WHERE}...\nOK\n"
        "TIP: Use 'cf restage' to ensure your env variable changes take effect\n",
        0,
    )
    assert cf(home, "unset-env", APP, "environment.variable") == (
        f"Removing env variable environment.variable from app {APP} {WHERE}...\nOK\n"
        "Env variable environment.variable was not set.\n",
        0,
    )
    out, code = cf(home, "restart", APP)
    assert code == 0 and out.startswith(
        f"Stopping app {APP} {WHERE}...\nOK\n\nStarting app {APP} {WHERE}...\n\n0 of 2 instances running"
    )
    assert app_state(home)["running_env"] == {}
    out, code = cf(home, "restage", APP)
    assert code == 0 and out.startswith(
        f"Restaging app {APP} {WHERE}...\n"
        + "".join(
            line + "\n" for line in buildpacks.staging_lines(512, auto_detect=True, warm_cache=True)
        )
        + "\n0 of 2 instances running, 2 starting\n"
    )


def test_scale(home: Path) -> None:
    assert cf(home, "scale", APP) == (
        f"Showing current scale of app {APP} {WHERE}...\nOK\n\nmemory: 512M\ndisk: 1G\ninstances: 2\n",
        0,
    )
    before = app_state(home)["instance_addrs"]
    assert cf(home, "scale", APP, "-i", "3") == (f"Scaling app {APP} {WHERE}...\nOK\n", 0)
    after = app_state(home)["instance_addrs"]
    assert after[:2] == before and len(after) == 3 and len({tuple(a) for a in after}) == 3
    assert "3/3" in cf(home, "apps")[0]
    assert cf(home, "scale", APP, "-i", "1")[1] == 0
    assert len(app_state(home)["instance_addrs"]) == 1
    # cf v6.16.1 ends the prompt's line whatever the answer; with -f there is no prompt
    assert cf(home, "scale", APP, "-m", "1G", stdin="n\n") == (
        f"\nThis will cause the app to restart. Are you sure you want to scale {APP}?> \n",
        0,
    )
    out, code = cf(home, "scale", APP, "-m", "1G", "-f")
    assert code == 0 and out.startswith(
        f"Scaling app {APP} {WHERE}...\nOK\nStopping app {APP} {WHERE}...\nOK\n\nStarting app {APP} {WHERE}...\n"
    )
    assert app_state(home)["memory"] == 1024
    # a stopped app's memory: cf restarts it, so it starts (no "already stopped" line)
    assert cf(home, "stop", APP)[1] == 0
    out, code = cf(home, "scale", APP, "-m", "512M", "-f")
    assert code == 0 and out.startswith(
        f"Scaling app {APP} {WHERE}...\nOK\n\nStarting app {APP} {WHERE}...\n"
    )
    assert app_state(home)["state"] == "started"
    out, code = cf(home, "stop", APP)
    assert cf(home, "restart", APP)[0].startswith(f"\nStarting app {APP} {WHERE}...\n")
    assert cf(home, "scale", APP, "-m", "big") == (
        "FAILED\nInvalid memory limit: big\nByte quantity must be an integer with a unit of measurement like M, MB, "
        "G, or GB\n",
        1,
    )


def test_env_output(home: Path) -> None:
    out, code = cf(home, "env", APP)
    app = app_state(home)
    assert code == 0
    assert out.startswith(
        f"Getting env variables for app {APP} {WHERE}...\nOK\n\nSystem-Provided:\n{{\n"
        ' "VCAP_SERVICES": {\n  "cleardb": [\n   {\n    "credentials": {\n'
    )
    assert '     "jdbcUrl": "jdbc:mysql://' in out and "\\u0026password=" in out
    assert '"Online Backup \\u0026 Storage"' in out
    assert out.endswith(
        '{\n "VCAP_APPLICATION": {\n'
        f'  "application_id": "{app["guid"]}",\n  "application_name": "{APP}",\n'
        '  "application_uris": [\n   "workshop-12f-stock.cfapps.io"\n  ],\n'
        f'  "application_version": "{app["version"]}",\n'
        '  "limits": {\n   "disk": 1024,\n   "fds": 16384,\n   "mem": 512\n  },\n'
        f'  "name": "{APP}",\n'
        f'  "space_id": "{json.loads((home / "state.json").read_text())["orgs"]["your-org"]["spaces"]["development"]["guid"]}",\n'
        '  "space_name": "development",\n  "uris": [\n   "workshop-12f-stock.cfapps.io"\n  ],\n'
        f'  "users": null,\n  "version": "{app["version"]}"\n }}\n}}\n\n'
        "User-Provided:\nenvironment.variable: some_value\n\n"
        "No running env variables have been set\n\nNo staging env variables have been set\n\n"
    )
    cf(home, "unbind-service", APP, "mysql")
    cf(home, "unbind-service", APP, "redis")
    out, _ = cf(home, "env", APP)
    assert 'System-Provided:\n\n\n{\n "VCAP_APPLICATION": {\n' in out


def test_delete(home: Path) -> None:
    assert cf(home, "delete", "ghost", "-f") == (
        f"Deleting app ghost {WHERE}...\nOK\nApp ghost does not exist.\n",
        0,
    )
    assert cf(home, "delete", APP, stdin="no\n") == (
        f"\nReally delete the app {APP}?> Delete cancelled\n",
        0,
    )
    assert cf(home, "d", APP, stdin="y\n") == (
        f"\nReally delete the app {APP}?> Deleting app {APP} {WHERE}...\nOK\n",
        0,
    )
    assert cf(home, "apps") == (f"Getting apps {WHERE}...\nOK\n\nNo apps found\n", 0)
    # without -r the route stays, unbound
    assert cf(home, "routes")[0].endswith(
        "development   workshop-12f-stock   cfapps.io                    \n"
    )
    out, _ = cf(home, "services")
    assert "mysql   cleardb      spark                create succeeded   " in out
    cf(home, "push", "hello", "-p", "target/stock-1.0-SNAPSHOT.jar", "--no-manifest", "--no-start")
    assert cf(home, "delete", "hello", "-f", "-r")[1] == 0
    assert "hello" not in cf(home, "routes")[0]


def test_logs_recent(home: Path) -> None:
    assert cf(home, "logs", APP, "--recent") == (
        f"Connected, dumping recent logs for app {APP} {WHERE}...\n\n",
        0,
    )
    cf(home, "set-env", APP, "A", "b")
    cf(home, "restart", APP)
    out, code = cf(home, "logs", APP, "--recent")
    lines = out.splitlines()
    assert code == 0 and lines[:2] == [
        f"Connected, dumping recent logs for app {APP} {WHERE}...",
        "",
    ]
    guid = app_state(home)["guid"]
    assert any(
        line.startswith("2016-02-02T13:11:45.00+0000 [API/")
        and line.endswith(
            f'OUT Updated app with guid {guid} ({{"environment_json"=>"PRIVATE DATA HIDDEN"}})'
        )
        for line in lines
    )
    assert "2016-02-02T13:11:45.40+0000 [APP/1]      OUT Exit status 143" in lines
    assert any("[CELL/0]     OUT Container became healthy" in line for line in lines)
    assert any(
        "[APP/1]      OUT " in line and "Started StockSpringBootStarter" in line for line in lines
    )


def test_read_only_listings(home: Path) -> None:
    assert cf(home, "stacks") == (
        f"Getting stacks {WHERE}...\nOK\n\nname         description   \n"
        "cflinuxfs2   Cloud Foundry Linux-based filesystem   \n",
        0,
    )
    out, code = cf(home, "buildpacks")
    assert code == 0 and out.startswith(
        "Getting buildpacks...\n\nbuildpack              position   enabled   locked   filename   \n"
    )
    assert cf(home, "orgs") == ("Getting orgs as user_name...\n\nname   \nyour-org   \n", 0)
    out, code = cf(home, "curl", "/v2/info")
    assert code == 0 and json.loads(out)["api_version"] == "2.46.0"
    assert '\n   "name": "vcap",\n' in out  # cf indents the API's JSON by three spaces
    out, code = cf(home, "events", "nope")
    assert (out, code) == ("FAILED\nApp nope not found\n", 1)
    out, code = cf(home, "quotas")
    assert code == 0 and "trial   2G" in out


def test_create_app_manifest_writes_the_apps_settings(home: Path) -> None:
    out, code = cf(home, "create-app-manifest", APP)
    assert code == 0 and out.endswith(
        f"OK\nManifest file created successfully at ./{APP}_manifest.yml\n\n"
    )
    text = (home / "work" / f"{APP}_manifest.yml").read_text()
    assert text.startswith(f"applications:\n- name: {APP}\n  memory: 512M\n  instances: 2\n")
    assert f"  host: {APP}\n  domain: cfapps.io\n" in text
    assert "  services:\n  - mysql\n" in text
    out, code = cf(home, "create-app-manifest", "nope")
    assert code == 1 and "App nope not found" in out
