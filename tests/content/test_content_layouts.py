"""Workshop layouts and settings: classic NN_Title.md folders, workshop.yaml step settings,
check scripts found by file name, and template rendering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from content_support import FIXTURES, SEED_WORKSHOP

from workshop.content import ContentError, load_workshop, templates

CLASSIC = FIXTURES / "classic"


def test_classic_pages_load_in_number_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CF_DOMAIN", "example.test")
    assert not (CLASSIC / "workshop.yaml").exists()
    workshop = load_workshop(CLASSIC)
    # 1, 2, 10: by number, not by name; README.md and Prerequisites.sh are no lessons
    assert [lesson.file.name for lesson in workshop.lessons] == [
        "1_Objective.md",
        "2_Codebase.md",
        "10_Disposability.md",
    ]
    assert [lesson.id for lesson in workshop.lessons] == ["objective", "codebase", "disposability"]
    assert [lesson.title for lesson in workshop.lessons] == [
        "I. Objective",
        "II. Codebase",
        "IX. Disposability",
    ]


def test_classic_verify_script_is_the_lessons_final_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CF_DOMAIN", "example.test")
    objective, codebase, disposability = load_workshop(CLASSIC).lessons
    (check,) = objective.steps[-1].checks
    assert check.kind == "verify_sh"
    assert Path(check.params["path"]) == CLASSIC / "1_Objective.verify.sh"
    assert [s.kind for s in codebase.steps] == ["read"]
    assert codebase.steps[0].checks == []
    first, last = disposability.steps
    assert first.checks == []
    assert [(c.kind, Path(c.params["path"]).name) for c in last.checks] == [
        ("verify_sh", "10_Disposability.verify.sh")
    ]


def test_classic_template_resolves_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # No workshop.yaml, so no workshop variables: CF_DOMAIN comes from the learner's shell
    # (the mock's in mock mode). Unset, it is shown empty, as the platform's shell did, and
    # lint warns; the workshop still loads.
    workshop = load_workshop(CLASSIC)
    assert [(p.file, p.line, p.warning) for p in workshop.problems] == [
        (CLASSIC / "1_Objective.md", 6, True)
    ]
    assert str(workshop.problems[0]).startswith(
        f"{CLASSIC / '1_Objective.md'}:6: warning: unresolved variable '{{{{CF_DOMAIN}}}}'"
    )
    monkeypatch.setenv("CF_DOMAIN", "example.test")
    assert load_workshop(CLASSIC).problems == []


def test_a_folder_with_no_pages_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# no number prefix\n")
    with pytest.raises(ContentError) as raised:
        load_workshop(tmp_path)
    assert raised.value.file == tmp_path


def test_yaml_step_settings() -> None:
    root = FIXTURES / "yaml_settings"
    workshop = load_workshop(root)
    assert (workshop.title, workshop.description, workshop.variables) == (
        "Settings in YAML",
        "Every kind of step setting.",
        {"APP": "stock"},
    )
    (lesson,) = workshop.lessons
    assert (lesson.id, lesson.title, lesson.start) == (
        "basics",
        "The basics",
        {"space": "development"},
    )
    step = lesson.step("make-space")
    assert step.title == "Make a space"
    assert step.solution == "cf create-space {{APP}}-space"
    manifest = root / "workshop.yaml"
    got = [(c.kind, c.params, c.source.line if c.source else None) for c in step.checks]
    assert got == [
        ("exit_code", {"code": 0}, 16),
        ("output_matches", {"pattern": "^OK$"}, 17),
        ("output_similar", {"threshold": 0.8}, 18),
        ("command", {"command": "cf spaces", "matches": "{{APP}}-space", "exit_code": 0}, 20),
        (
            "http",
            {"url": "http://{{APP}}.example.com/ping", "status": 200, "body_matches": "pong"},
            23,
        ),
        ("script", {"path": str(root / "scripts" / "space.sh"), "args": ["one", "2"]}, 26),
    ]
    assert all(c.source and c.source.file == manifest for c in step.checks)
    script = step.checks[-1]
    assert (script.timeout, script.retries, script.interval, script.message) == (
        5.0,
        3,
        0.5,
        "The space is missing",
    )
    assert (step.checks[0].timeout, step.checks[0].retries, step.checks[0].interval) == (
        10.0,
        0,
        1.0,
    )
    assert [(h.text, h.when_output) for h in step.hints] == [
        ("Try `cf create-space`.", None),
        ("You are not logged in; run `cf login` first.", "Not logged in"),
    ]
    # checks/<lesson>/<step-id>.* inside the workshop folder
    (found,) = lesson.step("list-spaces").checks
    assert (found.kind, Path(found.params["path"])) == (
        "script",
        root / "checks" / "basics" / "list-spaces.sh",
    )


def test_check_scripts_found_beside_the_workshop() -> None:
    # checks/<workshop>/<lesson>/<step-id>.* next to the workshop's folder, any suffix
    workshop = load_workshop(FIXTURES / "discovery" / "demo")
    lesson = workshop.lesson("intro")
    checks = FIXTURES / "discovery" / "checks" / "demo" / "intro"
    assert [Path(c.params["path"]) for c in lesson.step("cf-target").checks] == [
        checks / "cf-target.sh"
    ]
    assert [Path(c.params["path"]) for c in lesson.step("push").checks] == [checks / "push.py"]


def test_bundled_layout_checks_dir(tmp_path: Path) -> None:
    """The layout "beside": lessons/12factor with checks/12factor/<lesson>/<step>."""
    root = tmp_path / "lessons" / "12factor"
    shutil.copytree(SEED_WORKSHOP, root, ignore=shutil.ignore_patterns("checks"))
    shutil.copytree(
        SEED_WORKSHOP / "checks" / "_lib",
        tmp_path / "checks" / "12factor" / "_lib",
    )
    script = tmp_path / "checks" / "12factor" / "dev-prod-parity" / "cf-target.sh"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\ncf target\n")
    script.chmod(0o755)
    workshop = load_workshop(root)
    assert workshop.checks_dir == tmp_path / "checks" / "12factor"
    step = workshop.lesson("dev-prod-parity").step("cf-target")
    scripts = [Path(c.params["path"]) for c in step.checks if c.kind == "script"]
    # the YAML's shared place check from checks/12factor/_lib, then the step's own script
    assert scripts == [tmp_path / "checks" / "12factor" / "_lib" / "target-space.sh", script]
    # a script for a step that does not exist is a problem
    (script.parent / "no-such-step.sh").write_text("#!/bin/sh\n")
    problems = load_workshop(root, strict=False).problems
    assert [p.file for p in problems] == [script.parent / "no-such-step.sh"]


def test_render_resolution_order(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "{{A}} {{B}} {{C}} {{D}}"
    workshop_vars = {"A": "ws-a", "B": "ws-b"}
    settings = {"A": "learner-a"}
    environ = {"A": "env-a", "B": "env-b", "C": "env-c"}
    values = templates.variables(workshop_vars, settings, environ)
    # learner settings, then workshop variables, then the environment; unknown stays
    assert templates.render(text, values) == "learner-a ws-b env-c {{D}}"
    assert templates.unresolved(text, values) == [("D", 0)]
    monkeypatch.setenv("C", "real-env-c")
    assert (
        templates.render(text, templates.variables(workshop_vars)) == "ws-a ws-b real-env-c {{D}}"
    )


def test_render_normalised_spellings() -> None:
    raw = "{{echo $CF_DOMAIN}} {{ CF_DOMAIN }} {{$CF_DOMAIN}} {{ echo ${CF_DOMAIN} }}"
    normal = templates.normalise(raw)
    assert normal == "{{CF_DOMAIN}} {{CF_DOMAIN}} {{CF_DOMAIN}} {{CF_DOMAIN}}"
    assert templates.render(normal, {"CF_DOMAIN": "d"}) == "d d d d"
    # a template does not span lines (line numbers stay right)
    assert templates.normalise("{{\nX\n}}") == "{{\nX\n}}"


def test_seed_url_renders_with_workshop_variables() -> None:
    workshop = load_workshop(SEED_WORKSHOP)
    step = workshop.lesson("dev-prod-parity").steps[-1]
    values = templates.variables(workshop.variables, {}, {})
    assert templates.render(step.commands[0], values) == (
        "curl http://workshop-12f-stock-production_test.cfapps.io/stock/ping"
    )
    learner = templates.variables(workshop.variables, {"CF_DOMAIN": "local.test"}, {})
    assert templates.render(step.url or "", learner) == (
        "http://workshop-12f-stock-production_test.local.test/stock/ping"
    )


def test_classic_pages_with_one_title_get_distinct_ids(tmp_path: Path) -> None:
    for number, command in ((1, "a"), (2, "b"), (3, "c")):
        (tmp_path / f"0{number}_Intro.md").write_text(f"# Intro\n\n```sh\n$ {command}\n```\n")
    workshop = load_workshop(tmp_path)
    assert [lesson.id for lesson in workshop.lessons] == ["intro", "intro-2", "intro-3"]
    assert workshop.lesson("intro-2").steps[0].commands == ["b"]


def test_check_folder_of_no_lesson_is_a_lint_problem(tmp_path: Path) -> None:
    """Check scripts in a folder that names no lesson would never run: lint says so."""
    root = tmp_path / "demo"
    root.mkdir()
    (root / "workshop.yaml").write_text(
        "title: Demo\nlessons:\n  - id: first\n    file: first.md\n"
    )
    (root / "first.md").write_text("# First\n\n```sh\necho hello\n```\n")
    misplaced = root / "checks" / "frist"
    misplaced.mkdir(parents=True)
    (misplaced / "echo-hello.sh").write_text("#!/bin/sh\nexit 0\n")
    problems = load_workshop(root, strict=False).problems
    assert [(p.file, p.message) for p in problems] == [
        (misplaced, "check folder for an unknown lesson 'frist' (lessons: first)")
    ]


def test_a_library_folder_of_checks_is_no_lesson_and_its_scripts_run_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``checks/_lib`` holds scripts several steps share (``script: _lib/NAME`` with
    ``args:``, found in the checks folder): lint does not take it for a lesson's folder, and
    a workshop loaded by a relative path names the script by an absolute one, since a check
    runs in the learner's folder."""
    root = tmp_path / "demo"
    root.mkdir()
    (root / "workshop.yaml").write_text(
        "title: Demo\nlessons:\n  - id: first\n    file: first.md\n    steps:\n"
        "      echo-hello:\n        checks:\n"
        "          - {script: _lib/same.sh, args: [hello]}\n"
    )
    (root / "first.md").write_text("# First\n\n```sh\n$ echo hello\n```\n")
    library = root / "checks" / "_lib"
    library.mkdir(parents=True)
    script = library / "same.sh"
    script.write_text('#!/bin/sh\n[ "$1" = hello ] || { echo "not hello: $1"; exit 1; }\n')
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    workshop = load_workshop(Path("demo"), strict=False)
    assert workshop.problems == []
    (spec,) = workshop.lesson("first").step("echo-hello").checks
    assert Path(spec.params["path"]).is_absolute()
    from workshop.checking import CheckContext, run_check

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert run_check(spec, CheckContext(cwd=elsewhere)).status == "pass"


