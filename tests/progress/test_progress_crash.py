"""kill -9 of a process writing progress loses nothing it had already reported as written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from workshop.progress import ProgressStore

REPO = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from workshop.progress import ProgressStore
store = ProgressStore(sys.argv[1])
i = 0
while True:
    step = f"s{i % 7}"
    store.start_step("w", "lesson", step)
    cid = store.record_command("w", "lesson", step, f"echo {i}", i % 3, f"output {i}\\n" * 50)
    store.record_hint("w", "lesson", step, i, f"hint {i}")
    print(f"ack {cid} {i}", flush=True)
    i += 1
"""


def test_kill_9_mid_stream_loses_no_acknowledged_record(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert proc.stdout is not None
    acks: list[tuple[int, int]] = []
    deadline = time.monotonic() + 30
    while len(acks) < 120 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        _, cid, i = line.split()
        acks.append((int(cid), int(i)))
    proc.send_signal(signal.SIGKILL)
    # acks already in the pipe were written before the kill: they count too
    for line in proc.stdout:
        _, cid, i = line.split()
        acks.append((int(cid), int(i)))
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert len(acks) >= 120, "the writer did not get going"

    with ProgressStore(db) as store:
        commands = {c.id: c for c in store.commands("w")}
        for command_id, n in acks:
            assert command_id in commands, f"acknowledged command {n} lost"
            record = commands[command_id]
            assert (record.command, record.exit_code) == (f"echo {n}", n % 3)
            assert record.output == f"output {n}\n" * 50
        last = acks[-1][1]
        shown = store.hints_shown("w", "lesson", f"s{last % 7}")
        assert last in shown
        assert store.position("w") is not None
        # the database is healthy and writable after the crash
        assert store.record_command("w", "lesson", "s0", "after", 0, "") > acks[-1][0]
