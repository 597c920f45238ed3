"""``workshop test`` of classic units that belong to one course, as the platform ran them.

The project's own small units: a numbered unit starts where the numbered units before it in
its folder leave the learner (its prerequisite asks for the app an earlier unit pushed),
and a page's ``NN_Title.preexec.sh`` / ``NN_Title.postexec.sh`` carry out what the page
asks for in an editor, around the page's own commands.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.content import load_workshop
from workshop.content.classic_units import earlier_units
from workshop.engine.selftest import format_table, run_selftest, tail_seconds

LOG_IN = (
    "```sh\ncf api api.{{echo $CF_DOMAIN}} --skip-ssl-validation\n"
    'cf auth admin "admin"\ncf create-org my-org\ncf target -o my-org\n'
    "cf create-space my-space\ncf target -o my-org -s my-space\n```\n"
)


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def course(tmp_path: Path) -> Path:
    """Three numbered units and one without a number, in one level's folder."""
    level = tmp_path / "Basic"
    write(
        level / "001 Apps - Part 1",
        {
            "01_Log in.md": f"# Log in\n\n{LOG_IN}",
            "01_Log in.verify.sh": "check 'cf target' 'my-space' true #> Space not targeted.\n",
            "02_Push.md": (
                "# Push\n\n```sh\ngit clone https://github.com/Altoros/cf-example-sinatra\n"
                "cd cf-example-sinatra\n```\n\n```sh\ncf push my-app\n```\n"
            ),
            "02_Push.verify.sh": "check 'cf apps' 'my-app.*started' true #> Not pushed.\n",
            "03_Logs.md": "# Logs\n\nWatch them, then press Ctrl-C:\n\n```sh\ncf logs my-app\n```\n",
        },
    )
    write(
        level / "001 Apps - Part 2",
        {
            "01_Scale.md": "# Scale\n\n```sh\ncf scale my-app -i 2\n```\n",
            "01_Scale.verify.sh": "check 'cf app my-app' 'instances: 2/2' true #> Not scaled.\n",
            "02_Scale up.md": "# Scale up\n\n```sh\ncf scale my-app -m 512M\n```\n",
            "02_Scale up.verify.sh": (
                "check 'cf app my-app' 'usage: 512M x 2' true #> Not scaled up.\n"
            ),
            "Prerequisites.sh": "check 'cf apps' 'my-app.*started' true #> my-app is not running.\n",
        },
    )
    write(
        level / "002 Services",
        {
            "01_Create.md": "# Create\n\n```sh\ncf create-service cleardb spark my-db\n```\n",
            "01_Create.verify.sh": "check 'cf services' 'my-db' true #> No service.\n",
            "Prerequisites.sh": (
                "check 'cf app my-app' 'instances: 2/2' true #> my-app is not scaled.\n"
            ),
        },
    )
    write(level / "Extras", {"01_Apps.md": "# Apps\n\n```sh\ncf apps\n```\n"})
    return level


def test_a_numbered_unit_follows_the_numbered_units_before_it_in_its_folder(
    tmp_path: Path,
) -> None:
    level = course(tmp_path)
    names = [unit.name for unit in earlier_units(level / "002 Services")]
    assert names == ["001 Apps - Part 1", "001 Apps - Part 2"]
    assert earlier_units(level / "001 Apps - Part 1") == []
    assert earlier_units(level / "Extras") == []  # not numbered: it stands alone
    write(level / "12 Factor Apps", {"01_Apps.md": "# Apps\n\n```sh\ncf apps\n```\n"})
    assert earlier_units(level / "12 Factor Apps") == []  # a title, not the 12th unit
    assert level / "12 Factor Apps" not in earlier_units(level / "002 Services")


def intermediate(tmp_path: Path) -> Path:
    """The track's next level: its first unit needs what the Basic level's units made."""
    return write(
        tmp_path / "Intermediate" / "001_Manifests",
        {
            "01_Bind.md": "# Bind\n\n```sh\ncf bind-service my-app my-db\n```\n",
            "01_Bind.verify.sh": "check 'cf services' 'my-db.*my-app' true #> Not bound.\n",
            "Prerequisites.sh": (
                "check 'cf apps' 'my-app.*started' true #> my-app is not running.\n"
                "check 'cf services' 'my-db' true #> Service 'my-db' wasn't found.\n"
            ),
        },
    )


