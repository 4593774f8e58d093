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

from budgettui import classification
from budgettui import vocabulary as vocab
from budgettui.schema import cited
from budgettui.segment import TableSection
from budgettui.sources import Line
from budgettui.values import AmountError, is_amount, parse_amount

Row = dict[str, Any]

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
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
    return all(_HEADER_WORDS.match(_clean(c)) for c in filled)


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


def _is_total(cells: list[str]) -> bool:
    first = next((c for c in cells if c), "")
    return _clean(first) in ("合计", "总计")


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
        if vocab.META.match(text) or (stated and not _has_amount(cells)):
            unit = unit or (stated.group(1) if stated else None)
            continue
        if _is_column_numbers(cells):
            continue
        if not rows and (_is_header_line(cells) or (not _is_data_line(cells) and _labels_only(cells))):
            header.append(cells)
            continue
        if rows and cells in header:
            continue  # the header again, on the next page
        if section.continued and _is_total(cells) and any(r.cells == cells for r in rows):
            continue  # a 合计 row printed again on each page of a continued table counts once
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
        labels.append(_clean(label))
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
            "parse.bad_amount", "error", f"单元格「{text}」不是金额", line.no,
            resource, key, None, text,
        )
        return None


def _amount_columns(ctx: Context, line: Line, columns: dict[str, int | None], resource: str,
                    key: str) -> Row:
    return {name: amount(ctx, line, index, resource, key) for name, index in columns.items()}


_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    """The text without any whitespace."""
    return _SPACES.sub("", text)


def subject_level(code: str) -> tuple[int | None, str | None]:
    """3 digits → 类 (1), 5 → 款 (2), 7 → 项 (3); the parent is the code less two digits."""
    level = {3: 1, 5: 2, 7: 3}.get(len(code))
    parent = code[:-2] if level and level > 1 else None
    return level, parent


def _has_amount(cells: Iterable[str]) -> bool:
    return any(is_amount(c) for c in cells)


# ---------------------------------------------------------------- tables by subject code


@dataclass(slots=True)
class _Layout:
    """Where a subject table keeps its code, name and unit, and which printed columns make up
    each column of the resource (several are summed: 人员经费 + 公用经费 when no 基本支出)."""

    code_col: int | None
    name_col: int | None
    unit_col: int | None
    columns: dict[str, list[int]]
    #: Printed columns (index, label) that fit no column of the resource.
    unmapped: list[tuple[int, str]] = field(default_factory=list)
    #: The last column of labels (code, name, unit) before the amounts.
    label_end: int = 1


def _subject_header(table: Table) -> list[list[str]]:
    """The header lines above a subject table's first row (as split_table found them), the
    类/款/项 code columns collapsed into one as `_merge_code_columns` did for the rows."""
    first = next((line.no for line in table.rows if _has_amount(line.cells) or _ends_rows(line)), None)
    header: list[list[str]] = []
    for line in table.section.lines:
        if first is not None and line.no >= first:
            break
        text = line.text.strip()
        cells = line.cells
        if line.blank or (vocab.NO_DATA.search(text) and "\t" not in text) or vocab.META.match(text) \
                or vocab.META.match(text) or (vocab.UNIT.search(text) and not _has_amount(cells)) \
                or _is_column_numbers(cells):
            continue
        if _is_header_line(cells) or _labels_only(cells):
            header.append(cells)  # a line of labels before the first amount (合计 included)
    labels, _ = _labels(header)
    start = next((i for i in range(len(labels) - 1) if labels[i] == "类" and labels[i + 1] == "款"), None)
    if start is not None:
        width = 3 if start + 2 < len(labels) and labels[start + 2] == "项" else 2
        header = [[*h[:start], next((c for c in h[start:start + width] if c), ""), *h[start + width:]]
                  for h in header]
        header[-1][start] = "科目编码"
    return header


def _column_paths(header: list[list[str]]) -> list[tuple[str, list[str]]]:
    """Per column: its own (lowest) label and the labels of the header cells spanning it above."""
    width = max((len(h) for h in header), default=0)
    out = []
    for col in range(width):
        own_row = next((r for r in range(len(header) - 1, -1, -1)
                        if col < len(header[r]) and header[r][col].strip()), None)
        if own_row is None:
            out.append(("", []))
            continue
        above = []
        for row in header[:own_row]:
            carried = next((_clean(row[c]) for c in range(min(col, len(row) - 1), -1, -1) if row[c].strip()), "")
            if carried and (not above or above[-1] != carried):
                above.append(carried)
        out.append((_clean(header[own_row][col]), above))
    return out


