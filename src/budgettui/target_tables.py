"""Performance targets printed as text, one per project, rather than as indicator grids.

Two layouts (column words in `vocabulary.TARGET_TEXT_COLUMNS` and `PROJECT_GOAL_LABEL`):

- `narrative`: a table inside the 情况说明 (广州 `七、重点项目预算绩效目标情况`, 深圳 `第七部分
  重点项目预算绩效情况说明`): a header `项目 | 预算数（单位：万元） | 绩效目标`, maybe with a unit
  column (`二级预算单位名称`) first, then one row per project: its name, funds and target text.
  A cell wrapped onto the next line (a line whose funds cell is empty) continues the row above,
  column by column; the header printed again on the next page is skipped; a line without
  cells (a note `备注：…`, the next heading) ends the table;
- `project_column`: the project table itself prints a 绩效目标 column (广州 表12): each project
  row's text in it is that project's target.

Each becomes a performance_targets row (kind project, period annual: the text goes to
`goal_annual`, the funds in 元 to `annual_funds`); the linker matches it to its project by name
like any other target. No indicators: neither layout prints an indicator grid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from budgettui import vocabulary as vocab
from budgettui.performance import CENT, PROJECT, SCALES, PerformanceResult, clean_text, name_key
from budgettui.sources import Line
from budgettui.values import is_amount, parse_amount

NARRATIVE, PROJECT_COLUMN = "narrative", "project_column"
_COLUMNS = tuple((re.compile(pattern), role) for role, pattern in vocab.TARGET_TEXT_COLUMNS)
_GOAL_LABEL = re.compile(vocab.PROJECT_GOAL_LABEL)
_TOTALS = ("合计", "总计", "小计")
#: The unit assumed when a funds label prints none (every such table in the corpus prints 万元).
DEFAULT_UNIT = "万元"


def _key(cell: str) -> str:
    return "".join(cell.split())


def header_roles(cells: list[str]) -> dict[str, int] | None:
    """Column of each role when `cells` are the header of a text-target table, else None."""
    roles: dict[str, int] = {}
    for col, cell in enumerate(cells):
        key = _key(cell)
        role = next((r for pattern, r in _COLUMNS if key and pattern.search(key)), None)
        if role and role not in roles:
            roles[role] = col
    return roles if {"name", "funds", "goal"} <= roles.keys() else None


class _Builder:
    """Rows and findings of one document's text targets, numbered after `start` tables."""

    def __init__(self, doc_id: str, start: int) -> None:
        self.doc_id = doc_id
        self.number = start
        self.result = PerformanceResult()

    def finding(self, rule: str, severity: str, message: str, line: int, key: str | None = None,
                resource: str = "performance_targets") -> None:
        self.result.findings.append({
            "doc_id": self.doc_id, "rule": rule, "severity": severity, "message": message,
            "resource": resource, "key": key, "expected": None, "actual": None, "source_line": line,
        })

    def target(self, layout: str, name: str, unit: str | None, funds: Decimal | None,
               funds_unit: str | None, goal: str | None, first: int, last: int) -> dict[str, Any]:
        """A target row; `funds` in 元, `funds_unit` the unit the table prints."""
        self.number += 1
        perf_id = f"perf-{self.number:03d}"
        row = {
            "doc_id": self.doc_id, "perf_id": perf_id, "project_id": None, "match_score": None,
            "kind": PROJECT, "layout": layout, "name": name, "unit": unit,
            "annual_funds": funds.quantize(CENT) if funds is not None else None,
            "funds_unit": funds_unit, "goal_annual": goal, "source_line": first,
            "last_line": last, "pages": 1,
        }
        self.result.targets.append(row)
        if funds is None:
            self.finding("perf.missing_funds", "warning", f"项目「{name}」: 预算数未印", first, perf_id)
        if not goal:
            self.finding("perf.no_goal", "warning", f"项目「{name}」: 绩效目标未印", first, perf_id)
        return row


# The narrative layout ---------------------------------------------------------------------------


class _Row:
    """A project row of a narrative table while its wrapped lines are read."""

    def __init__(self, first: int) -> None:
        self.first = self.last = first
        self.cells: dict[str, str] = {}

    def add(self, role: str, text: str) -> None:
        self.cells[role] = self.cells.get(role, "") + text


def _role_of(roles: dict[str, int], col: int) -> str | None:
    """The role of the header column at or left of `col`."""
    before = [(start, role) for role, start in roles.items() if start <= col]
    return max(before)[1] if before else None


