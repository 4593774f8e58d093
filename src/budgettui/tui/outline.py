"""The browser's outline: every node of the tree, built from a Budget without Textual.

The Textual tree shows this outline and adds a branch's children only when it is opened;
search and "go to" work on the whole outline, loaded or not.
"""

from __future__ import annotations

import polars as pl

from budgettui import schema
from budgettui.model import Budget
from budgettui.tui.nodes import SEVERITY_ORDER, SEVERITY_ZH, Node


def _frame(budget: Budget, resource: str, doc_id: str) -> pl.DataFrame:
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
    return [_document(budget, doc, documents.height > 1, findings) for doc in documents.iter_rows(named=True)]


def add_findings(budget: Budget, roots: list[Node]) -> list[Node]:
    """Fill each document's 核对 with its findings; returns the 核对 nodes."""
    branches = [child for root in roots for child in root.children if child.key == "核对"]
    for branch in branches:
        branch.children.clear()
        _findings(budget, branch)
    return branches


def _document(budget: Budget, doc: dict, several: bool = False, findings: bool = True) -> Node:
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
    _subjects(budget, root.add(_table(doc_id, "expenditure_by_subject", "功能科目")))
    _units(budget, root.add(_table(doc_id, "projects", "单位与项目")))
    root.add(_table(doc_id, "basic_expenditure_by_economic", "经济科目（基本支出）"))
    root.add(_table(doc_id, "three_public_costs", "“三公”经费"))
    root.add(_table(doc_id, "operating_costs", "机关运行经费"))
    funds = root.add(Node("resource", doc_id, "政府性基金", key="funds", resource="fund_expenditure"))
    funds.add(_table(doc_id, "fund_income"))
    funds.add(_table(doc_id, "fund_expenditure"))
    root.add(_table(doc_id, "state_capital", "国有资本经营"))
    _narrative(budget, root, doc_id)
    root.add(_table(doc_id, "glossary", "名词解释"))
    checks = root.add(_table(doc_id, "findings", "核对"))
    if findings:
        _findings(budget, checks)
    else:
        checks.name = "核对 (核对中…)"
    return root


def _subjects(budget: Budget, branch: Node) -> None:
    spend = _frame(budget, "expenditure_by_subject", branch.doc_id)
    total = spend.filter(pl.col("code").is_null())
    if total.height:
        branch.amounts = (total["total"].item(), total["basic"].item(), total["project"].item())
    nodes: dict[str, Node] = {}
    for row in spend.filter(pl.col("code").is_not_null()).iter_rows(named=True):
        parent = nodes.get(row["parent_code"] or "", branch)
        nodes[row["code"]] = parent.add(Node(
            "subject", branch.doc_id, row["name"], key=row["code"], code=row["code"],
            resource="expenditure_by_subject",
            amounts=(row["total"], row["basic"], row["project"]),
        ))


def _units(budget: Budget, branch: Node) -> None:
    doc_id = branch.doc_id
    projects = _frame(budget, "projects", doc_id)
    branch.amounts = (projects["total"].sum(),) if projects.height else ()
    for unit in _frame(budget, "units", doc_id).iter_rows(named=True):
        own = projects.filter(pl.col("unit_id") == unit["unit_id"])
        node = branch.add(Node("unit", doc_id, unit["name"], key=unit["unit_id"], resource="units",
                               amounts=(own["total"].sum(),) if own.height else ()))
        for project in own.iter_rows(named=True):
            node.add(Node("project", doc_id, project["name"], key=project["project_id"],
                          resource="projects", amounts=(project["total"],),
                          mark="" if project["kind"] == "current" else "结转"))


def _narrative(budget: Budget, root: Node, doc_id: str) -> None:
    paragraphs = _frame(budget, "narrative", doc_id)
    for part, title in (("概况", "概况"), ("情况说明", "情况说明")):
        sections = paragraphs.filter(pl.col("part") == part)["section"]
        branch = root.add(Node("resource", doc_id, title, key=part, resource="narrative"))
        for section in sections.drop_nulls().unique(maintain_order=True).to_list():
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
