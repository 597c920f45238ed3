"""The commands the fake cf knows: names, aliases, usage text, flags, handlers.

Why: ``cf help CMD``, ``cf CMD -h``, "Incorrect Usage" and flag parsing all come from the
same metadata in cf v6 (``command_registry``); keeping it in one table makes them agree.
Texts are cf CLI v6.16.1's (reference §1.5). Where the reference gives only the first
usage line, the rest of the text is written from memory of the v6 sources and marked
UNVERIFIED next to it.
"""

from __future__ import annotations


class Flag:
    """One command-line flag: its names (long and/or short), kind and help text.

    ``names`` are without dashes, long name first when there is one (``("hostname", "n")``);
    ``kind`` is ``bool``, ``str`` or ``int``. (Plain classes, not dataclasses: importing
    ``dataclasses`` would cost the mock's start-up ~15 ms.)
    """

    __slots__ = ("names", "kind", "help")

    def __init__(self, names: tuple[str, ...], kind: str, help: str) -> None:
        self.names = names
        self.kind = kind
        self.help = help

    @property
    def display(self) -> str:
        """``--long, -s`` / ``--long`` / ``-s`` as cf lists them."""
        return ", ".join(("--" if len(n) > 1 else "-") + n for n in self.names)

    @property
    def sort_key(self) -> str:
        """cf 6.15+ sorts options by long name (short name when there is none)."""
        return self.names[0]


class Spec:
    """A cf command as its help and parser see it.

    ``usage`` has ``cf`` in it and only its first line gets cf's three-space indent;
    ``handler`` is ``module:function`` inside ``workshop.mock.cf``; ``args`` is the allowed
    positional argument count (min, max); ``arg_reason`` is what "Incorrect Usage. {reason}"
    says when the count is wrong.
    """

    __slots__ = ("name", "description", "usage", "handler", "alias", "flags", "args", "arg_reason")

    def __init__(
        self,
        name: str,
        description: str,
        usage: str,
        handler: str = "",
        alias: str = "",
        flags: tuple[Flag, ...] = (),
        args: tuple[int, int] = (0, 0),
        arg_reason: str = "",
    ) -> None:
        self.name = name
        self.description = description
        self.usage = usage
        self.handler = handler
        self.alias = alias
        self.flags = flags
        self.args = args
        self.arg_reason = arg_reason


_F = Flag
_FORCE = _F(("f",), "bool", "Force deletion without confirmation")
_C_JSON = _F(
    ("c",),
    "str",
    "Valid JSON object containing service-specific configuration parameters, "
    "provided either in-line or in a file. For a list of supported configuration parameters, "
    "see documentation for the particular service offering.",
)
_ONE = (1, 1)
_NONE = (0, 0)
_REQ = "Requires an argument"
_NOARG = "No argument required"

# UNVERIFIED beyond the first line: long usage paragraphs recalled from the v6 sources.
_LOGIN_USAGE = """cf login [-a API_URL] [-u USERNAME] [-p PASSWORD] [-o ORG] [-s SPACE]

WARNING:
   Providing your password as a command line option is highly discouraged
   Your password may be visible to others and may be recorded in your shell history

EXAMPLE:
   cf login (omit username and password to login interactively -- cf will prompt for both)
   cf login -u name@example.com -p pa55woRD (specify username and password as arguments)
   cf login -u name@example.com -p "my password" (use quotes for passwords with a space)
   cf login -u name@example.com -p "\\"password\\"" (escape quotes if used in password)
   cf login --sso (cf will provide a url to obtain a one-time password to login)"""