def _subject_layout(ctx: Context, table: Table, resource: str,
                    fields: dict[str, tuple[str, str | None]], start: int = 0,
                    end: int | None = None) -> _Layout:
    """Find the code, name and unit columns by their header words, and map every other printed
    column onto the resource's columns (total first, then `fields`) by its label or by the
    label of the group it is the 小计 of. What fits nowhere is reported once per table."""
    paths = _column_paths(_subject_header(table))
    labels = [*table.labels, *[""] * max(0, len(paths) - len(table.labels))]
    end = len(labels) if end is None else end

    def own(index: int) -> str:
        return paths[index][0] if index < len(paths) and paths[index][0] else _clean(labels[index])

    def named(index: int) -> str:
        return "/".join([*(paths[index][1] if index < len(paths) else []), own(index)])

    def first(regex: re.Pattern[str]) -> int | None:
        return next((i for i in range(start, end) if regex.search(own(i))), None)

    code_col, name_col = first(vocab.SUBJECT_CODE_LABEL), first(vocab.SUBJECT_NAME_LABEL)
    unit_col = first(vocab.SUBJECT_UNIT_LABEL)
    if code_col is None and name_col is None and unit_col is None:
        code_col, name_col = start, start + 1  # no header words: code, name, amounts
    elif code_col is None and name_col is not None and unit_col is None:
        code_col = name_col  # `[201]一般公共服务支出`: the code glued to the name
    label_cols = {c for c in (code_col, name_col, unit_col) if c is not None}
    if unit_col is not None and code_col is None and name_col is None:
        # a table by unit (单位编码, 单位名称): every label column before the amounts
        label_cols |= {i for i in range(start, end) if vocab.SUBJECT_UNIT_LABEL.search(own(i))}
    whole: dict[str, list[int]] = {}
    parts: dict[str, list[int]] = {}
    fiscal: list[int] = []
    unmapped: list[tuple[int, str]] = []
    for index in range(max(label_cols, default=start - 1) + 1, end):
        label, above = own(index), (paths[index][1] if index < len(paths) else [])
        if not label:
            continue
        target = _column_field(label, above, fields, "total" in whole)
        if target is None:
            if vocab.SUBJECT_FISCAL_COLUMN.search(label) or (
                    vocab.SUBJECT_SUBTOTAL_WORD.match(label) and above
                    and vocab.SUBJECT_FISCAL_COLUMN.search(above[-1])):
                fiscal.append(index)
            else:
                unmapped.append((index, named(index)))
            continue
        name, is_whole = target
        (whole if is_whole else parts).setdefault(name, []).append(index)
    columns: dict[str, list[int]] = {"total": whole.get("total", [])[:1]}
    for name in fields:
        columns[name] = whole[name][:1] if whole.get(name) else parts.get(name, [])
        extra = whole.get(name, [])[1:] + (parts.get(name, []) if whole.get(name) else [])
        unmapped += [(i, named(i)) for i in extra]
    unmapped += [(i, named(i)) for i in whole.get("total", [])[1:]]
    if "general_budget" in fields and not columns["general_budget"] and fiscal:
        columns["general_budget"], fiscal = fiscal[:1], fiscal[1:]
    first_amount = max(label_cols, default=start - 1) + 1
    if not any(columns.values()) and not any(own(i) for i in range(first_amount, end)):
        # no header words over the amounts: the template's order (合计, then the parts)
        order = [f for f in _POSITIONAL if f in fields]
        columns = {name: [first_amount + k] for k, name in enumerate(["total", *order])}
    unmapped += [(i, named(i)) for i in fiscal]
    for _index, label in sorted(unmapped):
        ctx.finding("parse.unmapped_column", "info",
                    f"「{table.section.title}」的列「{label}」对应不到{cited(resource)}的任何列；"
                    "其金额未读入", table.section.title_line, resource, label)
    return _Layout(code_col, name_col, unit_col, columns, sorted(unmapped),
                   max(label_cols, default=start))


#: The order of a subject table's amount columns when no header names them.
_POSITIONAL = ("basic", "project", "general_budget", "fund_budget", "state_capital", "special_account",
               "unit_funds", "carryover")


def _column_field(label: str, above: list[str], fields: dict[str, tuple[str, str | None]],
                  have_total: bool) -> tuple[str, bool] | None:
    """(resource column, whether the printed column is its whole amount) for one printed
    column, from its own label and the labels of the groups above it."""
    carry_whole = fields.get("carryover", ("$^", None))[0]
    if any(re.search(carry_whole, a) for a in above):
        return ("carryover", bool(vocab.SUBJECT_SUBTOTAL_WORD.match(label)))
    of_which = bool(vocab.SUBJECT_OF_WHICH.match(label))
    label = vocab.SUBJECT_OF_WHICH.sub("", label)
    for name, (whole, part) in fields.items():
        if re.search(whole, label):
            return name, True
        if part and re.search(part, label) and not of_which:
            return name, False
    if of_which or not label:
        return None
    if vocab.SUBJECT_SUBTOTAL_WORD.match(label):
        for group in reversed(above):
            for name, (whole, _) in fields.items():
                if re.search(whole, group):
                    return name, True
            if vocab.SUBJECT_FISCAL_COLUMN.search(group):
                return None
        return None if have_total else ("total", True)
    for group in reversed(above):
        for name, (whole, _) in fields.items():
            if re.search(whole, group) and name != "carryover":
                return name, False
    if vocab.SUBJECT_TOTAL_COLUMN.match(label) and not have_total:
        return "total", True
    return None


def _subject_amounts(ctx: Context, line: Line, layout: _Layout, resource: str, key: str) -> Row:
    """The resource's columns of one row: each the printed cell, or the sum of its parts."""
    out: Row = {}
    for name, indexes in layout.columns.items():
        values = [amount(ctx, line, i, resource, key) for i in indexes]
        present = [v for v in values if v is not None]
        out[name] = sum(present, Decimal(0)) if present else None
    return out


_GLUED_CODE = re.compile(r"^[\[【(（]?(\d{3}(?:\s?\d{2}){0,2})(?!\d)[\]】)）]?\s*(.*)$")


