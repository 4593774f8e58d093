"""Parsers for the fixed budget tables 1–13: section lines → row dicts with their source lines.

Each table's columns are found from its (possibly two- or three-line) header by label, not
by position; cells a row lacks at its end are empty. Nothing is dropped silently: a cell
that is not an amount, a row that cannot be placed, a header that is not understood all
become findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budgettui import vocabulary as vocab
from budgettui.segment import TableSection
from budgettui.sources import Line
from budgettui.values import AmountError, is_amount, parse_amount

Row = dict[str, Any]

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_NO_DATA = re.compile(r"本表无数据|无数据|本表为空")
_META = re.compile(r"^(部门名称|单位名称|编制单位|单位)[：:]")
_COLUMN_NUMBERS = re.compile(r"^\d{1,2}$")
#: Words that make up table headers (a line of only these is a header line).
_HEADER_WORDS = re.compile(
    r"^(项目|收入|支出|科目编码|收入科目编码|科目名称|功能分类科目|合计|小计|金额|本年收入|上年结转|"
    r"\d{4}年?(度)?(预算数|合计)?|\d{4}年?财政拨款|当年预算安排|上年结转安排|基本支出|项目支出|"
    r"一般公共预算|政府性基金(预算)?|国有资本经营(预算|收入预算)?|财政专户管理资金|单位资金|"
    r"单位名称|项目名称|部门预算支出经济科目名称|政府预算支出经济科目名称|人员经费|公用经费|"
    r"政府性基金收入预算|国有资本经营预算(收入|支出)|\d{4}年?预算数)$"
)


@dataclass(slots=True)
class Table:
    """A table split into header labels (one per column) and data lines."""

    section: TableSection
    labels: list[str]
    groups: list[str]
    rows: list[Line]
    no_data: bool
    unit: str | None

    @property
    def factor(self) -> Decimal:
        """What turns this table's printed amounts into 万元 (1 for 万元, 0.0001 for 元)."""
        return Decimal(vocab.UNIT_FACTORS.get(self.unit or "万元", 10000)) / Decimal(10000)


@dataclass(slots=True)
class Context:
    """What a table parser needs besides its lines, and where it reports findings."""

    doc_id: str
    department: str | None = None
    unit_names: list[str] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    #: What turns the current table's printed amounts into 万元 (0.0001 for a table in 元).
    factor: Decimal = Decimal(1)

    def finding(
        self,
        rule: str,
        severity: str,
        message: str,
        line: int | None,
        resource: str | None = None,
        key: str | None = None,
        expected: str | None = None,
        actual: str | None = None,
    ) -> None:
        self.findings.append(
            {
                "doc_id": self.doc_id,
                "rule": rule,
                "severity": severity,
                "message": message,
                "resource": resource,
                "key": key,
                "expected": expected,
                "actual": actual,
                "source_line": line,
            }
        )


# ---------------------------------------------------------------- splitting a table


def _is_header_line(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled:
        return False
    if _is_column_numbers(cells):
        return True
    return all(_HEADER_WORDS.match(re.sub(r"\s+", "", c)) for c in filled)


def _is_column_numbers(cells: list[str]) -> bool:
    """A line that numbers the columns (`1 2 3 …`, with `**` or 栏次 in the label columns)."""
    filled = [c for c in cells if c and c not in _NUMBER_FILLERS]
    if len(filled) < 3 or not all(_COLUMN_NUMBERS.match(c) for c in filled):
        return False
    numbers = [int(c) for c in filled]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1


_NUMBER_FILLERS = {"**", "*", "栏次", "行次", "-", "—"}


def _is_data_line(cells: list[str]) -> bool:
    """A row of a table's body, not of its header: a code or a total label first, or amounts
    beside at most three labels (a header holds many labels and no amounts)."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    first = _clean(filled[0])
    if _CODE_START.match(first) or first in ("合计", "总计"):
        return True
    amounts = sum(1 for c in filled if is_amount(c))
    return amounts >= 1 and len(filled) - amounts <= 3


def _labels_only(cells: list[str]) -> bool:
    """Two labels or more and no amount: a header line in any template's words."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and not any(is_amount(c) for c in filled)


_CODE_START = re.compile(r"^\[?\d{3}(?:\d{2}){0,2}\]?(?!\d)")


def split_table(section: TableSection) -> Table:
    """Separate a table's meta lines, header lines and data lines. The header is what comes
    before the first data row; printed again on a continued page, it is skipped there."""
    header: list[list[str]] = []
    rows: list[Line] = []
    no_data = False
    unit = None
    for line in section.lines:
        if line.blank:
            continue
        text = line.text.strip()
        if vocab.NO_DATA.search(text) and "\t" not in text:
            no_data = True
            continue
        cells = line.cells
        stated = vocab.UNIT.search(text)
        if _META.match(text) or vocab.META.match(text) or (stated and not _has_amount(cells)):
            unit = unit or (stated.group(1) if stated else None)
            continue
        if _is_column_numbers(cells):
            continue
        if not rows and (_is_header_line(cells) or (not _is_data_line(cells) and _labels_only(cells))):
            header.append(cells)
            continue
        if rows and cells in header:
            continue  # the header again, on the next page
        rows.append(line)
    labels, groups = _labels(header)
    table = Table(section, labels, groups, rows, no_data, unit)
    _merge_code_columns(table)
    return table


def _merge_code_columns(table: Table) -> None:
    """Codes printed in 类 / 款 / 项 columns (`208` `05` `05`, the class often printed only on
    its first row) become one code column: `2080505`."""
    labels = table.labels
    start = next((i for i in range(len(labels) - 1) if labels[i] == "类" and labels[i + 1] == "款"), None)
    if start is None:
        return
    width = 3 if start + 2 < len(labels) and labels[start + 2] == "项" else 2
    table.labels = [*labels[:start], "科目编码", *labels[start + width:]]
    table.groups = [*table.groups[:start], table.groups[start], *table.groups[start + width:]]
    parents = ["", ""]
    merged: list[Line] = []
    for line in table.rows:
        cells = line.cells
        parts = [_clean(cell(cells, start + k)) for k in range(width)]
        code = _join_code(parts, parents)
        new = [*cells[:start], code, *cells[start + width:]]
        merged.append(Line(line.no, "\t".join(new)))
    table.rows = merged


def _join_code(parts: list[str], parents: list[str]) -> str:
    """One code from its 类/款/项 parts, taking a missing 类 or 款 from the rows above."""
    if not all(not p or p.isdigit() for p in parts):
        return "".join(parts)  # 合计 or a label, as printed
    lei, kuan, xiang = [*parts, ""][:3]
    if lei:
        parents[0], parents[1] = lei[:3], ""
        code = lei
        if kuan:
            parents[1] = kuan
            code += kuan + xiang
        return code
    if kuan:
        parents[1] = kuan
        return parents[0] + kuan + xiang if parents[0] else kuan + xiang
    if xiang:
        return parents[0] + parents[1] + xiang if parents[0] and parents[1] else xiang
    return ""


def _labels(header: list[list[str]]) -> tuple[list[str], list[str]]:
    """Per column: the lowest non-empty header label, and the top row's label carried right."""
    width = max((len(h) for h in header), default=0)
    labels, groups = [], []
    group = ""
    for col in range(width):
        column = [h[col] if col < len(h) else "" for h in header]
        label = next((c for c in reversed(column) if c), "")
        labels.append(re.sub(r"\s+", "", label))
        if column and column[0]:
            group = column[0]
        groups.append(group)
    return labels, groups


def find_column(table: Table, pattern: str, default: int | None, start: int = 0) -> int | None:
    """Index of the first column at or after `start` whose label matches `pattern`."""
    regex = re.compile(pattern)
    for index in range(start, len(table.labels)):
        if regex.search(table.labels[index]):
            return index
    return default


def cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def amount(ctx: Context, line: Line, index: int | None, resource: str, key: str) -> Decimal | None:
    """The amount in a cell; a cell that is not an amount becomes a finding and null."""
    text = cell(line.cells, index)
    try:
        value = parse_amount(text)
        return value * ctx.factor if value is not None and ctx.factor != 1 else value
    except AmountError:
        ctx.finding(
            "parse.bad_amount", "error", f"cell is not an amount: {text!r}", line.no,
            resource, key, None, text,
        )
        return None


def _amount_columns(ctx: Context, line: Line, columns: dict[str, int | None], resource: str,
                    key: str) -> Row:
    return {name: amount(ctx, line, index, resource, key) for name, index in columns.items()}


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text)


