"""What the detail pane shows for each kind of node, built from the Budget without Textual."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import polars as pl
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from budgettui import schema
from budgettui.model import Budget
from budgettui.sources import locate
from budgettui.tui.outline import SEVERITY_ORDER, SEVERITY_ZH, Node
from budgettui.tui.tree import money

_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|元|%|个|辆|平方米|人)?")
_TEXT_FIELDS = (("overview", "项目概况"), ("basis", "立项依据"), ("necessity", "项目设立必要性"),
                ("measures", "保证项目实施的制度、措施"), ("plan", "项目实施计划"),
                ("goal_implementation", "实施期总体目标"), ("goal_annual", "年度总体目标"))
_FUND_PARTS = (("central", "中央财政资金"), ("provincial", "省级财政资金"),
               ("local", "市县（区）财政资金"), ("self", "单位自筹"), ("other", "其他资金"))
INDICATOR_COLUMNS = ["level1", "level2", "name", "value", "flag", "source_page", "source_line"]
#: Longest paragraph or source line a pane renders; the rest is cut, with a note saying so.
LINE_CHARS = 2000
#: Characters a line may not start with (and the ones it may not end with), as in Chinese
#: typesetting: a wrapped line never begins with `。` or `）`.
NO_START = set("。，、；：？！）》」』】〕〉”’…·%‰—～,.;:?!)]}")
NO_END = set("（《「『【〔〈“‘([{")
KIND_ZH = {"current": "当年", "carryover": "结转"}



def cite(row: dict) -> str:
    """Where a row is printed: 第12行, or 第8页第12行 for a paged source (a PDF)."""
    page = row.get("source_page")
    return f"第{page}页第{row['source_line']}行" if page else f"第{row['source_line']}行"

def capped(text: str, limit: int = LINE_CHARS) -> str:
    """`text`, cut after `limit` characters with a note of how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} …〔此处截断：全文 {len(text):,} 字，budgettui show 可输出全部〕"


def _breaks(text: str, width: int) -> list[int]:
    """Offsets where `text` (one line, no newline) wraps at `width` cells: after a space when
    there is one, never before a closing mark or after an opening one."""
    breaks: list[int] = []
    start, used = 0, 0
    i = 0
    while i < len(text):
        w = cell_len(text[i])
        if used + w > width and i > start:
            cut = i
            # keep words of Latin text whole: go back to the last space, if the line has one
            if text[i].isascii() and text[i].isalnum():
                space = text.rfind(" ", start, i)
                if space > start:
                    cut = space + 1
            # a closing mark stays with the character before it; an opening one with the next
            while cut - 1 > start and (text[cut] in NO_START or text[cut - 1] in NO_END):
                cut -= 1
            breaks.append(cut)
            start, used = cut, cell_len(text[cut:i])
            continue
        used += w
        i += 1
    return breaks


class Wrapped:
    """Lines with an optional gutter (line numbers), wrapped to the pane's width by Chinese
    rules; a wrapped line's continuation keeps the gutter's indent."""

    def __init__(self) -> None:
        self.rows: list[tuple[Text, Text]] = []

    def add(self, body: Text | str, gutter: Text | str = "") -> None:
        gutter = Text(gutter) if isinstance(gutter, str) else gutter
        body = Text(body) if isinstance(body, str) else body
        for number, line in enumerate(body.split("\n", allow_blank=True) if "\n" in body.plain else [body]):
            self.rows.append((gutter if number == 0 else Text(" " * gutter.cell_len), line))

    @property
    def plain(self) -> str:
        return "\n".join(g.plain + b.plain for g, b in self.rows)

    def __str__(self) -> str:
        return self.plain

    def lines(self, width: int) -> list[Text]:
        out: list[Text] = []
        for gutter, body in self.rows:
            room = max(width - gutter.cell_len, 4)
            indent = Text(" " * gutter.cell_len)
            for number, part in enumerate(body.divide(_breaks(body.plain, room)) if body.plain else [body]):
                part.rstrip()
                out.append(Text.assemble(gutter if number == 0 else indent, part))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            line.no_wrap = True
            line.end = "\n"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((g.cell_len + b.cell_len for g, b in self.rows), default=0)
        return Measurement(min(8, options.max_width), min(widest, options.max_width))


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal cells (a Chinese character is two)."""
    return text + " " * max(width - cell_len(text), 0)


@dataclass(slots=True)
class ProjectTabs:
    """A project's tabs: indicators per period, its text fields, its source lines."""

    annual: pl.DataFrame
    implementation: pl.DataFrame
    text: Wrapped
    source: Wrapped