def _split_code(code_text: str, name_text: str, glued: bool) -> tuple[str, str]:
    """(code, name) from the code and name cells: `208 05 05`, `[201]一般公共服务支出`, a code
    and its name in one cell."""
    code = _clean(code_text)
    if _CODE.match(code):
        return code, name_text.strip()
    for text in (code_text, name_text) if glued or not code else (code_text,):
        match = _GLUED_CODE.match(text.strip())
        if match and _CODE.match(_clean(match.group(1))) and (match.group(2) or text is code_text):
            return _clean(match.group(1)), (match.group(2) or name_text).strip()
    return code, name_text.strip()


def _subject_rows(ctx: Context, table: Table, resource: str, layout: _Layout) -> list[Row]:
    """Rows keyed by a classification code (tables 2, 3, 5, 7, 8, 9).

    The 合计 row (top or bottom, printed again on each page of a continued table: counted
    once), 类/款/项 rows by code; a name printed without a code is resolved with the enclosing
    类/款 as its parent. A unit row (深圳 预算单位, a table printed by unit) is the 合计 row
    when the table prints none; other unit rows and unresolved names are findings.
    """
    rows: list[Row] = []
    if table.no_data:
        return rows
    glued = layout.code_col == layout.name_col
    by_unit = layout.code_col is None and layout.name_col is None
    enclosing: list[str] = []
    unit_rows = 0
    for index, line in enumerate(table.rows):
        cells = line.cells
        text = " ".join(c for c in cells if c).strip()
        if not text:
            continue
        if _ends_rows(line):
            _lines_after(ctx, table, resource, table.rows[index + 1:], line)
            break  # a note under the table, or the title of the next one: the rows end here
        code_text = cell(cells, layout.code_col) if not by_unit else ""
        name_text = cell(cells, layout.name_col) if not by_unit else ""
        unit = _clean(cell(cells, layout.unit_col)) if layout.unit_col is not None else ""
        labels = [_clean(c) for c in cells[:layout.label_end + 1] if c]
        key = "合计"
        if any(vocab.SUBJECT_TOTAL_ROW.match(c) for c in labels) and not _CODE.match(_clean(code_text)):
            row: Row = {"code": None, "name": "合计", "level": 0, "parent_code": None}
        elif by_unit or (unit and not _clean(code_text) and not _clean(name_text)):
            unit_rows += 1
            if not _has_amount(cells):
                continue
            first_unit = not by_unit and unit_rows == 1 and not any(r["code"] is None for r in rows)
            if first_unit or (by_unit and not rows and _single_unit(table)):
                row = {"code": None, "name": "合计", "level": 0, "parent_code": None}
            else:
                ctx.finding("parse.unit_row", "info",
                            f"单位行「{unit or text.split()[0]}」（本表按单位而非按科目印出）："
                            "不作为本表的数据行", line.no, resource,
                            unit or None, None, line.text)
                continue
        else:
            code, name = _split_code(code_text, name_text, glued)
            if _CODE.match(code):
                row = _coded(code, name)
            elif not _has_amount(cells):
                if rows and name and not code and not glued and rows[-1]["code"]:
                    rows[-1]["name"] += name  # a name wrapped onto the next line
                    ctx.finding("parse.wrapped_row", "info", "名称的续行，已并入上一行",
                                line.no, resource, rows[-1]["code"], None, line.text)
                else:
                    ctx.finding("parse.skipped_line", "info", "表中无金额的行，未读作数据行",
                                line.no, resource, None, None, line.text)
                continue
            else:
                printed = name or code_text
                resolved = classification.resolve(printed, table.section.year,
                                                  enclosing[-1] if enclosing else None)
                if resolved is None:
                    ctx.finding("parse.unresolved_subject", "warning",
                                f"科目「{printed.strip()}」未印编码，在功能分类科目中也找不到："
                                "此行未归入科目", line.no, resource,
                                printed.strip(), None, line.text)
                    continue
                ctx.finding("parse.resolved_code", "info",
                            f"科目「{printed.strip()}」未印编码，按名称补为 {resolved}",
                            line.no, resource, resolved, None, line.text)
                row = _coded(resolved, printed.strip())
            key = row["code"]
            enclosing = [c for c in enclosing if key.startswith(c) and len(c) < len(key)]
            if len(key) < 7:
                enclosing.append(key)
        values = _subject_amounts(ctx, line, layout, resource, key)
        if row["code"] is None:
            head = next((r for r in rows if r["code"] is None), None)
            if head is not None:
                same = all(head[c] == values[c] for c in values)
                ctx.finding("parse.repeated_total", "info" if same else "warning",
                            "合计行再次印出（续页）：只计一次"
                            if same else "另有一行金额不同的合计行：以第一行为准",
                            line.no, resource, "合计", None, line.text)
                continue
        row.update(values)
        row.update(doc_id=ctx.doc_id, seq=len(rows) + 1, source_line=line.no)
        rows.append(row)
    return rows


def _lines_after(ctx: Context, table: Table, resource: str, rest: list[Line], end: Line) -> None:
    """Lines with amounts after a subject table's end (a table whose title was not seen):
    not rows of this table, and said so."""
    amounts = [line for line in rest if _has_amount(line.cells)]
    if amounts:
        ctx.finding("parse.lines_after_table", "warning",
                    f"「{table.section.title}」结束（「{end.text.strip()[:40]}」）之后的{len(amounts)}行金额"
                    f"不属于模板中的任何表；未作为{cited(resource)}的数据行", amounts[0].no, resource, None, None,
                    amounts[0].text)


