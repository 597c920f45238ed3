"""Reading ``manifest.yml`` the way cf v6.16.1 push does: yaml.v2, then cf's own checks.

Why: learners hand-edit ``manifest.yml`` (memory, services, env, hosts) and their mistakes
must meet cf's words, not Python's: YAML syntax errors as yaml.v2 (a port of libyaml)
words them (``yaml: line 6: did not find expected '-' indicator``, the line being
libyaml's 0-based problem line, sic), then cf's validation (``cf/manifest/manifest.go``:
``Expected services to be a list of strings.``, ``Invalid value for 'memory': 512``…),
with its newlines. No YAML a learner can write gets past here unchecked or crashes the
mock. PyYAML (with libyaml when present) is imported here only.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from workshop.mock.cf.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

NAMES = ("manifest.yml", "manifest.yaml")
_QUANTITY = re.compile(r"^(-?\d+)([KMGT])B?$", re.IGNORECASE)
_PROPERTY = re.compile(r"\$\{[\w-]+\}")
_INT = re.compile(r"[+-]?\d+")
_BYTES_HELP = "Byte quantity must be an integer with a unit of measurement like M, MB, G, or GB"


class ManifestError(Exception):
    """What push prints after ``Error reading manifest file:``."""


def locate(ctx: Context, given: str | None) -> tuple[Path, str] | None:
    """The manifest to read and how push names it; None when there is none (and -f absent).

    ``-f`` is shown as typed (``{dir}/manifest.yml`` for a folder); an implicit manifest
    is shown with its absolute path.
    """
    if given is None:
        for name in NAMES:
            candidate = ctx.cwd / name
            if candidate.is_file():
                return candidate, str(candidate)
        return None
    path = Path(given).expanduser()
    if not path.is_absolute():
        path = ctx.cwd / path
    if path.is_dir():
        for name in NAMES:
            if (path / name).is_file():
                return path / name, given.rstrip("/") + "/" + name
        raise ManifestError(
            f"Error finding manifest: stat {given.rstrip('/')}/manifest.yml: no such file or directory"
        )
    if not path.exists():
        raise ManifestError(f"Error finding manifest: stat {given}: no such file or directory")
    return path, given


def to_megabytes(value: str) -> int | None:
    """cf's ``formatters.ToMegabytes``: ``512M``, ``1G``, ``256MB``, ``1T``… else None."""
    match = _QUANTITY.match(value.strip())
    if not match:
        return None
    factor = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024}[match.group(2).upper()]
    return int(int(match.group(1)) * factor)


def load(path: Path) -> list[dict[str, Any]]:
    """The manifest's applications, checked as cf v6.16.1 checks them.

    Global keys are merged into each application (cf's DeepMerge), ``inherit:`` is
    followed, ``path`` is made absolute against the manifest's folder.
    """
    data = _read(path)
    data, problem = _expand(data, top=True)
    if problem:
        raise ManifestError(problem)
    apps = _app_maps(data)
    problems = ""
    result = []
    for app in apps:
        app_problem = _check_app(app)
        if app_problem:
            problems += app_problem + "\n"
            continue
        if isinstance(app.get("path"), str):
            p = Path(os.path.expanduser(app["path"]))
            app["path"] = os.path.normpath(str(p if p.is_absolute() else path.parent / p))
        result.append(app)
    if problems:
        raise ManifestError(problems)
    return result


# -- YAML, as yaml.v2 reads it ----------------------------------------------------------
def _loader() -> Any:
    """PyYAML's safe loader (libyaml's when present), timestamps left as strings like
    yaml.v2 of 2016 did."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        pass

    Loader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Loader


def _read(path: Path, depth: int = 0) -> dict[Any, Any]:
    """Parse one manifest file and what it inherits from (cf's readAllYAMLFiles)."""
    import yaml

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"open {path}: {_errno_text(exc)}") from None
    text = raw.decode("utf-8", "replace")
    loader = _loader()
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        raise ManifestError(_yaml_v2_message(exc)) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ManifestError(f"yaml: {exc}") from None
    if data is None:
        raise ManifestError("Invalid manifest. Expected a map")
    if not isinstance(data, dict):
        node = yaml.compose(text, Loader=loader)
        line = node.start_mark.line + 1 if node is not None else 1
        what = _yaml_tag(data)
        shown = "" if isinstance(data, list) else f" `{getattr(node, 'value', data)}`"
        raise ManifestError(
            "yaml: unmarshal errors:\n"
            f"  line {line}: cannot unmarshal {what}{shown} into map[interface {{}}]interface {{}}"
        )
    if "inherit" not in data:
        return data
    parent = data["inherit"]
    if not isinstance(parent, str):
        raise ManifestError("invalid inherit path in manifest")
    parent_path = Path(parent) if os.path.isabs(parent) else path.parent / parent
    if depth > 20:
        raise ManifestError(f"open {parent_path}: too many levels of inheritance")
    return _deep_merge(_read(parent_path, depth + 1), data)