def test_a_level_follows_the_levels_before_it_in_its_track(tmp_path: Path) -> None:
    """Basic, then Intermediate, then Advanced: the platform's course list ran a track's
    levels in that order on the learner's foundation."""
    basic = course(tmp_path)
    unit = intermediate(tmp_path)
    advanced = write(tmp_path / "Advanced" / "001 Buildpacks", {"01_A.md": "# A\n"})
    other = write(tmp_path / "Extras" / "001 More", {"01_A.md": "# A\n"})
    first = [basic / "001 Apps - Part 1", basic / "001 Apps - Part 2", basic / "002 Services"]
    assert earlier_units(unit) == first
    assert earlier_units(advanced) == [*first, unit]
    assert earlier_units(other) == []  # not a level of the platform's: it stands alone
    report = run_selftest(load_workshop(unit), timeout=60)
    assert report.outcomes and all(o.ok for o in report.outcomes), format_table(report)


def test_a_numbered_unit_is_tested_from_where_the_units_before_it_leave_the_learner(
    tmp_path: Path,
) -> None:
    """Part 2 needs Part 1's app; Services needs Part 2's scaled app: each passes alone
    (cf's question before scaling up is answered yes: the page means it)."""
    level = course(tmp_path)
    for name in ("001 Apps - Part 2", "002 Services"):
        report = run_selftest(load_workshop(level / name), timeout=60)
        assert report.mode == "mock"
        assert report.outcomes and all(o.ok for o in report.outcomes), format_table(report)


