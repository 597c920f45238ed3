"""Checkpoints of a mock home folder: capture at a step's start, restore on reset."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from workshop import paths
from workshop.progress import ProgressStore, checkpoints

W = "12factor"


def make_mock_home() -> Path:
    home = paths.mock_home(W)
    (home / "work" / "app" / "target").mkdir(parents=True)
    (home / "state.json").write_text(
        json.dumps({"space": "development", "spaces": ["development"]})
    )
    (home / "work" / "app" / "manifest.yml").write_text(
        "applications:\n- name: workshop-12f-stock\n"
    )
    (home / "work" / "app" / "target" / "stock.jar").write_bytes(bytes(range(256)) * 40)
    (home / "data").mkdir()
    (home / "data" / "db-guid.json").write_text('{"items": [], "next_id": 1}')
    (home / "router.log").write_text("not part of a checkpoint\n")
    return home


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_checkpoint_and_restore_a_mock_home(isolated_home: Path) -> None:
    home = make_mock_home()
    assert home.is_relative_to(isolated_home)
    before_state = (home / "state.json").read_bytes()
    before_work = tree(home / "work")
    before_data = tree(home / "data")
    with ProgressStore() as store:
        assert store.checkpoint(W, "dev-prod", "create-space", home)
        # the step changes the simulated foundation and the learner's files
        (home / "state.json").write_text(json.dumps({"space": "production_test"}))
        (home / "work" / "app" / "manifest.yml").write_text("changed\n")
        (home / "work" / "app" / "target" / "stock.jar").unlink()
        (home / "work" / "notes.txt").write_text("new file\n")
        (home / "data" / "db-guid.json").write_text('{"items": [{"id": 1}], "next_id": 2}')
        (home / "router.log").write_text("still running\n")
        assert store.restore(W, "dev-prod", "create-space", home)
    assert (home / "state.json").read_bytes() == before_state
    assert tree(home / "work") == before_work
    assert tree(home / "data") == before_data
    assert (home / "router.log").read_text() == "still running\n", "other files are left alone"
    assert sorted(p.name for p in home.iterdir()) == [
        "data",
        "router.log",
        "state.json",
        "state.lock",
        "work",
    ]


def test_first_checkpoint_of_a_step_is_kept_unless_replaced(isolated_home: Path) -> None:
    home = make_mock_home()
    with ProgressStore() as store:
        assert store.checkpoint(W, "l", "s", home)
        (home / "state.json").write_text("{}")
        assert not store.checkpoint(W, "l", "s", home), "resuming a step must not move its start"
        store.restore(W, "l", "s", home)
        assert json.loads((home / "state.json").read_text())["space"] == "development"
        (home / "state.json").write_text("{}")
        assert store.checkpoint(W, "l", "s", home, replace=True)
        store.restore(W, "l", "s", home)
        assert (home / "state.json").read_text() == "{}"
        assert not store.restore(W, "l", "never", home)


def test_parts_missing_at_checkpoint_are_emptied_on_restore(isolated_home: Path) -> None:
    home = paths.mock_home(W)
    home.mkdir(parents=True)
    with ProgressStore() as store:
        store.checkpoint(W, "l", "fresh", home)
        (home / "state.json").write_text("{}")
        (home / "work").mkdir()
        (home / "work" / "f").write_text("x")
        store.restore(W, "l", "fresh", home)
    assert not (home / "state.json").exists()
    # the folder itself stays (a shell may stand in it), emptied of what it did not hold
    assert not any((home / "work").iterdir())


def test_reset_step_rewinds_the_mock_and_drops_later_checkpoints(isolated_home: Path) -> None:
    home = make_mock_home()
    with ProgressStore() as store:
        store.start_step(W, "dev-prod", "create-space")
        store.checkpoint(W, "dev-prod", "create-space", home)
        (home / "state.json").write_text(
            json.dumps({"space": "development", "spaces": ["development", "production_test"]})
        )
        store.start_step(W, "dev-prod", "target-space")
        store.checkpoint(W, "dev-prod", "target-space", home)
        (home / "state.json").write_text(json.dumps({"space": "production_test"}))
        assert store.reset_step(W, "dev-prod", "create-space", home)
        assert json.loads((home / "state.json").read_text()) == {
            "space": "development",
            "spaces": ["development"],
        }
        assert store.has_checkpoint(W, "dev-prod", "create-space")
        assert not store.has_checkpoint(W, "dev-prod", "target-space")
        # reset all goes back to the oldest checkpoint and forgets everything
        store.start_step(W, "dev-prod", "create-space")
        (home / "state.json").write_text("{}")
        assert store.reset_all(W, home)
        assert json.loads((home / "state.json").read_text())["space"] == "development"
        assert not store.has_checkpoint(W, "dev-prod", "create-space")


def test_restore_keeps_the_working_folder_a_shell_stands_in(isolated_home: Path) -> None:
    home = paths.mock_home(W)
    (home / "work").mkdir(parents=True)
    (home / "work" / "manifest.yml").write_text("before")
    inode = (home / "work").stat().st_ino
    with ProgressStore() as store:
        store.checkpoint(W, "l", "s", home)
        (home / "work" / "manifest.yml").write_text("after")
        (home / "work" / "extra").write_text("x")
        store.restore(W, "l", "s", home)
    assert (home / "work").stat().st_ino == inode
    assert sorted(p.name for p in (home / "work").iterdir()) == ["manifest.yml"]
    assert (home / "work" / "manifest.yml").read_text() == "before"


def without_extraction_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``tarfile`` what Python 3.11 was before 3.11.4 (Debian 12's 3.11.2): no
    extraction filters, ``extractall`` without a ``filter`` argument."""
    extractall = tarfile.TarFile.extractall

    def old_extractall(self: tarfile.TarFile, path: str | Path = ".", **options: object) -> None:
        if "filter" in options:
            raise TypeError("TarFile.extractall() got an unexpected keyword argument 'filter'")
        extractall(self, path, **options)  # type: ignore[arg-type]

    monkeypatch.delattr(tarfile, "data_filter", raising=False)  # absent before 3.11.4
    monkeypatch.setattr(tarfile.TarFile, "extractall", old_extractall)


