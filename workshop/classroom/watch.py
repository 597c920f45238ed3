"""``workshop classroom watch``: the room's grid and stuck list as plain text.

Polls ``GET /api/room`` and redraws; no TUI library, so it works over ssh and in any
terminal. :func:`render` is pure (snapshot JSON → text) so it is tested directly.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from workshop.errors import WorkshopError

SYMBOL = {"todo": "·", "active": "▶", "failing": "✗", "done": "✓", "skipped": "↷"}


def _clip(text: str, width: int) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= width else text[: width - 1] + "…"


def render(room: dict[str, Any], lesson: str | None = None, now: float | None = None) -> str:
    """The grid (learners × steps of ``lesson``), stuck radar, help queue and funnel."""
    radar = room.get("radar", {})
    lesson = lesson or radar.get("lesson") or ""
    steps = room.get("lessons", {}).get(lesson, [])
    learners = room.get("learners", [])
    now = now if now is not None else radar.get("now", time.time())
    lines = [f"Classroom — lesson {lesson or '(none yet)'} — {len(learners)} learner(s)", ""]
    width = max([4] + [len(_clip(str(lr["name"]), 24)) for lr in learners])
    cols = [_clip(s, 10) for s in steps]
    colw = [max(5, len(c)) for c in cols]
    lines.append("  ".join([" " * width] + [c.ljust(w) for c, w in zip(cols, colw, strict=True)]))
    stuck_ids = {s["id"] for s in radar.get("stuck", [])}
    help_ids = {h["id"] for h in radar.get("help", [])}
    for lr in learners:
        cells = lr.get("cells", {}).get(lesson, {})
        row = [_clip(str(lr["name"]), 24).ljust(width)]
        for step, w in zip(steps, colw, strict=True):
            cell = cells.get(step)
            text = (
                "·"
                if cell is None
                else f"{SYMBOL.get(cell['status'], '?')}{cell['attempts'] or ''}"
            )
            row.append(text.ljust(w))
        flags = []
        if lr["id"] in stuck_ids:
            flags.append("STUCK")
        if lr["id"] in help_ids:
            flags.append("HELP")
        if lr.get("left"):
            flags.append("left")
        lines.append("  ".join(row + flags).rstrip())
    lines += [
        "",
        "Legend: ▶ working  ✗ last check failed  ✓ done  ↷ skipped  · not started; digits = attempts",
    ]
    lines += ["", f"Stuck ({len(radar.get('stuck', []))}):"]
    for s in radar.get("stuck", []):
        lines.append(f"  {_clip(s['name'], 24)} on {_clip(s['step'], 30)}: {s['reason']}")
    lines += ["", f"Help queue ({len(radar.get('help', []))}):"]
    for h in radar.get("help", []):
        waited = int(max(0, now - h["time"]))
        message = f": {_clip(h['message'], 60)}" if h.get("message") else ""
        lines.append(f"  {_clip(h['name'], 24)} on {_clip(h['step'], 30)} ({waited} s){message}")
    if radar.get("funnel"):
        lines += ["", "Funnel (started / completed):"]
        for f in radar["funnel"]:
            lines.append(
                f"  {_clip(f['step'], 30).ljust(30)} {f['started']:>4} / {f['completed']:<4}"
            )
    return "\n".join(lines) + "\n"


def fetch(url: str, token: str) -> dict[str, Any]:
    """``GET /api/room`` with the instructor token; clear errors instead of tracebacks."""
    import httpx

    try:
        response = httpx.get(url.rstrip("/") + "/api/room",
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
    except httpx.HTTPError as exc:
        raise WorkshopError(f"cannot reach the classroom at {url}: {exc}") from None
    if response.status_code == 401:
        raise WorkshopError("the classroom refused the instructor token (--token)")
    if response.status_code != 200:
        raise WorkshopError(f"the classroom answered {response.status_code}: {response.text[:200]}")
    data: dict[str, Any] = response.json()
    return data


def watch(url: str, token: str, *, once: bool = False, interval: float = 2.0,
          lesson: str | None = None, out: TextIO = sys.stdout) -> int:  # fmt: skip
    """Print the room once, or redraw it every ``interval`` seconds until Ctrl-C."""
    if not url.startswith(("http://", "https://")):
        raise WorkshopError(f"not a classroom URL: {url!r} (expected http://HOST:PORT)")
    clear = "\x1b[H\x1b[2J" if out.isatty() and not once else ""
    while True:
        text = render(fetch(url, token), lesson)
        out.write(clear + text)
        out.flush()
        if once:
            return 0
        time.sleep(max(0.2, interval))
