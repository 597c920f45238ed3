"""The typed model of ``workshop.yaml``: every key an author may write, and nothing else.

One msgspec ``Struct`` per kind of mapping (the workshop, a lesson, a step's settings, a
hint, a lesson's starting state, one struct per check kind), each forbidding unknown keys.
:mod:`workshop.content.validation` converts the YAML into it and turns msgspec's errors into
``file:line`` problems; :mod:`workshop.content.schema` derives the JSON Schema editors use
from it, so the loader, ``workshop lint`` and the schema cannot disagree.

Each field carries a ``description`` (shown by editors) and, where msgspec's own wording
would be obscure, an ``expects`` phrase (``extra={"expects": ...}``) that lint messages use:
``'retries' must be a whole number (0 or more), not 'two'``.

Checks are written by which key they hold (``- exit_code: 0``, ``- http: URL``), not with a
tag; :func:`workshop.content.checkspec.kind_of` finds it and the validation adds it as the
``kind`` tag before conversion, so the check structs form a tagged union here while the
schema shows them as authors write them. The lifecycle keys (``setup``, ``solve``,
``cleanup``, ``answers``), ``mock.tools`` and ``recorded`` are read and typed here; what
they do belongs to the engine.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

Scalar = Annotated[
    str | int | float | bool, Meta(extra={"expects": "text, a number or true/false"})
]
"""A value as YAML may write it (``PORT: 8080``, ``DEBUG: true``); used as text."""

TOOL_NAME = r"^[A-Za-z0-9][A-Za-z0-9._+-]*$"
SECONDS = "a number of seconds from 0 to 86400"


def _doc(description: str, expects: str | None = None, **constraints: Any) -> Meta:
    """A field's Meta: its description for the schema, its phrase for lint messages."""
    extra = {"expects": expects} if expects else None
    return Meta(description=description, extra=extra, **constraints)


class _Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """Base of every mapping in workshop.yaml: an unknown key is an error, never ignored."""


# ---------------------------------------------------------------- checks


class _Check(_Strict, tag_field="kind"):
    """What every check kind may add to its own key."""

    timeout: Annotated[
        float,
        _doc("Seconds the check may take before it is a check error.", SECONDS, ge=0, le=86400),
    ] = 10.0
    retries: Annotated[
        int,
        _doc(
            "How many more times a failing check is tried (for slow things).",
            "0 or more (a whole number)",
            ge=0,
            le=1000,
        ),
    ] = 0
    interval: Annotated[
        float, _doc("Seconds between two tries of a retried check.", SECONDS, ge=0, le=86400)
    ] = 1.0
    message: Annotated[
        str | None, _doc("The reason shown to the learner when the check fails.", "text")
    ] = None


class ExitCodeCheck(_Check, tag="exit_code", kw_only=True):
    """``- exit_code: 0``: the step's command ended with this status."""

    exit_code: Annotated[
        int, _doc("The exit status the step's command must end with.", "a whole number")
    ]


class OutputMatchesCheck(_Check, tag="output_matches", kw_only=True):
    """``- output_matches: REGEX``: the step's output matches a regular expression."""

    output_matches: Annotated[
        str,
        _doc(
            "A Python regular expression searched in the step's output.",
            "text (a regular expression)",
        ),
    ]


class OutputSimilarCheck(_Check, tag="output_similar", kw_only=True):
    """``- output_similar: true``: the output is like the step's expected-output block."""

    output_similar: Annotated[
        bool,
        _doc(
            "true: compare the output with the step's expected block (names, numbers, dates "
            "and spacing may differ).",
            "true",
            extra_json_schema={"const": True},
        ),
    ]
    threshold: Annotated[
        float,
        _doc("How similar, from 0 to 1 (default 0.8).", "a number from 0 to 1", ge=0, le=1),
    ] = 0.8


class CommandCheck(_Check, tag="command", kw_only=True):
    """``- command: CMD``: run a command; its output matches and/or its status is as given."""

    command: Annotated[
        str, _doc("The command line to run (in the learner's folder).", "text (a command line)")
    ]
    matches: Annotated[
        str | None,
        _doc("A regular expression its output must match.", "text (a regular expression)"),
    ] = None
    exit_code: Annotated[
        int | None, _doc("The exit status it must end with.", "a whole number")
    ] = None


class HttpCheck(_Check, tag="http", kw_only=True):
    """``- http: URL``: a GET answers with a status (and a body matching a pattern)."""

    http: Annotated[
        str,
        _doc(
            "The URL to GET.",
            "a URL starting with http:// or https://",
            pattern=r"^https?://",
        ),
    ]
    status: Annotated[
        int,
        _doc("The HTTP status it must answer.", "an HTTP status code (100-599)", ge=100, le=599),
    ] = 200
    body_matches: Annotated[
        str | None, _doc("A regular expression the body must match.", "text (a regular expression)")
    ] = None