def test_a_python_without_extraction_filters_restores_too(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_extraction_filters(monkeypatch)
    home = make_mock_home()
    before = tree(home / "work")
    with ProgressStore() as store:
        assert store.checkpoint(W, "dev-prod", "create-space", home)
        (home / "work" / "app" / "manifest.yml").write_text("changed\n")
        assert store.restore(W, "dev-prod", "create-space", home)
    assert tree(home / "work") == before


def archive_with(*members: tuple[str, bytes | str]) -> bytes:
    """A gzip'd tar of ``(name, file bytes | symlink target)`` members."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, body in members:
            info = tarfile.TarInfo(name)
            if isinstance(body, str):
                info.type, info.linkname = tarfile.SYMTYPE, body
                archive.addfile(info)
            else:
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()


@pytest.mark.parametrize("filters", ["with filters", "without filters"])
@pytest.mark.parametrize(
    "members",
    [
        [("work/ok.txt", b"ok"), ("work/../../outside.txt", b"escaped")],
        [("/tmp/absolute.txt", b"escaped")],
        [("work/link", "../../.."), ("work/ok.txt", b"ok")],
    ],
    ids=["dot-dot", "absolute", "link-out"],
)
def test_a_checkpoint_that_would_write_outside_the_mock_home_is_refused(
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    filters: str,
    members: list[tuple[str, bytes | str]],
) -> None:
    if filters == "without filters":
        without_extraction_filters(monkeypatch)
    home = make_mock_home()
    before = tree(home / "work")
    with pytest.raises(tarfile.TarError):
        checkpoints.restore(home, checkpoints.Snapshot(None, archive_with(*members)))
    assert tree(home / "work") == before, "nothing of a refused archive is restored"
    assert not (home.parent / "outside.txt").exists()
