"""``cf org``, ``cf space``, ``cf service``, ``cf quotas``, ``cf rename``, ``cf events``,
``cf files``, ``cf ssh``: what a learner looks at, or tries, off the course's script.

Why: the course names these in passing (an org's quota, a service's dashboard, an app's
events after a crash, ``cf ssh`` into a container); the mock answers from the same
foundation the other commands change, with cf v6.16.1's texts (``cf/commands``). PWS's
figures (the trial quota) and the Diego answers to ``files`` and ``ssh`` are those an app of
this course got in 2016; on the original platform's training foundation (DEA-era) ``files``
shows the app's container.
"""

from __future__ import annotations

import re

from workshop.mock import state as st
from workshop.mock.cf.catalog import TRAINING
from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

QUOTA = ("trial", 2048, "unlimited", 1000, 10, False)
"""PWS's trial quota of 2016: name, memory (MB), instance memory, routes, services, paid."""


def org(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf org ORG [--guid]``."""
    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    name = ctx.find_org(args[0])
    if name is None:
        raise ui.failed(f"Org {args[0]} not found")
    record = ctx.org_dict(name)
    if opts.get("guid"):
        ui.say(record["guid"])
        return 0
    ui.say(f"Getting info for org {e(name)} as {e(ctx.user)}...")
    ui.ok()
    ui.say()
    from workshop.mock.cf.commands_quotas import default_quota, org_quotas

    quotas = org_quotas(dict(ctx.state))  # a copy's view: showing must not write the state
    quota_name = str(record.get("quota") or default_quota(ctx.state))
    figures = quotas.get(quota_name) or quotas[default_quota(ctx.state)]
    instance = (
        "Unlimited" if figures["instance"] < 0 else f"{figures['instance']}M"
    )  # UNVERIFIED for a set instance limit
    quota = (
        f"{quota_name} ({figures['memory']}M memory limit, {instance} instance memory limit, "
        f"{figures['routes']} routes, {figures['services']} services, paid services "
        f"{'allowed' if figures['paid'] else 'disallowed'})"
    )
    domain = str(ctx.state.get("domain") or st.DEFAULT_DOMAIN)
    ui.table(
        [e(name) + ":", "", ""],
        [
            ["", "domains:", e(domain)],
            ["", "quota:", e(quota)],
            ["", "spaces:", e(", ".join(record["spaces"]))],
            ["", "space quotas:", e(", ".join(record.get("space_quotas") or {}))],
        ],
    )
    return 0


def space(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf space SPACE [--guid] [--security-group-rules]``."""
    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    name = ctx.find_space(args[0])
    if name is None:
        raise ui.failed(f"Space {args[0]} not found")
    record = ctx.org_dict()["spaces"][name]
    if opts.get("guid"):
        ui.say(record["guid"])
    else:
        ui.say(f"Getting info for space {e(name)} in org {e(ctx.org)} as {e(ctx.user)}...")
        ui.ok()
        ui.say()
        domain = str(ctx.state.get("domain") or st.DEFAULT_DOMAIN)
        ui.table(
            [e(name), "", ""],
            [
                ["", "Org:", e(ctx.org)],
                ["", "Apps:", ", ".join(e(a) for a in record["apps"])],
                ["", "Domains:", e(domain)],
                ["", "Services:", ", ".join(e(s) for s in record["services"])],
                ["", "Security Groups:", ", ".join(e(g) for g in ("public_networks", "dns"))],
                ["", "Space Quota:", e(str(record.get("space_quota") or ""))],
            ],
        )
    if opts.get("security-group-rules"):
        ui.say()
    return 0


def service(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf service SERVICE_INSTANCE [--guid]``."""
    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    services = ctx.space_dict()["services"]
    svc = services.get(args[0])
    if svc is None:
        raise ui.failed(f"Service instance {args[0]} not found")
    if opts.get("guid"):
        ui.say(svc["guid"])
        return 0
    ui.say()
    ui.say(f"Service instance: {e(args[0])}")
    if svc.get("user_provided"):
        ui.say(f"Service: {e('user-provided')}")
        return 0
    from workshop.mock.cf import catalog

    offering = catalog.offerings(ctx.state).get(svc["service"])
    ui.say(f"Service: {e(svc['service'])}")
    ui.say(f"Tags: {e(', '.join(svc.get('tags') or []))}")
    ui.say(f"Plan: {e(svc['plan'])}")
    ui.say(f"Description: {e(offering[0] if offering else '')}")
    ui.say(f"Documentation url: {e('')}")
    ui.say(f"Dashboard: {e('')}")
    ui.say()
    ui.say("Last Operation")
    ui.say(f"Status: {e('create succeeded')}")
    ui.say(f"Message: {e('')}")
    ui.say(f"Updated: {e('')}")
    return 0


def quotas(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf quotas``: the foundation's org quotas (PWS's trial plan until others exist)."""
    from workshop.mock.cf.commands_quotas import describe, org_quotas

    ui = ctx.ui
    ctx.authenticated()
    ui.say(f"Getting quotas as {ui.entity(ctx.user)}...")
    ui.ok()
    ui.say()
    header = ["name", "total memory limit", "instance memory limit", "routes"]
    header += ["service instances", "paid service plans"]
    rows = [[name, *describe(q)] for name, q in org_quotas(ctx.state).items()]
    ui.table(header, rows)
    return 0


def rename(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf rename APP_NAME NEW_APP_NAME``: routes and bindings follow the app."""
    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    old, new = args
    record = ctx.need_app(old)
    ui.say(f"Renaming app {e(old)} to {e(new)} {ctx.where()}...")
    apps = ctx.space_dict()["apps"]
    if new in apps and new != old:
        raise ui.failed(
            "Server error, status code: 400, error code: 100002, message: "
            f"The app name is taken: {new}"
        )
    ctx.space_dict()["apps"] = {(new if k == old else k): v for k, v in apps.items()}
    for route in (ctx.state.get("routes") or {}).values():
        route["apps"] = [new if a == old else a for a in route.get("apps") or []]
    for svc in ctx.space_dict()["services"].values():
        svc["bound_apps"] = [new if a == old else a for a in svc.get("bound_apps") or []]
    record.setdefault("env", {})
    ui.ok()
    return 0


_UPDATED = re.compile(r"Updated app with guid \S+ \((.*)\)$")


def events(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf events APP``: the Cloud Controller's audit events, newest first (the app's
    ``API`` log lines are the same events)."""
    from workshop.mock.cf.ui import format_log_time

    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    record = ctx.need_app(args[0])
    ui.say(f"Getting events for app {e(args[0])} {ctx.where()}...\n")
    rows = []
    for entry in reversed(st.read_logs(str(ctx.home), record)):
        if not str(entry.get("source", "")).startswith("API"):
            continue
        line = str(entry.get("line", ""))
        if line.startswith("Created app"):
            rows.append([format_log_time(entry["time"]), "audit.app.create", ctx.user, ""])
            continue
        match = _UPDATED.match(line)
        if match:
            changes = match.group(1).strip("{}").replace('"=>', ": ").replace('"', "")
            desc = ", ".join(part.strip() for part in changes.split(","))
            rows.append([format_log_time(entry["time"]), "audit.app.update", ctx.user, desc])
    ui.table(["time", "event", "actor", "description"], rows[:50])
    if not rows:
        ui.say(f"No events for app {e(args[0])}")
    return 0


def files(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf files APP [PATH] [-i INSTANCE]`` (cf/commands/application/files.go): on the
    training foundation's DEAs, the container's folder or file (:mod:`.appfiles`); PWS ran
    this course's apps on Diego, which has no files API."""
    ui = ctx.ui
    e = ui.entity
    ctx.authenticated()
    app = ctx.need_app(args[0])
    if ctx.state.get("foundation") != TRAINING:
        raise ui.failed(
            "The app is running on the Diego backend, which does not support this command."
        )
    total = int(app.get("instances") or 1)
    instance = 0
    if opts.get("i") is not None:
        instance = int(opts["i"])
        if instance < 0:
            raise ui.failed(f"Invalid instance: {instance}\nInstance must be a positive integer")
        if instance >= total:
            raise ui.failed(f"Invalid instance: {instance}\nInstance must be less than {total}")
    ui.say(f"Getting files for app {e(args[0])} {ctx.where()}...")
    path = args[1] if len(args) > 1 else "/"
    if app.get("state") != "started":  # the Cloud Controller's FileError (190001)
        raise ui.failed(
            "Server error, status code: 400, error code: 190001, message: File error: Request"
            f" failed for app: {args[0]} path: {path} as the app is in stopped state."
        )
    from workshop.mock.cf.appfiles import read

    listing = read(app, path)
    if listing is None:  # the directory server's 400 "Entity not found." is not CC JSON
        raise ui.failed("Server error, status code: 400, error code: 0, message: ")
    ui.ok()
    ui.say()
    ui.say(listing if listing else "No files found")
    return 0


def ssh(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf ssh APP``: SSH was not enabled for the course's apps on PWS in 2016."""
    ui = ctx.ui
    ctx.authenticated()
    record = ctx.need_app(args[0])
    if record.get("state") != "started":
        raise ui.failed("Application is not in the STARTED state")
    raise ui.failed(
        "Error opening SSH connection: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none password], no supported methods remain"
    )