@dataclass(slots=True)
class View:
    """The detail of one node: facts on top, then prose, a table, or a project's tabs.

    `frame` and `name` are what `y` copies from and `e` exports."""

    facts: Text
    table: pl.DataFrame | None = None
    resource: str | None = None
    prose: Text | Wrapped | None = None
    tabs: ProjectTabs | None = None
    frame: pl.DataFrame | None = None
    name: str = ""
    extra: dict = field(default_factory=dict)


def bar(share: Decimal, width: int = 20) -> str:
    """A share (0–1) as a bar of full and empty blocks."""
    filled = min(int((share * width).to_integral_value()), width) if share > 0 else 0
    return "█" * filled + "░" * (width - filled)


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"))


def with_share(frame: pl.DataFrame, whole: Decimal | None) -> pl.DataFrame:
    """Add `share_pct`: each row's total as a percentage of `whole`, exact to 0.01."""
    shares = [percent(total, whole) for total in frame["total"]]
    return frame.with_columns(pl.Series("share_pct", shares, dtype=pl.Decimal(8, 2)))


def _ordered(frame: pl.DataFrame, column: str, keys: list[str | None]) -> pl.DataFrame:
    """Rows in the order of `keys` (the tree's order of the node's children)."""
    order = {key: i for i, key in enumerate(keys)}
    return frame.sort(pl.col(column).replace_strict(order, default=None))


