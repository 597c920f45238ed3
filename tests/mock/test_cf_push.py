"""``cf push`` transcripts (reference §6) and the seed's six commands end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cf_support import block, cf

from workshop.mock.cf import buildpacks

WHERE = "in org your-org / space production_test as user_name"
APP = "workshop-12f-stock"
ROUTE = "workshop-12f-stock-production_test.cfapps.io"


UNZIPPED = "/tmp/unzipped-app<digits>"
"""cf v6.16.1 uploads a jar from the folder it unzipped it into (a new name each time)."""


def unzipped(out: str) -> str:
    """``out`` with the temporary folder's random digits replaced."""
    return re.sub(r"/\S*/unzipped-app\d{9}", UNZIPPED, out)


def staging(memory: int, auto: bool = False, warm: bool = False) -> str:
    return "".join(
        line + "\n" for line in buildpacks.staging_lines(memory, auto_detect=auto, warm_cache=warm)
    )


def start_tail(app: str, where: str, instances: int, memory: str, urls: str, buildpack: str) -> str:
    rows = "".join(
        f"#{i}   running   2016-02-02 01:11:45 PM   0.0%   0 of {memory}   0 of 1G      \n"
        for i in range(instances)
    )
    return (
        f"\n0 of {instances} instances running, {instances} starting\n{instances} of {instances} instances running\n"
        "\nApp started\n\n\nOK\n\n"
        f"App {app} was started using this command `{buildpacks.start_command()}`\n\n"
        f"Showing health and status for app {app} {where}...\nOK\n\n"
        f"requested state: started\ninstances: {instances}/{instances}\nusage: {memory} x {instances} instances\n"
        f"urls: {urls}\nlast uploaded: Tue Feb 2 13:11:45 UTC 2016\nstack: cflinuxfs2\nbuildpack: {buildpack}\n\n"
        f"     state     since                    cpu    memory{' ' * (len(memory) - 2)}    disk      details   \n"
        + rows
    )


def test_seed_commands_leave_the_app_running_in_production_test(home: Path) -> None:
    work = home / "work"
    assert cf(home, "target") == (block(), 0)
    assert cf(home, "create-space", "production_test")[1] == 0
    assert cf(home, "target", "-s", "production_test") == (block(space="production_test"), 0)
    assert cf(home, "create-service", "cleardb", "spark", "mysql") == (
        f"Creating service instance mysql {WHERE}...\nOK\n",
        0,
    )
    assert cf(home, "create-service", "rediscloud", "30mb", "redis") == (
        f"Creating service instance redis {WHERE}...\nOK\n",
        0,
    )
    out, code = cf(home, "push", "-n", "workshop-12f-stock-production_test")
    out = unzipped(out)
    expected = (
        f"Using manifest file {work}/manifest.yml\n\n"
        f"Creating app {APP} {WHERE}...\nOK\n\n"
        f"Creating route {ROUTE}...\nOK\n\n"
        f"Binding {ROUTE} to {APP}...\nOK\n\n"
        f"Uploading {APP}...\nUploading app files from: {UNZIPPED}\n"
        "Uploading 490.1K, 88 files\n\r                             \rDone uploading\nOK\n"
        f"Binding service mysql to app {APP} {WHERE}...\nOK\n"
        f"Binding service redis to app {APP} {WHERE}...\nOK\n\n"
        f"Starting app {APP} {WHERE}...\n"
        + staging(512)
        + start_tail(
            APP, WHERE, 1, "512M", ROUTE, "https://github.com/cloudfoundry/java-buildpack.git"
        )
    )
    assert (out, code) == (expected, 0)
    state = json.loads((home / "state.json").read_text())
    space = state["orgs"]["your-org"]["spaces"]["production_test"]
    app = space["apps"][APP]
    assert app["state"] == "started" and app["routes"] == [ROUTE]
    assert sorted(app["services"]) == ["mysql", "redis"] and sorted(app["running_services"]) == [
        "mysql",
        "redis",
    ]
    assert (
        "environment.variable" not in app["env"]
        and "environment.variable" not in app["running_env"]
    )
    assert len(app["instance_addrs"]) == 1
    assert state["routes"][ROUTE]["space"] == "production_test" and state["routes"][ROUTE][
        "apps"
    ] == [APP]
    env, _ = cf(home, "env", APP)
    assert (
        "environment.variable" not in env and "No user-defined env variables have been set\n" in env
    )
    dev = state["orgs"]["your-org"]["spaces"]["development"]["apps"][APP]
    assert dev["running_env"] == {"environment.variable": "some_value"}


