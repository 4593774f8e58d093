"""A first browser: a tree of the budget on the left, the focused node's table on the right.

The tree holds, per document: 收支总览 (tables 1 and 4), 功能科目 (类 › 款 › 项), 单位与项目,
the other tables, 情况说明 and 名词解释, and 核对 (findings).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from budgettui import schema
from budgettui.model import Budget


@dataclass(frozen=True, slots=True)
class Node:
    """What a tree node stands for: a resource (filtered to a document), or one record."""

    kind: str  # resource, subject, unit, project, section
    doc_id: str
    key: str | None = None
    resource: str | None = None
    name: str = ""


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def label(name: str, amount: Decimal | None = None, code: str | None = None) -> Text:
    """A node label: code, name and amount; a Text so brackets are never read as markup."""
    text = Text()
    if code:
        text.append(code + " ", style="bold cyan")
    text.append(name)
    if amount is not None:
        text.append(f"  {money(amount)}", style="green")
    return text


class BudgetTree(Tree[Node]):
    """The budget tree with vim keys."""

    BINDINGS = [  # noqa: RUF012 - Textual's declared binding list
        ("j", "cursor_down", "Down"),
        ("k", "cursor_up", "Up"),
        ("l", "select_cursor", "Open"),
        ("h", "cursor_parent", "Parent"),
    ]


class BudgetApp(App[None]):
    """Browse a Budget from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "budgettui"
    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012

    def __init__(self, budget: Budget) -> None:
        super().__init__()
        self.budget = budget
        documents = budget["documents"]
        if documents.height:
            self.sub_title = " · ".join(documents["title"].to_list())

    def compose(self) -> ComposeResult:
        yield Header()
        yield BudgetTree("部门预算", id="tree")
        with Vertical(id="detail"):
            yield Static(id="crumb")
            yield Static(id="facts")
            yield DataTable(id="grid", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(BudgetTree)
        tree.show_root = False
        for doc in self.budget["documents"].iter_rows(named=True):
            self._add_document(tree.root, doc)
        tree.root.expand()
        tree.focus()
        first = tree.root.children[0] if tree.root.children else None
        if first is not None:
            self.call_after_refresh(self._focus_node, first)

    # ---------------------------------------------------------------- building the tree

    def _frame(self, resource: str, doc_id: str) -> pl.DataFrame:
        return self.budget[resource].filter(pl.col("doc_id") == doc_id)

    @staticmethod
    def _table_node(doc_id: str, resource: str, name: str | None = None) -> Node:
        return Node("resource", doc_id, None, resource, name or schema.resource(resource).zh)

    def _add_document(self, root: TreeNode[Node], doc: dict) -> None:
        doc_id = doc["doc_id"]
        top = root.add(label(doc["title"] or doc_id), Node("resource", doc_id, None, "documents", "部门"),
                       expand=True)
        summary = top.add(label("收支总览"), self._table_node(doc_id, "budget_summary", "收支总览"))
        summary.add_leaf(label("财政拨款收支总表"), self._table_node(doc_id, "fiscal_summary"))
        self._add_subjects(top, doc_id)
        self._add_units(top, doc_id)
        for name in ("basic_expenditure_by_economic", "three_public_costs", "operating_costs",
                     "fund_income", "fund_expenditure", "state_capital", "income_by_subject",
                     "general_budget_expenditure"):
            title = schema.resource(name).zh
            top.add_leaf(label(title), Node("resource", doc_id, None, name, title))
        narrative = top.add(label("情况说明"), Node("resource", doc_id, None, "narrative", "情况说明"))
        sections = self._frame("narrative", doc_id)["section"].unique(maintain_order=True)
        for section in sections.drop_nulls().to_list():
            narrative.add_leaf(label(section), Node("section", doc_id, section, None, section))
        top.add_leaf(label("名词解释"), Node("resource", doc_id, None, "glossary", "名词解释"))
        findings = self._frame("findings", doc_id).height
        top.add_leaf(label(f"核对 ({findings})"), Node("resource", doc_id, None, "findings", "核对"))

    def _add_subjects(self, top: TreeNode[Node], doc_id: str) -> None:
        spend = self._frame("expenditure_by_subject", doc_id)
        total = spend.filter(pl.col("code").is_null())["total"]
        branch = top.add(label("功能科目", total.item() if total.len() else None),
                         Node("resource", doc_id, None, "expenditure_by_subject", "功能科目"))
        nodes: dict[str, TreeNode[Node]] = {}
        for row in spend.filter(pl.col("code").is_not_null()).iter_rows(named=True):
            parent = nodes.get(row["parent_code"] or "", branch)
            data = Node("subject", doc_id, row["code"], None, f"{row['code']} {row['name']}")
            node = parent.add(label(row["name"], row["total"], row["code"]), data, allow_expand=False)
            if parent is not branch:
                parent.allow_expand = True
            nodes[row["code"]] = node

    def _add_units(self, top: TreeNode[Node], doc_id: str) -> None:
        projects = self._frame("projects", doc_id)
        branch = top.add(label("单位与项目", projects["total"].sum() if projects.height else None),
                         Node("resource", doc_id, None, "projects", "单位与项目"))
        for unit in self._frame("units", doc_id).iter_rows(named=True):
            own = projects.filter(pl.col("unit_id") == unit["unit_id"])
            node = branch.add(label(unit["name"], own["total"].sum() if own.height else None),
                              Node("unit", doc_id, unit["unit_id"], None, unit["name"]))
            for project in own.iter_rows(named=True):
                mark = "" if project["kind"] == "current" else "〔结转〕"
                node.add_leaf(label(mark + project["name"], project["total"]),
                              Node("project", doc_id, project["project_id"], None, project["name"]))

    # ---------------------------------------------------------------- the detail pane

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Node]) -> None:
        self._focus_node(event.node)

    def _focus_node(self, focused: TreeNode[Node]) -> None:
        """Show the breadcrumb and the detail of the focused node."""
        node: TreeNode[Node] | None = focused
        crumbs = []
        while node is not None and node.data is not None:
            crumbs.append(node.data.name or node.label.plain)
            node = node.parent
        self.query_one("#crumb", Static).update(Text(" › ".join(reversed(crumbs))))
        if focused.data is not None:
            self.show(focused.data)

    def show(self, node: Node) -> None:
        """Fill the detail pane for a tree node."""
        facts = self.query_one("#facts", Static)
        if node.kind == "resource":
            facts.update(Text(self._title(node.resource or "")))
            self._fill(self._frame(node.resource or "", node.doc_id), node.resource or "")
        elif node.kind == "subject":
            frame = self._frame("expenditure_by_subject", node.doc_id)
            row = frame.filter(pl.col("code") == node.key).row(0, named=True)
            facts.update(Text(f"{row['code']} {row['name']}\n合计 {money(row['total'])} 万元  "
                              f"基本支出 {money(row['basic'])}  项目支出 {money(row['project'])}"))
            self._fill(frame.filter(pl.col("parent_code") == node.key), "expenditure_by_subject")
        elif node.kind == "unit":
            unit = self._frame("units", node.doc_id).filter(pl.col("unit_id") == node.key)
            facts.update(Text(unit["name"].item()))
            projects = self._frame("projects", node.doc_id)
            self._fill(projects.filter(pl.col("unit_id") == node.key), "projects")
        elif node.kind == "project":
            self._show_project(node)
        elif node.kind == "section":
            paragraphs = self._frame("narrative", node.doc_id).filter(pl.col("section") == node.key)
            facts.update(Text("\n\n".join(
                (f"{h}\n" if h else "") + t
                for h, t in zip(paragraphs["heading"], paragraphs["text"], strict=True))))
            self._fill(paragraphs.select("seq", "heading", "source_line"), "narrative")

    def _show_project(self, node: Node) -> None:
        project = self._frame("projects", node.doc_id).filter(pl.col("project_id") == node.key)
        row = project.row(0, named=True)
        kind = "本年预算" if row["kind"] == "current" else "上年结转"
        lines = [row["name"], f"{row['unit']} · {kind} · 第{row['source_line']}行",
                 f"合计 {money(row['total'])} 万元  一般公共预算 {money(row['general_budget'])}"
                 f"  政府性基金 {money(row['fund_budget'])}"]
        indicators = self._frame("indicators", node.doc_id).filter(pl.col("project_id") == node.key)
        if indicators.height == 0:
            lines.append("本项目没有绩效目标表。")
        self.query_one("#facts", Static).update(Text("\n".join(lines)))
        self._fill(indicators.select("period", "level1", "level2", "name", "value", "source_line"),
                   "indicators")

    def _title(self, resource: str) -> str:
        meta = schema.resource(resource)
        number = f"表{meta.table_no} " if meta.table_no else ""
        return f"{number}{meta.zh} ({meta.en})"

    def _fill(self, frame: pl.DataFrame, resource: str) -> None:
        grid = self.query_one("#grid", DataTable)
        grid.clear(columns=True)
        meta = schema.resource(resource)
        shown = [c for c in frame.columns if c != "doc_id"]
        for name in shown:
            title = meta.column(name).zh if name in meta.column_names else name
            grid.add_column(Text(title), key=name)
        for row in frame.select(shown).iter_rows():
            grid.add_row(*(self._cell(v) for v in row))

    @staticmethod
    def _cell(value: object) -> Text:
        if value is None:
            return Text("")
        if isinstance(value, Decimal):
            return Text(money(value), justify="right")
        return Text(str(value))