_CREATE_SERVICE_USAGE = """cf create-service SERVICE PLAN SERVICE_INSTANCE [-c PARAMETERS_AS_JSON] [-t TAGS]

   Optionally provide service-specific configuration parameters in a valid JSON object in-line:
   cf create-service SERVICE PLAN SERVICE_INSTANCE -c '{"name":"value","name":"value"}'

   Optionally provide a file containing service-specific configuration parameters in a valid JSON object. The path to the parameters file can be an absolute or relative path to a file:
   cf create-service SERVICE_INSTANCE -c PATH_TO_FILE

   Example of valid JSON object:
   {
      "cluster_nodes": {
         "count": 5,
         "memory_mb": 1024
      }
   }

   Optionally provide a comma-delimited list of tags that will be written to the VCAP_SERVICES environment variable for any bound applications.

EXAMPLE:
   Linux/Mac:
      cf create-service db-service silver mydb -c '{"ram_gb":4}'

   Windows Command Line:
      cf create-service db-service silver mydb -c "{\\"ram_gb\\":4}"

   Windows PowerShell:
      cf create-service db-service silver mydb -c '{\\"ram_gb\\":4}'

   cf create-service db-service silver mydb -c ~/workspace/tmp/instance_config.json

   cf create-service dbaas silver mydb -t "list, of, tags\""""

_BIND_USAGE = """cf bind-service APP_NAME SERVICE_INSTANCE [-c PARAMETERS_AS_JSON]

   Optionally provide service-specific configuration parameters in a valid JSON object in-line:
   cf bind-service APP_NAME SERVICE_INSTANCE -c '{"name":"value","name":"value"}'

   Optionally provide a file containing service-specific configuration parameters in a valid JSON object. The path to the parameters file can be an absolute or relative path to a file.
   cf bind-service APP_NAME SERVICE_INSTANCE -c PATH_TO_FILE

   Example of valid JSON object:
   {
      "permissions": "read-only"
   }

EXAMPLE:
   Linux/Mac:
      cf bind-service myapp mydb -c '{"permissions":"read-only"}'

   Windows Command Line:
      cf bind-service myapp mydb -c "{\\"permissions\\":\\"read-only\\"}"

   Windows PowerShell:
      cf bind-service myapp mydb -c '{\\"permissions\\":\\"read-only\\"}'

   cf bind-service myapp mydb -c ~/workspace/tmp/instance_config.json"""

_CUPS_USAGE = """cf create-user-provided-service SERVICE_INSTANCE [-p CREDENTIALS] [-l SYSLOG_DRAIN_URL]

   Pass comma separated credential parameter names to enable interactive mode:
   cf create-user-provided-service SERVICE_INSTANCE -p "comma, separated, parameter, names"

   Pass credential parameters as JSON to create a service non-interactively:
   cf create-user-provided-service SERVICE_INSTANCE -p '{"key1":"value1","key2":"value2"}'

   Specify a path to a file containing JSON:
   cf create-user-provided-service SERVICE_INSTANCE -p PATH_TO_FILE

EXAMPLE:
   cf create-user-provided-service my-db-mine -p "username, password"
   cf create-user-provided-service my-db-mine -p /path/to/credentials.json
   cf create-user-provided-service my-drain-service -l syslog://example.com

   Linux/Mac:
      cf create-user-provided-service my-db-mine -p '{"username":"admin","password":"pa55woRD"}'

   Windows Command Line:
      cf create-user-provided-service my-db-mine -p "{\\"username\\":\\"admin\\",\\"password\\":\\"pa55woRD\\"}"

   Windows PowerShell:
      cf create-user-provided-service my-db-mine -p '{\\"username\\":\\"admin\\",\\"password\\":\\"pa55woRD\\"}'"""

# Reference §1.5, verbatim (the trailing newline makes the two blank lines before ALIAS).
_PUSH_USAGE = """Push a single app (with or without a manifest):
   cf push APP_NAME [-b BUILDPACK_NAME] [-c COMMAND] [-d DOMAIN] [-f MANIFEST_PATH] [--docker-image DOCKER_IMAGE]
   [-i NUM_INSTANCES] [-k DISK] [-m MEMORY] [--hostname HOST] [-p PATH] [-s STACK] [-t TIMEOUT] [-u HEALTH_CHECK_TYPE] [--route-path ROUTE_PATH]
   [--no-hostname] [--no-manifest] [--no-route] [--no-start]

   Push multiple apps with a manifest:
   cf push [-f MANIFEST_PATH]
"""

