"""The first browser: the tree, the breadcrumb, and the detail table, driven by keys."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from budgettui.tui.app import BudgetApp


async def test_units_branch_and_breadcrumb(budget):
    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one("#tree")
        assert tree.cursor_node.data.name == "部门"
        # 收支总览, 功能科目, 单位与项目: open it and go to its second unit.
        await pilot.press("j", "j", "j", "enter", "j", "j")
        assert tree.cursor_node.data.name == "高平市就业和人才服务中心"
        crumb = str(app.query_one("#crumb", Static).render())
        assert crumb == "部门 › 单位与项目 › 高平市就业和人才服务中心"
        grid = app.query_one("#grid", DataTable)
        assert grid.row_count == 17  # 15 current and 2 carried-over projects
        names = [str(cell) for cell in grid.get_column("name")]
        assert names[0] == "零工市场2026日常运行费"


async def test_subject_shows_its_children(budget):
    app = BudgetApp(budget)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one("#tree")
        await pilot.press("j", "j", "enter", "j", "j")  # 功能科目 › 205, 208
        assert tree.cursor_node.data.key == "208"
        grid = app.query_one("#grid", DataTable)
        codes = [str(cell) for cell in grid.get_column("code")]
        assert codes == ["20801", "20805", "20807", "20899"]
        facts = str(app.query_one("#facts", Static).render())
        assert "19,676.13" in facts and "18,206.90" in facts


async def test_first_screen_shows_the_document(budget):
    app = BudgetApp(budget)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert str(app.query_one("#crumb", Static).render()) == "部门"
        grid = app.query_one("#grid", DataTable)
        assert [str(c) for c in grid.get_column("department")] == ["高平市人力资源和社会保障局（高平市医疗保障局）"]
