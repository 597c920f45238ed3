"""The classroom server: a Starlette app that learners report to and instructors watch.

HTTP API (JSON bodies, at most :data:`~workshop.classroom.protocol.MAX_BODY` bytes):

learners
  ``POST /api/join`` ``{code, name, client_id, next_seq}`` → ``{learner_id, name, token,
  last_seq, settings, broadcast_after, lessons}``; 403 with a message for a wrong code,
  429 when an address joins or guesses too often.
  ``POST /api/learners/{id}/events`` ``{events: [...]}`` with ``Authorization: Bearer
  <learner token>`` → ``{acked, accepted, settings}``; idempotent by (learner, seq); 422
  for a lesson or step the served workshop does not have.
  ``GET /api/learners/{id}/inbox?after=N&wait=S`` → ``{broadcasts, settings}`` (long
  poll): broadcasts, messages to this learner, help answered, screen requests.
  ``POST /api/learners/{id}/screen`` ``{sharing, frame}``: the learner's shared screen.
instructor (``Authorization: Bearer <instructor token>`` or ``?token=``): see
  :mod:`workshop.classroom.instructor`.
the dashboard
  ``GET /``, ``/static/…`` and ``/favicon.ico``: static files; the page asks for the token.

Status codes: 400 malformed JSON, 401 missing or unknown token, 403 wrong join code, a
removed learner or a token for another learner, 404 unknown learner, 408 a body too slow
to arrive, 413 body too large, 422 invalid field, 429 too many attempts. An unexpected
error is one line in the server's log and a 500 that says nothing of the internals.
The database is touched from one worker thread; the room summary and the dashboard hub
live on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import math
import secrets
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from workshop.classroom import protocol
from workshop.classroom.course import Course
from workshop.classroom.fanout import Fanout, catch_up, reload_learner, share_contacts
from workshop.classroom.group_commit import GroupCommit
from workshop.classroom.guard import RateLimiter
from workshop.classroom.room import LearnerState, Room
from workshop.classroom.screen import Screens
from workshop.classroom.shortcut import Shortcut
from workshop.classroom.sse import MAX_PENDING_EVENTS, Hub
from workshop.classroom.store import AppendRequest, AppendResult, LoopAppends, Store

T = TypeVar("T")
log = logging.getLogger("workshop.classroom")

_STATIC = {
    "index.html": "text/html",
    "app.js": "text/javascript",
    "style.css": "text/css",
    "favicon.svg": "image/svg+xml",
}
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class HTTPError(Exception):
    """An error answer: status and a message for the client."""

    def __init__(self, status: int, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


def error(status: int, message: str, retry_after: float | None = None) -> JSONResponse:
    """``{"error": message}`` with ``status``."""
    headers = dict(HEADERS)
    if retry_after is not None:
        headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
    return JSONResponse({"error": message}, status_code=status, headers=headers)


_OK_HEADERS = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]
_OK_HEADERS.append((b"content-type", b"application/json"))


class Answer(Response):
    """A JSON answer (200) with the security headers, encoded once for every answer (the
    learners' events are answered a thousand times a second)."""

    media_type = "application/json"

    def __init__(self, data: Any) -> None:
        self.status_code = 200
        self.background = None
        self.body = json.dumps(data, ensure_ascii=False, allow_nan=False,
                               separators=(",", ":")).encode()  # fmt: skip
        self.raw_headers = [*_OK_HEADERS, (b"content-length", str(len(self.body)).encode())]


def ok(data: Any) -> Response:
    """A JSON answer with the security headers."""
    return Answer(data)


async def read_json(request: Request, limit: int = protocol.MAX_BODY,
                    seconds: float = 10.0) -> Any:  # fmt: skip
    """The request's JSON body: 413 over ``limit`` bytes, 408 slower than ``seconds``, 400
    when it is not JSON (or nested too deeply to parse)."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        raise HTTPError(413, f"request body larger than {limit} bytes")
    chunks, size = [], 0
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise HTTPError(413, f"request body larger than {limit} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise HTTPError(408, f"the request body did not arrive within {seconds:g} s") from None
    try:
        return json.loads(b"".join(chunks))
    except RecursionError:
        raise HTTPError(400, "the body is not valid JSON: nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPError(400, f"the body is not valid JSON: {str(exc)[:200]}") from None


async def read_object(request: Request) -> dict[str, Any]:
    """The request's body, which must be a JSON object."""
    body = await read_json(request)
    if not isinstance(body, dict):
        raise HTTPError(400, "the body must be a JSON object")
    return body


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.query_params.get("token")


def client_address(request: Request) -> str:
    """The peer's address (rate limits are per address)."""
    return request.client.host if request.client else "?"


@dataclass
class Limits:
    """Rate limits per client address (token buckets: a burst, then one every N s)."""

    join_burst: int = 60
    """New learners an address may add at once (a class behind one NAT joins together)."""
    join_every: float = 1.0
    wrong_code_burst: int = 10
    wrong_code_every: float = 3.0
    body_seconds: float = 10.0
    max_learners: int = protocol.MAX_LEARNERS
    """Learners one room takes (a guard against a script joining forever)."""


class Classroom:
    """The server's state: store, room summary, dashboard hub, secrets and settings."""

    def __init__(self, store: Store, code: str, instructor_token: str, course: Course, *,
                 room: Room | None = None, coalesce: float = 0.05,
                 limits: Limits | None = None, offline_after: float = 30.0,
                 db_threads: int = 1, max_pending: int = MAX_PENDING_EVENTS):  # fmt: skip
        self.store = store
        self.code = code
        self.instructor_token = instructor_token
        self.course = course
        # of several instances starting together on one database, the first decides
        secret = store.set_meta_default("learner_secret", secrets.token_hex(32))
        self._secret = bytes.fromhex(secret)
        self._tokens: dict[str, str] = {}
        self.share_output = store.get_meta("share_output") == "1"
        self.room = room or Room(course.steps(), offline_after=offline_after)
        self.hub = Hub(coalesce=coalesce, max_pending=max_pending)
        self.screens = Screens()
        self.limits = limits or Limits()
        self.joins = RateLimiter(self.limits.join_burst, self.limits.join_every)
        self.wrong_codes = RateLimiter(self.limits.wrong_code_burst, self.limits.wrong_code_every)
        self.db = ThreadPoolExecutor(max_workers=db_threads, thread_name_prefix="classroom-db")
        # on PostgreSQL, written on the event loop; otherwise on the database thread
        self.writer = store.loop_writer() if isinstance(store, LoopAppends) else None
        self.appends = GroupCommit(self.writer.append_many if self.writer else self._append_many)
        """The learners' batches that arrive together are stored in one transaction."""
        self.notice: asyncio.Event | None = None  # set when a broadcast or setting changes
        self.shutting_down = False
        self.last_broadcast = store.last_broadcast()
        self.fanout: Fanout | None = None
        self.unsaved: set[str] = set()
        """Learners whose summary changed since it was last saved."""
        self._rebuild()

    def _rebuild(self) -> None:
        """The room from the learners' saved summaries and the events stored after them."""
        saved = self.store.summaries()
        for learner in self.store.learners():
            summary = saved.get(learner.id)
            try:
                state = LearnerState.restore(json.loads(summary[1])) if summary else None
            except (TypeError, ValueError):  # a summary of another version: replay instead
                state = None
            if state is None:
                self.room.add_learner(learner.id, learner.name, learner.joined_at)
                if summary:
                    for event in self.store.events(learner.id):
                        self.room.apply(event)
                    self.unsaved.add(learner.id)
            else:
                state.name = learner.name
                self.room.restore(state)
        for event in self.store.unsummarised_events():
            if self.room.apply(event) is not None:
                self.unsaved.add(event["learner"])
        for learner_id, upto in self.store.help_resolutions().items():
            self.room.resolve_help(learner_id, upto)

    def summary_rows(self) -> list[tuple[str, int, dict[str, Any]]]:
        """The summaries (copies) of the learners whose events this instance stored since
        the last save (each instance saves those it stored)."""
        rows = []
        for learner_id in self.unsaved:
            state = self.room.learners.get(learner_id)
            if state is not None:
                rows.append((learner_id, state.last_seq, state.dump()))
        self.unsaved.clear()
        return rows

    def _save_summaries(self, rows: list[tuple[str, int, dict[str, Any]]]) -> None:
        """On the database thread: the summaries as JSON, saved (off the event loop)."""
        self.store.save_summaries([(lid, seq, json.dumps(data)) for lid, seq, data in rows])

    async def keep_summaries(self, every: float = 5.0) -> None:
        """Save the changed summaries every ``every`` seconds (and at shutdown)."""
        try:
            while True:
                await asyncio.sleep(every)
                rows = self.summary_rows()
                if rows:
                    await self.run(self._save_summaries, rows)
        finally:
            with contextlib.suppress(Exception):
                await self.run(self._save_summaries, self.summary_rows())

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a store call on the database thread."""
        return await asyncio.get_running_loop().run_in_executor(self.db, fn, *args)

    async def _append_many(self, requests: list[AppendRequest]) -> list[AppendResult | None]:
        return await self.run(self.store.append_many, requests)

    def settings(self) -> dict[str, Any]:
        """What reporters must know: whether command output is shared."""
        return {"share_output": self.share_output}

    def learner_token(self, learner_id: str) -> str:
        """``<id>.<hmac>``: proves the holder joined as ``learner_id`` (computed once for
        each learner of the room: every request of theirs shows it)."""
        token = self._tokens.get(learner_id)
        if token is None:
            mac = hmac.new(self._secret, learner_id.encode(), hashlib.sha256).hexdigest()[:40]
            token = f"{learner_id}.{mac}"
            if learner_id in self.room.learners:  # not for any id a request makes up
                self._tokens[learner_id] = token
        return token

    async def check_learner(self, request: Request, learner_id: str) -> None:
        """401 without a valid learner token, 403 when it is another learner's."""
        token = request.headers.get("authorization", "")
        if token[:7].lower() != "bearer " or "." not in token:
            raise HTTPError(401, "a learner token is required (join first)")
        token = token[7:].strip()
        owner = token.split(".", 1)[0]
        if not hmac.compare_digest(token.encode(), self.learner_token(owner).encode()):
            raise HTTPError(401, "unknown learner token: join again")
        if owner != learner_id:
            raise HTTPError(403, "learners can only write their own events")
        # joined through another instance on the same database, not announced yet
        if owner not in self.room.learners and not await reload_learner(self, owner):
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

    async def send(self, text: str, learner_id: str | None = None,
                   kind: str = "broadcast") -> dict[str, Any]:  # fmt: skip
        """Queue a message in the inbox of every learner (or of one) and wake their polls."""
        sent = await self.run(self.store.add_broadcast, text, time.time(), learner_id, kind)
        self.last_broadcast = max(self.last_broadcast, sent.id)
        self.poke()
        data = sent.to_json()
        self.hub.send("broadcast", data)
        return data

    def learner_changed(self, learner_id: str) -> None:
        """Tell the dashboards that a learner's summary changed."""
        self.hub.learners_changed({learner_id}, [])


def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
    """The handler with every failure turned into a JSON answer (never a traceback)."""

    async def wrapper(request: Request) -> Response:
        try:
            response: Response = await handler(request)
            return response
        except HTTPError as exc:
            return error(exc.status, exc.message, exc.retry_after)
        except protocol.ProtocolError as exc:
            return error(422, str(exc))
        except Exception as exc:  # noqa: BLE001 - one log line, no internals to the client
            log.error("classroom: %s %s failed: %s: %s", request.method, request.url.path,
                      type(exc).__name__, str(exc)[:200])  # fmt: skip
            return error(500, "internal error of the classroom server (see its log)")

    return wrapper


def create_app(classroom: Classroom) -> ASGIApp:
    """The ASGI app serving ``classroom`` (learners' events take a :class:`Shortcut`)."""
    from workshop.classroom.instructor import instructor_routes

    c = classroom

    async def join(request: Request) -> Response:
        address = client_address(request)
        wait = c.wrong_codes.wait(address)
        if wait > 0:
            raise HTTPError(429, "too many wrong join codes from your address: wait a moment",
                            retry_after=wait)  # fmt: skip
        body = await read_object(request)
        code = body.get("code")
        if not isinstance(code, str) or not hmac.compare_digest(
            code.strip().upper().encode(), c.code.upper().encode()
        ):
            c.wrong_codes.take(address)
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
        known = await c.run(c.store.learner_by_client, client_id)
        if known is None:
            if len(c.room.learners) >= c.limits.max_learners:
                raise HTTPError(403, f"the classroom is full ({c.limits.max_learners} learners)")
            wait = c.joins.take(address)
            if wait > 0:
                raise HTTPError(429, "too many new learners from your address: wait a moment",
                                retry_after=wait)  # fmt: skip
        learner = await c.run(c.store.join, client_id, name, next_seq, time.time())
        if learner.removed:
            raise HTTPError(403, "the instructor removed you from this classroom")
        if learner.id not in c.room.learners:  # new, or joined through another instance
            await reload_learner(c, learner.id)
        state = c.room.learners[learner.id]
        state.name = learner.name
        c.room.contact(learner.id, time.time())
        c.learner_changed(learner.id)
        return ok({"learner_id": learner.id, "name": learner.name,
                   "token": c.learner_token(learner.id), "last_seq": learner.last_seq,
                   "settings": c.settings(), "broadcast_after": c.last_broadcast,
                   "lessons": c.room.lessons, "kinds": sorted(protocol.KINDS)})  # fmt: skip

    async def post_events(request: Request) -> Response:
        learner_id = request.path_params["learner_id"]
        await c.check_learner(request, learner_id)
        events = protocol.validate_batch(await read_json(request, seconds=c.limits.body_seconds))
        state = c.room.learners[learner_id]
        for event in events:
            if event["seq"] > state.last_seq:
                try:
                    if event["kind"] == "quiz_answered":
                        c.course.check_quiz(event["lesson"], event["step"])
                    else:
                        c.course.check(event["lesson"], event["step"])
                except protocol.ProtocolError as exc:
                    raise protocol.ProtocolError(f"event {event['seq']}: {exc}") from None
            for field in protocol.DONE_FIELDS & set(event):  # steps of another version of
                event[field] = [  # the workshop are left out, not refused (a stalled outbox)
                    item for item in event[field] if c.course.has(*item.split("/", 1))
                ]
            event.pop("steps", None)  # the structure is the served workshop's
            event.pop("title", None)
        fresh = sum(1 for e in events if e["seq"] > state.last_seq)
        if state.events + fresh > protocol.MAX_EVENTS_PER_LEARNER:
            raise HTTPError(422, f"this learner reached the limit of "
                                 f"{protocol.MAX_EVENTS_PER_LEARNER} events")  # fmt: skip
        now = time.time()
        result = await c.appends.append(AppendRequest(learner_id, events, now))
        if result.accepted and c.fanout is not None:
            c.fanout.stored(learner_id, result.last_seq)
        if result.accepted and result.accepted[0]["seq"] > state.last_seq + 1:
            await catch_up(c, learner_id)  # stored through another instance in between
        applied = [e for e in result.accepted if c.room.apply(e) is not None]
        if applied:
            c.unsaved.add(learner_id)
        c.room.contact(learner_id, now)
        if applied:
            c.hub.learners_changed({learner_id}, applied)
        return ok({"acked": result.last_seq, "accepted": len(result.accepted),
                   "settings": c.settings()})  # fmt: skip

    async def inbox(request: Request) -> Response:
        learner_id = request.path_params["learner_id"]
        await c.check_learner(request, learner_id)
        try:
            after = int(request.query_params.get("after", "0"))
            wait = float(request.query_params.get("wait", "0"))
        except ValueError:
            raise HTTPError(422, "after and wait must be numbers") from None
        if not 0 <= after <= protocol.MAX_SEQ:
            raise HTTPError(422, f"after must be between 0 and {protocol.MAX_SEQ}")
        wait = min(30.0, max(0.0, wait)) if math.isfinite(wait) else 0.0
        found = await c.run(c.store.broadcasts, after, 50, learner_id)
        if not found and wait > 0 and not c.shutting_down:
            if c.notice is None:
                c.notice = asyncio.Event()
            c.room.contact(learner_id, time.time(), polls=1)
            try:
                await _wait_or_disconnect(request, c.notice, wait)
            finally:
                c.room.contact(learner_id, time.time(), polls=-1)
            if learner_id not in c.room.learners:
                raise HTTPError(401, "this classroom does not know you: join again")
            found = await c.run(c.store.broadcasts, after, 50, learner_id)
        c.room.contact(learner_id, time.time())
        return ok({"broadcasts": [b.to_json() for b in found], "settings": c.settings()})

    async def post_screen(request: Request) -> Response:
        learner_id = request.path_params["learner_id"]
        await c.check_learner(request, learner_id)
        body = await read_object(request)
        sharing = body.get("sharing")
        if not isinstance(sharing, bool):
            raise protocol.ProtocolError("must be true or false", "sharing")
        frame = protocol.validate_frame(body.get("frame")) if sharing else None
        before = c.room.learners[learner_id].sharing
        c.room.learners[learner_id].sharing = c.screens.update(learner_id, sharing, frame)
        c.room.contact(learner_id, time.time())
        if c.room.learners[learner_id].sharing != before:
            c.learner_changed(learner_id)
        watched = 0.0  # until when a dashboard of another instance watches
        if c.store.shared:
            watched = await c.run(c.store.put_screen, learner_id, frame, time.time())
        return ok({"watching": c.screens.watching(learner_id) or watched > time.time()})

    async def static(request: Request) -> Response:
        default = "favicon.svg" if request.url.path == "/favicon.ico" else "index.html"
        name = request.path_params.get("name", default)
        if name not in _STATIC:
            return error(404, "not found")
        data = resources.files("workshop.classroom").joinpath("static", name).read_bytes()
        return Response(data, media_type=_STATIC[name], headers=HEADERS)

    async def health(request: Request) -> Response:
        queued = max((len(sub.events) for sub in c.hub.subscribers), default=0)
        return ok({"ok": True, "learners": len(c.room.learners),
                   "pending": {"dashboard_events": queued,
                               "changes": c.fanout.pending() if c.fanout else 0,
                               "appends": c.appends.pending()},
                   "group_commit": {"writes": c.appends.writes, "appends": c.appends.appends,
                                    "seconds": round(c.appends.seconds, 3)}})  # fmt: skip

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return error(404, "no classroom at this address (HTTP 404): check the URL")
        return error(exc.status_code, str(exc.detail))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        c.fanout = Fanout(c)
        saver = asyncio.ensure_future(c.keep_summaries())
        contacts = asyncio.ensure_future(share_contacts(c)) if c.store.shared else None
        yield
        saver.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await saver
        if contacts is not None:
            contacts.cancel()
        await c.fanout.flush()
        c.fanout.close()
        c.hub.close()
        c.screens.close()
        c.poke()
        if c.writer is not None:
            with contextlib.suppress(Exception):
                await c.writer.close()
        c.db.shutdown(wait=True)

    routes = [
        Route("/", guarded(static)),
        Route("/static/{name}", guarded(static)),
        Route("/favicon.ico", guarded(static)),  # where browsers look without a <link>
        Route("/healthz", guarded(health)),
        Route("/api/join", guarded(join), methods=["POST"]),
        Route("/api/learners/{learner_id}/events", guarded(post_events), methods=["POST"]),
        Route("/api/learners/{learner_id}/inbox", guarded(inbox)),
        Route("/api/learners/{learner_id}/screen", guarded(post_screen), methods=["POST"]),
        *instructor_routes(c),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})  # fmt: skip
    return Shortcut(app, guarded(post_events))


async def _wait_or_disconnect(request: Request, notice: asyncio.Event, seconds: float) -> None:
    """Wait for ``notice`` for at most ``seconds``, or until the client goes away."""

    async def gone() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    tasks = [asyncio.ensure_future(notice.wait()), asyncio.ensure_future(gone())]
    try:
        await asyncio.wait(tasks, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
