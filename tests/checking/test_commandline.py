"""A command line cut into the simple commands bash would run."""

from __future__ import annotations

import pytest

from workshop.checking.commandline import parse_line, words


@pytest.mark.parametrize(
    "line, programs",
    [
        ("cf target", [["cf", "target"]]),
        ("$ cf target", [["cf", "target"]]),
        ("cd stock && mvn -q clean install | tail -3",
         [["cd", "stock"], ["mvn", "-q", "clean", "install"], ["tail", "-3"]]),
        ("FOO=1 BAR=2 time -p cf push", [["cf", "push"]]),
        ("sudo -u bob env A=1 git -C d status # a comment", [["git", "-C", "d", "status"]]),
        ("SERVER_PORT=0 timeout -s INT 2 java -jar app.jar", [["java", "-jar", "app.jar"]]),
        ("cf push >/dev/null 2>&1", [["cf", "push"]]),
        ("curl http://x/#frag", [["curl", "http://x/#frag"]]),
        ("for i in 1 2; do curl -s x; echo; done", [[], ["curl", "-s", "x"], ["echo"], []]),
        ("if cf apps; then echo ok; fi", [["cf", "apps"], ["echo", "ok"], []]),
        ("(cd stock && mvn clean install)", [["cd", "stock"], ["mvn", "clean", "install"]]),
        ("cf target\ncf apps", [["cf", "target"], ["cf", "apps"]]),
        ("cf push \\\n  -n host", [["cf", "push", "-n", "host"]]),
        ("echo 'unbalanced", [["echo", "unbalanced"]]),
        ("", []),
    ],
)  # fmt: skip
def test_simple_commands(line: str, programs: list[list[str]]) -> None:
    assert [list(c.words) for c in parse_line(line).commands] == programs


def test_what_stands_around_a_command() -> None:
    line = parse_line("cd x && A=1 time cf push > out.log; cat <<EOF\nbody  \nEOF")
    cd, push, cat = line.commands
    assert (cd.operator, push.operator, cat.operator) == ("", "&&", ";")
    assert push.before == ("A=1", "time") and push.redirects == (">out.log",)
    assert cat.redirects == ("<<EOF",) and line.heredocs == ("body",)
    assert not line.and_list and not line.repaired
    assert parse_line("a && b && c").and_list
    assert parse_line('echo "x').repaired
    assert parse_line("./mvnw clean").commands[0].program == "mvnw"


def test_words_drop_a_prompt_and_survive_unbalanced_quotes() -> None:
    assert words("$ cf target -s 'production_tst'") == ["cf", "target", "-s", "production_tst"]
    assert words("echo 'unbalanced") == ["echo", "'unbalanced"]
