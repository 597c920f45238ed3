"""The classroom server: a Starlette app that learners report to and instructors watch.

HTTP API (JSON bodies, at most :data:`~workshop.classroom.protocol.MAX_BODY` bytes):

learners
  ``POST /api/join`` ``{code, name, client_id, next_seq}`` → ``{learner_id, token,
  last_seq, settings, broadcast_after}``; 403 with a message for a wrong code.
  ``POST /api/learners/{id}/events`` ``{events: [...]}`` with ``Authorization: Bearer
  <learner token>`` → ``{acked, accepted, settings}``; idempotent by (learner, seq).
  ``GET /api/learners/{id}/inbox?after=N&wait=S`` → ``{broadcasts, settings}`` (long poll).
instructor (``Authorization: Bearer <instructor token>`` or ``?token=``)
  ``GET /api/room`` (snapshot), ``GET /api/stream`` (server-sent events),
  ``GET /api/learners/{id}/events`` (timeline), ``POST /api/broadcast`` ``{text}``,
  ``POST /api/settings`` ``{share_output}``, ``POST /api/help/{id}/resolve``.
the dashboard
  ``GET /`` and ``/static/…``: static files; the page asks for the token.

Status codes: 400 malformed JSON, 401 missing or unknown token, 403 wrong join code or a
token for another learner, 404 unknown learner, 413 body too large, 422 invalid field.
The database is touched from one worker thread; the room summary and the dashboard hub
live on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from workshop.classroom import protocol
from workshop.classroom.room import Room
from workshop.classroom.sse import Hub
from workshop.classroom.store import Store

T = TypeVar("T")

_STATIC = {"index.html": "text/html", "app.js": "text/javascript", "style.css": "text/css"}
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class HTTPError(Exception):
    """An error answer: status and a message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: int, message: str) -> JSONResponse:
    """``{"error": message}`` with ``status``."""
    return JSONResponse({"error": message}, status_code=status, headers=_HEADERS)


def ok(data: Any) -> JSONResponse:
    """A JSON answer with the security headers."""
    return JSONResponse(data, headers=_HEADERS)


async def read_json(request: Request, limit: int = protocol.MAX_BODY) -> Any:
    """The request's JSON body, refusing more than ``limit`` bytes (413) or bad JSON (400)."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        raise HTTPError(413, f"request body larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPError(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPError(400, f"the body is not valid JSON: {exc}") from None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.query_params.get("token")


class Classroom:
    """The server's state: store, room summary, dashboard hub, secrets and settings."""

    def __init__(self, store: Store, code: str, instructor_token: str, *,
                 room: Room | None = None, coalesce: float = 0.05):  # fmt: skip
        self.store = store
        self.code = code
        self.instructor_token = instructor_token
        secret = store.get_meta("learner_secret")
        if secret is None:
            secret = secrets.token_hex(32)
            store.set_meta("learner_secret", secret)
        self._secret = bytes.fromhex(secret)
        self.share_output = store.get_meta("share_output") == "1"
        self.room = room or Room()
        self.hub = Hub(coalesce=coalesce)
        self.db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classroom-db")
        self.notice: asyncio.Event | None = None  # set when a broadcast or setting changes
        self.shutting_down = False
        recent = store.broadcasts(0, 1_000_000)
        self.last_broadcast = recent[-1].id if recent else 0
        self._rebuild()

    def _rebuild(self) -> None:
        for learner in self.store.learners():
            self.room.add_learner(learner.id, learner.name, learner.joined_at)
        for event in self.store.events():
            self.room.apply(event)
        for learner_id, upto in self.store.help_resolutions().items():
            self.room.resolve_help(learner_id, upto)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a store call on the database thread."""
        return await asyncio.get_running_loop().run_in_executor(self.db, fn, *args)

    def settings(self) -> dict[str, Any]:
        """What reporters must know: whether command output is shared."""
        return {"share_output": self.share_output}

    def learner_token(self, learner_id: str) -> str:
        """``<id>.<hmac>``: proves the holder joined as ``learner_id``."""
        mac = hmac.new(self._secret, learner_id.encode(), hashlib.sha256).hexdigest()[:40]
        return f"{learner_id}.{mac}"

    def check_learner(self, request: Request, learner_id: str) -> None:
        """401 without a valid learner token, 403 when it is another learner's."""
        token = request.headers.get("authorization", "")
        if token[:7].lower() != "bearer " or "." not in token:
            raise HTTPError(401, "a learner token is required (join first)")
        token = token[7:].strip()
        owner = token.split(".", 1)[0]
        if not hmac.compare_digest(token, self.learner_token(owner)):
            raise HTTPError(401, "unknown learner token: join again")
        if owner != learner_id:
            raise HTTPError(403, "learners can only write their own events")
        if owner not in self.room.learners:
            raise HTTPError(401, "this classroom does not know you: join again")

    def check_instructor(self, request: Request) -> None:
        """401 unless the request carries the instructor token."""
        token = _bearer(request) or ""
        if not hmac.compare_digest(token.encode(), self.instructor_token.encode()):
            raise HTTPError(401, "the instructor token is missing or wrong")

    def poke(self) -> None:
        """Wake the learners' long polls (a broadcast or a setting changed)."""
        if self.notice is not None:
            self.notice.set()
        self.notice = asyncio.Event()


