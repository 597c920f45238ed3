"""Benchmark of the mock's app router and cassette lookup (prints figures, asserts nothing).

- cassette lookup: a fresh Python that runs ``replay.choose`` for ``cf push`` against the
  shipped cassettes (JSON cache warm), side by side with ``python3 -c pass``;
- router: median latency of ``GET /stock/ping`` through the proxy, new connection each time
  and kept alive, and requests per second from 8 threads.
"""

from __future__ import annotations

import http.client
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workshop.mock import state as mock_state  # noqa: E402
from workshop.mock.router import ensure_router, stop_router  # noqa: E402

START = {
    "user": "u",
    "org": "o",
    "space": "s",
    "spaces": {"s": {"apps": [{"name": "stock", "routes": ["stock"], "instances": 2}]}},
}
RUNS = 30


def _median_run(argv: list[str], env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_cassettes(home: Path) -> None:
    """Time of a fresh process doing the cassette lookup, against ``python3 -c pass``."""
    import os

    code = (
        "import sys; from pathlib import Path; from workshop.mock import replay;"
        "replay.choose(Path(sys.argv[1]), ['cf', 'push'], {}, 'Starting app x\\n', 0)"
    )
    env = {
        **os.environ,
        "WORKSHOP_MOCK_RECORDINGS": str(ROOT / "workshop/bundled/12factor/recordings"),
    }
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run([sys.executable, "-c", code, str(home)], check=True, env=env)  # warm the cache
    on_path = _median_run(["python3", "-c", "pass"])
    baseline = _median_run([sys.executable, "-c", "pass"])
    lookup = _median_run([sys.executable, "-c", code, str(home)], env)
    print(f"python3 -c pass (PATH)     {on_path * 1000:7.1f} ms")
    print(f"python -c pass (this one)  {baseline * 1000:7.1f} ms")
    print(f"python + cassette lookup   {lookup * 1000:7.1f} ms   ratio {lookup / baseline:.2f}")


def bench_router(port: int) -> None:
    """Latency and throughput of the router for the stock app's ping."""
    headers = {"Host": "stock.cfapps.io"}
    fresh = []
    for _ in range(200):
        t = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "http://stock.cfapps.io/stock/ping", headers=headers)
        conn.getresponse().read()
        conn.close()
        fresh.append(time.perf_counter() - t)
    kept = []
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(200):
        t = time.perf_counter()
        conn.request("GET", "/stock/ping", headers=headers)
        conn.getresponse().read()
        kept.append(time.perf_counter() - t)
    conn.close()
    print(f"router ping, new connection {statistics.median(fresh) * 1000:6.2f} ms (median)")
    print(f"router ping, keep-alive     {statistics.median(kept) * 1000:6.2f} ms (median)")

    count = 0
    lock = threading.Lock()

    def worker() -> None:
        nonlocal count
        c = http.client.HTTPConnection("127.0.0.1", port)
        for _ in range(100):
            c.request("GET", "/stock/ping", headers=headers)
            c.getresponse().read()
            with lock:
                count += 1
        c.close()

    t = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    print(f"router throughput, 8 clients {count / (time.perf_counter() - t):6.0f} requests/s")


def main() -> None:
    """Run both benchmarks in a temporary mock home."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        mock_state.save(home, mock_state.initial_state(START, None))
        bench_cassettes(home)
        port = ensure_router(home)
        try:
            bench_router(port)
        finally:
            stop_router(home)


if __name__ == "__main__":
    main()