def subject_level(code: str) -> tuple[int | None, str | None]:
    """3 digits → 类 (1), 5 → 款 (2), 7 → 项 (3); the parent is the code less two digits."""
    level = {3: 1, 5: 2, 7: 3}.get(len(code))
    parent = code[:-2] if level and level > 1 else None
    return level, parent


def _has_amount(cells: Iterable[str]) -> bool:
    return any(is_amount(c) for c in cells)


# ---------------------------------------------------------------- tables by subject code


def _subject_rows(ctx: Context, table: Table, resource: str, columns: dict[str, int | None],
                  code_col: int = 0, name_col: int = 1) -> list[Row]:
    """Rows keyed by a classification code (tables 2, 3, 5, 7, 8)."""
    rows: list[Row] = []
    if table.no_data:
        return rows
    for line in table.rows:
        cells = line.cells
        code, name = _clean(cell(cells, code_col)), cell(cells, name_col)
        if code in ("合计", "总计") or (not code and _clean(name) in ("合计", "总计")):
            row: Row = {"code": None, "name": "合计", "level": 0, "parent_code": None}
        elif _CODE.match(code):
            level, parent = subject_level(code)
            row = {"code": code, "name": name, "level": level, "parent_code": parent}
        elif rows and not code and name and not _has_amount(cells):
            rows[-1]["name"] += name  # a name wrapped onto the next line
            ctx.finding("parse.wrapped_row", "info", "name continued on the next line; joined",
                        line.no, resource, rows[-1]["code"], None, line.text)
            continue
        else:
            ctx.finding("parse.unplaced_row", "warning", "row has no classification code",
                        line.no, resource, None, None, line.text)
            continue
        key = row["code"] or "合计"
        row.update(_amount_columns(ctx, line, columns, resource, key))
        row.update(doc_id=ctx.doc_id, seq=len(rows) + 1, source_line=line.no)
        rows.append(row)
    return rows


def parse_income_by_subject(ctx: Context, table: Table) -> list[Row]:
    """Table 2 预算收入总表."""
    columns = {
        "total": find_column(table, r"^合计$", 2),
        "general_budget": find_column(table, r"一般公共预算", 3),
        "fund_budget": find_column(table, r"政府性基金", 4),
        "state_capital": find_column(table, r"国有资本", 5),
        "special_account": find_column(table, r"财政专户", 6),
        "unit_funds": find_column(table, r"单位资金", 7),
        "carryover": find_column(table, r"上年结转", 8),
    }
    return _subject_rows(ctx, table, "income_by_subject", columns)


def _basic_project(table: Table) -> dict[str, int | None]:
    return {
        "total": find_column(table, r"^(合计|\d{4}年?合计)$", 2),
        "basic": find_column(table, r"基本支出", 3),
        "project": find_column(table, r"项目支出", 4),
    }


def parse_expenditure_by_subject(ctx: Context, table: Table) -> list[Row]:
    """Table 3 预算支出总表."""
    return _subject_rows(ctx, table, "expenditure_by_subject", _basic_project(table))


