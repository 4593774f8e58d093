"""The detail pane: what the focused node holds, by kind of node."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import polars as pl
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from budgettui import schema
from budgettui.model import Budget
from budgettui.tui.outline import Node
from budgettui.tui.tree import money

_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|元|%|个|辆|平方米|人)?")
_TEXT_FIELDS = (("overview", "项目概况"), ("basis", "立项依据"), ("necessity", "项目设立必要性"),
                ("measures", "保证项目实施的制度、措施"), ("plan", "项目实施计划"),
                ("goal_implementation", "实施期总体目标"), ("goal_annual", "年度总体目标"))
_FUND_PARTS = (("central", "中央财政资金"), ("provincial", "省级财政资金"),
               ("local", "市县（区）财政资金"), ("self", "单位自筹"), ("other", "其他资金"))


def bar(share: Decimal, width: int = 20) -> str:
    """A share (0–1) as a bar of full and empty blocks."""
    filled = int((share * width).to_integral_value()) if share > 0 else 0
    return "█" * min(filled, width) + "░" * (width - min(filled, width))


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"))


def with_share(frame: pl.DataFrame, whole: Decimal | None) -> pl.DataFrame:
    """Add `share_pct`: each row's total as a percentage of `whole`, exact to 0.01."""
    shares = [percent(total, whole) for total in frame["total"]]
    return frame.with_columns(pl.Series("share_pct", shares, dtype=pl.Decimal(8, 2)))


def cell(value: object) -> Text:
    """A table cell: amounts right-aligned with thousands separators, null as empty."""
    if value is None:
        return Text("")
    if isinstance(value, Decimal):
        return Text(money(value), justify="right")
    return Text(str(value))


def fill_table(table: DataTable, frame: pl.DataFrame, resource: str | None = None) -> None:
    """Fill a DataTable from a frame, column titles from the schema where known."""
    table.clear(columns=True)
    meta = schema.BY_NAME.get(resource or "")
    shown = [c for c in frame.columns if c != "doc_id"]
    for name in shown:
        title = meta.column(name).zh if meta and name in meta.column_names else name
        table.add_column(Text(title), key=name)
    for row in frame.select(shown).iter_rows():
        table.add_row(*(cell(v) for v in row))


