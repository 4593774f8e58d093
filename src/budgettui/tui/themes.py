"""Switching the theme (`t`) without parsing the CSS again, and restyling without
refreshing a widget once per rule.

Textual parses every stylesheet afresh when the theme changes (the theme's colours are
substituted while parsing), a third of the time `t` takes. This stylesheet keeps the
parsed rules of each set of theme variables, so going back to a theme parses nothing, and
`prepare` parses another theme's rules ahead of time (off the main thread).

When it applies new rules to widgets (a theme, a focus change), Textual refreshes a widget
for every rule that changed, and every widget below it for every colour that changed: some
1,800 refreshes of 45 widgets for `t`, most of what remained of its time. Here each widget
is refreshed once, as much as the most any of its rules asked for, when the rules are in.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App
from textual.cache import LRUCache
from textual.css.stylesheet import RulesMap, Stylesheet
from textual.dom import DOMNode

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

    def update_nodes(self, nodes: Iterable[DOMNode], animate: bool = False) -> None:
        """Textual's, with the refreshes the new rules ask for made once per widget, at the end."""
        pending: dict[DOMNode, list[bool]] = {}
        _BATCHES.append(pending)
        try:
            super().update_nodes(nodes, animate=animate)
        finally:
            _BATCHES.pop()
        _refresh_once(pending)

    @classmethod
    def replace_rules(cls, node: DOMNode, rules: RulesMap, animate: bool = False) -> None:
        """Textual's; within update_nodes, the refreshes each changed rule asks for are noted,
        not made."""
        if not _BATCHES:
            super().replace_rules(node, rules, animate=animate)
            return
        base = node.styles.base
        pending = _BATCHES[-1]

        def note(*, layout: bool = False, children: bool = False, parent: bool = False,
                 repaint: bool = True) -> None:
            if not node._is_mounted:
                return
            if parent and node._parent is not None:
                pending.setdefault(node._parent, [False, False])
            flags = pending.setdefault(node, [False, False])
            flags[0] |= layout
            flags[1] |= children

        base.refresh = note  # type: ignore[method-assign] - Styles is a dataclass with a __dict__
        try:
            super().replace_rules(node, rules, animate=animate)
        finally:
            del base.refresh

    def prepare(self, variables: dict[str, str]) -> None:
        """Parse every source with other variables now, so switching to them parses nothing."""
        other = ThemedStylesheet(variables=variables, parsed=self._by_variables)
        other.source = dict(self.source)
        other.parse()


#: The refreshes noted by replace_rules while update_nodes runs: per node, (layout, children).
_BATCHES: list[dict[DOMNode, list[bool]]] = []


def _refresh_once(pending: dict[DOMNode, list[bool]]) -> None:
    """Refresh each noted node once (laid out again if any rule asked for it), and the
    nodes below those whose colours changed."""
    below: dict[DOMNode, bool] = {}
    for node, (layout, children) in pending.items():
        if children:
            for child in node.walk_children(with_self=False):
                below[child] = below.get(child, False) or layout
    for node, layout in below.items():
        if node not in pending:
            node.refresh(layout=layout)
    for node, (layout, _) in pending.items():
        node.refresh(layout=layout or below.get(node, False))


def theme_variables(app: App, name: str) -> dict[str, str]:
    """The CSS variables of theme `name`, as App.get_css_variables gives them for it."""
    theme = app.get_theme(name)
    if theme is None:
        return {}
    variables = {**theme.to_color_system().generate(), **theme.variables}
    return {**app.get_theme_variable_defaults(), **variables}
