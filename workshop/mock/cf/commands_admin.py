"""An operator's commands with state: orgs, users and their roles (cf v6.16.1's texts).

Why: the original platform's operators units create orgs and users, give them roles and
check them with ``cf orgs``, ``cf org-users`` and ``cf space-users``; offline those
commands change the foundation as a Cloud Controller and UAA would. Roles live in the org's
and the space's ``roles`` ({ROLE: [user, ...]}); whoever creates an org is its OrgManager,
whoever creates a space its SpaceManager and SpaceDeveloper (as cf does). Wordings that were
not seen in a transcript are marked UNVERIFIED.
"""

from __future__ import annotations

from workshop.mock import state as st
from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

ORG_ROLES = {
    "OrgManager": "ORG MANAGER",
    "BillingManager": "BILLING MANAGER",
    "OrgAuditor": "ORG AUDITOR",
}
SPACE_ROLES = {
    "SpaceManager": "SPACE MANAGER",
    "SpaceDeveloper": "SPACE DEVELOPER",
    "SpaceAuditor": "SPACE AUDITOR",
}


def grant(record: dict[str, Any], role: str, user: str) -> None:
    """Give ``user`` ``role`` in an org's or a space's record (once)."""
    holders = record.setdefault("roles", {}).setdefault(role, [])
    if user not in holders:
        holders.append(user)


def _logged_in(ctx: Context) -> None:
    ctx.need_login()
    ctx.authenticated()


def _uaa(ctx: Context) -> None:
    """Commands that go to UAA first: without an API endpoint its address is unknown."""
    if not ctx.state.get("api"):
        raise ctx.ui.failed("UAA endpoint missing from config file")


def _org(ctx: Context, name: str) -> str:
    found = ctx.find_org(name)
    if found is None:
        raise ctx.ui.failed(f"Organization {name} not found")
    return found


def _space(ctx: Context, org: str, name: str) -> str:
    found = ctx.find_space(name, org)
    if found is None:
        raise ctx.ui.failed(f"Space {name} not found")
    return found


def _role(ctx: Context, typed: str, roles: dict[str, str]) -> str:
    for role in roles:
        if role.lower() == typed.lower():
            return role
    raise ctx.ui.failed(f"Invalid role {typed}")  # UNVERIFIED wording