def test_a_page_that_tails_logs_is_watched_for_a_moment_then_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cf logs APP` runs until Ctrl-C: the test watches it briefly, as a learner does (for
    the default time here; the other tests watch it for less)."""
    monkeypatch.delenv("WORKSHOP_TEST_TAIL_SECONDS")
    report = run_selftest(load_workshop(course(tmp_path) / "001 Apps - Part 1"), timeout=30)
    logs = report.outcomes[-1]
    assert logs.lesson_id == "logs" and logs.ok, format_table(report)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0.5", 0.5), ("2", 2.0), ("", 3.0), ("soon", 3.0), ("0", 3.0), ("-1", 3.0), ("inf", 3.0)],
)
def test_the_watch_lasts_what_the_environment_says_when_it_is_a_positive_number(
    value: str, seconds: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKSHOP_TEST_TAIL_SECONDS", value)
    assert tail_seconds() == seconds


def test_a_unit_before_it_that_does_not_finish_is_named_in_the_failure(tmp_path: Path) -> None:
    level = course(tmp_path)
    (level / "001 Apps - Part 1" / "02_Push.md").write_text(
        "# Push\n\n```sh\nfor x in 1 2; do\n```\n"
    )
    report = run_selftest(load_workshop(level / "001 Apps - Part 2"), timeout=60)
    outcome = report.outcomes[0]
    assert not outcome.ok
    assert "in unit 001 Apps - Part 1" in outcome.reason, outcome.reason


def notes_unit(folder: Path) -> Path:
    """A page that asks for an edit in an editor, and one that reads the edited file."""
    return write(
        folder,
        {
            "01_Write.md": "# Write\n\n```sh\necho 'status: draft' > notes.txt\n```\n",
            "02_Edit.md": (
                "# Edit\n\nOpen `notes.txt` in your editor and change `draft` to `final`, "
                "then look at it:\n\n```sh\ncat notes.txt\n```\n"
            ),
            "02_Edit.verify.sh": (
                "check 'cat ~/notes.txt' 'status: final' true #> notes.txt still says draft.\n"
                "check 'cat ~/final.txt' 'status: final' true #> final.txt is missing.\n"
            ),
        },
    )


def test_a_pages_preexec_and_postexec_scripts_run_around_its_commands(tmp_path: Path) -> None:
    unit = notes_unit(tmp_path / "notes")
    (unit / "02_Edit.preexec.sh").write_text("sed -i -e 's/draft/final/' ~/notes.txt\n")
    (unit / "02_Edit.postexec.sh").write_text("cp ~/notes.txt ~/final.txt\n")
    workshop = load_workshop(unit)
    step = workshop.lessons[1].steps[0]
    assert step.commands == ["cat notes.txt"]  # what the learner sees and types is unchanged
    assert step.test_commands is not None and len(step.test_commands) == 3
    report = run_selftest(workshop, timeout=60)
    assert [o.ok for o in report.outcomes] == [True, True], format_table(report)
    assert report.outcomes[1].before == "fail"


def test_without_its_page_scripts_the_edit_page_fails_after_its_commands(tmp_path: Path) -> None:
    report = run_selftest(load_workshop(notes_unit(tmp_path / "notes")), timeout=60)
    first, second = report.outcomes
    assert first.ok and not second.ok
    assert "notes.txt still says draft" in second.reason


def test_a_page_script_beside_a_page_without_commands_is_a_lint_warning(tmp_path: Path) -> None:
    unit = write(
        tmp_path / "notes",
        {"01_Read.md": "# Read\n\nJust read this.\n", "01_Read.preexec.sh": "true\n"},
    )
    problems = load_workshop(unit).problems
    assert [p.warning for p in problems] == [True]
    assert "01_Read.preexec.sh" in str(problems[0]) and "never runs" in str(problems[0])


def test_a_page_that_asks_for_a_command_it_does_not_give_is_a_content_problem(
    tmp_path: Path,
) -> None:
    """Its verify script fails after its commands ran: the content's fault, named with the
    page and line; the pages and the unit after it fail for the same reason."""
    level = course(tmp_path)
    (level / "001 Apps - Part 1" / "01_Log in.md").write_text(
        "# Log in\n\n```sh\ncf api api.{{echo $CF_DOMAIN}} --skip-ssl-validation\n"
        'cf auth admin "admin"\n```\n\n'
        "And finally, you should target your org and space using `cf target` command.\n"
    )
    report = run_selftest(load_workshop(level / "001 Apps - Part 1"), timeout=60)
    table = format_table(report)
    first = report.outcomes[0]
    assert not first.ok and first.content, table
    assert "content problem: 01_Log in.md:8: the page asks the learner to run `cf target`" in (
        first.reason
    )
    assert f"CONTENT {first.lesson_id}/{first.step_id}: content problem" in table
    assert "content problems (CONTENT)" in table.splitlines()[-1]
    push = report.outcomes[-1]  # the next page fails, and says this one could not be done
    assert not push.ok and not push.content, table  # its own failure may be the runner's
    assert "its starting state is incomplete: content problem: 01_Log in.md:8:" in push.reason
    after = run_selftest(load_workshop(level / "001 Apps - Part 2"), timeout=60)
    outcome = after.outcomes[0]
    assert not outcome.ok
    assert "content problem in unit 001 Apps - Part 1: 01_Log in.md:8:" in outcome.reason


def test_a_page_whose_last_command_undoes_what_its_verify_script_checks(tmp_path: Path) -> None:
    """The script passes after the page's second block, the third undoes it: content."""
    unit = write(
        tmp_path / "quotas",
        {
            "01_Space quotas.md": (
                "# Space quotas\n\n```sh\necho 'quota: small' > space.txt\n```\n\n"
                "```sh\ncat space.txt\n```\n\nNow unassign it:\n\n```sh\nrm space.txt\n```\n"
            ),
            "01_Space quotas.verify.sh": (
                "check 'cat ~/space.txt' 'quota: small' true #> Quota not assigned.\n"
            ),
        },
    )
    report = run_selftest(load_workshop(unit), timeout=60)
    *earlier, last = report.outcomes
    assert all(o.ok for o in earlier), format_table(report)
    assert not last.ok and last.content
    assert "verify script passed after step echo-quota-small-space-txt" in last.reason
    assert "Quota not assigned." in last.reason


