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

Targets printed as text (target_tables: `project_column`, `narrative`) are linked apart from
the grids, layout by layout: 广州 prints a project's target in 表12 and again, for its 重点项目,
in the 情况说明. A target still unlinked whose funds are the sum of a run of consecutive
unlinked projects, each named like it (深圳 `一级项目` 专项资金 over its four 二级 projects),
covers them: no project_id (it is no one project), a finding naming them.

What stays unlinked is reported per project and table, except where it is the document's
rule rather than an exception: a document whose projects mostly print no target table
(烟台 教育局 prints none, 西安 prints them per category) gets one finding counting them; a
document whose only targets are 重点项目 lists reports the other projects as info; a
document without a project table gets one finding for its tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
from rapidfuzz import fuzz, process

from budgettui.performance import name_key
from budgettui.schema import NUMBER

#: Lowest similarity that links without an equal name. In the sample the renamed pairs
#: score 90.9 (创建省级就业型/创业型城市经费), 92.3 (城乡居民(基本)医疗保险工作经费) and
#: 96.6 (示范/示范点); a project without a table comes closest to a table at 88.3 (the 2025
#: edition of perf-001's grant, carried over) and 80.0. Siblings that differ in one word
#: (省级/市级, 中央/省级: 94–97) never compete, as their own equal-named project is taken first.
THRESHOLD = 90.0
#: Lowest similarity that links when the funds equal the project's amount as well (西安 统计局:
#: 第四次全国农业普查 / 第四次农业普查, 87.5, 1,607.39 万元 both).
AMOUNT_THRESHOLD = 80.0
#: Largest difference (元) between annual funds and the project's amount that still counts
#: as equal: table 12 rounds to 0.01 万元 = 100 元.
ROUNDING = Decimal(50)
TEN_THOUSAND = Decimal(10000)
#: Layouts linked apart from the grids (and from each other): a project may have one of each.
TEXT_LAYOUTS = ("project_column", "narrative")
#: Layouts that list only some projects (重点项目): the others lack a target by design.
PARTIAL_LAYOUTS = ("narrative",)
#: Lowest rapidfuzz partial_ratio between a covering target's name and each project it covers.
COVER_THRESHOLD = 80.0
#: Projects without a table are counted in one finding when they are at least this many and
#: more than this share of the document's current projects.
SUMMARY_MIN, SUMMARY_SHARE = 10, 0.5


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


def _funds(table: dict[str, Any]) -> Decimal | None:
    """A table's funds: annual, else (a single period labelled 实施期) the total."""
    return table["annual_funds"] if table["annual_funds"] is not None else table.get("total_funds")


def _pairs(tables: list[dict[str, Any]], projects: list[dict[str, Any]]) -> list[_Pair]:
    """Every table–project pair of one document scoring at least THRESHOLD."""
    project_keys = [name_key(p["name"]) for p in projects]
    pairs = []
    for ti, table in enumerate(tables):
        key = name_key(table["name"])
        # the projects scoring at least AMOUNT_THRESHOLD, scored in one call
        for _, ratio, pi in process.extract(key, project_keys, scorer=fuzz.ratio, limit=None,
                                            score_cutoff=AMOUNT_THRESHOLD):
            exact = bool(key) and key == project_keys[pi]
            score = 100.0 if exact else ratio
            amount = _amount_matches(_funds(table), projects[pi]["total"])
            if score >= THRESHOLD or amount:
                pairs.append(_Pair(ti, pi, exact, score, amount))
    return sorted(pairs, key=lambda p: p.rank, reverse=True)


