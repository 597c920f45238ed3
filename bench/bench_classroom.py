"""Classroom server under a room of simulated learners, on loopback.

Starts ``workshop classroom serve`` in a subprocess (SQLite in a temp dir), joins
``--learners`` learners (default 500), and has each send events at a steady rate
(``--rate`` per learner per second, default 1) for ``--seconds`` (default 60), one HTTP
request per event, each learner on its own keep-alive connection, while one dashboard
listens to the live stream. Prints:

- events/s accepted, and the count check (sent = acknowledged = stored in the database
  = seen by the dashboard; nothing lost, nothing doubled);
- ingest latency p50/p99 (request written → acknowledgement read), with the ratio to a
  baseline measured in the same run: an idle server's ``GET /healthz`` round trip;
- event → dashboard latency p50/p99 (request written → the event read on the SSE stream);
- the server's memory (RSS now and peak);
- the CPU time the servers (and, with ``--db temp``, PostgreSQL) used per 1,000 events
  accepted: what a busy machine changes least; and the load generator's own, which shares
  the machine's cores with them;
- how many learners' batches shared a transaction (group commit) and what a write took.

With ``--idle N`` another process, from another address (127.0.0.2), keeps trying to
hold N connections open that never send a request (reopening each one a second after
the server closes it): the flood an attacker on the Wi-Fi would send. The server must
keep serving the learners (ingest p99 under 50 ms).

With ``--db postgresql://…`` (or ``--db temp``: a throwaway local cluster, durable as a
real deployment is: ``fsync`` and ``synchronous_commit`` on, so an event is acknowledged
once its commit is on disk; ``--pg-fast`` turns both off to see what that costs) the same load
runs first against ``--instances N`` servers sharing that database (a fresh room in it;
learners spread over the instances, the dashboard on the last one, so that what it shows
crossed instances), then against one SQLite server, and both sets of figures are printed
side by side with their ratio. A refused, failed or malformed answer is counted (and the
batch sent again), never a traceback.

Learners connect from addresses of their own (127.0.1.x, two learners each), as a room
on a LAN does. The load generator speaks HTTP/1.1 over asyncio streams directly, so
that the client's own cost does not hide the server's. Exit status 1 if any event is
lost or doubled.

    .venv/bin/python bench/bench_classroom.py --seconds 10
    .venv/bin/python bench/bench_classroom.py --seconds 10 --idle 4000
    .venv/bin/python bench/bench_classroom.py --db temp --instances 2 --learners 2000 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CODE, TOKEN = "BENCH", "bench-token"


class BenchError(Exception):
    """The run cannot go on: said in one line, exit status 1."""


class Malformed(Exception):
    """An answer that is not HTTP with a JSON body: counted, never a traceback."""


class Conn:
    """One keep-alive HTTP/1.1 connection (enough HTTP for this server's JSON answers)."""

    def __init__(self, host: str, port: int, local: str | None = None):
        self.host, self.port, self.local = host, port, local
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        local = (self.local, 0) if self.local else None
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=local
        )
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, method: str, path: str, body: bytes = b"", token: str | None = None) -> None:
        assert self.writer is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Length: {len(body)}\r\n"
        if body:
            head += "Content-Type: application/json\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)

    async def head(self) -> tuple[int, dict[str, str]]:
        assert self.reader is not None
        line = await self.reader.readline()
        if not line:
            raise ConnectionResetError("the server closed the connection")
        try:
            status = int(line.split()[1])
        except (IndexError, ValueError):
            raise Malformed(0, line[:200]) from None
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode().partition(":")
            headers[key.strip().lower()] = value.strip()
        return status, headers

    async def response(self) -> tuple[int, Any]:
        assert self.reader is not None
        status, headers = await self.head()
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            raise Malformed(status, body[:200]) from None

    async def request(
        self, method: str, path: str, data: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        self.send(method, path, json.dumps(data).encode() if data is not None else b"", token)
        return await self.response()


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) of values, in the values' unit."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def address(i: int) -> str:
    """Learner ``i``'s own address on the loopback network (two learners per address)."""
    return f"127.0.{1 + i // 500}.{1 + (i // 2) % 250}"


