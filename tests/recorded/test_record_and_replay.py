"""Recording a workshop live with ``workshop record PATH`` and replaying it offline.

examples/kvcloud is recorded with the real kvcloud (this folder's ``bin``) on PATH; every
other test runs with kvcloud absent, so whatever answers comes from the recordings.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

from recorded_support import EXAMPLE, REPO, env_for, workshop

from workshop.mock import cassette


def test_recordings_are_per_lesson_reviewable_and_redacted(recorded: Path) -> None:
    files = sorted(p.name for p in (recorded / "recordings").iterdir())
    assert files == ["account.yaml", "data.yaml"]
    text = (recorded / "recordings" / "account.yaml").read_text()
    assert text.startswith("# Lesson 'account'")
    assert "s3cret-pass" not in text and "kvt_" not in text  # the password, the token
    assert "token: <redacted>" in text
    assert "\\u001b[32mOK\\u001b[0m" in text  # colours kept
    entries = cassette.parse(recorded / "recordings" / "account.yaml")
    login = next(e for e in entries if e["argv"] == ["kvcloud", "login"])
    assert login["at"] == {"lesson": "account", "step": "login", "phase": "solve"}
    assert (login["state"], login["then"], login["exit"], login["cwd"]) == (0, 1, 0, ".")
    assert [0.0, {"input": "ada"}] in [[0.0, c[1]] for c in login["chunks"]]
    assert any(c[1] == {"input": "<redacted>"} for c in login["chunks"])
    reads = [e for e in entries if e["argv"] == ["kvcloud", "whoami"]]
    assert [(e["state"], e["at"]["phase"], e["exit"]) for e in reads] == [
        (0, "before", 1),
        (1, "after", 0),
    ]
    assert all("then" not in e for e in reads)
    lint = workshop("lint", str(recorded), home=recorded.parent / "linter")
    assert lint.returncode == 0 and "warning" not in lint.stdout + lint.stderr


def test_lint_warns_on_what_still_looks_like_a_secret(recorded: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(recorded, copy)
    data = copy / "recordings" / "data.yaml"
    data.write_text(data.read_text().replace("hello\\n", "hello api_key=abcd1234efgh\\n", 1))
    line = next(i for i, t in enumerate(data.read_text().splitlines(), 1) if "api_key" in t)
    lint = workshop("lint", str(copy), home=tmp_path / "h")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert f"data.yaml:{line}: warning: this looks like a secret" in lint.stdout + lint.stderr


def test_workshop_test_passes_from_the_recordings_alone(recorded: Path, tmp_path: Path) -> None:
    done = workshop("test", str(recorded), home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("5 passed, 0 failed")
    assert done.stdout.splitlines()[-1].endswith("(mock: kvcloud)")


def test_the_shipped_example_passes_offline(tmp_path: Path) -> None:
    done = workshop("test", str(EXAMPLE), home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def _bash(
    recorded: Path, home: Path, script: str, lesson: str = "data"
) -> subprocess.CompletedProcess[str]:
    setup = (
        f'eval "$({shlex.quote(sys.executable)} -m workshop mock env --workshop '
        f'{shlex.quote(str(recorded))} --lesson {lesson} --home {shlex.quote(str(home / "mock"))})"\n'
    )
    return subprocess.run(
        ["bash", "--norc", "-c", setup + script],
        cwd=REPO,
        env=env_for(home, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_replay_is_stateful_and_refuses_what_was_not_recorded(
    recorded: Path, tmp_path: Path
) -> None:
    done = _bash(
        recorded,
        tmp_path,
        'kvcloud get notes greeting; echo "exit=$?"\n'
        "kvcloud put notes greeting hello\n"
        'kvcloud get notes greeting; echo "exit=$?"\n'
        'kvcloud frobnicate notes; echo "exit=$?"\n'
        "command -v kvcloud\n",
    )
    out = done.stdout
    assert "kvcloud: error: no key greeting in notes" in done.stderr
    assert out.index("exit=1") < out.index("OK notes/greeting saved") < out.index("hello\nexit=0")
    assert "\x1b" not in out  # not a terminal: no colours
    assert (
        "kvcloud: error: `kvcloud frobnicate notes` is not in the offline recording of this "
        "workshop.\nThis lesson expects here: `kvcloud delete notes`"
    ) in done.stderr
    assert out.rstrip().endswith(str(tmp_path / "mock" / "bin" / "kvcloud"))
    assert "exit=1" in out.split("hello\nexit=0")[1]


def test_recorded_timing_on_request(recorded: Path, tmp_path: Path) -> None:
    entries = cassette.parse(recorded / "recordings" / "account.yaml")
    login = next(e for e in entries if e["argv"] == ["kvcloud", "login"])
    assert sum(c[0] for c in login["chunks"]) > 0.2  # the prompts' answers took time
    for speed in ("", "recorded"):
        home = tmp_path / f"mock-{speed}"
        script = (
            f'eval "$({shlex.quote(sys.executable)} -m workshop mock env --workshop '
            f'{shlex.quote(str(recorded))} --lesson account --home {shlex.quote(str(home))})"\n'
            "printf 'ada\\nx\\n' | kvcloud login\n"
        )
        started = time.monotonic()
        done = subprocess.run(
            ["bash", "--norc", "-c", f"export WORKSHOP_MOCK_SPEED={speed}\n" + script],
            env=env_for(tmp_path, PYTHONPATH=str(REPO)),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "OK logged in as ada" in done.stdout, done.stderr
        if speed == "recorded":  # the answers' recorded delays are slept (a lower bound only)
            assert time.monotonic() - started > 0.5


def test_drift_check_reports_a_changed_behaviour_only(recorded: Path, tmp_path: Path) -> None:
    same = workshop(
        "test", str(recorded), "--live", "--against-recordings", home=tmp_path / "a",
        with_cli=True,
    )  # fmt: skip
    # new ids, tokens and timestamps on this run: not drift
    assert same.returncode == 0, same.stdout + same.stderr
    assert "13 recorded calls compared: 0 drifted" in same.stdout
    changed = workshop(
        "test", str(recorded), "--live", "--against-recordings", home=tmp_path / "b",
        with_cli=True, KVCLOUD_VARIANT="2",
    )  # fmt: skip
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "DRIFT account/create-bucket (after): $ kvcloud buckets" in changed.stdout
    assert "  -NAME ID KEYS CREATED\n  +BUCKET ID KEYS CREATED" in changed.stdout
    assert "drifted" in changed.stdout.splitlines()[-1]
    no_live = workshop("test", str(recorded), "--against-recordings", home=tmp_path / "c")
    assert no_live.returncode != 0 and "add --live" in no_live.stderr


def test_record_needs_the_real_program(tmp_path: Path) -> None:
    done = workshop("record", str(EXAMPLE), home=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "kvcloud is not on PATH" in done.stderr


def test_a_broken_recording_is_named_not_a_traceback(recorded: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(recorded, copy)
    (copy / "recordings" / "data.yaml").write_text("- argv: []\n")
    done = _bash(copy, tmp_path, 'kvcloud get notes greeting; echo "exit=$?"\n')
    assert "exit=1" in done.stdout and "Traceback" not in done.stderr
    assert "kvcloud: the offline recording cannot be read: " in done.stderr
    assert "data.yaml: entry 1: 'argv' must be a non-empty list of strings" in done.stderr
    lint = workshop("lint", str(copy), home=tmp_path / "h")
    assert lint.returncode == 1
    assert "data.yaml:1: entry 1: 'argv' must be a non-empty list" in lint.stdout + lint.stderr


def test_recording_one_lesson_leaves_the_others_alone(recorded: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(recorded, copy)
    account = (copy / "recordings" / "account.yaml").read_text()
    data = (copy / "recordings" / "data.yaml").read_text()
    done = workshop(
        "record", str(copy), "--lesson", "data", home=tmp_path / "author", with_cli=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"wrote {copy / 'recordings' / 'data.yaml'} (7 calls)" in done.stdout
    assert "account.yaml" not in done.stdout
    assert (copy / "recordings" / "account.yaml").read_text() == account
    assert (copy / "recordings" / "data.yaml").read_text() != data  # new timestamps


def test_a_replayed_call_imports_almost_nothing(tmp_path: Path) -> None:
    """The shim's start-up is most of its cost: no YAML, no typing or re, no pathlib, once
    the mock home is prepared (the recordings are compiled then)."""
    script = (
        f'eval "$({shlex.quote(sys.executable)} -m workshop mock env --workshop '
        f'{shlex.quote(str(EXAMPLE))} --lesson data --home {shlex.quote(str(tmp_path / "m"))})"\n'
        "PYTHONPROFILEIMPORTTIME=1 kvcloud get notes greeting\n"
    )
    done = subprocess.run(
        ["bash", "--norc", "-c", script],
        env=env_for(tmp_path, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "workshop.mock.replayer" in modules, done.stderr
    heavy = {"yaml", "typing", "re", "pathlib", "json", "collections", "workshop.mock.cassette"}
    assert not modules & heavy, modules & heavy


def one_program_course(tmp_path: Path, program: str, script: str, manifest: str, page: str) -> str:
    """``tmp_path/course`` (its ``workshop.yaml`` and one lesson page, ``<id>.md`` as the
    manifest names it) recording ``program``, a shell script in ``tmp_path/bin``; the PATH
    that finds it."""
    import os
    import re

    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / program).write_text(f"#!/bin/sh\n{script}\n")
    (bindir / program).chmod(0o755)
    course = tmp_path / "course"
    course.mkdir()
    (course / "workshop.yaml").write_text(manifest)
    found = re.search(r"file: (\S+)", manifest)
    assert found is not None
    (course / found.group(1)).write_text(page)
    return f"{bindir}{os.pathsep}{os.environ['PATH']}"


def test_recording_says_when_a_command_it_cannot_see_changed_what_a_read_answers(
    tmp_path: Path,
) -> None:
    """``echo two > note.txt`` (echo is not recorded) changes what the recorded ``peek``
    prints while the replay's state stays put: both answers would share one state and the
    replay could only give the first. ``workshop record`` says so and exits 1 (it wrote a
    recording that fails offline and said everything passed)."""
    course = tmp_path / "course"
    path = one_program_course(
        tmp_path, "peek", "cat note.txt 2>/dev/null || echo nothing",
        "title: Notes\nrecorded: [peek]\nlessons:\n  - id: notes\n    file: notes.md\n"
        "    steps:\n      write:\n        checks:\n          - command: peek\n"
        '            matches: "one"\n',
        "# Notes\n\nWrite one:\n\n```sh {id=write}\n$ echo one > note.txt\n```\n",
    )  # fmt: skip
    done = workshop("record", str(course), home=tmp_path / "home", PATH=path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 0 failed" in done.stdout  # the live run itself went well
    said = " ".join(done.stderr.split())
    assert "notes: `peek` at write (after) answered otherwise than at write (before)" in said
    assert "add that program to `recorded:`" in said
    assert "Traceback" not in done.stderr


def test_a_replayed_answer_names_the_learners_folder_not_the_recording_sandbox(
    tmp_path: Path,
) -> None:
    """``git init`` says where it made the repository: recorded in ``workshop record``'s
    sandbox, that path is the learner's own work folder when replayed (it showed the
    sandbox's temporary folder, gone since)."""
    course = tmp_path / "course"
    path = one_program_course(
        tmp_path, "where", 'echo "Initialized in $(pwd)/.repo/"',
        "title: Where\nrecorded: [where]\nlessons:\n  - id: here\n    file: here.md\n",
        "# Here\n\nRun it:\n\n```sh\n$ where\n```\n",
    )  # fmt: skip
    done = workshop("record", str(course), home=tmp_path / "home", PATH=path)
    assert done.returncode == 0, done.stdout + done.stderr
    recording = (course / "recordings" / "here.yaml").read_text()
    assert "workshop-test-" not in recording and "{{WORKSHOP_WORK_DIR}}/.repo/" in recording
    home = tmp_path / "learner"
    ran = workshop("run", "--plain", str(course), home=home, stdin="where\n")
    work = home / ".workshop" / "state" / "mock" / "course" / "work"
    assert f"Initialized in {work}/.repo/" in ran.stdout, ran.stdout + ran.stderr


def test_an_answer_the_recording_did_not_give_is_refused(recorded: Path, tmp_path: Path) -> None:
    """At a recorded prompt the learner answers otherwise (``bob``, not ``ada``): the replay
    cannot know what the real program would do, so it says so and fails without moving on
    (it played the recorded ``OK logged in as ada``)."""
    script = (
        "printf 'bob\\nx\\n' | kvcloud login; echo exit=$?\n"
        "printf 'ada\\nx\\n' | kvcloud login; echo exit=$?\n"
    )
    done = _bash(recorded, tmp_path, script, lesson="account")
    first, second = done.stdout.split("exit=", 1)[0], done.stdout.split("exit=", 1)[1]
    assert "logged in as" not in first and second.startswith("1\n"), done.stdout
    assert "kvcloud: error: the offline recording answered `ada` here, not `bob`" in done.stderr, (
        done.stderr
    )
    assert "OK logged in as ada" in second and second.rstrip().endswith("exit=0")