def _assign(pairs: list[_Pair], tables: list[dict[str, Any]], projects: list[dict[str, Any]],
            repeats: dict[int, int] | None = None) -> dict[int, _Pair]:
    """Best pairs first, one project per table; then split projects (same name, funds fit) and
    tables printed again (same name, each with the project's whole amount: `repeats`)."""
    links: dict[int, _Pair] = {}
    taken: set[int] = set()
    repeats = {} if repeats is None else repeats
    for pair in pairs:
        if pair.table not in links and pair.project not in taken:
            links[pair.table] = pair
            taken.add(pair.project)
    for pair in pairs:
        if pair.table in links or not pair.exact:
            continue
        others = [t for t, p in links.items() if p.project == pair.project]
        funds = [tables[t]["annual_funds"] for t in others]
        funds.append(tables[pair.table]["annual_funds"])
        total = projects[pair.project]["total"]
        if None not in funds and total is not None and (
                sum(funds) <= total * TEN_THOUSAND + ROUNDING):
            links[pair.table] = pair
        elif pair.amount and all(links[t].amount for t in others):
            links[pair.table] = pair
            repeats[pair.table] = min(others)
    return links


def _group(table: dict[str, Any]) -> str:
    """Targets of one group are linked together: the grids, or one text layout."""
    layout = table.get("layout")
    return layout if layout in TEXT_LAYOUTS else "grid"


def _finding(doc_id: str, rule: str, severity: str, message: str, resource: str, key: str,
             line: int | None, actual: str | None = None) -> dict[str, Any]:
    return {"doc_id": doc_id, "rule": rule, "severity": severity, "message": message,
            "resource": resource, "key": key, "expected": None, "actual": actual,
            "source_line": line}


def _cover(tables: list[dict[str, Any]], projects: list[dict[str, Any]], links: dict[int, _Pair],
           taken: set[int]) -> dict[int, list[int]]:
    """Unlinked tables whose funds are the sum of a run (≥ 2) of consecutive projects not yet
    taken, each named like the table: table → those projects."""
    covers: dict[int, list[int]] = {}
    for ti, table in enumerate(tables):
        if ti in links:
            continue
        funds = table.get("annual_funds") or table.get("total_funds")
        key = name_key(table["name"])
        if funds is None or not key:
            continue
        for first in range(len(projects)):
            run: list[int] = []
            total = Decimal(0)
            for pi in range(first, len(projects)):
                project = projects[pi]
                if (pi in taken or project["total"] is None
                        or fuzz.partial_ratio(key, name_key(project["name"])) < COVER_THRESHOLD):
                    break
                run.append(pi)
                total += project["total"]
                if len(run) > 1 and abs(funds - total * TEN_THOUSAND) <= ROUNDING:
                    covers[ti] = run
                    taken.update(run)
                    break
            if ti in covers:
                break
    return covers


def _report(doc_id: str, tables: list[dict[str, Any]], projects: list[dict[str, Any]],
            linked: set[int], covers: dict[int, list[int]], unlinked: list[int]) -> list[dict[str, Any]]:
    """Findings for projects without a table and tables without a project."""
    findings = []
    for ti, run in covers.items():
        table = tables[ti]
        names = "」「".join(projects[pi]["name"] for pi in run)
        findings.append(_finding(
            doc_id, "link.table_covers_projects", "info",
            f"绩效目标「{table['name']}」的资金是{len(run)}个项目「{names}」之和：它是这些项目共同的目标",
            "performance_targets", table["perf_id"], table["source_line"]))
    partial = bool(tables) and all(t.get("layout") in PARTIAL_LAYOUTS for t in tables)
    missing = [pi for pi, p in enumerate(projects) if pi not in linked and p["kind"] != "carryover"]
    current = sum(p["kind"] != "carryover" for p in projects)
    summary = len(missing) >= SUMMARY_MIN and len(missing) > SUMMARY_SHARE * current
    if summary:
        first = projects[missing[0]]
        shown = "」「".join(projects[pi]["name"] for pi in missing[:3])
        findings.append(_finding(
            doc_id, "link.projects_without_table", "info" if partial else "warning",
            f"{len(missing)}个项目（共{current}个）未印绩效目标表，如「{shown}」"
            + (f"；文件印了{len(tables)}张绩效目标表" if tables else "；文件未印绩效目标表"),
            "projects", first["project_id"], first["source_line"], str(len(missing))))
    for pi, project in enumerate(projects):
        if pi in linked or (summary and pi in missing):
            continue
        carried = project["kind"] == "carryover"
        if partial and not carried:
            findings.append(_finding(
                doc_id, "link.project_without_table", "info",
                f"项目「{project['name']}」未列入重点项目绩效目标", "projects",
                project["project_id"], project["source_line"]))
            continue
        findings.append(_finding(
            doc_id, "link.project_without_table", "info" if carried else "warning",
            f"{'上年结转' if carried else ''}项目「{project['name']}」没有项目支出绩效目标表",
            "projects", project["project_id"], project["source_line"]))
    if unlinked and not projects:
        first = tables[unlinked[0]]
        findings.append(_finding(
            doc_id, "link.no_project_table", "info",
            f"文件未印项目支出表：{len(unlinked)}张绩效目标表无项目可关联", "performance_targets",
            first["perf_id"], first["source_line"], str(len(unlinked))))
        return findings
    for ti in unlinked:
        table = tables[ti]
        findings.append(_finding(
            doc_id, "link.table_without_project", "warning",
            f"绩效目标表「{table['name']}」对应不到表12/13的任何项目",
            "performance_targets", table["perf_id"], table["source_line"]))
    return findings


