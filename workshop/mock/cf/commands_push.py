"""``cf push``: manifest, app creation/update, routes, upload, service bindings, start.

Why: the centre of the workshop. The output follows cf v6.16.1 on PWS/Diego line by line
(reference §6): what is printed for a new or an existing app, which route lines appear,
where a failure stops and what state it leaves (an app created before a route failure
stays, stopped, without a route).
"""

from __future__ import annotations

import os
from pathlib import Path

from workshop.mock import state as st
from workshop.mock.cf import manifest
from workshop.mock.cf.commands_lifecycle import to_megabytes
from workshop.mock.cf.commands_services import bind
from workshop.mock.cf.context import Context
from workshop.mock.cf.lifecycle import api_source, log, start_app, stop_app
from workshop.mock.cf.specs import BY_NAME

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

_ROUTE_OPTIONS = ("hostname", "d", "no-hostname")
_ADJECTIVES = (
    "mooned",
    "brave",
    "unbendable",
    "fluent",
    "lively",
    "quiet",
    "rugged",
    "shiny",
    "snappy",
)
_NOUNS = ("falsification", "wombat", "gazelle", "ratel", "bushbuck", "impala", "quokka", "dikdik")
_DETECT_SUFFIXES = (".jar", ".war", ".class", ".zip", ".js", ".rb", ".py", ".php", ".go", ".html")
_DETECT_NAMES = (
    "pom.xml",
    "build.gradle",
    "package.json",
    "Gemfile",
    "requirements.txt",
    "Procfile",
)


def sanitize_host(name: str) -> str:
    """Default host of an app: lower case, blanks/underscores → ``-``, others dropped."""
    out = []
    for ch in name.lower():
        if ch in " \t_":
            out.append("-")
        elif ch.isascii() and (ch.isalnum() or ch == "-"):
            out.append(ch)
    return "".join(out)


def random_host(name: str) -> str:
    """``{name}-{adjective}-{noun}`` as ``--random-route`` makes."""
    r = os.urandom(2)
    return (
        f"{sanitize_host(name)}-{_ADJECTIVES[r[0] % len(_ADJECTIVES)]}-{_NOUNS[r[1] % len(_NOUNS)]}"
    )