STEPS = 10


def write_workshop(folder: Path) -> Path:
    """The workshop the bench serves: lesson ``bench`` with steps ``step-1`` … ``step-10``."""
    folder.mkdir()
    (folder / "workshop.yaml").write_text(
        "title: Bench\nlessons:\n  - id: bench\n    file: 01_bench.md\n"
    )
    blocks = [f"Step {n}.\n\n```sh {{id=step-{n}}}\n$ echo {n}\n```\n" for n in range(1, STEPS + 1)]
    (folder / "01_bench.md").write_text("# Bench\n\n" + "\n".join(blocks))
    return folder


async def flood(host: str, port: int, count: int, retry: float, stop: float) -> None:
    """Hold ``count`` connections from 127.0.0.2 that send nothing; reopen closed ones."""

    async def one() -> None:
        loop = asyncio.get_running_loop()
        while loop.time() < stop:
            try:
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=("127.0.0.2", 0)
                )
                await reader.read()  # until the server closes it
                writer.close()
            except OSError:
                pass
            await asyncio.sleep(retry)

    loop = asyncio.get_running_loop()
    stop = loop.time() + stop
    await asyncio.gather(*(one() for _ in range(count)))


def event(seq: int, i: int) -> dict[str, Any]:
    """A plausible event: learners walk through 10 steps, running commands and checks."""
    step = f"step-{(seq // 6) % STEPS + 1}"
    kind = ["step_started", "command_run", "check_failed", "command_run", "check_passed",
            "step_completed"][seq % 6]  # fmt: skip
    e: dict[str, Any] = {"seq": seq, "kind": kind, "time": time.time(), "lesson": "bench",
                         "step": step}  # fmt: skip
    if kind == "command_run":
        e.update(command=f"cf push -n workshop-12f-stock-{i} -p target/app.jar", exit_code=0)
    if kind == "check_failed":
        e["reason"] = "the app is not running yet"
    return e


