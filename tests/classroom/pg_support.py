"""A throwaway PostgreSQL cluster for the classroom tests (and the benchmark).

:class:`Cluster` runs Debian's ``initdb`` and ``pg_ctl`` (``/usr/lib/postgresql/*/bin``,
installed by ``scripts/ensure-system-deps``) on a temporary data directory and a free
port on 127.0.0.1, with trust authentication, and removes it all on :meth:`stop`. The
tests' cluster trades durability for speed (``fsync`` and ``synchronous_commit`` off: a
test checks what is stored, not what survives a power cut); the benchmark's is
``durable``, as a real deployment is: a commit is acknowledged once it is on disk. initdb
refuses to run as root, so under root the cluster runs as the ``postgres`` user (which the
package creates) in a directory it owns. Each pytest-xdist worker starts its own.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def pg_bin() -> Path:
    """The newest installed PostgreSQL's bin directory."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))  # fmt: skip
    if not found:
        raise RuntimeError("PostgreSQL's server is not installed: run scripts/ensure-system-deps")
    return Path(found[-1]).parent


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A PostgreSQL server of its own, on 127.0.0.1:``port``."""

    def __init__(self, *, durable: bool = False, settings: dict[str, str] | None = None) -> None:
        self.durable = durable
        self.settings = dict(settings or {})
        """More server settings (``-c name=value``)."""
        self.dir = Path(tempfile.mkdtemp(prefix="workshop-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.user = "postgres"
        self._as: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._count = 0

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> Cluster:
        """initdb and start; returns self once it accepts connections."""
        bin_dir = pg_bin()
        self._run(str(bin_dir / "initdb"), "-D", str(self.data), "-U", self.user,
                  "--auth=trust", "-E", "UTF8", "--no-sync")  # fmt: skip
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=200")  # fmt: skip
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off"
        for name, value in self.settings.items():
            options += f" -c {name}={value}"
        self._run(str(bin_dir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.data),
                  "-l", str(self.dir / "log"), "-o", options)  # fmt: skip
        return self

    def url(self, dbname: str = "postgres") -> str:
        """The connection URL of ``dbname``."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        import psycopg  # not when the module is imported: most test workers never need it

        self._count += 1
        name = f"room{self._count}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}".encode())
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its files."""
        if self.data.exists():
            subprocess.run([*self._as, str(pg_bin() / "pg_ctl"), "stop", "-m", "immediate",
                            "-D", str(self.data)], capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)
