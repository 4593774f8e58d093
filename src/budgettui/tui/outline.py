"""The browser's outline: every node of the tree, built from a Budget without Textual.

The Textual tree shows this outline and adds a branch's children only when it is opened;
search and "go to" work on the whole outline, loaded or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

from budgettui import schema
from budgettui.tui.nodes import SEVERITY_ORDER, SEVERITY_ZH, Node

if TYPE_CHECKING:
    import polars as pl

    from budgettui.model import Budget

#: The columns the outline reads, by resource: one document's rows of them build its tree.
COLUMNS = {
    "expenditure_by_subject": ("code", "name", "parent_code", "total", "basic", "project"),
    "projects": ("unit_id", "project_id", "name", "total", "kind"),
    "units": ("unit_id", "name"),
    "narrative": ("part", "section"),
}
#: One document's rows of COLUMNS, by resource, with the values its frames hold.
Rows = dict[str, list[dict[str, Any]]]


def _frame(budget: Budget, resource: str, doc_id: str) -> pl.DataFrame:
    import polars as pl

    return budget[resource].filter(pl.col("doc_id") == doc_id)


def _table(doc_id: str, resource: str, name: str | None = None) -> Node:
    """A node showing one table; a named branch gets its own key, so ids stay unique."""
    meta = schema.resource(resource)
    number = f"表{meta.table_no} " if meta.table_no else ""
    return Node("resource", doc_id, name or f"{number}{meta.zh}", key=name, resource=resource)


def build(budget: Budget, findings: bool = True) -> list[Node]:
    """One outline per loaded document; with several, each is named with its year and id.

    Without `findings`, 核对 is left empty (the checks take a while): `add_findings` fills it."""
    documents = budget["documents"]
    roots = [document(_rows_of(budget, doc["doc_id"]), doc, documents.height > 1)
             for doc in documents.iter_rows(named=True)]
    if findings:
        add_findings(budget, roots)
    return roots


def _rows_of(budget: Budget, doc_id: str) -> Rows:
    return {resource: _frame(budget, resource, doc_id).select(columns).rows(named=True)
            for resource, columns in COLUMNS.items()}


def parsed_rows(rows: dict[str, list[dict[str, Any]]]) -> Rows:
    """One document's rows as its parse gives them (document.Document.rows), with the values
    its frames will hold: money and numbers at their column's scale (half even, as Polars
    rounds), so that the outline is the one `build` makes from the frames."""
    result: Rows = {}
    for resource, columns in COLUMNS.items():
        meta = schema.resource(resource)
        scales = {name: Decimal(1).scaleb(-schema.SCALES[meta.column(name).type])
                  for name in columns if meta.column(name).type in schema.SCALES}
        result[resource] = [{name: _scaled(row.get(name), scales.get(name)) for name in columns}
                            for row in rows.get(resource, [])]
    return result


def _scaled(value: Any, scale: Decimal | None) -> Any:
    if scale is None or value is None:
        return value
    return Decimal(value).quantize(scale, rounding=ROUND_HALF_EVEN)


def add_findings(budget: Budget, roots: list[Node]) -> list[Node]:
    """Fill each document's 核对 with its findings; returns the 核对 nodes."""
    branches = [child for root in roots for child in root.children if child.key == "核对"]
    for branch in branches:
        branch.children.clear()
        _findings(budget, branch)
    return branches


def document(rows: Rows, doc: dict, several: bool = False) -> Node:
    """One document's outline from its rows (`Rows`) and its documents row; 核对 is left
    empty, to be filled by `add_findings`."""
    doc_id = doc["doc_id"]
    name = doc["department"] or doc["title"] or doc_id
    if several:  # year and id tell documents of one department apart (a file name has the id)
        name = " · ".join(str(part) for part in (name, doc["year"], doc_id if doc_id not in name else None)
                          if part)
    root = Node("document", doc_id, name, key=doc_id, resource="documents")
    summary = root.add(Node("summary", doc_id, "收支总览", key="summary", resource="budget_summary"))
    for resource in ("budget_summary", "income_by_subject", "expenditure_by_subject",
                     "fiscal_summary", "general_budget_expenditure"):
        summary.add(_table(doc_id, resource))
    _subjects(rows["expenditure_by_subject"], root.add(_table(doc_id, "expenditure_by_subject", "功能科目")))
    _units(rows["units"], rows["projects"], root.add(_table(doc_id, "projects", "单位与项目")))
    root.add(_table(doc_id, "basic_expenditure_by_economic", "经济科目（基本支出）"))
    root.add(_table(doc_id, "three_public_costs", "“三公”经费"))
    root.add(_table(doc_id, "operating_costs", "机关运行经费"))
    funds = root.add(Node("resource", doc_id, "政府性基金", key="funds", resource="fund_expenditure"))
    funds.add(_table(doc_id, "fund_income"))
    funds.add(_table(doc_id, "fund_expenditure"))
    root.add(_table(doc_id, "state_capital", "国有资本经营"))
    _narrative(rows["narrative"], root, doc_id)
    root.add(_table(doc_id, "glossary", "名词解释"))
    root.add(_table(doc_id, "findings", "核对")).name = "核对 (核对中…)"
    return root


