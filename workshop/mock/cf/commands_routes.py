"""``cf routes``, ``cf create-route``, ``cf map-route``, ``cf unmap-route``, ``cf delete-route``.

Why: a learner who wants a second URL for the app, or who lost one, reaches for these; they
change the same route table that push and the app router use, so a mapped route answers
``curl`` at once. Texts are cf v6.16.1's (``cf/commands/route``); the API lookups the real
requirements make (space, app, domain) fail with the same ``X NAME not found`` here.
"""

from __future__ import annotations

from workshop.mock import state as st
from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


def url(host: str, domain: str, path: str = "") -> str:
    """cf's route URL: ``host.domain/path`` (``domain`` alone without a host)."""
    return (f"{host}.{domain}" if host else domain) + (
        path if not path or path.startswith("/") else "/" + path
    )


def routes(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf routes [--orglevel]`` (v6.16 header with the space before ``...``)."""
    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    org_level = bool(opts.get("orglevel"))
    if org_level:
        ui.say(f"Getting routes for org {e(ctx.org)} as {e(ctx.user)} ...")
    else:
        ui.say(f"Getting routes for org {e(ctx.org)} / space {e(ctx.space)} as {e(ctx.user)} ...")
    ui.say()
    rows = [
        [r["space"], r["host"], r["domain"], r.get("path", ""), ",".join(r.get("apps") or []), ""]
        for r in (ctx.state.get("routes") or {}).values()
        if r.get("org") == ctx.org and (org_level or r.get("space") == ctx.space)
    ]
    ui.table(["space", "host", "domain", "path", "apps", "service"], rows)
    if not rows:
        ui.say("No routes found")
    return 0


def need_domain(ctx: Context, name: str) -> str:
    """The foundation's domain called ``name`` (cf's DomainRequirement)."""
    domain = str(ctx.state.get("domain") or st.DEFAULT_DOMAIN)
    if name.lower() != domain.lower():
        raise ctx.ui.failed(f"Domain {name} not found")
    return domain


def _need_space_named(ctx: Context, name: str) -> str:
    found = ctx.find_space(name) if ctx.org in (ctx.state.get("orgs") or {}) else None
    if found is None:
        raise ctx.ui.failed(f"Space {name} not found")
    return found


def _need_app_named(ctx: Context, name: str) -> dict[str, Any]:
    orgs = ctx.state.get("orgs") or {}
    if not ctx.space or ctx.space not in orgs.get(ctx.org, {}).get("spaces", {}):
        raise ctx.ui.failed(f"App {name} not found")
    return ctx.need_app(name)


def _create(ctx: Context, space: str, host: str, domain: str, path: str) -> dict[str, Any]:
    """cf's route creator: the route in ``space``, or the same one already there."""
    ui = ctx.ui
    e = ui.entity
    address = url(host, domain, path)
    ui.say(
        f"Creating route {e(address)} for org {e(ctx.org)} / space {e(space)} as {e(ctx.user)}..."
    )
    table = ctx.state.setdefault("routes", {})
    key = url(host, domain, path)
    route = table.get(key)
    if route is not None and route.get("org") == ctx.org and route.get("space") == space:
        ui.ok()
        ui.warn(f"Route {address} already exists")
        return route
    if not host and domain == str(ctx.state.get("domain") or st.DEFAULT_DOMAIN):
        # UNVERIFIED wording: the Cloud Controller's answer for a host-less shared route
        raise ui.failed(
            "Server error, status code: 400, error code: 210001, message: "
            "The route is invalid: host is required for shared-domains"
        )
    if route is not None or host in (ctx.state.get("taken_hosts") or []):
        raise ui.failed(
            "Server error, status code: 400, error code: 210003, message: "
            f"The host is taken: {host}"
        )
    route = {"guid": st.new_guid(), "host": host, "domain": domain, "org": ctx.org}
    route.update(space=space, apps=[])
    if path:
        route["path"] = path if path.startswith("/") else "/" + path
    table[key] = route
    ui.ok()
    return route


def create_route(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-route SPACE DOMAIN [-n HOST] [--path PATH]``."""
    ctx.authenticated()
    space = _need_space_named(ctx, args[0])
    domain = need_domain(ctx, args[1])
    _create(ctx, space, opts.get("hostname") or "", domain, opts.get("path") or "")
    return 0


def map_route(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf map-route APP DOMAIN [-n HOST] [--path PATH]``: creates the route if need be."""
    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    app = _need_app_named(ctx, args[0])
    domain = need_domain(ctx, args[1])
    host, path = opts.get("hostname") or "", opts.get("path") or ""
    route = _create(ctx, ctx.space, host, domain, path)
    ui.say(f"Adding route {e(url(host, domain, path))} to app {e(args[0])} {ctx.where()}...")
    key = url(host, domain, path)
    if args[0] not in route["apps"]:
        route["apps"].append(args[0])
    if key not in app["routes"]:
        app["routes"].append(key)
    ui.ok()
    return 0


def unmap_route(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unmap-route APP DOMAIN [-n HOST] [--path PATH]``."""
    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    app = _need_app_named(ctx, args[0])
    domain = need_domain(ctx, args[1])
    host, path = opts.get("hostname") or "", opts.get("path") or ""
    key = url(host, domain, path)
    route = (ctx.state.get("routes") or {}).get(key)
    if route is None:
        raise ui.failed(f"Route {host} not found")
    ui.say(f"Removing route {e(key)} from app {e(args[0])} {ctx.where()}...")
    mapped = args[0] in route["apps"] and route.get("space") == ctx.space
    if mapped:
        route["apps"].remove(args[0])
        app["routes"] = [k for k in app["routes"] if k != key]
    ui.ok()
    if not mapped:
        ui.warn("\nRoute to be unmapped is not currently mapped to the application.")
    return 0


def delete_route(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf delete-route DOMAIN [-n HOST] [--path PATH] [-f]``: the question comes first."""
    ui = ctx.ui
    host, path = opts.get("hostname") or "", opts.get("path") or ""
    address = f"{host}.{args[0]}" if host else args[0]
    if not opts.get("f") and not ui.confirm(f"Really delete the route {ui.entity(address)}?"):
        ui.warn("Delete cancelled")
        return 0
    ui.say(f"Deleting route {ui.entity(address)}...")
    ctx.authenticated()
    domain = need_domain(ctx, args[0])
    key = url(host, domain, path)
    table = ctx.state.get("routes") or {}
    route = table.get(key)
    if route is None or route.get("org") != ctx.org:
        ui.warn(f"Unable to delete, route '{address}' does not exist.")
        return 0
    space = ctx.state["orgs"][route["org"]]["spaces"].get(route["space"], {})
    for name in route.get("apps") or []:
        app = space.get("apps", {}).get(name)
        if app is not None:
            app["routes"] = [k for k in app["routes"] if k != key]
    del table[key]
    ui.ok()
    return 0
