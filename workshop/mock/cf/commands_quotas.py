"""Quotas with state: org quotas and space quotas an operator creates, changes and assigns.

Why: the original platform's quota unit creates ``small-quota`` and ``large-quota``, changes
and deletes them, assigns one to an org and a space quota to a space, and checks it with
``cf quotas``, ``cf org`` and ``cf space``. Quotas live in the state's ``quotas`` (org quotas)
and each org's ``space_quotas``: {NAME: {"memory": MB, "instance": MB or -1 (unlimited),
"routes": int, "services": int, "paid": bool}}; an org's ``quota`` and a space's
``space_quota`` name the assigned one. Before any is created the foundation has PWS's trial
plan (:data:`~workshop.mock.cf.commands_show.QUOTA`). Wordings marked UNVERIFIED were not
seen in a transcript.
"""

from __future__ import annotations

from workshop.mock import state as st
from workshop.mock.cf.context import Context
from workshop.mock.cf.ui import format_bytes

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


DEFAULT_QUOTA = ("default", 10240, "unlimited", 1000, 100, True)
"""The quota of an open-source Cloud Foundry deployment (the training platform's own):
name, memory (MB), instance memory, routes, services, paid."""


def default_quota(state: dict[str, Any]) -> str:
    """The quota an org has until one is set: PWS's trial, or the training platform's
    ``default``."""
    from workshop.mock.cf.catalog import TRAINING
    from workshop.mock.cf.commands_show import QUOTA

    return DEFAULT_QUOTA[0] if state.get("foundation") == TRAINING else QUOTA[0]


