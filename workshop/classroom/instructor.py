"""The instructor's side of the classroom API (every route needs the instructor token).

``GET /api/room`` snapshot (learners, lessons, radar, course titles, join code, settings,
  recent messages);
``GET /api/stream`` server-sent events (``snapshot``, ``update``, ``radar``,
  ``broadcast``, ``settings``);
``GET /api/learners/{id}/events`` a learner's timeline;
``POST /api/broadcast`` ``{text}``; ``POST /api/settings`` ``{share_output}``;
``POST /api/help/{id}/resolve``: answered (the learner is told);
``POST /api/learners/{id}/message`` ``{text, hint}``: to one learner;
``POST /api/learners/{id}/rename`` ``{name}``; ``POST /api/learners/{id}/remove``;
``POST /api/learners/{id}/screen/request``: ask the learner to share their screen;
``GET /api/learners/{id}/screen`` their shared screen as server-sent events;
``GET /api/export.csv?lesson=ID``: the room's progress as CSV.
"""

from __future__ import annotations

import asyncio
import csv
import io
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from workshop.classroom import protocol
from workshop.classroom.fanout import keep_watching, read_screen
from workshop.classroom.room import FINISHED
from workshop.classroom.screen import LIVE
from workshop.classroom.server import HEADERS, HTTPError, guarded, ok, read_object
from workshop.classroom.sse import BACKLOG_PAGE

if TYPE_CHECKING:
    from workshop.classroom.server import Classroom

HELP_ANSWERED = "Your instructor marked your help request as answered."
SCREEN_REQUEST = "Your instructor asks to see your screen."


def _iso(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text (no formula from a learner's name)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(c: Classroom, lesson: str) -> str:
    """One row per learner: name, state, and each step's status and attempts (a quiz
    question's: how it went, e.g. ``right after 2 tries``)."""
    steps = c.room.lessons.get(lesson, [])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "online", "last contact (UTC)", "lesson", "step",
                     "finished", *[f"{i}. {s}" for i, s in enumerate(steps, 1)]])  # fmt: skip
    now = time.time()
    for state in c.room.learners.values():
        cells = state.cells.get(lesson, {})
        row = [_csv_cell(state.name), "yes" if state.online(now, c.room.offline_after) else "no",
               _iso(state.last_seen), state.lesson, state.step,
               "yes" if c.room.finished(state, lesson) else "no"]  # fmt: skip
        for step in steps:
            cell = cells.get(step)
            if cell is None:
                row.append("todo")
            elif cell.quiz():
                row.append(cell.quiz())
            else:
                row.append(cell.status if cell.status in FINISHED or not cell.attempts
                           else f"{cell.status} ({cell.attempts} attempts)")  # fmt: skip
        writer.writerow(row)
    return out.getvalue()


