"""``workshop classroom serve``: open the store, print how to join, run uvicorn.

The join code and the instructor token are kept in the database (mode 0600), so
restarting the server on the same database (after a crash) keeps both valid and every
learner reconnects on their own. Each cohort gets a room of its own (``--room NAME``: a
database of its own, with fresh codes), so the next class neither sees the previous one
nor can use its old code.

What is printed comes in two parts: the join information, safe to project, and the
instructor's link (with the token), to keep private.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from workshop import paths
from workshop.classroom.sse import MAX_PENDING_EVENTS
from workshop.classroom.store import Store
from workshop.errors import UsageError, WorkshopError

LISTEN_BACKLOG = 2048

# No 0/O or 1/I/L: the code is read aloud and typed from a projector.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass
class ServeOptions:
    """What ``workshop classroom serve`` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8765
    db: str | None = None
    code: str | None = None
    token: str | None = None
    share_output: bool = False
    workshop: Path | None = None
    """The workshop whose lessons and steps the room shows (default: the bundled one)."""
    room: str | None = None
    per_address: int = 128
    offline_after: float = 30.0
    max_learners: int = 1000
    workers: int = 1
    """Server processes sharing the port (PostgreSQL only)."""
    head_timeout: float = 5.0
    """Seconds a connection has to send a whole request head before it is closed."""
    dashboard_queue: int = MAX_PENDING_EVENTS
    """Events held for a dashboard that stopped reading; the rest is read back from the
    database when it reads again."""


TOKEN_ENV = "WORKSHOP_CLASSROOM_TOKEN"
_ROOM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def new_code() -> str:
    """A fresh join code such as ``K7QM-2XPA``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def default_db(room: str | None = None) -> Path:
    """The classroom database in the data dir (one per room)."""
    if room is None:
        return paths.data_dir() / "classroom.sqlite3"
    if not _ROOM.match(room):
        raise UsageError(f"--room: {room!r}: use 1 to 40 letters, digits, '.', '-' or '_'")
    return paths.data_dir() / "classroom-rooms" / f"{room}.sqlite3"


def is_postgres(db: str | None) -> bool:
    """``--db`` names a PostgreSQL database (shared by several instances)."""
    return db is not None and db.startswith(("postgres://", "postgresql://"))


def open_store(db: str | None, room: str | None = None) -> Store:
    """The store named by ``--db``: a path, ``sqlite:///path`` or ``postgresql://…``
    (there, ``--room`` is a schema of the database)."""
    from workshop.classroom.sqlite_store import SQLiteStore

    if db is None:
        return SQLiteStore(default_db(room))
    if is_postgres(db):
        if room is not None:
            default_db(room)  # the same rule for the name
        return _open_postgres(db, room)
    if db.startswith("sqlite:///"):
        db = (
            db[len("sqlite:///") - 1 :] if db.startswith("sqlite:////") else db[len("sqlite:///") :]
        )
    elif "://" in db:
        raise UsageError(f"--db: unsupported database URL {db!r} (use a path or sqlite:///path)")
    path = Path(db).expanduser()
    if path.is_dir():
        raise UsageError(f"--db: {path} is a directory; give a file name")
    try:
        return SQLiteStore(path)
    except Exception as exc:  # sqlite3.Error, OSError
        raise WorkshopError(f"--db: cannot open {path}: {exc}") from None


def _open_postgres(url: str, room: str | None) -> Store:
    import psycopg

    from workshop.classroom.postgres_store import PostgresStore, redacted_url

    try:
        return PostgresStore(url, room)
    except (psycopg.Error, RuntimeError) as exc:
        reason = " ".join(str(exc).split())[:300]
        raise WorkshopError(f"--db: cannot open {redacted_url(url)}: {reason}") from None
    except Exception as exc:  # noqa: BLE001 - the pool's timeout and the like: one line
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise WorkshopError(f"--db: cannot open {redacted_url(url)}: {reason}") from None


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0 picks a free one)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host: cannot resolve {host!r}: {exc}") from None
    family, kind, proto, _, addr = infos[0]
    # proto must say TCP: asyncio only sets TCP_NODELAY on such sockets, and without it
    # every response waits ~40 ms for a delayed ACK
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        raise WorkshopError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(LISTEN_BACKLOG)
    sock.set_inheritable(True)
    return sock


def lan_address() -> str:
    """This machine's address on the LAN (for the join URL when serving on 0.0.0.0)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn that ends the dashboards' streams and learners' long polls on Ctrl-C, so
        shutdown does not wait for them."""

        def __init__(self, config: uvicorn.Config, classroom: Any):
            super().__init__(config)
            self.classroom = classroom

        def handle_exit(self, sig: int, frame: Any) -> None:
            self.classroom.shutting_down = True
            self.classroom.hub.close()
            self.classroom.poke()
            super().handle_exit(sig, frame)

    return Server


def _course(path: Path | None) -> Any:
    from workshop.classroom.course import load_course
    from workshop.content.model import ContentError

    try:
        return load_course(path or paths.bundled_workshop())
    except ContentError as exc:
        raise WorkshopError(f"cannot serve this workshop: {exc}") from None
    except OSError as exc:
        raise UsageError(f"PATH: cannot read {path}: {exc.strerror or exc}") from None


def _secrets(store: Store, options: ServeOptions) -> tuple[str, str]:
    """The join code and instructor token: given, else the room's, else new (of several
    instances starting together on one database, the first decides)."""
    token = (options.token or os.environ.get(TOKEN_ENV) or "").strip()
    code = (options.code or "").strip().upper()
    if options.code is not None and (not code or len(code) > 64):
        raise UsageError("--code: give 1 to 64 characters")
    if token and (len(token) < 8 or any(ch.isspace() for ch in token)):
        raise UsageError(f"--token / {TOKEN_ENV}: give at least 8 characters, no spaces")
    if code:
        store.set_meta("code", code)
    else:
        code = store.set_meta_default("code", new_code())
    if token:
        store.set_meta("instructor_token", token)
    else:
        token = store.set_meta_default("instructor_token", secrets.token_urlsafe(18))
    return code, token


def print_banner(out: TextIO, url: str, code: str, token: str, title: str, room: str | None,
                 db_name: str) -> None:  # fmt: skip
    """The join information (safe to project), then the instructor's private part."""
    named = f" (room {room})" if room else ""
    print(f"Classroom{named} serving on {url}: {title}", file=out)
    print(f"  database: {db_name}", file=out)
    print("", file=out)
    print("For learners (safe to project):", file=out)
    print(f"  join URL:   {url}", file=out)
    print(f"  join code:  {code}", file=out)
    print(f'  run:        workshop run --classroom {url} --code {code} --name "YOUR NAME"',
          file=out)  # fmt: skip
    print("", file=out)
    print("Instructor only (keep private, do not project):", file=out)
    print(f"  dashboard:      {url}/?token={token}", file=out)
    print(f"  terminal view:  {TOKEN_ENV}={token} workshop classroom watch {url}", file=out)
    out.flush()


