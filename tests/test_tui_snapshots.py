"""SVG snapshots of the browser's main screens at 80×24 and 160×50 (pytest-textual-snapshot).

After an intended change of the screens, review and update them with
`pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from budgettui.tui.app import DETAIL_DELAY, BudgetApp

SMALL, LARGE = (80, 24), (160, 50)


async def settle(pilot) -> None:
    """Let the detail pane catch up with the cursor before the screenshot (and, on a busy
    machine, the focus and the tree's header settle too)."""
    await pilot.pause(DETAIL_DELAY * 4)
    app = pilot.app
    for _ in range(60):  # on a busy machine: until the pane shows the cursor's node, focused
        tree = app.screen_stack[0].query_one("#tree")
        detail = app.screen_stack[0].query_one("#detail")
        cursor = tree.cursor_node.data if tree.cursor_node is not None else None
        grid = detail.query_one("#grid")
        laid_out = not grid.display or (grid.size.height > 0 and grid.row_count > 0)
        if app.focused is not None and detail.node is cursor and laid_out:
            break
        await pilot.pause(0.05)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(DETAIL_DELAY * 4)  # and lays it out
    shown, same = None, 0
    for _ in range(40):  # until three screenshots in a row are the same (a busy machine lags)
        now = app.export_screenshot()
        same = same + 1 if now == shown else 0
        if same == 2:
            break
        shown = now
        await pilot.pause(0.15)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x50"])
def test_start_screen(snap_compare, budget, size):
    assert snap_compare(BudgetApp(budget), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x50"])
def test_project_found_by_pinyin(snap_compare, budget, size):
    keys = ["slash", "x", "x", "h", "enter"]
    assert snap_compare(BudgetApp(budget), press=keys, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x50"])
def test_subject_with_children(snap_compare, budget, size):
    keys = ["j", "j", "l", "j", "j", "l"]
    assert snap_compare(BudgetApp(budget), press=keys, terminal_size=size, run_before=settle)


def test_units_open_to_depth_3(snap_compare, budget):
    assert snap_compare(BudgetApp(budget), press=["3", "j", "j", "j"], terminal_size=LARGE,
                        run_before=settle)


def test_help_screen(snap_compare, budget):
    assert snap_compare(BudgetApp(budget), press=["question_mark"], terminal_size=SMALL,
                        run_before=settle)


def test_light_theme_project(snap_compare, budget):
    keys = ["slash", *"xxh", "enter", "t"]
    assert snap_compare(BudgetApp(budget), press=keys, terminal_size=LARGE, run_before=settle)


def test_findings_open(snap_compare, budget):
    """核对 opened on its first finding: severities in Chinese, most serious first."""
    assert snap_compare(BudgetApp(budget), press=["G", "l", "j"], terminal_size=LARGE, run_before=settle)


# ---------------------------------------------------------------- a corpus (issue 12, item 6)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The sample, the sample as its department's 2025 budget, and the PDFs of tests/pdfs."""
    from conftest import SAMPLE
    from corpus_docs import PDFS, last_year

    import budgettui

    return budgettui.load(SAMPLE, last_year(tmp_path_factory.mktemp("years")), PDFS)


def test_corpus_grouped_by_place_and_year(snap_compare, corpus):
    assert snap_compare(BudgetApp(corpus), terminal_size=LARGE, run_before=settle)


def keys_then_settle(*keys: str):
    """Settle, press the keys, and wait until two screenshots a moment apart agree (a view
    across documents has no tree of its own to wait for)."""
    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        shown = None
        for _ in range(40):
            await pilot.pause(0.15)
            now = pilot.app.export_screenshot()
            if now == shown:
                break
            shown = now

    return run


def test_subject_across_documents(snap_compare, corpus):
    keys = keys_then_settle("slash", *"2080505", "enter", "a")
    assert snap_compare(BudgetApp(corpus), terminal_size=LARGE, run_before=keys)


def test_department_in_two_years(snap_compare, corpus):
    assert snap_compare(BudgetApp(corpus), terminal_size=LARGE, run_before=keys_then_settle("j", "j", "c"))
