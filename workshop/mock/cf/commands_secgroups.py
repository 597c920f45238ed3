"""Application security groups: ``cf create-security-group``, ``security-groups``,
``security-group``, ``bind-security-group`` (and its staging and running sets), ``unbind-…``,
``update-security-group``, ``delete-security-group``.

Why: the original platform's operators unit creates a group from a JSON file, binds it to a
space and to the default sets, views it, unbinds and deletes it, and its verify scripts read
``cf security-groups`` and ``cf security-group NAME``. Texts, their order and the layouts are
cf v6.16.1's (``cf/commands/securitygroup/``); a foundation starts with cf-release's default
groups ``public_networks`` and ``dns`` in both default sets (UNVERIFIED for the platform's
own deployment).
"""

from __future__ import annotations

import json

from workshop.mock import state as st
from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

TIP = "TIP: Changes will not apply to existing running applications until they are restarted."
_PUBLIC = [
    {"protocol": "all", "destination": f"{low}-{high}"}
    for low, high in (
        ("0.0.0.0", "9.255.255.255"),
        ("11.0.0.0", "169.253.255.255"),
        ("169.255.0.0", "172.15.255.255"),
        ("172.32.0.0", "192.167.255.255"),
        ("192.169.0.0", "255.255.255.255"),
    )
]
_DNS = [
    {"protocol": "tcp", "destination": "0.0.0.0/0", "ports": "53"},
    {"protocol": "udp", "destination": "0.0.0.0/0", "ports": "53"},
]
EXAMPLE = """Valid json file example:
[
  {
    "protocol": "tcp",
    "destination": "10.244.1.18",
    "ports": "3306"
  }
]"""


def _groups(ctx: Context) -> dict[str, Any]:
    """The foundation's security groups (name → guid, rules, spaces bound as [org, space])
    and its default staging and running sets, made on first use."""
    groups = ctx.state.get("security_groups")
    if groups is None:
        groups = {
            "groups": {
                "public_networks": {"guid": st.new_guid(), "rules": _PUBLIC, "spaces": []},
                "dns": {"guid": st.new_guid(), "rules": _DNS, "spaces": []},
            },
            "staging": ["public_networks", "dns"],
            "running": ["public_networks", "dns"],
        }
        ctx.state["security_groups"] = groups
    return groups


def _read(ctx: Context, name: str) -> dict[str, Any]:
    """The group ``name``, or FAILED ``security group NAME not found`` (cf's Read)."""
    group = _groups(ctx)["groups"].get(name)
    if group is None:
        raise ctx.ui.failed(f"security group {name} not found")
    return group


def _rules(path: str) -> list[Any] | None:
    """The rules of a JSON file holding an array of objects (None: unreadable or not so)."""
    try:
        with open(path, encoding="utf-8") as handle:
            rules = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        return None
    return rules


def _space(ctx: Context, org_name: str, space_name: str) -> tuple[str, str]:
    """The org and space by name, or cf's ``Organization … not found`` / ``Space …``."""
    org = ctx.find_org(org_name)
    if org is None:
        raise ctx.ui.failed(f"Organization {org_name} not found")
    space = ctx.find_space(space_name, org)
    if space is None:
        raise ctx.ui.failed(f"Space {space_name} not found")
    return org, space


def create_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-security-group NAME PATH_TO_JSON_RULES_FILE``."""
    ui = ctx.ui
    name, path = args
    rules = _rules(path)
    if rules is None:
        raise ui.failed(f"Incorrect json format: file: {path}\n\t\t\n{EXAMPLE}")
    ui.say(f"Creating security group {ui.entity(name)} as {ui.entity(ctx.user)}")
    groups = _groups(ctx)["groups"]
    if name in groups:
        ui.ok()
        ui.warn(f"Security group {name} already exists")
        return 0
    groups[name] = {"guid": st.new_guid(), "rules": rules, "spaces": []}
    ui.ok()
    return 0


def update_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf update-security-group NAME PATH_TO_JSON_RULES_FILE``."""
    ui = ctx.ui
    name, path = args
    group = _read(ctx, name)
    rules = _rules(path)
    if rules is None:  # json.ParseJsonArray's own error (UNVERIFIED: its Go detail)
        if not _readable(path):
            raise ui.failed(f"open {path}: no such file or directory")
        raise ui.failed("Incorrect json format: invalid character in the file")
    ui.say(f"Updating security group {ui.entity(name)} as {ui.entity(ctx.user)}")
    group["rules"] = rules
    ui.ok()
    ui.say("\n\n")
    ui.say(TIP)
    return 0


