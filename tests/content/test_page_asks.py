"""Lint of classic pages that ask for what none of their commands does.

The project's own pages: a command named only in the prose, an edit in an editor (with and
without a page script that makes it), and prose that only mentions commands (a condition, a
look at state, a tip) which must stay quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.content import load_workshop
from workshop.content.page_asks import placeholders, unmet_asks

BLOCK = "```sh\ncf api api.example.com\ncf auth admin admin\n```\n"


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        ("And finally, you should target your space using `cf target` command.", ["cf target"]),
        ("Now, you need to log in.\nThis is done with `cf login`.", ["cf login"]),
        ("Now, bind it with `cf bind-service my-app my-db`", ["cf bind-service"]),
        ("If you run `cf apps` you will see it.", []),
        ("Use `cf env my-app` to see its variables.", []),
        ("We ran `cf auth admin admin` above.", []),  # the page runs it
        ("> **Tip:** you should use `cf target -o ORG` for that.", []),  # an aside
        ("The `cf push` command uploads your app.", []),  # not asked
    ],
)
def test_a_command_named_only_in_the_prose(prose: str, expected: list[str]) -> None:
    text = f"# Page\n\n{BLOCK}\n{prose}\n"
    commands = ["cf api api.example.com", "cf auth admin admin"]
    asks = unmet_asks(text, commands, scripted=False)
    assert [a.what for a in asks if a.kind == "command"] == expected
    assert all(a.line == 8 for a in asks)


def test_an_edit_in_an_editor_is_asked_unless_a_command_or_page_script_makes_it() -> None:
    text = (
        "# Page\n\nNow edit the `manifest.yml` file and change the name.\n\n```sh\ncf push\n```\n"
    )
    (ask,) = unmet_asks(text, ["cf push"], scripted=False)
    assert (ask.kind, ask.what, ask.line) == ("edit", "manifest.yml", 3)
    assert "NN_Title.preexec.sh" in ask.message()
    assert unmet_asks(text, ["cf push"], scripted=True) == []
    made = ["sed -i -e 's/a/b/' manifest.yml", "cf push"]
    assert unmet_asks(text, made, scripted=False) == []
    vague = "# Page\n\nOpen the file and change the `memory:` value to `512M`.\n"
    assert [(a.kind, a.what) for a in unmet_asks(vague, ["cf push"], False)] == [
        ("edit", "the file")
    ]


def test_lint_names_the_page_and_line_of_what_it_asks(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    unit.mkdir()
    (unit / "01_Log in.md").write_text(
        f"# Log in\n\n{BLOCK}\nAnd finally, you should target your space using `cf target`.\n"
    )
    (unit / "02_Edit.md").write_text(
        "# Edit\n\nOpen `manifest.yml` in your editor and set the memory.\n\n```sh\ncf push\n```\n"
    )
    (unit / "02_Edit.preexec.sh").write_text("sed -i -e 's/128M/256M/' manifest.yml\n")
    problems = load_workshop(unit).problems
    assert [(p.warning, p.line) for p in problems] == [(True, 8)], problems
    assert str(problems[0]).startswith(str(unit / "01_Log in.md") + ":8: warning: ")
    assert "`cf target`" in str(problems[0])


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("git clone https://github.com/URL_TO_YOUR_REPO.git", ["URL_TO_YOUR_REPO"]),
        ("mvn archetype:generate -DartifactId={project-name}", ["{project-name}"]),
        ("java -jar target/{project-name}-1.0.jar", ["{project-name}"]),
        ("bosh task <number> --debug", ["<number>"]),
        ("echo ${HOME} {{CF_DOMAIN}} {a,b}", []),  # a variable, a template, brace expansion
        ("cf set-env my-app MY_OTHER_VAR value", []),  # a name of the page's own
        ("BROKER_URL=$(cf app broker) && echo $BROKER_URL", []),
        ("sort < in.txt > out.txt && cat <<EOF\n{body}\nEOF", []),  # redirections, a body
    ],
)
def test_placeholders_for_the_learner_to_fill_in(command: str, expected: list[str]) -> None:
    assert placeholders(command) == expected
