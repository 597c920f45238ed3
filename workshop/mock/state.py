"""The simulated Cloud Foundry foundation of one learner: load, save, lock, seed, log.

Why: the fake ``cf`` (``workshop.mock.cf``), the app router and ``workshop mock`` all read
and change one JSON document, ``DIR/state.json`` in the mock home DIR. Writes are atomic
(temp file + ``os.replace``) and serialised by an ``fcntl`` lock on ``DIR/state.lock``, so
two ``cf`` processes at once never corrupt it and a reader without the lock (the router)
always sees a whole document. Stdlib only: this module is on the mock's start-up path.

Schema (version 1)::

    {
      "version": 1,
      "api": {"url": "https://api.run.pivotal.io", "version": "2.46.0", "skip_ssl": false}
             | null,                      # null: no API endpoint set
      "domain": "cfapps.io",              # the shared apps domain
      "users": {"user_name": "password"}, # who may log in (UAA)
      "session": {"user": str|null, "org": str|null, "space": str|null},
      "taken_hosts": ["www"],             # hosts on the domain owned by someone else
      "orgs": {ORG: {"guid": str, "spaces": {SPACE: {
          "guid": str,
          "services": {NAME: {"guid": str, "service": "cleardb" | "user-provided",
                              "plan": "spark" | "", "user_provided": bool,
                              "credentials": {...}, "syslog_drain_url": str|null,
                              "bound_apps": [APP, ...]}},
          "apps": {APP: {
              "guid": str, "state": "started" | "stopped",
              "instances": int, "memory": int (MB), "disk": int (MB),
              "buildpack": str|null,        # as given (-b / manifest); null: detected
              "detected_buildpack": str|null, "detected_command": str|null,
              "command": str|null, "stack": "cflinuxfs2", "path": str|null,
              "staged": bool, "uploaded_at": float|null, "started_at": float|null,
              "cache_warm": bool,           # staged before: the build artifacts cache is warm
              "detectable": bool,           # a buildpack would detect the uploaded bits
              "env": {K: V},                # as set by set-env / manifest env
              "running_env": {K: V},        # snapshot of env at the last start/restage/push
              "services": [SI, ...],        # bound now (cf env shows these)
              "running_services": [SI, ...],# bound at the last start (the running app sees these)
              "routes": ["host.domain", ...],
              "instance_addrs": [["10.10.148.22", 60123], ...],  # one per running instance
              "version": str,               # changes on every start (VCAP_APPLICATION)
              "log_seq": int,               # sequence number of the last log entry
              # its log entries live in DIR/logs/<guid>.jsonl (workshop.mock.logstore):
              # {"seq": int, "time": float, "source": "APP/0", "stream": "OUT", "line": str}
          }}}}}},
      "routes": {"host.domain": {"guid": str, "host": str, "domain": str,
                                 "org": ORG, "space": SPACE, "apps": [APP, ...]}}
    }

An app answers HTTP when ``state == "started"`` and ``instance_addrs`` is non-empty; the
running app sees ``running_env`` and ``running_services``, never ``env``/``services``
directly (CF semantics: changes need a restart or restage).

Public functions: ``load(home)``, ``save(home, state)``, ``transaction(home)`` (locked
load → yield → atomic save if changed), ``locked(home)``, ``initial_state(start,
mock_settings)``, ``reset(home, start, mock_settings)``, ``append_log(state, org, space,
app, source, line, *, stream="OUT", when=None)``, ``now()``; helpers for the cf commands:
``new_guid``, ``new_app``, ``new_space``, ``new_service``, ``start_running``,
``stop_running``, ``add_instance_addrs``, ``parse_megabytes``, ``dumps``.

The clock: ``now()`` is ``time.time()`` unless ``WORKSHOP_MOCK_CLOCK`` holds epoch seconds
(tests freeze it so transcripts are byte-stable).
"""

from __future__ import annotations

import fcntl
import os