def push(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf push [APP] [flags]``."""
    ui = ctx.ui
    ctx.target_space()
    if opts.get("s") is not None:
        ui.say(f"Using stack {ui.entity(opts['s'])}...")
        if opts["s"] != "cflinuxfs2":
            raise ui.failed(f"Stack {opts['s']} not found")  # UNVERIFIED wording
        ui.ok()
    apps = _manifest_apps(ctx, opts)
    _validate_flags(ctx, opts)
    name_arg = args[0] if args else None
    if len(apps) > 1:
        if any(k != "f" for k in opts):
            raise ui.failed(
                "Incorrect Usage. Command line flags (except -f) cannot be applied when pushing "
                "multiple apps from a manifest file."
            )
        if name_arg is not None:
            apps = [a for a in apps if a.get("name") == name_arg]
            if not apps:
                raise ui.failed(f"Error: Could not find app named '{name_arg}' in manifest")
    elif len(apps) == 1 and name_arg is not None:
        apps[0] = {**apps[0], "name": name_arg}
    elif not apps and name_arg is not None:
        apps = [{"name": name_arg}]
    if not apps:
        raise ui.failed(
            "Manifest file is not found in the current directory, please provide either an app "
            "name or manifest\n\n" + BY_NAME["push"].help.rstrip("\n")
        )
    for params in apps:
        if not params.get("name"):
            raise ui.failed("Error: App name is a required field")
    for params in apps:
        _push_one(ctx, opts, params)
    return 0


def _manifest_apps(ctx: Context, opts: dict[str, Any]) -> list[dict[str, Any]]:
    ui = ctx.ui
    if opts.get("no-manifest"):
        return []
    try:
        found = manifest.locate(ctx, opts.get("f"))
        if found is None:
            return []
        path, shown = found
        apps = manifest.load(path)
    except manifest.ManifestError as exc:
        raise ui.failed(f"Error reading manifest file:\n{exc}") from None
    ui.say(f"Using manifest file {ui.entity(shown)}")
    ui.say()
    for app in apps:
        if app.get("path") is not None:
            app["_path_shown"] = app["path"]
    return apps


def _validate_flags(ctx: Context, opts: dict[str, Any]) -> None:
    ui = ctx.ui
    if "i" in opts and opts["i"] < 1:
        raise ui.failed(
            f"Invalid instance count: {opts['i']}\nInstance count must be a positive integer"
        )
    for key, what in (("m", "memory limit"), ("k", "disk quota")):
        if key in opts and to_megabytes(opts[key]) is None:
            raise ui.failed(
                f"Invalid {what}: {opts[key]}\n"
                "Byte quantity must be an integer with a unit of measurement like M, MB, G, or GB"
            )
    if "t" in opts and not str(opts["t"]).isdigit():
        raise ui.failed(
            f"Error: Invalid timeout param: {opts['t']}\n"
            f'strconv.ParseInt: parsing "{opts["t"]}": invalid syntax'
        )
    if "health-check-type" in opts and opts["health-check-type"] not in ("port", "none"):
        raise ui.failed(f"Error: Invalid health-check-type param: {opts['health-check-type']}")
    if "docker-image" in opts:
        # UNVERIFIED: the diego_docker feature flag was off for PWS users in early 2016.
        raise ui.failed(
            "Server error, status code: 400, error code: 320003, message: "
            "Feature Disabled: diego_docker"
        )


def _setting(opts: dict[str, Any], params: dict[str, Any], flag: str, key: str) -> Any:
    return opts[flag] if flag in opts else params.get(key)


def _push_one(ctx: Context, opts: dict[str, Any], params: dict[str, Any]) -> None:
    ui = ctx.ui
    e = ui.entity
    name = str(params["name"])
    space = ctx.space_dict()
    app = space["apps"].get(name)
    was_started = bool(app and app["state"] == "started")
    memory = _setting(opts, params, "m", "memory")
    disk = _setting(opts, params, "k", "disk_quota")
    instances = _setting(opts, params, "i", "instances")
    if app is None:
        ui.say(f"Creating app {e(name)} {ctx.where()}...")
        app = st.new_app(
            name,
            memory=st.parse_megabytes(memory, 1024),
            instances=int(instances or 1),
            disk=st.parse_megabytes(disk, 1024),
        )
        space["apps"][name] = app
        log(ctx, name, api_source(), f"Created app with guid {app['guid']}", st.now())
    else:
        ui.say(f"Updating app {e(name)} {ctx.where()}...")
        if memory is not None:
            app["memory"] = st.parse_megabytes(memory, app["memory"])
        if disk is not None:
            app["disk"] = st.parse_megabytes(disk, app["disk"])
        if instances is not None:
            app["instances"] = int(instances)
    buildpack = _setting(opts, params, "b", "buildpack")
    if buildpack is not None:
        app["buildpack"] = None if str(buildpack) in ("default", "null") else str(buildpack)
    command = _setting(opts, params, "c", "command")
    if command is not None:
        app["command"] = None if str(command) in ("default", "null") else str(command)
    for key, value in dict(params.get("env") or {}).items():
        app["env"][str(key)] = str(value)
    ui.ok()
    ui.say()
    _routes(ctx, opts, params, name, app)
    _upload(ctx, opts, params, name, app)
    for si in [str(s) for s in params.get("services") or []]:
        svc = space["services"].get(si)
        if svc is None:
            raise ui.failed(f"Could not find service {e(si)} to bind to {e(name)}")
        ui.say(f"Binding service {e(si)} to app {e(name)} {ctx.where()}...")
        bind(app, name, svc, si)
        ui.ok()
    if was_started:
        ui.say()
        stop_app(ctx, name, app)
    ui.say()
    if opts.get("no-start") or params.get("no-start"):
        st.stop_running(app)
        return
    start_app(ctx, name, app, stage=True)


def _routes(
    ctx: Context, opts: dict[str, Any], params: dict[str, Any], name: str, app: dict[str, Any]
) -> None:
    ui = ctx.ui
    e = ui.entity
    routes = ctx.state.setdefault("routes", {})
    if opts.get("no-route") or params.get("no-route"):
        if not app["routes"]:
            ui.say(f"App {e(name)} is a worker, skipping route creation")
        for key in list(app["routes"]):
            ui.say(f"Removing route {e(key)}...")
            route = routes.get(key)
            if route and name in route["apps"]:
                route["apps"].remove(name)
            app["routes"].remove(key)
        return
    route_option = any(k in opts for k in _ROUTE_OPTIONS) or any(
        k in params for k in ("host", "hosts", "domain", "domains", "no-hostname")
    )
    if app["routes"] and not route_option:
        return
    domain = str(
        _setting(opts, params, "d", "domain") or ctx.state.get("domain") or st.DEFAULT_DOMAIN
    )
    if domain != ctx.state.get("domain"):
        raise ui.failed(f"Domain {e(domain)} not found")  # UNVERIFIED wording
    if opts.get("no-hostname") or params.get("no-hostname"):
        hosts = [""]
    elif "hostname" in opts:
        hosts = [str(opts["hostname"])]
    elif params.get("hosts"):
        hosts = [str(h) for h in params["hosts"]]
    elif params.get("host"):
        hosts = [str(params["host"])]
    elif opts.get("random-route") or params.get("random-route"):
        hosts = [random_host(name)]
    else:
        hosts = [sanitize_host(name)]
    for host in hosts:
        _map_route(ctx, name, app, host, domain)


def _map_route(ctx: Context, name: str, app: dict[str, Any], host: str, domain: str) -> None:
    ui = ctx.ui
    e = ui.entity
    routes = ctx.state["routes"]
    key = f"{host}.{domain}" if host else domain
    route = routes.get(key)
    foreign = route is not None and route.get("org") != ctx.org
    if route is None or foreign:
        ui.say(f"Creating route {e(key)}...")
        if foreign or (host and host in (ctx.state.get("taken_hosts") or [])):
            raise ui.failed(
                "Server error, status code: 400, error code: 210003, message: "
                f"The host is taken: {host}"
            )
        route = {
            "guid": st.new_guid(),
            "host": host,
            "domain": domain,
            "org": ctx.org,
            "space": ctx.space,
            "apps": [],
        }
        routes[key] = route
        ui.ok()
        ui.say()
    else:
        ui.say(f"Using route {e(key)}")
        if name in route["apps"] and route.get("space") == ctx.space:
            return
    ui.say(f"Binding {e(key)} to {e(name)}...")
    if route.get("space") != ctx.space:
        raise ui.failed(
            f"The route {key} is already in use.\nTIP: Change the hostname with -n HOSTNAME or use "
            "--random-route to generate a new route and then push again."
        )
    route["apps"].append(name)
    if key not in app["routes"]:
        app["routes"].append(key)
    log(
        ctx,
        name,
        api_source(),
        f'Updated app with guid {app["guid"]} ({{"route"=>"{route["guid"]}"}})',
        st.now(),
    )
    ui.ok()
    ui.say()


def _upload(
    ctx: Context, opts: dict[str, Any], params: dict[str, Any], name: str, app: dict[str, Any]
) -> None:
    ui = ctx.ui
    if "p" in opts:
        shown = str(opts["p"])
        path = Path(shown).expanduser()
        path = path if path.is_absolute() else ctx.cwd / path
    elif params.get("path"):
        path = Path(str(params["path"]))
        shown = str(path)
    else:
        path = ctx.cwd
        shown = str(ctx.cwd)
    if not path.exists():
        raise ui.failed(f"Error processing app files: lstat {shown}: no such file or directory")
    if path.is_dir():
        files = _walk(path)
        if not files:
            raise ui.failed(f"No app files found in '{shown}'")
        ui.say(f"Uploading {ui.entity(name)}...")
        size = 0
        for p in files:
            try:
                size += p.stat().st_size
            except OSError:
                pass
        summary = f"{_size(size)}, {len(files)} files"
        detectable = any(p.suffix in _DETECT_SUFFIXES or p.name in _DETECT_NAMES for p in files)
        from workshop.mock.cf.buildpacks import language

        app["language"] = language({p.name for p in files if p.parent == path})
        shown = str(path.resolve())  # cf shows the absolute folder
    else:
        ui.say(f"Uploading {ui.entity(name)}...")
        # What PWS uploaded for the workshop's Spring Boot jar after resource matching.
        summary = "490.1K, 88 files"
        detectable = path.suffix in (".jar", ".war", ".zip")
        app["language"] = "java"
        # cf unzips an archive into a temporary folder and uploads from there
        digits = str(1_000_000_000 + int.from_bytes(os.urandom(4), "big") % 1_000_000_000)[1:]
        shown = os.path.join(os.environ.get("TMPDIR") or "/tmp", "unzipped-app" + digits)
    ui.say(f"Uploading app files from: {shown}")
    ui.say(f"Uploading {summary}")
    ui.write("\r" + " " * 29 + "\rDone uploading\n")
    app["path"] = str(path)
    from workshop.mock.tools.features import read_jar

    edits = read_jar(path) if path.is_file() else None
    if edits is None:
        app.pop("features", None)  # unknown: the course's app, every feature
    else:
        app["features"] = edits  # the course's edits the jar carries
    app["uploaded_at"] = st.now()
    app["staged"] = False
    app["detectable"] = detectable
    ui.ok()


MAX_FILES = 5000
"""Stop counting there: a learner pushing their home folder by mistake must not wait."""


def _walk(root: Path) -> list[Path]:
    """The files under ``root`` (at most ``MAX_FILES``; unreadable folders skipped)."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", ".cf")]
        for name in names:
            found.append(Path(folder) / name)
            if len(found) >= MAX_FILES:
                return found
    return found


def _size(n: int) -> str:
    from workshop.mock.cf.ui import format_bytes

    return format_bytes(n)
