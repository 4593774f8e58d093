"""The browser, driven by its keys: what the screen holds after each one."""

from __future__ import annotations

from collections import Counter
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
    """Let the cursor rest so the detail pane catches up (it waits for the cursor to stop), and
    wait, on a busy machine, until it has and its table is laid out (at most about 3 s)."""
    await pilot.pause(DETAIL_DELAY * 3)
    app = pilot.app
    for _ in range(60):
        detail = app.screen_stack[0].query_one_optional("#detail") if app.screen_stack else None
        if detail is None:
            break
        grid = detail.query_one_optional("#grid")
        laid_out = grid is None or not grid.display or grid.size.height > 0
        if getattr(app, "_pending", None) in (None, detail.node) and laid_out:
            break
        await pilot.pause(0.05)
    await pilot.pause()


def crumb(app: BudgetApp) -> str:
    return str(app.query_one("#crumb", Static).render())


def cursor(app: BudgetApp) -> str:
    node = app.query_one(BudgetTree).cursor_node
    return node.data.name if node is not None and node.data is not None else ""


def column(table: DataTable, key: str) -> list[str]:
    return [cell.plain if hasattr(cell, "plain") else str(cell) for cell in table.get_column(key)]


def screen_text(app) -> str:
    """What the terminal shows, as text."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


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
        assert cursor(app) == "核对 (2 错误 · 41 警告 · 36 舍入 · 103 信息)"
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
        assert crumb(app) == "部门 › 单位与项目 › 高平市医疗保险服务中心 › 信息化经费   hit 1 of 2"
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
        source = str(detail.query_one("#tab-source").query_one(Static).content)
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
        assert lines[0] == "period,level1,level2,name,value,flag,source_page,source_line"
        assert len(lines) == 7 and lines[1].startswith("annual,产出指标,数量指标,医疗保险网络使用条数,401条")


async def test_export_dialog_format_choice(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j", "e", "down", "down", "enter")  # 功能科目 as json
        await pilot.pause()
        import json

        rows = json.loads((tmp_path / "exports" / "expenditure_by_subject.json").read_text("utf-8"))
        assert rows[1]["code"] == "205" and rows[1]["total"] == "425.57"


async def test_help_lists_every_key_grouped_and_readable_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help")
        # A box of real size (it was an empty 6×4 one), inside the screen, scrolling.
        assert box.size.width >= 70 and box.region.right <= 80 and box.region.bottom <= 24
        first_page = screen_text(app)
        for line in ("树 · tree", "↑ ↓  j k", "move up and down", "搜索 · search",
                     "search names, codes and pinyin initials"):
            assert line in first_page
        await pilot.press("end")  # the rest of the keys, scrolled into view
        await pilot.pause()
        last_page = screen_text(app)
        for line in ("其他 · other", "light or dark theme", "quit, also while a document is still loading",
                     "[  ]", "previous / next tab of a project"):
            assert line in last_page
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


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
        # Too long for 120 columns: the middle step gives way, the finding's name stays.
        assert crumb(app).startswith("部门 › … › link.project_without_table p019 项目「大学生实习实训补贴资金」")
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
        # The checks run after the tree is up; then 核对 and the document's counts show them.
        checks = "核对 (2 错误 · 41 警告 · 36 舍入 · 103 信息)"
        for _ in range(100):
            if checks in visible(app):
                break
            await pilot.pause(0.05)
        assert checks in visible(app)
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        counts = dict(zip(column(grid, "resource"), column(grid, "行数"), strict=True))
        assert counts["findings"] == "182"
        await pilot.press("slash", *"xxh", "enter")
        assert cursor(app) == "信息化经费"
        await pilot.press("slash", *"x.t12_t3", "enter")  # the findings are searched too
        assert cursor(app).startswith("x.t12_t3 部门合计")


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
        # grouped by place and year; one department twice in a year: told apart by the ids
        assert [n.data.name for n in tree.root.children] == ["高平市"]
        assert [n.data.name for n in tree.root.children[0].children] == ["2026年"]
        assert [n.data.name for n in tree.root.children[0].children[0].children] == [
            "高平市人力资源和社会保障局（高平市医疗保障局） · a",
            "高平市人力资源和社会保障局（高平市医疗保障局） · b",
        ]
        await pilot.press("slash", *"xxh", "enter", "n")  # the second document's 信息化经费
        assert cursor(app) == "信息化经费"
        assert crumb(app).startswith("高平市 2026年 高平市人力资源和社会保障局（高平市医疗保障局） · b › ")
        assert crumb(app).endswith(" › 信息化经费   hit 2 of 4")


# ---------------------------------------------------------------- issue 11: usability


def lines_with(text: str, *needles: str) -> list[str]:
    return [line for line in text.splitlines() if any(n in line for n in needles)]


def right_edge(line: str, amount: str) -> int:
    """The terminal cell where `amount` ends on `line` (a Chinese character is two cells)."""
    from rich.cells import cell_len

    return cell_len(line[: line.index(amount) + len(amount)])


async def test_summary_amounts_line_up_by_display_width(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")  # 收支总览
        await rest(pilot)
        screen = screen_text(app)
        amounts = ["25,552.62", "1,471.14", "27,023.76", "737.52", "27,761.28"]
        edges = {right_edge(lines_with(screen, a)[-1], a) for a in amounts}
        assert len(edges) == 1, edges  # one right edge, not one per name length


async def test_subject_table_leads_with_name_and_amounts_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j")  # 功能科目: table 3
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        keys = [c.key.value for c in grid.columns.values()]
        assert keys[:5] == ["code", "name", "total", "basic", "project"]
        assert keys[-1] == "source_line" and keys.index("seq") > keys.index("project")
        screen = screen_text(app)
        # The pane's total row shows its 合计 whole (it was cut to `27,761.`), as do the 类.
        assert lines_with(screen, "▊           合计")[0].rstrip().endswith("27,761.28")
        assert "19,676.13" in lines_with(screen, "▊ 208 ")[0]
        assert "表内行序" not in screen and "上级科目编码" not in screen
        assert "万元" in lines_with(screen, "合计")[0]  # the tree's amount column has a header


async def test_tree_amount_columns_have_titles_when_wide(app):
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        header = lines_with(screen_text(app), "基本支出")[0]
        assert "合计" in header and "项目支出" in header
        line = lines_with(screen_text(app), "功能科目")[0]
        # each title ends where its amounts end
        assert right_edge(header, "合计") == right_edge(line, "27,761.28")
        assert right_edge(header, "项目支出") == right_edge(line, "25,352.86")


async def test_unit_projects_show_their_amounts_and_sort_by_them(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"gpsylbxfwzx", "enter")
        assert cursor(app) == "高平市医疗保险服务中心"
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        assert [c.key.value for c in grid.columns.values()][:3] == ["name", "total", "share_pct"]
        assert "信息化经费" in screen_text(app) and "30.42" in lines_with(screen_text(app), "信息化经费")[-1]
        await pilot.press("s")  # by amount: what the table shows, largest first
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        totals = [Decimal(v.replace(",", "")) for v in column(grid, "total")]
        assert totals == sorted(totals, reverse=True) and totals[0] == Decimal("3500.00")


async def test_economic_table_shows_its_amounts(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "j")  # 经济科目（基本支出）
        assert cursor(app) == "经济科目（基本支出）"
        await rest(pilot)
        screen = screen_text(app)
        assert "2,408.41" in lines_with(screen, "合计")[-1]
        assert "2,262.68" in lines_with(screen, "工资福利支出")[-1]


async def test_indicator_values_visible_without_scrolling_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"xxh", "enter")
        await rest(pilot)
        screen = screen_text(app)
        assert "401条" in lines_with(screen, "医疗保险网络使用条数")[-1]
        assert "指标值" in screen


async def test_project_tabs_have_keys(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"xxh", "enter")
        await rest(pilot)
        tabs = app.query_one(Detail).query_one("#tabs")
        assert tabs.active == "tab-annual"
        await pilot.press("right_square_bracket")
        assert tabs.active == "tab-implementation"
        assert app.focused is app.query_one("#implementation")  # the keys go to the tab's table
        await pilot.press("4")  # in the pane, 1–4 pick a tab
        assert tabs.active == "tab-source"
        assert " 1136 " in screen_text(app)
        await pilot.press("left_square_bracket")
        assert tabs.active == "tab-text"
        await pilot.press("f1")
        assert tabs.active == "tab-annual"
        await pilot.press("shift+tab", "shift+tab")
        await pilot.press("1")  # back in the tree, 1 is depth 1 again
        assert "信息化经费" not in visible(app)


async def test_palette_and_slash_find_the_same_by_pinyin(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"xxh")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert cursor(app) == "信息化经费"


def test_search_ranks_names_and_codes_first(budget):
    from budgettui.tui import outline

    index = SearchIndex(outline.build(budget))
    for query, first in (("xxh", "信息化经费"), ("jyzx", "高平市就业和人才服务中心"), ("208", "社会保障和就业支出"),
                         ("信息化经费", "信息化经费"), ("行政运行", "行政运行")):
        hits = index.find(query)
        assert hits[0].name == first, (query, [h.name for h in hits[:5]])
        kinds = [h.kind == "finding" for h in hits]
        assert kinds == sorted(kinds), (query, [h.name for h in hits[:5]])  # findings after the rest
    assert len(index.find("xxh")) < 10  # not 55


def test_polyphones_match_by_every_reading():
    from budgettui.tui.search import spellings

    assert "cq" in spellings("重庆") and "yh" in spellings("银行")
    assert initials("重庆") == "zq" or "cq" in spellings("重庆")


async def test_escape_in_search_returns_to_where_you_were(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j")
        assert cursor(app) == "功能科目"
        await pilot.press("slash", *"xxh")
        assert cursor(app) == "信息化经费"
        await pilot.press("escape")
        assert cursor(app) == "功能科目"
        assert "信息化经费" not in visible(app) and "高平市医疗保险服务中心" not in visible(app)
        assert crumb(app) == "部门 › 功能科目"


async def test_with_several_documents_every_hit_names_its_document(tmp_path):
    import shutil

    from conftest import SAMPLE

    import budgettui

    shutil.copy(SAMPLE, tmp_path / "a.txt")
    # a second document with other bytes (the same bytes twice would be loaded once)
    (tmp_path / "b.txt").write_bytes(SAMPLE.read_bytes() + b"\n")
    app = BudgetApp(budgettui.load(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("slash", *"xxh")
        # The breadcrumb starts with the hit's document, however much of the middle is cut.
        assert crumb(app).startswith("高平市 2026年 高平市人力资源和社会保障局（高平市医疗保障局） · a › ")
        assert crumb(app).endswith("信息化经费   hit 1 of 4")
        await pilot.press("enter", "n")
        assert crumb(app).startswith("高平市 2026年 高平市人力资源和社会保障局（高平市医疗保障局） · b › ")
        assert crumb(app).endswith("信息化经费   hit 2 of 4")
        await pilot.press("ctrl+p", *"xxh")
        await pilot.pause(0.5)
        palette = screen_text(app)
        assert "项目 · 高平市 2026年 高平市人力资源和社会保障局（高平市医疗保障局） · a" in palette
        assert "项目 · 高平市 2026年 高平市人力资源和社会保障局（高平市医疗保障局） · b" in palette


async def test_values_and_titles_in_chinese(app, budget):
    from budgettui.tui.detail import fill_table

    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("j", "j", "j")  # 单位与项目: every project
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        kinds = set(column(grid, "kind"))
        assert kinds == {"当年", "结转"}
        assert [str(c.label) for c in grid.columns.values()][-2:] == ["类型", "原文行号"] or \
            "原文行号" in [str(c.label) for c in grid.columns.values()]
        await pilot.press("g", "j", "j", "j", "j")  # 经济科目
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        assert set(column(grid, "row_kind")) == {"合计", "分组", "明细"}
        # No column of any table is titled with its raw name.
        for resource in ("budget_summary", "expenditure_by_subject", "projects", "indicators",
                         "findings", "three_public_costs", "narrative", "glossary", "documents"):
            fill_table(grid, budget[resource], resource)
            titles = [str(c.label) for c in grid.columns.values()]
            assert not set(titles) & set(budget[resource].columns), (resource, titles)
            assert "source_line" not in budget[resource].columns or "原文行号" in titles


async def test_project_total_differs_from_table_3_by_a_finding(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j", "j")  # 单位与项目
        await rest(pilot)
        screen = screen_text(app)
        assert "项目合计 25,352.87 万元" in screen and "表3 项目支出 25,352.86 万元，相差 0.01" in screen
        assert "见 核对 › x.t12_t3" in screen and "/x.t3_t5_t8 跳到该条" in screen
        await pilot.press("slash", *"x.t3_t5_t8", "enter")  # the finding, in 核对
        assert cursor(app).startswith("x.t3_t5_t8 合计 合计: 项目支出 25352.86 ≠")
        await rest(pilot)
        assert "25352.87" in str(app.query_one(Detail).query_one(".facts", Static).content)


async def test_empty_amounts_print_as_a_dash(app):
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("slash", *"20899", "enter")
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        assert column(grid, "basic") == ["–"] and column(grid, "total") == ["1,470.00"]
        facts = str(app.query_one(Detail).query_one(".facts", Static).content)
        assert "基本支出 – + 项目支出 1,470.00" in facts


def test_breadcrumb_cuts_the_middle_and_keeps_the_focused_name():
    from rich.cells import cell_len

    from budgettui.tui.app import fit_crumbs

    crumbs = ["部门", "单位与项目", "高平市医疗保险服务中心", "城乡居民基本医疗保险个人缴费补贴"]
    assert fit_crumbs(crumbs, 200) == " › ".join(crumbs)
    cut = fit_crumbs(crumbs, 70)
    assert cut == "部门 › … › 高平市医疗保险服务中心 › 城乡居民基本医疗保险个人缴费补贴" and cell_len(cut) <= 70
    assert fit_crumbs(crumbs, 45) == "部门 › … › 城乡居民基本医疗保险个人缴费补贴"


def test_wrapped_prose_never_starts_a_line_with_a_closing_mark(budget):
    from budgettui.tui.views import NO_START, Views

    views = Views(budget)
    from budgettui.tui import outline

    projects = [n for n in outline.build(budget)[0].walk() if n.kind == "project"]
    checked = 0
    for node in projects:
        tabs = views.of(node).tabs
        if tabs is None:
            continue
        for width in range(16, 61, 3):
            for line in tabs.text.lines(width):
                assert line.cell_len <= width
                assert not line.plain or line.plain[0] not in NO_START, (width, line.plain)
                checked += 1
    assert checked > 1000


def test_wrapped_source_lines_keep_the_gutter(budget):
    from budgettui.tui.views import Views

    source = Views(budget).source(budget["documents"]["doc_id"][0], 1130, 1140)
    lines = [line.plain for line in source.lines(30)]
    assert len(lines) > 11  # some wrapped
    for line in lines:
        gutter = line[:8]
        assert gutter.strip() == "" or gutter[:5].strip().isdigit(), line


async def test_findings_table_most_serious_first(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G")
        await rest(pilot)
        grid = app.query_one(Detail).query_one(DataTable)
        order = {"错误": 0, "警告": 1, "舍入": 2, "信息": 3}  # shown in Chinese, as the tree shows them
        severities = [order[s] for s in column(grid, "severity")]
        assert severities == sorted(severities) and severities[0] == 0 and severities[-1] == 3


async def test_findings_show_their_severity_in_chinese(app):
    """核对's label, its findings in the tree, the findings table and one finding's detail
    show 错误/警告/舍入/信息, never the data's codes (which `y` and `e` keep)."""
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("G")
        await rest(pilot)
        screen = screen_text(app)
        assert "核对 (2 错误 · 41 警告 · 36 舍入 · 103 信息)" in screen
        grid = app.query_one(Detail).query_one(DataTable)
        assert Counter(column(grid, "severity")) == {"错误": 2, "警告": 41, "舍入": 36, "信息": 103}
        assert "严重程度" in screen, screen  # the column's title
        await pilot.press("l", "j")  # open 核对: the first finding, an error
        await rest(pilot)
        screen = screen_text(app)
        assert "[错误] narrative.amount 34 情况说明" in screen
        assert "错误  narrative.amount" in screen  # the detail pane's heading
        assert "资源 情况说明" in screen  # the resource by its title, not `narrative`
        assert "资源 narrative" not in screen
        for code in ("[error]", "[warning]", "[rounding]", "[info]", "error  ", "warning  "):
            assert code not in screen, code