class ScriptCheck(_Check, tag="script", kw_only=True):
    """``- script: PATH``: any executable; exit 0 passes, 1 fails (first line: why), 2 warns."""

    script: Annotated[
        str,
        _doc(
            "The check's path, from the workshop folder or its checks folder.",
            "text (a file path)",
            min_length=1,
        ),
    ]
    args: Annotated[list[Scalar], _doc("Arguments given to the script.", "a list")] = []


class VerifyShCheck(_Check, tag="verify_sh", kw_only=True):
    """``- verify_sh: PATH``: the classic platform's verify script (any output fails)."""

    verify_sh: Annotated[str, _doc("The verify script's path.", "text (a file path)", min_length=1)]


Check = (
    ExitCodeCheck
    | OutputMatchesCheck
    | OutputSimilarCheck
    | CommandCheck
    | HttpCheck
    | ScriptCheck
    | VerifyShCheck
)
"""One check, by the key it holds (a bare string is ``{script: that}``)."""

CHECK_TYPES: tuple[type[_Check], ...] = (
    ExitCodeCheck,
    OutputMatchesCheck,
    OutputSimilarCheck,
    CommandCheck,
    HttpCheck,
    ScriptCheck,
    VerifyShCheck,
)


# ---------------------------------------------------------------- steps and lessons


class HintEntry(_Strict):
    """A hint as a mapping: its text, shown at once when the output matches ``when_output``."""

    text: Annotated[str, _doc("The hint (Markdown; templates allowed).", "text")]
    when_output: Annotated[
        str | None,
        _doc(
            "Show this hint as soon as the step's output matches this regular expression.",
            "text (a regular expression)",
        ),
    ] = None


class ScriptAction(_Strict):
    """A lifecycle piece as a script: ``{script: PATH, args: [...]}``."""

    script: Annotated[
        str, _doc("The script's path (beside the checks).", "text (a file path)", min_length=1)
    ]
    args: Annotated[list[Scalar], _doc("Arguments given to the script.", "a list")] = []


Action = str | ScriptAction
"""A lifecycle piece: shell commands as text, or a script with arguments."""

Answers = Annotated[
    dict[str, Scalar],
    _doc(
        "Answers to interactive prompts: a regular expression of the prompt → the answer.",
        "a mapping of prompt pattern to answer",
    ),
]


ACTION = "text (commands) or a mapping {script:, args:}"


class StepSettings(_Strict):
    """What workshop.yaml adds to a step of a lesson's Markdown (keyed by the step id)."""

    title: Annotated[
        str | None, _doc("The step's title (instead of the one from the Markdown).", "text")
    ] = None
    note: Annotated[
        str | None, _doc("Markdown shown after the step's text, as a quote.", "text")
    ] = None
    solution: Annotated[str | None, _doc("The solution shown after failed attempts.", "text")] = (
        None
    )
    commands: Annotated[
        list[str] | None,
        _doc("The step's commands (instead of those of the Markdown).", "a list of text"),
    ] = None
    test_commands: Annotated[
        list[str] | None,
        _doc(
            "What `workshop test` runs instead of the commands (interactive or endless ones).",
            "a list of text",
        ),
    ] = None
    checks: Annotated[list[str | Check], _doc("The checks that gate the step.", "a list")] = []
    hints: Annotated[
        list[str | HintEntry], _doc("Hints, shown in turn after failed checks.", "a list")
    ] = []
    setup: Annotated[
        Action | None, _doc("Commands that prepare the step before the learner starts it.", ACTION)
    ] = None
    solve: Annotated[
        Action | None, _doc("Commands that do the step (default: its own commands).", ACTION)
    ] = None
    cleanup: Annotated[Action | None, _doc("Commands run after the step.", ACTION)] = None


class ServiceStart(_Strict):
    """A service instance that exists at the start of a lesson (mock mode)."""

    name: Annotated[str, _doc("The instance's name.", "text")]
    service: Annotated[
        str | None, _doc("The marketplace offering (cleardb, rediscloud …).", "text")
    ] = None
    plan: Annotated[str | None, _doc("The offering's plan.", "text")] = None
    user_provided: Annotated[bool, _doc("A user-provided service instance.", "true or false")] = (
        False
    )
    credentials: Annotated[
        dict[str, Any], _doc("A user-provided instance's credentials.", "a mapping")
    ] = {}
    syslog_drain_url: Annotated[
        str | None, _doc("A user-provided instance's syslog drain.", "text")
    ] = None
    items: Annotated[
        list[dict[str, Any]],
        _doc("Items the stock app's database already holds (a database service).", "a list"),
    ] = []


