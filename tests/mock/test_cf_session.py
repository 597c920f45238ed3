"""Transcripts of the session commands (reference §1, §2, §3): version, help, usage errors,
api, login (flags), logout, target — byte for byte, colour off."""

from __future__ import annotations

from pathlib import Path

from cf_support import block, cf

R_LOGIN = "Not logged in. Use 'cf login' to log in.\n"


def test_version_and_unknown_commands(fresh: Path) -> None:
    assert cf(fresh, "-v") == ("cf version 6.16.1+924508c-2016-02-26\n", 0)
    assert cf(fresh, "--version") == ("cf version 6.16.1+924508c-2016-02-26\n", 0)
    assert cf(fresh, "version") == ("'version' is not a registered command. See 'cf help'\n", 1)
    assert cf(fresh, "frobnicate", "x") == (
        "'frobnicate' is not a registered command. See 'cf help'\n",
        1,
    )
    assert cf(fresh, "help", "frobnicate") == (
        "FAILED\n'frobnicate' is not a registered command. See 'cf help'\n",
        1,
    )


def test_help_overview_shape(fresh: Path) -> None:
    out, code = cf(fresh, "help")
    assert code == 0
    assert out.startswith(
        "NAME:\n   cf - A command line tool to interact with Cloud Foundry\n\nUSAGE:\n"
        "   [environment variables] cf [global options] command [arguments...] [command options]\n\n"
        "VERSION:\n   6.16.1+924508c-2016-02-26\n   \nGETTING STARTED:\n"
        "   help                                   Show help\n"
        "   login                                  Log user in\n"
    )
    assert (
        "\nAPPS:\n   apps                                   List all apps in the target space\n"
        in out
    )
    assert out.endswith(
        "GLOBAL OPTIONS:\n   --version, -v                      Print the version\n"
        "   --build, -b                        Print the version of Go the CLI was built against\n"
        "   --help, -h                         Show help\n\n"
    )
    assert cf(fresh)[0] == out
    assert cf(fresh, "-h")[0] == out


CREATE_SPACE_HELP = """NAME:
   create-space - Create a space

USAGE:
   cf create-space SPACE [-o ORG] [-q SPACE-QUOTA]

OPTIONS:
   -o      Organization
   -q      Quota to assign to the newly created space (excluding this option results in assignment of default quota)
"""

DELETE_HELP = """NAME:
   delete - Delete an app

USAGE:
   cf delete APP_NAME [-f -r]

ALIAS:
   d

OPTIONS:
   -f      Force deletion without confirmation
   -r      Also delete any mapped routes
"""

PUSH_HELP_HEAD = """NAME:
   push - Push a new app or sync changes to an existing app

USAGE:
   Push a single app (with or without a manifest):
   cf push APP_NAME [-b BUILDPACK_NAME] [-c COMMAND] [-d DOMAIN] [-f MANIFEST_PATH] [--docker-image DOCKER_IMAGE]
   [-i NUM_INSTANCES] [-k DISK] [-m MEMORY] [--hostname HOST] [-p PATH] [-s STACK] [-t TIMEOUT] [-u HEALTH_CHECK_TYPE] [--route-path ROUTE_PATH]
   [--no-hostname] [--no-manifest] [--no-route] [--no-start]

   Push multiple apps with a manifest:
   cf push [-f MANIFEST_PATH]


ALIAS:
   p

OPTIONS:
   -b                           Custom buildpack by name"""

PUSH_HELP_TAIL = """   -d                           Domain (e.g. example.com)
   --docker-image, -o           Docker-image to be used (e.g. user/docker-image-name)
   -f                           Path to manifest
   --health-check-type, -u      Application health check type (e.g. 'port' or 'none')
   --hostname, -n               Hostname (e.g. my-subdomain)
   -i                           Number of instances
   -k                           Disk limit (e.g. 256M, 1024M, 1G)
   -m                           Memory limit (e.g. 256M, 1024M, 1G)
   --no-hostname                Map the root domain to this app
   --no-manifest                Ignore manifest file
   --no-route                   Do not map a route to this app and remove routes from previous pushes of this app
   --no-start                   Do not start an app after pushing
   -p                           Path to app directory or to a zip file of the contents of the app directory
   --random-route               Create a random route for this app
   --route-path                 Path for the route
   -s                           Stack to use (a stack is a pre-built file system, including an operating system, that can run apps)
   -t                           Maximum time (in seconds) for CLI to wait for application start, other server side timeouts may apply
"""


