"""Screens across documents: one subject in every document (`a`), one department in two
years (`c`); crossviews.py builds what they show."""

from __future__ import annotations

import polars as pl
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from budgettui.tui.crossviews import Across, Comparison
from budgettui.tui.detail import cell

#: Widest a text column is drawn (a department's name is cut with …).
TEXT_WIDTH = 36


def fill(table: DataTable, frame: pl.DataFrame) -> None:
    """A frame in a table as it is: its columns in order, amounts right-aligned."""
    table.clear(columns=True)
    amount = [isinstance(dtype, pl.Decimal) for dtype in frame.dtypes]
    for name, is_amount in zip(frame.columns, amount, strict=True):
        width = None if is_amount else min(TEXT_WIDTH, max(
            [cell_len(name), *(cell_len(str(v)) for v in frame[name].head(200).to_list() if v is not None)]))
        table.add_column(Text(name, justify="right" if is_amount else "left"), key=name, width=width)
    table.add_rows([[cell(v, name, a) for v, name, a in zip(row, frame.columns, amount, strict=True)]
                    for row in frame.iter_rows()])


class CrossScreen(Screen[None]):
    """A view across documents: facts on top, tables below; `e` exports the focused table."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "dismiss", "返回"),
        Binding("e", "export", "导出"),
        Binding("q", "dismiss", "返回", show=False),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, title: str, facts: Text, tables: list[tuple[str, pl.DataFrame, str]]) -> None:
        super().__init__()
        self.screen_title = title
        self.facts = facts
        self.tables = tables  # (title, frame, export name)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.facts, id="cross-facts")
        for number, (title, _, _) in enumerate(self.tables):
            table = DataTable(zebra_stripes=True, cursor_type="row", id=f"cross-{number}", classes="cross")
            table.border_title = title
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.screen_title
        for number, (_, frame, _) in enumerate(self.tables):
            fill(self.query_one(f"#cross-{number}", DataTable), frame)
        self.query_one("#cross-0", DataTable).focus()

    def action_move(self, step: int) -> None:
        """j and k move in the focused table, as in the tree."""
        table = self.focused
        if isinstance(table, DataTable):
            table.action_cursor_down() if step > 0 else table.action_cursor_up()

    def action_export(self) -> None:
        from budgettui.tui.app import save
        from budgettui.tui.screens import ExportScreen

        focused = self.focused
        number = int(focused.id.rsplit("-", 1)[1]) if isinstance(focused, DataTable) and focused.id else 0
        _, frame, name = self.tables[number]

        def done(choice) -> None:
            if choice is not None:
                fmt, path = choice
                save(frame, fmt, path)
                self.notify(f"exported {frame.height} rows to {path}")

        self.app.push_screen(ExportScreen(name, self.app.export_folder), done)  # type: ignore[attr-defined]


class AcrossScreen(CrossScreen):
    """One subject in every document; enter goes to it in the document of the row."""

    def __init__(self, code: str, across: Across) -> None:
        super().__init__(f"{code} · 所有文档", across.facts, [("按金额", across.frame, f"subject-{code}-across")])
        self.code = code
        self.doc_ids = across.doc_ids

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        app = self.app
        node = app.by_id.get(f"{self.doc_ids[event.cursor_row]}|subject|{self.code}")  # type: ignore[attr-defined]
        self.dismiss()
        if node is not None:
            app.go_to(node)  # type: ignore[attr-defined]


class YearsScreen(CrossScreen):
    """One department in two years: by subject, by project."""

    def __init__(self, title: str, comparison: Comparison) -> None:
        super().__init__(title, comparison.facts, [
            ("按科目（表3）", comparison.subjects, "compare-subjects"),
            ("按项目（表12、表13）", comparison.projects, "compare-projects"),
        ])