class AppStart(_Strict):
    """An app that is pushed at the start of a lesson (mock mode)."""

    name: Annotated[str, _doc("The app's name.", "text")]
    memory: Annotated[
        str | int | None, _doc("Memory, as cf writes it (512M, 1G).", "text such as 512M")
    ] = None
    disk: Annotated[str | int | None, _doc("Disk quota, as cf writes it.", "text such as 1G")] = (
        None
    )
    instances: Annotated[
        int, _doc("Number of instances (default 1).", "a whole number (1 or more)", ge=1)
    ] = 1
    buildpack: Annotated[str | None, _doc("The buildpack it was pushed with.", "text")] = None
    path: Annotated[str | None, _doc("The path it was pushed from.", "text")] = None
    command: Annotated[str | None, _doc("Its start command.", "text")] = None
    state: Annotated[str | None, _doc("started (default) or stopped.", "started or stopped")] = None
    env: Annotated[
        dict[str, Scalar], _doc("Environment set with cf set-env (in effect).", "a mapping")
    ] = {}
    services: Annotated[list[str], _doc("Service instances bound to it.", "a list of names")] = []
    routes: Annotated[
        list[str], _doc("Its routes: hosts on the domain, or host.domain.", "a list of hosts")
    ] = []


class SpaceStart(_Strict):
    """A space that exists at the start of a lesson, with its services and apps."""

    services: Annotated[list[ServiceStart], _doc("Service instances in the space.", "a list")] = []
    apps: Annotated[list[AppStart], _doc("Apps in the space.", "a list")] = []


class StartState(_Strict):
    """The mock foundation a lesson starts from (see ``workshop.mock.state.initial_state``)."""

    user: Annotated[
        str | None, _doc("The account; logged in unless logged_in is false.", "text")
    ] = None
    password: Annotated[str | None, _doc("The account's password.", "text")] = None
    logged_in: Annotated[
        bool | None, _doc("false: the account exists but is not logged in.", "true or false")
    ] = None
    api: Annotated[
        str | None | msgspec.UnsetType,
        _doc("The API endpoint the CLI points at; null for none.", "a URL or null"),
    ] = msgspec.UNSET
    org: Annotated[str | None, _doc("The account's org, targeted.", "text")] = None
    space: Annotated[str | None, _doc("The targeted space.", "text")] = None
    orgs: Annotated[list[str], _doc("Further orgs of the account.", "a list of names")] = []
    taken_hosts: Annotated[
        list[str], _doc("Hosts other users of the domain own.", "a list of hosts")
    ] = []
    spaces: Annotated[
        dict[str, SpaceStart | None],
        _doc("The org's spaces by name.", "a mapping of space name to space"),
    ] = {}
    files: Annotated[
        dict[str, str],
        _doc("Files of the work folder: relative path → text.", "a mapping of path to text"),
    ] = {}


class QuizOptionEntry(_Strict):
    """One choice of a checkbox question."""

    id: Annotated[str | int, _doc("The option's id (what an answer names).", "text or a number")]
    value: Annotated[str, _doc("The option's text.", "text")]


class QuizQuestionEntry(_Strict, kw_only=True):
    """A question of a lesson's quiz (the original platform's Quiz.yml format)."""

    id: Annotated[str | int | None, _doc("The question's id (default: its position).", "text")] = (
        None
    )
    formulation: Annotated[str, _doc("The question (Markdown).", "text")]
    type: Annotated[
        str,
        _doc(
            "input (typed text), checkbox (one option) or checkbox_multiple (several).",
            "input, checkbox or checkbox_multiple",
        ),
    ]
    options: Annotated[
        list[QuizOptionEntry], _doc("The choices of a checkbox question.", "a list of id and value")
    ] = []
    answer: Annotated[
        str | int | list[str | int],
        _doc(
            "The right answer: the text of an input question, the option id(s) otherwise"
            ' ("(1,3)" or a list).',
            "text, an option id or a list of ids",
        ),
    ]
    exact: Annotated[
        bool,
        _doc("Compare an input answer as written (not folding case and spaces).", "true or false"),
    ] = False