def _ends_rows(line: Line) -> bool:
    """A note under a subject table (注：…) or the title of a table after it."""
    cells = [c for c in line.cells if c]
    text = " ".join(cells).strip()
    return bool(vocab.SUBJECT_NOTE.match(text)) or (len(cells) == 1 and vocab.table_kind(text)[2])


def _single_unit(table: Table) -> bool:
    """A table by unit that holds one unit's row and no 合计 row: that row is the total."""
    return sum(1 for line in table.rows if _has_amount(line.cells)) == 1


def _coded(code: str, name: str) -> Row:
    level, parent = subject_level(code)
    return {"code": code, "name": name, "level": level, "parent_code": parent}


def parse_income_by_subject(ctx: Context, table: Table) -> list[Row]:
    """Table 2 预算收入总表."""
    layout = _subject_layout(ctx, table, "income_by_subject", vocab.SUBJECT_INCOME_COLUMNS)
    return _subject_rows(ctx, table, "income_by_subject", layout)


def _basic_project(ctx: Context, table: Table, resource: str, start: int = 0,
                   end: int | None = None) -> _Layout:
    return _subject_layout(ctx, table, resource, vocab.SUBJECT_EXPENDITURE_COLUMNS, start, end)


def parse_expenditure_by_subject(ctx: Context, table: Table) -> list[Row]:
    """Table 3 预算支出总表."""
    resource = "expenditure_by_subject"
    return _subject_rows(ctx, table, resource, _basic_project(ctx, table, resource))


def parse_general_budget_expenditure(ctx: Context, table: Table) -> list[Row]:
    """Table 5 一般公共预算支出预算表."""
    resource = "general_budget_expenditure"
    return _subject_rows(ctx, table, resource, _basic_project(ctx, table, resource))


def parse_fund_income(ctx: Context, table: Table) -> list[Row]:
    """Table 7 政府性基金预算收入表."""
    layout = _subject_layout(ctx, table, "fund_income", {})
    return _subject_rows(ctx, table, "fund_income", layout)


def parse_fund_expenditure(ctx: Context, table: Table) -> list[Row]:
    """Table 8 政府性基金预算支出表."""
    resource = "fund_expenditure"
    return _subject_rows(ctx, table, resource, _basic_project(ctx, table, resource))


def parse_state_capital(ctx: Context, table: Table) -> list[Row]:
    """Table 9 国有资本经营预算收支预算表: income (code, name, amount) beside expenditure, or
    one side only (国有资本经营预算支出表)."""
    if table.no_data:
        return []
    resource = "state_capital"
    codes = [i for i, label in enumerate(table.labels) if vocab.SUBJECT_CODE_LABEL.search(_clean(label))]
    split = codes[1] if len(codes) > 1 else None
    if split is not None:
        sides = [("income", _subject_layout(ctx, table, resource, {}, 0, split)),
                 ("expenditure", _basic_project(ctx, table, resource, split))]
    else:
        layout = _basic_project(ctx, table, resource)
        spending = "收入" not in table.section.title or bool(layout.columns["basic"] or layout.columns["project"])
        sides = [("expenditure" if spending else "income", layout)]
    out: list[Row] = []
    for side, layout in sides:
        for row in _subject_rows(ctx, table, resource, layout):
            if row["code"] is None and all(row[c] is None for c in layout.columns):
                continue  # an empty 合计 cell pair on this side
            row["side"] = side
            for column in ("basic", "project"):
                row.setdefault(column, None)
            row["seq"] = len([r for r in out if r["side"] == side]) + 1
            out.append(row)
    return out


# ---------------------------------------------------------------- two-sided summaries


def _summary_kind(item: str) -> str:
    """total, subtotal or item, from a row's label (spaces and numbering removed). `收入合计`
    is a total here; `_summary_side` makes it a subtotal when a 总计 row follows."""
    name = _unnumbered(_clean(item))
    if vocab.SUMMARY_TOTAL.match(name) or vocab.SUMMARY_TOTAL_UNLESS_GRAND.match(name):
        return "total"
    if vocab.SUMMARY_SUBTOTAL.match(name):
        return "subtotal"
    return "item"


_NUMBERING_STYLES = tuple((style, re.compile(pattern)) for style, pattern in vocab.SUMMARY_NUMBERING)


def _numbering(item: str) -> tuple[str, str]:
    """(numbering style, label without it): `（一）外交支出` → ("cn_paren", "外交支出")."""
    for style, regex in _NUMBERING_STYLES:
        match = regex.match(item)
        if match:
            return style, item[match.end():]
    return "none", item


def _unnumbered(item: str) -> str:
    return _numbering(item)[1]


def _two_sides(table: Table) -> tuple[int, int]:
    """Column index where the expenditure side starts: the first column under a 支出 group
    (`支 出`, `本年支出`, `财政拨款支出`), else the second 项目 column."""
    for index, group in enumerate(table.groups):
        name = _clean(group)
        if index and vocab.SUMMARY_EXPENDITURE_SIDE.search(name) and "收入" not in name:
            return 0, index
    second = find_column(table, r"^项目$", None, start=1)
    return 0, second if second is not None else 2


@dataclass(slots=True)
class _Block:
    """An item column of a summary and the amount columns after it, up to the next item
    column: one on the income side, one or more on the expenditure side (西安 prints the
    expenditure by function, by departmental and by government economic class side by side)."""

    side: str
    item: int
    amounts: list[int]


def _is_header_words(cells: list[str]) -> bool:
    filled = [_clean(c) for c in cells if c]
    return bool(filled) and not _has_amount(cells) and all(
        vocab.SUMMARY_HEADER_WORD.match(c) for c in filled)


