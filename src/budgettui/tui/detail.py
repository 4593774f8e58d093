"""The detail pane: one set of widgets, refilled for each node (views.py says with what)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tabs

from budgettui import schema
from budgettui.model import Budget
from budgettui.tui.outline import SEVERITY_ZH, Node
from budgettui.tui.screens import collect_garbage
from budgettui.tui.tree import money
from budgettui.tui.views import View, Views

#: Longest cell text shown (a cell is cut there, with a note: a 10 MB line would stall every key).
CELL_CHARS = 500
#: Widest a text column is drawn (its cells end in …), so the amounts after it stay on screen.
TEXT_WIDTH = 24

#: Values shown in Chinese (the data keeps its codes: `y` and `e` copy and export those).
VALUES: dict[str, dict[str, str]] = {
    "row_kind": {"total": "合计", "subtotal": "小计", "group": "分组", "item": "明细"},
    "kind": {"current": "当年", "carryover": "结转"},
    "side": {"income": "收入", "expenditure": "支出"},
    "period": {"annual": "年度", "implementation": "实施期"},
    "level": {"department": "部门", "unit": "单位"},
    "severity": SEVERITY_ZH,
}

#: Columns that name a row: they come first (with a code before them).
_LEAD = ("code", "project_id", "name", "item", "unit", "dept_econ_name", "term", "value", "figure",
         "severity", "rule", "message", "level1", "level2")
#: Bookkeeping: last, after every amount and attribute.
_TAIL = ("seq", "level", "parent_code", "row_kind", "group", "parent_item", "raw", "source_page",
         "source_line")


def ordered_columns(frame: pl.DataFrame) -> list[str]:
    """Columns in reading order: what names the row, its amounts, the rest, bookkeeping."""
    names = [c for c in frame.columns if c != "doc_id"
             and not (c == "source_page" and frame[c].null_count() == frame.height)]  # no pages
    amounts = [c for c in names if isinstance(frame.schema[c], pl.Decimal)]
    lead = [c for c in _LEAD if c in names and c not in amounts]
    if "name" in lead:  # next to a name, a project's id and its unit are attributes
        lead = [c for c in lead if c not in ("project_id", "unit")]
    tail = [c for c in _TAIL if c in names and c not in lead and c not in amounts]
    rest = [c for c in names if c not in lead and c not in amounts and c not in tail]
    return lead + amounts + rest + tail


def cell(value: object, column: str = "", amount: bool = False) -> Text:
    """A table cell: amounts right-aligned with thousands separators, an empty amount `–`,
    codes translated for display, long text cut."""
    if value is None:
        return Text("–" if amount else "", justify="right" if amount else "left")
    if isinstance(value, Decimal):
        return Text(money(value), justify="right")
    text = str(value)
    text = VALUES.get(column, {}).get(text, text)
    if len(text) > CELL_CHARS:
        text = f"{text[:CELL_CHARS]}…（截断，共 {len(text)} 字）"
    return Text(text, no_wrap=True, overflow="ellipsis")


#: Titles of the columns the views add to a resource's own.
_TITLES = {"share_pct": "占比%", "figure": "数字", "resource": "资源", "表": "表", "标题": "标题",
           "行数": "行数"}


def title_of(name: str, resource: str | None) -> str:
    """A column's Chinese title: the resource's own, else any resource's, else the views'."""
    meta = schema.BY_NAME.get(resource or "")
    if meta and name in meta.column_names:
        return meta.column(name).zh
    if name in _TITLES:
        return _TITLES[name]
    for other in schema.RESOURCES:
        if name in other.column_names:
            return other.column(name).zh
    return name


def fill_table(table: DataTable, frame: pl.DataFrame, resource: str | None = None, room: int = 0) -> None:
    """Fill a DataTable from a frame: names first, then amounts, bookkeeping last; titles
    from the schema; text columns no wider than TEXT_WIDTH, and narrower when the names and
    the first amount would not fit in `room` cells."""
    table.clear(columns=True)
    shown = ordered_columns(frame)
    is_amount = [isinstance(frame.schema[name], pl.Decimal) for name in shown]
    rows = [[cell(v, name, amount) for v, name, amount in zip(row, shown, is_amount, strict=True)]
            for row in frame.select(shown).iter_rows()]
    titles = [Text(title_of(name, resource)) for name in shown]
    widths = [max(cell_len(title.plain), *(cell_len(row[i].plain) for row in rows)) if rows else cell_len(title.plain)
              for i, title in enumerate(titles)]
    fixed = [None if amount else min(width, TEXT_WIDTH) for width, amount in zip(widths, is_amount, strict=True)]
    if room and True in is_amount:
        first = is_amount.index(True)
        need = sum(fixed[:first]) + widths[first] + 2 * (first + 1)  # each column pads 1 a side
        if need > room:
            widest = max(range(first), key=lambda i: fixed[i], default=None)
            if widest is not None:
                fixed[widest] = max(fixed[widest] - (need - room), 8)
    for name, title, width in zip(shown, titles, fixed, strict=True):
        table.add_column(title, key=name, width=width)
    table.add_rows(rows)


def _grid(**kwargs) -> DataTable:
    return DataTable(zebra_stripes=True, cursor_type="row", classes="grid", **kwargs)


class Detail(VerticalScroll):
    """Shows one node; remembers the frame on display so it can be copied or exported.

    Its widgets are made once and refilled: rebuilding them for every cursor move would
    cost a full relayout each time."""

    can_focus = False  # tab goes straight to the table inside
    BINDINGS = [  # noqa: RUF012 - Textual's binding list
        # In the pane, 1–4 pick a project's tab (in the tree they open it to a depth).
        *(Binding(str(n), f"app.pick_tab({n})", f"Tab {n}", show=False) for n in range(1, 5)),
    ]
    TABS = ("tab-annual", "tab-implementation", "tab-text", "tab-source")

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
            with TabPane("1 年度目标", id="tab-annual"):
                yield _grid(id="annual")
            with TabPane("2 实施期目标", id="tab-implementation"):
                yield _grid(id="implementation")
            with TabPane("3 项目概况", id="tab-text"):
                yield Static(id="project-text")
            with TabPane("4 原文", id="tab-source"):
                yield Static(id="project-source")

    def pick_tab(self, index: int) -> bool:
        """Show a project's tab (0 年度目标 … 3 原文); False when no project is on display."""
        tabs = self.query_one("#tabs", TabbedContent)
        if not tabs.display:
            return False
        tabs.active = self.TABS[index % len(self.TABS)]
        pane = tabs.get_pane(tabs.active)
        grid = pane.query(DataTable)
        # The tab's table takes the focus; a text tab leaves it on the tab row, which scrolls.
        self.screen.set_focus(grid.first() if grid else tabs.query_one(Tabs))
        return True

    def step_tab(self, step: int) -> bool:
        """The previous or next tab of a project; False when no project is on display."""
        tabs = self.query_one("#tabs", TabbedContent)
        if not tabs.display:
            return False
        return self.pick_tab(self.TABS.index(tabs.active) + step)

    def show(self, node: Node) -> None:
        """Fill the pane with the view of `node`."""
        self.node = node
        self.apply(self.views.of(node))
        self.scroll_home(animate=False)
        self.call_after_refresh(collect_garbage)  # the cursor rests: its node is on display

    def apply(self, view: View) -> None:
        self.frame, self.frame_name = view.frame, view.name
        self.query_one("#facts", Static).update(view.facts)
        prose = self.query_one("#prose", Static)
        prose.display = view.prose is not None
        if view.prose is not None:
            prose.update(view.prose)
        grid = self.query_one("#grid", DataTable)
        grid.display = view.table is not None
        # the table's left edge and the scrollbar, shown or not: the previous node's scrollbar
        # may still be there, and the widths must not depend on it
        room = self.content_region.width - self.styles.scrollbar_size_vertical - 2
        if view.table is not None:
            fill_table(grid, view.table, view.resource, room)
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.display = view.tabs is not None
        if view.tabs is not None:
            fill_table(self.query_one("#annual", DataTable), view.tabs.annual, "indicators", room)
            fill_table(self.query_one("#implementation", DataTable), view.tabs.implementation, "indicators", room)
            self.query_one("#project-text", Static).update(view.tabs.text)
            self.query_one("#project-source", Static).update(view.tabs.source)
