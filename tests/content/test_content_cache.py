"""The cache of loaded workshops (``workshop.content.cache``): used while nothing changed,
never once a file, the environment's template variables or the entry itself did."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from content_support import SEED_WORKSHOP

from workshop.content import cache, loader
from workshop.content.cache import entry_path, load_workshop_cached


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This module's tests start from an empty cache of their own, not the suite's."""
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the bundled course that the test may edit."""
    return Path(shutil.copytree(SEED_WORKSHOP, tmp_path / "12factor"))


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every real load of a workshop (the loader, not the cache)."""
    seen: list[Path] = []
    real = loader.load_workshop

    def counting(path: Path | str, strict: bool = True):  # type: ignore[no-untyped-def]
        seen.append(Path(path))
        return real(path, strict)

    monkeypatch.setattr(loader, "load_workshop", counting)
    return seen


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_one(
    course: Path, loads: list[Path]
) -> None:
    first = load_workshop_cached(course)
    second = load_workshop_cached(course)
    assert len(loads) == 1
    assert entry_path(course).is_file()
    assert second == first == loader.load_workshop(course, strict=False)
    assert second is not first


def test_an_edited_lesson_is_read_again(course: Path, loads: list[Path]) -> None:
    load_workshop_cached(course)
    page = course / "11_dev_prod_parity.md"
    page.write_text(page.read_text().replace("Dev/prod parity", "Parity, edited", 1))
    workshop = load_workshop_cached(course)
    assert len(loads) == 2
    assert workshop.lesson("dev-prod-parity").title.endswith("Parity, edited")


def test_an_edit_that_keeps_the_size_is_read_again(course: Path, loads: list[Path]) -> None:
    """Same size, another modification time: still another file."""
    load_workshop_cached(course)
    page = course / "11_dev_prod_parity.md"
    text = page.read_text()
    before = os.stat(page)
    page.write_text(text.replace("Dev/prod parity", "Dev/prod PARITY", 1))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert os.stat(page).st_size == before.st_size
    workshop = load_workshop_cached(course)
    assert len(loads) == 2
    assert "PARITY" in workshop.lesson("dev-prod-parity").title


def test_a_new_check_script_is_found(course: Path, loads: list[Path]) -> None:
    def scripts() -> int:
        step = load_workshop_cached(course).lesson("dev-prod-parity").steps[0]
        return sum(spec.kind == "script" for spec in step.checks)

    before = scripts()
    step_id = load_workshop_cached(course).lesson("dev-prod-parity").steps[0].id
    script = course / "checks" / "dev-prod-parity" / f"{step_id}.sh"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\nexit 0\n")
    assert scripts() == before + 1
    assert len(loads) == 2


