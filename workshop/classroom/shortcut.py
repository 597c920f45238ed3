"""A shortcut past Starlette's router for the room's most frequent request.

At conference scale an instance answers a thousand ``POST /api/learners/{id}/events`` a
second. Starlette's middleware and its router (a regular expression per route, tried in
turn) cost about half as much again as the handler itself, and add nothing to it: the
handler, wrapped by :func:`workshop.classroom.server.guarded`, already turns every
failure into a JSON answer. :class:`Shortcut` calls it directly and hands every other
request, and the lifespan, to the Starlette app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Handler = Callable[[Request], Awaitable[Response]]

_PREFIX, _SUFFIX = "/api/learners/", "/events"


class Shortcut:
    """ASGI: ``POST /api/learners/{learner_id}/events`` straight to ``post_events``,
    anything else to ``app``."""

    def __init__(self, app: ASGIApp, post_events: Handler) -> None:
        self.app = app
        self.post_events = post_events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (or the lifespan)."""
        if scope["type"] == "http" and scope["method"] == "POST":
            path: str = scope["path"]
            if path.startswith(_PREFIX) and path.endswith(_SUFFIX):
                learner_id = path[len(_PREFIX) : -len(_SUFFIX)]
                if learner_id and "/" not in learner_id:  # what the router's {learner_id} takes
                    scope["path_params"] = {"learner_id": learner_id}
                    response = await self.post_events(Request(scope, receive))
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
