"""Cassettes: ``workshop record`` of a real command, then the mock replaying it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from env_support import bash, workshop

from workshop.mock import cassette, replay
from workshop.mock import state as mock_state
from workshop.paths import bundled_workshop

FAKE_CF = """#!/bin/sh
printf 'Getting apps in org %s...\\n' "$1"
sleep 0.3
printf 'OK\\n\\n\\033[1mname\\033[0m   requested state\\n'
exit 3
"""


@pytest.fixture
def fake_cf(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH finds a real program called ``cf`` (not the mock)."""
    bin_dir = tmp_path / "real-bin"
    bin_dir.mkdir()
    (bin_dir / "cf").write_text(FAKE_CF)
    (bin_dir / "cf").chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def _state(space: str = "development") -> dict:
    state = mock_state.initial_state({"user": "u", "org": "o", "space": space}, None)
    return state


def test_record_then_replay_round_trip(
    tmp_path: Path, fake_cf: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cassettes"
    out = folder / "apps.yaml"
    done = workshop("record", "--out", str(out), "--", "cf", "apps", env=fake_cf)
    assert done.returncode == 3
    assert "Getting apps in org apps..." in done.stdout  # shown live
    entries = cassette.parse(out)
    assert entries[0]["argv"] == ["cf", "apps"] and entries[0]["exit"] == 3
    assert len(entries[0]["chunks"]) == 2 and entries[0]["chunks"][1][0] >= 0.25

    home = tmp_path / "home"
    monkeypatch.setenv("WORKSHOP_MOCK_RECORDINGS", str(folder))
    chosen = replay.choose(home, ["cf", "apps"], _state(), "simulated\n", 3)
    assert chosen is not None
    chunks, code = chosen
    assert code == 3
    assert "".join(text for _, text in chunks) == (
        "Getting apps in org apps...\nOK\n\nname   requested state\n"  # no colour: not a tty
    )
    assert all(delay == 0 for delay, _ in chunks)
    monkeypatch.setenv("WORKSHOP_MOCK_SPEED", "recorded")
    chunks, _ = replay.choose(home, ["cf", "apps"], _state(), "simulated\n", 3) or ([], 0)
    assert chunks[1][0] >= 0.25
    # another exit code in the simulation, or other words: the simulation is shown
    assert replay.choose(home, ["cf", "apps"], _state(), "simulated\n", 0) is None
    assert replay.choose(home, ["cf", "apps", "-v"], _state(), "simulated\n", 3) is None


def test_recording_in_a_mock_shell_keeps_the_target_as_precondition(
    tmp_path: Path, fake_cf: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    mock_state.save(home, _state("development"))
    out = tmp_path / "cassettes" / "c.yaml"
    out.parent.mkdir()
    out.write_text("# my cassette\n")
    env = {**fake_cf, "WORKSHOP_MOCK_HOME": str(home)}
    assert workshop("record", "--out", str(out), "--", "cf", "apps", env=env).returncode == 3
    assert out.read_text().startswith("# my cassette\n")
    assert cassette.parse(out)[0]["when"] == {"org": "o", "space": "development"}
    monkeypatch.setenv("WORKSHOP_MOCK_RECORDINGS", str(out.parent))
    assert replay.choose(home, ["cf", "apps"], _state("development"), "", 3) is not None
    assert replay.choose(home, ["cf", "apps"], _state("production_test"), "", 3) is None


def test_record_errors(tmp_path: Path) -> None:
    done = workshop("record", "--out", str(tmp_path / "x.yaml"), "--", "no-such-program-xyz")
    assert done.returncode != 0 and "command not found: no-such-program-xyz" in done.stderr
    done = workshop("record", "--out", str(tmp_path / "x.yaml"))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    (tmp_path / "a-file").write_text("")
    done = workshop("record", "--out", str(tmp_path / "a-file" / "x.yaml"), "--", "true")
    assert done.returncode != 0 and "cannot write the cassette" in done.stderr


def sim_push(warm: bool) -> str:
    """What the simulation prints for the course's push (512M, its buildpack named)."""
    from workshop.mock.cf.buildpacks import staging_lines

    staging = "\n".join(staging_lines(512, auto_detect=False, warm_cache=warm))
    return (
        "Using manifest file /w/manifest.yml\n\n"
        "Creating app workshop-12f-stock in org o / space production_test as u...\nOK\n\n"
        "Starting app workshop-12f-stock in org o / space production_test as u...\n"
        f"{staging}\n\n0 of 1 instances running, 1 starting\n1 of 1 instances running\n\n"
        "App started\n"
    )


def test_shipped_push_recording_is_the_simulation_with_its_timing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The course's push recording is made of slices of the simulation: what it shows is
    what the state says (memory, a cold or warm cache), with the recorded delays."""
    monkeypatch.setenv("WORKSHOP_MOCK_RECORDINGS", str(bundled_workshop() / "recordings"))
    monkeypatch.setenv("WORKSHOP_MOCK_SPEED", "recorded")
    for warm in (False, True):
        simulated = sim_push(warm)
        for argv in (["cf", "push"], ["cf", "push", "-n", "workshop-12f-stock-production_test"]):
            chosen = replay.choose(tmp_path, argv, _state(), simulated, 0)
            assert chosen is not None, argv
            assert "".join(t for _, t in chosen[0]) == simulated
            assert sum(delay for delay, _ in chosen[0]) > 20  # a PWS staging's pace
    assert replay.choose(tmp_path, ["cf", "push"], _state(), sim_push(False), 1) is None
    # a simulation without the lines the slices need is shown as it is
    assert replay.choose(tmp_path, ["cf", "push"], _state(), "FAILED\n", 0) is None


def test_argv_templates() -> None:
    assert replay.match_argv(["push", "-n", "{{host}}"], ["push", "-n", "h1"]) == {"host": "h1"}
    assert replay.match_argv(["x-{{a}}-y", "{{a}}"], ["x-1-y", "1"]) == {"a": "1"}
    assert replay.match_argv(["x-{{a}}-y", "{{a}}"], ["x-1-y", "2"]) is None
    assert replay.match_argv(["push"], ["push", "-n", "h"]) is None


def test_cache_skips_yaml_and_follows_edits(tmp_path: Path) -> None:
    file = tmp_path / "c.yaml"
    file.write_text('- argv: [cf, apps]\n  chunks: [[0, "one\\n"]]\n')
    cache = tmp_path / "cache"
    code = (
        "import sys; from pathlib import Path; from workshop.mock import cassette;"
        "e = cassette.load(Path(sys.argv[1]), Path(sys.argv[2]));"
        "print(e[0]['chunks'][0][1].strip(), 'yaml' in sys.modules)"
    )
    run = [sys.executable, "-c", code, str(file), str(cache)]
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout == "one True\n"
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout == "one False\n"
    file.write_text('- argv: [cf, apps]\n  chunks: [[0, "two, longer\\n"]]\n')
    assert (
        subprocess.run(run, capture_output=True, text=True, check=True).stdout
        == "two, longer True\n"
    )


def test_a_broken_cassette_never_breaks_the_mock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.yaml").write_text("- argv: [cf\n")
    (tmp_path / "worse.yaml").write_text("- {argv: 3}\n")
    monkeypatch.setenv("WORKSHOP_MOCK_RECORDINGS", str(tmp_path))
    assert replay.choose(tmp_path / "home", ["cf", "apps"], _state(), "", 0) is None
    with pytest.raises(cassette.CassetteError, match="worse.yaml: entry 1"):
        cassette.parse(tmp_path / "worse.yaml")


def test_the_mock_cf_replays_a_cassette(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "cassettes"
    folder.mkdir()
    (folder / "t.yaml").write_text(
        "- argv: [cf, target]\n  when: {space: development}\n  exit: 0\n"
        '  chunks: [[0, "recorded target for {{USER}} in {{SPACE}}\\n"]]\n'
    )
    script = (
        f'eval "$({shlex.quote(sys.executable)} -m workshop mock env --home {shlex.quote(str(home))}'
        ' --lesson dev-prod-parity)"\n'
        f"export WORKSHOP_MOCK_RECORDINGS={shlex.quote(str(folder))}\n"
        "cf target; cf target -s development >/dev/null; cf target\n"
    )
    done = bash(script)
    assert done.stdout == "recorded target for user_name in development\n" * 2, done.stdout


def test_choose_never_raises_on_odd_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    monkeypatch.setenv("WORKSHOP_MOCK_RECORDINGS", str(bundled_workshop() / "recordings"))
    words = st.lists(
        st.sampled_from(["cf", "push", "-n", "{{host}}", "x", "", "{{", "}}"])
        | st.text(max_size=5),
        max_size=5,
    )
    states = st.sampled_from([{}, {"session": None}, {"session": {"org": "o"}}, _state()])

    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(argv=words, state=states, output=st.text(max_size=200), code=st.integers(-1, 3))
    def check(argv: list[str], state: dict, output: str, code: int) -> None:
        result = replay.choose(tmp_path, ["cf", *argv], state, output, code)
        if result is not None:
            assert all(isinstance(t, str) for _, t in result[0])

    check()


def test_recording_one_command_redacts_its_secrets(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "tool").write_text("#!/bin/sh\necho 'token: abcdef0123456789'\n")
    (bin_dir / "tool").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    out = tmp_path / "r.yaml"
    done = workshop("record", "--out", str(out), "--", "tool", "--password", "hunter22", env=env)
    assert done.returncode == 0, done.stderr
    (entry,) = cassette.parse(out)
    assert entry["argv"] == ["tool", "--password", "{{secret}}"]
    assert entry["chunks"][0][1] == "token: <redacted>\n"
    assert "hunter22" not in out.read_text() and "abcdef0123456789" not in out.read_text()


def test_the_shipped_push_recording_agrees_with_the_state(tmp_path: Path) -> None:
    """In a mock shell of the course, `cf push` with the recordings prints what it prints
    without them: the 512M app's memory line (as chapter 6 of the original shows it), the
    warm cache of a re-push (the lesson's app was pushed before)."""
    outputs = []
    for name, recordings in (("first", True), ("other", False)):
        home = tmp_path / name / "home"  # the same length: the manifest's path is printed
        script = (
            f'eval "$({shlex.quote(sys.executable)} -m workshop mock env'
            f' --home {shlex.quote(str(home))} --lesson dev-prod-parity)"\n'
            + ("" if recordings else "unset WORKSHOP_MOCK_RECORDINGS\n")
            + "export WORKSHOP_MOCK_CLOCK=1457000000\n"  # the same "last uploaded" time
            + "cf target -s development >/dev/null\ncf push\n"
        )
        done = bash(script)
        assert done.returncode == 0, done.stdout + done.stderr
        # the one random word of a push: the folder a jar is unzipped to, as in real cf
        shown = re.sub(r"unzipped-app\d+", "unzipped-app", done.stdout.replace(str(home), "HOME"))
        outputs.append(shown)
    assert outputs[0] == outputs[1]
    assert "Memory Settings: -Xss1M -Xmx382293K -XX:MaxMetaspaceSize=64M -Xms382293K" in outputs[0]
    assert "openjdk-1.8.0_73.tar.gz (found in cache)" in outputs[0]


def test_a_recorded_command_ends_its_own_pipes_as_in_a_terminal(tmp_path: Path) -> None:
    """The command gets SIGPIPE at its default, as from a terminal: ``workshop`` is Python,
    which ignores it, and the recording said "Broken pipe" where the terminal says nothing."""
    out = tmp_path / "r.yaml"
    script = 'yes | head -1; echo "yes ended with ${PIPESTATUS[0]}"'
    done = workshop("record", "--out", str(out), "--", "bash", "-c", script)
    assert done.returncode == 0, done.stderr
    (entry,) = cassette.parse(out)
    assert "".join(text for _, text in entry["chunks"]) == "y\nyes ended with 141\n"