def test_every_path_the_loader_returns_is_absolute_and_messages_name_files_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workshop named by a relative path keeps working after the learner's ``cd``: its
    root, lesson files, scripts and problems' files are absolute; a message names a file
    under the current folder relative to it, as linters do."""
    root = tmp_path / "courses" / "demo"
    root.mkdir(parents=True)
    (root / "workshop.yaml").write_text(
        "title: Demo\nlessons:\n  - id: first\n    file: first.md\n    stpes: {}\n"
    )
    (root / "first.md").write_text("# First\n\n```sh\n$ echo hello\n```\n")
    monkeypatch.chdir(tmp_path / "courses")
    workshop = load_workshop("demo", strict=False)
    assert workshop.root == root
    assert workshop.lessons[0].file == root / "first.md"
    (problem,) = workshop.problems
    assert problem.file == root / "workshop.yaml"
    assert str(problem).startswith("demo/workshop.yaml:5: unknown key 'stpes'")
    monkeypatch.chdir("/")
    assert str(load_workshop(root, strict=False).problems[0]).startswith(
        f"{root / 'workshop.yaml'}:5: unknown key 'stpes'"
    )


def test_classic_pages_split_as_nn_dot_m_load_in_order(tmp_path: Path) -> None:
    """``03.1_Title.md`` follows ``03_Title.md`` and comes before ``04``; ``10`` after ``9``."""
    names = ["01_One.md", "03_Three.md", "03.2_Three b.md", "03.1_Three a.md", "9_Nine.md"]
    names += ["10_Ten.md", "03.10_Three j.md"]
    for name in names:
        (tmp_path / name).write_text(f"# {name[:-3].split('_', 1)[1]}\n\nText.\n")
    workshop = load_workshop(tmp_path)
    assert [lesson.file.name for lesson in workshop.lessons] == [
        "01_One.md",
        "03_Three.md",
        "03.1_Three a.md",
        "03.2_Three b.md",
        "03.10_Three j.md",
        "9_Nine.md",
        "10_Ten.md",
    ]


def test_classic_shell_templates_stay_as_written_and_lint_names_missing_programs(
    tmp_path: Path,
) -> None:
    """``{{ command }}`` in the classic layout is a shell command: the model keeps it, lint
    warns (at its line) when its program is nowhere to be found or bash cannot read it; an
    unset variable of a folder without the cf mock is still a warning."""
    (tmp_path / "01_Start.md").write_text(
        "# Start\n\nYour director is {{bosh-nowhere status --uuid}}.\n\n"
        "Your IP: {{ source vars && echo $eip }}\n\nBroken: {{echo 'open}}\n\n"
        "Domain: {{echo $SOME_DOMAIN}}\n\n```sh\n$ echo {{ date +%Y }}\n```\n"
    )
    workshop = load_workshop(tmp_path, strict=False)
    step = workshop.lessons[0].steps[0]
    assert step.commands == ["echo {{ date +%Y }}"]
    found = sorted((p.line or 0, p.warning, p.message.split(" (")[0]) for p in workshop.problems)
    assert found == [
        (3, True, "shell template '{{bosh-nowhere status --uuid}}' runs `bosh-nowhere`, which is"
         " neither on PATH nor a mock tool of this workshop"),
        (7, True, "shell template '{{echo 'open}}' is not a command bash can read"),
        (9, True, "unresolved variable '{{SOME_DOMAIN}}'"),
    ]  # fmt: skip


def test_a_block_that_runs_the_step_again_with_its_output_is_that_steps_transcript(
    tmp_path: Path,
) -> None:
    """The original platform shows a command, then "You will see something like:" and a
    block with the same ``$`` line and what it printed: one step, with that output."""
    unit = tmp_path / "orgs"
    unit.mkdir()
    (unit / "01_Orgs.md").write_text(
        "# Orgs\n\n```sh\ncf create-org my-org\n```\n\nYou will see something like:\n\n"
        "```\n$ cf create-org my-org\nCreating org my-org as admin...\nOK\n```\n\n"
        "Plain transcript, no lead-in:\n\n```\n$ cf orgs\n```\n\n"
        "```\n$ cf orgs\nGetting orgs as admin...\n```\n"
    )
    steps = load_workshop(unit).lessons[0].steps
    assert [s.commands for s in steps] == [["cf create-org my-org"], ["cf orgs"]]
    assert steps[0].expected_output == "Creating org my-org as admin...\nOK"
    assert steps[1].expected_output == "Getting orgs as admin..."