def parse_text_targets(lines: Sequence[Line], doc_id: str, start: int = 0) -> PerformanceResult:
    """Every narrative table of targets in `lines` (the 情况说明) → performance_targets rows."""
    builder = _Builder(doc_id, start)
    roles: dict[str, int] | None = None
    funds_unit = DEFAULT_UNIT
    rows: list[_Row] = []

    def flush() -> None:
        for row in rows:
            _emit(builder, row, funds_unit)
        rows.clear()

    for line in lines:
        if line.blank:
            continue
        cells = line.cells
        found = header_roles(cells) if "\t" in line.text.strip() else None
        if found is not None:
            if roles is None or found != roles:
                flush()
                roles = found
                label = _key(cells[found["funds"]])
                unit = vocab.TARGET_FUNDS_UNIT.search(label)
                funds_unit = unit.group(1) if unit else DEFAULT_UNIT
                if unit is None:
                    builder.finding("perf.funds_unit", "info",
                                    f"「{cells[found['funds']]}」未印单位，按{DEFAULT_UNIT}读", line.no)
            continue  # the header, or the header printed again on the next page
        if roles is None:
            continue
        filled = [c for c in cells if c]
        if len(filled) == 1 and cells[0]:  # a note, the next heading: the table ends
            flush()
            roles = None
            continue
        funds = cells[roles["funds"]] if roles["funds"] < len(cells) else ""
        name = clean_text(cells[roles["name"]] if roles["name"] < len(cells) else "")
        if name in _TOTALS:
            builder.finding("perf.subtotal_row", "info", f"「{name}」行是合计，不是项目", line.no)
            continue
        if not funds and rows:  # the row above, wrapped onto this line
            row = rows[-1]
        else:
            row = _Row(line.no)
            rows.append(row)
        row.last = line.no
        for col, cell in enumerate(cells):
            role = _role_of(roles, col)
            if cell and role:
                row.add(role, cell.strip())
    flush()
    return builder.result


def _emit(builder: _Builder, row: _Row, funds_unit: str) -> None:
    cells = row.cells
    name = clean_text(cells.get("name"))
    funds_text = cells.get("funds")
    if not name:
        builder.finding("perf.unplaced_row", "warning",
                        f"绩效目标表中一行未印项目名称: {' | '.join(cells.values())}", row.first)
        return
    funds = parse_amount(funds_text) if is_amount(funds_text) else None
    if funds_text and funds is None:
        builder.finding("perf.bad_funds", "warning", f"项目「{name}」: 预算数「{funds_text}」不是金额",
                        row.first)
    if funds is not None:
        funds *= SCALES.get(funds_unit, SCALES[DEFAULT_UNIT])
    builder.target(NARRATIVE, name, clean_text(cells.get("unit")), funds, funds_unit,
                   clean_text(cells.get("goal")), row.first, row.last)


# The project table's goal column ----------------------------------------------------------------


def goal_column(labels: Sequence[str]) -> int | None:
    """The column of a project table whose label is 绩效目标, else None."""
    return next((i for i, label in enumerate(labels) if _GOAL_LABEL.search(_key(label))), None)


def project_goals(labels: Sequence[str], lines: Sequence[Line], projects: Sequence[dict[str, Any]],
                  doc_id: str, unit: str | None, start: int = 0) -> PerformanceResult:
    """The target printed in a project table's 绩效目标 column, one per project row (`projects`
    are the rows parsed from `lines`, found again by their source line). The funds are the
    project's total (万元, whatever `unit` the table prints)."""
    builder = _Builder(doc_id, start)
    col = goal_column(labels)
    if col is None:
        return builder.result
    by_line = {line.no: line for line in lines}
    for project in projects:
        line = by_line.get(project["source_line"])
        if line is None:
            continue
        cells = line.cells
        goal = clean_text(cells[col]) if col < len(cells) else None
        if not goal:
            builder.finding("perf.no_goal", "warning",
                            f"项目「{project['name']}」: 表中绩效目标一栏为空", line.no,
                            project["project_id"], "projects")
            continue
        total = project["total"]
        builder.target(PROJECT_COLUMN, project["name"], project.get("unit"),
                       total * SCALES["万元"] if total is not None else None, unit or DEFAULT_UNIT,
                       goal, line.no, line.no)
    return builder.result


def _text_key(text: str | None) -> str:
    """Comparison key of a target text: full-width punctuation read as half-width."""
    return unicodedata.normalize("NFKC", name_key(text))


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (name_key(a["name"]) == name_key(b["name"]) and a["annual_funds"] == b["annual_funds"]
            and _text_key(a["goal_annual"]) == _text_key(b["goal_annual"]))


def drop_repeats(kept: PerformanceResult, narrative: PerformanceResult) -> PerformanceResult:
    """`narrative` without the targets `kept` already holds (a 重点项目 printed again in the
    情况说明 with the same name, funds and text): the first print counts, the repeat is a
    finding. The rest are renumbered after `kept`'s last table."""
    result = PerformanceResult(findings=list(narrative.findings))
    renamed: dict[str, str] = {}
    for row in narrative.targets:
        first = next((k for k in kept.targets if k.get("layout") == PROJECT_COLUMN and _same(k, row)),
                     None)
        if first is not None:
            result.findings.append({
                "doc_id": row["doc_id"], "rule": "perf.repeated", "severity": "info",
                "message": f"重点项目「{row['name']}」的绩效目标与项目表所印（{first['perf_id']}）"
                           "相同，不重复记录",
                "resource": "performance_targets", "key": first["perf_id"], "expected": None,
                "actual": None, "source_line": row["source_line"]})
            renamed[row["perf_id"]] = first["perf_id"]
            continue
        perf_id = f"perf-{len(kept.targets) + len(result.targets) + 1:03d}"
        renamed[row["perf_id"]] = perf_id
        result.targets.append({**row, "perf_id": perf_id})
    for finding in result.findings:
        if finding["key"] in renamed and finding["rule"] != "perf.repeated":
            finding["key"] = renamed[finding["key"]]
    return result