class Detail(VerticalScroll):
    """Shows one node; remembers the frame on display so it can be copied or exported."""

    can_focus = False  # tab goes straight to the table inside

    def __init__(self, budget: Budget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.budget = budget
        self.frame: pl.DataFrame | None = None
        self.frame_name = ""
        self.node: Node | None = None

    def _frame(self, resource: str, doc_id: str) -> pl.DataFrame:
        return self.budget[resource].filter(pl.col("doc_id") == doc_id)

    def show(self, node: Node) -> None:
        """Replace the pane's content with the view of `node`."""
        self.node = node
        self.remove_children()
        view = getattr(self, f"_{node.kind}", self._resource)
        view(node)
        self.scroll_home(animate=False)

    # ------------------------------------------------------------------ building blocks

    def _text(self, text: Text | str, classes: str = "facts") -> None:
        self.mount(Static(text if isinstance(text, Text) else Text(text), classes=classes))

    def _table(self, frame: pl.DataFrame, name: str, resource: str | None = None,
               into=None) -> DataTable:
        """Mount a data table of `frame`; it becomes the frame that `y` and `e` act on."""
        table = DataTable(zebra_stripes=True, cursor_type="row", classes="grid")
        (into or self).mount(table)
        fill_table(table, frame, resource)
        self.frame, self.frame_name = frame, name
        return table

    # ------------------------------------------------------------------ views by kind

    def _document(self, node: Node) -> None:
        doc = self._frame("documents", node.doc_id).row(0, named=True)
        self._text(Text.assemble(
            (f"{doc['title']}\n", "bold"),
            f"部门 {doc['department']} · 预算年度 {doc['year']} · {doc['line_count']} 行\n",
            (f"{Path(doc['source_path']).name}  sha256 {doc['sha256'][:16]}…", "dim"),
        ))
        counts = pl.DataFrame({
            "resource": [r.name for r in schema.RESOURCES],
            "表": [r.table_no for r in schema.RESOURCES],
            "标题": [r.zh for r in schema.RESOURCES],
            "行数": [self._frame(r.name, node.doc_id).height for r in schema.RESOURCES],
        })
        self._table(counts, "resources")

    def _summary(self, node: Node) -> None:
        """Table 1 as a readable summary: what comes in, what goes out, non-empty lines only."""
        frame = self._frame("budget_summary", node.doc_id)
        printed = frame.filter(pl.col("amount").is_not_null())
        lines = Text("预算收支总表（万元）\n", style="bold")
        for side, title in (("income", "收入"), ("expenditure", "支出")):
            lines.append(f"\n{title}\n", style="bold")
            for row in printed.filter(pl.col("side") == side).iter_rows(named=True):
                style = "bold" if row["row_kind"] != "item" else ""
                lines.append(f"  {row['item']:<20}{money(row['amount']):>14}\n", style=style)
        fiscal = self._frame("fiscal_summary", node.doc_id)
        spent = fiscal.filter((pl.col("side") == "expenditure") & pl.col("total").is_not_null())
        lines.append("\n财政拨款支出（表4）\n", style="bold")
        for row in spent.iter_rows(named=True):
            lines.append(f"  {row['item']:<20}{money(row['total']):>14}\n")
        self._text(lines)
        self.frame, self.frame_name = frame, "budget_summary"

    def _resource(self, node: Node) -> None:
        resource = node.resource or "documents"
        meta = schema.resource(resource)
        number = f"表{meta.table_no} " if meta.table_no else ""
        frame = self._frame(resource, node.doc_id)
        self._text(Text.assemble((f"{number}{meta.zh}", "bold"), f"  {meta.en} · {frame.height} 行"))
        if frame.height == 0:
            self._text("本表无数据。")
        self._table(frame, resource, resource)

    def _subject(self, node: Node) -> None:
        frame = self._frame("expenditure_by_subject", node.doc_id)
        row = frame.filter(pl.col("code") == node.key).row(0, named=True)
        total = frame.filter(pl.col("code").is_null())["total"]
        parent = frame.filter(pl.col("code") == row["parent_code"])["total"] if row["parent_code"] else total
        text = Text.assemble((f"{row['code']} {row['name']}\n", "bold"),
                             f"合计 {money(row['total'])} 万元 = 基本支出 {money(row['basic'])}"
                             f" + 项目支出 {money(row['project'])}    第{row['source_line']}行\n")
        for title, whole in (("占上级", parent), ("占总额", total)):
            share = percent(row["total"], whole.item() if whole.len() else None)
            if share is not None:
                text.append(f"{title} {bar(share / 100)} {share}%\n")
        self._text(text)
        children = [c.key for c in node.children]
        rows = with_share(frame.filter(pl.col("code").is_in(children)), row["total"])
        order = {code: i for i, code in enumerate(children)}
        rows = rows.sort(pl.col("code").replace_strict(order, default=None))
        self._table(rows.select("code", "name", "total", "basic", "project", "share_pct", "source_line"),
                    f"subject-{row['code']}", "expenditure_by_subject")

    def _unit(self, node: Node) -> None:
        unit = self._frame("units", node.doc_id).filter(pl.col("unit_id") == node.key).row(0, named=True)
        projects = self._frame("projects", node.doc_id).filter(pl.col("unit_id") == node.key)
        total = projects["total"].sum() if projects.height else None
        text = Text.assemble((f"{unit['name']}\n", "bold"), f"{unit['kind'] or '单位'} · "
                             f"{projects.height} 个项目 · 项目支出 {money(total)} 万元\n")
        costs = self._frame("operating_costs", node.doc_id).filter(pl.col("unit") == unit["name"])
        if costs.height:
            text.append(f"机关运行经费 {money(costs['total'].item())} 万元（表11 第{costs['source_line'].item()}行）\n")
        self._text(text)
        order = {c.key: i for i, c in enumerate(node.children)}
        rows = with_share(projects, total).with_columns(
            pl.when(pl.col("kind") == "current").then(pl.lit("本年")).otherwise(pl.lit("结转")).alias("kind"),
        ).sort(pl.col("project_id").replace_strict(order, default=None))
        self._table(rows.select("project_id", "name", "kind", "total", "share_pct", "source_line"),
                    f"unit-{node.key}", "projects")

    def _project(self, node: Node) -> None:
        project = self._frame("projects", node.doc_id).filter(pl.col("project_id") == node.key)
        row = project.row(0, named=True)
        targets = self._frame("performance_targets", node.doc_id).filter(pl.col("project_id") == node.key)
        kind = "本年预算（表12）" if row["kind"] == "current" else "上年结转（表13）"
        text = Text.assemble((f"{row['name']}\n", "bold"), f"{row['unit']} · {kind} · 第{row['source_line']}行\n",
                             f"合计 {money(row['total'])} 万元  一般公共预算 {money(row['general_budget'])}"
                             f"  政府性基金 {money(row['fund_budget'])}\n")
        indicators = self._frame("indicators", node.doc_id).filter(pl.col("project_id") == node.key)
        if targets.height == 0:
            text.append("本项目没有绩效目标表。\n", style="yellow")
            self._text(text)
            self.frame, self.frame_name = project, f"project-{node.key}"
            return
        target = targets.row(0, named=True)
        text.append(f"项目属性 {target['attribute'] or ''} · 项目期 {target['period'] or ''} · "
                    f"填报日期 {target['fill_date'] or target['fill_time'] or '未印'}\n")
        for prefix, title in (("annual", "年度资金"), ("total", "实施期资金")):
            parts = "  ".join(f"{zh} {money(target[f'{prefix}_{part}'])}" for part, zh in _FUND_PARTS
                              if target[f"{prefix}_{part}"])
            funds = target["annual_funds" if prefix == "annual" else "total_funds"]
            text.append(f"{title} {money(funds)} 元  {parts}\n")
        self._text(text)
        columns = ["level1", "level2", "name", "value", "flag", "source_line"]
        panes = []
        for period, title in (("annual", "年度目标"), ("implementation", "实施期目标")):
            table = DataTable(zebra_stripes=True, cursor_type="row", classes="grid")
            fill_table(table, indicators.filter(pl.col("period") == period).select(columns), "indicators")
            panes.append(TabPane(title, table, id=f"tab-{period}"))
        body = Text()
        for field, title in _TEXT_FIELDS:
            if target[field]:
                body.append(f"{title}\n", style="bold")
                body.append(f"{target[field]}\n\n")
        panes.append(TabPane("项目概况", Static(body), id="tab-text"))
        flagged = set(indicators.filter(pl.col("flag").is_not_null())["source_line"])
        source = self._source(node.doc_id, target["source_line"], target["last_line"], flagged)
        panes.append(TabPane("原文", Static(source), id="tab-source"))
        tabs = TabbedContent(classes="tabs")
        for pane in panes:
            tabs.compose_add_child(pane)  # what `with TabbedContent():` does in compose
        self.mount(tabs)
        self.frame = indicators.filter(pl.col("period") == "annual").select(["period", *columns])
        self.frame_name = f"indicators-{node.key}"

    def _source(self, doc_id: str, first: int, last: int | None, marked: set[int] | None = None) -> Text:
        """Source lines with their numbers; lines of repaired rows marked with ◆."""
        text = Text()
        for line in self.budget.source_lines(doc_id, first, last):
            flag = "◆" if marked and line.no in marked else " "
            text.append(f"{line.no:>5} {flag} ", style="dim" if flag == " " else "bold yellow")
            text.append(line.text.replace("\t", " │ ") + "\n")
        return text

    def _section(self, node: Node) -> None:
        part, section = (node.key or "|").split("|", 1)
        paragraphs = self._frame("narrative", node.doc_id).filter(
            (pl.col("part") == part) & (pl.col("section") == section))
        text = Text(f"{section}\n\n", style="bold")
        heading = None
        for row in paragraphs.iter_rows(named=True):
            if row["heading"] and row["heading"] != heading:
                heading = row["heading"]
                text.append(f"{heading}\n", style="bold")
            start = len(text)
            text.append(f"{row['text']}  ")
            text.append(f"〔{row['source_line']}〕\n\n", style="dim")
            for match in _FIGURE.finditer(row["text"]):
                text.stylize("bold green", start + match.start(), start + match.end())
        self._text(text, classes="prose")
        figures = [(m.group().strip(), r["source_line"]) for r in paragraphs.iter_rows(named=True)
                   for m in _FIGURE.finditer(r["text"]) if len(m.group().strip()) > 2]
        frame = pl.DataFrame(figures, schema={"figure": pl.String, "source_line": pl.Int64}, orient="row")
        self._table(frame, f"figures-{section}")

    def _finding(self, node: Node) -> None:
        findings = self._frame("findings", node.doc_id)
        row = findings.row(int(node.key or 0), named=True)
        text = Text.assemble((f"{row['severity']}  {row['rule']}\n", "bold"), f"{row['message']}\n")
        for title, field in (("资源", "resource"), ("键", "key"), ("应为", "expected"), ("实为", "actual")):
            if row[field] is not None:
                text.append(f"{title} {row[field]}\n")
        text.append("enter: 跳到相关节点\n", style="dim")
        self._text(text)
        if row["source_line"]:
            self._text(self._source(node.doc_id, max(1, row["source_line"] - 2), row["source_line"] + 2,
                                    {row["source_line"]}))
        self.frame, self.frame_name = findings.slice(int(node.key or 0), 1), "finding"