def _errno_text(exc: OSError) -> str:
    import errno

    return {
        errno.ENOENT: "no such file or directory",
        errno.EACCES: "permission denied",
        errno.EISDIR: "is a directory",
    }.get(exc.errno or 0, exc.strerror or str(exc))


def _yaml_v2_message(exc: Any) -> str:
    """``yaml: line N: PROBLEM`` as yaml.v2's parser.fail() words it."""
    problem = exc.problem or exc.context or "unknown error"
    problem = problem.replace(
        "found a tab character that violates indentation",
        "found a tab character that violate intendation",  # yaml.v2's words (sic)
    )
    line = 0
    if exc.problem_mark is not None and exc.problem_mark.line:
        line = exc.problem_mark.line
    elif exc.context_mark is not None and exc.context_mark.line:
        line = exc.context_mark.line
    return f"yaml: line {line}: {problem}" if line else f"yaml: {problem}"


def _yaml_tag(value: Any) -> str:
    if isinstance(value, list):
        return "!!seq"
    if isinstance(value, bool):
        return "!!bool"
    if isinstance(value, int):
        return "!!int"
    if isinstance(value, float):
        return "!!float"
    if isinstance(value, bytes):
        return "!!binary"
    return "!!str"


def go_format(value: Any) -> str:
    """Go's ``%v`` of a decoded YAML value (``[a b]``, ``map[k:v]``, ``<nil>``, ``true``)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return (
            text[:-2] if text.endswith(".0") else text.replace("inf", "+Inf").replace("nan", "NaN")
        )
    if isinstance(value, list):
        return "[" + " ".join(go_format(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted((go_format(k), go_format(v)) for k, v in value.items())
        return "map[" + " ".join(f"{k}:{v}" for k, v in items) + "]"
    if isinstance(value, bytes):
        return "[" + " ".join(str(b) for b in value) + "]"
    return str(value)


def _deep_merge(base: dict[Any, Any], other: dict[Any, Any]) -> dict[Any, Any]:
    """cf's generic.DeepMerge: maps merge, lists concatenate, the rest is replaced."""
    merged = dict(base)
    for key, value in other.items():
        old = merged.get(key)
        if key not in merged:
            merged[key] = value
        elif isinstance(value, dict) and isinstance(old, dict):
            merged[key] = _deep_merge(old, value)
        elif isinstance(value, list) and isinstance(old, list):
            merged[key] = old + value
        else:
            merged[key] = value
    return merged


# -- cf's checks --------------------------------------------------------------------------
def _expand(value: Any, top: bool = False) -> tuple[Any, str]:
    """cf's expandProperties: ``${random-word}`` replaced, any other ``${…}`` refused.

    Each level adds cf's newline after the message; lists and inner maps stop at the
    first problem, the top-level map collects all.
    """
    if isinstance(value, str):
        match = _PROPERTY.search(value)
        if match is None:
            return value, ""
        if match.group(0) == "${random-word}":
            from workshop.mock.cf.commands_push import random_host

            return value.replace("${random-word}", random_host("x").split("-", 1)[1]), ""
        return None, (
            f"Property '{match.group(0)}' found in manifest. This feature is no longer "
            "supported. Please remove it and try again.\n"
        )
    if isinstance(value, list):
        out = []
        for item in value:
            expanded, problem = _expand(item)
            if problem:
                return None, problem + "\n"
            out.append(expanded)
        return out, ""
    if isinstance(value, dict):
        result: dict[Any, Any] = {}
        problems = ""
        for key, item in value.items():
            expanded, problem = _expand(item)
            if problem:
                problems += problem + "\n"
                if not top:
                    break
                continue
            result[key] = expanded
        return (None, problems) if problems else (result, "")
    return value, ""