from workshop.mock import jsonlite as json
from workshop.mock import logstore

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and pathlib are not imported at run time: start-up time
    from pathlib import Path
    from typing import Any

STATE_FILE = "state.json"
LOCK_FILE = "state.lock"
WORK_DIR = "work"
DATA_DIR = "data"
"""The emulated apps' databases (``workshop.mock.router.stock``)."""
STATE_VERSION = 1
LOG_LIMIT = logstore.LOG_LIMIT

DEFAULT_API = "https://api.run.pivotal.io"
DEFAULT_API_VERSION = "2.46.0"
DEFAULT_DOMAIN = "cfapps.io"
DEFAULT_USER = "user_name"
DEFAULT_PASSWORD = "password"
DEFAULT_ORG = "your-org"
DEFAULT_SPACE = "development"


class StateError(ValueError):
    """``state.json`` exists but cannot be read as a mock state."""


def now() -> float:
    """The mock's clock: ``WORKSHOP_MOCK_CLOCK`` (epoch seconds) when set, else real time."""
    frozen = os.environ.get("WORKSHOP_MOCK_CLOCK")
    if frozen:
        try:
            return float(frozen)
        except ValueError:
            pass
    import time

    return time.time()


def new_guid() -> str:
    """A random GUID in Cloud Controller's 8-4-4-4-12 form (no ``uuid`` import: start-up)."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def new_instance_addr() -> list[Any]:
    """A plausible Diego cell address and host port for one app instance."""
    r = os.urandom(4)
    return [
        f"10.10.{130 + r[0] % 20}.{2 + r[1] % 250}",
        60000 + int.from_bytes(r[2:], "big") % 5000,
    ]


def parse_megabytes(value: Any, default: int = 1024) -> int:
    """``"512M"``, ``"1G"``, ``"1024MB"``, ``512`` → megabytes; ``default`` when unreadable."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "").strip().upper()
    for suffix, factor in (("GB", 1024), ("G", 1024), ("MB", 1), ("M", 1)):
        if text.endswith(suffix) and text[: -len(suffix)].isdigit():
            return int(text[: -len(suffix)]) * factor
    return default


# ---------------------------------------------------------------------------- load / save


def load(home: Path | str) -> dict[str, Any]:
    """The state in ``home`` (a fresh ``initial_state(None, None)`` when there is none yet)."""
    return load_text(home)[0]


