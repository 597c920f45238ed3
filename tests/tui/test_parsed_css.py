"""The stylesheets the TUI tests share (``tests.tui.parsed_css``) parse as their own would."""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.parse import parse
from textual.css.stylesheet import Stylesheet
from textual.css.tokenize import tokenize_values

from tests.tui.parsed_css import share_parsed_css

CSS = "Widget { color: $text; background: $panel; }\n.fancy { border: solid $text; }"
WHERE = ("test.tcss", "")
RED = {"text": "#ff0000", "panel": "#000000"}
BLUE = {"text": "#0000ff", "panel": "#000000"}


def own_parse(variables: dict[str, str]) -> list[str]:
    """What Textual's parser makes of ``CSS`` with ``variables``, as CSS text."""
    return [rule.css for rule in parse("", CSS, WHERE, variable_tokens=tokenize_values(variables))]


def stylesheet_rules(variables: dict[str, str]) -> list[RuleSet]:
    """The rules of a new stylesheet of ``CSS`` with ``variables``."""
    stylesheet = Stylesheet(variables=variables)
    stylesheet.add_source(CSS, read_from=WHERE)
    stylesheet.parse()
    return stylesheet.rules


def test_a_shared_parse_gives_the_rules_of_an_own_parse_for_each_theme() -> None:
    with share_parsed_css():
        red, blue, red_again = (stylesheet_rules(v) for v in (RED, BLUE, RED))
    assert [rule.css for rule in red] == own_parse(RED)
    assert [rule.css for rule in blue] == own_parse(BLUE)
    assert own_parse(RED) != own_parse(BLUE)  # the variables are part of the key
    assert red_again == red and red_again[0] is red[0]  # parsed once, shared
