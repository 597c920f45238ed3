"""``workshop mock state`` and ``mock stop`` find the home ``mock env`` made for a workshop,
whose id is the folder name slugged (``My Course`` → ``my-course``)."""

from __future__ import annotations

from pathlib import Path

from engine_support import cli, copy_course, stop_router


def test_state_and_stop_use_the_workshop_id_not_the_folder_name(tmp_path: Path) -> None:
    home = tmp_path / "home"
    course = tmp_path / "My Course"
    copy_course(course)
    try:
        made = cli("mock", "env", "--workshop", str(course), home=home)
        assert made.returncode == 0, made.stderr
        assert (home / "state" / "mock" / "my-course").is_dir()

        state = cli("mock", "state", "--workshop", str(course), home=home)
        assert state.returncode == 0, state.stderr
        assert f"Mock home: {home / 'state' / 'mock' / 'my-course'}" in state.stdout
        assert not (home / "state" / "mock" / "My Course").exists()
    finally:
        stop_router(home, "my-course")