def parse_general_budget_expenditure(ctx: Context, table: Table) -> list[Row]:
    """Table 5 一般公共预算支出预算表."""
    return _subject_rows(ctx, table, "general_budget_expenditure", _basic_project(table))


def parse_fund_income(ctx: Context, table: Table) -> list[Row]:
    """Table 7 政府性基金预算收入表."""
    columns = {"total": find_column(table, r"政府性基金收入|^合计$|金额", 2)}
    return _subject_rows(ctx, table, "fund_income", columns)


def parse_fund_expenditure(ctx: Context, table: Table) -> list[Row]:
    """Table 8 政府性基金预算支出表."""
    return _subject_rows(ctx, table, "fund_expenditure", _basic_project(table))


def parse_state_capital(ctx: Context, table: Table) -> list[Row]:
    """Table 9 国有资本经营预算收支预算表: income (code, name, amount) beside expenditure."""
    if table.no_data:
        return []
    split = find_column(table, r"^科目编码$", 3, start=2) or 3
    income_cols = {"total": find_column(table, r"收入预算|金额", 2)}
    out: list[Row] = []
    for side, code_col, columns in (
        ("income", 0, income_cols),
        ("expenditure", split, {
            "total": find_column(table, r"^合计$", split + 2, start=split),
            "basic": find_column(table, r"基本支出", split + 3, start=split),
            "project": find_column(table, r"项目支出", split + 4, start=split),
        }),
    ):
        rows = _subject_rows(ctx, table, "state_capital", columns, code_col, code_col + 1)
        for row in rows:
            if row["code"] is None and all(row[c] is None for c in columns):
                continue  # an empty 合计 cell pair on this side
            row["side"] = side
            row["seq"] = len([r for r in out if r["side"] == side]) + 1
            out.append(row)
    return out


# ---------------------------------------------------------------- two-sided summaries


_INCOME_SUBTOTAL = re.compile(r"^本年收入合计$")
_EXPENDITURE_SUBTOTAL = re.compile(r"^本年支出合计$")
_GRAND_TOTAL = re.compile(r"^(收入|支出)总计$")
_CARRY_IN = re.compile(r"^上年(财政拨款)?结转")


def _summary_kind(item: str) -> str:
    if _GRAND_TOTAL.match(item):
        return "total"
    if _INCOME_SUBTOTAL.match(item) or _EXPENDITURE_SUBTOTAL.match(item):
        return "subtotal"
    return "item"


def _two_sides(table: Table) -> tuple[int, int]:
    """Column index where the expenditure side starts, from the 支出 group or the 2nd 项目."""
    for index, group in enumerate(table.groups):
        if group.startswith("支出"):
            return 0, index
    second = find_column(table, r"^项目$", None, start=1)
    return 0, second if second is not None else 2


def parse_budget_summary(ctx: Context, table: Table) -> list[Row]:
    """Table 1 预算收支总表: income items on the left, expenditure 类 on the right."""
    _, right = _two_sides(table)
    income_amount = find_column(table, r"\d{4}|金额|合计", 1) or 1
    total = find_column(table, r"合计", right + 1, start=right)
    current = find_column(table, r"当年预算", right + 2, start=right)
    carry = find_column(table, r"上年结转", right + 3, start=right)
    rows: list[Row] = []
    seqs = {"income": 0, "expenditure": 0}
    for line in table.rows:
        cells = line.cells
        for side, item_col, columns in (
            ("income", 0, {"amount": income_amount}),
            ("expenditure", right, {"amount": total, "current_year": current, "carryover": carry}),
        ):
            item = _clean(cell(cells, item_col))
            if not item:
                if any(cell(cells, i) for i in columns.values()):
                    ctx.finding("parse.unplaced_row", "warning", "amount without an item",
                                line.no, "budget_summary", None, None, line.text)
                continue
            seqs[side] += 1
            row: Row = {"doc_id": ctx.doc_id, "seq": seqs[side], "side": side, "item": item,
                        "row_kind": _summary_kind(item), "source_line": line.no}
            row.update(_amount_columns(ctx, line, columns, "budget_summary", item))
            rows.append(row)
    return _by_side(rows)


def _by_side(rows: list[Row]) -> list[Row]:
    """Income rows first, then expenditure, each in printed order."""
    return sorted(rows, key=lambda r: (r["side"] != "income", r["seq"]))


def parse_fiscal_summary(ctx: Context, table: Table) -> list[Row]:
    """Table 4 财政拨款收支总表: income with 本年收入 and 上年结转 groups, expenditure by fund."""
    _, right = _two_sides(table)
    income_amount = find_column(table, r"金额|\d{4}", 1) or 1
    columns = {
        "total": find_column(table, r"小计|合计|金额", right + 1, start=right),
        "general_budget": find_column(table, r"一般公共预算", right + 2, start=right),
        "fund_budget": find_column(table, r"政府性基金", right + 3, start=right),
        "state_capital": find_column(table, r"国有资本", right + 4, start=right),
    }
    rows: list[Row] = []
    seqs = {"income": 0, "expenditure": 0}
    group = "本年收入"
    for line in table.rows:
        cells = line.cells
        for side, item_col, cols in (
            ("income", 0, {"total": income_amount}),
            ("expenditure", right, columns),
        ):
            item = _clean(cell(cells, item_col))
            if not item:
                continue
            kind = _summary_kind(item)
            row_group = None
            if side == "income":
                if _CARRY_IN.match(item):
                    group, kind = "上年结转", "subtotal"
                    row_group = group
                elif kind == "item":
                    row_group = group
            seqs[side] += 1
            row: Row = {"doc_id": ctx.doc_id, "seq": seqs[side], "side": side, "group": row_group,
                        "item": item, "row_kind": kind, "source_line": line.no}
            row.update(_amount_columns(ctx, line, cols, "fiscal_summary", item))
            rows.append(row)
    return _by_side(rows)


# ---------------------------------------------------------------- itemised tables