async def test_forty_columns_stack_the_panes(app):
    async with app.run_test(size=(40, 24)) as pilot:
        await pilot.press("j", "j")
        await rest(pilot)
        left, detail = app.query_one("#left"), app.query_one(Detail)
        assert detail.region.y >= left.region.bottom and detail.region.width >= 38
        assert "表3 预算支出总表" in screen_text(app)
    wide = BudgetApp(app.budget)
    async with wide.run_test(size=(120, 40)):
        assert wide.query_one(Detail).region.x >= wide.query_one("#left").region.right


def test_q_and_ctrl_c_quit_while_a_source_never_finishes(tmp_path):
    """A FIFO nobody writes to: the browser says it is reading, and quits at once on q or
    Ctrl-C, without a traceback (the reading thread does not hold the exit); meanwhile the
    garbage collector runs again."""
    import os
    import subprocess
    import sys
    import time

    fifo = tmp_path / "never.txt"
    os.mkfifo(fifo)
    code = f"""
import sys
from pathlib import Path
from budgettui.tui.app import BudgetApp

async def press(pilot):
    import gc
    await pilot.pause(0.5)
    text = str(pilot.app.query_one("#loading").content)
    assert "正在读取文档" in text, text
    await pilot.pause(1.0)
    assert gc.isenabled()  # it rests while the first document is read, but not for ever
    await pilot.press(sys.argv[1])

app = BudgetApp(sources=[Path({str(fifo)!r})])
app.run(headless=True, size=(80, 24), auto_pilot=press)
print("quit", app.return_code)
"""
    for key in ("q", "ctrl+c"):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", code, key], capture_output=True, text=True, timeout=30)
        assert time.perf_counter() - start < 10
        assert result.stdout.strip() == "quit 0", result.stderr
        assert "Traceback" not in result.stderr