def instructor_routes(c: Classroom) -> list[Route]:
    """The instructor's routes of ``c``'s app."""

    def learner(request: Request) -> str:
        c.check_instructor(request)
        learner_id = str(request.path_params["learner_id"])
        if learner_id not in c.room.learners:
            raise HTTPError(404, "no such learner")
        return learner_id

    def learner_json(learner_id: str) -> dict[str, Any] | None:
        state = c.room.learners.get(learner_id)
        if state is not None:
            state.sharing = LIVE if c.screens.is_live(learner_id) else ""
        return c.room.learner_json(learner_id)

    cached: dict[str, Any] = {"at": -1.0, "radar": None}

    def fresh_radar() -> dict[str, Any]:
        """The radar, computed at most every 0.2 s (a room of hundreds takes ~10 ms):
        busy rooms send an update every 50 ms, and each carries it."""
        now = time.monotonic()
        if cached["radar"] is None or now - cached["at"] >= 0.2:
            cached["radar"] = dict(c.room.radar(), lessons=c.room.lessons)
            cached["at"] = now
        radar: dict[str, Any] = cached["radar"]
        return radar

    async def backlog(cursors: dict[str, int]) -> list[dict[str, Any]]:
        return await c.run(c.store.events_after, cursors, BACKLOG_PAGE)

    def last_seq(learner_id: str) -> int:
        state = c.room.learners.get(learner_id)
        return -1 if state is None else state.last_seq

    async def snapshot() -> dict[str, Any]:
        for learner_id in c.room.learners:
            learner_json(learner_id)
        data = c.room.snapshot()
        recent = await c.run(c.store.broadcasts, max(0, c.last_broadcast - 20), 20)
        data.update(settings=c.settings(), code=c.code, course=c.course.to_json(),
                    broadcasts=[b.to_json() for b in recent])  # fmt: skip
        return data

    async def room(request: Request) -> Response:
        c.check_instructor(request)
        return ok(await snapshot())

    async def stream(request: Request) -> Response:
        c.check_instructor(request)
        body: AsyncIterator[bytes] = c.hub.stream(snapshot, learner_json, fresh_radar,
                                                  backlog, last_seq)  # fmt: skip
        headers = dict(HEADERS, **{"X-Accel-Buffering": "no"})
        return StreamingResponse(body, media_type="text/event-stream", headers=headers)

    async def timeline(request: Request) -> Response:
        learner_id = learner(request)
        events = await c.run(c.store.events, learner_id, 500)
        return ok({"learner": learner_json(learner_id), "events": events})

    async def broadcast(request: Request) -> Response:
        c.check_instructor(request)
        body = await read_object(request)
        return ok(await c.send(protocol.validate_broadcast(body.get("text"))))

    async def message(request: Request) -> Response:
        learner_id = learner(request)
        body = await read_object(request)
        text = protocol.validate_broadcast(body.get("text"))
        if body.get("hint") is True:
            text = "Hint: " + text
        return ok(await c.send(text, learner_id, "message"))

    async def settings(request: Request) -> Response:
        c.check_instructor(request)
        body = await read_object(request)
        if not isinstance(body.get("share_output"), bool):
            raise protocol.ProtocolError("must be true or false", "share_output")
        c.share_output = body["share_output"]
        await c.run(c.store.set_meta, "share_output", "1" if c.share_output else "0")
        c.poke()
        c.hub.send("settings", c.settings())
        return ok(c.settings())

    async def resolve(request: Request) -> Response:
        learner_id = learner(request)
        state = c.room.learners[learner_id]
        if state.help:
            await c.run(c.store.resolve_help, learner_id, state.help["seq"], time.time())
            c.room.resolve_help(learner_id, state.help["seq"])
            c.learner_changed(learner_id)
            await c.send(HELP_ANSWERED, learner_id, "help_answered")
        return ok({"resolved": True})

    async def rename(request: Request) -> Response:
        learner_id = learner(request)
        body = await read_object(request)
        name = protocol.validate_name(body.get("name"))
        renamed = await c.run(c.store.rename, learner_id, name)
        if renamed is None:
            raise HTTPError(404, "no such learner")
        c.room.learners[learner_id].name = renamed.name
        c.learner_changed(learner_id)
        return ok({"id": learner_id, "name": renamed.name})

    async def remove(request: Request) -> Response:
        learner_id = learner(request)
        await c.run(c.store.remove, learner_id)
        c.room.remove(learner_id)
        c.screens.stop(learner_id)
        c.poke()  # their long poll ends with 401, and joining again is refused
        c.hub.send("removed", {"id": learner_id})
        return ok({"removed": learner_id})

    async def screen_request(request: Request) -> Response:
        learner_id = learner(request)
        return ok(await c.send(SCREEN_REQUEST, learner_id, "screen_request"))

    async def screen(request: Request) -> Response:
        learner_id = learner(request)
        headers = dict(HEADERS, **{"X-Accel-Buffering": "no"})
        body = c.screens.stream(learner_id)
        if c.store.shared:  # shared through another instance, perhaps
            if not c.screens.is_live(learner_id):
                await read_screen(c, learner_id)
            body = watched(learner_id, body)
        return StreamingResponse(body, media_type="text/event-stream", headers=headers)

    async def watched(learner_id: str, body: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        keeping = asyncio.ensure_future(keep_watching(c, learner_id))
        try:
            async for chunk in body:
                yield chunk
        finally:
            keeping.cancel()

    async def export(request: Request) -> Response:
        c.check_instructor(request)
        lesson = request.query_params.get("lesson") or c.room.current_lesson()
        if lesson not in c.room.lessons:
            raise HTTPError(422, f"lesson: no lesson {lesson[:40]!r} in this workshop")
        headers = dict(HEADERS, **{"Content-Disposition": f'attachment; filename="{lesson}.csv"'})
        return Response(export_csv(c, lesson), media_type="text/csv; charset=utf-8",
                        headers=headers)  # fmt: skip

    L = "/api/learners/{learner_id}"
    return [
        Route("/api/room", guarded(room)),
        Route("/api/stream", guarded(stream)),
        Route("/api/export.csv", guarded(export)),
        Route(f"{L}/events", guarded(timeline), methods=["GET"]),
        Route("/api/broadcast", guarded(broadcast), methods=["POST"]),
        Route("/api/settings", guarded(settings), methods=["POST"]),
        Route("/api/help/{learner_id}/resolve", guarded(resolve), methods=["POST"]),
        Route(f"{L}/message", guarded(message), methods=["POST"]),
        Route(f"{L}/rename", guarded(rename), methods=["POST"]),
        Route(f"{L}/remove", guarded(remove), methods=["POST"]),
        Route(f"{L}/screen/request", guarded(screen_request), methods=["POST"]),
        Route(f"{L}/screen", guarded(screen), methods=["GET"]),
    ]
