"""One parse of each stylesheet for all the apps a test process starts.

Every ``App`` has a ``Stylesheet`` of its own, whose cache of parsed rules starts empty:
each of the hundreds of apps the TUI tests start parsed the same CSS (Textual's widgets',
the workshop's ``.tcss`` files) again, and again on each change of theme. Parsing is a
function of the CSS text, where it was read from, its flags and the CSS variables (the
theme), and nothing else; Textual shares the parsed rule sets between all the nodes of an
app and only reads them. :func:`share_parsed_css` remembers them by all of that for the
whole process, so an app gets the very rules a parse of its own would have given it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

ParseRules = Callable[[Stylesheet, str, CSSLocation, bool, int, str], list[RuleSet]]

_PARSED: dict[tuple[object, ...], list[RuleSet]] = {}
"""Parsed rules by CSS text, location, flags, scope and variables."""


def _sharing(parse_rules: ParseRules) -> ParseRules:
    """``Stylesheet._parse_rules`` that looks in :data:`_PARSED` before it parses."""

    def parse_shared(
        self: Stylesheet,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        own_key = (css, read_from, is_default_rules, tie_breaker, scope)
        own = self._parse_cache.get(own_key)
        if own is not None:
            return own
        key = (*own_key, frozenset(self._variables.items()))
        rules = _PARSED.get(key)
        if rules is None:
            rules = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
            _PARSED[key] = rules
        else:
            self._parse_cache[own_key] = rules
        return rules

    return parse_shared


@contextmanager
def share_parsed_css() -> Iterator[None]:
    """While inside, stylesheets share their parsed rules (see the module's docstring)."""
    real = Stylesheet._parse_rules
    Stylesheet._parse_rules = _sharing(real)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Stylesheet._parse_rules = real  # type: ignore[method-assign]
