"""What the browser's speed-ups must not change: the tree's line widths, the theme's colours
after `t`, and the dimmed screen behind a dialog."""

from __future__ import annotations

import gc

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.widgets import Tree

from budgettui.tui import tint
from budgettui.tui.app import DETAIL_DELAY, BudgetApp


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


def test_quitting_as_the_tree_comes_up_leaves_no_traceback():
    """The detail pane joins the tree a frame after it: `q` on that very first frame of the
    tree ends the browser cleanly (no MountError from the reading thread)."""
    import subprocess
    import sys

    from conftest import SAMPLE

    code = f"""
from pathlib import Path
from textual.screen import Screen
from budgettui.tui.app import DETAIL_DELAY, BudgetApp

refresh = Screen._compositor_refresh
shown = []

def drawn(screen, *args, **kwargs):
    result = refresh(screen, *args, **kwargs)
    tree = screen.query("#tree")
    if tree and tree.first().region.area and not shown:
        shown.append(tree.first().root.children[0].data.name)
    return result

async def quit_at_once(pilot):
    while not shown:
        await pilot.pause(0.005)
    pilot.app.exit()  # what `q` does, as soon as the tree is drawn

Screen._compositor_refresh = drawn
app = BudgetApp(sources=[Path({str(SAMPLE)!r})])
app.run(headless=True, size=(80, 24), auto_pilot=quit_at_once)
print("quit", app.return_code, shown)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "quit 0 ['高平市人力资源和社会保障局（高平市医疗保障局）']", result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr


async def test_theme_switch_repaints_every_widget(budget):
    """A new theme's rules refresh each widget once, at the end: nothing on screen keeps the
    old theme's colours (a full repaint afterwards draws the same screen), and the tree and
    its amounts are still there."""
    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        before = app.export_screenshot()
        for theme in ("textual-light", "textual-dark", "textual-light"):
            await pilot.press("t")
            await pilot.pause(0.1)
            assert app.theme == theme
            shown = app.export_screenshot()
            for widget in app.screen.walk_children(with_self=True):
                widget.refresh()
            await pilot.pause(0.1)
            assert app.export_screenshot() == shown, f"stale colours after switching to {theme}"
            assert (shown == before) is (theme == "textual-dark")
        from test_tui import screen_text

        text = screen_text(app)
        assert "27,761.28" in text and "合计" in text and "功能科目" in text


async def test_garbage_is_collected_at_rest(budget):
    """Python's full collection runs once a key is answered and the browser rests (the pane
    shows the cursor's node, a dialog is up), not in the middle of the next key. (Automatic
    collections are off here, so only the browser's own are counted.)"""
    from test_tui import screen_text

    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        gc.disable()
        try:
            full = gc.get_stats()[2]["collections"]
            await pilot.press("j", "j")
            await pilot.pause(DETAIL_DELAY * 3)
            assert app.query_one("#detail").node.name == "功能科目"
            assert "27,761.28" in screen_text(app)
            assert gc.get_stats()[2]["collections"] > full
            full = gc.get_stats()[2]["collections"]
            await pilot.press("question_mark")
            await pilot.pause(0.1)
            assert "open the tree to that depth" in screen_text(app)
            assert gc.get_stats()[2]["collections"] > full
        finally:
            gc.enable()


@pytest.mark.parametrize("size", [(160, 50), (80, 24)])
async def test_tree_lines_of_one_repaint_are_textuals(budget, size):
    """The tree draws the lines of a repaint itself (treelines.py), with what they share
    worked out once: Textual's lines, segment for segment, focused or not, in either theme,
    with names cut, findings marked, the cursor anywhere, a line under the mouse."""
    from textual.geometry import Region

    app = BudgetApp(budget)
    async with app.run_test(size=size) as pilot:
        tree = app.query_one("#tree", Tree)
        steps = ((), ("3", "j", "j"), ("slash",), ("escape", "t"), ("4", "G", "l", "j"), ("k", "k"))
        for step in steps:  # focused; not (the search box is); light; 核对's findings
            await pilot.press(*step)
            await pilot.pause(0.1)
            if step == ("k", "k"):
                tree.hover_line = tree.cursor_line - 1
            crop = Region(0, 0, tree.size.width, tree.size.height)
            tree._line_cache.clear()
            tree._styles_cache.clear()
            ours = [list(strip) for strip in tree.render_lines(crop)]
            tree._line_cache.clear()
            tree._styles_cache.clear()
            theirs = [list(strip) for strip in Tree.render_lines(tree, crop)]  # Textual's, line by line
            assert ours == theirs, step
            text = "".join(segment.text for line in ours for segment in line)
            if step == ():
                assert "27,761.28" in text
        assert "[错误]" in text and "…" in text


