"""``cf stacks`` and ``cf buildpacks``: read-only facts of PWS in early 2016.

Why: cf's own hints send learners there (the NoAppDetectedError TIP says "Use 'cf
buildpacks' to see a list of supported buildpacks"). Layouts follow cf v6's usual table
shape; the buildpack file names and stack description are UNVERIFIED for PWS Feb 2016.
"""

from __future__ import annotations

from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

BUILDPACKS = [
    ("staticfile_buildpack", "staticfile_buildpack-cached-v1.3.1.zip"),
    ("java_buildpack", "java-buildpack-v3.6.zip"),
    ("ruby_buildpack", "ruby_buildpack-cached-v1.6.12.zip"),
    ("nodejs_buildpack", "nodejs_buildpack-cached-v1.5.5.zip"),
    ("go_buildpack", "go_buildpack-cached-v1.7.1.zip"),
    ("python_buildpack", "python_buildpack-cached-v1.5.3.zip"),
    ("php_buildpack", "php_buildpack-cached-v4.3.4.zip"),
    ("liberty_buildpack", "liberty_buildpack-v2.3-20160122.zip"),
    ("binary_buildpack", "binary_buildpack-cached-v1.0.1.zip"),
]


def buildpacks(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf buildpacks``."""
    ctx.need_login()
    ctx.authenticated()
    ui = ctx.ui
    ui.say("Getting buildpacks...")
    ui.say()
    rows = [
        [name, str(i), "true", "false", filename]
        for i, (name, filename) in enumerate(BUILDPACKS, 1)
    ]
    ui.table(["buildpack", "position", "enabled", "locked", "filename"], rows)
    return 0


def stacks(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf stacks``."""
    ctx.target_space()
    ui = ctx.ui
    ui.say(f"Getting stacks {ctx.where()}...")
    ui.ok()
    ui.say()
    ui.table(["name", "description"], [["cflinuxfs2", "Cloud Foundry Linux-based filesystem"]])
    return 0


LOCALES = (
    "de-DE",
    "en-US",
    "es-ES",
    "fr-FR",
    "it-IT",
    "ja-JP",
    "ko-KR",
    "pt-BR",
    "zh-Hans",
    "zh-Hant",
)
"""The locales cf v6.16.1 ships (``cf config --locale``)."""


def config(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf config [--async-timeout N] [--trace V] [--color true|false] [--locale L]``:
    written to ``config.json`` as cf does; nothing is printed when all is well."""
    from workshop.mock.cf.specs import BY_NAME

    ui = ctx.ui
    settings = ctx.state.setdefault("cli_config", {})
    usage = "Incorrect Usage\n\n" + BY_NAME["config"].help.rstrip("\n")
    if "async-timeout" in opts:
        if opts["async-timeout"] < 0:
            raise ui.failed(usage)
        settings["AsyncTimeout"] = opts["async-timeout"]
    if "trace" in opts:
        settings["Trace"] = opts["trace"]
    if "color" in opts:
        if opts["color"] not in ("true", "false"):
            raise ui.failed(usage)
        settings["ColorEnabled"] = opts["color"]
    if "locale" in opts:
        locale = opts["locale"]
        if locale == "CLEAR":
            settings["Locale"] = ""
        elif locale.replace("_", "-").lower() in (x.lower() for x in LOCALES):
            settings["Locale"] = locale
        else:
            known = "\n".join(sorted(LOCALES))
            raise ui.failed(f"Could not find locale '{locale}'. The known locales are:\n\n{known}")
    ctx.session_changed = True  # config.json is rewritten from the state
    return 0


def plugins(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf plugins``: none installed in the workshop."""
    ui = ctx.ui
    ui.say("Listing Installed Plugins...")
    ui.ok()
    ui.say()
    ui.table(["Plugin Name", "Version", "Command Name", "Command Help"], [])
    return 0


def plugin_repos(ctx: Context, opts: dict[str, Any], args: list[str]) -> int:
    """``cf list-plugin-repos``: cf's default repository."""
    ui = ctx.ui
    ui.ok()
    ui.say()
    ui.table(["Repo Name", "Url"], [["CF-Community", "http://plugins.cloudfoundry.org"]])
    ui.say()
    return 0