def create_app(classroom: Classroom) -> Starlette:
    """The ASGI app serving ``classroom``."""
    c = classroom

    def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def wrapper(request: Request) -> Response:
            try:
                response: Response = await handler(request)
                return response
            except HTTPError as exc:
                return error(exc.status, exc.message)
            except protocol.ProtocolError as exc:
                return error(422, str(exc))

        return wrapper

    async def join(request: Request) -> Response:
        body = await read_json(request)
        if not isinstance(body, dict):
            raise HTTPError(400, "the body must be a JSON object")
        code = body.get("code")
        if not isinstance(code, str) or not hmac.compare_digest(
            code.strip().upper().encode(), c.code.upper().encode()
        ):
            raise HTTPError(403, "wrong join code: use the code your instructor gave you")
        name = protocol.validate_name(body.get("name"))
        client_id = protocol.validate_client_id(body.get("client_id"))
        next_seq = body.get("next_seq", 1)
        if (
            isinstance(next_seq, bool)
            or not isinstance(next_seq, int)
            or not 1 <= next_seq <= protocol.MAX_SEQ
        ):
            raise protocol.ProtocolError("must be a positive integer", "next_seq")
        learner = await c.run(c.store.join, client_id, name, next_seq, time.time())
        state = c.room.learners.get(learner.id)
        if state is None:
            state = c.room.add_learner(learner.id, learner.name, learner.joined_at)
            state.last_seq = learner.last_seq
        state.name = learner.name
        c.hub.learners_changed({learner.id}, [])
        return ok({"learner_id": learner.id, "token": c.learner_token(learner.id),
                   "last_seq": learner.last_seq, "settings": c.settings(),
                   "broadcast_after": c.last_broadcast})  # fmt: skip

    async def post_events(request: Request) -> Response:
        learner_id = request.path_params["learner_id"]
        c.check_learner(request, learner_id)
        events = protocol.validate_batch(await read_json(request))
        result = await c.run(c.store.append, learner_id, events, time.time())
        for event in result.accepted:
            c.room.apply(event)
        if result.accepted:
            c.hub.learners_changed({learner_id}, result.accepted)
        return ok({"acked": result.last_seq, "accepted": len(result.accepted),
                   "settings": c.settings()})  # fmt: skip

    async def inbox(request: Request) -> Response:
        learner_id = request.path_params["learner_id"]
        c.check_learner(request, learner_id)
        try:
            after = int(request.query_params.get("after", "0"))
            wait = min(30.0, max(0.0, float(request.query_params.get("wait", "0"))))
        except ValueError:
            raise HTTPError(422, "after and wait must be numbers") from None
        found = await c.run(c.store.broadcasts, after, 50)
        if not found and wait > 0 and not c.shutting_down:
            if c.notice is None:
                c.notice = asyncio.Event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(c.notice.wait(), wait)
            found = await c.run(c.store.broadcasts, after, 50)
        return ok({"broadcasts": [b.__dict__ for b in found], "settings": c.settings()})

    async def room(request: Request) -> Response:
        c.check_instructor(request)
        data = c.room.snapshot()
        data["settings"] = c.settings()
        recent = await c.run(c.store.broadcasts, max(0, c.last_broadcast - 10), 10)
        data["broadcasts"] = [b.__dict__ for b in recent]
        return ok(data)

    async def stream(request: Request) -> Response:
        c.check_instructor(request)

        def snapshot() -> dict[str, Any]:
            data = c.room.snapshot()
            data["settings"] = c.settings()
            return data

        def learner_json(learner_id: str) -> dict[str, Any] | None:
            state = c.room.learners.get(learner_id)
            return state.to_json() if state else None

        def radar() -> dict[str, Any]:
            return dict(c.room.radar(), lessons=c.room.lessons)

        body: AsyncIterator[bytes] = c.hub.stream(snapshot, learner_json, radar)
        headers = dict(_HEADERS, **{"X-Accel-Buffering": "no"})
        return StreamingResponse(body, media_type="text/event-stream", headers=headers)

    async def timeline(request: Request) -> Response:
        c.check_instructor(request)
        learner_id = request.path_params["learner_id"]
        if learner_id not in c.room.learners:
            raise HTTPError(404, "no such learner")
        events = await c.run(c.store.events, learner_id, 500)
        return ok({"learner": c.room.learners[learner_id].to_json(), "events": events})

    async def broadcast(request: Request) -> Response:
        c.check_instructor(request)
        body = await read_json(request)
        if not isinstance(body, dict):
            raise HTTPError(400, "the body must be a JSON object")
        text = protocol.validate_broadcast(body.get("text"))
        sent = await c.run(c.store.add_broadcast, text, time.time())
        c.last_broadcast = max(c.last_broadcast, sent.id)
        c.poke()
        c.hub.send("broadcast", sent.__dict__)
        return ok(sent.__dict__)

    async def settings(request: Request) -> Response:
        c.check_instructor(request)
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("share_output"), bool):
            raise protocol.ProtocolError("must be true or false", "share_output")
        c.share_output = body["share_output"]
        await c.run(c.store.set_meta, "share_output", "1" if c.share_output else "0")
        c.poke()
        c.hub.send("settings", c.settings())
        return ok(c.settings())

    async def resolve(request: Request) -> Response:
        c.check_instructor(request)
        learner_id = request.path_params["learner_id"]
        state = c.room.learners.get(learner_id)
        if state is None:
            raise HTTPError(404, "no such learner")
        if state.help:
            await c.run(c.store.resolve_help, learner_id, state.help["seq"], time.time())
            c.room.resolve_help(learner_id, state.help["seq"])
            c.hub.learners_changed({learner_id}, [])
        return ok({"resolved": True})

    async def static(request: Request) -> Response:
        name = request.path_params.get("name", "index.html")
        if name not in _STATIC:
            return error(404, "not found")
        data = resources.files("workshop.classroom").joinpath("static", name).read_bytes()
        return Response(data, media_type=_STATIC[name], headers=_HEADERS)

    async def health(request: Request) -> Response:
        return ok({"ok": True, "learners": len(c.room.learners)})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        c.hub.close()
        c.poke()
        c.db.shutdown(wait=True)

    routes = [
        Route("/", guarded(static)),
        Route("/static/{name}", guarded(static)),
        Route("/healthz", guarded(health)),
        Route("/api/join", guarded(join), methods=["POST"]),
        Route("/api/learners/{learner_id}/events", guarded(post_events), methods=["POST"]),
        Route("/api/learners/{learner_id}/events", guarded(timeline), methods=["GET"]),
        Route("/api/learners/{learner_id}/inbox", guarded(inbox)),
        Route("/api/room", guarded(room)),
        Route("/api/stream", guarded(stream)),
        Route("/api/broadcast", guarded(broadcast), methods=["POST"]),
        Route("/api/settings", guarded(settings), methods=["POST"]),
        Route("/api/help/{learner_id}/resolve", guarded(resolve), methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
