"""The browser, driven by its keys: what the screen holds after each one."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Static

from budgettui.tui.app import DETAIL_DELAY, BudgetApp
from budgettui.tui.detail import Detail
from budgettui.tui.screens import ExportScreen, HelpScreen
from budgettui.tui.search import SearchIndex, initials
from budgettui.tui.tree import BudgetTree


async def rest(pilot) -> None:
    """Let the cursor rest so the detail pane catches up (it waits for the cursor to stop)."""
    await pilot.pause(DETAIL_DELAY * 3)


def crumb(app: BudgetApp) -> str:
    return str(app.query_one("#crumb", Static).render())


def cursor(app: BudgetApp) -> str:
    node = app.query_one(BudgetTree).cursor_node
    return node.data.name if node is not None and node.data is not None else ""


def column(table: DataTable, key: str) -> list[str]:
    return [cell.plain if hasattr(cell, "plain") else str(cell) for cell in table.get_column(key)]


def visible(app: BudgetApp) -> list[str]:
    """Names of the tree's visible lines, top to bottom."""
    tree = app.query_one(BudgetTree)
    return [tree.get_node_at_line(i).data.name for i in range(tree.last_line + 1)]


@pytest.fixture
def app(budget, tmp_path) -> BudgetApp:
    return BudgetApp(budget, export_folder=tmp_path / "exports")


