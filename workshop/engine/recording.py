"""``workshop record PATH``: run the content-CI protocol live and record the recorded programs.

The protocol is ``workshop test``'s (:mod:`workshop.engine.selftest`), live, one lesson at a
time: for each lesson its setup, for each step its checks before, its solve, its checks
after. A folder of recording shims (:mod:`workshop.mock.recorder`) is first on each
lesson's PATH, so every call of a ``recorded:`` program, by a command or by a check, runs
the real program and is logged with where in the protocol it happened.

Each lesson's calls become its recording, ``recordings/<lesson>.yaml``: a scenario whose
state starts at 0 and moves on with each call of a setup, a solve or a cleanup (``then``),
the checks' calls being reads of the state they ran in. Secrets are redacted on the way
(:mod:`workshop.mock.redact`); a read repeated in one state (a check's retries) is kept
once. :func:`drifted` compares such calls with the recordings already there
(``workshop test --live --against-recordings``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.content.model import Lesson, Workshop
from workshop.engine.selftest import SelfTestReport, StepOutcome, run_selftest
from workshop.errors import UsageError

Entry = dict[str, Any]
WORK_DIR_PLACEHOLDER = "WORKSHOP_WORK_DIR"
"""Recorded output names the work folder so; a replay fills in the learner's."""
MOVES = frozenset({"setup", "step-setup", "solve", "cleanup"})
"""Phases whose calls change the state (the checks' calls only read it)."""


@dataclass
class Recorded:
    """What a live run of the protocol recorded, lesson by lesson."""

    report: SelfTestReport
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    """Each lesson's entries, in the order they were called."""
    clashes: list[str] = field(default_factory=list)
    """Reads a replay cannot tell apart (see :func:`scenario`), said for the author."""


class _Recorder:
    """The protocol watcher of ``workshop record``: puts the recording shims on each
    lesson's PATH and tells them where the protocol is."""

    def __init__(self, scratch: Path, programs: tuple[str, ...]) -> None:
        from workshop.mock.recorded import write_record_shims

        self.bin = scratch / "bin"
        self.logs = scratch / "logs"
        self.logs.mkdir(parents=True)
        write_record_shims(self.bin, programs)

    def watch(self, lesson: Lesson, env: dict[str, str]) -> None:
        env["PATH"] = f"{self.bin}:{env.get('PATH', '')}"
        env["WORKSHOP_RECORD_LOG"] = str(self.logs / f"{lesson.id}.jsonl")
        env["WORKSHOP_RECORD_AT"] = str(self.logs / f"{lesson.id}.at")

    def at(self, lesson: Lesson, step_id: str, phase: str) -> None:
        (self.logs / f"{lesson.id}.at").write_text(f"{lesson.id}\t{step_id}\t{phase}\n")

    def calls(self, lesson: Lesson) -> list[dict[str, Any]]:
        try:
            lines = (self.logs / f"{lesson.id}.jsonl").read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        return [json.loads(line) for line in lines if line.strip()]


def record_live(
    workshop: Workshop,
    lesson_ids: list[str] | None = None,
    *,
    on_step: Callable[[StepOutcome], None] | None = None,
    timeout: float = 60.0,
) -> Recorded:
    """Run the protocol live with the recording shims; each lesson's recorded entries."""
    if not workshop.recorded:
        raise UsageError(
            f"{workshop.root / 'workshop.yaml'} names no recorded programs: "
            "add `recorded: [PROGRAM, ...]` first"
        )
    missing = [p for p in workshop.recorded if shutil.which(p) is None]
    if missing:
        raise UsageError(
            f"{missing[0]} is not on PATH: recording runs the real program "
            "(install it, or put it on PATH, then record again)"
        )
    chosen = [workshop.lesson(i) for i in lesson_ids] if lesson_ids else workshop.lessons
    with tempfile.TemporaryDirectory(prefix="workshop-record-") as scratch:
        recorder = _Recorder(Path(scratch), workshop.recorded)
        report = run_selftest(
            workshop,
            [lesson.id for lesson in chosen],
            on_step=on_step,
            timeout=timeout,
            jobs=1,  # a real service sees the lessons one after the other, as a learner would
            live=True,
            watcher=recorder,
        )
        clashes: list[str] = []
        entries = {
            lesson.id: scenario(recorder.calls(lesson), clashes, lesson.id) for lesson in chosen
        }
    return Recorded(report, entries, clashes)


def scenario(
    calls: list[dict[str, Any]], clashes: list[str] | None = None, lesson_id: str = ""
) -> list[Entry]:
    """A lesson's logged calls as recording entries: redacted, with scenario states.

    A read repeated in one state is kept once (a check's retry). When the repeat answered
    otherwise, something the replay does not see changed in between (a command of a
    program not in ``recorded:``, such as ``echo x > README.md`` before ``git status``):
    offline, learners would get the first answer. Each such read is said in ``clashes``."""
    from workshop.mock.redact import redact_argv, redact_text
    from workshop.mock.replayer import quoted

    state = 0
    entries: list[Entry] = []
    seen: dict[tuple[int, tuple[str, ...]], Entry] = {}
    for call in calls:
        at = {k: v for k, v in (call.get("at") or {}).items() if v}
        argv = redact_argv(list(call["argv"]))
        moves = at.get("phase") in MOVES
        entry: Entry = {"argv": argv, "at": at, "state": state}
        entry["cwd"] = call.get("cwd") or "."
        entry["exit"] = int(call["exit"])
        entry["recorded"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(call["started"]))
        work = _work_paths(call.get("work"))

        def cleaned(text: str, work: tuple[str, ...] = work) -> str:
            for path in work:  # the sandbox's folder is the learner's own when replayed
                text = text.replace(path, "{{" + WORK_DIR_PLACEHOLDER + "}}")
            return redact_text(text)

        entry["chunks"] = [[delay, _redacted(body, cleaned)] for delay, body in call["chunks"]]
        first = None if moves else seen.get((state, tuple(argv)))
        if first is not None:
            if clashes is not None and _shown(first) != _shown(entry):
                clashes.append(
                    f"{lesson_id}: `{quoted(argv)}` at {_where(entry)} answered otherwise "
                    f"than at {_where(first)}, with no call of a recorded program in between: "
                    "a command of a program that is not in `recorded:` changed what it reads. "
                    "Offline, learners get the first answer; add that program to `recorded:`."
                )
            continue  # a check's retry
        if moves:
            state += 1
            entry["then"] = state
        else:
            seen[(state, tuple(argv))] = entry
        entries.append(entry)
    return entries


