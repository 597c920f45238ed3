"""Starting, staging and stopping an app: the output cf v6 prints and the state and logs
it leaves behind. Shared by push, start, stop, restart, restage and scale.

Why: "env changes only after restart/restage/push" and "the router answers only started
apps" both come from one place: ``state.start_running`` snapshots env and bindings here,
and every start prints the same tail (reference §6.2, §7.7).
"""

from __future__ import annotations

import os

from workshop.mock import state as st
from workshop.mock.cf import buildpacks
from workshop.mock.cf.commands_apps import show_app
from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


def api_source() -> str:
    """``API/N``: the Cloud Controller instance that logged the event."""
    return f"API/{os.urandom(1)[0] % 6}"


def log(ctx: Context, name: str, source: str, line: str, when: float, stream: str = "OUT") -> None:
    """Append a log line to app ``name`` of the targeted space."""
    st.append_log(ctx.state, ctx.org, ctx.space, name, source, line, stream=stream, when=when)


def auto_detected(app: dict[str, Any]) -> bool:
    """True when no buildpack was named, so PWS downloads and detects them all."""
    return app.get("buildpack") in (None, "", "default", "null")


def stop_app(ctx: Context, name: str, app: dict[str, Any], quiet: bool = False) -> None:
    """``Stopping app …`` / ``OK``; for a stopped app the already-stopped warning of
    ``cf stop``, or nothing (``quiet``: restart and scale go on to start it, as cf's
    ApplicationStop does)."""
    ui = ctx.ui
    if app["state"] == "stopped":
        if not quiet:
            ui.warn(f"App {name} is already stopped")
        return
    ui.say(f"Stopping app {ui.entity(name)} {ctx.where()}...")
    t = st.now()
    log(ctx, name, api_source(), f'Updated app with guid {app["guid"]} ({{"state"=>"STOPPED"}})', t)
    for i in range(len(app.get("instance_addrs") or [])):
        log(ctx, name, f"APP/{i}", "Exit status 143", t + 0.4)
        log(ctx, name, f"CELL/{i}", "Destroying container", t + 0.5)
        log(ctx, name, f"CELL/{i}", "Successfully destroyed container", t + 0.9)
    st.stop_running(app)
    ui.ok()


def start_app(
    ctx: Context,
    name: str,
    app: dict[str, Any],
    *,
    header: str | None = None,
    stage: bool | None = None,
) -> None:
    """Print the start sequence (staging first when needed) and mark the app started.

    Raises ``Failed`` (after cf's staging-failure text) when no buildpack detects the app.
    """
    ui = ctx.ui
    if stage is None:
        stage = not app.get("staged")
    ui.say(header or f"Starting app {ui.entity(name)} {ctx.where()}...")
    t = st.now()
    log(ctx, name, api_source(), f'Updated app with guid {app["guid"]} ({{"state"=>"STARTED"}})', t)
    app["state"] = "started"
    if stage:
        if auto_detected(app) and not app.get("detectable", True):
            for line in buildpacks.NO_APP_DETECTED:
                ui.say(line)
                log(ctx, name, "STG/0", line, t + 1)
            app["staged"] = False
            app["instance_addrs"] = []
            ui.say()
            raise ui.failed(
                'NoAppDetectedError\n\t\t\t\nTIP: Buildpacks are detected when the "cf push" is executed '
                "from within the directory that contains the app source code.\n\n"
                "Use " + ui.hint("'cf buildpacks'") + " to see a list of supported buildpacks.\n\n"
                "Use "
                + ui.hint(f"'cf logs {name} --recent'")
                + " for more in depth log information."
            )
        ruby = app.get("language") == "ruby"
        if ruby:
            lines = buildpacks.ruby_staging_lines(
                auto_detect=auto_detected(app), warm_cache=bool(app.get("cache_warm"))
            )
        else:
            lines = buildpacks.staging_lines(
                int(app["memory"]),
                auto_detect=auto_detected(app),
                warm_cache=bool(app.get("cache_warm")),
            )
        for i, line in enumerate(lines):
            ui.say(line)
            log(ctx, name, "STG/0", line, t + 1 + i * 0.3)
        app["staged"] = True
        app["cache_warm"] = True
        app["detected_buildpack"] = buildpacks.DETECTED_RUBY if ruby else buildpacks.DETECTED_JAVA
        app["detected_command"] = buildpacks.RUBY_COMMAND if ruby else buildpacks.start_command()
        t += 1 + len(lines) * 0.3
    n = int(app.get("instances") or 1)
    ui.say()
    ui.say(f"0 of {n} instances running, {n} starting")
    ui.say(f"{n} of {n} instances running")
    ui.say()
    ui.say(ui.header("App started"))
    ui.say()
    ui.say()
    ui.ok()
    st.start_running(app, st.now())
    for i, (_, port) in enumerate(app["instance_addrs"]):
        log(ctx, name, f"CELL/{i}", "Creating container", t + 0.5)
        log(ctx, name, f"CELL/{i}", "Successfully created container", t + 1.5)
        log(ctx, name, f"CELL/{i}", "Starting health monitoring of container", t + 2)
        for j, line in enumerate(boot_lines(app, i, port)):
            log(ctx, name, f"APP/{i}", line, t + 3 + j * 0.5)
        log(ctx, name, f"CELL/{i}", "Container became healthy", t + 12)
    command = app.get("command") or app.get("detected_command") or buildpacks.start_command()
    ui.say()
    ui.say(f"App {ui.entity(name)} was started using this command `{command}`")
    ui.say()
    show_app(ctx, name, app)


def boot_lines(app: dict[str, Any], index: int, port: int) -> list[str]:
    """What instance ``index`` of ``app`` logs while it starts (WEBrick or Spring Boot)."""
    if app.get("language") == "ruby":
        return buildpacks.ruby_boot_lines(index, port)
    return buildpacks.app_boot_lines(index, port)


def add_instances(ctx: Context, name: str, app: dict[str, Any], count: int) -> None:
    """Scale a running app to ``count`` instances: new ones get addresses and boot logs."""
    t = st.now()
    first_new = len(app.get("instance_addrs") or [])
    st.add_instance_addrs(app, count)
    for i in range(first_new, len(app["instance_addrs"])):
        log(ctx, name, f"CELL/{i}", "Creating container", t + 0.5)
        log(ctx, name, f"CELL/{i}", "Successfully created container", t + 1.5)
        for j, line in enumerate(boot_lines(app, i, app["instance_addrs"][i][1])):
            log(ctx, name, f"APP/{i}", line, t + 3 + j * 0.5)
        log(ctx, name, f"CELL/{i}", "Container became healthy", t + 12)