class Bench:
    """The load: learners sending, one dashboard listening, figures collected."""

    def __init__(self, host: str, ports: list[int], args: argparse.Namespace):
        self.host, self.ports, self.args = host, ports, args
        self.port = ports[0]
        self.sent_at: dict[tuple[str, int], float] = {}
        self.ingest: list[float] = []
        self.to_dashboard: list[float] = []
        self.accepted = 0
        self.sent = 0
        self.errors: dict[int, int] = {}
        self.seen: set[tuple[str, int]] = set()
        self.learners: list[tuple[str, str]] = []

    async def baseline(self) -> list[float]:
        conn = Conn(self.host, self.port)
        await conn.open()
        out = []
        for _ in range(300):
            t = time.perf_counter()
            await conn.request("GET", "/healthz")
            out.append(time.perf_counter() - t)
        return out

    async def join_all(self) -> None:
        async def join(i: int) -> tuple[str, str]:
            client_id = secrets.token_hex(12)
            for _ in range(20):  # the same client id: joining again is the same learner
                try:
                    conn = Conn(self.host, self.ports[i % len(self.ports)], address(i))
                    await conn.open()
                    status, data = await conn.request("POST", "/api/join", {
                        "code": CODE, "name": f"learner {i:03d}", "client_id": client_id,
                        "next_seq": 1})  # fmt: skip
                    assert conn.writer is not None
                    conn.writer.close()
                    if status == 200:
                        return data["learner_id"], data["token"]
                    self.count(str(status))
                except (OSError, asyncio.IncompleteReadError, Malformed) as exc:
                    self.count(type(exc).__name__)
                await asyncio.sleep(0.5)
            raise BenchError(f"learner {i} could not join: answers {self.errors}")

        sem = asyncio.Semaphore(50)

        async def limited(i: int) -> tuple[str, str]:
            async with sem:
                return await join(i)

        self.learners = list(await asyncio.gather(*(limited(i) for i in range(self.args.learners))))

    def lost(self) -> int:
        """Events sent but never acknowledged (their last retry failed too)."""
        return self.sent - self.accepted

    def count(self, what: str) -> None:
        """A refused, failed or malformed answer."""
        self.errors[what] = self.errors.get(what, 0) + 1

    async def learner(self, i: int, stop_at: float) -> None:
        learner_id, token = self.learners[i]
        conn = Conn(self.host, self.ports[i % len(self.ports)], address(i))
        opened = False
        period = 1.0 / self.args.rate
        loop = asyncio.get_running_loop()
        next_at = loop.time() + random.uniform(0, period)  # spread the learners out
        seq = 0
        path = f"/api/learners/{learner_id}/events"
        while next_at < stop_at:
            await asyncio.sleep(max(0.0, next_at - loop.time()))
            batch = [event(seq + k + 1, i) for k in range(self.args.batch)]
            body = json.dumps({"events": batch}).encode()
            started = time.perf_counter()
            for e in batch:  # a retried event's latency counts from its first sending
                self.sent_at.setdefault((learner_id, e["seq"]), started)
            try:
                if not opened:
                    await conn.open()
                    opened = True
                conn.send("POST", path, body, token)
                status, data = await conn.response()
            except (OSError, asyncio.IncompleteReadError, Malformed) as exc:
                self.count(type(exc).__name__)
                opened = False  # a new connection for the retry
                next_at += period * self.args.batch
                continue
            self.ingest.append(time.perf_counter() - started)
            if status == 200:
                self.accepted += data["accepted"]
                seq = data["acked"]
            else:
                self.count(str(status))
            next_at += period * self.args.batch

    async def dashboard(self, ready: asyncio.Event) -> None:
        conn = Conn(self.host, self.ports[-1])  # not the instance most learners report to
        await conn.open()
        conn.send("GET", f"/api/stream?token={TOKEN}")
        status, headers = await conn.head()
        if status != 200 or headers.get("transfer-encoding") != "chunked":
            raise BenchError(f"the dashboard stream answered {status} {headers}")
        assert conn.reader is not None
        buffer = b""
        while True:
            size = int((await conn.reader.readline()).strip(), 16)
            chunk = await conn.reader.readexactly(size + 2)
            buffer += chunk[:-2]
            while b"\n\n" in buffer:
                message, buffer = buffer.split(b"\n\n", 1)
                name = re.search(rb"^event: (\w+)", message, re.M)
                if name and name.group(1) == b"snapshot":
                    ready.set()
                if not name or name.group(1) != b"update":
                    continue
                now = time.perf_counter()
                data = json.loads(message.split(b"data: ", 1)[1])
                for e in data["events"]:
                    key = (e["learner"], e["seq"])
                    if key in self.sent_at and key not in self.seen:
                        self.seen.add(key)
                        self.to_dashboard.append(now - self.sent_at[key])

    async def run(self) -> float:
        ready = asyncio.Event()
        watcher = asyncio.create_task(self.dashboard(ready))
        await asyncio.wait_for(ready.wait(), 10)
        loop = asyncio.get_running_loop()
        start = loop.time()
        stop_at = start + self.args.seconds
        await asyncio.gather(*(self.learner(i, stop_at) for i in range(len(self.learners))))
        elapsed = loop.time() - start
        self.sent = len(self.sent_at)
        deadline = loop.time() + 10
        while len(self.seen) < self.accepted and loop.time() < deadline:
            await asyncio.sleep(0.05)
        watcher.cancel()
        return elapsed


