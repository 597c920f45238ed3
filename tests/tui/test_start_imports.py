"""What the TUI's start loads before its first screen, and what it leaves for later.

Each module is a few milliseconds of every start of ``workshop run`` (the start has a
budget against a bare Textual app, ``bench/bench_tui.py``). A fresh interpreter does what
``run_workshop`` does before the app runs: import the TUI and open the session on the
bundled workshop. Modules only some steps need (a quiz's fields) or nothing of the start
needs (OpenSSL's hashes, through ``secrets`` or ``hashlib``) must not be among them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

START = r"""
import sys
from workshop.cli import build_parser
from workshop.content.cache import fill_in_background
from workshop.engine.launch import open_session, workshop_path
from workshop.commands.run import FPS, _import_textual

argv = ["run", sys.argv[1], "--lesson", "dev-prod-parity"]
args = build_parser(argv).parse_args(argv)
fill_in_background(workshop_path(args))()
_import_textual(FPS)
from workshop.tui.app import WorkshopApp
from workshop.tui.bridge import EngineBridge

bridge = EngineBridge()
session = open_session(args, bridge, front_end="TUI", rows=24, cols=80)
WorkshopApp(session, bridge, session_starting=True)
print(" ".join(sorted(sys.modules)))
session.close()
"""

LATER = (
    "hashlib",
    "secrets",
    "workshop.tui.widgets.quiz_fields",
    "textual.widgets._radio_set",
    "textual.widgets._checkbox",
)


def test_the_start_leaves_what_only_some_steps_need_for_later(tmp_path: Path) -> None:
    env = dict(os.environ, WORKSHOP_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", START, str(ROOT / "workshop" / "bundled" / "12factor")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "workshop.tui.widgets.quiz_form" in loaded  # the form's frame is on every screen
    assert not loaded & set(LATER), sorted(loaded & set(LATER))