def parse_basic_by_economic(ctx: Context, table: Table) -> list[Row]:
    """Table 6: economic items under their 类 rows (301, 302 …), the 合计 row at top or bottom.

    The economic code is read from its own column (科目编码, 部门经济科目编码) or from the
    front of the name (`[30101]基本工资`): a 3-digit code is a group row, a 5-digit code an
    item of the group above. A table printed without codes is read by its names: a row
    without a government item is a group. The amounts are found by their labels: 合计 (小计,
    总计, 预算数), 人员经费 (人员类, 人员支出) and 公用经费 (日常公用支出)."""
    labelled = any(table.labels)
    code_col = find_column(table, vocab.ECON_CODE_LABEL, None)
    if code_col is None:
        name_col = 0
    else:
        name_col = find_column(table, vocab.ECON_NAME_LABEL, code_col + 1, start=code_col + 1)
        name_col = code_col + 1 if name_col is None else name_col
    gov_col = find_column(table, vocab.GOV_ECON_NAME_LABEL, None if labelled else 1)
    columns = {
        "total": find_column(table, vocab.ECON_TOTAL_LABEL, 2),
        "personnel": find_column(table, vocab.PERSONNEL_LABEL, None if labelled else 3),
        "public": find_column(table, vocab.PUBLIC_LABEL, None if labelled else 4),
    }
    resource = "basic_expenditure_by_economic"
    rows: list[Row] = []
    group = None
    seen: set[str] = set()
    for line in _body(ctx, table.rows, resource):
        cells = line.cells
        name = _clean(cell(cells, name_col))
        code = _clean(cell(cells, code_col))
        bracket = _BRACKET_CODE.match(name)
        if bracket and not code:
            code, name = bracket.group(1), name[bracket.end():]
        gov = _clean(cell(cells, gov_col))
        coded = code_col is not None or bracket is not None
        if name in ("合计", "总计") or code in ("合计", "总计"):
            kind, row_group, name = "total", None, "合计"
        elif code and _ECON_CODE.match(code):
            if len(code) == 3:
                # a group printed again (under another government item) gets that item's name
                key = f"{name}/{gov}" if name in seen and gov else name
                seen.add(name)
                kind, row_group, group, name = "group", None, key, key
            else:
                kind, row_group = "item", group
        elif coded and rows and name and not _has_amount(cells):
            rows[-1]["dept_econ_name"] += name
            ctx.finding("parse.wrapped_row", "info", "name continued on the next line; joined",
                        line.no, resource, rows[-1]["dept_econ_name"], None, line.text)
            continue
        elif coded:
            ctx.finding("parse.unplaced_row", "warning", "row has no economic code",
                        line.no, resource, name or None, None, line.text)
            continue
        elif not gov:
            kind, group, row_group = "group", name, None
        else:
            kind, row_group = "item", group
        row: Row = {"doc_id": ctx.doc_id, "seq": len(rows) + 1, "dept_econ_name": name,
                    "gov_econ_name": gov or None, "row_kind": kind, "group": row_group,
                    "source_line": line.no}
        row.update(_amount_columns(ctx, line, columns, resource, name))
        rows.append(row)
    return rows


_ECON_CODE = re.compile(r"^\d{3}(?:\d{2})?$")
_BRACKET_CODE = re.compile(r"^[\[【](\d{3}(?:\d{2})?)[\]】]")


def _by_fund(table: Table) -> dict[str, int | None]:
    """Columns 合计 / 一般公共预算 / 政府性基金 / 国有资本 by label (by position only when the
    table printed no header)."""
    labelled = any(table.labels)
    return {
        "total": find_column(table, vocab.FUND_TOTAL_LABEL, 1),
        "general_budget": find_column(table, r"一般公共预算", None if labelled else 2),
        "fund_budget": find_column(table, r"政府性基金", None if labelled else 3),
        "state_capital": find_column(table, r"国有资本", None if labelled else 4),
    }


def _header_grid(table: Table) -> tuple[list[list[str]], list[Line]]:
    """The header lines of a table as printed (cells in grid columns) and its data lines.

    A header line that starts with 合计 (the 三公 total's column) was taken for a data row by
    `split_table`; lines before the first one with an amount are header here."""
    first = table.rows[0].no if table.rows else None
    grid: list[list[str]] = []
    for line in table.section.lines:
        if first is not None and line.no >= first:
            break
        text = line.text.strip()
        if line.blank or ("\t" not in text and (vocab.META.match(text) or vocab.UNIT.search(text))):
            continue
        if vocab.META.match(text) or _is_column_numbers(line.cells):
            continue
        grid.append(line.cells)
    rows = list(table.rows)
    while rows and not _has_amount(rows[0].cells) and _labels_only(rows[0].cells):
        grid.append(rows.pop(0).cells)
    return grid, rows


def _body(ctx: Context, lines: list[Line], resource: str) -> list[Line]:
    """A table's data lines up to a note under it (注：…) or the title of a table printed
    into it (the rest is not this table's)."""
    kept: list[Line] = []
    for line in lines:
        filled = [c for c in line.cells if c]
        text = _clean(filled[0]) if filled else ""
        if len(filled) == 1 and (re.match(vocab.NOTE_START, text) or vocab.table_kind(text)[2]):
            ctx.finding("parse.table_end", "info", f"the table ends at 「{filled[0][:40]}」",
                        line.no, resource, None, None, line.text)
            break
        kept.append(line)
    return kept


def _column_paths(grid: list[list[str]]) -> list[list[str]]:
    """Per column, its header texts top to bottom. A merged cell is printed once, in its first
    column: it spans right over the empty cells that have a header below them and the same
    header above them."""
    width = max((len(r) for r in grid), default=0)
    cells = [[_clean(r[c]) if c < len(r) else "" for c in range(width)] for r in grid]
    for level, row in enumerate(cells):
        for col in range(1, width):
            if row[col] or not row[col - 1]:
                continue
            below = any(cells[k][col] for k in range(level + 1, len(cells)))
            above = all(cells[k][col] == cells[k][col - 1] for k in range(level))
            if below and above:
                row[col] = row[col - 1]
    return [[cells[k][c] for k in range(len(cells)) if cells[k][c]] for c in range(width)]