def test_repush_of_a_running_app_and_push_by_name(home: Path) -> None:
    where = "in org your-org / space development as user_name"
    out, code = cf(home, "push")
    work = home / "work"
    assert code == 0
    assert out.startswith(
        f"Using manifest file {work}/manifest.yml\n\nUpdating app {APP} {where}...\nOK\n\n"
        f"Uploading {APP}...\n"
    )
    assert (
        f"Binding service redis to app {APP} {where}...\nOK\n\nStopping app {APP} {where}...\nOK\n\n"
        f"Starting app {APP} {where}...\n" + staging(512, warm=True)
    ) in out
    assert out.endswith(
        start_tail(
            APP,
            where,
            2,
            "512M",
            "workshop-12f-stock.cfapps.io",
            "https://github.com/cloudfoundry/java-buildpack.git",
        )
    )
    out, code = cf(
        home,
        "push",
        "hello",
        "-p",
        "target/stock-1.0-SNAPSHOT.jar",
        "-m",
        "1G",
        "-i",
        "1",
        "--no-manifest",
    )
    assert code == 0
    assert unzipped(out) == (
        f"Creating app hello {where}...\nOK\n\nCreating route hello.cfapps.io...\nOK\n\n"
        "Binding hello.cfapps.io to hello...\nOK\n\nUploading hello...\n"
        f"Uploading app files from: {UNZIPPED}\nUploading 490.1K, 88 files\n"
        "\r                             \rDone uploading\nOK\n\n"
        f"Starting app hello {where}...\n"
        + staging(1024, auto=True)
        + start_tail("hello", where, 1, "1G", "hello.cfapps.io", buildpacks.DETECTED_JAVA)
    )


def test_push_variants(home: Path) -> None:
    where = "in org your-org / space development as user_name"
    jar = ["-p", "target/stock-1.0-SNAPSHOT.jar", "--no-manifest"]
    out, code = cf(home, "push", "worker", *jar, "--no-route", "--no-start")
    assert (unzipped(out), code) == (
        f"Creating app worker {where}...\nOK\n\nApp worker is a worker, skipping route creation\n"
        f"Uploading worker...\nUploading app files from: {UNZIPPED}\nUploading 490.1K, 88 files\n"
        "\r                             \rDone uploading\nOK\n\n",
        0,
    )
    out, _ = cf(home, "app", "worker")
    assert out.endswith(
        "requested state: stopped\ninstances: 0/1\nusage: 1G x 1 instances\nurls: \n"
        "last uploaded: Tue Feb 2 13:11:45 UTC 2016\nstack: cflinuxfs2\nbuildpack: unknown\n\n"
        "There are no running instances of this app.\n"
    )
    out, code = cf(home, "push", "Rand_App", *jar, "--random-route", "--no-start")
    assert code == 0 and "Creating route rand-app-" in out
    out, code = cf(home, "push", "worker", *jar, "-n", "worker-host", "--no-start")
    assert (
        code == 0
        and "Creating route worker-host.cfapps.io...\nOK\n\nBinding worker-host.cfapps.io to worker...\nOK\n\n"
        in out
    )
    out, code = cf(home, "push", "other", *jar, "-n", "worker-host", "--no-start")
    assert (
        code == 0
        and "Using route worker-host.cfapps.io\nBinding worker-host.cfapps.io to other...\nOK\n\n"
        in out
    )
    out, code = cf(home, "push", "worker", *jar, "--no-route", "--no-start")
    assert code == 0 and "Removing route worker-host.cfapps.io...\nUploading worker...\n" in out


