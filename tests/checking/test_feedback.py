"""Near misses named token by token, and hints handed out in teaching order."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.checking import HintBook, closest_near_miss, near_miss
from workshop.checking.vocabulary import Vocabulary
from workshop.content.model import Hint, Step
from workshop.progress import ProgressStore


@pytest.mark.parametrize(
    "typed, expected, message",
    [
        ("cf create-service cleardb spak mysql", "cf create-service cleardb spark mysql",
         "you typed 'spak', the plan is 'spark'"),
        ("cf create-service clearbd spark mysql", "cf create-service cleardb spark mysql",
         "you typed 'clearbd', the service is 'cleardb'"),
        ("cf create-service cleardb spark mysq", "cf create-service cleardb spark mysql",
         "you typed 'mysq', the instance name is 'mysql'"),
        ("cf cs rediscloud 30MB redis", "cf cs rediscloud 30mb redis",
         "you typed '30MB', the plan is '30mb'"),
        ("cf target -s production", "cf target -s production_test",
         "you typed 'production', the space is 'production_test'"),
        ("cf target -o my-org", "cf target -o your-org", "you typed 'my-org', the org is 'your-org'"),
        ("cf targt", "cf target", "you typed 'targt', the cf command is 'target'"),
        ("cf push -n workshop-12f-stock-production", "cf push -n workshop-12f-stock-production_test",
         "you typed 'workshop-12f-stock-production', the hostname is 'workshop-12f-stock-production_test'"),
        ("cf create-space", "cf create-space production_test",
         "you left out the space name 'production_test' after 'create-space'"),
        ("cf create-space production_test -o x", "cf create-space production_test",
         "'-o x' is not in the lesson's command"),
        ("curl -s http://x/stock/pong", "curl -s http://x/stock/ping",
         "you typed 'http://x/stock/pong', the lesson has 'http://x/stock/ping'"),
        ("cf create-service cleardb spak mysqk", "cf create-service cleardb spark mysql",
         "you typed 'spak', the plan is 'spark'; you typed 'mysqk', the instance name is 'mysql'"),
        ("cf login -u admin -p secret", "cf login -u admin -p admin", "the password is not the lesson's"),
        ("$ cf target -s 'production_tst'", "cf target -s production_test",
         "you typed 'production_tst', the space is 'production_test'"),
    ],
)  # fmt: skip
def test_near_miss_names_the_token(typed: str, expected: str, message: str) -> None:
    assert near_miss(typed, expected) == message


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("cf target", "cf target"),
        ("cf  target   -s production_test", "cf target -s production_test"),
        ("ls -la", "cf target"),
        ("cf apps", "cf create-service cleardb spark mysql"),
        ("", "cf target"),
        ("echo 'unbalanced", "cf target"),
        ("git clone x y z", "cf push -n a"),
    ],
)
def test_near_miss_is_none_when_same_or_unrelated(typed: str, expected: str) -> None:
    assert near_miss(typed, expected) is None


def test_closest_near_miss_picks_the_right_command() -> None:
    commands = ["cf create-service cleardb spark mysql", "cf create-service rediscloud 30mb redis"]
    assert closest_near_miss("cf create-service rediscloud 30mb rdis", commands) == (
        "you typed 'rdis', the instance name is 'redis'"
    )
    assert closest_near_miss("cf create-service cleardb spark mysql", commands) is None


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("cf create-user-provided-service logstash-drain -l syslog://logs.example.com:5000",
         "cf cups logstash-drain -l syslog://logs.example.com:5000"),
        ("cf cups logstash-drain -l syslog://logs.example.com:5000",
         "cf create-user-provided-service logstash-drain -l syslog://logs.example.com:5000"),
        ("cf cs cleardb spark mysql", "cf create-service cleardb spark mysql"),
        ("cf s", "cf services"),
        ("cf push --hostname workshop-12f-stock", "cf push -n workshop-12f-stock"),
        ("cf target --s production_test", "cf target -s production_test"),
    ],
)  # fmt: skip
def test_an_alias_is_never_a_near_miss(typed: str, expected: str) -> None:
    assert near_miss(typed, expected) is None
    assert closest_near_miss(typed, [expected, "cf restart workshop-12f-stock"]) is None


@pytest.mark.parametrize(
    "typed, expected, message",
    [
        ("cf create-servce cleardb spark mysql", "cf create-service cleardb spark mysql",
         "you typed 'create-servce', the cf command is 'create-service'"),
        ("cf cs cleardb spak mysql", "cf create-service cleardb spark mysql",
         "you typed 'spak', the plan is 'spark'"),
        ("cf create-user-provided-service logstash-drain -l syslog://h:500",
         "cf cups logstash-drain -l syslog://h:5000",
         "you typed 'syslog://h:500', the syslog drain url is 'syslog://h:5000'"),
        ("cf push app -s cflinuxfs2", "cf push app -s cflinuxfs3",
         "you typed 'cflinuxfs2', the stack is 'cflinuxfs3'"),
        ("cf cups db -p '{\"pw\":\"x1\"}'", "cf cups db -p '{\"pw\":\"x2\"}'",
         "the credentials are not the lesson's"),
    ],
)  # fmt: skip
def test_a_real_slip_is_still_named_with_aliases_aside(
    typed: str, expected: str, message: str
) -> None:
    assert near_miss(typed, expected) == message


def test_feedback_takes_the_workshops_vocabulary() -> None:
    lessons = Vocabulary.from_commands(["git clone URL", "git log --oneline"])
    assert near_miss("git clne URL", "git clone URL", lessons) == (
        "you typed 'clne', the git command is 'clone'"
    )
    assert closest_near_miss(
        "git lg --oneline", ["git clone URL", "git log --oneline"], lessons
    ) == ("you typed 'lg', the git command is 'log'")
    # without cf's table the lesson's words are all there is: no roles, no aliases
    bare = Vocabulary.from_commands(["cf create-service cleardb spark mysql"])
    assert near_miss("cf create-service cleardb spak mysql",
                     "cf create-service cleardb spark mysql", bare) == (
        "you typed 'spak', the lesson has 'spark'"
    )  # fmt: skip
    assert near_miss("cf cups x", "cf create-user-provided-service x", bare) is not None
    assert (
        near_miss("cf cups x", "cf create-user-provided-service x", bare.with_known_tools()) is None
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.text(max_size=120))
def test_near_miss_never_raises(typed: str, expected: str) -> None:
    result = near_miss(typed, expected)
    assert result is None or isinstance(result, str)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["cf", "target", "-s", "-o", "create-service", "'", '"', "x", "-p", "push"]
        ),
        max_size=8,
    )
)
def test_near_miss_never_raises_on_cf_like_lines(words: list[str]) -> None:
    near_miss(" ".join(words), "cf create-service cleardb spark mysql")
    near_miss("cf target -s production_test", " ".join(words))


def _step() -> Step:
    return Step(
        "cf-target-s", "Switch", "", commands=["cf target -s production_test"],
        hints=[
            Hint("Spaces are per org: list them with `cf spaces`."),
            Hint("The space does not exist yet: run `cf create-space production_test` first.",
                 when_output=r"Space .* not found"),
            Hint("`cf target -s NAME` switches the space."),
            Hint("Log in first with `cf login`.", when_output="Not logged in"),
        ],
    )  # fmt: skip


def test_matching_hint_comes_first_then_the_next_unseen() -> None:
    book = HintBook(_step())
    first = book.on_failure("\x1b[31mFAILED\x1b[0m\nSpace production_tst not found\n")
    assert first is not None and first[0] == 1
    second = book.on_failure("FAILED\nSpace production_tst not found\n")
    assert second is not None and second[0] == 0
    third = book.on_failure("something else")
    assert third is not None and third[0] == 2
    # out of plain hints: the matching one is repeated, else nothing
    assert book.on_failure("Space x not found") == (1, _step().hints[1])
    assert book.on_failure("still wrong") is None
    assert book.shown == [1, 0, 2]
    assert book.failures == 5


def test_hints_on_request_and_resume_from_saved_state() -> None:
    book = HintBook(_step(), shown=[0])
    got = book.next_hint()
    assert got is not None and got[0] == 2
    assert book.failures == 0
    assert book.next_hint("Not logged in. Use 'cf login' to log in.") == (3, _step().hints[3])


def test_solution_after_three_failures_or_on_request() -> None:
    book = HintBook(_step())
    for _ in range(2):
        book.on_failure("x")
    assert not book.solution_due
    book.on_failure("x")
    assert book.solution_due
    assert book.solution() == "$ cf target -s production_test"
    custom = Step("s", "t", "", commands=["cf target"], solution="Run `cf target`.")
    early = HintBook(custom, reveal_after=5)
    assert not early.solution_due
    assert early.solution() == "Run `cf target`." and early.solution_due


def test_invalid_when_output_pattern_is_matched_literally() -> None:
    step = Step("s", "t", "", hints=[Hint("Quote it.", when_output="unbalanced (")])
    assert HintBook(step).next_hint("error: unbalanced ( here") == (0, step.hints[0])
    assert HintBook(step).next_hint("all fine") is None


def test_resume_from_the_progress_store_marks(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record_hint("w", "l", "cf-target-s", 0, "first")
        store.record_hint("w", "l", "cf-target-s", -1, "$ cf target -s production_test")
        book = HintBook(_step(), shown=store.hints_shown("w", "l", "cf-target-s"), failures=1)
    assert book.shown == [0] and book.solution_revealed and book.solution_due
    got = book.next_hint()
    assert got is not None and got[0] == 2
    assert HintBook(_step(), shown=[7, 2, 2]).shown == [2]
