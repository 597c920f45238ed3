"""``cf start``, ``stop``, ``restart``, ``restage`` and ``scale`` (reference §7.7).

Why: Factor III (config) and VIII (concurrency) of the workshop are about exactly these:
env changes take effect on restart/restage, ``scale -i`` adds instances with their own
addresses (``/stock/factor7`` shows them).
"""

from __future__ import annotations

from workshop.mock import state as st
from workshop.mock.cf.context import Context
from workshop.mock.cf.lifecycle import add_instances, api_source, log, start_app, stop_app

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any


def start(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf start APP``."""
    ctx.target_space()
    name = args[0]
    app = ctx.need_app(name)
    if app["state"] == "started":
        ctx.ui.warn(f"App {name} is already started")
        return 0
    start_app(ctx, name, app)
    return 0


def stop(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf stop APP``."""
    ctx.target_space()
    name = args[0]
    stop_app(ctx, name, ctx.need_app(name))
    return 0


def restart(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf restart APP``: stop, an empty line, start."""
    ctx.target_space()
    name = args[0]
    app = ctx.need_app(name)
    stop_app(ctx, name, app, quiet=True)
    ctx.ui.say()
    start_app(ctx, name, app)
    return 0


def restart_app_instance(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf restart-app-instance APP INDEX``: the instance at INDEX is stopped and the
    back end starts it again (in the mock it answers at once, at the same address). As cf
    v6.16.1 (``restart_app_instance.go``): INDEX must parse as an integer; the Cloud
    Controller's ``DELETE /v2/apps/:guid/instances/:index`` answers 204 whatever the index
    or the app's state, so cf says OK."""
    ui = ctx.ui
    ctx.target_space()
    name, index = args
    ctx.need_app(name)
    try:
        number = int(index)
    except ValueError:
        raise ui.failed("Instance must be a non-negative integer") from None
    ui.say(
        f"Restarting instance {number} of application {ui.entity(name)} as {ui.entity(ctx.user)}"
    )
    ui.ok()
    ui.say()
    return 0


def restage(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf restage APP``: stages again, then starts."""
    ctx.target_space()
    name = args[0]
    app = ctx.need_app(name)
    st.stop_running(app)
    start_app(
        ctx, name, app, stage=True, header=f"Restaging app {ctx.ui.entity(name)} {ctx.where()}..."
    )
    return 0


_QUANTITY = r"^(\d+)([MG])B?$"


def to_megabytes(value: str) -> int | None:
    """cf's byte-quantity parser: ``512M``, ``1G``, ``256MB`` … else None."""
    import re  # not at start-up: cf start, restart and restage need none

    match = re.match(_QUANTITY, value.strip(), re.IGNORECASE)
    if not match:
        return None
    return int(match.group(1)) * (1024 if match.group(2).upper() == "G" else 1)


def quantity(ctx: Context, value: str, what: str) -> int:
    """Megabytes of ``value`` or ``FAILED`` / ``Invalid {what}: …``."""
    mb = to_megabytes(value)
    if mb is None:
        raise ctx.ui.failed(
            f"Invalid {what}: {value}\n"
            "Byte quantity must be an integer with a unit of measurement like M, MB, G, or GB"
        )
    return mb


def scale(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf scale APP [-i N] [-m MEM] [-k DISK] [-f]``."""
    ui = ctx.ui
    h = ui.header
    ctx.target_space()
    name = args[0]
    app = ctx.need_app(name)
    from workshop.mock.cf.ui import format_megabytes

    if not any(k in opts for k in ("i", "m", "k")):
        ui.say(f"Showing current scale of app {ui.entity(name)} {ctx.where()}...")
        ui.ok()
        ui.say()
        ui.say(f"{h('memory:')} {format_megabytes(app['memory'])}")
        ui.say(f"{h('disk:')} {format_megabytes(app['disk'])}")
        ui.say(f"{h('instances:')} {app['instances']}")
        return 0
    memory = quantity(ctx, opts["m"], "memory limit") if "m" in opts else None
    disk = quantity(ctx, opts["k"], "disk quota") if "k" in opts else None
    count = opts.get("i")
    if count is not None and count < 0:
        # UNVERIFIED: the Cloud Controller's validation message.
        raise ui.failed(
            "Server error, status code: 400, error code: 100001, "
            "message: The app is invalid: instances less than 0"
        )
    restart_needed = memory is not None or disk is not None
    if restart_needed and not opts.get("f"):
        sure = ui.confirm(
            f"This will cause the app to restart. Are you sure you want to scale {ui.entity(name)}?"
        )
        ui.say()  # cf's confirmRestart ends the prompt's line, whatever the answer
        if not sure:
            return 0
    ui.say(f"Scaling app {ui.entity(name)} {ctx.where()}...")
    changes = []
    if count is not None:
        app["instances"] = count
        changes.append(f'"instances"=>{count}')
        if app["state"] == "started" and not restart_needed:
            add_instances(ctx, name, app, count)
    if memory is not None:
        app["memory"] = memory
        changes.append(f'"memory"=>{memory}')
    if disk is not None:
        app["disk"] = disk
        changes.append(f'"disk_quota"=>{disk}')
    log(
        ctx,
        name,
        api_source(),
        f"Updated app with guid {app['guid']} ({{{', '.join(changes)}}})",
        st.now(),
    )
    ui.ok()
    if restart_needed:  # cf restarts the app, so a stopped one starts (ApplicationRestart)
        stop_app(ctx, name, app, quiet=True)
        ui.say()
        start_app(ctx, name, app)
    return 0