def _three_public_role(path: list[str]) -> tuple[str | None, str, bool]:
    """(role, fund, strong) of a wide table's column: role total / travel / reception /
    vehicles / purchase / operation (None for another measure), the fund column it holds."""
    fund = next((name for name, pattern in vocab.FUND_LABELS if path and re.search(pattern, path[-1])),
                "total")
    if any(re.search(vocab.THREE_PUBLIC_OTHER, text) for text in path):
        return None, fund, False
    totalish = False
    for text in reversed(path):
        for role, pattern in vocab.THREE_PUBLIC_ITEMS:
            if re.search(pattern, text):
                return role, fund, True
        if re.search(vocab.THREE_PUBLIC_TOTAL, text):
            totalish = True
        elif re.search(vocab.THREE_PUBLIC_WORD, text):
            return "total", fund, True  # the 三公 group's own 合计 / 小计 (or the only column)
    return ("total", fund, False) if totalish else (None, fund, False)


def parse_three_public_costs(ctx: Context, table: Table) -> list[Row]:
    """Table 10: 合计, 出国, 接待, 车辆 with 购置 and 运行维护 under 车辆.

    Printed as rows (an item per row, amounts by fund) or as columns (a row per unit or year,
    the items in a wide header, maybe by fund and for several years); either way the rows
    here are the items of the department (the 合计 row) for the budget year."""
    grid, data = _header_grid(table)
    data = _body(ctx, data, "three_public_costs")
    if any(re.search(vocab.THREE_PUBLIC_ITEMS[0][1] + "|" + vocab.THREE_PUBLIC_ITEMS[1][1], c)
           for r in grid for c in r if c):
        return _three_public_wide(ctx, table, grid, data)
    columns = _by_fund(table)
    resource = "three_public_costs"
    rows: list[Row] = []
    parent = None
    for line in data:
        printed = _clean(cell(line.cells, 0))
        item = _strip_numbering(printed)
        if not _has_amount(line.cells) and not item:
            continue
        if re.search(vocab.THREE_PUBLIC_OTHER, item) and not re.search(vocab.THREE_PUBLIC_WORD, item):
            ctx.finding("parse.other_measure", "info",
                        f"row {item!r} is not one of the 三公 items; not kept in three_public_costs",
                        line.no, resource, item, None, line.text)
            continue
        role = next((r for r, p in vocab.THREE_PUBLIC_ITEMS if re.search(p, item)), None)
        if role is None and re.search(vocab.THREE_PUBLIC_TOTAL + "|" + vocab.THREE_PUBLIC_WORD, item):
            role = "total"
        if role == "total":
            kind, row_parent = "total", None
        elif role == "vehicles":
            kind, row_parent, parent = "group", None, item
        elif role in ("purchase", "operation"):
            kind, row_parent = "item", parent
        else:
            kind, row_parent = "item", None
            if role is None:
                ctx.finding("parse.unknown_item", "warning", f"row {item!r} is no 三公 item",
                            line.no, resource, item, None, line.text)
        row: Row = {"doc_id": ctx.doc_id, "seq": len(rows) + 1, "item": item,
                    "parent_item": row_parent, "row_kind": kind, "source_line": line.no}
        row.update(_amount_columns(ctx, line, columns, resource, item))
        rows.append(row)
    return rows


