"""Switching the theme (`t`) without parsing the CSS again.

Textual parses every stylesheet afresh when the theme changes (the theme's colours are
substituted while parsing), a third of the time `t` takes. This stylesheet keeps the
parsed rules of each set of theme variables, so going back to a theme parses nothing, and
`prepare` parses another theme's rules ahead of time (off the main thread).
"""

from __future__ import annotations

from textual.app import App
from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

#: Parsed rules per source, for one set of theme variables (more than Textual's 64: the
#: browser's screens and widgets bring some 60 sources of CSS).
_SOURCES = 256


def _key(variables: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(variables.items()))


class ThemedStylesheet(Stylesheet):
    """A Stylesheet whose parsed rules are kept per set of variables (per theme)."""

    def __init__(self, *, variables: dict[str, str] | None = None,
                 parsed: dict[tuple, LRUCache] | None = None) -> None:
        super().__init__(variables=variables)
        self._by_variables: dict[tuple, LRUCache] = parsed if parsed is not None else {}
        self._parse_cache = self._cache_for(self._variables)

    def _cache_for(self, variables: dict[str, str]) -> LRUCache:
        return self._by_variables.setdefault(_key(variables), LRUCache(_SOURCES))

    def set_variables(self, variables: dict[str, str]) -> None:
        """Textual's, except that the rules parsed with the old variables are kept."""
        self._parse_cache = LRUCache(1)  # a stand-in for Stylesheet.set_variables to clear
        super().set_variables(variables)
        self._parse_cache = self._cache_for(self._variables)

    def reparse(self) -> None:
        """Textual's, with the rules already parsed for these variables taken as they are."""
        fresh = ThemedStylesheet(variables=self._variables, parsed=self._by_variables)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            fresh.add_source(css, read_from=read_from, is_default_css=is_defaults,
                             tie_breaker=tie_breaker, scope=scope)
        try:
            fresh.parse()
        except Exception:
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False

    def prepare(self, variables: dict[str, str]) -> None:
        """Parse every source with other variables now, so switching to them parses nothing."""
        other = ThemedStylesheet(variables=variables, parsed=self._by_variables)
        other.source = dict(self.source)
        other.parse()


def theme_variables(app: App, name: str) -> dict[str, str]:
    """The CSS variables of theme `name`, as App.get_css_variables gives them for it."""
    theme = app.get_theme(name)
    if theme is None:
        return {}
    variables = {**theme.to_color_system().generate(), **theme.variables}
    return {**app.get_theme_variable_defaults(), **variables}
