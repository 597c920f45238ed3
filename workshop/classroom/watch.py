"""``workshop classroom watch``: the room's grid and stuck list as plain text.

Polls ``GET /api/room`` and redraws; no TUI library, so it works over ssh and in any
terminal. :func:`render` is pure (snapshot JSON → text) so it is tested directly.

- Every string from the server goes through :func:`sanitise` (no C0 or C1 control, no
  bidi override reaches the terminal: a learner's name cannot move the cursor).
- Steps are numbered columns (``1 2 3``), with a legend of their ids: truncated ids were
  ambiguous.
- On a terminal the view fits its height: the header stays at the top, learners are
  sorted hand raised / stuck / offline first, and the rest is counted, not scrolled.
- A lost connection (a server restart) is retried with backoff; the last view stays up
  with a line saying so. A refused token ends the command.
"""

from __future__ import annotations

import shutil
import sys
import time
import unicodedata
from typing import Any, TextIO

from workshop.errors import UsageError, WorkshopError

SYMBOL = {"todo": "·", "active": "▶", "failing": "✗", "done": "✓", "skipped": "↷"}


class Refused(WorkshopError):
    """The classroom refused the token: retrying would not help."""


def sanitise(text: Any) -> str:
    """``text`` without control, format (bidi, zero-width) or unassigned characters."""
    return "".join(
        " " if ch in "\t\n\r" else ch
        for ch in str(text)
        if ch in "\t\n\r" or unicodedata.category(ch)[0] != "C"
    )