def _work_paths(work: Any) -> tuple[str, ...]:
    """The recording sandbox's work folder as a program may print it (as given, resolved),
    longest first."""
    if not isinstance(work, str) or not work.startswith("/") or work == "/":
        return ()
    return tuple(sorted({work, str(Path(work).resolve())}, key=len, reverse=True))


def _where(entry: Entry) -> str:
    at = entry.get("at") or {}
    return f"{at.get('step') or 'the lesson setup'} ({at.get('phase', '?')})"


def _redacted(body: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(body, str):
        return redact(body)
    return {key: redact(value) for key, value in body.items()}


def write_recordings(workshop: Workshop, recorded: Recorded) -> list[Path]:
    """Write each recorded lesson's ``recordings/<lesson>.yaml``; the files written."""
    from workshop.content.recordings import FOLDER
    from workshop.mock import cassette

    written = []
    for lesson_id, entries in recorded.entries.items():
        lesson = workshop.lesson(lesson_id)
        path = workshop.root / FOLDER / f"{lesson_id}.yaml"
        header = (
            f"Lesson '{lesson_id}' ({lesson.title}) of {workshop.title}: the calls of "
            f"{', '.join(workshop.recorded)}\n"
            "recorded live by `workshop record`; mock mode replays them. Format: "
            "docs/authoring.md, 'Recordings'.\n"
            "Edit freely (outputs, {{placeholders}} in argv); recording the lesson again "
            "replaces this file."
        )
        cassette.dump(path, entries, header)
        written.append(path)
    return written


# -- drift ------------------------------------------------------------------------------


@dataclass
class Drift:
    """A recorded call that the real program no longer answers the same way."""

    lesson_id: str
    where: str
    """``step (phase)`` of the recording."""
    command: str
    diff: list[str]


def drifted(workshop: Workshop, recorded: Recorded) -> list[Drift]:
    """Each call of ``recorded`` whose output or exit code differs from the workshop's
    recordings once what always changes (ids, hashes, times, durations, ages) is
    normalised; and each call one has and the other has not."""
    from workshop.content.recordings import FOLDER
    from workshop.mock import cassette

    old_entries = [
        e
        for f in cassette.cassette_files(workshop.root / FOLDER)
        for e in cassette.parse(f)
        if e.get("at")
    ]
    found = []
    for lesson_id, new in recorded.entries.items():
        old = [e for e in old_entries if e["at"].get("lesson") == lesson_id]
        for before, after in _aligned(old, new):
            drift = _compare(lesson_id, before, after)
            if drift is not None:
                found.append(drift)
    return found


def _aligned(old: list[Entry], new: list[Entry]) -> list[tuple[Entry | None, Entry | None]]:
    """The calls of two runs paired by where they happened and what they ran (ids in argv
    normalised), so one call more or less does not shift every pair after it."""
    from difflib import SequenceMatcher

    from workshop.mock.normalize import normalize

    def key(entry: Entry) -> tuple[str, ...]:
        at = entry.get("at") or {}
        return (at.get("step", ""), at.get("phase", ""), *map(normalize, entry["argv"]))

    pairs: list[tuple[Entry | None, Entry | None]] = []
    matcher = SequenceMatcher(None, [key(e) for e in old], [key(e) for e in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            pairs.extend((e, None) for e in old[i1:i2])
            pairs.extend((None, e) for e in new[j1:j2])
    return pairs


def _compare(lesson_id: str, old: Entry | None, new: Entry | None) -> Drift | None:
    from difflib import unified_diff

    from workshop.mock.replayer import quoted

    either = old or new
    assert either is not None
    where = _where(either)
    command = quoted(either["argv"])
    if old is None or new is None:
        what = "is new: it was not recorded" if old is None else "is no longer made"
        return Drift(lesson_id, where, command, [f"this call {what}"])
    before = _shown(old)
    after = _shown(new)
    if before == after:
        return None
    diff = list(unified_diff(before, after, "recorded", "now", n=1, lineterm=""))[2:]
    if len(diff) > 12:
        diff = [*diff[:12], f"... ({len(diff) - 12} more lines)"]
    return Drift(lesson_id, where, command, diff)


def _shown(entry: Entry) -> list[str]:
    """An entry's output and exit code, normalised, as lines."""
    from workshop.mock.normalize import normalize
    from workshop.mock.replayer import strip_ansi

    text = "".join(
        body if isinstance(body, str) else body.get("err", "") for _, body in entry["chunks"]
    )
    lines = [normalize(strip_ansi(line)) for line in text.replace("\r\n", "\n").split("\n")]
    return [*lines, f"(exit {entry['exit']})"]


def format_drift(drifts: list[Drift]) -> str:
    """The drifted calls, each with its short diff."""
    out = []
    for drift in drifts:
        out.append(f"DRIFT {drift.lesson_id}/{drift.where}: $ {drift.command}")
        out.extend(f"  {line}" for line in drift.diff)
    return "\n".join(out)