def test_command_help_blocks(fresh: Path) -> None:
    assert cf(fresh, "help", "create-space") == (CREATE_SPACE_HELP, 0)
    assert cf(fresh, "create-space", "-h") == (CREATE_SPACE_HELP, 0)
    assert cf(fresh, "delete", "--help") == (DELETE_HELP, 0)
    out, code = cf(fresh, "push", "-h")
    assert code == 0 and out.startswith(PUSH_HELP_HEAD) and out.endswith(PUSH_HELP_TAIL)


def test_incorrect_usage_wins_over_requirements(fresh: Path) -> None:
    assert cf(fresh, "create-space") == (
        "FAILED\nIncorrect Usage. Requires an argument\n\n" + CREATE_SPACE_HELP,
        1,
    )
    assert cf(fresh, "delete") == (
        "FAILED\nIncorrect Usage. Requires app name as argument\n\n" + DELETE_HELP,
        1,
    )
    assert cf(fresh, "delete", "app", "-x") == (
        "FAILED\nIncorrect Usage\n\nInvalid flag: -x\n\n" + DELETE_HELP,
        1,
    )
    out, code = cf(fresh, "push", "a", "b")
    assert code == 1 and out.startswith("FAILED\nIncorrect Usage.\n\nNAME:\n   push - ")
    out, code = cf(fresh, "scale", "app", "-i")
    assert code == 1 and out.startswith(
        "FAILED\nIncorrect Usage\n\nNo value provided for flag: -i\n\nNAME:"
    )
    out, code = cf(fresh, "scale", "app", "-i", "two")
    assert code == 1 and out.startswith(
        "FAILED\nIncorrect Usage\n\nValue for flag 'i' must be an integer\n\n"
    )
    out, code = cf(fresh, "apps", "extra")
    assert code == 1 and out.startswith(
        "FAILED\nIncorrect Usage. No argument required\n\nNAME:\n   apps - "
    )
    out, code = cf(fresh, "set-env", "a", "b")
    assert code == 1 and out.startswith(
        "FAILED\nIncorrect Usage. Requires 'app-name env-name env-value' as arguments\n"
    )
    out, code = cf(fresh, "bind-service", "a")
    assert code == 1 and out.startswith(
        "FAILED\nIncorrect Usage. Requires APP_NAME and SERVICE_INSTANCE as arguments\n"
    )
    out, code = cf(fresh, "create-service", "a", "b")
    assert code == 1 and out.startswith(
        "FAILED\nIncorrect Usage. Requires service, service plan, service instance as arguments\n"
    )


def test_api(fresh: Path) -> None:
    assert cf(fresh, "api") == (
        "API endpoint: https://api.run.pivotal.io (API version: 2.46.0)\n",
        0,
    )
    assert cf(fresh, "api", "api.run.pivotal.io") == (
        "Setting api endpoint to api.run.pivotal.io...\nOK\n\n" + block(user=None),
        0,
    )
    assert cf(fresh, "api", "--unset") == (
        "Unsetting api endpoint...\nOK\n\nNo api endpoint set.\n",
        0,
    )
    assert cf(fresh, "api") == ("No api endpoint set. Use 'cf api' to set an endpoint\n", 0)
    assert cf(fresh, "target") == (
        "No API endpoint set. Use 'cf login' or 'cf api' to target an endpoint.\n      \n"
        + R_LOGIN,
        1,
    )
    assert cf(fresh, "api", "http://api.cfapps.io", "--skip-ssl-validation") == (
        "Setting api endpoint to http://api.cfapps.io...\n"
        "Warning: Insecure http API endpoint detected: secure https API endpoints are recommended\n\n"
        "OK\n\n" + block(user=None, api="http://api.cfapps.io"),
        0,
    )
    assert cf(fresh, "api", "foo.example.com") == (
        "Setting api endpoint to foo.example.com...\nFAILED\n"
        "Error performing request: Get http://foo.example.com/v2/info: dial tcp: lookup foo.example.com: no such host\n"
        "TIP: If you are behind a firewall and require an HTTP proxy, verify the https_proxy environment variable "
        "is correctly set. Else, check your network connection.\n",
        1,
    )
    assert cf(fresh, "api") == ("No api endpoint set. Use 'cf api' to set an endpoint\n", 0)


def test_api_same_endpoint_keeps_the_session(home: Path) -> None:
    out, code = cf(home, "api", "https://api.run.pivotal.io/")
    assert (out, code) == (
        "Setting api endpoint to https://api.run.pivotal.io/...\nOK\n\n" + block(),
        0,
    )


