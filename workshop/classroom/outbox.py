"""The learner's durable outbox: events wait here until the classroom acknowledges them.

One SQLite file per (server, code, name) under ``workshop.paths.state_dir()/classroom``.
Every :meth:`Outbox.append` is a committed, fsynced transaction (``synchronous=FULL``),
so an event the runner reported survives a crash of the runner, of the network or of the
server. The outbox also numbers the events (the per-learner ``seq``) and keeps the
reporter's identity (``client_id``) and the last broadcast it showed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from workshop import paths


def default_outbox_path(server_url: str, code: str, name: str) -> Path:
    """Where the outbox of this learner in this classroom lives."""
    key = hashlib.sha256(f"{server_url.rstrip('/')}|{code.strip().upper()}|{name}".encode())
    return paths.state_dir() / "classroom" / f"outbox-{key.hexdigest()[:16]}.sqlite3"


class OutboxClosed(RuntimeError):
    """The outbox was closed (the reporter shut down)."""


class Outbox:
    """Numbered, durable, not-yet-acknowledged events; safe to use from several threads."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._closed = False
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);"
        )
        if self.get("client_id") is None:
            self.set("client_id", secrets.token_urlsafe(24))
        if self.get("next_seq") is None:
            self.set("next_seq", "1")

    def _check(self) -> None:
        if self._closed:
            raise OutboxClosed(str(self.path))

    def get(self, key: str) -> str | None:
        """A stored value (client_id, next_seq, last_broadcast, share_output)."""
        with self._lock:
            self._check()
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        """Store a value."""
        with self._lock:
            self._check()
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def append(self, event: dict[str, Any]) -> int:
        """Number ``event`` with the next seq and store it durably; returns the seq."""
        with self._lock:
            self._check()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT value FROM meta WHERE key = 'next_seq'").fetchone()
                seq = int(row[0])
                body = json.dumps(dict(event, seq=seq), separators=(",", ":"), ensure_ascii=False)
                self._db.execute("INSERT INTO outbox (seq, body) VALUES (?, ?)", (seq, body))
                self._db.execute(
                    "UPDATE meta SET value = ? WHERE key = 'next_seq'", (str(seq + 1),)
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return seq

    def pending(self, limit: int) -> list[dict[str, Any]]:
        """The oldest unacknowledged events, in seq order."""
        with self._lock:
            self._check()
            rows = self._db.execute(
                "SELECT body FROM outbox ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def first_unacked(self) -> int:
        """The seq the server must accept next: the oldest pending one, else the next one."""
        with self._lock:
            self._check()
            row = self._db.execute("SELECT MIN(seq) FROM outbox").fetchone()
            if row[0] is not None:
                return int(row[0])
            row = self._db.execute("SELECT value FROM meta WHERE key = 'next_seq'").fetchone()
            return int(row[0])

    def ack(self, upto: int) -> None:
        """The server stored every event up to ``upto``: forget them."""
        with self._lock:
            self._check()
            self._db.execute("DELETE FROM outbox WHERE seq <= ?", (upto,))

    def count(self) -> int:
        """How many events wait for an acknowledgement."""
        with self._lock:
            self._check()
            return int(self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def close(self) -> None:
        """Close the database; later calls raise :class:`OutboxClosed`."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()