def test_the_environment_s_template_variables_count(
    course: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``{{NAME}}`` only the environment fills in is a problem when it goes missing."""
    page = course / "11_dev_prod_parity.md"
    page.write_text(page.read_text() + "\nSee {{WORKSHOP_TEST_ONLY_HERE}}.\n")
    monkeypatch.setenv("WORKSHOP_TEST_ONLY_HERE", "set")
    assert not [p for p in load_workshop_cached(course).problems if "ONLY_HERE" in str(p)]
    monkeypatch.delenv("WORKSHOP_TEST_ONLY_HERE")
    problems = load_workshop_cached(course).problems
    assert len(loads) == 2
    assert [p for p in problems if "WORKSHOP_TEST_ONLY_HERE" in str(p)]
    monkeypatch.setenv("UNRELATED_TO_THE_COURSE", "x")  # other variables change nothing
    load_workshop_cached(course)
    assert len(loads) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_entry_is_replaced(course: Path, loads: list[Path], damage: bytes) -> None:
    expected = load_workshop_cached(course)
    entry_path(course).write_bytes(damage)
    assert load_workshop_cached(course) == expected
    assert len(loads) == 2
    assert load_workshop_cached(course) == expected
    assert len(loads) == 2


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loads: list[Path]
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(blocked))
    assert load_workshop_cached(course) == load_workshop_cached(course)
    assert len(loads) == 2


def test_other_code_means_another_entry(
    course: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry made by another version of the loader is not read back."""
    load_workshop_cached(course)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    load_workshop_cached(course)
    assert len(loads) == 2


def test_a_cached_start_imports_no_parser(course: Path) -> None:
    """The point of the cache: YAML, Markdown and the loader stay unimported."""
    code = (
        "import sys\n"
        "from workshop.content.cache import load_workshop_cached\n"
        f"w = load_workshop_cached({str(course)!r})\n"
        "print(len(w.lessons), sorted(m for m in ('yaml', 'markdown_it', 'msgspec',"
        " 'workshop.content.loader') if m in sys.modules))\n"
    )
    run = [sys.executable, "-c", code]
    first = subprocess.run(run, capture_output=True, text=True, check=True)
    second = subprocess.run(run, capture_output=True, text=True, check=True)
    assert first.stdout.split()[0] == "13"
    assert "yaml" in first.stdout
    assert second.stdout.strip() == "13 []"


def test_a_cached_problem_names_its_file_from_where_the_runner_now_stands(
    course: Path, monkeypatch: pytest.MonkeyPatch, loads: list[Path]
) -> None:
    """A problem's message is made again on reading, not kept as first printed."""
    page = course / "11_dev_prod_parity.md"
    page.write_text(page.read_text() + "\nSee {{WORKSHOP_TEST_NOWHERE}}.\n")
    monkeypatch.chdir(course)
    first = [str(p) for p in load_workshop_cached(course).problems]
    assert any(p.startswith("11_dev_prod_parity.md:") for p in first)
    monkeypatch.chdir(course.parent)
    cached = load_workshop_cached(course).problems
    assert len(loads) == 1
    assert [str(p) for p in cached] == [
        str(p) for p in loader.load_workshop(course, strict=False).problems
    ]
    problem = next(p for p in cached if p.variable == "WORKSHOP_TEST_NOWHERE")
    assert str(problem).startswith("12factor/11_dev_prod_parity.md:")
    assert problem.line and problem.file == page


def test_a_first_start_parses_the_course_in_a_child_process(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``workshop run`` forks the first parse while it imports Textual: the entry is made
    by another process, and the runner's own load then comes from it."""
    parsed_by = tmp_path / "parsed-by"
    real = loader.load_workshop

    def recording(path: Path | str, strict: bool = True):  # type: ignore[no-untyped-def]
        with parsed_by.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(path, strict)

    monkeypatch.setattr(loader, "load_workshop", recording)
    wait = cache.fill_in_background(course)
    wait()
    pids = parsed_by.read_text().split()
    assert len(pids) == 1 and int(pids[0]) != os.getpid()
    assert entry_path(course.absolute()).is_file()
    workshop = load_workshop_cached(course)
    assert workshop.lesson("dev-prod-parity").steps
    assert parsed_by.read_text().split() == pids  # no parse here: the entry was used
    cache.fill_in_background(course)()  # an entry that matches: no child, no parse
    assert parsed_by.read_text().split() == pids


def test_a_check_script_that_loses_its_execute_bit_is_read_again(
    course: Path, loads: list[Path]
) -> None:
    """A chmod changes no modification time: the mode is part of what an entry came from."""
    script = course / "checks" / "_lib" / "target-space.sh"
    assert not [p for p in load_workshop_cached(course).problems if "not executable" in str(p)]
    script.chmod(0o644)
    problems = load_workshop_cached(course).problems
    assert len(loads) == 2
    assert [p for p in problems if "not executable" in str(p) and "target-space.sh" in str(p)]


def test_a_strict_load_from_the_cache_raises_the_loaders_first_problem(
    course: Path, loads: list[Path]
) -> None:
    (course / "checks" / "_lib" / "target-space.sh").chmod(0o644)
    with pytest.raises(loader.ContentError) as fresh:
        loader.load_workshop(course)
    for _ in range(2):  # made, then read back
        with pytest.raises(loader.ContentError) as cached:
            load_workshop_cached(course, strict=True)
        assert str(cached.value) == str(fresh.value)
    assert len(loads) == 2  # the one above and the cache's own
    assert load_workshop_cached(course).problems  # not strict: loaded with its problems


@pytest.mark.parametrize(
    "command", [["show"], ["progress"], ["mock", "env", "--workshop"], ["test", "--lesson", "x"]]
)
def test_the_commands_that_read_a_course_keep_it_in_the_cache(
    course: Path, tmp_path: Path, command: list[str]
) -> None:
    """``show``, ``progress``, ``mock env`` and ``test`` start from the cache as ``run``
    does."""
    env = {**os.environ, "WORKSHOP_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run(
        [sys.executable, "-m", "workshop", *command, str(course)],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert entry_path(course.absolute()).is_file()