def create_org(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-org ORG``: the creator becomes its OrgManager."""
    ui, e = ctx.ui, ctx.ui.entity
    _logged_in(ctx)
    name = args[0]
    ui.say(f"Creating org {e(name)} as {e(ctx.user)}...")
    if ctx.find_org(name) is not None:
        ui.ok()
        ui.warn(f"Org {name} already exists")
        return 0
    org = {"guid": st.new_guid(), "spaces": {}}
    ctx.state.setdefault("orgs", {})[name] = org
    ui.ok()
    ui.say()
    ui.say(f"Assigning role OrgManager to user {e(ctx.user)} in org {e(name)} ...")
    grant(org, "OrgManager", str(ctx.user))
    ui.ok()
    ui.say()
    ui.say("TIP: Use " + ui.hint(f"'cf target -o {name}'") + " to target new org")
    return 0


def delete_org(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf delete-org ORG [-f]``: with its spaces, apps and routes; un-targets it."""
    ui, e = ctx.ui, ctx.ui.entity
    if not opts.get("f") and not ui.confirm(
        f"Really delete the org {e(args[0])} and everything associated with it?"
    ):
        ui.warn("Delete cancelled")
        return 0
    _logged_in(ctx)
    ui.say(f"Deleting org {e(args[0])} as {e(ctx.user)}...")
    found = ctx.find_org(args[0])
    if found is None:
        ui.ok()
        ui.warn(f"Org {args[0]} does not exist.")
        return 0
    del ctx.state["orgs"][found]
    routes = ctx.state.get("routes") or {}
    for key in [k for k, r in routes.items() if r.get("org") == found]:
        del routes[key]
    if ctx.org == found:
        ctx.set_session(org=None, space=None)
    ui.ok()
    return 0


def rename_org(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf rename-org ORG NEW_ORG``."""
    ui, e = ctx.ui, ctx.ui.entity
    _logged_in(ctx)
    old = _org(ctx, args[0])
    new = args[1]
    ui.say(f"Renaming org {e(old)} to {e(new)} as {e(ctx.user)}...")
    orgs = ctx.state["orgs"]
    orgs[new] = orgs.pop(old)
    for route in (ctx.state.get("routes") or {}).values():
        if route.get("org") == old:
            route["org"] = new
    if ctx.org == old:
        ctx.set_session(org=new)
    ui.ok()
    return 0


def rename_space(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf rename-space SPACE NEW_SPACE`` in the targeted org."""
    ui, e = ctx.ui, ctx.ui.entity
    _logged_in(ctx)
    ctx.need_org()
    old = _space(ctx, str(ctx.org), args[0])
    new = args[1]
    ui.say(f"Renaming space {e(old)} to {e(new)} in org {e(ctx.org)} as {e(ctx.user)}...")
    spaces = ctx.org_dict()["spaces"]
    spaces[new] = spaces.pop(old)
    for route in (ctx.state.get("routes") or {}).values():
        if route.get("org") == ctx.org and route.get("space") == old:
            route["space"] = new
    if ctx.space == old:
        ctx.set_session(space=new)
    ui.ok()
    return 0


def create_user(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-user USERNAME PASSWORD``: a UAA account that may ``cf auth``."""
    ui, e = ctx.ui, ctx.ui.entity
    name, password = args[0], args[1]
    ui.say(f"Creating user {e(name)}...")
    if not ctx.state.get("api"):
        raise ui.failed(f"Error creating user {name}.\nUAA endpoint missing from config file")
    _logged_in(ctx)
    users = ctx.state.setdefault("users", {})
    if name in users:
        ui.ok()
        ui.warn(f"user {name} already exists")
        return 0
    users[name] = password
    ui.ok()
    ui.say()
    ui.say(
        "TIP: Assign roles with "
        + ui.hint("'cf set-org-role'")
        + " and "
        + ui.hint("'cf set-space-role'")
    )
    return 0


def delete_user(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf delete-user USERNAME [-f]``: the account and its roles go."""
    ui, e = ctx.ui, ctx.ui.entity
    name = args[0]
    if not opts.get("f") and not ui.confirm(f"Really delete the user {e(name)}?"):
        ui.warn("Delete cancelled")
        return 0
    _logged_in(ctx)
    ui.say(f"Deleting user {e(name)} as {e(ctx.user)}...")
    users = ctx.state.setdefault("users", {})
    if name not in users:
        ui.ok()
        ui.warn(f"User {name} does not exist.")
        return 0
    del users[name]
    for org in ctx.state["orgs"].values():
        for record in (org, *org["spaces"].values()):
            for holders in (record.get("roles") or {}).values():
                if name in holders:
                    holders.remove(name)
    ui.ok()
    return 0


def _user(ctx: Context, name: str) -> None:
    if name not in (ctx.state.get("users") or {}):
        raise ctx.ui.failed(f"User {name} not found")  # UNVERIFIED wording


def _role_change(ctx: Context, args: list[str], in_space: bool) -> tuple[str, str, str | None, str]:
    """The checks every role command makes, in cf's order, and its user, org, space (None
    for an org role) and role."""
    _uaa(ctx)
    _logged_in(ctx)
    user, org = args[0], _org(ctx, args[1])
    space = _space(ctx, org, args[2]) if in_space else None
    _user(ctx, user)
    role = _role(ctx, args[3] if in_space else args[2], SPACE_ROLES if in_space else ORG_ROLES)
    return user, org, space, role


def _change_role(ctx: Context, args: list[str], in_space: bool, give: bool) -> int:
    """``set-org-role``/``unset-org-role``/``set-space-role``/``unset-space-role``."""
    ui, e = ctx.ui, ctx.ui.entity
    user, org, space, role = _role_change(ctx, args, in_space)
    where = f"org {e(org)}" + (f" / space {e(space)}" if space is not None else "")
    doing = f"Assigning role {role} to" if give else f"Removing role {role} from"
    ui.say(f"{doing} user {e(user)} in {where} as {e(ctx.user)}...")
    holder = ctx.org_dict(org) if space is None else ctx.org_dict(org)["spaces"][space]
    if give:
        grant(holder, role, user)
    else:
        holders = holder.get("roles", {}).get(role, [])
        if user in holders:
            holders.remove(user)
    ui.ok()
    return 0


def set_org_role(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf set-org-role USERNAME ORG ROLE``."""
    return _change_role(ctx, args, in_space=False, give=True)


def unset_org_role(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unset-org-role USERNAME ORG ROLE``."""
    return _change_role(ctx, args, in_space=False, give=False)


def set_space_role(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf set-space-role USERNAME ORG SPACE ROLE``."""
    return _change_role(ctx, args, in_space=True, give=True)


def unset_space_role(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unset-space-role USERNAME ORG SPACE ROLE``."""
    return _change_role(ctx, args, in_space=True, give=False)


def _list_roles(ctx: Context, record: dict[str, Any], roles: dict[str, str]) -> None:
    ui = ctx.ui
    for role, title in roles.items():
        ui.say()
        ui.say(ui.header(title))
        holders = (record.get("roles") or {}).get(role) or []
        for user in holders:
            ui.say(f"  {user}")
        if not holders:
            ui.say(f"  No {title} found")


def org_users(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf org-users ORG``: the users of each org role."""
    ui, e = ctx.ui, ctx.ui.entity
    _logged_in(ctx)
    org = _org(ctx, args[0])
    ui.say(f"Getting users in org {e(org)} as {e(ctx.user)}...")
    _list_roles(ctx, ctx.org_dict(org), ORG_ROLES)
    return 0


def space_users(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf space-users ORG SPACE``: the users of each space role."""
    ui, e = ctx.ui, ctx.ui.entity
    _logged_in(ctx)
    org = _org(ctx, args[0])
    space = _space(ctx, org, args[1])
    ui.say(f"Getting users in org {e(org)} / space {e(space)} as {e(ctx.user)}")
    _list_roles(ctx, ctx.org_dict(org)["spaces"][space], SPACE_ROLES)
    return 0