def memory(pid: int) -> tuple[float, float]:
    """RSS and peak RSS of a process, in MiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--rate", type=float, default=1.0, help="events per second per learner")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--batch", type=int, default=1, help="events per request")
    parser.add_argument("--profile", metavar="FILE", help="run the server under cProfile into FILE")
    parser.add_argument("--idle", type=int, default=0, metavar="N",
                        help="idle connections another address keeps trying to hold open")  # fmt: skip
    parser.add_argument("--flood-retry", type=float, default=1.0, metavar="S",
                        help="seconds before the flood reopens a closed connection")  # fmt: skip
    parser.add_argument("--flood", metavar="HOST:PORT", help=argparse.SUPPRESS)
    parser.add_argument("--db", metavar="URL",
                        help="postgresql://… to measure PostgreSQL too (a fresh room in it), "
                        "or 'temp' for a throwaway local cluster; SQLite runs beside it")  # fmt: skip
    parser.add_argument("--instances", type=int, default=1, metavar="N",
                        help="server instances on the PostgreSQL database (default 1)")  # fmt: skip
    parser.add_argument("--pg-fast", action="store_true",
                        help="--db temp: fsync and synchronous_commit off (not durable)")  # fmt: skip
    parser.add_argument("--pg-stats", action="store_true",
                        help="--db temp: print the statements PostgreSQL spent most time on")  # fmt: skip
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the single-instance SQLite run")  # fmt: skip
    args = parser.parse_args()
    if args.flood:  # the flooding process of --idle
        host, port = args.flood.rsplit(":", 1)
        asyncio.run(flood(host, int(port), args.idle, args.flood_retry, args.seconds))
        return 0
    if args.instances > 1 and not args.db:
        parser.error("--instances needs --db postgresql://… (or --db temp)")
    cluster = None
    try:
        url = args.db
        if url == "temp":  # a throwaway PostgreSQL, as the tests start one
            sys.path.insert(0, str(ROOT / "tests" / "classroom"))
            from pg_support import Cluster

            stats = {"shared_preload_libraries": "pg_stat_statements"} if args.pg_stats else {}
            cluster = Cluster(durable=not args.pg_fast, settings=stats).start()
            url = cluster.url()
        figures = []
        if url:
            figures.append(measure(args, url, args.instances, cluster))
        if url is None or not args.no_baseline:
            figures.append(measure(args, None, 1))  # SQLite, one instance: beside it
    except BenchError as exc:
        print(f"bench_classroom: {exc}", file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            cluster.stop()
    print(f"classroom bench: {args.learners} learners × {args.rate:g} events/s for "
          f"{args.seconds:g} s, {args.batch} event(s) per request, on loopback"
          + (f", {args.idle} idle connections from 127.0.0.2" if args.idle else ""))  # fmt: skip
    print(f"  machine load (1/5/15 min):     {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    for figure in figures:
        report(args, figure)
    sqlite_i99 = figures[-1]["i99"]
    if len(figures) > 1 and sqlite_i99 == sqlite_i99:
        print(f"  ratio {figures[0]['label']} / SQLite: ingest p99 "
              f"{figures[0]['i99'] / sqlite_i99:.2f}×, event → dashboard p99 "
              f"{figures[0]['d99'] / figures[-1]['d99']:.2f}×")  # fmt: skip
    return 0 if all(f["ok"] for f in figures) else 1


ROOT = Path(__file__).resolve().parent.parent


def start_server(course: Path, db: str, env: dict[str, str], args: argparse.Namespace,
                 extra: list[str]) -> tuple[subprocess.Popen[str], str, int]:  # fmt: skip
    """One ``serve`` process; its address."""
    server = subprocess.Popen(
        [sys.executable, *(["-m", "cProfile", "-o", args.profile] if args.profile else []),
         "-m", "workshop", "classroom", "serve", str(course), "--port", "0", "--db", db,
         "--code", CODE, "--token", TOKEN, "--max-learners", str(max(1000, args.learners)),
         *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert server.stdout is not None
    first = server.stdout.readline()
    match = re.search(r"http://([\d.]+):(\d+)", first)
    if not match:
        raise BenchError(f"server did not start: {first}{server.communicate()[0]}")
    return server, match.group(1), int(match.group(2))


def cpu_times(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far (gone ones left out)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def postgres_pids(cluster: Any) -> list[int]:
    """The throwaway cluster's postmaster and its backends (``--db temp``)."""
    if cluster is None:
        return []
    try:
        main = int((cluster.data / "postmaster.pid").read_text().split()[0])
        children = Path(f"/proc/{main}/task/{main}/children").read_text().split()
    except (OSError, ValueError, IndexError):
        return []
    return [main, *map(int, children)]


