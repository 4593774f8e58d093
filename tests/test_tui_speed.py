"""What the browser's speed-ups must not change: the tree's line widths, the theme's colours
after `t`, and the dimmed screen behind a dialog."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.widgets import Tree

from budgettui.tui import tint
from budgettui.tui.app import BudgetApp


@pytest.mark.parametrize("size", [(160, 50), (80, 24), (50, 30)])
async def test_tree_line_widths_are_the_drawn_widths(budget, size):
    """get_label_width is worked out without drawing; it must give what drawing gives, for
    every kind of line: documents, tables, subjects with three amounts, findings with a mark."""
    app = BudgetApp(budget)
    async with app.run_test(size=size) as pilot:
        await pilot.press("4", "G", "l")  # every level open, and 核对's findings
        await pilot.pause()
        tree = app.query_one("#tree", Tree)
        nodes = list(tree._tree_nodes.values())
        kinds = {node.data.kind for node in nodes if node.data is not None}
        assert {"document", "subject", "unit", "project", "finding"} <= kinds
        widths = {id(node): Tree.get_label_width(tree, node) for node in nodes}  # by drawing
        assert [tree.get_label_width(node) for node in nodes] == [widths[id(node)] for node in nodes]
        assert max(widths.values()) > 25  # the labels carry names and amounts


async def test_theme_toggles_back_to_the_same_colours(budget):
    """`t` keeps each theme's parsed CSS: light, then dark again, gives the colours a freshly
    parsed stylesheet gives (the tree's background and the crumb's text)."""
    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)) as pilot:
        tree, crumb = app.query_one("#tree"), app.query_one("#crumb")
        dark = (tree.styles.background, crumb.styles.color)
        await pilot.press("t")
        await pilot.pause()
        assert app.theme == "textual-light"
        light = (tree.styles.background, crumb.styles.color)
        assert light != dark
        await pilot.press("t")
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert (tree.styles.background, crumb.styles.color) == dark
        await pilot.press("t")
        await pilot.pause()
        assert (tree.styles.background, crumb.styles.color) == light


def test_dimmed_segments_are_textuals():
    """The tint of the screen behind a dialog, one style at a time, is Textual's own."""
    styles = [None, Style(color="red", bgcolor="black", bold=True), Style(color="#336699"),
              Style(bgcolor="green", link="https://example.org"), Style(color="red", bgcolor="black", bold=True)]
    segments = [Segment(f"cell {i}", style) for i, style in enumerate(styles)] + [Segment("\n")]
    color = Color(0, 0, 0, 0.6)
    ours = list(tint._process_segments(None, segments, color))
    textuals = list(tint._tint(None, segments, color))
    assert ours == textuals
    assert ours[1].style.color != styles[1].color  # tinted, not passed through