def _summary_lines(ctx: Context, table: Table, resource: str) -> tuple[list[str], list[Line]]:
    """The column labels and the data lines of a summary. A line of header words only before
    the first data line is a lower header line (its words become labels: `总计 一般公共预算 …`);
    after it, the header printed again on a continued page. A line that is no grid row
    (no TAB: a page footer, a note) is reported and left out."""
    labels = list(table.labels)
    rows: list[Line] = []
    for line in table.rows:
        cells = line.cells
        if _is_header_words(cells):
            if not rows:
                labels += [""] * (len(cells) - len(labels))
                for index, text in enumerate(cells):
                    if text:
                        labels[index] = _clean(text)
            continue
        if "\t" not in line.text:
            ctx.finding("parse.not_a_row", "warning" if _has_amount(cells) else "info",
                        "表内文字不是本表的数据行，未读入", line.no,
                        resource, None, None, line.text)
            continue
        rows.append(line)
    return labels, rows


def _is_empty_cell(text: str) -> bool:
    try:
        return parse_amount(text) is None
    except AmountError:
        return False


def _summary_blocks(table: Table, labels: list[str], rows: list[Line]) -> list[_Block]:
    """The item and amount columns of each side. A column is an item column when its filled
    cells are mostly not amounts; columns that number rows (序号) belong to no block."""
    _, right = _two_sides(table)
    grid = [line.cells for line in rows]
    width = _summary_width(labels, grid)
    is_item = []
    for index in range(width):
        texts = [cell(cells, index) for cells in grid]
        words = sum(1 for t in texts if t and not is_amount(t) and not _is_empty_cell(t))
        amounts = sum(1 for t in texts if is_amount(t))
        is_item.append(words > amounts)
    blocks: list[_Block] = []
    for index in range(width):
        if vocab.SUMMARY_ROW_NUMBER_COLUMN.match(cell(labels, index)):
            continue
        side = "income" if index < right else "expenditure"
        if is_item[index] or not any(b.side == side for b in blocks):
            if not is_item[index] and not any(cell(cells, index) for cells in grid):
                continue  # an empty column before the side's items
            blocks.append(_Block(side, index, []))
        elif blocks[-1].side == side:
            blocks[-1].amounts.append(index)
    return blocks


#: Columns a summary without header labels is read to (two sides of item, amount, 当年, 结转 …).
_SUMMARY_MAX_WIDTH = 16


def _summary_width(labels: list[str], grid: list[list[str]]) -> int:
    """The columns of a summary: those of its header; without one, those its rows print."""
    if labels:
        return len(labels)
    return min(_SUMMARY_MAX_WIDTH, max((len(cells) for cells in grid), default=0))


def _report_cells_beyond(ctx: Context, resource: str, width: int, rows: list[Line]) -> None:
    """Cells right of the last column of the header: one finding per line, never dropped."""
    for line in rows:
        extra = [c for c in line.cells[width:] if c]
        if extra:
            shown = "\t".join(extra[:12]) + (" …" if len(extra) > 12 else "")
            ctx.finding("parse.unread_column", "warning",
                        f"表格最后一列右侧的{len(extra)}个单元格未读入",
                        line.no, resource, None, None, shown)


def _assign_columns(labels: list[str], block: _Block, meanings: tuple[tuple[str, str], ...]
                    ) -> tuple[dict[str, int | None], list[int]]:
    """Each meaning's column among the block's amount columns (by label; the side's amount
    is the first amount column when no label says so), and the columns left over."""
    columns: dict[str, int | None] = {name: None for name, _ in meanings}
    free = list(block.amounts)
    for name, pattern in meanings:
        index = next((i for i in free if re.search(pattern, cell(labels, i))), None)
        if index is not None:
            columns[name] = index
            free.remove(index)
    main = meanings[-1][0]
    if columns[main] is None and free:
        columns[main] = free.pop(0)
    return columns, free


def _report_unread_columns(ctx: Context, resource: str, labels: list[str], rows: list[Line],
                           blocks: list[_Block], used: list[tuple[_Block, list[int]]]) -> None:
    """A column the resource has no place for (人员经费 …, a second expenditure breakdown) is
    a finding with every amount it prints, never dropped in silence."""
    unread: list[tuple[int, int]] = [(i, b.item) for b, free in used for i in free]
    unread += [(i, b.item) for b in blocks[2:] for i in b.amounts]
    for index, item_col in unread:
        printed = [(line, cell(line.cells, index)) for line in rows if cell(line.cells, index)]
        if not printed:
            continue
        label = cell(labels, index) or f"column {index + 1}"
        if item_col in (b.item for b in blocks[2:]):
            label = f"{cell(labels, item_col)} {label}".strip()
        values = "; ".join(f"{_clean(cell(line.cells, item_col)) or line.no}: {text}"
                           for line, text in printed)
        ctx.finding("parse.unread_column", "warning",
                    f"列「{label}」在{cited(resource)}中没有对应的列：印出的{len(printed)}个"
                    "单元格未读入", printed[0][0].no, resource, label, None, values)