def _readable(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def security_groups(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf security-groups``: every group, a row per space it is bound to."""
    ui = ctx.ui
    ui.say(f"Getting security groups as {ui.entity(ctx.user)}")
    groups = _groups(ctx)["groups"]
    ui.ok()
    ui.say()
    if not groups:
        ui.say("No security groups")
        return 0
    rows = []
    for index, (name, group) in enumerate(groups.items()):
        spaces = group["spaces"] or [["", ""]]
        for n, (org, space) in enumerate(spaces):
            rows.append([f"#{index}" if n == 0 else "", name, org, space])
    ui.table(["", "Name", "Organization", "Space"], rows)
    return 0


def security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf security-group NAME``: its rules (Go's MarshalIndent with tabs) and spaces."""
    ui = ctx.ui
    name = args[0]
    ui.say(f"Getting info for security group {ui.entity(name)} as {ui.entity(ctx.user)}")
    group = _read(ctx, name)
    ui.ok()
    ui.table(["", ""], [["Name", name], ["Rules", ""]])
    ui.say("\t" + json.dumps(group["rules"], indent="\t", sort_keys=True).replace("\n", "\n\t"))
    ui.say()
    if group["spaces"]:
        rows = [[f"#{i}", org, space] for i, (org, space) in enumerate(group["spaces"])]
        ui.table(["", "Organization", "Space"], rows)
    else:
        ui.say("No spaces assigned")
    return 0


def bind_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf bind-security-group NAME ORG SPACE`` (its first line is not coloured)."""
    ui = ctx.ui
    name, org_name, space_name = args
    ui.say(
        f"Assigning security group {name} to space {space_name} in org {org_name} as {ctx.user}..."
    )
    group = _read(ctx, name)
    org, space = _space(ctx, org_name, space_name)
    if [org, space] not in group["spaces"]:
        group["spaces"].append([org, space])
    ui.ok()
    ui.say("\n\n")
    ui.say(TIP)
    return 0


def unbind_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unbind-security-group NAME [ORG SPACE]`` (the targeted space without them)."""
    ui = ctx.ui
    e = ui.entity
    name = args[0]
    org_name, space_name = (args[1], args[2]) if len(args) > 2 else (ctx.org, ctx.space)
    ui.say(
        f"Unbinding security group {e(name)} from {e(org_name)}/{e(space_name)} as {e(ctx.user)}"
    )
    where = _space(ctx, org_name, space_name) if len(args) > 2 else (ctx.org, ctx.space)
    group = _read(ctx, name)
    group["spaces"] = [pair for pair in group["spaces"] if tuple(pair) != tuple(where)]
    ui.ok()
    ui.say("\n\n")
    ui.say(TIP)
    return 0


def delete_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf delete-security-group NAME [-f]``: asked first; a missing group is a warning."""
    ui = ctx.ui
    name = args[0]
    ui.say(f"Deleting security group {ui.entity(name)} as {ui.entity(ctx.user)}")
    if not opts.get("f") and not ui.confirm(f"Really delete the security group {ui.entity(name)}?"):
        ui.warn("Delete cancelled")  # cf's ConfirmDelete
        return 0
    groups = _groups(ctx)
    if name not in groups["groups"]:
        ui.ok()
        ui.warn(f"Security group {name} does not exist")
        return 0
    del groups["groups"][name]
    for kind in ("staging", "running"):
        groups[kind] = [n for n in groups[kind] if n != name]
    ui.ok()
    return 0


def _bind_default(ctx: Context, name: str, kind: str) -> int:
    ui = ctx.ui
    _read(ctx, name)
    what = "staging" if kind == "staging" else "defaults for running"
    ui.say(f"Binding security group {ui.entity(name)} to {what} as {ui.entity(ctx.user)}")
    sets = _groups(ctx)
    if name not in sets[kind]:
        sets[kind].append(name)
    ui.ok()
    if kind == "running":
        ui.say("\n\n")
        ui.say(TIP)
    return 0


def bind_staging_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf bind-staging-security-group NAME``."""
    return _bind_default(ctx, args[0], "staging")


def bind_running_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf bind-running-security-group NAME``."""
    return _bind_default(ctx, args[0], "running")


def _unbind_default(ctx: Context, name: str, kind: str) -> int:
    ui = ctx.ui
    line = f"Unbinding security group {ui.entity(name)} from defaults for {kind} as {ui.entity(ctx.user)}"
    if kind == "staging":  # staging says so before it looks the group up, running after
        ui.say(line)
    sets = _groups(ctx)
    if name not in sets["groups"]:
        ui.ok()
        ui.warn(f"Security group {name} does not exist.")
        return 0
    if kind == "running":
        ui.say(line)
    sets[kind] = [n for n in sets[kind] if n != name]
    ui.ok()
    ui.say("\n\n")
    ui.say(TIP)
    return 0


def unbind_staging_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unbind-staging-security-group NAME``."""
    return _unbind_default(ctx, args[0], "staging")


def unbind_running_security_group(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unbind-running-security-group NAME``."""
    return _unbind_default(ctx, args[0], "running")


def staging_security_groups(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf staging-security-groups``."""
    ui = ctx.ui
    ui.say(f"Acquiring staging security group as {ui.entity(ctx.user)}")
    names = _groups(ctx)["staging"]
    ui.ok()
    ui.say()
    for name in names:
        ui.say(name)
    if not names:
        ui.say("No staging security group set")
    return 0


def running_security_groups(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf running-security-groups``."""
    ui = ctx.ui
    ui.say(f"Acquiring running security groups as '{ui.entity(ctx.user)}'")
    names = _groups(ctx)["running"]
    ui.ok()
    ui.say()
    for name in names:
        ui.say(name)
    if not names:
        ui.say("No running security groups set")
    return 0
