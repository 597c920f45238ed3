"""workshop.mock.state: seeding from a lesson's start block, atomic locked writes, logs,
and two cf processes at once."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cf_support import cf, cf_command, cf_env, dev_prod_start

from workshop.errors import WorkshopError
from workshop.mock import state as st
from workshop.mock.router.control import python_environment


def test_fresh_account_without_start_block() -> None:
    state = st.initial_state(None, None)
    assert state["api"] == {
        "url": "https://api.run.pivotal.io",
        "version": "2.46.0",
        "skip_ssl": False,
    }
    assert state["session"] == {"user": None, "org": None, "space": None}
    assert list(state["orgs"]) == ["your-org"]
    assert state["orgs"]["your-org"]["spaces"]["development"]["apps"] == {}
    assert state["users"] == {"user_name": "password"} and state["domain"] == "cfapps.io"


def test_dev_prod_parity_start_block() -> None:
    start, settings = dev_prod_start()
    state = st.initial_state(start, settings)
    assert state["session"] == {"user": "user_name", "org": "your-org", "space": "development"}
    space = state["orgs"]["your-org"]["spaces"]["development"]
    assert {
        k: (v["service"], v["plan"], v["bound_apps"]) for k, v in space["services"].items()
    } == {
        "mysql": ("cleardb", "spark", ["workshop-12f-stock"]),
        "redis": ("rediscloud", "30mb", ["workshop-12f-stock"]),
    }
    app = space["apps"]["workshop-12f-stock"]
    assert app["state"] == "started" and app["memory"] == 512 and app["instances"] == 2
    assert app["env"] == app["running_env"] == {"environment.variable": "some_value"}
    assert app["routes"] == ["workshop-12f-stock.cfapps.io"]
    assert len(app["instance_addrs"]) == 2 and app["instance_addrs"][0] != app["instance_addrs"][1]
    assert state["routes"]["workshop-12f-stock.cfapps.io"]["apps"] == ["workshop-12f-stock"]
    assert json.loads(st.dumps(state)) == state


def test_reset_writes_state_config_and_work_files(tmp_path: Path) -> None:
    start, settings = dev_prod_start()
    home = tmp_path / "home"
    (home / "work").mkdir(parents=True)
    (home / "work" / "stale.txt").write_text("old")
    st.reset(home, start, settings)
    assert st.load(home)["session"]["space"] == "development"
    assert (home / "work" / "manifest.yml").read_text().startswith("---\napplications:")
    assert (home / "work" / "target" / "stock-1.0-SNAPSHOT.jar").is_file()
    assert not (home / "work" / "stale.txt").exists()
    config = json.loads((home / ".cf" / "config.json").read_text())
    assert list(config)[:3] == ["ConfigVersion", "Target", "ApiVersion"]
    assert config["SpaceFields"]["Name"] == "development" and config["AccessToken"].startswith(
        "bearer "
    )
    with pytest.raises(WorkshopError, match="relative path"):
        st.reset(home, {"files": {"../escape.txt": "x"}}, None)


def test_transaction_saves_changes_and_discards_failures(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert st.load(home)["session"]["user"] is None  # nothing stored yet: a fresh foundation
    with st.transaction(home) as state:
        state["session"]["user"] = "user_name"
    assert st.load(home)["session"]["user"] == "user_name"
    with pytest.raises(RuntimeError), st.transaction(home) as state:
        state["session"]["user"] = "someone-else"
        raise RuntimeError("boom")
    assert st.load(home)["session"]["user"] == "user_name"
    assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]


def test_append_log_sequence_and_limit(tmp_path: Path) -> None:
    start, settings = dev_prod_start()
    state = st.initial_state(start, settings)
    for i in range(3 * st.LOG_LIMIT + 5):
        st.append_log(
            state,
            "your-org",
            "development",
            "workshop-12f-stock",
            "RTR/0",
            f"line {i}",
            when=1.0 + i,
        )
    st.append_log(state, "your-org", "development", "gone", "RTR/0", "ignored")
    st.save(tmp_path, state)
    app = state["orgs"]["your-org"]["spaces"]["development"]["apps"]["workshop-12f-stock"]
    saved = (tmp_path / st.STATE_FILE).read_text()
    assert "line 1" not in saved and "_pending" not in saved  # the logs live apart
    logs = st.read_logs(tmp_path, app)
    assert len(logs) == st.LOG_LIMIT
    assert logs[-1] == {
        "seq": 3 * st.LOG_LIMIT + 5,
        "time": 3 * st.LOG_LIMIT + 5.0,
        "source": "RTR/0",
        "stream": "OUT",
        "line": f"line {3 * st.LOG_LIMIT + 4}",
    }
    log_file = tmp_path / "logs" / f"{app['guid']}.jsonl"
    assert len(log_file.read_text().splitlines()) <= 2 * st.LOG_LIMIT  # bounded on disk


def test_parse_megabytes() -> None:
    assert [st.parse_megabytes(v) for v in ("512M", "1G", "2GB", "256mb", 128, "junk")] == [
        512,
        1024,
        2048,
        256,
        128,
        1024,
    ]


def test_two_cf_processes_at_once_do_not_corrupt_state(tmp_path: Path) -> None:
    start, settings = dev_prod_start()
    home = tmp_path / "home"
    st.reset(home, start, settings)
    env = python_environment(cf_env(home))
    procs = []
    for i in range(6):
        args = (
            ["create-space", f"space-{i}"]
            if i % 2
            else ["set-env", "workshop-12f-stock", f"VAR_{i}", str(i)]
        )
        procs.append(
            subprocess.Popen(
                cf_command(*args),
                env=env,
                cwd=home,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0 and err == b"", (out, err)
    state = json.loads((home / "state.json").read_text())
    spaces = state["orgs"]["your-org"]["spaces"]
    assert {"space-1", "space-3", "space-5"} <= set(spaces)
    env_vars = spaces["development"]["apps"]["workshop-12f-stock"]["env"]
    assert {"VAR_0": "0", "VAR_2": "2", "VAR_4": "4"}.items() <= env_vars.items()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{not json", "it is not valid JSON ("),
        (b"\xff\xfe\x00junk\x81", "it is not text"),
        (b"[]", "it holds an array, not an object (a mock state)"),
        (b"null", "it holds null, not an object (a mock state)"),
        (b'{"version": 99}', "its version is 99, not 1"),
        (b'{"version": 1}', "it lacks the foundation's orgs"),
        (b'{"version": 1, "orgs": {}, "session": "x"}', "`session` is a string, not object"),
        (b"", "it is not valid JSON ("),
    ],
)
def test_a_corrupt_state_file_is_reported_not_a_traceback(
    home: Path, content: bytes, why: str
) -> None:
    (home / "state.json").write_bytes(content)
    with pytest.raises(st.StateError, match="workshop mock reset"):
        st.load(home)
    for command in ("apps", "target", "push"):
        out, code = cf(home, command)
        assert code == 1, command
        assert out.startswith(
            f"FAILED\nThe offline foundation's state {home / 'state.json'} is damaged: {why}"
        )
        assert out.endswith("Run `workshop mock reset` to restore the lesson's starting state.\n")
    assert (home / "state.json").read_bytes() == content  # nothing overwritten


@pytest.mark.parametrize(
    ("command", "damage", "why"),
    [
        (
            "target",
            lambda s: s["session"].update(space=5),
            "`session.space` is a number, not string or null",
        ),
        (
            "apps",
            lambda s: s["orgs"]["your-org"]["spaces"]["development"]["apps"][
                "workshop-12f-stock"
            ].update(instances="many"),
            "`orgs.your-org.spaces.development.apps.workshop-12f-stock.instances` is a string,"
            " not number",
        ),
        ("map-route", lambda s: s.update(routes=[]), "`routes` is an array, not object"),
    ],
)
def test_a_state_field_of_the_wrong_type_is_reported_as_a_damaged_state(
    home: Path, command: str, damage: Callable[[dict[str, Any]], None], why: str
) -> None:
    """A state with the right outline and a field of the wrong type (edited by hand): the
    command that trips over it says the state is damaged and how to repair it, not an
    internal error of the mock."""
    state = json.loads((home / "state.json").read_text())  # the lesson's start: an app runs
    damage(state)
    (home / "state.json").write_text(json.dumps(state))
    args = {"map-route": [command, "workshop-12f-stock", "cfapps.io", "-n", "x"]}.get(
        command, [command]
    )
    out, code = cf(home, *args, WORKSHOP_MOCK_DEBUG="")  # as learners run it
    assert code == 1
    assert out.startswith(
        f"FAILED\nThe offline foundation's state {home / 'state.json'} is damaged: {why}."
    ), out
    assert "Internal error" not in out


@pytest.mark.parametrize(
    "args", [["apps"], ["map-route", "workshop-12f-stock", "cfapps.io", "-n", "x"]]
)
def test_a_command_that_fails_on_a_field_of_the_wrong_type_says_the_state_is_damaged(
    home: Path, args: list[str]
) -> None:
    """A command that reads the field as nothing fails in its own words ("No space
    targeted"); the state being damaged is said after them, with the field and the repair."""
    state = json.loads((home / "state.json").read_text())
    state["session"]["space"] = 5
    (home / "state.json").write_text(json.dumps(state))
    out, code = cf(home, *args, WORKSHOP_MOCK_DEBUG="")
    assert code == 1
    assert out.startswith("FAILED\n"), out
    assert "damaged: `session.space` is a number, not string or null." in out
    assert out.endswith("Run `workshop mock reset` to restore the lesson's starting state.\n")


def test_a_failing_command_on_a_sound_state_says_nothing_of_damage(home: Path) -> None:
    out, code = cf(home, "app", "no-such-app", WORKSHOP_MOCK_DEBUG="")
    assert code == 1 and "not found" in out
    assert "damaged" not in out