def _summary_side(ctx: Context, table: Table, rows: list[Line], block: _Block,
                  columns: dict[str, int | None], resource: str) -> list[Row]:
    """One side's rows in printed order, each with its row kind.

    Kinds: `total` (收入总计), `subtotal` (本年收入合计, or 一、本年支出 heading its items,
    and 上年结转 heading the carried-over income of table 4), `group` (a heading whose items
    follow one numbering level deeper, 一、财政拨款收入 over 1、一般公共预算 …), `detail` (what
    is not added into any sum: `其中：…`, and the unnumbered 款/项 rows that an expenditure
    side prints below a 类), and `item`. Levels come from numbering styles in the order they
    first appear in a block; a subtotal starts a new block."""
    lines = []
    for line in rows:
        cells = line.cells
        item = _clean(cell(cells, block.item))
        if not item:
            if any(cell(cells, i) for i in columns.values()):
                ctx.finding("parse.unplaced_row", "warning", "有金额而无项目名称",
                            line.no, resource, None, None, line.text)
            continue
        lines.append((line, item))
    kinds = [_summary_kind(item) for _, item in lines]
    grand = [i for i, k in enumerate(kinds) if k == "total"
             and vocab.SUMMARY_TOTAL.match(_unnumbered(lines[i][1]))]
    for index, kind in enumerate(kinds):
        if kind == "total" and grand and index < grand[-1] and index not in grand:
            kinds[index] = "subtotal"  # 收入合计 above a 收入总计
    carry = resource == "fiscal_summary" and block.side == "income"
    styles: list[str] = []
    levels: list[int | None] = []
    for index, (_, item) in enumerate(lines):
        style, name = _numbering(item)
        if carry and kinds[index] == "item" and vocab.SUMMARY_CARRY_IN.match(name):
            kinds[index] = "subtotal"
        if kinds[index] in ("total", "subtotal") and style == "none":
            styles, level = [], None
        elif vocab.SUMMARY_OF_WHICH.match(name) or _of_which_goes_on(lines, kinds, index):
            kinds[index], level = "detail", None
        else:
            if style not in styles:
                styles.append(style)
            level = styles.index(style)
        levels.append(level)
    for index in range(len(lines)):
        level = levels[index]
        if level is None or kinds[index] in ("total", "detail"):
            continue
        after = next((j for j in range(index + 1, len(lines)) if kinds[j] != "detail"), None)
        if after is None or levels[after] is None or levels[after] <= level:
            continue
        children = []
        for j in range(index + 1, len(lines)):
            if kinds[j] == "detail":
                continue
            if levels[j] is None or levels[j] <= level:
                break
            children.append(j)
        if block.side == "expenditure" and all(_numbering(lines[j][1])[0] == "none" for j in children):
            for j in children:
                kinds[j] = "detail"  # 款 and 项 below their 类
            continue
        if kinds[index] == "item":
            kinds[index] = "group"
    out: list[Row] = []
    group = "本年收入"
    for (line, item), kind in zip(lines, kinds, strict=True):
        row: Row = {"doc_id": ctx.doc_id, "seq": len(out) + 1, "side": block.side, "item": item,
                    "row_kind": kind, "source_line": line.no}
        if resource == "fiscal_summary":
            if block.side == "income" and kind == "subtotal" and vocab.SUMMARY_CARRY_IN.match(_unnumbered(item)):
                group = "上年结转"
            row["group"] = group if block.side == "income" and (
                kind in ("item", "group", "detail") or (group == "上年结转" and kind == "subtotal")) else None
        row.update(_amount_columns(ctx, line, columns, resource, item))
        out.append(row)
    return out


def _of_which_goes_on(lines: list[tuple[Line, str]], kinds: list[str], index: int) -> bool:
    """`其中：财政拨款资金结转` then `非财政拨款资金结余`: the second part of the same 其中."""
    if index == 0 or kinds[index - 1] != "detail" or _numbering(lines[index][1])[0] != "none":
        return False
    before = vocab.SUMMARY_OF_WHICH.sub("", lines[index - 1][1])
    name = lines[index][1]
    return bool(before) and (name.startswith("非" + before[:2]) or before.startswith("非" + name[:2]))


def _summary_end(ctx: Context, rows: list[Line], blocks: list[_Block], resource: str) -> list[Line]:
    """The lines up to the row that prints both sides' 总计 (or the last total of either):
    what follows (a note, the next table when its title was not found) is reported."""
    last = None
    for index, line in enumerate(rows):
        if any(_summary_kind(cell(line.cells, b.item)) == "total" for b in blocks[:2]):
            last = index
    if last is None or last == len(rows) - 1:
        return rows
    rest = rows[last + 1:]
    amounts = sum(1 for line in rest if _has_amount(line.cells))
    ctx.finding("parse.after_total", "warning" if amounts else "info",
                f"总计行之后的{len(rest)}行未读作本表的数据行"
                f"（其中{amounts}行有金额）", rest[0].no, resource, None, None,
                " | ".join(line.text for line in rest[:3]))
    return rows[:last + 1]


def _sides_first(blocks: list[_Block]) -> list[_Block]:
    """The income block, the (first) expenditure block, then any other; [] without both."""
    income = next((b for b in blocks if b.side == "income"), None)
    spending = next((b for b in blocks if b.side == "expenditure"), None)
    if income is None or spending is None:
        return []
    return [income, spending, *(b for b in blocks if b not in (income, spending))]