def load_text(home: Path | str) -> tuple[dict[str, Any], str]:
    """The state in ``home`` and the text it was read from ("" when there is no file yet).

    A file that is not a mock state of this version, whatever it holds (junk bytes, JSON
    of another shape, a newer version), is a ``StateError`` that says how to start over.
    """
    where = os.path.join(home, STATE_FILE)
    try:
        with open(where, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return initial_state(None, None), ""
    except OSError as exc:
        raise _broken(where, f"it cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise _broken(where, "it is not text") from None
    except ValueError as exc:
        raise _broken(where, f"it is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        from workshop.mock.state_shape import described

        raise _broken(where, f"it holds {described(data)}, not an object (a mock state)")
    if data.get("version") != STATE_VERSION:
        raise _broken(where, f"its version is {data.get('version')!r}, not {STATE_VERSION}")
    if not isinstance(data.get("orgs"), dict):
        raise _broken(where, "it lacks the foundation's orgs")
    if not isinstance(data.get("session", {}), dict):
        from workshop.mock.state_shape import described

        raise _broken(where, f"`session` is {described(data['session'])}, not object")
    return data, text


def check_fields(home: Path | str) -> None:
    """Raise :class:`StateError` naming the first field of ``DIR/state.json`` whose type the
    mock cannot work with (:mod:`workshop.mock.state_shape`; :func:`load` checks only the
    outline, on every call). For after a command failed unexpectedly."""
    from workshop.mock.state_shape import shape_problem

    data, _ = load_text(home)
    problem = shape_problem(data)
    if problem:
        raise _broken(os.path.join(home, STATE_FILE), problem)


def _broken(where: str, why: str) -> StateError:
    return StateError(
        f"The offline foundation's state {where} is damaged: {why}.\n"
        "Run `workshop mock reset` to restore the lesson's starting state."
    )


def dumps(state: dict[str, Any]) -> str:
    """The exact text ``save`` writes: compact, in the dict's order (the C encoder)."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


def flush_logs(home: Path | str, state: dict[str, Any]) -> None:
    """Move the log lines ``append_log`` queued (and any an older state held inside its
    apps) to the apps' log files (``workshop.mock.logstore``)."""
    pending = state.pop("_pending_logs", None) or []
    by_guid: dict[str, list[dict[str, Any]]] = {}
    for guid, entry in pending:
        by_guid.setdefault(guid, []).append(entry)
    for org in (state.get("orgs") or {}).values():
        for space in (org.get("spaces") or {}).values():
            for app in (space.get("apps") or {}).values():
                if "logs" in app:  # a state written before the logs moved out
                    old = app.pop("logs") or []
                    by_guid[app.get("guid", "")] = old + by_guid.get(app.get("guid", ""), [])
    for guid, entries in by_guid.items():
        logstore.append(home, guid, entries)


def save(home: Path | str, state: dict[str, Any], text: str | None = None) -> None:
    """Write ``state`` atomically (temp file in the same folder, then ``os.replace``);
    ``text`` is its ``dumps`` when the caller has it already."""
    os.makedirs(home, exist_ok=True)
    flush_logs(home, state)
    tmp = os.path.join(home, f".{STATE_FILE}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(dumps(state) if text is None else text)
    os.replace(tmp, os.path.join(home, STATE_FILE))


def save_if_changed(home: Path | str, state: dict[str, Any], before: str) -> bool:
    """Save ``state`` unless it is still ``before`` (the text it was loaded from)."""
    flush_logs(home, state)
    text = dumps(state)
    if text == before:
        return False
    save(home, state, text)
    return True


def locked(home: Path | str) -> _Locked:
    """Hold the exclusive ``state.lock`` of ``home`` for the duration of a ``with`` block."""
    return _Locked(home)


def transaction(home: Path | str) -> _Transaction:
    """Locked load → the ``with`` block changes the dict it is given → atomic save (only if
    it changed).

    An exception inside the block leaves the stored state untouched.
    """
    return _Transaction(home)


class _Locked:
    """:func:`locked`: a class rather than ``contextlib.contextmanager``, whose import (with
    ``collections`` and ``functools``) costs every mock command about 3 ms."""

    def __init__(self, home: Path | str) -> None:
        self.home = home
        self.fd = -1

    def __enter__(self) -> None:
        os.makedirs(self.home, exist_ok=True)
        fd = os.open(os.path.join(self.home, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def __exit__(self, *exc_info: object) -> None:
        os.close(self.fd)  # closing releases the lock


class _Transaction:
    """:func:`transaction`."""

    def __init__(self, home: Path | str) -> None:
        self.home = home
        self.lock = _Locked(home)
        self.state: dict[str, Any] = {}
        self.before = ""

    def __enter__(self) -> dict[str, Any]:
        self.lock.__enter__()
        try:
            self.state, self.before = load_text(self.home)
        except BaseException:
            self.lock.__exit__()
            raise
        return self.state

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        try:
            if exc_type is None:
                save_if_changed(self.home, self.state, self.before)
        finally:
            self.lock.__exit__()


# ---------------------------------------------------------------------------- logs


def append_log(
    state: dict[str, Any],
    org: str,
    space: str,
    app: str,
    source: str,
    line: str,
    *,
    stream: str = "OUT",
    when: float | None = None,
) -> None:
    """Append one log line (``source`` like ``"RTR/0"``, ``"APP/1"``, ``"API/2"``) to an app.

    A missing org/space/app is ignored (the app may have been deleted meanwhile). The
    entry gets the app's next ``seq`` (so that a tailing ``cf logs`` can tell new lines
    from old ones) and is queued in the state until ``save`` writes it to the app's log
    file (``read_logs`` reads them back).
    """
    try:
        target = state["orgs"][org]["spaces"][space]["apps"][app]
    except (KeyError, TypeError):
        return
    seq = int(target.get("log_seq", 0)) + 1
    target["log_seq"] = seq
    entry = {
        "seq": seq,
        "time": now() if when is None else when,
        "source": source,
        "stream": stream,
        "line": line,
    }
    state.setdefault("_pending_logs", []).append((target.get("guid", ""), entry))


def read_logs(home: Path | str, app: dict[str, Any]) -> list[dict[str, Any]]:
    """The app's recent log entries, oldest first (stored ones, then any still queued)."""
    entries = logstore.read(home, str(app.get("guid", "")))
    return (list(app.get("logs") or []) + entries)[-LOG_LIMIT:]


# ---------------------------------------------------------------------------- seeding


def new_space() -> dict[str, Any]:
    """An empty space."""
    return {"guid": new_guid(), "services": {}, "apps": {}}


def new_app(
    name: str, *, memory: int = 1024, instances: int = 1, disk: int = 1024
) -> dict[str, Any]:
    """A created, stopped, never uploaded app (what ``cf push`` makes first)."""
    return {
        "guid": new_guid(),
        "state": "stopped",
        "instances": instances,
        "memory": memory,
        "disk": disk,
        "buildpack": None,
        "detected_buildpack": None,
        "detected_command": None,
        "command": None,
        "stack": "cflinuxfs2",
        "path": None,
        "staged": False,
        "uploaded_at": None,
        "started_at": None,
        "env": {},
        "running_env": {},
        "services": [],
        "running_services": [],
        "routes": [],
        "instance_addrs": [],
        "version": new_guid(),
        "cache_warm": False,
        "detectable": True,
        "log_seq": 0,
    }


def new_service(
    service: str,
    plan: str,
    *,
    user_provided: bool = False,
    credentials: dict[str, Any] | None = None,
    syslog_drain_url: str | None = None,
) -> dict[str, Any]:
    """A service instance of offering ``service`` and plan ``plan`` (or user-provided)."""
    return {
        "guid": new_guid(),
        "service": service,
        "plan": plan,
        "user_provided": user_provided,
        "credentials": credentials or {},
        "syslog_drain_url": syslog_drain_url,
        "bound_apps": [],
    }


def initial_state(
    start: dict[str, Any] | None, mock_settings: dict[str, Any] | None
) -> dict[str, Any]:
    """The foundation a lesson starts from.

    ``mock_settings`` is the ``mock:`` block of workshop.yaml: ``api`` (URL), ``api_version``,
    ``domain``, ``users`` (further accounts, name: password). ``start`` is a lesson's ``start:`` block::

        user: user_name            # who exists and, unless logged_in is false, is logged in
        password: password
        logged_in: true            # (extension) default true when user is given
        api: https://…             # (extension) null/"" for "no API endpoint set"
        org: your-org              # the user's org, targeted
        space: development         # targeted space (omit: none targeted)
        orgs: [other-org]          # (extension) further orgs of the user
        taken_hosts: [www]         # (extension) hosts owned by other users of the domain
        spaces:
          development:
            services:
              - {name: mysql, service: cleardb, plan: spark}
              - {name: logs, user_provided: true, credentials: {}, syslog_drain_url: syslog://…}
            apps:
              - name: workshop-12f-stock
                memory: 512M       # also disk:, instances:, buildpack:, path:, command:
                instances: 2
                state: started     # default started
                env: {environment.variable: some_value}   # already in effect (restarted)
                services: [mysql, redis]
                routes: [workshop-12f-stock]              # hosts on the domain, or host.domain
        files: {...}               # NOT state: files for DIR/work (see ``reset``)

    Without a start block (a fresh PWS account): API endpoint set to PWS, not logged in,
    nothing targeted; user ``user_name``/``password`` owns org ``your-org`` with the empty
    space ``development`` that PWS created for every new account.
    """
    settings = mock_settings or {}
    start = start or {}
    domain = str(settings.get("domain") or DEFAULT_DOMAIN)
    api_url = start.get("api", settings.get("api") or DEFAULT_API)
    user = str(start.get("user") or DEFAULT_USER)
    org = str(start.get("org") or DEFAULT_ORG)
    state: dict[str, Any] = {
        "version": 1,
        "api": {
            "url": str(api_url).rstrip("/"),
            "version": str(settings.get("api_version") or DEFAULT_API_VERSION),
            "skip_ssl": False,
        }
        if api_url
        else None,
        "domain": domain,
        "users": {
            **{str(k): str(v) for k, v in dict(settings.get("users") or {}).items()},
            user: str(start.get("password") or DEFAULT_PASSWORD),
        },
        "session": {"user": None, "org": None, "space": None},
        "taken_hosts": [str(h) for h in start.get("taken_hosts") or []],
        "orgs": {org: {"guid": new_guid(), "spaces": {}}},
        "routes": {},
    }
    if settings.get("foundation"):  # whose foundation it is: its marketplace and quota
        state["foundation"] = str(settings["foundation"])
    for extra in start.get("orgs") or []:
        state["orgs"].setdefault(str(extra), {"guid": new_guid(), "spaces": {}})
    spaces_spec = start.get("spaces")
    if spaces_spec is None:
        spaces_spec = {DEFAULT_SPACE: {}}
    t = now()
    for space_name, spec in dict(spaces_spec).items():
        space = new_space()
        state["orgs"][org]["spaces"][str(space_name)] = space
        spec = spec or {}
        for svc in spec.get("services") or []:
            _seed_service(space, svc)
        for app_spec in spec.get("apps") or []:
            _seed_app(state, org, str(space_name), space, app_spec, t)
    if start.get("user") and start.get("logged_in", True) and state["api"]:
        session = state["session"]
        session["user"] = user
        session["org"] = org
        wanted = start.get("space")
        if wanted and str(wanted) in state["orgs"][org]["spaces"]:
            session["space"] = str(wanted)
    return state


def _seed_service(space: dict[str, Any], svc: dict[str, Any]) -> None:
    name = str(svc["name"])
    if svc.get("user_provided"):
        space["services"][name] = new_service(
            "user-provided",
            "",
            user_provided=True,
            credentials=dict(svc.get("credentials") or {}),
            syslog_drain_url=svc.get("syslog_drain_url"),
        )
    else:
        space["services"][name] = new_service(str(svc["service"]), str(svc["plan"]))


def _seed_app(
    state: dict[str, Any],
    org: str,
    space_name: str,
    space: dict[str, Any],
    spec: dict[str, Any],
    t: float,
) -> None:
    name = str(spec["name"])
    app = new_app(
        name,
        memory=parse_megabytes(spec.get("memory"), 1024),
        instances=int(spec.get("instances") or 1),
        disk=parse_megabytes(spec.get("disk"), 1024),
    )
    space["apps"][name] = app
    app["buildpack"] = spec.get("buildpack")
    app["path"] = spec.get("path")
    app["command"] = spec.get("command")
    app["env"] = {str(k): str(v) for k, v in dict(spec.get("env") or {}).items()}
    app["staged"] = True
    app["cache_warm"] = True
    app["uploaded_at"] = t - 600
    from workshop.mock.cf import buildpacks  # local: stdlib-only data module

    app["detected_buildpack"] = buildpacks.DETECTED_JAVA
    app["detected_command"] = buildpacks.start_command()
    for si in spec.get("services") or []:
        si = str(si)
        if si in space["services"]:
            app["services"].append(si)
            space["services"][si]["bound_apps"].append(name)
    for host in spec.get("routes") or []:
        host = str(host)
        key = host if "." in host else f"{host}.{state['domain']}"
        h, _, d = key.partition(".")
        route = state["routes"].setdefault(
            key,
            {
                "guid": new_guid(),
                "host": h,
                "domain": d,
                "org": org,
                "space": space_name,
                "apps": [],
            },
        )
        route["apps"].append(name)
        app["routes"].append(key)
    if str(spec.get("state", "started")) == "started":
        start_running(app, t)


def start_running(app: dict[str, Any], when: float) -> None:
    """Mark ``app`` started: snapshot env and bindings, give each instance an address."""
    app["state"] = "started"
    app["started_at"] = when
    app["running_env"] = dict(app.get("env") or {})
    app["running_services"] = list(app.get("services") or [])
    app["instance_addrs"] = []
    add_instance_addrs(app, int(app.get("instances") or 1))
    app["version"] = new_guid()


def add_instance_addrs(app: dict[str, Any], count: int) -> None:
    """Grow or shrink ``app["instance_addrs"]`` to ``count`` entries, all distinct."""
    addrs = app.setdefault("instance_addrs", [])
    del addrs[count:]
    while len(addrs) < count:
        addr = new_instance_addr()
        if addr not in addrs:
            addrs.append(addr)


def stop_running(app: dict[str, Any]) -> None:
    """Mark ``app`` stopped: no instance answers any more."""
    app["state"] = "stopped"
    app["instance_addrs"] = []


def reset(
    home: Path | str, start: dict[str, Any] | None, mock_settings: dict[str, Any] | None
) -> None:
    """Rewrite ``home``'s state from ``start`` and recreate ``home/work`` from its ``files:``.

    ``files:`` maps relative paths to text. The cf config (``home/.cf/config.json``) is
    rewritten to match the new session.
    """
    import shutil
    from pathlib import Path

    home = Path(home)
    state = initial_state(start, mock_settings)
    with locked(home):
        shutil.rmtree(home / logstore.LOG_DIR, ignore_errors=True)
        shutil.rmtree(home / DATA_DIR, ignore_errors=True)
        save(home, state)
        _seed_items(home, start, state)
    work = home / WORK_DIR
    # Empty the folder rather than replace it: a learner's shell may stand in it.
    work.mkdir(parents=True, exist_ok=True)
    for child in list(work.iterdir()):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    write_start_files(start, work)
    from workshop.mock.cf import config

    config.write(home, state, cf_home=home)


def _seed_items(home: Path, start: dict[str, Any] | None, state: dict[str, Any]) -> None:
    """The rows a start's database services hold (``items:``), in the stock app's table
    file (``DIR/data/<service guid>.json``, see ``workshop.mock.router.stock``)."""
    org = str((start or {}).get("org") or DEFAULT_ORG)
    for space_name, spec in dict((start or {}).get("spaces") or {}).items():
        for svc in (spec or {}).get("services") or []:
            if not svc.get("items"):
                continue
            record = state["orgs"][org]["spaces"][str(space_name)]["services"][str(svc["name"])]
            rows = [dict(item, id=n) for n, item in enumerate(svc["items"], 1)]
            table = home / DATA_DIR / f"{record['guid']}.json"
            table.parent.mkdir(parents=True, exist_ok=True)
            table.write_text(json.dumps({"next_id": len(rows) + 1, "items": rows}))


def write_start_files(start: dict[str, Any] | None, work: Path) -> None:
    """Write a lesson's ``start: {files: {path: text}}`` into the work folder ``work``."""
    from pathlib import Path

    for rel, text in dict((start or {}).get("files") or {}).items():
        rel_path = Path(str(rel))
        if rel_path.is_absolute() or ".." in rel_path.parts:
            from workshop.errors import WorkshopError

            raise WorkshopError(
                f"start files: {rel!r} must be a relative path inside the work folder"
            )
        target = work / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(str(text), encoding="utf-8")