def _clip(text: Any, width: int) -> str:
    text = sanitise(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds} s" if seconds < 90 else f"{seconds // 60} min"


def _questions(room: dict[str, Any], lesson: str) -> list[str]:
    """The quiz questions' step ids of ``lesson`` (from the course in the room's JSON)."""
    for les in room.get("course", {}).get("lessons", []):
        if les.get("id") == lesson:
            return [str(s["id"]) for s in les.get("steps", []) if s.get("quiz")]
    return []


def _titles(room: dict[str, Any]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each lesson's title and its steps' titles (from the course in the room's JSON): what
    learners read; ids stand in where there is no course."""
    return {
        str(les.get("id")): (
            str(les.get("title") or les.get("id")),
            {str(st["id"]): str(st.get("title") or st["id"]) for st in les.get("steps", [])},
        )
        for les in room.get("course", {}).get("lessons", [])
    }


def _quiz(cells: dict[str, Any], questions: list[str]) -> str:
    """How the learner's answers went: ``quiz 1/2 right, 1 revealed``."""
    results = [str((cells.get(q) or {}).get("quiz", "")) for q in questions]
    right = sum(r.startswith("right") for r in results)
    revealed = sum(r == "revealed" for r in results)
    return f"quiz {right}/{len(questions)} right" + (f", {revealed} revealed" if revealed else "")


def render(room: dict[str, Any], lesson: str | None = None, now: float | None = None,
           height: int | None = None, columns: int | None = None) -> str:  # fmt: skip
    """The grid (learners × steps of ``lesson``), stuck radar, help queue and funnel.

    With ``height``, at most that many lines: the header first, the learners who need
    attention next, and a count of the rest. With ``columns``, no line is longer (one the
    terminal would wrap is cut, with "…").
    """
    radar = room.get("radar", {})
    lesson = lesson or radar.get("lesson") or ""
    steps = room.get("lessons", {}).get(lesson, [])
    learners = room.get("learners", [])
    now = now if now is not None else radar.get("now", time.time())
    counts = radar.get("counts", {})
    offline = radar.get("offline", {})
    stuck_ids = {s["id"] for s in radar.get("stuck", [])}
    help_ids = {h["id"] for h in radar.get("help", [])}
    titles = _titles(room)

    def lesson_title(les: str) -> str:
        return titles.get(les, (les, {}))[0]

    def step_title(les: str, step: str) -> str:
        return titles.get(les, (les, {}))[1].get(step, step)

    header = [
        f"Classroom — lesson {_clip(lesson_title(lesson), 40) or '(none yet)'} — "
        f"{len(learners)} learner(s): "
        f"{counts.get('online', 0)} online, {counts.get('finished', 0)} finished",
        "Steps: "
        + "  ".join(f"{i} {_clip(step_title(lesson, s), 30)}" for i, s in enumerate(steps, 1)),
    ]
    width = max([4] + [len(_clip(lr["name"], 24)) for lr in learners])
    colw = [max(2, len(str(i))) + 1 for i in range(1, len(steps) + 1)]
    header.append("  ".join([" " * width, "contact".ljust(8)]
                            + [str(i).ljust(w) for i, w in zip(range(1, len(steps) + 1), colw, strict=True)]))  # fmt: skip

    def urgency(lr: dict[str, Any]) -> tuple[int, str]:
        rank = (
            0
            if lr["id"] in help_ids
            else 1
            if lr["id"] in stuck_ids
            else 2
            if lr["id"] in offline
            else 3
        )
        return rank, sanitise(lr["name"]).lower()

    questions = _questions(room, lesson)
    rows = []
    for lr in sorted(learners, key=urgency):
        cells = lr.get("cells", {}).get(lesson, {})
        contact = f"off {_ago(now - offline[lr['id']])}" if lr["id"] in offline else "online"
        row = [_clip(lr["name"], 24).ljust(width), contact.ljust(8)]
        for step, w in zip(steps, colw, strict=True):
            cell = cells.get(step)
            text = (
                "·"
                if cell is None
                else f"{SYMBOL.get(cell['status'], '?')}{cell['attempts'] or ''}"
            )
            row.append(text.ljust(w))
        if questions:
            row.append(_quiz(cells, questions))
        flags = [flag for flag, on in (("HELP", lr["id"] in help_ids), ("STUCK", lr["id"] in stuck_ids),
                                       ("left", lr.get("left"))) if on]  # fmt: skip
        rows.append("  ".join(row + flags).rstrip())
    tail = [
        "",
        "Legend: ▶ working  ✗ last check failed  ✓ done  ↷ skipped  · not started; digits = attempts",
    ]
    tail += ["", f"Stuck ({len(radar.get('stuck', []))}):"]
    for s in radar.get("stuck", []):
        where = _clip(step_title(s.get("lesson", ""), s["step"]), 30)
        tail.append(f"  {_clip(s['name'], 24)} on {where}: {_clip(s['reason'], 80)}")
        if s.get("last_command"):
            tail.append(
                f"    $ {_clip(s['last_command'], 70)} → {_clip(s.get('last_reason', ''), 60)}"
            )
    tail += ["", f"Help queue ({len(radar.get('help', []))}):"]
    for h in radar.get("help", []):
        message = f": {_clip(h['message'], 60)}" if h.get("message") else ""
        where = _clip(step_title(h.get("lesson", ""), h["step"]), 30)
        tail.append(f"  {_clip(h['name'], 24)} on {where} "
                    f"(waiting {_ago(now - h['time'])}){message}")  # fmt: skip
    if radar.get("funnel"):
        room_lesson = radar.get("lesson") or ""  # the room's lesson, whichever is shown above
        tail += ["", f"Funnel of {_clip(lesson_title(room_lesson), 40)}, the room's lesson "
                 "(learners done of those who started, as on the dashboard):"]  # fmt: skip
        for i, f in enumerate(radar["funnel"], 1):
            name = _clip(step_title(room_lesson, f["step"]), 30).ljust(30)
            tail.append(f"  {i:>2} {name} {f['completed']:>4} of {f['started']:<4} done")
    if columns is not None:  # a line the terminal would wrap mid-word is cut, and says so
        header, rows, tail = (
            [_clip(line, columns) for line in part] for part in (header, rows, tail)
        )
    if height is not None:
        room_for_rows = max(1, height - len(header))
        if len(rows) > room_for_rows:
            rows = rows[: room_for_rows - 1] + [f"… and {len(rows) - room_for_rows + 1} more"]
        return "\n".join((header + rows + tail)[:height]) + "\n"
    return "\n".join(header + rows + tail) + "\n"


def fetch(url: str, token: str) -> dict[str, Any]:
    """``GET /api/room`` with the instructor token; clear errors instead of tracebacks.

    The standard library's client, not httpx: one request per refresh needs none of what
    httpx adds, and importing it was most of this command's start (about 360 million
    instructions, some 120 ms of CPU)."""
    import http.client
    import json
    from urllib.parse import urlsplit

    from workshop.classroom.tls import tls_context

    parts = urlsplit(url)
    address = parts.netloc.rpartition("@")[2]
    try:
        if parts.scheme.lower() == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                address, timeout=10, context=tls_context(url)
            )
        else:
            conn = http.client.HTTPConnection(address, timeout=10)
        try:
            conn.request("GET", parts.path.rstrip("/") + "/api/room",
                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            response = conn.getresponse()
            status, body = response.status, response.read()
        finally:
            conn.close()
    except (OSError, http.client.HTTPException) as exc:
        raise WorkshopError(f"cannot reach the classroom at {url}: {exc}") from None
    if status == 401:
        raise Refused(
            "the classroom refused the instructor token (--token or WORKSHOP_CLASSROOM_TOKEN)"
        )
    text = body.decode("utf-8", "replace")
    if status != 200:
        raise WorkshopError(f"the classroom answered {status}: {text[:200]}")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise WorkshopError(f"not a classroom at {url}: its answer is no room ({text[:80]!r})")
    return data


def known_lesson(room: dict[str, Any], lesson: str | None) -> dict[str, Any]:
    """``room``, when ``lesson`` (the one asked for) is one of its course's; else a
    :class:`UsageError` naming the course's lessons. A room that names none is taken as
    it is."""
    ids = [les.get("id") for les in room.get("course", {}).get("lessons", [])]
    if lesson and ids and lesson not in ids:
        raise UsageError(f"--lesson: no lesson {lesson!r} in this classroom; its lessons: "
                         + ", ".join(str(i) for i in ids))  # fmt: skip
    return room


def watch(url: str, token: str, *, once: bool = False, interval: float = 2.0,
          lesson: str | None = None, out: TextIO = sys.stdout,
          max_backoff: float = 30.0) -> int:  # fmt: skip
    """Print the room once, or redraw it every ``interval`` seconds until Ctrl-C."""
    if not url.startswith(("http://", "https://")):
        raise WorkshopError(f"not a classroom URL: {url!r} (expected http://HOST:PORT)")
    if not interval > 0:
        raise UsageError(f"--interval: expected seconds above 0, got {interval:g}")
    if once:
        out.write(render(known_lesson(fetch(url, token), lesson), lesson))
        return 0
    tty = out.isatty()
    clear = "\x1b[H\x1b[2J" if tty else ""
    last = ""
    backoff = interval
    try:
        if tty:
            out.write("\x1b[?1049h")  # the alternate screen: the shell's scrollback stays clean
        while True:
            size = shutil.get_terminal_size()
            height, width = (size.lines - 1, size.columns) if tty else (None, None)
            try:
                room = known_lesson(fetch(url, token), lesson)
                last = render(room, lesson, height=height, columns=width)
                out.write(clear + last)
                backoff = interval
            except (Refused, UsageError):  # a wrong token or lesson: no retry mends it
                raise
            except WorkshopError as exc:
                note = f"{exc}: retrying in {backoff:.0f} s (Ctrl-C to stop)\n"
                out.write(clear + sanitise(note) + "\n" + last if tty else sanitise(note) + "\n")
                out.flush()
                time.sleep(backoff)
                backoff = min(max_backoff, backoff * 2)
                continue
            out.flush()
            time.sleep(max(0.2, interval))
    finally:
        if tty:
            out.write("\x1b[?1049l")
            out.flush()
