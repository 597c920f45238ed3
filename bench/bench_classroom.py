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
- the server's memory (RSS now and peak).

With ``--idle N`` another process, from another address (127.0.0.2), keeps trying to
hold N connections open that never send a request (reopening each one a second after
the server closes it): the flood an attacker on the Wi-Fi would send. The server must
keep serving the learners (ingest p99 under 50 ms).

Learners connect from addresses of their own (127.0.1.x, two learners each), as a room
on a LAN does. The load generator speaks HTTP/1.1 over asyncio streams directly, so
that the client's own cost does not hide the server's. Exit status 1 if any event is
lost or doubled.

    .venv/bin/python bench/bench_classroom.py --seconds 10
    .venv/bin/python bench/bench_classroom.py --seconds 10 --idle 4000
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
        status = int((await self.reader.readline()).split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode().partition(":")
            headers[key.strip().lower()] = value.strip()
        return status, headers

    async def response(self) -> tuple[int, Any]:
        assert self.reader is not None
        status, headers = await self.head()
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status, json.loads(body) if body else None

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

    def __init__(self, host: str, port: int, args: argparse.Namespace):
        self.host, self.port, self.args = host, port, args
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
            conn = Conn(self.host, self.port, address(i))
            await conn.open()
            status, data = await conn.request("POST", "/api/join", {
                "code": CODE, "name": f"learner {i:03d}", "client_id": secrets.token_hex(12),
                "next_seq": 1})  # fmt: skip
            assert status == 200, data
            assert conn.writer is not None
            conn.writer.close()
            return data["learner_id"], data["token"]

        sem = asyncio.Semaphore(50)

        async def limited(i: int) -> tuple[str, str]:
            async with sem:
                return await join(i)

        self.learners = list(await asyncio.gather(*(limited(i) for i in range(self.args.learners))))

    async def learner(self, i: int, stop_at: float) -> None:
        learner_id, token = self.learners[i]
        conn = Conn(self.host, self.port, address(i))
        await conn.open()
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
            for e in batch:
                self.sent_at[(learner_id, e["seq"])] = started
            conn.send("POST", path, body, token)
            status, data = await conn.response()
            self.ingest.append(time.perf_counter() - started)
            self.sent += len(batch)
            if status == 200:
                self.accepted += data["accepted"]
                seq = data["acked"]
            else:
                self.errors[status] = self.errors.get(status, 0) + 1
            next_at += period * self.args.batch

    async def dashboard(self, ready: asyncio.Event) -> None:
        conn = Conn(self.host, self.port)
        await conn.open()
        conn.send("GET", f"/api/stream?token={TOKEN}")
        status, headers = await conn.head()
        assert status == 200 and headers.get("transfer-encoding") == "chunked", headers
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
    args = parser.parse_args()
    if args.flood:  # the flooding process of --idle
        host, port = args.flood.rsplit(":", 1)
        asyncio.run(flood(host, int(port), args.idle, args.flood_retry, args.seconds))
        return 0
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="bench-classroom-") as tmp:
        db = Path(tmp) / "classroom.sqlite3"
        course = write_workshop(Path(tmp) / "course")
        env = dict(os.environ, WORKSHOP_HOME=tmp, PYTHONPATH=str(root))
        server = subprocess.Popen(
            [sys.executable, *(["-m", "cProfile", "-o", args.profile] if args.profile else []),
             "-m", "workshop", "classroom", "serve", str(course), "--port", "0", "--db",
             str(db), "--code", CODE, "--token", TOKEN],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=root,
        )  # fmt: skip
        assert server.stdout is not None
        first = server.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)", first)
        if not match:
            print(f"server did not start: {first}{server.communicate()[0]}", file=sys.stderr)
            return 1
        host, port = match.group(1), int(match.group(2))
        bench = Bench(host, port, args)
        flooder = None
        try:
            time.sleep(0.3)
            base = asyncio.run(bench.baseline())
            rss_idle, _ = memory(server.pid)
            if args.idle:
                flooder = subprocess.Popen(
                    [sys.executable, __file__, "--flood", f"{host}:{port}", "--idle",
                     str(args.idle), "--flood-retry", str(args.flood_retry),
                     "--seconds", str(args.seconds + 30)],
                )  # fmt: skip
                time.sleep(3)  # let the flood build up
            asyncio.run(bench.join_all())
            elapsed = asyncio.run(bench.run())
            rss, peak = memory(server.pid)
        finally:
            if flooder is not None:
                flooder.kill()
                flooder.wait()
            server.send_signal(signal.SIGINT)
            server.wait(20)
            server.stdout.close()
        with sqlite3.connect(db) as con:
            stored = con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            distinct = con.execute(
                "SELECT COUNT(*) FROM (SELECT DISTINCT learner_id, seq FROM events) AS d"
            ).fetchone()[0]
            last_seqs = con.execute("SELECT SUM(last_seq) FROM learners").fetchone()[0] or 0

    ms = 1000.0
    b50, b99 = pct(base, 50) * ms, pct(base, 99) * ms
    i50, i99 = pct(bench.ingest, 50) * ms, pct(bench.ingest, 99) * ms
    d50, d99 = pct(bench.to_dashboard, 50) * ms, pct(bench.to_dashboard, 99) * ms
    print(f"classroom bench: {args.learners} learners × {args.rate:g} events/s for "
          f"{args.seconds:g} s, {args.batch} event(s) per request, on loopback"
          + (f", {args.idle} idle connections from 127.0.0.2" if args.idle else ""))  # fmt: skip
    print(f"  baseline (idle GET /healthz):  p50 {b50:6.2f} ms   p99 {b99:6.2f} ms")
    print(f"  events accepted:               {bench.accepted} of {bench.sent} sent in "
          f"{elapsed:.1f} s = {bench.accepted / elapsed:.0f} events/s "
          f"(target {args.learners * args.rate:g}/s)")  # fmt: skip
    print(f"  ingest latency:                p50 {i50:6.2f} ms   p99 {i99:6.2f} ms   "
          f"({i50 / b50:.1f}× / {i99 / b99:.1f}× baseline)")  # fmt: skip
    print(f"  event → dashboard (SSE):       p50 {d50:6.2f} ms   p99 {d99:6.2f} ms   "
          f"({len(bench.seen)} of {bench.accepted} events seen; "
          f"{statistics.fmean(bench.to_dashboard) * ms if bench.to_dashboard else 0:.1f} ms mean)")  # fmt: skip
    print(
        f"  server memory:                 RSS {rss:.0f} MiB (peak {peak:.0f} MiB, idle {rss_idle:.0f} MiB)"
    )
    if bench.errors:
        print(f"  errors by status:              {bench.errors}")
    ok = stored == distinct == last_seqs == bench.accepted == bench.sent
    print(f"  count check: sent {bench.sent}, acknowledged {bench.accepted}, stored {stored} "
          f"({distinct} distinct), learners' last seq sum {last_seqs}: "
          f"{'OK, nothing lost or doubled' if ok else 'MISMATCH'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