#: The columns of the targets and of the projects that linking reads (the others are not turned
#: into Python values).
_TARGET_COLUMNS = ("doc_id", "perf_id", "kind", "layout", "name", "annual_funds", "total_funds",
                   "source_line")
_PROJECT_COLUMNS = ("doc_id", "project_id", "kind", "name", "total", "source_line")


def link_performance(
    targets: pl.DataFrame, projects: pl.DataFrame
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """Fill `project_id` and `match_score` of `targets`; findings for what stays unlinked."""
    project_ids: list[str | None] = [None] * targets.height
    scores: list[Decimal | None] = [None] * targets.height
    findings: list[dict[str, Any]] = []
    rows = targets.with_row_index("_row").select(
        "_row", *(c for c in _TARGET_COLUMNS if c in targets.columns)).to_dicts()
    all_projects = projects.select(c for c in _PROJECT_COLUMNS if c in projects.columns).to_dicts()
    for doc_id in dict.fromkeys(r["doc_id"] for r in [*rows, *all_projects]):
        # a department-wide table (kind department) belongs to no project
        tables = [r for r in rows if r["doc_id"] == doc_id and r.get("kind") != "department"]
        candidates = [p for p in all_projects if p["doc_id"] == doc_id]
        linked: set[int] = set()
        covers: dict[int, list[int]] = {}
        repeats: dict[int, int] = {}
        unlinked: list[int] = []
        for group in dict.fromkeys(_group(t) for t in tables):
            members = [ti for ti, t in enumerate(tables) if _group(t) == group]
            some = [tables[ti] for ti in members]
            again: dict[int, int] = {}
            links = _assign(_pairs(some, candidates), some, candidates, again)
            repeats |= {members[ti]: members[first] for ti, first in again.items()}
            taken = {pair.project for pair in links.values()}
            for ti, pair in links.items():
                row = some[ti]["_row"]
                project_ids[row] = candidates[pair.project]["project_id"]
                scores[row] = Decimal(f"{pair.score:.4f}")
            covered = _cover(some, candidates, links, set(taken) | linked)
            linked |= taken | {pi for run in covered.values() for pi in run}
            covers |= {members[ti]: run for ti, run in covered.items()}
            unlinked += [members[ti] for ti in range(len(some)) if ti not in links and ti not in covered]
        findings += _report(doc_id, tables, candidates, linked, covers, sorted(unlinked))
        findings += [_finding(
            doc_id, "link.table_repeated", "info",
            f"绩效目标表「{tables[ti]['name']}」与{tables[first]['perf_id']}同名、同金额，是同一项目的表印了两次",
            "performance_targets", tables[ti]["perf_id"], tables[ti]["source_line"])
            for ti, first in sorted(repeats.items())]
    linked = targets.with_columns(
        pl.Series("project_id", project_ids, dtype=pl.String),
        pl.Series("match_score", scores, dtype=NUMBER),
    )
    return linked, findings
