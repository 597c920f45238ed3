"""``cf marketplace``, ``create-service``, ``services``, ``bind-service``, ``unbind-service``,
``delete-service`` and ``create-user-provided-service``/``cups``.

Why: the workshop's backing services (cleardb ``mysql``, rediscloud ``redis``, a syslog
drain) are created, listed and bound with these, with cf v6's texts (reference §5).
"""

from __future__ import annotations

from workshop.mock import jsonlite as json
from workshop.mock import state as st
from workshop.mock.cf import catalog
from workshop.mock.cf.context import Context, msg_no_api

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


def marketplace(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf marketplace [-s SERVICE]``."""
    ui = ctx.ui
    e = ui.entity
    if not ctx.state.get("api"):
        raise ui.failed(msg_no_api(ui))  # UNVERIFIED: the call fails without an endpoint
    offers = catalog.offerings(ctx.state)
    label = opts.get("s")
    if label is not None:
        if ctx.user and not (ctx.org and ctx.space):
            raise ui.failed(f"Cannot list plan information for {e(label)} without a targeted space")
        who = f" as {e(ctx.user)}" if ctx.user else ""
        ui.say(f"Getting service plan information for service {e(label)}{who}...")
        if label not in offers:
            raise ui.failed(f"Service offering {e(label)} not found")
        ui.ok()
        ui.say()
        rows = [
            [plan, catalog.plan_description(label, plan), "free" if free else "paid"]
            for plan, free in offers[label][1]
        ]
        ui.table(["service plan", "description", "free or paid"], rows)
        return 0
    if ctx.user:
        if not (ctx.org and ctx.space):
            raise ui.failed("Cannot list marketplace services without a targeted space")
        ui.say(
            f"Getting services from marketplace in org {e(ctx.org)} / space {e(ctx.space)} as {e(ctx.user)}..."
        )
    else:
        ui.say("Getting all services from marketplace...")
    ui.ok()
    ui.say()
    if not offers:
        ui.say("No service offerings found")
        return 0
    rows = [
        [name, ", ".join(p + ("" if free else "*") for p, free in plans), desc]
        for name, (desc, plans) in offers.items()
    ]
    ui.table(["service", "plans", "description"], rows)
    if any(not free for _, plans in offers.values() for _, free in plans):
        ui.say()
        ui.say(
            "* These service plans have an associated cost. Creating a service instance will incur this cost."
        )
    ui.say()
    ui.say(
        "TIP:  Use "
        + ui.hint("'cf marketplace -s SERVICE'")
        + " to view descriptions of individual plans of a given service."
    )
    return 0


def _json_param(ctx: Context, value: str) -> dict[str, Any] | None:
    """``-c``/``-p`` JSON given inline or as a file path; None when not a JSON object."""
    from pathlib import Path  # not at start-up: it imports re and fnmatch

    text = value
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = ctx.cwd / path
    try:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
    except OSError:
        pass
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def create_service(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf create-service SERVICE PLAN SERVICE_INSTANCE [-c JSON] [-t TAGS]``."""
    ui = ctx.ui
    e = ui.entity
    label, plan, name = args
    ctx.target_space()
    if opts.get("c") is not None and _json_param(ctx, opts["c"]) is None:
        raise ui.failed(
            "Invalid configuration provided for -c flag. Please provide a valid JSON object "
            "or path to a file containing a valid JSON object."
        )
    ui.say(f"Creating service instance {e(name)} {ctx.where()}...")
    offers = catalog.offerings(ctx.state)
    if label not in offers:
        raise ui.failed(f"Service offering {e(label)} not found")
    plans = dict(offers[label][1])
    if plan not in plans:
        raise ui.failed(f"Could not find plan with name {e(plan)}")
    services = ctx.space_dict()["services"]
    existing = services.get(name)
    if existing is not None:
        if existing.get("service") == label and existing.get("plan") == plan:
            ui.ok()
            ui.warn(f"Service {name} already exists")
            return 0
        raise ui.failed(
            "Server error, status code: 400, error code: 60002, message: "
            f"The service instance name is taken: {name}"
        )
    service = st.new_service(label, plan)
    service["credentials"] = catalog.credentials(label, service["guid"])
    services[name] = service
    ui.ok()
    if not plans[plan]:
        ui.say()
        ui.say(
            f"Attention: The plan `{plan}` of service `{label}` is not free.  The instance `{name}` "
            "will incur a cost.  Contact your administrator if you think this is in error."
        )
        ui.say()
    return 0


def update_service(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf update-service SERVICE_INSTANCE [-p NEW_PLAN] [-c JSON] [-t TAGS]``: a new plan
    of the same offering (the original platform's services unit moves p-mysql to 1gb).
    Texts and their order as cf v6.16.1's ``cf/commands/service/update_service.go``."""
    ui = ctx.ui
    e = ui.entity
    name = args[0]
    ctx.target_space()
    if all(opts.get(flag) is None for flag in ("p", "c", "t")):  # cf asks nothing then
        ui.ok()
        ui.say("No changes were made")
        return 0
    service = ctx.space_dict()["services"].get(name)
    if service is None:  # errors.NewModelNotFoundError("Service instance", name)
        raise ui.failed(f"Service instance {name} not found")
    if opts.get("c") is not None and _json_param(ctx, opts["c"]) is None:
        raise ui.failed(
            "Invalid configuration provided for -c flag. Please provide a valid JSON object "
            "or path to a file containing a valid JSON object."
        )
    plan = opts.get("p")
    if plan is not None:
        # a user-provided instance has no offering: its label is empty (the plans of no
        # offering are none; UNVERIFIED that the API call answers so)
        label = "" if service.get("user_provided") else str(service["service"])
        plans = dict(catalog.offerings(ctx.state).get(label, ("", []))[1]) if label else {}
        if plan not in plans:
            raise ui.failed(f"Plan does not exist for the {label} service")
    ui.say(f"Updating service instance {e(name)} as {e(ctx.user)}...")
    if plan is not None:
        service["plan"] = plan
    ui.ok()
    return 0


def rename_service(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf rename-service SERVICE_INSTANCE NEW_SERVICE_INSTANCE``: bindings follow it
    (cf v6.16.1's ``cf/commands/service/rename_service.go``: the instance is a requirement,
    found before anything is said; a name taken is the Cloud Controller's 60002)."""
    ui = ctx.ui
    e = ui.entity
    old, new = args
    ctx.target_space()
    space = ctx.space_dict()
    if old not in space["services"]:
        raise ui.failed(f"Service instance {old} not found")
    ui.say(f"Renaming service {e(old)} to {e(new)} {ctx.where()}...")
    if new in space["services"] and new != old:
        raise ui.failed(
            "Server error, status code: 400, error code: 60002, message: "
            f"The service instance name is taken: {new}\n"
            "TIP: Use 'cf services' to view all services in this org and space."
        )
    space["services"] = {(new if k == old else k): v for k, v in space["services"].items()}
    for app in space["apps"].values():
        for key in ("services", "running_services"):
            app[key] = [new if name == old else name for name in app.get(key) or []]
    ui.ok()
    return 0


def services(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf services``."""
    ui = ctx.ui
    ctx.target_space()
    ui.say(f"Getting services {ctx.where()}...")
    ui.ok()
    ui.say()
    items = ctx.space_dict()["services"]
    if not items:
        ui.say("No services found")
        return 0
    rows = []
    for name, svc in items.items():
        ups = svc.get("user_provided")
        rows.append(
            [
                name,
                "user-provided" if ups else svc.get("service", ""),
                "" if ups else svc.get("plan", ""),
                ", ".join(svc.get("bound_apps") or []),
                "" if ups else "create succeeded",
            ]
        )
    ui.table(["name", "service", "plan", "bound apps", "last operation"], rows)
    return 0


def _app_and_instance(
    ctx: Context, app_name: str, si: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Requirements of bind/unbind: login (≥6.17 shape), app exists, instance exists."""
    ctx.login_only()
    ctx.need_space()
    ctx.authenticated()
    app = ctx.need_app(app_name)
    svc = ctx.space_dict()["services"].get(si)
    if svc is None:
        raise ctx.ui.failed(f"Service instance {ctx.ui.entity(si)} not found")
    return app, svc


def bind_service(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf bind-service APP SERVICE_INSTANCE``: env changes need a restage."""
    ui = ctx.ui
    app_name, si = args
    app, svc = _app_and_instance(ctx, app_name, si)
    if opts.get("c") is not None and _json_param(ctx, opts["c"]) is None:
        raise ui.failed(
            "Invalid configuration provided for -c flag. Please provide a valid JSON object "
            "or path to a file containing a valid JSON object."
        )
    ui.say(f"Binding service {ui.entity(si)} to app {ui.entity(app_name)} {ctx.where()}...")
    ui.ok()
    if si in app["services"]:
        ui.warn(f"App {app_name} is already bound to {si}.")
        return 0
    bind(app, app_name, svc, si)
    ui.say(
        "TIP: Use "
        + ui.hint(f"'cf restage {app_name}'")
        + " to ensure your env variable changes take effect"
    )
    return 0


def bind(app: dict[str, Any], app_name: str, svc: dict[str, Any], si: str) -> None:
    """Record a binding on both sides (no output)."""
    if si not in app["services"]:
        app["services"].append(si)
    if app_name not in svc["bound_apps"]:
        svc["bound_apps"].append(app_name)


def unbind_service(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unbind-service APP SERVICE_INSTANCE``."""
    ui = ctx.ui
    app_name, si = args
    app, svc = _app_and_instance(ctx, app_name, si)
    ui.say(f"Unbinding app {ui.entity(app_name)} from service {ui.entity(si)} {ctx.where()}...")
    ui.ok()
    if si not in app["services"]:
        ui.warn(f"Binding between {si} and {app_name} did not exist")
        return 0
    app["services"].remove(si)
    if app_name in svc["bound_apps"]:
        svc["bound_apps"].remove(app_name)
    return 0


def delete_service(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf delete-service SERVICE_INSTANCE [-f]``: the prompt comes before the lookup."""
    ui = ctx.ui
    si = args[0]
    ctx.login_only()
    ctx.need_space()
    if not opts.get("f") and not ui.confirm(f"Really delete the service {ui.entity(si)}?"):
        ui.warn("Delete cancelled")
        return 0
    ui.say(f"Deleting service {ui.entity(si)} {ctx.where()}...")
    ctx.authenticated()
    orgs = ctx.state.get("orgs") or {}
    targeted = ctx.space in orgs.get(ctx.org, {}).get("spaces", {})
    items = ctx.space_dict()["services"] if targeted else {}
    svc = items.get(si)
    if svc is None:
        ui.ok()
        ui.warn(f"Service {si} does not exist.")
        return 0
    if svc.get("bound_apps"):
        raise ui.failed(
            "Cannot delete service instance, service keys and bindings must first be deleted"
        )
    del items[si]
    ui.ok()
    return 0


def uups(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf uups SERVICE_INSTANCE [-p CREDENTIALS] [-l SYSLOG_DRAIN_URL]``: replace a
    user-provided instance's credentials (``-p`` as for ``cups``) and drain URL. Texts and
    their order as cf v6.16.1's ``cf/commands/service/update_user_provided_service.go``:
    the credentials are asked for before anything is said, and bound apps see the change
    only after a restage (the TIP)."""
    ui = ctx.ui
    name = args[0]
    ctx.target_space()
    service = ctx.space_dict()["services"].get(name)
    if service is None:  # the service instance requirement
        raise ui.failed(f"Service instance {name} not found")
    if not service.get("user_provided"):
        raise ui.failed("Service Instance is not user provided")
    raw = opts.get("p")
    credentials: dict[str, Any] = {}
    if raw is not None:
        raw = raw.strip("\"'")
        parsed = _json_param(ctx, raw)
        if parsed is not None:
            credentials = parsed
        else:
            for param in raw.split(","):
                credentials[param.strip(" ")] = ui.ask(param.strip(" "))
    ui.say(f"Updating user provided service {ui.entity(name)} {ctx.where()}...")
    service["credentials"] = credentials  # cf sends every field: one not given is emptied
    service["syslog_drain_url"] = opts.get("l") or ""
    ui.ok()
    ui.say(
        f"TIP: Use '{ui.hint('cf restage')}' for any bound apps to ensure your env variable changes take effect"
    )
    if not raw and not opts.get("l"):
        ui.warn("No flags specified. No changes were made.")
    return 0


def cups(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf cups SERVICE_INSTANCE [-p CREDENTIALS] [-l SYSLOG_DRAIN_URL]``.

    ``-p`` takes a JSON object, a file holding one, or comma-separated parameter names
    that are then asked for one by one.
    """
    ui = ctx.ui
    name = args[0]
    ctx.target_space()
    credentials: dict[str, Any] = {}
    raw = opts.get("p")
    if raw is not None:
        raw = raw.strip("\"'")  # cf trims quotes first
        parsed = _json_param(ctx, raw)
        if parsed is not None:
            credentials = parsed
        else:  # not a JSON object, even a broken one: parameter names to ask for (cf v6)
            for param in raw.split(","):
                credentials[param.strip(" ")] = ui.ask(param.strip(" "))
    ui.say(f"Creating user provided service {ui.entity(name)} {ctx.where()}...")
    items = ctx.space_dict()["services"]
    if name in items:
        raise ui.failed(
            "Server error, status code: 400, error code: 60002, message: "
            f"The service instance name is taken: {name}"
        )
    items[name] = st.new_service(
        "user-provided",
        "",
        user_provided=True,
        credentials=credentials,
        syslog_drain_url=opts.get("l"),
    )
    ui.ok()
    return 0
