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