class LessonEntry(_Strict):
    """A lesson: its Markdown file and what workshop.yaml adds to it."""

    file: Annotated[
        str, _doc("The lesson's Markdown file, from the workshop folder.", "text (a file name)")
    ]
    id: Annotated[str | int | None, _doc("The lesson's id (default: from its title).", "text")] = (
        None
    )
    title: Annotated[
        str | None, _doc("The lesson's title (default: its first heading).", "text")
    ] = None
    start: Annotated[
        StartState | None, _doc("The mock foundation the lesson starts from.", "a mapping")
    ] = None
    steps: Annotated[
        dict[str, StepSettings],
        _doc("Settings per step, by step id.", "a mapping of step id to settings"),
    ] = {}
    setup: Annotated[
        Action | None,
        _doc(
            "Commands that prepare the lesson (default: the solves of the lessons before).", ACTION
        ),
    ] = None
    solve: Annotated[
        Action | None,
        _doc("Commands that do the whole lesson (default: its steps' solves).", ACTION),
    ] = None
    cleanup: Annotated[Action | None, _doc("Commands run after the lesson.", ACTION)] = None
    answers: Answers = {}
    quiz: Annotated[
        list[QuizQuestionEntry],
        _doc("Questions asked after the lesson's steps, each a step of its own.", "a list"),
    ] = []


class MockSettings(_Strict):
    """The offline foundation: the API it pretends to be, its domain, the tools it provides."""

    api: Annotated[str | None, _doc("The API endpoint the mock answers as.", "a URL")] = None
    api_version: Annotated[
        str | None, _doc("The Cloud Controller API version it reports.", "text")
    ] = None
    domain: Annotated[str | None, _doc("The apps domain.", "text")] = None
    variables: Annotated[
        dict[str, Scalar],
        _doc(
            "Template values that hold in mock mode (over the workshop's variables).", "a mapping"
        ),
    ] = {}
    users: Annotated[
        dict[str, str],
        _doc(
            "Further accounts of the foundation (name: password), e.g. its admin.",
            "a mapping of user name to password",
        ),
    ] = {}
    foundation: Annotated[
        Literal["pws", "training"],
        _doc(
            "Whose foundation it is: PWS of 2016 (its marketplace, the trial quota) or the"
            " training platform's own deployment (PWS's services plus p-mysql, p-rabbitmq,"
            " p-redis; the default quota).",
            "pws or training",
        ),
    ] = "pws"
    tools: Annotated[
        list[
            Annotated[
                str,
                Meta(
                    pattern=TOOL_NAME,
                    extra={"expects": "a program name (letters, digits, . _ + -)"},
                ),
            ]
        ],
        _doc(
            "The programs the mock provides (cf, git …); others run for real.",
            "a list of program names",
        ),
    ] = []


class Manifest(_Strict):
    """``workshop.yaml``. Keys starting with ``x-`` are ignored (room for YAML anchors)."""

    title: Annotated[str, _doc("The workshop's title.", "text")] = ""
    description: Annotated[str, _doc("A few lines about the workshop.", "text")] = ""
    id: Annotated[
        str | int | None, _doc("The workshop's id (default: its folder's name).", "text")
    ] = None
    variables: Annotated[
        dict[str, Scalar],
        _doc(
            "Template values: {{NAME}} in text, commands, hints and checks.",
            "a mapping of name to value",
        ),
    ] = {}
    mock: Annotated[MockSettings, _doc("The offline foundation.", "a mapping")] = msgspec.field(
        default_factory=MockSettings
    )
    checks_dir: Annotated[
        str | None, _doc("The folder of check scripts (default: checks/).", "text (a folder path)")
    ] = None
    answers: Answers = {}
    prerequisites: Annotated[
        list[str | Check],
        _doc(
            "Checks that must pass before the first lesson starts (the tools are there, the"
            " API answers); a failing one stops the learner with its message.",
            "a list",
        ),
    ] = []
    recorded: Annotated[
        list[
            Annotated[
                str,
                Meta(
                    pattern=TOOL_NAME,
                    extra={"expects": "a program name (letters, digits, . _ + -)"},
                ),
            ]
        ],
        _doc(
            "Programs whose calls `workshop record` records live; in mock mode a replay "
            "shim answers them from recordings/.",
            "a list of program names",
        ),
    ] = []
    lessons: Annotated[
        list[str | LessonEntry],
        _doc("The lessons in order: a file name, or a mapping with file:.", "a list"),
    ] = []


REQUIRED_AT_TOP = ("title", "lessons")
"""Keys the schema requires; the loader reports them missing in its own words and goes on."""


def _article(name: str) -> str:
    return ("an " if name[0] in "aeiou" or name.startswith("http") else "a ") + name


NAMES: dict[type, str] = {
    Manifest: "workshop.yaml",
    MockSettings: "mock",
    LessonEntry: "a lesson",
    StepSettings: "step '{key}'",
    HintEntry: "a hint",
    ScriptAction: "a script action",
    StartState: "a lesson's start",
    SpaceStart: "space '{key}' of start",
    AppStart: "an app of start",
    ServiceStart: "a service of start",
    **{kind: _article(f"{kind.__struct_config__.tag} check") for kind in CHECK_TYPES},
}
"""How messages name each kind of mapping (``{key}``: the mapping's own key, a step id)."""