def _parse_summary(ctx: Context, table: Table, resource: str, income_column: str,
                   expenditure: tuple[tuple[str, str], ...]) -> list[Row]:
    if table.no_data:
        return []
    labels, rows = _summary_lines(ctx, table, resource)
    blocks = _sides_first(_summary_blocks(table, labels, rows))
    if blocks:  # the columns again from the table's own rows only
        rows = _summary_end(ctx, rows, blocks, resource)
        blocks = _sides_first(_summary_blocks(table, labels, rows))
    if not blocks:
        ctx.finding("parse.unplaced_row", "warning", "找不到收入、支出两栏",
                    table.section.title_line, resource, None, None, " | ".join(labels))
        return []
    income, spending = blocks[:2]
    _report_cells_beyond(ctx, resource, _summary_width(labels, [line.cells for line in rows]), rows)
    income_columns, income_free = _assign_columns(labels, income, ((income_column, r"."),))
    columns, free = _assign_columns(labels, spending, expenditure)
    _report_unread_columns(ctx, resource, labels, rows, blocks,
                           [(income, income_free), (spending, free)])
    empty = {name: None for name, _ in expenditure}
    out = [{**empty, **row, **{income_column: row[income_column]}}
           for row in _summary_side(ctx, table, rows, income, income_columns, resource)]
    out += _summary_side(ctx, table, rows, spending, columns, resource)
    return out


def parse_budget_summary(ctx: Context, table: Table) -> list[Row]:
    """Table 1 预算收支总表: income items on the left, expenditure 类 on the right."""
    return _parse_summary(ctx, table, "budget_summary", "amount", vocab.SUMMARY_T1_EXPENDITURE)


def parse_fiscal_summary(ctx: Context, table: Table) -> list[Row]:
    """Table 4 财政拨款收支总表: income with 本年收入 and 上年结转 groups, expenditure by fund."""
    return _parse_summary(ctx, table, "fiscal_summary", "total", vocab.SUMMARY_T4_EXPENDITURE)


def is_fund_summary(table: Table) -> bool:
    """Whether a table 7 is 西安's 政府性基金收支表 (tables 7 and 8 as one two-sided summary)."""
    return bool(vocab.FUND_SUMMARY_TITLE.search(table.section.title))


def parse_fund_summary(ctx: Context, table: Table) -> tuple[list[Row], list[Row]]:
    """西安's 政府性基金收支表: (table 7 rows, table 8 rows).

    Income on the left becomes table 7's 合计 row (本年收入合计; its items name no income
    subject). The expenditure by function class (支出功能分类科目（按大类）) becomes table 8's 类
    rows, each resolved to its code, and its 合计 row (本年支出合计), whose 基本支出 and 项目支出
    are the 人员经费和公用经费支出 and 专项业务经费支出 lines of the expenditure by departmental
    economic class beside it. Classes printed with 0.00 are not rows (the template lists every
    class); the economic classes have no other place and are reported."""
    if table.no_data:
        return [], []
    labels, rows = _summary_lines(ctx, table, "fund_expenditure")
    blocks = _sides_first(_summary_blocks(table, labels, rows))
    if blocks:
        rows = _summary_end(ctx, rows, blocks, "fund_expenditure")
        blocks = _sides_first(_summary_blocks(table, labels, rows))
    if not blocks:
        ctx.finding("parse.unplaced_row", "warning", "income and expenditure sides not found",
                    table.section.title_line, "fund_expenditure", None, None, " | ".join(labels))
        return [], []

    def natures(found: list[Row]) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for column, pattern in vocab.FUND_SUMMARY_NATURE:
            hit = next((r for r in found if re.search(pattern, _unnumbered(r["item"]))), None)
            if hit is not None:
                out[column] = hit
        return out

    def lines_of(block: _Block) -> list[Line]:
        """The lines with an item or a non-zero amount on this side (西安 prints 0.00 beside
        no item down the income side)."""
        def nonzero(text: str) -> bool:
            try:
                return bool(parse_amount(text))
            except AmountError:
                return True
        return [line for line in rows if cell(line.cells, block.item).strip()
                or any(nonzero(cell(line.cells, i)) for i in block.amounts)]

    def side(block: _Block, resource: str) -> tuple[list[Row], list[int]]:
        columns, free = _assign_columns(labels, block, (("total", r"."),))
        return _summary_side(ctx, table, lines_of(block), block, columns, resource), free

    income, income_free = side(blocks[0], "fund_income")
    spending, spending_free = side(blocks[1], "fund_expenditure")
    by_nature: dict[str, Row] = {}
    for block in blocks[2:]:
        items = [{"item": _clean(cell(line.cells, block.item)), "line": line} for line in rows]
        found = natures([r for r in items if r["item"]])
        if found and block.amounts:
            by_nature = {column: {"source_line": r["line"].no, "total": amount(
                ctx, r["line"], block.amounts[0], "fund_expenditure", r["item"])} for column, r in found.items()}
            break
    # every column beyond the function classes is reported, the one read for 基本/项目 too
    _report_unread_columns(ctx, "fund_expenditure", labels, rows, blocks,
                           [(blocks[0], income_free), (blocks[1], spending_free)])
    return _fund_income_total(ctx, income), _fund_classes(ctx, table, spending, by_nature)


def _side_total(rows: list[Row]) -> Row | None:
    """A side's 本年…合计 row, else its 总计 row."""
    return next((r for r in rows if r["row_kind"] == "subtotal"), None) or next(
        (r for r in rows if r["row_kind"] == "total"), None)


def _fund_income_total(ctx: Context, income: list[Row]) -> list[Row]:
    head = _side_total(income)
    if head is None or head["total"] is None:
        return []
    for row in income:
        if row["row_kind"] in ("item", "group") and row["total"]:
            ctx.finding("parse.summary_item", "info",
                        f"「{row['item']}」不是收入科目：表7只保留其合计行",
                        row["source_line"], "fund_income", row["item"], None, str(row["total"]))
    return [{"doc_id": ctx.doc_id, "seq": 1, "code": None, "name": "合计", "level": 0, "parent_code": None,
             "total": head["total"], "source_line": head["source_line"]}]