def test_a_page_that_opens_a_public_site_is_not_tested_offline(tmp_path: Path) -> None:
    """Offline nothing answers for www.example.org: the step is 'not tested here', while a
    URL of the foundation's own domain is tested through the mock's router."""
    unit = write(
        tmp_path / "concepts",
        {
            "01_Log in.md": f"# Log in\n\n{LOG_IN}",
            "02_What is it.md": (
                '# What is it\n\n<a href="https://www.example.org/" target="_blank">Example</a>'
                " is an open-source site.\n\nOpen https://www.example.org/about in your browser.\n"
            ),
            "03_The API.md": (
                "# The API\n\n```sh\ncf apps\n```\n\nOpen http://api.{{echo $CF_DOMAIN}}/v2/info"
                " in your browser.\n"
            ),
        },
    )
    report = run_selftest(load_workshop(unit), timeout=60)
    by_lesson = {o.lesson_id: o for o in report.outcomes}
    public = by_lesson["what-is-it"]
    assert public.needs == ("www.example.org",), format_table(report)
    assert "public site www.example.org" in public.reason
    assert by_lesson["log-in"].ok
    assert report.only_untested or report.ok, format_table(report)


def test_a_plugin_install_from_cfs_repository_is_not_tested_offline(tmp_path: Path) -> None:
    """cf downloads the plugin from its public repository (CF-Community is
    plugins.cloudfoundry.org), which nothing serves offline: the step is not tested here,
    as a page that opens a public site; the page's other steps still are."""
    unit = write(
        tmp_path / "plugins",
        {
            "01_Log in.md": f"# Log in\n\n{LOG_IN}",
            "02_Plugins.md": (
                "# Plugins\n\n```sh\ncf install-plugin CLI-Recorder -r CF-Community\n```\n\n"
                "```sh\ncf install-plugin -f https://example.org/bin/recorder-linux64\n```\n\n"
                "```sh\ncf plugins\n```\n"
            ),
        },
    )
    report = run_selftest(load_workshop(unit), timeout=20)
    table = format_table(report)
    _, community, url, listed = report.outcomes
    assert community.needs == ("plugins.cloudfoundry.org",), table
    assert "public site plugins.cloudfoundry.org" in community.reason
    assert url.needs == ("example.org",), table
    assert listed.ok and report.only_untested, table


def test_a_command_whose_quote_spans_lines_runs_whole(tmp_path: Path) -> None:
    """A `$ ` line that leaves a quote open goes on until it closes (the platform's service
    broker page sets a JSON catalog so): the shell gets it whole, not a line waiting."""
    unit = write(
        tmp_path / "catalog",
        {
            "01_Catalog.md": (
                '# Catalog\n\n```\n$ CATALOG=\'[{\n  "name": "db",\n'
                '  "plans": [{"name": "basic"}]\n}]\'\n\n'
                '$ echo "$CATALOG" > ~/catalog.json\n```\n'
            ),
            "01_Catalog.verify.sh": (
                "check 'wc -l < ~/catalog.json' '^4$' true #> The catalog is not whole.\n"
            ),
        },
    )
    report = run_selftest(load_workshop(unit), timeout=30)
    assert [o.ok for o in report.outcomes] == [True], format_table(report)


def test_a_block_of_a_files_content_is_written_to_that_file(tmp_path: Path) -> None:
    """ "Create the `X` file with the following content" (or "add the following content"):
    the block is what the file holds, never lines for the shell (its `exit 0` ended it)."""
    unit = write(
        tmp_path / "release",
        {
            "01_Spec.md": (
                "# Spec\n\nEdit the following file `jobs/app/spec` and add the following"
                " content to it\n\n```yaml\n---\nname: app\n```\n"
            ),
            "01_Spec.verify.sh": "check 'cat ~/jobs/app/spec' 'name: app' true #> No spec.\n",
            "02_Script.md": (
                "# Script\n\nCreate the `ctl` file with the following content:\n\n"
                '```bash\n#!/bin/bash\ncase $1 in\n  start) echo "started $HOME" ;;\nesac\n'
                "exit 0\n```\n\nThen run it:\n\n```sh\nbash ctl start > started.txt\n```\n"
            ),
            "02_Script.verify.sh": (
                "check 'cat ~/started.txt' 'started /' true #> The script did not run.\n"
            ),
        },
    )
    workshop = load_workshop(unit)
    spec, script, run = [step for lesson in workshop.lessons for step in lesson.steps]
    assert spec.title == "Add to jobs/app/spec"
    assert spec.commands == [
        "mkdir -p jobs/app && cat >> jobs/app/spec <<'EOF'\n---\nname: app\nEOF"
    ]
    assert script.title == "Write ctl" and script.commands[0].startswith("cat > ctl <<'EOF'\n")
    assert not workshop.problems  # lint: the page gives what it asks for
    report = run_selftest(workshop, timeout=30)
    assert [o.ok for o in report.outcomes] == [True, True, True], format_table(report)


