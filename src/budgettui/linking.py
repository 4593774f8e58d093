"""Linking each 项目支出绩效目标表 to its project in table 12 (本年预算) or 13 (上年结转).

The performance table prints the project name again, not always the same way: other bracket
forms (《》 for （）, 【】 for 〔〕), a dropped word (基本), a changed one (就业型 → 创业型),
an added one (示范 → 示范点). Within one document, each table is scored against each project:

1. names equal after `name_key` (brackets unified, quotes and spaces dropped) score 100;
2. otherwise the rapidfuzz `ratio` of the two keys (0–100);
3. the amount breaks ties: the table's 年度资金总额 (元) equals the project's total
   (万元 × 10000) within 50 元, since table 12 rounds to 0.01 万元 = 100 元.

Pairs are taken best first (exact name, then score, then amount), each table and each project
at most once. A second table joins an already linked project only when their names are
equal and the tables' annual funds together stay within the project's amount (a split
project). Everything else stays unlinked and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
from rapidfuzz import fuzz

from budgettui.performance import name_key
from budgettui.schema import NUMBER

#: Lowest similarity that links without an equal name. In the sample the renamed pairs
#: score 90.9 (创建省级就业型/创业型城市经费), 92.3 (城乡居民(基本)医疗保险工作经费) and
#: 96.6 (示范/示范点); a project without a table comes closest to a table at 88.3 (the 2025
#: edition of perf-001's grant, carried over) and 80.0. Siblings that differ in one word
#: (省级/市级, 中央/省级: 94–97) never compete, as their own equal-named project is taken first.
THRESHOLD = 90.0
#: Largest difference (元) between annual funds and the project's amount that still counts
#: as equal: table 12 rounds to 0.01 万元 = 100 元.
ROUNDING = Decimal(50)
TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True, slots=True)
class _Pair:
    table: int  # row index in targets
    project: int  # row index in projects
    exact: bool
    score: float
    amount: bool

    @property
    def rank(self) -> tuple[bool, float, bool, int, int]:
        return self.exact, self.score, self.amount, -self.table, -self.project


def _amount_matches(annual: Decimal | None, total: Decimal | None) -> bool:
    if annual is None or total is None:
        return False
    return abs(annual - total * TEN_THOUSAND) <= ROUNDING


def _pairs(tables: list[dict[str, Any]], projects: list[dict[str, Any]]) -> list[_Pair]:
    """Every table–project pair of one document scoring at least THRESHOLD."""
    project_keys = [name_key(p["name"]) for p in projects]
    pairs = []
    for ti, table in enumerate(tables):
        key = name_key(table["name"])
        for pi, project in enumerate(projects):
            exact = bool(key) and key == project_keys[pi]
            score = 100.0 if exact else fuzz.ratio(key, project_keys[pi])
            if score >= THRESHOLD:
                amount = _amount_matches(table["annual_funds"], project["total"])
                pairs.append(_Pair(ti, pi, exact, score, amount))
    return sorted(pairs, key=lambda p: p.rank, reverse=True)


def _assign(pairs: list[_Pair], tables: list[dict[str, Any]],
            projects: list[dict[str, Any]]) -> dict[int, _Pair]:
    """Best pairs first, one project per table; then split projects (same name, funds fit)."""
    links: dict[int, _Pair] = {}
    taken: set[int] = set()
    for pair in pairs:
        if pair.table not in links and pair.project not in taken:
            links[pair.table] = pair
            taken.add(pair.project)
    for pair in pairs:
        if pair.table in links or not pair.exact:
            continue
        funds = [tables[t]["annual_funds"] for t, p in links.items() if p.project == pair.project]
        funds.append(tables[pair.table]["annual_funds"])
        total = projects[pair.project]["total"]
        if None not in funds and total is not None and (
                sum(funds) <= total * TEN_THOUSAND + ROUNDING):
            links[pair.table] = pair
    return links


def _finding(doc_id: str, rule: str, severity: str, message: str, resource: str, key: str,
             line: int | None, actual: str | None = None) -> dict[str, Any]:
    return {"doc_id": doc_id, "rule": rule, "severity": severity, "message": message,
            "resource": resource, "key": key, "expected": None, "actual": actual,
            "source_line": line}


def _report(doc_id: str, tables: list[dict[str, Any]], projects: list[dict[str, Any]],
            links: dict[int, _Pair]) -> list[dict[str, Any]]:
    """Findings for projects without a table and tables without a project."""
    findings = []
    linked = {pair.project for pair in links.values()}
    for pi, project in enumerate(projects):
        if pi not in linked:
            carried = project["kind"] == "carryover"
            findings.append(_finding(
                doc_id, "link.project_without_table", "info" if carried else "warning",
                f"{'上年结转' if carried else ''}项目「{project['name']}」没有"
                "项目支出绩效目标表", "projects", project["project_id"], project["source_line"]))
    for ti, table in enumerate(tables):
        if ti not in links:
            findings.append(_finding(
                doc_id, "link.table_without_project", "warning",
                f"绩效目标表「{table['name']}」对应不到表12/13的任何项目",
                "performance_targets", table["perf_id"], table["source_line"]))
    return findings


def link_performance(
    targets: pl.DataFrame, projects: pl.DataFrame
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """Fill `project_id` and `match_score` of `targets`; findings for what stays unlinked."""
    project_ids: list[str | None] = [None] * targets.height
    scores: list[Decimal | None] = [None] * targets.height
    findings: list[dict[str, Any]] = []
    rows = targets.with_row_index("_row").to_dicts()
    all_projects = projects.to_dicts()
    for doc_id in dict.fromkeys(r["doc_id"] for r in [*rows, *all_projects]):
        # a department-wide table (kind department) belongs to no project
        tables = [r for r in rows if r["doc_id"] == doc_id and r.get("kind") != "department"]
        candidates = [p for p in all_projects if p["doc_id"] == doc_id]
        links = _assign(_pairs(tables, candidates), tables, candidates)
        for ti, pair in links.items():
            row = tables[ti]["_row"]
            project_ids[row] = candidates[pair.project]["project_id"]
            scores[row] = Decimal(f"{pair.score:.4f}")
        findings += _report(doc_id, tables, candidates, links)
    linked = targets.with_columns(
        pl.Series("project_id", project_ids, dtype=pl.String),
        pl.Series("match_score", scores, dtype=NUMBER),
    )
    return linked, findings
