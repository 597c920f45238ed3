"""The folders of earlier test runs go while a run goes on; the run's own and the runs
still going on (locked) stay."""

from __future__ import annotations

import fcntl
from pathlib import Path

from old_runs import LOCK_NAME, OLD_PREFIX, old_runs, remove_in_background


def runs(root: Path, *numbers: int, locked: tuple[int, ...] = ()) -> None:
    for number in numbers:
        (root / f"pytest-{number}" / "popen-gw0" / "test_x").mkdir(parents=True)
        if number in locked:
            (root / f"pytest-{number}" / ".lock").touch()


def test_the_runs_pytest_would_remove_at_the_end_are_removed_now(tmp_path: Path) -> None:
    runs(tmp_path, 7, 8, 9, 10, 11, 12, locked=(8, 12))
    (tmp_path / f"{OLD_PREFIX}pytest-3-0123abcd").mkdir()  # an earlier run's, unfinished
    assert {p.name for p in old_runs(tmp_path / "pytest-12", keep=3)} == {
        "pytest-7",
        "pytest-9",
        f"{OLD_PREFIX}pytest-3-0123abcd",
    }
    remover = remove_in_background(tmp_path / "pytest-12", keep=3)
    assert remover is not None and remover.wait(10) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        LOCK_NAME,
        "pytest-10",
        "pytest-11",
        "pytest-12",
        "pytest-8",
    ]


def test_a_run_that_keeps_no_folder_keeps_its_own(tmp_path: Path) -> None:
    runs(tmp_path, 1, 2)
    assert [p.name for p in old_runs(tmp_path / "pytest-2", keep=0)] == ["pytest-1"]
    assert remove_in_background(tmp_path / "pytest-1", keep=3) is None
    assert old_runs(tmp_path / "elsewhere", keep=3) == []


def test_folders_another_remover_is_removing_are_left_to_it(tmp_path: Path) -> None:
    runs(tmp_path, 5, 9)
    (tmp_path / f"{OLD_PREFIX}pytest-3-0123abcd").mkdir()  # another run's remover at work
    with open(tmp_path / LOCK_NAME, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as that remover holds it
        remover = remove_in_background(tmp_path / "pytest-9", keep=3)
        assert remover is not None and remover.wait(10) == 0
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            f"{OLD_PREFIX}pytest-3-0123abcd",
            LOCK_NAME,
            "pytest-9",
        ]


def test_the_remover_holds_the_lock_until_it_ends(tmp_path: Path) -> None:
    runs(tmp_path, 1, 5)
    remover = remove_in_background(tmp_path / "pytest-5", keep=3)
    assert remover is not None
    with open(tmp_path / LOCK_NAME, "a") as lock:
        remover.wait(10)
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once it has ended