def cpu_used(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds these processes used since ``before`` (a new one: all of its own)."""
    return sum(now - before.get(pid, 0.0) for pid, now in cpu_times(pids).items())


def measure(args: argparse.Namespace, url: str | None, instances: int,
            cluster: Any = None) -> dict[str, Any]:  # fmt: skip
    """One run: SQLite (``url`` None) or ``instances`` servers on PostgreSQL ``url``."""
    label = f"PostgreSQL × {instances}" if url else "SQLite × 1"
    print(f"running {label}...", file=sys.stderr)
    room = f"bench-{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory(prefix="bench-classroom-") as tmp:
        db = url or str(Path(tmp) / "classroom.sqlite3")
        extra = ["--room", room] if url else []
        course = write_workshop(Path(tmp) / "course")
        env = dict(os.environ, WORKSHOP_HOME=tmp, PYTHONPATH=str(ROOT))
        servers: list[subprocess.Popen[str]] = []
        flooder = None
        try:
            ports = []
            for _ in range(instances):
                server, host, port = start_server(course, db, env, args, extra)
                servers.append(server)
                ports.append(port)
            bench = Bench(host, ports, args)
            time.sleep(0.3)
            base = asyncio.run(bench.baseline())
            rss_idle = sum(memory(s.pid)[0] for s in servers)
            if args.idle:
                flooder = subprocess.Popen(
                    [sys.executable, __file__, "--flood", f"{host}:{ports[0]}", "--idle",
                     str(args.idle), "--flood-retry", str(args.flood_retry),
                     "--seconds", str(args.seconds + 30)],
                )  # fmt: skip
                time.sleep(3)  # let the flood build up
            asyncio.run(bench.join_all())
            server_pids = [s.pid for s in servers]
            if url and args.pg_stats:
                pg_statements(url)  # from now on
            cpu_before = cpu_times(server_pids + postgres_pids(cluster))
            own_before = time.process_time()
            elapsed = asyncio.run(bench.run())
            cpu_bench = time.process_time() - own_before
            cpu_servers = cpu_used(cpu_before, server_pids)
            cpu_db = cpu_used(cpu_before, postgres_pids(cluster))
            statements = pg_statements(url) if url and args.pg_stats else []
            groups = [asyncio.run(group_commit(host, port)) for port in ports]
            rss = sum(memory(s.pid)[0] for s in servers)
            peak = sum(memory(s.pid)[1] for s in servers)
        finally:
            if flooder is not None:
                flooder.kill()
                flooder.wait()
            for server in servers:
                server.send_signal(signal.SIGINT)
            for server in servers:
                server.wait(20)
                assert server.stdout is not None
                server.stdout.close()
        stored, distinct, last_seqs = count(db, room if url else None)
    ms = 1000.0
    return {"label": label, "bench": bench, "elapsed": elapsed, "rss": rss, "peak": peak,
            "cpu_servers": cpu_servers, "cpu_db": cpu_db, "statements": statements,
            "cpu_bench": cpu_bench,
            "groups": groups,
            "rss_idle": rss_idle, "stored": stored, "distinct": distinct, "last_seqs": last_seqs,
            "b50": pct(base, 50) * ms, "b99": pct(base, 99) * ms,
            "i50": pct(bench.ingest, 50) * ms, "i99": pct(bench.ingest, 99) * ms,
            "d50": pct(bench.to_dashboard, 50) * ms, "d99": pct(bench.to_dashboard, 99) * ms,
            "ok": stored == distinct == last_seqs == bench.accepted and not bench.lost()}  # fmt: skip


async def group_commit(host: str, port: int) -> tuple[float, float, float]:
    """An instance's writes, the learners' batches they stored and the seconds they took
    (from ``/healthz``)."""
    conn = Conn(host, port)
    await conn.open()
    try:
        _, data = await conn.request("GET", "/healthz")
        found = data.get("group_commit", {}) if isinstance(data, dict) else {}
        return tuple(float(found.get(k, 0)) for k in ("writes", "appends", "seconds"))  # type: ignore[return-value]
    except (OSError, asyncio.IncompleteReadError, Malformed, ValueError, TypeError):
        return 0, 0, 0
    finally:
        assert conn.writer is not None
        conn.writer.close()


def pg_statements(url: str) -> list[tuple[float, int, str]]:
    """The statements PostgreSQL spent most time executing since the last call (total ms,
    calls, text): the cluster loads ``pg_stat_statements`` with ``--pg-stats``."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(b"CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        rows = con.execute(
            b"SELECT total_exec_time, calls, regexp_replace(query, '\\s+', ' ', 'g') "
            b"FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 6"
        ).fetchall()
        con.execute(b"SELECT pg_stat_statements_reset()")
    return [(float(r[0]), int(r[1]), str(r[2])) for r in rows]


def count(db: str, room: str | None) -> tuple[int, int, int]:
    """Events stored, distinct (learner, seq) pairs, and the sum of the learners' last seq."""
    queries = ["SELECT COUNT(*) FROM events",
               "SELECT COUNT(*) FROM (SELECT DISTINCT learner_id, seq FROM events) AS d",
               "SELECT COALESCE(SUM(last_seq), 0) FROM learners"]  # fmt: skip
    if room is None:
        with sqlite3.connect(db) as con:
            return tuple(int(con.execute(q).fetchone()[0]) for q in queries)  # type: ignore[return-value]
    import psycopg

    with psycopg.connect(db) as con:
        con.execute(f'SET search_path TO "classroom_{room}"'.encode())
        return tuple(int(con.execute(q.encode()).fetchone()[0]) for q in queries)  # type: ignore[index,return-value]


def report(args: argparse.Namespace, f: dict[str, Any]) -> None:
    """The figures of one run."""
    bench: Bench = f["bench"]
    b50, b99, i50, i99, d50, d99 = (f[k] for k in ("b50", "b99", "i50", "i99", "d50", "d99"))
    print(f"{f['label']}:")
    print(f"  baseline (idle GET /healthz):  p50 {b50:6.2f} ms   p99 {b99:6.2f} ms")
    print(f"  events accepted:               {bench.accepted} of {bench.sent} sent in "
          f"{f['elapsed']:.1f} s = {bench.accepted / f['elapsed']:.0f} events/s "
          f"(target {args.learners * args.rate:g}/s)")  # fmt: skip
    print(f"  ingest latency:                p50 {i50:6.2f} ms   p99 {i99:6.2f} ms   "
          f"({i50 / b50:.1f}× / {i99 / b99:.1f}× baseline)")  # fmt: skip
    print(f"  event → dashboard (SSE):       p50 {d50:6.2f} ms   p99 {d99:6.2f} ms   "
          f"({len(bench.seen)} of {bench.accepted} events seen; "
          f"{statistics.fmean(bench.to_dashboard) * 1000 if bench.to_dashboard else 0:.1f} ms mean)")  # fmt: skip
    print(f"  server memory (all instances): RSS {f['rss']:.0f} MiB (peak {f['peak']:.0f} MiB, "
          f"idle {f['rss_idle']:.0f} MiB)")  # fmt: skip
    per = 1000.0 * 1000.0 / max(1, bench.accepted)  # ms of CPU per 1,000 events
    print(f"  CPU per 1,000 events accepted: servers {f['cpu_servers'] * per:.0f} ms"
          + (f", PostgreSQL {f['cpu_db'] * per:.0f} ms" if f["cpu_db"] else "")
          + f", this load generator {f['cpu_bench'] * per:.0f} ms"
          + " (user + system; steadier than latencies on a busy machine)")  # fmt: skip
    writes, appends, seconds = (sum(g[i] for g in f["groups"]) for i in (0, 1, 2))
    if writes:
        print(f"  group commit:                  {appends:.0f} requests in {writes:.0f} writes "
              f"({appends / writes:.1f} learners' batches per transaction, "
              f"{seconds * 1000 / writes:.1f} ms per write)")  # fmt: skip
    for total, calls, text in f["statements"]:
        print(f"  PostgreSQL time per 1,000 events: {total * 1000 / max(1, bench.accepted):6.1f} ms in {calls} calls: "
              f"{text[:90]}")  # fmt: skip
    print(f"  refused or failed answers:     {bench.errors or 'none'}")
    print(f"  count check: sent {bench.sent}, acknowledged {bench.accepted}, stored "
          f"{f['stored']} ({f['distinct']} distinct), learners' last seq sum {f['last_seqs']}: "
          f"{'OK, nothing lost or doubled' if f['ok'] else 'MISMATCH'}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