async def test_first_screen_shows_the_document(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await rest(pilot)
        assert crumb(app) == "部门"
        assert app.title == "高平市人力资源和社会保障局（高平市医疗保障局） 2026年度部门预算公开"
        grid = app.query_one(Detail).query_one(DataTable)
        counts = dict(zip(column(grid, "resource"), column(grid, "行数"), strict=True))
        assert counts["projects"] == "64" and counts["indicators"] == "846"
        assert visible(app)[:4] == ["高平市人力资源和社会保障局（高平市医疗保障局）", "收支总览", "功能科目",
                                    "单位与项目"]


async def test_arrows_and_vim_keys(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "j")
        assert cursor(app) == "功能科目"
        await pilot.press("k", "up")
        assert cursor(app) == "高平市人力资源和社会保障局（高平市医疗保障局）"
        await pilot.press("j", "j", "l", "j")  # open 功能科目, go to its first 类
        assert cursor(app) == "教育支出" and crumb(app) == "部门 › 功能科目 › 205 教育支出"
        await pilot.press("h")  # a closed node: h goes to the parent
        assert cursor(app) == "功能科目"
        await pilot.press("h")  # an open node: h closes it
        assert cursor(app) == "功能科目" and "教育支出" not in visible(app)
        await pilot.press("space")  # space opens it again
        assert "教育支出" in visible(app)
        await pilot.press("j", "enter", "j")  # enter opens 205
        assert cursor(app) == "职业教育"


async def test_top_bottom_and_depth(app, budget):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G")
        assert cursor(app) == "核对 (2 error · 41 warning · 36 rounding · 103 info)"
        await pilot.press("g")
        assert cursor(app) == "高平市人力资源和社会保障局（高平市医疗保障局）"
        await pilot.press("2")
        names = visible(app)
        assert "社会保障和就业支出" in names and "高平市技工学校" in names
        assert "人力资源和社会保障管理事务" not in names and "信息化经费" not in names
        await pilot.press("3")
        names = visible(app)
        assert "人力资源和社会保障管理事务" in names and "信息化经费" in names
        assert "行政运行" not in names
        # 核对's findings are a list, not a level of the budget: depth keys leave it closed.
        assert not any(name.startswith(("t13.", "narrative.", "link.")) for name in names)
        await pilot.press("1")
        assert visible(app)[1:4] == ["收支总览", "功能科目", "单位与项目"]
        assert "教育支出" not in visible(app)


async def test_search_by_pinyin_initials_then_read_the_indicators(app):
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("slash", "x", "x", "h", "enter")
        assert cursor(app) == "信息化经费"
        assert crumb(app) == "部门 › 单位与项目 › 高平市医疗保险服务中心 › 信息化经费"
        await rest(pilot)
        detail = app.query_one(Detail)
        annual = detail.query_one("#tab-annual").query_one(DataTable)
        assert column(annual, "name") == ["医疗保险网络使用条数", "支付足额率", "医疗保险网络使用费支付时间",
                                          "该项目总金额", "提高城乡居民医保信息化管理水平和工作效率", "相关人员满意度"]
        assert column(annual, "value") == ["401条", "100%", "当年9月前", "30.42万元", "提高", "≥90%"]
        assert column(annual, "level1")[3:] == ["产出指标", "效益指标", "满意度指标"]
        implementation = detail.query_one("#tab-implementation").query_one(DataTable)
        assert implementation.row_count == 6
        facts = "\n".join(str(s.render()) for s in detail.query(".facts"))
        assert "年度资金 304,200.00 元" in facts and "经常性项目（长期开展）" in facts
        source = str(detail.query_one("#tab-source").query_one(Static).render())
        assert " 1136 " in source and "信息化经费" in source


async def test_search_jyzx_and_next_previous_hits(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"jyzx", "enter")
        assert cursor(app) == "高平市就业和人才服务中心"
        hits = [n.name for n in app.hits]
        assert hits[:2] == ["高平市就业和人才服务中心", "就业金专项"]
        await pilot.press("n")
        assert cursor(app) == "就业金专项"
        await pilot.press("N")
        assert cursor(app) == "高平市就业和人才服务中心"
        await pilot.press("N")  # wraps to the last hit
        assert cursor(app) == hits[-1]


async def test_escape_closes_the_search_box(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "2", "0", "8")
        assert cursor(app) == "社会保障和就业支出"
        await pilot.press("escape")
        assert not app.query_one("#search").display
        assert isinstance(app.focused, BudgetTree)


async def test_sort_cycles_code_amount_name(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j", "l", "j", "j", "l")  # 功能科目 › 208, open

        def children() -> list[str]:
            node = app.query_one(BudgetTree).cursor_node
            return [child.data.code for child in node.children]

        assert cursor(app) == "社会保障和就业支出"
        assert children() == ["20801", "20805", "20807", "20899"]
        await pilot.press("s")  # by amount, largest first: 7753.19, 7705.04, 2747.90, 1470.00
        assert children() == ["20805", "20807", "20801", "20899"]
        assert cursor(app) == "社会保障和就业支出"
        detail = app.query_one(Detail).query_one(DataTable)
        assert column(detail, "code") == ["20805", "20807", "20801", "20899"]
        await pilot.press("s")  # by name
        names = [child.data.name for child in app.query_one(BudgetTree).cursor_node.children]
        assert names == sorted(names)
        await pilot.press("s")  # back to code order
        assert children() == ["20801", "20805", "20807", "20899"]


async def test_subject_detail_shares_and_children(app):
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("j", "j", "l", "j", "j")
        assert cursor(app) == "社会保障和就业支出"
        await rest(pilot)
        detail = app.query_one(Detail)
        facts = str(detail.query_one(".facts", Static).render())
        assert "合计 19,676.13 万元 = 基本支出 1,469.23 + 项目支出 18,206.90" in facts
        assert "占总额" in facts and "70.88%" in facts  # 19676.13 / 27761.28
        grid = detail.query_one(DataTable)
        assert column(grid, "code") == ["20801", "20805", "20807", "20899"]
        assert column(grid, "share_pct") == ["13.97", "39.40", "39.16", "7.47"]


async def test_copy_node_and_row(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j", "l", "j", "j", "y")
        assert app.clipboard_text == "208 社会保障和就业支出 19,676.13"
        await pilot.press("tab", "y")  # into the detail table: its first row
        assert app.clipboard_text.split("\t")[:3] == ["20801", "人力资源和社会保障管理事务", "2,747.90"]


async def test_export_the_focused_indicator_table(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"xxh", "enter", "e")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")  # csv, the first format
        await pilot.pause()
        written = tmp_path / "exports" / "indicators-p049.csv"
        lines = written.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "period,level1,level2,name,value,flag,source_line"
        assert len(lines) == 7 and lines[1].startswith("annual,产出指标,数量指标,医疗保险网络使用条数,401条")


async def test_export_dialog_format_choice(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j", "e", "down", "down", "enter")  # 功能科目 as json
        await pilot.pause()
        import json

        rows = json.loads((tmp_path / "exports" / "expenditure_by_subject.json").read_text("utf-8"))
        assert rows[1]["code"] == "205" and rows[1]["total"] == "425.57"


async def test_help_lists_every_key(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
    from budgettui.tui.screens import KEYS

    assert len(KEYS) == 15 and "jyzx" in dict(KEYS)["/"]
    del text


async def test_command_palette_goes_to_a_project(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"go to 信息化经费")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert cursor(app) == "信息化经费"


async def test_finding_jumps_to_its_project(app, budget):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G", "l")  # 核对, open
        tree = app.query_one(BudgetTree)
        findings = [child.data for child in tree.cursor_node.children]
        target = next(f for f in findings if f.name.startswith("link.project_without_table p019"))
        tree.reveal(target)
        await pilot.pause()
        assert crumb(app).startswith("部门 › 核对 (2 error · 41 warning · 36 rounding · 103 info) › link.")
        await pilot.press("enter")
        assert cursor(app) == "大学生实习实训补贴资金"
        await rest(pilot)
        facts = str(app.query_one(Detail).query_one(".facts", Static).render())
        assert "本项目没有绩效目标表" in facts


async def test_theme_toggle_and_quit(app):
    async with app.run_test(size=(80, 24)) as pilot:
        dark = app.current_theme.dark
        await pilot.press("t")
        assert app.current_theme.dark is not dark
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_mouse_click_opens_a_node(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click(BudgetTree, offset=(6, 3))  # the 单位与项目 line
        assert cursor(app) == "单位与项目"
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        assert grid.row_count == 64


async def test_narrative_section_shows_its_figures(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"zcysqksm", "enter")
        assert cursor(app) == "三、支出预算情况说明"
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        assert column(grid, "figure") == ["2026", "27761.28万元", "2408.41万元", "8.68%", "25352.86万元",
                                          "91.32%"]


def test_search_index_ranks_and_pinyin():
    assert initials("就业和人才服务中心") == "jyhrcfwzx"
    assert initials("208 社保") == "208sb"


def test_search_index_on_the_sample(budget):
    from budgettui.tui import outline

    index = SearchIndex(outline.build(budget))
    assert [n.name for n in index.find("xxh")][:1] == ["信息化经费"]
    assert [n.code for n in index.find("2080")][:3] == ["20801", "2080101", "2080109"]
    assert index.find("") == []
    node = index.find("信息化经费")[0]
    assert node.amounts == (Decimal("30.42"),)


async def test_browser_parses_its_sources_after_the_first_paint(budget):
    from conftest import SAMPLE

    app = BudgetApp(sources=[SAMPLE])
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):  # the thread parses while the screen is already up
            if app.query("#tree"):
                break
            await pilot.pause(0.05)
        await rest(pilot)
        assert crumb(app) == "部门"
        assert app.budget is not None and app.budget["projects"].height == 64
        await pilot.press("slash", *"xxh", "enter")
        assert cursor(app) == "信息化经费"


async def test_browser_ends_with_the_message_when_a_source_cannot_be_read(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    app = BudgetApp(sources=[empty])
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if not app.is_running:
                break
            await pilot.pause(0.05)
    assert app.return_code == 2
    assert app.error == f"{empty}: empty file"


def test_browser_module_does_not_import_polars_before_it_paints():
    import subprocess
    import sys

    code = "import sys, budgettui.cli, budgettui.tui.app; print('polars' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_every_finding_leads_to_a_node(budget):
    from collections import Counter

    from budgettui.tui import outline

    roots = outline.build(budget)
    by_id = {node.id: node for root in roots for node in root.walk()}
    findings = [node for node in roots[0].walk() if node.kind == "finding"]
    assert len(findings) == budget["findings"].height
    targets = [outline.target_of(budget, by_id, finding) for finding in findings]
    assert all(t is not None and t.kind != "document" for t in targets)
    kinds = Counter(t.kind for t in targets)
    assert kinds["section"] == budget["findings"].filter(pl.col("resource") == "narrative").height
    by_rule = {f.name.split()[0]: t for f, t in zip(findings, targets, strict=True)}
    assert by_rule["t13.unit_sum"].name == "高平市就业和人才服务中心"
    assert by_rule["target.dept_code"].name == "城乡医疗救助本级补助（三保）"


def test_default_command_starts_without_typer_or_polars():
    import subprocess
    import sys

    code = ("import sys, budgettui.launch, budgettui.tui.app; "
            "print(sorted(m for m in ('typer', 'polars') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


async def test_several_documents_each_with_its_own_tree(tmp_path):
    from conftest import SAMPLE

    import budgettui

    for extra, name in enumerate(("a.txt", "b.txt")):  # distinct bytes: a repeated file loads once
        (tmp_path / name).write_bytes(SAMPLE.read_bytes() + b"\n" * extra)
    app = BudgetApp(budgettui.load(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        tree = app.query_one(BudgetTree)
        assert [n.data.name for n in tree.root.children] == [
            "高平市人力资源和社会保障局（高平市医疗保障局） · 2026 · a",
            "高平市人力资源和社会保障局（高平市医疗保障局） · 2026 · b",
        ]
        await pilot.press("slash", *"xxh", "enter", "n")  # the second document's 信息化经费
        assert cursor(app) == "信息化经费"
        assert crumb(app).startswith("高平市人力资源和社会保障局（高平市医疗保障局） · 2026 · b › 单位与项目")