def test_a_script_block_runs_whole_so_its_set_e_ends_the_script_not_the_shell(
    tmp_path: Path,
) -> None:
    """A block with a shebang is a script: the learner's lines stay as written, and the
    test runs it whole; its failing command ends it, and the shell goes on to the next
    step (typed line by line, `set -e` ended the shell)."""
    unit = write(
        tmp_path / "script",
        {
            "01_Script.md": (
                "# Script\n\nThe following script finds the name:\n\n```sh\n#!/bin/bash\n"
                "set -e\n\nNAME=$(false)\necho never\n```\n"
            ),
            "02_After.md": "# After\n\n```sh\necho after > ~/after.txt\n```\n",
            "02_After.verify.sh": "check 'cat ~/after.txt' '^after$' true #> Not after.\n",
        },
    )
    workshop = load_workshop(unit)
    script = workshop.lessons[0].steps[0]
    assert script.commands == ["set -e", "NAME=$(false)", "echo never"]
    assert script.test_commands == [
        "bash <<'EOF'\n#!/bin/bash\nset -e\n\nNAME=$(false)\necho never\nEOF"
    ]
    report = run_selftest(workshop, timeout=30)
    first, second = report.outcomes
    assert not first.ok and first.exit_code == 1, format_table(report)  # the script failed
    assert "shell exited" not in first.reason
    assert second.ok, format_table(report)


def test_a_unit_whose_prerequisites_run_a_missing_program_is_not_tested_here(
    tmp_path: Path,
) -> None:
    """`bosh target` cannot pass on a machine without bosh: the unit's steps need bosh
    (not tested here), instead of failing on the prerequisite."""
    unit = write(
        tmp_path / "release",
        {
            "01_Write.md": (
                "# Write\n\nCreate the `notes/a.txt` file with the following content:\n\n"
                "```\nhello\n```\n"
            ),
            "02_Read.md": "# Read\n\nNothing to run here.\n",
            "Prerequisites.sh": (
                "#!/bin/bash -e\n\nsource .profile\n"
                "check 'no-such-director target' 'Current target' true #> A target should be set.\n"
            ),
        },
    )
    report = run_selftest(load_workshop(unit), timeout=20)
    write_step, read_step = report.outcomes
    assert write_step.needs == ("no-such-director",), format_table(report)
    assert read_step.ok and report.only_untested, format_table(report)


def test_a_command_with_a_placeholder_is_a_content_problem(tmp_path: Path) -> None:
    """Lint warns at the block's line; `workshop test` runs the command as written, and
    when the page fails, the failure is the content's."""
    unit = write(
        tmp_path / "codebase",
        {
            "01_Clone.md": (
                "# Clone\n\nCreate a repository and clone it:\n\n"
                "```sh\ngit clone /srv/git/URL_TO_YOUR_REPO.git\n```\n"
            )
        },
    )
    workshop = load_workshop(unit)
    (problem,) = workshop.problems
    assert problem.warning and str(problem).endswith(
        "01_Clone.md:5: warning: a command holds the placeholder `URL_TO_YOUR_REPO` for the"
        " learner to fill in (`workshop test` runs it as written)"
    )
    (outcome,) = run_selftest(workshop, timeout=20).outcomes
    assert not outcome.ok and outcome.content
    assert "01_Clone.md:5: a command holds the placeholder `URL_TO_YOUR_REPO`" in outcome.reason