async def test_screen_behind_a_dialog_is_textuals(budget):
    """A dialog draws the dimmed screen behind it strip by strip: what Textual draws from its
    BackgroundScreen, segment for segment, for help and export, in either theme."""
    from textual._context import visible_screen_stack
    from textual.renderables.background_screen import BackgroundScreen
    from textual.visual import RichVisual, Visual

    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j")
        await pilot.pause(0.3)
        for keys in (["question_mark"], ["escape", "e"], ["escape", "t", "question_mark"]):
            await pilot.press(*keys)
            await pilot.pause(0.2)
            dialog = app.screen
            visible_screen_stack.set(app._background_screens)  # as the compositor sets it
            visual = dialog.render()
            assert isinstance(visual, tint.DimmedScreen), keys
            width, height = dialog.size
            ours = Visual.to_strips(dialog, visual, width, height, dialog.visual_style)
            background = BackgroundScreen(app.screen_stack[0], visual._background.color)
            theirs = Visual.to_strips(dialog, RichVisual(dialog, background), width, height,
                                      dialog.visual_style)
            assert [list(strip) for strip in ours] == [list(strip) for strip in theirs], keys
            assert "27,761.28" in "".join(segment.text for strip in ours for segment in strip)


async def test_help_table_is_drawn_once(budget, monkeypatch):
    """`?` draws its table of keys once (Textual would draw it to measure its height, then
    again to show it), and shows what Textual would, segment for segment."""
    from rich.table import Table
    from textual.visual import RichVisual, Visual

    from budgettui.tui.screens import keys_table

    drawn = []
    original = Table.__rich_console__

    def counted(table, console, options):
        drawn.append(options.max_width)
        return original(table, console, options)

    monkeypatch.setattr(Table, "__rich_console__", counted)
    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        drawn.clear()
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        keys = app.screen.query_one("#help-keys")
        assert len(drawn) == 1
        width, height = keys.size
        ours = Visual.to_strips(keys, keys.render(), width, height, keys.visual_style)
        theirs = Visual.to_strips(keys, RichVisual(keys, keys_table()), width, height, keys.visual_style)
        assert [list(strip) for strip in ours] == [list(strip) for strip in theirs]
        text = "".join(segment.text for strip in ours for segment in strip)
        assert "open the tree to that depth" in text and "light or dark theme" in text


async def test_footer_rebuilt_only_when_its_keys_change(budget, monkeypatch):
    """The browser's footer (KeysFooter) shows what Textual's Footer shows after
    every focus change, but lays its keys out again only when they change: not when the focus
    moves between the tree and the detail pane, but when the search box hides `/ Search`."""
    from test_tui import screen_text
    from textual.widgets import Footer

    from budgettui.tui import app as app_module
    from budgettui.tui.footer import KeysFooter

    steps = [(), ("tab",), ("shift+tab",), ("slash",), ("enter",), ("tab",)]

    async def footers(footer_class) -> tuple[list[str], list[int]]:
        monkeypatch.setattr(app_module, "KeysFooter", footer_class)
        app = BudgetApp(budget)
        lines, rebuilt = [], []
        async with app.run_test(size=(120, 40)) as pilot:
            for step in steps:
                await pilot.press(*step)
                await pilot.pause(0.2)
                lines.append(screen_text(app).splitlines()[-1])
                rebuilt.append(getattr(app.query_one(Footer), "rebuilt", None))
        return lines, rebuilt

    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)):
        assert type(app.query_one(Footer)) is KeysFooter  # the browser's own
    theirs, _ = await footers(Footer)
    ours, rebuilt = await footers(KeysFooter)
    assert ours == theirs
    assert "/ Search" in ours[0] and "q Quit" in ours[0] and "/ Search" not in ours[3]
    assert rebuilt[2] == rebuilt[0]  # tab and back: the same keys, nothing rebuilt
    assert rebuilt[3] == rebuilt[2] + 1 and rebuilt[4] == rebuilt[3] + 1  # `/`, then enter
