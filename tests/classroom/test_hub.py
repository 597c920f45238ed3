"""Dashboards' streams: what every dashboard sends is encoded once for them all."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from workshop.classroom.sse import Hub


def parse(message: bytes) -> tuple[str, dict[str, Any]]:
    head, data = message.decode().split("\ndata: ", 1)
    return head.removeprefix("event: "), json.loads(data)


def test_two_dashboards_get_the_same_update_and_each_learner_is_encoded_once() -> None:
    summaries = {"l_a": {"id": "l_a", "name": "Ada"}, "l_b": {"id": "l_b", "name": "Bob"}}
    asked: list[str] = []

    def learner_json(learner_id: str) -> dict[str, Any] | None:
        asked.append(learner_id)
        return summaries.get(learner_id)

    async def scenario() -> tuple[list[bytes], list[bytes]]:
        hub = Hub(coalesce=0.01, radar_every=60)
        radar = {"stuck": []}

        async def snapshot() -> dict[str, Any]:
            return {"learners": list(summaries.values())}

        async def backlog(cursors: dict[str, int]) -> list[dict[str, Any]]:
            return []

        def stream() -> AsyncIterator[bytes]:
            return hub.stream(snapshot, learner_json, lambda: radar, backlog, lambda _: 9)

        one, two = stream(), stream()
        for s in (one, two):  # retry line and snapshot
            await anext(s)
            await anext(s)
        event = {"learner": "l_a", "seq": 1, "kind": "command_run", "lesson": "L", "step": "s1",
                 "time": 1.0, "received_at": 2.0, "command": "ls é", "output": "x" * 3000}  # fmt: skip
        hub.learners_changed({"l_a", "l_gone"}, [event])
        first = [await anext(one), await anext(two)]
        hub.send("removed", {"id": "l_b"})
        summaries.pop("l_b")
        hub.learners_changed({"l_b"}, [])
        second = [await anext(one), await anext(one), await anext(two), await anext(two)]
        hub.close()
        return first, second

    first, second = asyncio.run(scenario())
    assert first[0] == first[1]
    name, update = parse(first[0])
    assert name == "update" and update["learners"] == [{"id": "l_a", "name": "Ada"}]
    sent = update["events"][0]
    assert sent["command"] == "ls é" and len(sent["output"]) == 2000 and "received_at" not in sent
    assert sorted(asked) == ["l_a", "l_b", "l_gone"]  # once each, whatever the dashboards
    assert [parse(m)[0] for m in second] == ["removed", "update", "removed", "update"]
    assert parse(second[1])[1]["learners"] == [] and parse(second[3])[1]["learners"] == []