_PUSH_FLAGS = (
    _F(
        ("b",),
        "str",
        "Custom buildpack by name (e.g. my-buildpack) or Git URL (e.g. 'https://github.com/cloudfoundry/java-buildpack.git') or Git URL with a branch or tag (e.g. 'https://github.com/cloudfoundry/java-buildpack.git#v3.3.0' for 'v3.3.0' tag). To use built-in buildpacks only, specify 'default' or 'null'",
    ),
    _F(("c",), "str", "Startup command, set to null to reset to default start command"),
    _F(("d",), "str", "Domain (e.g. example.com)"),
    _F(("docker-image", "o"), "str", "Docker-image to be used (e.g. user/docker-image-name)"),
    _F(("f",), "str", "Path to manifest"),
    _F(("health-check-type", "u"), "str", "Application health check type (e.g. 'port' or 'none')"),
    _F(("hostname", "n"), "str", "Hostname (e.g. my-subdomain)"),
    _F(("i",), "int", "Number of instances"),
    _F(("k",), "str", "Disk limit (e.g. 256M, 1024M, 1G)"),
    _F(("m",), "str", "Memory limit (e.g. 256M, 1024M, 1G)"),
    _F(("no-hostname",), "bool", "Map the root domain to this app"),
    _F(("no-manifest",), "bool", "Ignore manifest file"),
    _F(
        ("no-route",),
        "bool",
        "Do not map a route to this app and remove routes from previous pushes of this app",
    ),
    _F(("no-start",), "bool", "Do not start an app after pushing"),
    _F(
        ("p",), "str", "Path to app directory or to a zip file of the contents of the app directory"
    ),
    _F(("random-route",), "bool", "Create a random route for this app"),
    _F(("route-path",), "str", "Path for the route"),
    _F(
        ("s",),
        "str",
        "Stack to use (a stack is a pre-built file system, including an operating system, that can run apps)",
    ),
    _F(
        ("t",),
        "str",
        "Maximum time (in seconds) for CLI to wait for application start, other server side timeouts may apply",
    ),
)

_APP_SPACE = "cf {name} APP_NAME"

