"""A tool's vocabulary has one source: cf's is the mock's command table, others the lessons'."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workshop.checking.vocabulary import (
    FlagWord,
    ProgramVocabulary,
    Vocabulary,
    cf_vocabulary,
    default_vocabulary,
)
from workshop.content import load_workshop
from workshop.engine.vocabulary import vocabulary_for
from workshop.mock.cf.specs import BY_NAME, SPECS
from workshop.mock.cf.table import command_table

REPO = Path(__file__).resolve().parents[2]


def test_cf_sub_commands_and_aliases_are_the_mocks() -> None:
    cf = cf_vocabulary()
    assert cf.has_subcommands
    assert set(cf.subcommands) == set(BY_NAME)
    for spec in SPECS:
        assert cf.subcommands[spec.name] == spec.name
        if spec.alias:
            assert cf.subcommands[spec.alias] == spec.name
    assert cf.subcommands["cups"] == "create-user-provided-service"
    assert "ue" not in cf.subcommands  # cf v6's unset-env has no alias; the old copy had one


def test_cf_flags_say_whether_they_take_a_value_and_what_it_is() -> None:
    cf = cf_vocabulary()
    hostname = FlagWord("--hostname", True, "hostname")
    for spelling in ("-n", "--n", "-hostname", "--hostname"):
        assert cf.flag(spelling, "push") == hostname
    assert cf.flag("-n=host", "push") == hostname
    assert cf.flag("--no-start", "push") == FlagWord("--no-start", False, None)
    assert cf.flag("-s", "push") == FlagWord("-s", True, "stack")
    assert cf.flag("-s", "target") == FlagWord("-s", True, "space")
    assert cf.flag("-p", "login") == FlagWord("-p", True, "password")
    assert cf.flag("-p", "create-user-provided-service") == FlagWord("-p", True, "credentials")
    assert cf.flag("-s", "marketplace") == FlagWord("-s", True, "value of -s")
    assert cf.flag("-v") == FlagWord("--version", False, None)  # before any command
    assert cf.flag("-x", "push") is None


@pytest.mark.parametrize(
    "command, roles",
    [
        ("create-service", ("service", "plan", "instance name")),
        ("create-space", ("space name",)),
        ("bind-service", ("app name", "instance name")),
        ("set-env", ("app name", "env var name", "env var value")),
        ("push", ("app name",)),
        ("api", ("url",)),
        ("services", ()),
    ],
)
def test_cf_argument_roles_come_from_the_usage_text(command: str, roles: tuple[str, ...]) -> None:
    assert cf_vocabulary().commands[command].positional == roles


def test_the_table_is_plain_data_and_cheap() -> None:
    table = command_table()
    assert table["program"] == "cf"
    row = next(r for r in table["commands"] if r["name"] == "create-service")
    assert row["aliases"] == ("cs",)
    assert row["arguments"] == ("SERVICE", "PLAN", "SERVICE_INSTANCE")
    assert {"names": ("t",), "takes_value": True, "value_name": "TAGS"} in row["flags"]
    probe = (
        "import sys; before = set(sys.modules); import workshop.mock.cf.table as t; "
        "t.command_table(); print(' '.join(sorted(set(sys.modules) - before)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=30
    ).stdout.split()
    assert set(loaded) <= {
        "workshop", "workshop.mock", "workshop.mock.cf", "workshop.mock.cf.specs",
        "workshop.mock.cf.table", "workshop.mock.jsonlite", "_json",
    }  # fmt: skip


def test_the_mocks_start_up_does_not_load_the_table() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "workshop.mock.cf", "--version"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0 and "cf version" in proc.stdout
    assert "workshop.mock.cf.table" not in proc.stderr
    assert "workshop.checking" not in proc.stderr


@pytest.mark.parametrize(
    "lines, program, has_subcommands",
    [
        (["git clone URL", "git log"], "git", True),
        (["git clone URL"], "git", False),
        (["cd stock"], "cd", False),
        (["cd stock", "cd config-server"], "cd", False),
        (["mvn clean install", "mvn archetype:generate -DgroupId=x"], "mvn", True),
        (["java -version", "java -jar target/app.jar"], "java", False),
        (["curl -X POST http://x", "curl -u user:pass http://x"], "curl", False),
        (["tool ./build.sh", "tool https://x/y", "tool {{NAME}}"], "tool", False),
        (["$ docker ps && docker run x | tail", "time docker build ."], "docker", True),
    ],
)
def test_sub_commands_from_what_the_lessons_use(
    lines: list[str], program: str, has_subcommands: bool
) -> None:
    vocabulary = Vocabulary.from_commands(lines)
    assert vocabulary.programs[program].has_subcommands is has_subcommands


def test_lesson_flags_with_an_equals_sign_take_a_value() -> None:
    mvn = Vocabulary.from_commands(["mvn -DgroupId=x clean", "mvn -q clean"]).programs["mvn"]
    assert mvn.flags["-DgroupId"] == FlagWord("-DgroupId", True)
    assert mvn.flags["-q"] == FlagWord("-q", None)


def test_a_tools_table_merges_into_what_the_lessons_use() -> None:
    lessons = Vocabulary.from_commands(["cf target", "cf my-plugin-command", "git log", "git diff"])
    merged = lessons.merged(cf_vocabulary())
    cf = merged.programs["cf"]
    assert cf.subcommands["my-plugin-command"] == "my-plugin-command"
    assert cf.subcommands["cups"] == "create-user-provided-service"
    assert merged.programs["git"] == lessons.programs["git"]
    assert lessons.with_known_tools() == merged
    assert Vocabulary.from_commands(["git log"]).with_known_tools().programs.keys() == {"git"}
    assert default_vocabulary(["cf target"]).programs["cf"].commands == cf_vocabulary().commands


def test_the_12factor_workshops_vocabulary() -> None:
    vocabulary = vocabulary_for(load_workshop(REPO / "workshop" / "bundled" / "12factor"))
    cf = vocabulary.programs["cf"]
    assert cf.subcommands["cups"] == "create-user-provided-service"
    assert cf.commands["create-service"].positional == ("service", "plan", "instance name")
    assert vocabulary.programs["mvn"].has_subcommands  # clean, archetype:generate
    assert not vocabulary.programs["git"].has_subcommands  # only `git clone`
    assert not vocabulary.programs["cd"].has_subcommands
    assert not vocabulary.programs["curl"].has_subcommands
    assert "java" in vocabulary.programs  # from a step's test command too


@pytest.mark.parametrize(
    "words, subcommand, known",
    [
        (["cf", "-v", "cs", "a", "b", "c"], "create-service", True),
        (["cf", "create-servce"], "create-servce", False),
        (["cf", "--version"], None, False),
        (["/usr/local/bin/cf", "s"], "services", True),
        (["git", "-C", "dir", "status"], "status", True),
        (["git", "--no-pager", "log"], "log", True),
        (["mvn", "-q", "-f", "pom.xml", "clean", "install"], "clean", True),
        (["cd", "stock"], None, False),
        (["ls"], None, False),
    ],
)
def test_describe_finds_the_sub_command_past_options(
    words: list[str], subcommand: str | None, known: bool
) -> None:
    vocabulary = Vocabulary.from_commands(
        ["git status", "git log", "mvn clean install", "mvn package", "cd stock"]
    ).merged(cf_vocabulary())
    described = vocabulary.describe(words)
    assert (described.subcommand, described.subcommand_known) == (subcommand, known)


def test_describe_gives_canonical_words_and_roles() -> None:
    vocabulary = Vocabulary.from_commands(["cf push"]).with_known_tools()
    described = vocabulary.describe(["cf", "p", "app", "--n", "host", "--no-start"])
    assert described.canonical == ("cf", "push", "app", "--hostname", "host", "--no-start")
    assert described.roles == ("program", "cf command", "app name", "option", "hostname", "option")
    assert vocabulary.describe([]).program == ""
    unknown = Vocabulary().describe(["tool", "x"])
    assert unknown.roles == ("program", None) and unknown.subcommand is None


def test_vocabulary_data_is_frozen() -> None:
    vocabulary = ProgramVocabulary("x", False)
    with pytest.raises(AttributeError):
        vocabulary.program = "y"  # type: ignore[misc]
