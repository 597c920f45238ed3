"""``cf env``, ``cf set-env``, ``cf unset-env`` (reference §7.6, §7.7).

Why: Factor III stores config in the environment: ``set-env`` changes ``env`` at once,
the running app (router) sees it only after a restart/restage (``running_env``), and
``cf env`` shows the bound services' credentials as Go's JSON encoder prints them.
"""

from __future__ import annotations

from workshop.mock import jsonlite as json
from workshop.mock import state as st
from workshop.mock.cf import catalog
from workshop.mock.cf.context import Context
from workshop.mock.cf.lifecycle import api_source, log

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


def go_json(value: Any) -> str:
    """``json.MarshalIndent(v, "", " ")``: sorted keys, 1-space indent, ``&<>`` escaped."""
    text = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def vcap_services(ctx: Context, bound: list[str]) -> dict[str, list[dict[str, Any]]]:
    """VCAP_SERVICES for the given bound instance names of the targeted space."""
    result: dict[str, list[dict[str, Any]]] = {}
    items = ctx.space_dict()["services"]
    for si in bound:
        svc = items.get(si)
        if svc is None:
            continue
        entry: dict[str, Any]
        if svc.get("user_provided"):
            entry = {
                "credentials": svc.get("credentials") or {},
                "label": "user-provided",
                "name": si,
                "syslog_drain_url": svc.get("syslog_drain_url") or "",
                "tags": [],
            }
            result.setdefault("user-provided", []).append(entry)
            continue
        label = svc["service"]
        entry = {
            "credentials": svc.get("credentials") or catalog.credentials(label, svc["guid"]),
            "label": label,
            "name": si,
            "plan": svc["plan"],
            "provider": None,
            "syslog_drain_url": None,
            "tags": catalog.TAGS.get(label, []),
        }
        result.setdefault(label, []).append(entry)
    return result


def vcap_application(ctx: Context, name: str, app: dict[str, Any]) -> dict[str, Any]:
    """VCAP_APPLICATION as the Cloud Controller of 2016 returned it."""
    uris = list(app.get("routes") or [])
    return {
        "application_id": app["guid"],
        "application_name": name,
        "application_uris": uris,
        "application_version": app.get("version") or app["guid"],
        "limits": {"disk": app["disk"], "fds": 16384, "mem": app["memory"]},
        "name": name,
        "space_id": ctx.space_dict()["guid"],
        "space_name": ctx.space,
        "uris": uris,
        "users": None,
        "version": app.get("version") or app["guid"],
    }


def env(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf env APP``."""
    ui = ctx.ui
    name = args[0]
    ctx.target_space()
    app = ctx.need_app(name)
    ui.say(f"Getting env variables for app {ui.entity(name)} {ctx.where()}...")
    ui.ok()
    ui.say()
    services = vcap_services(ctx, list(app.get("services") or []))
    ui.say(ui.entity("System-Provided:"))
    ui.say(go_json({"VCAP_SERVICES": services}) if services else "")
    ui.say()
    ui.say(go_json({"VCAP_APPLICATION": vcap_application(ctx, name, app)}))
    ui.say()
    user_env = app.get("env") or {}
    if user_env:
        ui.say(ui.entity("User-Provided:"))
        for key in sorted(user_env):
            ui.say(f"{key}: {user_env[key]}")
    else:
        ui.say("No user-defined env variables have been set")
    ui.say()
    ui.say("No running env variables have been set")
    ui.say()
    ui.say("No staging env variables have been set")
    ui.say()
    return 0


def _env_logged(ctx: Context, name: str, app: dict[str, Any]) -> None:
    log(
        ctx,
        name,
        api_source(),
        f'Updated app with guid {app["guid"]} ({{"environment_json"=>"PRIVATE DATA HIDDEN"}})',
        st.now(),
    )


def set_env(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf set-env APP NAME VALUE``: takes effect on the next restart/restage."""
    ui = ctx.ui
    name, key, value = args
    ctx.target_space()
    app = ctx.need_app(name)
    ui.say(
        f"Setting env variable '{ui.entity(key)}' to '{ui.entity(value)}' for app {ui.entity(name)} "
        f"{ctx.where()}..."
    )
    app.setdefault("env", {})[key] = value
    _env_logged(ctx, name, app)
    ui.ok()
    ui.say(
        "TIP: Use " + ui.hint("'cf restage'") + " to ensure your env variable changes take effect"
    )
    return 0


def unset_env(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf unset-env APP NAME``."""
    ui = ctx.ui
    name, key = args
    ctx.target_space()
    app = ctx.need_app(name)
    ui.say(f"Removing env variable {ui.entity(key)} from app {ui.entity(name)} {ctx.where()}...")
    variables = app.setdefault("env", {})
    if key not in variables:
        ui.ok()
        ui.warn(f"Env variable {key} was not set.")
        return 0
    del variables[key]
    _env_logged(ctx, name, app)
    ui.ok()
    ui.say(
        "TIP: Use " + ui.hint("'cf restage'") + " to ensure your env variable changes take effect"
    )
    return 0