SPECS: tuple[Spec, ...] = (
    Spec(
        "api",
        "Set or view target api url",
        "cf api [URL]",
        "commands_target:api",
        flags=(
            _F(
                ("skip-ssl-validation",),
                "bool",
                "Skip verification of the API endpoint. Not recommended!",
            ),
            _F(("unset",), "bool", "Remove all api endpoint targeting"),
        ),
        args=(0, 1),
        arg_reason="",
    ),
    Spec(
        "login",
        "Log user in",
        _LOGIN_USAGE,
        "commands_login:login",
        alias="l",
        flags=(
            _F(("a",), "str", "API endpoint (e.g. https://api.example.com)"),
            _F(("o",), "str", "Org"),
            _F(("p",), "str", "Password"),
            _F(("s",), "str", "Space"),
            _F(
                ("skip-ssl-validation",),
                "bool",
                "Skip verification of the API endpoint. Not recommended!",
            ),
            _F(("sso",), "bool", "Use a one-time password to login"),
            _F(("u",), "str", "Username"),
        ),
        args=(0, 0),
        arg_reason=_NOARG,
    ),
    Spec("logout", "Log user out", "cf logout", "commands_target:logout", alias="lo"),
    Spec(
        "target",
        "Set or view the targeted org or space",
        "cf target [-o ORG] [-s SPACE]",
        "commands_target:target",
        alias="t",
        flags=(_F(("o",), "str", "Organization"), _F(("s",), "str", "Space")),
        arg_reason=_NOARG,
    ),
    Spec("orgs", "List all orgs", "cf orgs", "commands_spaces:orgs", alias="o", arg_reason=_NOARG),
    Spec(
        "spaces",
        "List all spaces in an org",
        "cf spaces",
        "commands_spaces:spaces",
        arg_reason=_NOARG,
    ),
    Spec(
        "create-space",
        "Create a space",
        "cf create-space SPACE [-o ORG] [-q SPACE-QUOTA]",
        "commands_spaces:create_space",
        flags=(
            _F(("o",), "str", "Organization"),
            _F(
                ("q",),
                "str",
                "Quota to assign to the newly created space (excluding this option results in assignment of default quota)",
            ),
        ),
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "delete-space",
        "Delete a space",
        "cf delete-space SPACE [-f]",
        "commands_spaces:delete_space",
        flags=(_FORCE,),
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "marketplace",
        "List available offerings in the marketplace",
        "cf marketplace",
        "commands_services:marketplace",
        alias="m",
        flags=(_F(("s",), "str", "Show plan details for a particular service offering"),),
        arg_reason=_NOARG,
    ),
    Spec(
        "create-service",
        "Create a service instance",
        _CREATE_SERVICE_USAGE,
        "commands_services:create_service",
        alias="cs",
        flags=(_C_JSON, _F(("t",), "str", "User provided tags")),
        args=(3, 3),
        arg_reason="Requires service, service plan, service instance as arguments",
    ),
    Spec(
        "services",
        "List all service instances in the target space",
        "cf services",
        "commands_services:services",
        alias="s",
        arg_reason=_NOARG,
    ),
    Spec(
        "bind-service",
        "Bind a service instance to an app",
        _BIND_USAGE,
        "commands_services:bind_service",
        alias="bs",
        flags=(_C_JSON,),
        args=(2, 2),
        arg_reason="Requires APP_NAME and SERVICE_INSTANCE as arguments",
    ),
    Spec(
        "unbind-service",
        "Unbind a service instance from an app",
        "cf unbind-service APP_NAME SERVICE_INSTANCE",
        "commands_services:unbind_service",
        alias="us",
        args=(2, 2),
        arg_reason="Requires APP SERVICE_INSTANCE as arguments",
    ),
    Spec(
        "delete-service",
        "Delete a service instance",
        "cf delete-service SERVICE_INSTANCE [-f]",
        "commands_services:delete_service",
        alias="ds",
        flags=(_FORCE,),
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "create-user-provided-service",
        "Make a user-provided service instance available to cf apps",
        _CUPS_USAGE,
        "commands_services:cups",
        alias="cups",
        flags=(
            _F(("l",), "str", "URL to which logs for bound applications will be streamed"),
            _F(
                ("p",),
                "str",
                "Credentials, provided inline or in a file, to be exposed in the VCAP_SERVICES environment variable for bound applications",
            ),
        ),
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "push",
        "Push a new app or sync changes to an existing app",
        _PUSH_USAGE,
        "commands_push:push",
        alias="p",
        flags=_PUSH_FLAGS,
        args=(0, 1),
        arg_reason="",
    ),
    Spec(
        "apps",
        "List all apps in the target space",
        "cf apps",
        "commands_apps:apps",
        alias="a",
        arg_reason=_NOARG,
    ),
    Spec(
        "app",
        "Display health and status for app",
        "cf app APP_NAME",
        "commands_apps:app",
        flags=(
            _F(
                ("guid",),
                "bool",
                "Retrieve and display the given app's guid.  All other health and status output for the app is suppressed.",
            ),
        ),
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "routes",
        "List all routes in the current space or the current organization",
        "cf routes [--orglevel]",
        "commands_apps:routes",
        alias="r",
        flags=(
            _F(("orglevel",), "bool", "List all the routes for all spaces of current organization"),
        ),
        arg_reason=_NOARG,
    ),
    Spec(
        "delete",
        "Delete an app",
        "cf delete APP_NAME [-f -r]",
        "commands_apps:delete",
        alias="d",
        flags=(_FORCE, _F(("r",), "bool", "Also delete any mapped routes")),
        args=_ONE,
        arg_reason="Requires app name as argument",
    ),
    Spec(
        "start",
        "Start an app",
        _APP_SPACE.format(name="start"),
        "commands_lifecycle:start",
        alias="st",
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "stop",
        "Stop an app",
        _APP_SPACE.format(name="stop"),
        "commands_lifecycle:stop",
        alias="sp",
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "restart",
        "Restart an app",
        _APP_SPACE.format(name="restart"),
        "commands_lifecycle:restart",
        alias="rs",
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "restage",
        "Restage an app",
        _APP_SPACE.format(name="restage"),
        "commands_lifecycle:restage",
        alias="rg",
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "scale",
        "Change or view the instance count, disk space limit, and memory limit for an app",
        "cf scale APP_NAME [-i INSTANCES] [-k DISK] [-m MEMORY] [-f]",
        "commands_lifecycle:scale",
        flags=(
            _F(("f",), "bool", "Force restart of app without prompt"),
            _F(("i",), "int", "Number of instances"),
            _F(("k",), "str", "Disk limit (e.g. 256M, 1024M, 1G)"),
            _F(("m",), "str", "Memory limit (e.g. 256M, 1024M, 1G)"),
        ),
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "env",
        "Show all env variables for an app",
        "cf env APP_NAME",
        "commands_env:env",
        alias="e",
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "set-env",
        "Set an env variable for an app",
        "cf set-env APP_NAME ENV_VAR_NAME ENV_VAR_VALUE",
        "commands_env:set_env",
        alias="se",
        args=(3, 3),
        arg_reason="Requires 'app-name env-name env-value' as arguments",
    ),
    Spec(
        "unset-env",
        "Remove an env variable",
        "cf unset-env APP_NAME ENV_VAR_NAME",
        "commands_env:unset_env",
        args=(2, 2),
        arg_reason="Requires 'app-name env-name' as arguments",
    ),
    Spec(
        "logs",
        "Tail or show recent logs for an app",
        "cf logs APP_NAME",
        "commands_logs:logs",
        flags=(_F(("recent",), "bool", "Dump recent logs instead of tailing"),),
        args=_ONE,
        arg_reason=_REQ,
    ),
    Spec(
        "buildpacks",
        "List all buildpacks",
        "cf buildpacks",
        "commands_info:buildpacks",
        arg_reason=_NOARG,
    ),
    Spec(
        "stacks",
        "List all stacks (a stack is a pre-built file system, including an operating system, that can run apps)",
        "cf stacks",
        "commands_info:stacks",
        arg_reason=_NOARG,
    ),
    Spec(
        "domains",
        "List domains in the target org",
        "cf domains",
        "commands_spaces:domains",
        arg_reason=_NOARG,
    ),
)

BY_NAME: dict[str, Spec] = {}
for _spec in SPECS:
    BY_NAME[_spec.name] = _spec
    if _spec.alias:
        BY_NAME[_spec.alias] = _spec


def usage_block(spec: Spec, color: object | None = None) -> str:
    """NAME / USAGE / ALIAS / OPTIONS as ``cf help CMD`` prints it (no trailing blank line)."""
    title = getattr(color, "header", lambda s: s)
    lines = [
        title("NAME:"),
        f"   {spec.name} - {spec.description}",
        "",
        title("USAGE:"),
        "   " + spec.usage,
    ]
    if spec.alias:
        lines += ["", title("ALIAS:"), "   " + spec.alias]
    if spec.flags:
        flags = sorted(spec.flags, key=lambda f: f.sort_key)
        width = max(len(f.display) for f in flags) + 6
        lines += ["", title("OPTIONS:")]
        lines += [("   " + f.display.ljust(width) + f.help).rstrip() for f in flags]
    return "\n".join(lines) + "\n"