def _subjects(spend: list[dict[str, Any]], branch: Node) -> None:
    total = next((row for row in spend if row["code"] is None), None)
    if total is not None:
        branch.amounts = (total["total"], total["basic"], total["project"])
    nodes: dict[str, Node] = {}
    for row in spend:
        if row["code"] is None:
            continue
        parent = nodes.get(row["parent_code"] or "", branch)
        nodes[row["code"]] = parent.add(Node(
            "subject", branch.doc_id, row["name"], key=row["code"], code=row["code"],
            resource="expenditure_by_subject",
            amounts=(row["total"], row["basic"], row["project"]),
        ))


_NO_MONEY = Decimal(0).quantize(Decimal(1).scaleb(-schema.SCALES["money"]))


def _sum(amounts: Iterable[Decimal | None]) -> Decimal:
    """The sum of money as a frame sums it: nulls left out, at the column's scale."""
    return sum((a for a in amounts if a is not None), _NO_MONEY)


def _units(units: list[dict[str, Any]], projects: list[dict[str, Any]], branch: Node) -> None:
    doc_id = branch.doc_id
    branch.amounts = (_sum(p["total"] for p in projects),) if projects else ()
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for project in projects:
        if project["unit_id"] is not None:
            by_unit.setdefault(project["unit_id"], []).append(project)
    for unit in units:
        own = by_unit.get(unit["unit_id"], []) if unit["unit_id"] is not None else []
        node = branch.add(Node("unit", doc_id, unit["name"], key=unit["unit_id"], resource="units",
                               amounts=(_sum(p["total"] for p in own),) if own else ()))
        for project in own:
            node.add(Node("project", doc_id, project["name"], key=project["project_id"],
                          resource="projects", amounts=(project["total"],),
                          mark="" if project["kind"] == "current" else "结转"))


def _narrative(paragraphs: list[dict[str, Any]], root: Node, doc_id: str) -> None:
    for part, title in (("概况", "概况"), ("情况说明", "情况说明")):
        sections = dict.fromkeys(row["section"] for row in paragraphs
                                 if row["part"] == part and row["section"] is not None)
        branch = root.add(Node("resource", doc_id, title, key=part, resource="narrative"))
        for section in sections:
            branch.add(Node("section", doc_id, section, key=f"{part}|{section}", resource="narrative"))


def findings_label(findings: pl.DataFrame) -> str:
    """核对 with its findings counted by severity, most serious first."""
    counts = findings["severity"].value_counts()
    by = dict(zip(counts["severity"], counts["count"], strict=True))
    parts = [f"{by[s]} {SEVERITY_ZH[s]}" for s in SEVERITY_ORDER if by.get(s)]
    return f"核对 ({' · '.join(parts) or '无'})"


def _findings(budget: Budget, branch: Node) -> None:
    findings = _frame(budget, "findings", branch.doc_id).with_row_index("row")
    branch.name = findings_label(findings)
    ordered = sorted(findings.iter_rows(named=True),
                     key=lambda r: (SEVERITY_ORDER.get(r["severity"], 9), r["row"]))
    for row in ordered:
        label = f"{row['rule']} {row['key'] or ''} {row['message']}".strip()
        branch.add(Node("finding", branch.doc_id, label, key=str(row["row"]), resource="findings",
                        mark=row["severity"]))


_SUBJECT_RESOURCES = {"subjects", "income_by_subject", "expenditure_by_subject",
                      "general_budget_expenditure", "fund_expenditure"}


def target_of(budget: Budget, by_id: dict[str, Node], finding: Node) -> Node | None:
    """The node a finding (a node of the 核对 branch) concerns, found from its resource and
    key: a project (also for its performance table), a unit, a subject, the narrative section
    of a paragraph, or else the table it is about."""
    import polars as pl

    doc = finding.doc_id
    row = _frame(budget, "findings", doc).row(int(finding.key or 0), named=True)
    resource, key = row["resource"], row["key"]
    if resource in ("performance_targets", "indicators") and key:
        target = _frame(budget, "performance_targets", doc).filter(pl.col("perf_id") == key)
        key, resource = (target["project_id"].item() if target.height else None), "projects"
    if resource == "operating_costs" and key:
        unit = _frame(budget, "units", doc).filter(pl.col("name") == key)
        key, resource = (unit["unit_id"].item() if unit.height else None), "units"
    if resource == "narrative" and key and key.isdigit():
        paragraph = _frame(budget, "narrative", doc).filter(pl.col("seq") == int(key))
        if paragraph.height:
            where = paragraph.row(0, named=True)
            return by_id.get(f"{doc}|section|{where['part']}|{where['section']}")
    ids = {"projects": f"{doc}|project|{key}", "units": f"{doc}|unit|{key}",
           "project_subtotals": f"{doc}|unit|{key}", "documents": f"{doc}|document|{doc}"}
    if resource in _SUBJECT_RESOURCES:
        ids[resource] = f"{doc}|subject|{key}"
    node = by_id.get(ids.get(resource, ""))
    if node is None:
        tables = {"projects": "单位与项目", "project_subtotals": "单位与项目", "units": "单位与项目",
                  "performance_targets": "单位与项目", "subjects": "功能科目"}
        node = by_id.get(f"{doc}|resource|{tables[resource]}") if resource in tables else None
    if node is None:
        node = next((n for n in by_id.values()
                     if n.doc_id == doc and n.kind == "resource" and n.resource == resource), None)
    return node or by_id.get(f"{doc}|document|{doc}")
