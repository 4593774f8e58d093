"""The detail pane: one set of widgets, refilled for each node (views.py says with what)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from budgettui import schema
from budgettui.model import Budget
from budgettui.tui.outline import Node
from budgettui.tui.tree import money
from budgettui.tui.views import View, Views


def cell(value: object) -> Text:
    """A table cell: amounts right-aligned with thousands separators, null as empty."""
    if value is None:
        return Text("")
    if isinstance(value, Decimal):
        return Text(money(value), justify="right")
    return Text(str(value))


#: Titles of the columns the views add to a resource's own.
_TITLES = {"share_pct": "占比%", "figure": "数字"}


def fill_table(table: DataTable, frame: pl.DataFrame, resource: str | None = None) -> None:
    """Fill a DataTable from a frame, column titles from the schema where known."""
    table.clear(columns=True)
    meta = schema.BY_NAME.get(resource or "")
    shown = [c for c in frame.columns if c != "doc_id"]
    for name in shown:
        title = meta.column(name).zh if meta and name in meta.column_names else _TITLES.get(name, name)
        table.add_column(Text(title), key=name)
    table.add_rows([cell(v) for v in row] for row in frame.select(shown).iter_rows())


def _grid(**kwargs) -> DataTable:
    return DataTable(zebra_stripes=True, cursor_type="row", classes="grid", **kwargs)


class Detail(VerticalScroll):
    """Shows one node; remembers the frame on display so it can be copied or exported.

    Its widgets are made once and refilled: rebuilding them for every cursor move would
    cost a full relayout each time."""

    can_focus = False  # tab goes straight to the table inside

    def __init__(self, budget: Budget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.views = Views(budget)
        self.frame: pl.DataFrame | None = None
        self.frame_name = ""
        self.node: Node | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="facts", classes="facts")
        yield Static(id="prose", classes="prose")
        yield _grid(id="grid")
        with TabbedContent(id="tabs", classes="tabs"):
            with TabPane("年度目标", id="tab-annual"):
                yield _grid(id="annual")
            with TabPane("实施期目标", id="tab-implementation"):
                yield _grid(id="implementation")
            with TabPane("项目概况", id="tab-text"):
                yield Static(id="project-text")
            with TabPane("原文", id="tab-source"):
                yield Static(id="project-source")

    def show(self, node: Node) -> None:
        """Fill the pane with the view of `node`."""
        self.node = node
        self.apply(self.views.of(node))
        self.scroll_home(animate=False)

    def apply(self, view: View) -> None:
        self.frame, self.frame_name = view.frame, view.name
        self.query_one("#facts", Static).update(view.facts)
        prose = self.query_one("#prose", Static)
        prose.display = view.prose is not None
        if view.prose is not None:
            prose.update(view.prose)
        grid = self.query_one("#grid", DataTable)
        grid.display = view.table is not None
        if view.table is not None:
            fill_table(grid, view.table, view.resource)
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.display = view.tabs is not None
        if view.tabs is not None:
            fill_table(self.query_one("#annual", DataTable), view.tabs.annual, "indicators")
            fill_table(self.query_one("#implementation", DataTable), view.tabs.implementation, "indicators")
            self.query_one("#project-text", Static).update(view.tabs.text)
            self.query_one("#project-source", Static).update(view.tabs.source)