def _fund_classes(ctx: Context, table: Table, spending: list[Row], by_nature: dict[str, Row]) -> list[Row]:
    head = _side_total(spending)
    if head is None or head["total"] is None:
        return []
    out: list[Row] = [{"doc_id": ctx.doc_id, "seq": 1, "code": None, "name": "合计", "level": 0,
                       "parent_code": None, "total": head["total"],
                       "basic": by_nature["basic"]["total"] if "basic" in by_nature else None,
                       "project": by_nature["project"]["total"] if "project" in by_nature else None,
                       "source_line": head["source_line"]}]
    for row in spending:
        if row["row_kind"] not in ("item", "group") or not row["total"]:
            continue
        name = _unnumbered(row["item"])
        code = classification.resolve_class(name, table.section.year)
        if code is None:
            ctx.finding("parse.unresolved_subject", "warning",
                        f"科目「{name}」未印编码，且不在支出功能分类科目中：该行未读入", row["source_line"],
                        "fund_expenditure",
                        name, None, str(row["total"]))
            continue
        out.append({"doc_id": ctx.doc_id, "seq": len(out) + 1, **_coded(code, name), "total": row["total"],
                    "basic": None, "project": None, "source_line": row["source_line"]})
    return out


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
            ctx.finding("parse.wrapped_row", "info", "名称的续行，已并入上一行",
                        line.no, resource, rows[-1]["dept_econ_name"], None, line.text)
            continue
        elif coded:
            ctx.finding("parse.unplaced_row", "warning", "此行没有经济分类科目编码",
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
            ctx.finding("parse.table_end", "info", f"表格止于「{filled[0][:40]}」",
                        line.no, resource, None, None, line.text)
            break
        kept.append(line)
    return kept


def _grid_paths(grid: list[list[str]]) -> list[list[str]]:
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
                        f"「{item}」不是“三公”经费项目，未计入{cited('three_public_costs')}",
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
                ctx.finding("parse.unknown_item", "warning", f"「{item}」不是“三公”经费项目",
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
    paths = _grid_paths(grid)
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
                    f"横排“三公”经费表：读取第{chosen.no}行（{f'期间「{wanted}」' if wanted else '按印出的期间'}），"
                    f"其余{len(left)}行（其他单位、年度）未保留",
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
    paths = _grid_paths(grid)
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
        labels = [path[-1] if path else "" for path in _grid_paths(grid)]
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
        "carryover": find_column(table, vocab.PROJECT_CARRYOVER_LABEL, None),
    }
    if columns["carryover"] == columns["total"]:  # a table of carried-over projects' 上年结转 合计
        columns["carryover"] = None
    resource = "projects"
    lines = _project_lines(ctx, table, name_col, code_col, resource)
    _report_project_columns(ctx, table, lines, {name_col, code_col, *columns.values()})
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
                        f"「{name}」是{f'「{unit}」' if unit else '部门'}项目的分类小计，"
                        "不是项目", line.no, resource, name)
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
                        "项目行出现在所有单位小计行之前", line.no, resource, name)
        seq = len(result.projects) + 1
        result.projects.append({
            "doc_id": ctx.doc_id, "project_id": f"{prefix}{seq:03d}", "kind": kind, "seq": seq,
            "unit": owner, "name": name, "source_line": line.no, **values[index],
        })
    _check_without_units(ctx, result, resource)
    return result


def _report_project_columns(ctx: Context, table: Table, lines: list[Line], used: set[int | None]) -> None:
    """A labelled column of amounts that fits none of the project columns (深圳 单位资金's
    事业收入 …) is a finding: a warning when it holds money, else info. A group's
    小计 (财政拨款 合计, whose parts are read) and row numbers (序号) are none."""
    for index, label in enumerate(table.labels):
        texts = [cell(line.cells, index) for line in lines]
        if index in used or not label or not any(is_amount(t) for t in texts):
            continue
        if vocab.SUBJECT_SUBTOTAL_WORD.match(_clean(label)) or vocab.SUMMARY_ROW_NUMBER_COLUMN.match(_clean(label)):
            continue
        money = any(_is_money(t) for t in texts)
        ctx.finding("parse.unmapped_column", "warning" if money else "info",
                    f"「{table.section.title}」的「{_clean(label)}」列在项目表（projects）中没有对应列，其金额未读入",
                    table.section.title_line, "projects", _clean(label))


def _is_money(text: str) -> bool:
    """A cell holding a non-zero amount."""
    try:
        return bool(parse_amount(text))
    except AmountError:
        return False


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
                    f"部门{len(result.projects)}个项目之和为 {found.normalize():f}，"
                    f"合计行为 {head['total'].normalize():f}", head["source_line"], resource,
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
            ctx.finding("parse.wrapped_row", "info", "名称的续行，已并入上一行",
                        line.no, resource, parts[name_col], None, line.text)
            continue
        if out and not _has_amount(cells) and not name:
            ctx.finding("parse.wrapped_row", "info", "其他列文字的续行，不是数据行",
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
                f"表「{section.title}」不是模板中的表；其金额连同原标题列入"
                f"{cited('budget_lines')}（表号 0）", section.title_line, "source_tables",
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