def test_a_page_that_asks_for_a_look_but_passes_leaves_a_complete_state(tmp_path: Path) -> None:
    """The page names `cf orgs` without a block (lint warns), but its verify script passes
    after its commands: the units after it do not start from an 'incomplete' state."""
    level = tmp_path / "Basic"
    write(
        level / "001 Log in",
        {
            "01_Log in.md": f"# Log in\n\n{LOG_IN}\nThen, you should list your orgs with `cf orgs`.\n",
            "01_Log in.verify.sh": "check 'cf target' 'my-space' true #> Space not targeted.\n",
        },
    )
    after = write(
        level / "002 Apps",
        {
            "01_Apps.md": "# Apps\n\n```sh\ncf apps\n```\n",
            "01_Apps.verify.sh": "check 'cf apps' 'never-pushed' true #> No app.\n",
        },
    )
    first = load_workshop(level / "001 Log in")
    assert first.problems and all(p.warning for p in first.problems)  # lint still says so
    (outcome,) = run_selftest(load_workshop(after), timeout=30).outcomes
    assert not outcome.ok and "No app." in outcome.reason
    assert "starting state is incomplete" not in outcome.reason, outcome.reason


def test_cf_cups_questions_are_answered_with_the_values_the_page_shows(tmp_path: Path) -> None:
    """`cf cups NAME -p "host, port"` asks for each key: the test types what the page's
    output block shows (`host> the-db-host`), and a value of its own for a key it does not
    show, instead of waiting out the timeout."""
    unit = write(
        tmp_path / "ups",
        {
            "01_Log in.md": f"# Log in\n\n{LOG_IN}",
            "02_Create.md": (
                '# Create\n\n```sh\ncf cups my-db -p "host, port"\n```\n\nOutput should be:\n\n'
                "```\nhost> the-db-host\n\nport> 3306\nCreating user provided service my-db\nOK\n```\n"
                '\n```sh\ncf cups other-db -p "host, secret"\n```\n'
            ),
            "02_Create.verify.sh": (
                "check 'cf services' 'my-db.*user-provided' true #> No my-db.\n"
                "check 'cf services' 'other-db.*user-provided' true #> No other-db.\n"
            ),
        },
    )
    report = run_selftest(load_workshop(unit), timeout=20)
    assert all(o.ok for o in report.outcomes), format_table(report)


def test_a_pages_verify_script_checks_its_sub_pages_when_it_has_some(tmp_path: Path) -> None:
    """`04_Scaling` introduces `04.1` and `04.2`; its script checks what `04.2` does: the
    check is on the group's last step, not on the introduction's `cf help scale`."""
    unit = write(
        tmp_path / "scaling",
        {
            "01_Log in.md": (
                f"# Log in\n\n{LOG_IN}\n```sh\ngit clone https://github.com/Altoros/cf-example-sinatra\n"
                "cd cf-example-sinatra\ncf push my-app\n```\n"
            ),
            "04_Scaling.md": "# Scaling\n\n```\n$ cf help scale\nNAME:\n   scale\n```\n",
            "04_Scaling.verify.sh": "check 'cf app my-app' 'usage: 64M' true #> Not 64M.\n",
            "04.1_Out.md": "# Out\n\n```sh\ncf scale my-app -i 2\n```\n",
            "04.2_Up.md": "# Up\n\n```sh\ncf scale my-app -m 64M -f\n```\n\nThat's all.\n",
        },
    )
    workshop = load_workshop(unit)
    intro, _out, up = (lesson.steps[-1] for lesson in workshop.lessons[1:])
    assert not intro.checks and [c.kind for c in up.checks] == ["verify_sh"]
    report = run_selftest(workshop, timeout=30)
    assert all(o.ok for o in report.outcomes), format_table(report)


def test_a_verify_script_that_looks_for_a_name_no_page_mentions_is_a_content_problem(
    tmp_path: Path,
) -> None:
    """The page makes `development`, its script looks for `demo`: lint warns at the
    script's line and the failure is the content's."""
    unit = write(
        tmp_path / "objective",
        {
            "01_Space.md": f"# Space\n\n{LOG_IN}\n```sh\ncf create-space development\n```\n",
            "01_Space.verify.sh": "#!/bin/bash -e\ncheck 'cf spaces' 'demo' true #> No space.\n",
        },
    )
    workshop = load_workshop(unit)
    (problem,) = [p for p in workshop.problems if "verify.sh" in str(p)]
    assert problem.warning and str(problem).endswith(
        "01_Space.verify.sh:2: warning: the verify script looks for `demo`, which no page of"
        " the unit mentions (its pages make something else?)"
    )
    *_, last = run_selftest(workshop, timeout=30).outcomes
    assert not last.ok and last.content and "looks for `demo`" in last.reason