async def test_a_skipped_file_says_why(tmp_path):
    import shutil

    from conftest import SAMPLE

    import budgettui

    shutil.copy(SAMPLE, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")
    budget = budgettui.load(tmp_path)
    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one(BudgetTree)
        skipped = next(n.data for n in tree.nodes.values() if n.data.kind == "document"
                       and n.data.name.startswith("b"))
        tree.reveal(skipped)
        await rest(pilot)
        screen = screen_text(app)
        assert "未能读取，已跳过" in screen and "「b.txt」未能读入：空文件" in screen
        assert "None" not in screen


async def test_a_ten_megabyte_line_is_cut(tmp_path):
    import time

    from conftest import SAMPLE

    import budgettui

    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "项目支出25352.86万元" in line)
    lines[at] += "长" * 5_000_000  # 10 MB of UTF-8... and 5 million characters
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    app = BudgetApp(budgettui.load(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"zcysqksm", "enter")
        await rest(pilot)
        prose = str(app.query_one(Detail).query_one("#prose", Static).content)
        assert "此处截断：全文 5,00" in prose and len(prose) < 10_000
        start = time.perf_counter()
        await pilot.press("j", "k")
        await rest(pilot)
        assert time.perf_counter() - start < 2


def test_wrapped_text_keeps_closing_marks_and_the_gutter_on_every_line():
    from rich.text import Text

    from budgettui.tui.views import Wrapped

    wrapped = Wrapped()
    wrapped.add("第一行很长很长很长很长很长很长很长。第二句\n第二行）结束", Text(" 12 │ "))
    assert [line.plain for line in wrapped.lines(14)] == [
        " 12 │ 第一行很", "      长很长很", "      长很长很", "      长很长很", "      长。第二",
        "      句", "      第二行）", "      结束"]


async def test_search_counts_its_hits_in_the_singular_for_one(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"x.t12_t3")
        await rest(pilot)
        assert "1 hit" in screen_text(app) and "1 hits" not in screen_text(app)
        await pilot.press("escape", "slash", *"20805")
        await rest(pilot)
        assert "6 hits" in screen_text(app)


async def test_detail_widths_do_not_depend_on_the_previous_nodes_scrollbar(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j")  # 功能科目: a long table
        await rest(pilot)
        detail = app.query_one(Detail)
        long = detail.node
        await pilot.press("l", "j", "j")  # 208 社会保障和就业支出: its table fits
        await rest(pilot)
        subject = detail.node
        assert subject.code == "208" and detail.max_scroll_y == 0
        grid = detail.query_one(DataTable)
        alone = [column.width for column in grid.columns.values()]
        detail.show(long)
        await rest(pilot)
        assert detail.max_scroll_y > 0  # its scrollbar shown
        detail.show(subject)  # measured while the long table's scrollbar is still there
        await rest(pilot)
        assert [column.width for column in grid.columns.values()] == alone
        assert "19,676.13" in screen_text(app)  # the name column gave way to the amounts