class Views:
    """Builds the View of each kind of node from the Budget."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self._cache: dict[tuple, View] = {}

    def forget(self) -> None:
        """Build every view again (the findings have changed)."""
        self._cache.clear()

    def _frame(self, resource: str, doc_id: str) -> pl.DataFrame:
        return self.budget[resource].filter(pl.col("doc_id") == doc_id)

    def of(self, node: Node) -> View:
        """The view of `node`, by its kind (a table node shows its table); built once per
        node and order of its children (the budget does not change while browsing)."""
        key = (node.id, tuple(child.id for child in node.children))
        if key not in self._cache:
            self._cache[key] = getattr(self, f"_{node.kind}", self._resource)(node)
        return self._cache[key]

    def _group(self, node: Node) -> View:
        """A place or a year of a corpus: its documents (crossviews.py)."""
        from budgettui.tui.crossviews import group_view

        return group_view(self.budget, node)

    def _document(self, node: Node) -> View:
        doc = self._frame("documents", node.doc_id).row(0, named=True)
        file_name = Path(doc["source_path"]).name if doc["source_path"] else node.doc_id
        if doc["line_count"] is None:  # a file that could not be read: say why, not "None"
            findings = self._frame("findings", node.doc_id)
            reasons = findings.filter(pl.col("rule") == "parse.unreadable")["message"].to_list()
            facts = Text.assemble((f"{file_name}\n", "bold"), ("未能读取，已跳过。\n", "yellow"),
                                  "\n".join(reasons) + ("\n" if reasons else ""),
                                  (str(doc["source_path"] or ""), "dim"))
            return View(facts, frame=findings, name="findings")
        facts = Text.assemble(
            (f"{doc['title'] or file_name}\n", "bold"),
            f"部门 {doc['department'] or '未印'} · 预算年度 {doc['year'] or '未印'} · {doc['line_count']} 行\n",
            (f"{file_name}  sha256 {(doc['sha256'] or '—')[:16]}…", "dim"),
        )
        counts = pl.DataFrame({
            "resource": [r.name for r in schema.RESOURCES],
            "表": [r.table_no for r in schema.RESOURCES],
            "标题": [r.zh for r in schema.RESOURCES],
            "行数": [self._frame(r.name, node.doc_id).height for r in schema.RESOURCES],
        })
        return View(facts, counts, frame=counts, name="resources")

    def _summary(self, node: Node) -> View:
        """Tables 1 and 4 as a readable summary: non-empty lines only."""
        frame = self._frame("budget_summary", node.doc_id)
        printed = frame.filter(pl.col("amount").is_not_null())
        fiscal = self._frame("fiscal_summary", node.doc_id)
        spent = fiscal.filter((pl.col("side") == "expenditure") & pl.col("total").is_not_null())
        items = [*printed["item"], *spent["item"]]
        # Names padded by terminal cells, not characters: the amounts' right edges line up.
        width = max((cell_len(item) for item in items), default=0)
        wide = max((len(money(a)) for a in [*printed["amount"], *spent["total"]]), default=0)
        lines = Text("预算收支总表（万元）\n", style="bold")
        for side, title in (("income", "收入"), ("expenditure", "支出")):
            lines.append(f"\n{title}\n", style="bold")
            for row in printed.filter(pl.col("side") == side).iter_rows(named=True):
                style = "bold" if row["row_kind"] != "item" else ""
                lines.append(f"  {pad(row['item'], width)}  {money(row['amount']):>{wide}}\n", style=style)
        lines.append("\n财政拨款支出（表4）\n", style="bold")
        for row in spent.iter_rows(named=True):
            lines.append(f"  {pad(row['item'], width)}  {money(row['total']):>{wide}}\n")
        return View(lines, frame=frame, name="budget_summary")

    def _resource(self, node: Node) -> View:
        resource = node.resource or "documents"
        meta = schema.resource(resource)
        number = f"表{meta.table_no} " if meta.table_no else ""
        frame = self._frame(resource, node.doc_id)
        if resource == "findings":  # most serious first, as in the tree
            order = {severity: i for i, severity in enumerate(SEVERITY_ORDER)}
            frame = frame.sort(pl.col("severity").replace_strict(order, default=9, return_dtype=pl.Int8),
                               maintain_order=True)
        facts = Text.assemble((f"{number}{meta.zh}", "bold"), f"  {frame.height} 行")
        if frame.height == 0:
            facts.append("\n本表无数据。")
        if node.name == "单位与项目" and node.children:
            self._project_total_note(facts, node)
        return View(facts, frame, resource, frame=frame, name=resource)

    def _project_total_note(self, facts: Text, node: Node) -> None:
        """单位与项目 adds up the projects of tables 12 and 13; table 3 prints its own 项目支出
        total. When they differ, say by how much and which finding of 核对 explains it."""
        projects = self._frame("projects", node.doc_id)["total"].sum()
        spend = self._frame("expenditure_by_subject", node.doc_id).filter(pl.col("code").is_null())
        if not spend.height or projects is None or spend["project"].item() is None:
            return
        printed = spend["project"].item()
        facts.append(f"\n项目合计 {money(projects)} 万元（表12 + 表13 各项目之和）")
        if projects == printed:
            return
        facts.append(f"\n表3 项目支出 {money(printed)} 万元，相差 {money(projects - printed)}", style="yellow")
        findings = self._frame("findings", node.doc_id).filter(
            pl.col("rule").is_in(["x.t12_t3", "x.t3_t5_t8"]))
        for finding in findings.iter_rows(named=True):
            severity = SEVERITY_ZH.get(finding['severity'], finding['severity'])
            facts.append(f"\n  见 核对 › {finding['rule']} {finding['key'] or ''}（{severity}，"
                         f"{cite(finding)}）", style="yellow")
        if findings.height:
            facts.append(f"\n  /{findings['rule'][0]} 跳到该条", style="dim")

    def _subject(self, node: Node) -> View:
        frame = self._frame("expenditure_by_subject", node.doc_id)
        row = frame.filter(pl.col("code") == node.key).row(0, named=True)
        total = frame.filter(pl.col("code").is_null())["total"]
        parent = frame.filter(pl.col("code") == row["parent_code"])["total"] if row["parent_code"] else total
        facts = Text.assemble((f"{row['code']} {row['name']}\n", "bold"),
                              f"合计 {money(row['total'])} 万元 = 基本支出 {money(row['basic'])}"
                              f" + 项目支出 {money(row['project'])}    {cite(row)}\n")
        for title, whole in (("占上级", parent), ("占总额", total)):
            share = percent(row["total"], whole.item() if whole.len() else None)
            if share is not None:
                facts.append(f"{title} {bar(share / 100)} {share}%\n")
        children = [c.key for c in node.children]
        if not children:  # a 项: the row itself is what there is to copy or export
            this = frame.filter(pl.col("code") == node.key)
            return View(facts, frame=this, name=f"subject-{row['code']}")
        rows = _ordered(with_share(frame.filter(pl.col("code").is_in(children)), row["total"]),
                        "code", children)
        table = rows.select("code", "name", "total", "basic", "project", "share_pct", "source_page", "source_line")
        return View(facts, table, "expenditure_by_subject", frame=table, name=f"subject-{row['code']}")

    def _unit(self, node: Node) -> View:
        units = self._frame("units", node.doc_id)
        unit = units.filter(pl.col("unit_id") == node.key).row(0, named=True)
        projects = self._frame("projects", node.doc_id).filter(pl.col("unit_id") == node.key)
        total = projects["total"].sum() if projects.height else None
        facts = Text.assemble((f"{unit['name']}\n", "bold"), f"{unit['kind'] or '单位'} · "
                              f"{projects.height} 个项目 · 项目支出 {money(total)} 万元\n")
        costs = self._frame("operating_costs", node.doc_id).filter(pl.col("unit") == unit["name"])
        if costs.height:
            facts.append(f"机关运行经费 {money(costs['total'].item())} 万元"
                         f"（表11 {cite(costs.row(0, named=True))}）\n")
        rows = _ordered(with_share(projects, total), "project_id", [c.key for c in node.children])
        table = rows.select("name", "total", "share_pct", "kind", "project_id", "source_page", "source_line")
        return View(facts, table, "projects", frame=table, name=f"unit-{node.key}")

    def _project(self, node: Node) -> View:
        project = self._frame("projects", node.doc_id).filter(pl.col("project_id") == node.key)
        row = project.row(0, named=True)
        targets = self._frame("performance_targets", node.doc_id).filter(pl.col("project_id") == node.key)
        kind = "当年预算（表12）" if row["kind"] == "current" else "上年结转（表13）"
        facts = Text.assemble((f"{row['name']}\n", "bold"), f"{row['unit']} · {kind} · {cite(row)}\n",
                              f"合计 {money(row['total'])} 万元  一般公共预算 {money(row['general_budget'])}"
                              f"  政府性基金 {money(row['fund_budget'])}\n")
        if targets.height == 0:
            facts.append("本项目没有绩效目标表。\n", style="yellow")
            return View(facts, frame=project, name=f"project-{node.key}")
        target = targets.row(0, named=True)
        facts.append(f"项目属性 {target['attribute'] or ''} · 项目期 {target['period'] or ''} · "
                     f"填报日期 {target['fill_date'] or target['fill_time'] or '未印'}\n")
        for prefix, title in (("annual", "年度资金"), ("total", "实施期资金")):
            parts = "  ".join(f"{zh} {money(target[f'{prefix}_{part}'])}" for part, zh in _FUND_PARTS
                              if target[f"{prefix}_{part}"])
            funds = target["annual_funds" if prefix == "annual" else "total_funds"]
            facts.append(f"{title} {money(funds)} 元  {parts}\n")
        indicators = self._frame("indicators", node.doc_id).filter(pl.col("project_id") == node.key)
        body = Wrapped()
        for name, title in _TEXT_FIELDS:
            if target[name]:
                body.add(Text(title, style="bold"))
                for line in capped(target[name]).splitlines():
                    body.add(line)
                body.add("")
        flagged = {self.budget.document_line(node.doc_id, row["source_line"], row["source_page"])
                   for row in indicators.filter(pl.col("flag").is_not_null()).iter_rows(named=True)}
        tabs = ProjectTabs(
            annual=indicators.filter(pl.col("period") == "annual").select(INDICATOR_COLUMNS),
            implementation=indicators.filter(pl.col("period") == "implementation").select(INDICATOR_COLUMNS),
            text=body,
            source=self.source(node.doc_id, self.budget.document_line(
                node.doc_id, target["source_line"], target["source_page"]), target["last_line"], flagged),
        )
        frame = indicators.filter(pl.col("period") == "annual").select(["period", *INDICATOR_COLUMNS])
        return View(facts, tabs=tabs, frame=frame, name=f"indicators-{node.key}")

    def source(self, doc_id: str, first: int, last: int | None, marked: set[int] | None = None) -> Wrapped:
        """Source lines (numbered from the document's start) with their numbers — for a PDF,
        page:line — (a wrapped line keeps the gutter); lines of repaired rows marked with ◆;
        a very long line cut, saying so."""
        text = Wrapped()
        starts = self.budget.pages(doc_id)
        width = 8 if starts else 5
        for line in self.budget.source_lines(doc_id, first, last):
            flag = "◆" if marked and line.no in marked else " "
            page, no = locate(starts, line.no)
            number = f"{page}:{no}" if page else str(no)
            text.add(capped(line.text).replace("\t", " │ "),
                     Text(f"{number:>{width}} {flag} ", style="dim" if flag == " " else "bold yellow"))
        return text

    def _section(self, node: Node) -> View:
        part, section = (node.key or "|").split("|", 1)
        paragraphs = self._frame("narrative", node.doc_id).filter(
            (pl.col("part") == part) & (pl.col("section") == section))
        prose = Wrapped()
        heading = None
        figures = []
        for row in paragraphs.iter_rows(named=True):
            if row["heading"] and row["heading"] != heading:
                heading = row["heading"]
                prose.add(Text(capped(heading), style="bold"))
            text = capped(row["text"])
            paragraph = Text(text)
            for match in _FIGURE.finditer(text):
                paragraph.stylize("bold green", match.start(), match.end())
                if len(match.group().strip()) > 2:
                    figures.append((match.group().strip(), row["source_line"]))
            paragraph.append(f"  〔{cite(row)}〕", style="dim")
            prose.add(paragraph)
            prose.add("")
        table = pl.DataFrame(figures, schema={"figure": pl.String, "source_line": pl.Int64}, orient="row")
        return View(Text(section, style="bold"), table, prose=prose, frame=table, name=f"figures-{section}")

    def _finding(self, node: Node) -> View:
        findings = self._frame("findings", node.doc_id)
        row = findings.row(int(node.key or 0), named=True)
        severity = SEVERITY_ZH.get(row["severity"], row["severity"])
        facts = Text.assemble((f"{severity}  {row['rule']}\n", "bold"), f"{capped(row['message'])}\n")
        for title, column in (("资源", "resource"), ("键", "key"), ("应为", "expected"), ("实为", "actual")):
            if row[column] is not None:
                shown = schema.cited(row[column]) if column == "resource" else row[column]
                facts.append(f"{title} {shown}\n")
        facts.append("enter: 跳到相关节点\n", style="dim")
        line = self.budget.document_line(node.doc_id, row["source_line"], row["source_page"]) \
            if row["source_line"] else None
        prose = self.source(node.doc_id, max(1, line - 2), line + 2, {line}) if line else None
        return View(facts, prose=prose, frame=findings.slice(int(node.key or 0), 1), name="finding")
