"""``workshop new``: the scaffold lints clean, passes ``workshop test`` and runs for a learner,
from a relative path and after the learner ``cd``s; it never overwrites an author's folder."""

from __future__ import annotations

from pathlib import Path

from authoring_support import workshop


def test_a_new_workshop_lints_clean_and_passes_its_own_test(tmp_path: Path) -> None:
    made = workshop("new", "my-course", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "workshop test my-course" in made.stdout and "workshop schema" in made.stdout
    assert (tmp_path / "my-course" / "workshop.yaml").is_file()
    linted = workshop("lint", "my-course", cwd=tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    tested = workshop("test", "my-course", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "2 passed, 0 failed" in tested.stdout
    assert 'title: "My Course"' in (tmp_path / "my-course" / "workshop.yaml").read_text()


def test_a_learner_who_cds_still_gets_its_script_check(tmp_path: Path) -> None:
    assert workshop("new", "course", cwd=tmp_path).returncode == 0
    run = workshop(
        "run", "course", "--live", "--plain", cwd=tmp_path,
        stdin="mkdir -p project\ncd project\necho hello > greeting.txt\n",
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "could not run" not in run.stdout
    assert run.stdout.count("✔ Step passed.") == 2 and "Lesson complete" in run.stdout


def test_new_never_writes_into_a_folder_that_holds_something(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.md").write_text("mine\n")
    refused = workshop("new", "taken", cwd=tmp_path)
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.md"]