def test_login_with_flags(fresh: Path) -> None:
    out, code = cf(fresh, "login", "-a", "api.run.pivotal.io", "-u", "user_name", "-p", "password")
    assert (out, code) == (
        "API endpoint: api.run.pivotal.io\nAuthenticating...\nOK\n\nTargeted org your-org\n\n"
        "Targeted space development\n\n\n" + block(),
        0,
    )
    config = (fresh / ".cf" / "config.json").read_text()
    assert '"Name": "development"' in config and '"AccessToken": "bearer ' in config


def test_login_rejected_three_times_with_piped_stdin(fresh: Path) -> None:
    out, code = cf(fresh, "login", "-u", "user_name", "-p", "nope", stdin="bad\nworse\n")
    attempt = "Authenticating...\nCredentials were rejected, please try again.\n"
    assert (out, code) == (
        "API endpoint: https://api.run.pivotal.io\n"
        + attempt
        + "\nPassword> \n"
        + attempt
        + "\nPassword> \n"
        + attempt
        + "FAILED\nUnable to authenticate.\n\n"
        + block(user=None),
        1,
    )


def test_login_prompts_with_piped_stdin_and_unknown_org(fresh: Path) -> None:
    out, code = cf(fresh, "login", "-o", "nope", stdin="user_name\npassword\n")
    assert (out, code) == (
        "API endpoint: https://api.run.pivotal.io\n\nEmail> \nPassword> \nAuthenticating...\nOK\n\n"
        "FAILED\nError finding org nope\nOrganization nope not found\n\n"
        + block(org=None, space=None),
        1,
    )


def test_logout_then_requirements_quirk(home: Path) -> None:
    assert cf(home, "logout") == ("Logging out...\nOK\n", 0)
    assert cf(home, "target") == (block(user=None), 1)
    assert cf(home, "apps") == (
        R_LOGIN
        + "FAILED\nNo org and space targeted, use 'cf target -o ORG -s SPACE' to target an org and space\n",
        1,
    )
    assert cf(home, "spaces") == (
        R_LOGIN + "FAILED\nNo org targeted, use 'cf target -o ORG' to target an org.\n",
        1,
    )
    # v6.16.1's only requirement here is login: it says so, goes on, and the API refuses
    assert cf(home, "delete-service", "mysql", "-f") == (
        R_LOGIN + "Deleting service mysql in org  / space  as ...\nFAILED\n"
        "Server error, status code: 401, error code: 10002, message: Authentication error\n",
        1,
    )
    assert cf(home, "target", "-s", "development") == (
        R_LOGIN + "FAILED\nAn org must be targeted before targeting a space\n",
        1,
    )


def test_target_forms(home: Path, tmp_path: Path) -> None:
    assert cf(home, "target") == (block(), 0)
    assert cf(home, "create-space", "production_test")[1] == 0
    assert cf(home, "target", "-s", "production_test") == (block(space="production_test"), 0)
    assert cf(home, "target", "-s", "PRODUCTION_TEST") == (block(space="production_test"), 0)
    # -o un-targets the space; the org has two spaces now, so none is chosen
    assert cf(home, "target", "-o", "your-org") == (block(space=None), 0)
    assert cf(home, "target", "-o", "your-org", "-s", "development") == (block(), 0)
    assert cf(home, "target", "-s", "nope") == (
        "FAILED\nUnable to access space nope.\nSpace nope not found\n",
        1,
    )
    # the failed target left no space targeted (reference §3.5)
    assert cf(home, "target") == (block(space=None), 0)
    assert cf(home, "target", "-o", "nope") == (
        "FAILED\nCould not target org.\nOrganization nope not found\n",
        1,
    )
    assert cf(home, "target") == (block(org=None, space=None), 0)
    assert cf(home, "apps") == (
        "FAILED\nNo org and space targeted, use 'cf target -o ORG -s SPACE' to target an org and space\n",
        1,
    )
    assert cf(home, "target", "-o", "your-org") == (block(space=None), 0)
    assert cf(home, "apps") == (
        "FAILED\nNo space targeted, use 'cf target -s' to target a space\n",
        1,
    )
    out, code = cf(home, "target", "extra")
    assert code == 1 and out.startswith(
        "FAILED\nIncorrect Usage. No argument required\n\nNAME:\n   target - "
    )


def test_target_single_space_is_auto_targeted(home: Path) -> None:
    assert cf(home, "target", "-o", "YOUR-ORG") == (block(), 0)