def org_quotas(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The foundation's org quotas (created with PWS's trial plan, or on the training
    platform's foundation its ``default`` quota, on first use)."""
    from workshop.mock.cf.catalog import TRAINING
    from workshop.mock.cf.commands_show import QUOTA

    if "quotas" not in state:
        first = DEFAULT_QUOTA if state.get("foundation") == TRAINING else QUOTA
        name, memory, _instance, routes, services, paid = first
        state["quotas"] = {
            name: {
                "memory": memory,
                "instance": -1,
                "routes": routes,
                "services": services,
                "paid": paid,
            }
        }
    quotas: dict[str, dict[str, Any]] = state["quotas"]
    return quotas


def describe(quota: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """A quota's figures as ``cf quotas`` shows them: total, instance, routes, services, paid."""
    instance = "unlimited" if quota["instance"] < 0 else format_bytes(quota["instance"] << 20)
    services = "unlimited" if quota["services"] < 0 else str(quota["services"])
    paid = "allowed" if quota["paid"] else "disallowed"
    return format_bytes(quota["memory"] << 20), instance, str(quota["routes"]), services, paid


def _apply(quota: dict[str, Any], opts: dict[str, Any]) -> None:
    if opts.get("m") is not None:
        quota["memory"] = st.parse_megabytes(opts["m"], quota["memory"])
    if opts.get("i") is not None:
        text = str(opts["i"])
        quota["instance"] = -1 if text == "-1" else st.parse_megabytes(text, quota["instance"])
    if opts.get("r") is not None:
        quota["routes"] = int(opts["r"])
    if opts.get("s") is not None:
        quota["services"] = int(opts["s"])
    if opts.get("allow-paid-service-plans"):
        quota["paid"] = True
    if opts.get("disallow-paid-service-plans"):
        quota["paid"] = False


def _new(opts: dict[str, Any]) -> dict[str, Any]:
    quota = {"memory": 0, "instance": -1, "routes": 0, "services": 0, "paid": False}
    _apply(quota, opts)
    return quota


def _space_quotas(ctx: Context) -> dict[str, dict[str, Any]]:
    quotas: dict[str, dict[str, Any]] = ctx.org_dict().setdefault("space_quotas", {})
    return quotas


def create_quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-quota QUOTA [-m] [-i] [-r] [-s] [--allow-paid-service-plans]``."""
    ui, e = ctx.ui, ctx.ui.entity
    ctx.authenticated()
    ui.say(f"Creating quota {e(args[0])} as {e(ctx.user)}...")
    quotas = org_quotas(ctx.state)
    if args[0] in quotas:
        ui.ok()
        ui.warn(f"Quota Definition {args[0]} already exists")  # UNVERIFIED wording
        return 0
    quotas[args[0]] = _new(opts)
    ui.ok()
    return 0


def update_quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf update-quota QUOTA [-m] [-i] [-n NEW_NAME] [-r] [-s] [--(dis)allow-paid-…]``."""
    ui, e = ctx.ui, ctx.ui.entity
    ctx.authenticated()
    quotas = org_quotas(ctx.state)
    if args[0] not in quotas:
        raise ui.failed(f"Quota {args[0]} not found")  # UNVERIFIED wording
    ui.say(f"Updating quota {e(args[0])} as {e(ctx.user)}...")
    _apply(quotas[args[0]], opts)
    if opts.get("n"):
        quotas[str(opts["n"])] = quotas.pop(args[0])
        for org in ctx.state["orgs"].values():
            if org.get("quota") == args[0]:
                org["quota"] = str(opts["n"])
    ui.ok()
    return 0


def delete_quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf delete-quota QUOTA [-f]``."""
    ui, e = ctx.ui, ctx.ui.entity
    if not opts.get("f") and not ui.confirm(f"Really delete the quota {e(args[0])}?"):
        ui.warn("Delete cancelled")
        return 0
    ctx.authenticated()
    ui.say(f"Deleting quota {e(args[0])} as {e(ctx.user)}...")
    quotas = org_quotas(ctx.state)
    if args[0] not in quotas:
        ui.ok()
        ui.warn(f"Quota {args[0]} does not exist")
        return 0
    del quotas[args[0]]
    ui.ok()
    return 0


def quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf quota QUOTA``: one quota's figures."""
    ui, e = ctx.ui, ctx.ui.entity
    ctx.authenticated()
    ui.say(f"Getting quota {e(args[0])} info as {e(ctx.user)}...")
    found = org_quotas(ctx.state).get(args[0])
    if found is None:
        raise ui.failed(f"Quota {args[0]} not found")  # UNVERIFIED wording
    ui.ok()
    ui.say()
    memory, instance, routes, services, paid = describe(found)
    ui.table(
        ["", ""],
        [
            ["Total Memory", memory],
            ["Instance Memory", instance],
            ["Routes", routes],
            ["Services", services],
            ["Paid service plans", paid],
        ],
    )
    return 0


def set_quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf set-quota ORG QUOTA``."""
    ui, e = ctx.ui, ctx.ui.entity
    ctx.authenticated()
    org = ctx.find_org(args[0])
    if org is None:
        raise ui.failed(f"Organization {args[0]} not found")
    if args[1] not in org_quotas(ctx.state):
        raise ui.failed(f"Quota {args[1]} not found")  # UNVERIFIED wording
    ui.say(f"Setting quota {e(args[1])} to org {e(org)} as {e(ctx.user)}...")
    ctx.org_dict(org)["quota"] = args[1]
    ui.ok()
    return 0


def create_space_quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-space-quota QUOTA [-i] [-m] [-r] [-s] [--allow-paid-service-plans]``."""
    ui, e = ctx.ui, ctx.ui.entity
    ctx.authenticated()
    ui.say(f"Creating space quota {e(args[0])} for org {e(ctx.org)} as {e(ctx.user)}...")
    quotas = _space_quotas(ctx)
    if args[0] in quotas:
        ui.ok()
        ui.warn(f"Space Quota Definition {args[0]} already exists")  # UNVERIFIED wording
        return 0
    quotas[args[0]] = _new(opts)
    ui.ok()
    return 0


def update_space_quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf update-space-quota QUOTA [-i] [-m] [-n NEW_NAME] [-r] [-s] …``."""
    ui, e = ctx.ui, ctx.ui.entity
    ctx.authenticated()
    quotas = _space_quotas(ctx)
    if args[0] not in quotas:
        raise ui.failed(f"Space quota with name '{args[0]}' not found")  # UNVERIFIED wording
    ui.say(f"Updating space quota {e(args[0])} as {e(ctx.user)}...")
    _apply(quotas[args[0]], opts)
    if opts.get("n"):
        quotas[str(opts["n"])] = quotas.pop(args[0])
    ui.ok()
    return 0


def set_space_quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf set-space-quota SPACE QUOTA``."""
    ui, e = ctx.ui, ctx.ui.entity
    ui.say(f"Assigning space quota {e(args[1])} to space {e(args[0])} as {e(ctx.user)}...")
    ctx.authenticated()
    space = ctx.find_space(args[0])
    if space is None:
        raise ui.failed(f"Space {args[0]} not found")
    if args[1] not in _space_quotas(ctx):
        raise ui.failed(f"Space quota with name '{args[1]}' not found")  # UNVERIFIED wording
    ctx.org_dict()["spaces"][space]["space_quota"] = args[1]
    ui.ok()
    return 0


def unset_space_quota(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unset-space-quota SPACE QUOTA``."""
    ui, e = ctx.ui, ctx.ui.entity
    ctx.authenticated()
    space = ctx.find_space(args[0])
    if space is None:
        raise ui.failed(f"Space {args[0]} not found")
    ui.say(f"Unassigning space quota {e(args[1])} from space {e(space)} as {e(ctx.user)}...")
    record = ctx.org_dict()["spaces"][space]
    if record.get("space_quota") == args[1]:
        record.pop("space_quota")
    ui.ok()
    return 0
