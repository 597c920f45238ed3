"""``cf orgs``, ``cf spaces``, ``cf create-space``, ``cf delete-space``, ``cf domains``.

Why: the dev/prod-parity lesson creates and targets a new space; these are cf v6's texts
for it (reference §4), including "already exists" being a warning, not an error.
"""

from __future__ import annotations

from workshop.mock import state as st
from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


def orgs(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf orgs`` (format UNVERIFIED beyond the common table shape)."""
    ctx.need_login()
    ctx.authenticated()
    ui = ctx.ui
    ui.say(f"Getting orgs as {ui.entity(ctx.user)}...")
    ui.say()
    from workshop.mock.cf import trace

    if trace.enabled():
        import json

        from workshop.mock.cf.commands_curl import collection

        body = json.dumps(collection(ctx, "organizations"), indent=2)
        trace.request(ctx, "GET", "/v2/organizations", "200 OK", body)
    names = list(ctx.state.get("orgs") or {})
    ui.table(["name"], [[n] for n in names])
    if not names:
        ui.say("No orgs found")
    return 0


def spaces(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf spaces``: no OK line; creation order."""
    ctx.need_login()
    ctx.need_org()
    ctx.authenticated()
    ui = ctx.ui
    ui.say(f"Getting spaces in org {ui.entity(ctx.org)} as {ui.entity(ctx.user)}...")
    ui.say()
    names = list(ctx.org_dict()["spaces"])
    ui.table(["name"], [[n] for n in names])
    if not names:
        ui.say("No spaces found")
    return 0


def create_space(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-space SPACE [-o ORG]``: does not change the target."""
    ui = ctx.ui
    e = ui.entity
    name = args[0]
    ctx.need_login()
    org_opt = opts.get("o")
    if org_opt is None:
        ctx.need_org()
    ctx.authenticated()
    org = org_opt if org_opt is not None else ctx.org
    user = ctx.user
    ui.say(f"Creating space {e(name)} in org {e(org)} as {e(user)}...")
    found_org = ctx.find_org(org)
    if found_org is None:
        raise ui.failed(f"Org {e(org)} does not exist or is not accessible")
    if opts.get("q") is not None:
        # UNVERIFIED wording; the mock's orgs have no space quotas.
        raise ui.failed(f"Space Quota {e(opts['q'])} not found")
    spaces = ctx.org_dict(found_org)["spaces"]
    if ctx.find_space(name, found_org) is not None:
        ui.ok()
        ui.warn(f"Space {name} already exists")
        return 0
    spaces[name] = st.new_space()
    ui.ok()
    from workshop.mock.cf.commands_admin import grant

    for role in ("SpaceManager", "SpaceDeveloper"):
        grant(spaces[name], role, str(user))
        ui.say(
            f"Assigning role {role} to user {e(user)} in org {e(found_org)} / space {e(name)} as {e(user)}..."
        )
        ui.ok()
    ui.say()
    ui.say(
        "TIP: Use "
        + ui.hint(f'\'cf target -o "{found_org}" -s "{name}"\'')
        + " to target new space"
    )
    return 0


def delete_space(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf delete-space SPACE [-f]``: recursive; un-targets it if it was targeted."""
    ui = ctx.ui
    e = ui.entity
    ctx.need_login()
    ctx.need_org()
    ctx.authenticated()
    found = ctx.find_space(args[0])
    if found is None:
        raise ui.failed(f"Space {e(args[0])} not found")
    if not opts.get("f") and not ui.confirm(f"Really delete the space {e(found)}?"):
        ui.warn("Delete cancelled")
        return 0
    ui.say(f"Deleting space {e(found)} in org {e(ctx.org)} as {e(ctx.user)}...")
    del ctx.org_dict()["spaces"][found]
    routes = ctx.state.get("routes") or {}
    for key in [
        k for k, r in routes.items() if r.get("org") == ctx.org and r.get("space") == found
    ]:
        del routes[key]
    ui.ok()
    if ctx.space == found:
        ctx.set_session(space=None)
        ui.say("TIP: No space targeted, use 'cf target -s' to target a space")
    return 0


def domains(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf domains`` (UNVERIFIED layout: the shared domain only)."""
    ctx.need_login()
    ctx.need_org()
    ctx.authenticated()
    ui = ctx.ui
    ui.say(f"Getting domains in org {ui.entity(ctx.org)} as {ui.entity(ctx.user)}...")
    ui.table(["name", "status"], [[str(ctx.state.get("domain") or st.DEFAULT_DOMAIN), "shared"]])
    return 0