def _strip_numbering(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _ITEM_NUMBER.sub("", text)
    return text


_ITEM_NUMBER = re.compile(r"^(?:其中[:：]|[（(][一二三四五六七八九十\d]+[)）]|[①②③④⑤⑥⑦⑧⑨]|"
                          r"\d+[、.．](?!\d)|[一二三四五六七八九十]+、)")


def _period(text: str) -> str | None:
    return text if re.search(vocab.PERIOD_LABEL, text) else None


def _three_public_wide(ctx: Context, table: Table, grid: list[list[str]], data: list[Line]) -> list[Row]:
    """Table 10 printed with its items as columns (深圳, 长沙, 无锡, 烟台, 上海, 西安)."""
    resource = "three_public_costs"
    paths = _column_paths(grid)
    year = str(table.section.year) if table.section.year else None
    # the period (year) of each column, and the one to read: the budget year's
    periods = [next((t for t in p if _period(t)), None) for p in paths]
    wanted = _pick_period([p for p in periods if p], year)
    # a column that names the year of each row (深圳: 年度)
    year_col = next((i for i, p in enumerate(paths) if p and re.fullmatch(vocab.ROW_PERIOD_LABEL, p[-1])), None)
    roles: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    strong: dict[str, bool] = {}
    for col, path in enumerate(paths):
        if wanted is not None and periods[col] != wanted:
            continue
        role, fund, is_strong = _three_public_role(path)
        if role is None:
            continue
        if role == "total" and strong.get("total") and not is_strong:
            continue
        if role == "total" and is_strong and not strong.get("total"):
            roles.pop("total", None)
        if fund in roles.get(role, {}):
            continue
        roles.setdefault(role, {})[fund] = col
        strong[role] = strong.get(role, False) or is_strong
        if role not in names:
            pattern = dict(vocab.THREE_PUBLIC_ITEMS).get(role, "$^")
            names[role] = _strip_numbering(next((t for t in reversed(path) if re.search(pattern, t)), "合计"))
    lines = [line for line in data if _has_amount(line.cells)]
    if year_col is not None:
        years = [_clean(cell(line.cells, year_col)) for line in lines]
        pick = _pick_period([y for y in years if _period(y)], year)
        lines = [line for line, y in zip(lines, years, strict=True) if y == pick] or lines
    chosen = next((line for line in lines if any(_clean(c) in ("合计", "总计") for c in line.cells
                                                 if not is_amount(c))), lines[0] if lines else None)
    if chosen is None:
        return []
    left = [line for line in data if line is not chosen and _has_amount(line.cells)]
    if left or (wanted is not None and len(set(filter(None, periods))) > 1):
        ctx.finding("parse.other_measure", "info",
                    f"wide 三公 table: the row on line {chosen.no} (period {wanted or 'as printed'}) "
                    f"is read; {len(left)} other rows (units, years) are not kept",
                    chosen.no, resource, None, None, None)
    rows: list[Row] = []
    order = ("total", "travel", "reception", "vehicles", "purchase", "operation")
    for role in order:
        if role not in roles:
            continue
        item = names[role]
        kind = {"total": "total", "vehicles": "group"}.get(role, "item")
        parent = names.get("vehicles") if role in ("purchase", "operation") else None
        columns = {f: roles[role].get(f) for f in ("total", "general_budget", "fund_budget", "state_capital")}
        row: Row = {"doc_id": ctx.doc_id, "seq": len(rows) + 1, "item": item, "parent_item": parent,
                    "row_kind": kind, "source_line": chosen.no}
        row.update(_amount_columns(ctx, chosen, columns, resource, item))
        rows.append(row)
    return rows


def _pick_period(periods: list[str], year: str | None) -> str | None:
    """The budget year's period among a table's: the one naming the year, else 当年/本年, else
    the latest year printed (a change column never)."""
    candidates = [p for p in dict.fromkeys(periods) if not re.search(vocab.CHANGE_LABEL, p)]
    if not candidates:
        return None
    if year:
        named = [p for p in candidates if year in p]
        if named:
            return named[0]
    current = [p for p in candidates if re.search(vocab.CURRENT_PERIOD, p)]
    if current:
        return current[0]
    dated = sorted((p for p in candidates if re.search(r"\d{4}", p)), key=lambda p: re.search(r"\d{4}", p).group())
    return dated[-1] if dated else candidates[-1]


def parse_operating_costs(ctx: Context, table: Table) -> list[Row]:
    """Table 11: the department total, then each unit (amounts by fund).

    Two other printings: by economic item (无锡: 合计, 302 商品和服务支出, 30201 办公费 …; the
    `unit` column then holds the item, rows are `group` and `detail`, never units), and as a
    column of 上海's 单位“三公”经费和机关运行经费预算表 (one `total` row)."""
    resource = "operating_costs"
    grid, data = _header_grid(table)
    data = _body(ctx, data, resource)
    paths = _column_paths(grid)
    if any(re.search(vocab.THREE_PUBLIC_WORD, t) for p in paths for t in p):
        return _operating_column(ctx, paths, data)
    code_col = find_column(table, vocab.ECON_CODE_LABEL, None)
    name_col = 0 if code_col is None else code_col + 1
    columns = _by_fund(table)
    rows: list[Row] = []
    for line in data:
        unit = cell(line.cells, name_col).strip()
        code = _clean(cell(line.cells, code_col))
        if not unit and not code and not _has_amount(line.cells):
            continue
        if _clean(unit) in ("部门合计", "合计", "总计") or code in ("合计", "总计"):
            kind = "total"
        elif code_col is not None:
            kind = "group" if len(code) == 3 else "detail"
            unit = f"{code} {unit}".strip()
        else:
            kind = "item"
        row: Row = {"doc_id": ctx.doc_id, "seq": len(rows) + 1, "unit": unit or "合计", "row_kind": kind,
                    "source_line": line.no}
        row.update(_amount_columns(ctx, line, columns, resource, unit))
        rows.append(row)
    return rows


def _operating_column(ctx: Context, paths: list[list[str]], data: list[Line]) -> list[Row]:
    """机关运行经费 printed as a column beside the 三公 items (上海): one total row."""
    col = next((i for i, p in enumerate(paths) if any(re.search(vocab.OPERATING_WORD, t) for t in p)), None)
    line = next((ln for ln in data if _has_amount(ln.cells)), None)
    if col is None or line is None:
        return []
    row: Row = {"doc_id": ctx.doc_id, "seq": 1, "unit": "合计", "row_kind": "total", "source_line": line.no}
    row.update(_amount_columns(ctx, line, {"total": col, "general_budget": None, "fund_budget": None,
                                           "state_capital": None}, "operating_costs", "合计"))
    return [row]


# ---------------------------------------------------------------- projects (tables 12, 13)

_UNIT_SUFFIX = re.compile(vocab.UNIT_SUFFIX)
_BRACKETS = str.maketrans("（）【】〔〕", "()[][]")


def unit_key(name: str) -> str:
    """A unit name compared without spaces and bracket differences."""
    return _clean(name).translate(_BRACKETS)


@dataclass(slots=True)
class ProjectRows:
    projects: list[Row]
    subtotals: list[Row]


def parse_projects(ctx: Context, table: Table, kind: str) -> ProjectRows:
    """Tables 12/13: the department total row, each unit's subtotal row, then its projects.

    Units are told by a unit code (西安: `121001`; a code that heads longer codes is the
    department again), else by name (a known unit, or a unit-like name whose amount is the
    sum of the rows after it). Within a unit, rows whose amount is the sum of the rows after
    them are category subtotals (西安: 通用项目 › 委托咨询业务 › projects), kept as
    `category` subtotal rows. Projects printed without any unit row belong to the department.
    The table ends at a note (注：…) or at the title of a table printed into it."""
    grid, data = _header_grid(table)
    if len(data) < len(table.rows):  # header lines taken for rows (深圳: a line starting 总计)
        labels = [path[-1] if path else "" for path in _column_paths(grid)]
        table = Table(table.section, labels, table.groups, data, table.no_data, table.unit)
    labelled = any(table.labels)
    name_col = find_column(table, vocab.PROJECT_NAME_LABEL, 0) or 0
    code_col = find_column(table, vocab.ECON_CODE_LABEL, None)
    if code_col is not None and code_col >= name_col:
        code_col = None
    total_col = next((c for c in (find_column(table, p, None) for p in vocab.PROJECT_TOTAL_LABELS)
                      if c is not None), None if labelled else 1)
    columns = {
        "total": total_col,
        "general_budget": find_column(table, r"一般公共预算", None if labelled else 2),
        "fund_budget": find_column(table, r"政府性基金", None if labelled else 3),
        "state_capital": find_column(table, r"国有资本", None if labelled else 4),
        "special_account": find_column(table, r"财政专户", None),
        "unit_funds": find_column(table, vocab.UNIT_FUNDS_LABEL, None),
    }
    resource = "projects"
    lines = _project_lines(ctx, table, name_col, code_col, resource)
    values = [_amount_columns(ctx, line, columns, resource, cell(line.cells, name_col)) for line in lines]
    names = [cell(line.cells, name_col).strip() for line in lines]
    codes = [_clean(cell(line.cells, code_col)) for line in lines]
    levels = _project_levels(ctx, names, codes, values, code_col is not None)
    categories = _categories(levels, values)
    result = ProjectRows([], [])
    unit = None
    prefix = "p" if kind == "current" else "c"
    for index, line in enumerate(lines):
        name, level = names[index], levels[index]
        if level == "unit":
            unit = name
        if index in categories:
            level = "category"
            ctx.finding("parse.project_category", "info",
                        f"「{name}」 is a category subtotal of {unit or 'the department'}'s projects, "
                        "not a project", line.no, resource, name)
        if level in ("department", "unit", "category"):
            result.subtotals.append({
                "doc_id": ctx.doc_id, "kind": kind, "seq": len(result.subtotals) + 1,
                "level": level, "unit": None if level == "department" else unit or ctx.department,
                "source_line": line.no, **values[index],
            })
            continue
        owner = unit
        if owner is None and ctx.department:
            owner = ctx.department  # no unit rows printed: the department's own projects
        elif owner is None:
            ctx.finding("parse.project_without_unit", "warning",
                        "project row before any unit subtotal row", line.no, resource, name)
        seq = len(result.projects) + 1
        result.projects.append({
            "doc_id": ctx.doc_id, "project_id": f"{prefix}{seq:03d}", "kind": kind, "seq": seq,
            "unit": owner, "name": name, "source_line": line.no, **values[index],
        })
    _check_without_units(ctx, result, resource)
    return result


def _check_without_units(ctx: Context, result: ProjectRows, resource: str) -> None:
    """Without unit rows no rule compares the projects with the department's 合计 row (烟台):
    a difference the document prints is a finding here."""
    head = next((r for r in result.subtotals if r["level"] == "department"), None)
    if head is None or head["total"] is None or not result.projects or any(
            r["level"] == "unit" for r in result.subtotals):
        return
    found = sum((p["total"] or Decimal(0) for p in result.projects), Decimal(0))
    if abs(found - head["total"]) > Decimal("0.01") * max(2, len(result.projects)):
        ctx.finding("parse.projects_sum", "warning",
                    f"the department's {len(result.projects)} projects add up to {found.normalize():f}; "
                    f"its 合计 row says {head['total'].normalize():f}", head["source_line"], resource,
                    "部门合计", f"{head['total'].normalize():f}", f"{found.normalize():f}")


def _project_lines(ctx: Context, table: Table, name_col: int, code_col: int | None,
                   resource: str) -> list[Line]:
    """The table's rows up to a note or the title of a table printed into it, wrapped names
    joined."""
    return _join_wrapped(ctx, _body(ctx, table.rows, resource), resource, name_col, code_col)


def _project_levels(ctx: Context, names: list[str], codes: list[str], values: list[Row],
                    coded: bool) -> list[str]:
    """department / unit / project per row."""
    levels = ["project"] * len(names)
    totals = {"合计", "总计", "部门合计"}
    if coded:
        digits = [c if c.isdigit() else "" for c in codes]
        for index, code in enumerate(digits):
            if unit_key(names[index]) in totals or codes[index] in totals:
                levels[index] = "department"
            elif code:
                heads = any(d != code and d.startswith(code) for d in digits[index + 1:])
                levels[index] = "department" if heads else "unit"
        return levels
    known = {unit_key(n) for n in [*ctx.unit_names, ctx.department or ""] if n}
    is_unit = _unit_rows(names, values, known)
    department = unit_key(ctx.department or "")
    for index, name in enumerate(names):
        first_is_total = index == 0 and (
            unit_key(name) in (department, *totals)
            and ((len(names) > 1 and is_unit[1]) or unit_key(name) != department)
        )
        if first_is_total:
            levels[index] = "department"
        elif is_unit[index]:
            levels[index] = "unit"
    return levels


def _categories(levels: list[str], values: list[Row]) -> set[int]:
    """Rows inside a unit's block that are subtotals of the rows after them: only where the
    block's rows do not add up to the unit's amount as they stand, and a reading with
    category rows makes them add up exactly."""
    found: set[int] = set()
    heads = [i for i, level in enumerate(levels) if level != "project"]
    for position, head in enumerate(heads):
        end = heads[position + 1] if position + 1 < len(heads) else len(levels)
        block = list(range(head + 1, end))
        target = values[head]["total"]
        amounts = [values[i]["total"] or Decimal(0) for i in block]
        if target is None or not block or sum(amounts, Decimal(0)) == target:
            continue
        tree = _category_tree(amounts, target)
        if tree:
            found |= {block[i] for i in tree}
    return found


def _category_tree(amounts: list[Decimal], target: Decimal, depth: int = 2) -> set[int] | None:
    """Indices of category rows such that every category is the sum of its rows and the
    top-level rows add up to `target` exactly; None when there is no such reading."""
    memo: dict[tuple[int, int, Decimal, int], frozenset[int] | None] = {}
    calls = [0]

    def parse(start: int, end: int, want: Decimal, room: int) -> frozenset[int] | None:
        if start == end:
            return frozenset() if want == 0 else None
        if want < 0 or calls[0] > 200_000:
            return None
        key = (start, end, want, room)
        if key in memo:
            return memo[key]
        calls[0] += 1
        value = amounts[start]
        found = None
        if room > 0:
            for stop in range(start + 2, end + 1):
                kids = parse(start + 1, stop, value, room - 1)
                if kids is None:
                    continue
                rest = parse(stop, end, want - value, room)
                if rest is not None:
                    found = kids | rest | {start}
                    break
        if found is None:
            rest = parse(start + 1, end, want - value, room)
            found = rest
        memo[key] = found
        return found

    if any(a < 0 for a in amounts):
        return None
    tree = parse(0, len(amounts), target, depth)
    return set(tree) if tree else None


def _join_wrapped(ctx: Context, lines: list[Line], resource: str, name_col: int = 0,
                  code_col: int | None = None) -> list[Line]:
    """Join a row whose name ran onto a following line that holds no amounts (and no code)."""
    out: list[Line] = []
    for line in lines:
        cells = line.cells
        others = [c for i, c in enumerate(cells) if i != name_col]
        name = cell(cells, name_col)
        if out and not _has_amount(others) and not cell(cells, code_col) and name:
            previous = out[-1]
            parts = previous.text.split("\t")
            while len(parts) <= name_col:
                parts.append("")
            parts[name_col] += name
            out[-1] = Line(previous.no, "\t".join(parts))
            ctx.finding("parse.wrapped_row", "info", "name continued on the next line; joined",
                        line.no, resource, parts[name_col], None, line.text)
            continue
        if out and not _has_amount(cells) and not name:
            ctx.finding("parse.wrapped_row", "info", "text of another column continued; not a row",
                        line.no, resource, None, None, line.text)
            continue
        out.append(line)
    return out


def _unit_rows(names: list[str], values: list[Row], known: set[str]) -> list[bool]:
    """Which rows are unit subtotal rows: a known unit's name, or a unit-like name (…中心,
    …学校, …院) whose amount is the sum of the rows after it up to the next unit row.

    Candidates that fail the sum are projects after all; the others are checked again
    until nothing changes, so a rejected candidate never cuts a unit's projects short.
    """
    keys = [unit_key(n) for n in names]
    units = [k in known or bool(_UNIT_SUFFIX.search(k)) for k in keys]
    changed = True
    while changed:
        changed = False
        for index, key in enumerate(keys):
            if units[index] and key not in known and not _sums_up(index, units, values):
                units[index], changed = False, True
    return units


def _sums_up(index: int, units: list[bool], values: list[Row]) -> bool:
    """The row's total equals its following rows' sum, give or take a cent per row
    (published figures are rounded: 658.95 heads projects of 440.35 and 218.61)."""
    total = values[index]["total"]
    end = next((i for i in range(index + 1, len(units)) if units[i]), len(units))
    following = sum((values[i]["total"] or Decimal(0) for i in range(index + 1, end)), Decimal(0))
    tolerance = Decimal("0.01") * max(2, end - index - 1)
    return total is not None and end > index + 1 and abs(following - total) <= tolerance


# ---------------------------------------------------------------- tables of no template kind


def other_lines(ctx: Context, table: Table) -> list[Row]:
    """The printed amounts of a table that is none of the template's, as `budget_lines` rows:
    each with its row's labels, its column's header, the title and the unit as printed."""
    section = table.section
    ctx.finding("parse.unmapped_table", "info",
                f"table 「{section.title}」 is none of the template's tables; its amounts are in "
                "budget_lines (table_no 0) with its title", section.title_line, "source_tables",
                section.title)
    factor = table.factor
    out: list[Row] = []
    for line in table.rows:
        cells = line.cells
        label = " ".join(c for c in cells if c and not is_amount(c)) or None
        for index, text in enumerate(cells):
            if not is_amount(text):
                continue
            value = parse_amount(text)
            if value is None:
                continue
            wan = value * factor
            out.append({
                "doc_id": ctx.doc_id, "table_no": 0, "resource": None,
                "line_id": f"{ctx.doc_id}:00:{section.title_line:05d}:{line.no:05d}:{index:02d}",
                "row_key": f"{section.title_line}.{line.no}", "item": label,
                "row_kind": "total" if label and _clean(label) in ("合计", "总计") else "item",
                "measure": f"column_{index + 1}", "column_label": cell(table.labels, index) or None,
                "amount_wan": wan, "amount_yuan": (wan * 10000).quantize(Decimal("0.01")),
                "table_title": section.title, "printed_unit": table.unit or "万元", "printed": text,
                "source_line": line.no,
            })
    return out


TableParser = Callable[[Context, Table], list[Row]]

#: Parsers of the tables whose rows map to one resource each.
PARSERS: dict[int, tuple[str, TableParser]] = {
    1: ("budget_summary", parse_budget_summary),
    2: ("income_by_subject", parse_income_by_subject),
    3: ("expenditure_by_subject", parse_expenditure_by_subject),
    4: ("fiscal_summary", parse_fiscal_summary),
    5: ("general_budget_expenditure", parse_general_budget_expenditure),
    6: ("basic_expenditure_by_economic", parse_basic_by_economic),
    7: ("fund_income", parse_fund_income),
    8: ("fund_expenditure", parse_fund_expenditure),
    9: ("state_capital", parse_state_capital),
    10: ("three_public_costs", parse_three_public_costs),
    11: ("operating_costs", parse_operating_costs),
}