def test_push_errors(home: Path, tmp_path: Path) -> None:
    where = "in org your-org / space development as user_name"
    jar = ["-p", "target/stock-1.0-SNAPSHOT.jar", "--no-manifest"]
    empty = tmp_path / "empty"
    empty.mkdir()
    out, code = cf(home, "push", cwd=empty)
    assert code == 1 and out.startswith(
        "FAILED\nManifest file is not found in the current directory, please provide either an app name or "
        "manifest\n\nNAME:\n   push - Push a new app or sync changes to an existing app\n"
    )
    assert cf(home, "push", "-f", "nope.yml") == (
        "FAILED\nError reading manifest file:\nError finding manifest: stat nope.yml: no such file or directory\n",
        1,
    )
    assert cf(home, "push", "x", *jar, "-i", "0") == (
        "FAILED\nInvalid instance count: 0\nInstance count must be a positive integer\n",
        1,
    )
    assert cf(home, "push", "x", *jar, "-m", "lots") == (
        "FAILED\nInvalid memory limit: lots\nByte quantity must be an integer with a unit of measurement like M, MB, "
        "G, or GB\n",
        1,
    )
    assert cf(home, "push", "x", "-p", "missing.jar", "--no-manifest") == (
        f"Creating app x {where}...\nOK\n\nCreating route x.cfapps.io...\nOK\n\nBinding x.cfapps.io to x...\nOK\n\n"
        "FAILED\nError processing app files: lstat missing.jar: no such file or directory\n",
        1,
    )
    # the app created before the failure stays, stopped, with its route
    assert "x                    stopped           0/1" in cf(home, "apps")[0]
    # a host used by someone else on the shared domain
    state = json.loads((home / "state.json").read_text())
    state["taken_hosts"] = ["www"]
    (home / "state.json").write_text(json.dumps(state))
    assert cf(home, "push", "www", *jar) == (
        f"Creating app www {where}...\nOK\n\nCreating route www.cfapps.io...\nFAILED\n"
        "Server error, status code: 400, error code: 210003, message: The host is taken: www\n",
        1,
    )
    out, _ = cf(home, "app", "www")
    assert "urls: \n" in out and "requested state: stopped" in out
    # a route of another space of the org
    cf(home, "create-space", "production_test")
    cf(home, "target", "-s", "production_test")
    assert cf(home, "push", "copy", *jar, "-n", APP) == (
        "Creating app copy in org your-org / space production_test as user_name...\nOK\n\n"
        f"Using route {APP}.cfapps.io\nBinding {APP}.cfapps.io to copy...\nFAILED\n"
        f"The route {APP}.cfapps.io is already in use.\nTIP: Change the hostname with -n HOSTNAME or use "
        "--random-route to generate a new route and then push again.\n",
        1,
    )
    # manifest services that do not exist in this space
    out, code = cf(home, "push", "-n", "fresh-host")
    assert code == 1 and out.endswith(
        "Done uploading\nOK\nFAILED\nCould not find service mysql to bind to workshop-12f-stock\n"
    )
    # an empty folder and a folder no buildpack detects
    assert cf(home, "push", "e", "-p", str(empty), "--no-manifest")[0].endswith(
        f"FAILED\nNo app files found in '{empty}'\n"
    )
    (empty / "notes.txt").write_text("hello")
    out, code = cf(home, "push", "e", "-p", str(empty), "--no-manifest")
    assert code == 1 and out.endswith(
        "Successfully destroyed container\n\nFAILED\nNoAppDetectedError\n\t\t\t\nTIP: Buildpacks are detected when "
        'the "cf push" is executed from within the directory that contains the app source code.\n\n'
        "Use 'cf buildpacks' to see a list of supported buildpacks.\n\n"
        "Use 'cf logs e --recent' for more in depth log information.\n"
    )
    (home / "work" / "manifest.yml").write_text("applications: [\n")
    out, code = cf(home, "push")
    assert code == 1 and out.startswith("FAILED\nError reading manifest file:\n")