def _app_maps(data: dict[Any, Any]) -> list[dict[Any, Any]]:
    """cf's getAppMaps: the application entries, global keys merged into each."""
    globals_ = {k: v for k, v in data.items() if k != "applications"}
    if "applications" not in data:
        return [globals_]
    apps = data["applications"]
    if not isinstance(apps, list):
        raise ManifestError("Expected applications to be a list")
    result, problems = [], ""
    for entry in apps:
        if not isinstance(entry, dict):
            problems += (
                "Expected application to be a list of key/value pairs\n"
                f"Error occurred in manifest near:\n'{go_format(entry)}'\n"
            )
            continue
        result.append(_deep_merge(globals_, entry))
    if problems:
        raise ManifestError(problems)
    return result


def _check_app(app: dict[Any, Any]) -> str:
    """cf's mapToAppParams: every problem of one application, each followed by a newline."""
    nulls = [
        f"{go_format(k)} should not be null\n"
        for k, v in app.items()
        if v is None and k not in ("command", "buildpack")
    ]
    if nulls:
        return "".join(nulls)
    errs: list[str] = []
    _string_or_default(app, "buildpack", errs)
    _bytes(app, "disk_quota", errs)
    _string_list(app, "domains", errs)
    _string(app, "domain", errs)
    _string_list(app, "hosts", errs)
    for key in ("host", "name", "path", "stack"):
        _string(app, key, errs)
    _string_or_default(app, "command", errs)
    _bytes(app, "memory", errs)
    _int(app, "instances", errs)
    _int(app, "timeout", errs)
    for key in ("no-route", "no-hostname", "random-route"):
        value = app.get(key)
        if value is not None and not isinstance(value, (bool, str)):
            errs.append(f"Expected {key} to be a boolean.")
        elif isinstance(value, str):
            app[key] = value == "true"
    _string_list(app, "services", errs)
    _env(app, errs)
    _string(app, "health-check-type", errs)
    return "".join(e + "\n" for e in errs)


def _string(app: dict[Any, Any], key: str, errs: list[str]) -> None:
    value = app.get(key)
    if value is not None and not isinstance(value, str):
        errs.append(f"{key} must be a string value")


def _string_or_default(app: dict[Any, Any], key: str, errs: list[str]) -> None:
    value = app.get(key)
    if value is not None and not isinstance(value, str):
        errs.append(f"{key} must be a string or null value")


def _bytes(app: dict[Any, Any], key: str, errs: list[str]) -> None:
    value = app.get(key)
    if value is None:
        return
    text = go_format(value)
    if to_megabytes(text) is None:
        errs.append(f"Invalid value for '{key}': {text}\n{_BYTES_HELP}")
    else:
        app[key] = text


def _int(app: dict[Any, Any], key: str, errs: list[str]) -> None:
    value = app.get(key)
    if value is None:
        return
    if isinstance(value, str):
        if not _INT.fullmatch(value):
            errs.append(f'strconv.Atoi: parsing "{value}": invalid syntax')
        elif not -(2**63) <= int(value) < 2**63:
            errs.append(f'strconv.Atoi: parsing "{value}": value out of range')
        else:
            app[key] = int(value)
    elif isinstance(value, bool) or not isinstance(value, int):
        errs.append(f"Expected {key} to be a number, but it was a {go_format(value)}.")


def _string_list(app: dict[Any, Any], key: str, errs: list[str]) -> None:
    if key not in app:
        return
    value = app[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errs.append(f"Expected {key} to be a list of strings.")
        app[key] = []


def _env(app: dict[Any, Any], errs: list[str]) -> None:
    value = app.get("env")
    if value is None:
        return
    if not isinstance(value, dict):
        errs.append(f"Expected env to be a set of key => value, but it was a {go_format(value)}.")
        return
    nulls = [f"env var '{go_format(k)}' should not be null" for k, v in value.items() if v is None]
    errs.extend(nulls)
    if not nulls:
        app["env"] = {go_format(k): go_format(v) for k, v in value.items()}