def serve(options: ServeOptions, out: TextIO = sys.stdout) -> int:
    """Run the classroom server until interrupted; returns the exit status."""
    from workshop.classroom.guard import raise_file_limit

    course = _course(options.workshop)
    if options.workers > 1 and not is_postgres(options.db):
        raise UsageError("--workers: several processes share a room only on PostgreSQL "
                         "(--db postgresql://…); SQLite serves one process")  # fmt: skip
    store = open_store(options.db, options.room)
    try:
        code, token = _secrets(store, options)
        if options.share_output:
            store.set_meta("share_output", "1")
        db_name = str(getattr(store, "path", options.db))
        if options.workers > 1:  # each worker opens its own, after the fork
            store.close()
        raise_file_limit()
        sock = bind(options.host, options.port)
        port = sock.getsockname()[1]
        shown = options.host
        if shown in ("0.0.0.0", "::", ""):
            shown = lan_address()
        if ":" in shown:
            shown = f"[{shown}]"
        url = f"http://{shown}:{port}"
        print_banner(out, url, code, token, course.title, options.room, db_name)
        if options.workers > 1:
            from workshop.classroom.workers import run_workers

            def one() -> int:
                worker_store = open_store(options.db, options.room)
                try:
                    return _run(options, worker_store, course, code, token, sock)
                finally:
                    worker_store.close()

            return run_workers(options.workers, one)
        return _run(options, store, course, code, token, sock)
    finally:
        if options.workers <= 1:
            store.close()


def _run(options: ServeOptions, store: Store, course: Any, code: str, token: str,
         sock: socket.socket) -> int:  # fmt: skip
    """One server process on ``sock`` until interrupted."""
    import asyncio

    import uvicorn
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    from workshop.classroom.coalesce import coalescing_protocol
    from workshop.classroom.guard import ConnectionGuard, guarded_loop_factory, guarded_protocol
    from workshop.classroom.server import Classroom, Limits, create_app

    classroom = Classroom(store, code, token, course, offline_after=options.offline_after,
                          limits=Limits(max_learners=options.max_learners),
                          db_threads=8 if is_postgres(options.db) else 1,
                          max_pending=options.dashboard_queue)  # fmt: skip
    guard = ConnectionGuard(per_address=options.per_address, header_timeout=options.head_timeout)
    config = uvicorn.Config(
        create_app(classroom),
        http=coalescing_protocol(guarded_protocol(AutoHTTPProtocol, guard)),
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
        timeout_keep_alive=5,
        limit_concurrency=None,
        backlog=LISTEN_BACKLOG,
    )
    # connections are accepted by the guard's thread (see guard.guarded_loop_factory)
    with asyncio.Runner(loop_factory=guarded_loop_factory(guard, [sock])) as runner:
        runner.run(_server_class()(config, classroom).serve(sockets=[sock]))
    return 0
