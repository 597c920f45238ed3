"""``cf apps``, ``cf app``, ``cf delete`` and the app status block.

Why: the status block (``requested state:`` … instance table) closes every push and
start, and ``cf apps`` is what the workshop's checks read (``2/2``); one renderer keeps
them identical (reference §7.1–7.4).
"""

from __future__ import annotations

from workshop.mock import state as st
from workshop.mock.cf.context import Context
from workshop.mock.cf.ui import MAGENTA, RED, format_megabytes, format_since, format_uploaded

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


def running_count(app: dict[str, Any]) -> int:
    """How many instances run (all of them once started, none when stopped)."""
    return len(app.get("instance_addrs") or []) if app.get("state") == "started" else 0


def instances_cell(ctx: Context, app: dict[str, Any]) -> str:
    """``running/total`` coloured like cf (red when none runs, magenta when some)."""
    total = int(app.get("instances") or 0)
    running = running_count(app)
    text = f"{running}/{total}"
    if app.get("state") != "stopped" and running == 0:
        return ctx.ui.paint(text, RED)
    if app.get("state") != "stopped" and running < total:
        return ctx.ui.paint(text, MAGENTA)
    return text


def apps(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf apps``."""
    ui = ctx.ui
    ctx.target_space()
    ui.say(f"Getting apps {ctx.where()}...")
    ui.ok()
    ui.say()
    items = ctx.space_dict()["apps"]
    if not items:
        ui.say("No apps found")
        return 0
    rows = [
        [
            name,
            app["state"],
            instances_cell(ctx, app),
            format_megabytes(app["memory"]),
            format_megabytes(app["disk"]),
            ", ".join(app.get("routes") or []),
        ]
        for name, app in items.items()
    ]
    ui.table(["name", "requested state", "instances", "memory", "disk", "urls"], rows)
    return 0


def _usage(app: dict[str, Any], index: int, now: float) -> tuple[str, str, str]:
    """cpu, memory and disk of one instance: zero right after start, then plausible."""
    quota_m, quota_d = format_megabytes(app["memory"]), format_megabytes(app["disk"])
    if now - float(app.get("started_at") or now) < 20:
        return "0.0%", f"0 of {quota_m}", f"0 of {quota_d}"
    seed = int(app["guid"][:4], 16) + index * 977
    mem = app["memory"] * (0.55 + (seed % 200) / 1000)
    disk = 135.8 + (seed % 50) / 10
    return f"{(seed % 7) / 10:.1f}%", f"{mem:.1f}M of {quota_m}", f"{disk:.1f}M of {quota_d}"


def show_app(ctx: Context, name: str, app: dict[str, Any]) -> None:
    """The ``cf app`` body (also the tail of push/start/restart/restage)."""
    ui = ctx.ui
    h = ui.header
    ui.say(f"Showing health and status for app {ui.entity(name)} {ctx.where()}...")
    ui.ok()
    ui.say()
    total = int(app.get("instances") or 0)
    ui.say(f"{h('requested state:')} {app['state']}")
    ui.say(f"{h('instances:')} {instances_cell(ctx, app)}")
    ui.say(f"{h('usage:')} {format_megabytes(app['memory'])} x {total} instances")
    ui.say(f"{h('urls:')} {', '.join(app.get('routes') or [])}")
    uploaded = app.get("uploaded_at")
    ui.say(f"{h('last uploaded:')} {format_uploaded(uploaded) if uploaded else 'unknown'}")
    ui.say(f"{h('stack:')} {app.get('stack') or 'unknown'}")
    ui.say(
        f"{h('buildpack:')} {app.get('buildpack') or app.get('detected_buildpack') or 'unknown'}"
    )
    ui.say()
    running = running_count(app)
    if not running:
        ui.say("There are no running instances of this app.")
        return
    now = st.now()
    since = format_since(float(app.get("started_at") or now))
    rows = []
    for i in range(running):
        cpu, mem, disk = _usage(app, i, now)
        rows.append([f"#{i}", "running", since, cpu, mem, disk, ""])
    ui.table(["", "state", "since", "cpu", "memory", "disk", "details"], rows)


def app(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf app APP [--guid]``."""
    ctx.target_space()
    record = ctx.need_app(args[0])
    if opts.get("guid"):
        ctx.ui.say(record["guid"])
        return 0
    show_app(ctx, args[0], record)
    return 0


def delete(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf delete APP [-f] [-r]``: the prompt first; a missing app is only a warning."""
    ui = ctx.ui
    name = args[0]
    ctx.target_space()
    if not opts.get("f") and not ui.confirm(f"Really delete the app {ui.entity(name)}?"):
        ui.warn("Delete cancelled")
        return 0
    ui.say(f"Deleting app {ui.entity(name)} {ctx.where()}...")
    space = ctx.space_dict()
    record = space["apps"].get(name)
    if record is None:
        ui.ok()
        ui.warn(f"App {name} does not exist.")
        return 0
    for si in record.get("services") or []:
        svc = space["services"].get(si)
        if svc and name in svc["bound_apps"]:
            svc["bound_apps"].remove(name)
    all_routes = ctx.state.get("routes") or {}
    for key in record.get("routes") or []:
        route = all_routes.get(key)
        if route is None:
            continue
        if opts.get("r"):
            del all_routes[key]
            for other in route.get("apps") or []:
                if other != name and other in space["apps"]:
                    space["apps"][other]["routes"] = [
                        k for k in space["apps"][other]["routes"] if k != key
                    ]
        elif name in route["apps"]:
            route["apps"].remove(name)
    del space["apps"][name]
    ui.ok()
    return 0


def create_app_manifest(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-app-manifest APP [-p PATH]``: the app's settings as a v6 manifest
    (``./APP_manifest.yml`` by default; field order UNVERIFIED)."""
    ui, e = ctx.ui, ctx.ui.entity
    ctx.authenticated()
    name = args[0]
    app = ctx.need_app(name)
    ui.say(f"Creating an app manifest from current settings of app {e(name)} ...")
    ui.say()
    lines = ["applications:", f"- name: {name}", f"  memory: {app['memory']}M"]
    lines.append(f"  instances: {app.get('instances') or 1}")
    routes = app.get("routes") or []
    if routes:
        host, _, domain = routes[0].partition(".")
        lines += [f"  host: {host}", f"  domain: {domain}"]
    else:
        lines.append("  no-route: true")
    if app.get("buildpack"):
        lines.append(f"  buildpack: {app['buildpack']}")
    if app.get("command"):
        lines.append(f"  command: {app['command']}")
    lines += [f"  disk_quota: {app['disk']}M", f"  stack: {app.get('stack') or 'cflinuxfs2'}"]
    if app.get("services"):
        lines.append("  services:")
        lines += [f"  - {service}" for service in app["services"]]
    if app.get("env"):
        lines.append("  env:")
        lines += [f"    {key}: {value}" for key, value in sorted(app["env"].items())]
    path = str(opts.get("p") or f"./{name}_manifest.yml")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    except OSError as exc:
        raise ui.failed(f"Error creating manifest file: {exc.strerror}") from None
    ui.ok()
    ui.say(f"Manifest file created successfully at {path}")
    ui.say()
    return 0
