"""Whether a mock state's fields have the types the fake ``cf`` expects, and which does not.

Why: ``state.load`` checks only the outline of ``DIR/state.json`` (every ``cf`` call loads
it, and the learner's commands must stay quick). A state edited by hand, or written by
something else, can have that outline and still hold a string where a number belongs; a
command then failed with an internal error. When a command fails unexpectedly, the fake
``cf`` asks this module about the state, and a field of the wrong type is reported as a
damaged state, with ``workshop mock reset`` to repair it. Fields the mock does not know, and
fields left out, are not judged.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: a failed `cf` command imports this
    from collections.abc import Callable, Mapping
    from typing import Any, TypeAlias

    Check: TypeAlias = Callable[[Any, str], "str | None"]

JSON_NAMES = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def json_type(value: object) -> str:
    """The JSON name of ``value``'s type (``null``, ``string``, ``object`` …)."""
    return JSON_NAMES.get(type(value), type(value).__name__)


def described(value: object) -> str:
    """``value``'s JSON type with its article: ``an array``, ``a string``, ``null``."""
    name = json_type(value)
    return name if name == "null" else _article(name)


def _is(*kinds: type, nullable: bool = False) -> Check:
    names = sorted({JSON_NAMES[k] for k in kinds}) + (["null"] if nullable else [])

    def check(value: Any, where: str) -> str | None:
        if value is None and nullable:
            return None
        # a boolean is no number here, though Python's bool is an int
        if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
            return None
        return f"`{where}` is {described(value)}, not {' or '.join(names)}"

    return check


def _article(name: str) -> str:
    return ("an " if name[0] in "aeiou" else "a ") + name


def _list_of(item: Check) -> Check:
    def check(value: Any, where: str) -> str | None:
        if not isinstance(value, list):
            return _is(list)(value, where)
        for n, element in enumerate(value):
            problem = item(element, f"{where}[{n}]")
            if problem:
                return problem
        return None

    return check


def _map_of(item: Check) -> Check:
    def check(value: Any, where: str) -> str | None:
        if not isinstance(value, dict):
            return _is(dict)(value, where)
        for key, element in value.items():
            problem = item(element, f"{where}.{key}")
            if problem:
                return problem
        return None

    return check


def _record(fields: Mapping[str, Check], nullable: bool = False) -> Check:
    def check(value: Any, where: str) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, dict):
            return _is(dict, nullable=nullable)(value, where)
        for name, field in fields.items():
            if name in value:
                problem = field(value[name], f"{where}.{name}" if where else name)
                if problem:
                    return problem
        return None

    return check


TEXT = _is(str)
MAYBE_TEXT = _is(str, nullable=True)
NUMBER = _is(int)
TIME = _is(int, float, nullable=True)
FLAG = _is(bool)
OBJECT = _is(dict)
TEXTS = _list_of(TEXT)

APP = _record(
    {
        "guid": TEXT,
        "state": TEXT,
        "instances": NUMBER,
        "memory": NUMBER,
        "disk": NUMBER,
        "buildpack": MAYBE_TEXT,
        "detected_buildpack": MAYBE_TEXT,
        "command": MAYBE_TEXT,
        "detected_command": MAYBE_TEXT,
        "stack": MAYBE_TEXT,
        "path": MAYBE_TEXT,
        "staged": FLAG,
        "uploaded_at": TIME,
        "started_at": TIME,
        "env": OBJECT,
        "running_env": OBJECT,
        "services": TEXTS,
        "running_services": TEXTS,
        "routes": TEXTS,
        "instance_addrs": _list_of(_is(list)),
        "version": MAYBE_TEXT,
        "log_seq": NUMBER,
    }
)
SERVICE = _record(
    {
        "guid": TEXT,
        "service": MAYBE_TEXT,
        "plan": MAYBE_TEXT,
        "user_provided": FLAG,
        "credentials": OBJECT,
        "syslog_drain_url": MAYBE_TEXT,
        "bound_apps": TEXTS,
    }
)
SPACE = _record({"guid": TEXT, "apps": _map_of(APP), "services": _map_of(SERVICE)})
ORG = _record({"guid": TEXT, "spaces": _map_of(SPACE)})
ROUTE = _record(
    {"guid": TEXT, "host": TEXT, "domain": TEXT, "org": TEXT, "space": TEXT, "apps": TEXTS}
)
STATE = _record(
    {
        "version": NUMBER,
        "api": _record({"url": TEXT, "version": TEXT, "skip_ssl": FLAG}, nullable=True),
        "domain": TEXT,
        "users": _map_of(TEXT),
        "session": _record({"user": MAYBE_TEXT, "org": MAYBE_TEXT, "space": MAYBE_TEXT}),
        "taken_hosts": TEXTS,
        "orgs": _map_of(ORG),
        "routes": _map_of(ROUTE),
    }
)


def shape_problem(state: object) -> str | None:
    """The first field of ``state`` (a loaded ``state.json``) whose type the mock cannot
    work with, said as ``\\`session.space\\` is a number, not string or null``; None when
    every field it knows has a type it expects."""
    return STATE(state, "")
