"""The commands the mock knows but does not simulate: cf's own first steps, then "offline".

Why: a learner who types an administrator's command (``cf create-quota``, ``cf delete-buildpack``)
must still meet cf's usage, flag and requirement checks and, where cf asks before it calls
the Cloud Controller, its confirmation prompt; only then does the mock say that the command
is not available offline (it never pretends the command worked).
"""

from __future__ import annotations

from workshop.mock.cf.context import Context
from workshop.mock.cf.ui import Exit

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

CONFIRM: dict[str, str] = {
    "delete-buildpack": "buildpack {0}",
    "delete-space-quota": "quota {0}",
    "delete-service-auth-token": "service auth token {0} {1}",
    "delete-service-broker": "service-broker {0}",
    "delete-service-key": "service key {1}",
}
"""cf's ``Really delete the …?`` question, asked before any API call unless ``-f``."""


SPACE_LOOKUP = {
    "allow-space-ssh": "",
    "disallow-space-ssh": "",
    "space-ssh-allowed": "",
}
"""Commands whose first API call looks up the space named by their first argument (and
what they print before it)."""

COMMUNITY = "plugins.cloudfoundry.org"
"""The host of cf's own plugin repository, ``CF-Community`` (``config_repository.go``)."""


def public_host(words: list[str]) -> str:
    """The public host a cf command line (``words``) downloads from, which offline nothing
    serves ('' for any other line): a plugin installed from a repository or a URL, the
    plugins of a repository, a repository added by its URL."""
    if len(words) < 2 or words[0] != "cf":
        return ""
    from urllib.parse import urlsplit

    command, rest = words[1], words[2:]
    urls = [urlsplit(word).hostname or "" for word in rest if "://" in word]
    if command in ("install-plugin", "add-plugin-repo") and any(urls):
        return next(host for host in urls if host)
    if command == "install-plugin" and "-r" in rest:
        return COMMUNITY
    if command == "repo-plugins":
        return COMMUNITY
    return ""


def before_requirements(ctx: Context, name: str, args: list[str]) -> None:
    """What cf prints while it builds the requirements (``get-health-check``, sic)."""
    if name == "get-health-check":
        ctx.ui.say(f"Getting health_check_type value for {ctx.ui.entity(args[0])}")
        ctx.ui.say()


def offline(ctx: Context, name: str, opts: dict[str, Any], args: list[str]) -> int:
    """cf's local steps for command ``name``, then the offline message (exit 1)."""
    ui = ctx.ui
    if name in LOCAL:
        LOCAL[name](ctx, opts, args)
    if name in SPACE_LOOKUP:
        if SPACE_LOOKUP[name]:
            ui.say(SPACE_LOOKUP[name].format(*map(ui.entity, args), user=ui.entity(ctx.user)))
        orgs = ctx.state.get("orgs") or {}
        if ctx.org not in orgs or ctx.find_space(args[0]) is None:
            raise ui.failed(f"Space {args[0]} not found")
    if name == "delete-orphaned-routes" and not opts.get("f"):
        if not ui.confirm("Really delete orphaned routes?>"):  # its prompt ends in ">>" (sic)
            return 0  # and a "no" ends it silently
    question = CONFIRM.get(name)
    if question and not opts.get("f"):
        if not ui.confirm("Really delete the " + question.format(*map(ui.entity, args)) + "?"):
            ui.warn("Delete cancelled")
            return 0
    raise ui.failed(f"'cf {name}' is not available in the offline workshop mock.")


def _install_plugin(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    ui = ctx.ui
    question = (
        "**Attention: Plugins are binaries written by potentially untrusted authors. "
        "Install and use plugins at your own risk.**\n\n"
        f"Do you want to install the plugin {args[0]}? (y or n)"
    )
    if not opts.get("f") and not ui.confirm(question):
        raise ui.failed("Plugin installation cancelled")


def _uninstall_plugin(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    ctx.ui.say(f"Uninstalling plugin {args[0]}...")
    raise ctx.ui.failed(f"Plugin name {args[0]} does not exist")


def _add_plugin_repo(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    from urllib.parse import urlparse

    ctx.ui.say()
    parts = urlparse(args[1])
    if not parts.scheme or not parts.netloc:
        raise ctx.ui.failed(
            f"{args[1]} is not a valid url, please provide a url, e.g. http://your_repo.com"
        )


def _remove_plugin_repo(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    ctx.ui.say()
    if args[0].lower() != "cf-community":
        raise ctx.ui.failed(f"{args[0]} does not exist as a repo")


def _update_service(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    if not any(key in opts for key in ("p", "c", "t")):
        ctx.ui.ok()
        ctx.ui.say("No changes were made")
        raise Exit(0)


def _buildpack(name: str) -> bool:
    from workshop.mock.cf.commands_info import BUILDPACKS

    return any(name == known for known, _ in BUILDPACKS)


def _create_buildpack(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    ctx.ui.say(f"Creating buildpack {ctx.ui.entity(args[0])}...")
    if not args[2].lstrip("+-").isdigit():
        raise ctx.ui.failed(
            f"Error {args[2]} is being passed in as the argument for 'Position' but 'Position' "
            "requires an integer.  For more syntax help, see `cf create-buildpack -h`."
        )


def _update_buildpack(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    if not _buildpack(args[0]):
        raise ctx.ui.failed(f"Buildpack {args[0]} not found")


def _rename_buildpack(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    ctx.ui.say(f"Renaming buildpack {ctx.ui.entity(args[0])} to {ctx.ui.entity(args[1])}...")
    _update_buildpack(ctx, opts, args)


def _passwd(ctx: Context, opts: dict[str, Any], args: list[str]) -> None:
    ui = ctx.ui
    ui.ask_password("Current Password")
    new = ui.ask_password("New Password")
    if ui.ask_password("Verify Password") != new:
        raise ui.failed("Password verification does not match")
    ui.say("Changing password...")
    if not ctx.state.get("api"):
        raise ui.failed("UAA endpoint missing from config file")


LOCAL = {
    "update-service": _update_service,
    "create-buildpack": _create_buildpack,
    "update-buildpack": _update_buildpack,
    "rename-buildpack": _rename_buildpack,
    "passwd": _passwd,
    "install-plugin": _install_plugin,
    "uninstall-plugin": _uninstall_plugin,
    "add-plugin-repo": _add_plugin_repo,
    "remove-plugin-repo": _remove_plugin_repo,
}
"""cf's local steps before its first API call (the mock installs no plugins)."""
