"""``state.reset`` rewrites the learner's working folder in place."""

from __future__ import annotations

from pathlib import Path

from workshop.mock import state


def test_reset_keeps_the_working_folder_and_replaces_its_files(tmp_path: Path) -> None:
    home = tmp_path / "mock"
    start = {"files": {"manifest.yml": "applications: []\n", "target/app.jar": "jar"}}
    state.reset(home, start, None)
    work = home / "work"
    inode = work.stat().st_ino
    (work / "stray.txt").write_text("learner's file")
    (work / "manifest.yml").write_text("changed")
    state.reset(home, start, None)
    assert work.stat().st_ino == inode  # a shell standing in it is not left in a deleted folder
    assert sorted(str(p.relative_to(work)) for p in work.rglob("*")) == [
        "manifest.yml",
        "target",
        "target/app.jar",
    ]
    assert (work / "manifest.yml").read_text() == "applications: []\n"
