"""Fiscal meaning of the budget tables: the long `budget_lines` fact table and the
Fiscal Data Package (FDP) annotations of each column.

`budget_lines` holds one printed amount per row (tables 1–13 only, nulls skipped), in 万元
and in 元, with a `line_id` built from the document, the resource, the source row's key and
the measure, so it is the same on every run. Performance-table funds (元) are not included:
they restate table 12 per project and would count the same money twice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

import polars as pl

from budgettui import schema
from budgettui.values import money_text

#: Multiplier from the unit printed to 元.
FACTORS: dict[str, int] = {"万元": 10000, "元": 1, "千元": 1000, "亿元": 100000000}
_WAN = Decimal(FACTORS["万元"])
_CENT = Decimal("0.01")

#: Resources of tables 1–13 that carry amounts, in schema order.
AMOUNT_RESOURCES: tuple[str, ...] = tuple(
    r.name for r in schema.RESOURCES if r.table_no is not None
)

#: Money columns that name a source of funds (资金来源).
FUND_MEASURES: frozenset[str] = frozenset(
    {"general_budget", "fund_budget", "state_capital", "special_account", "unit_funds",
     "carryover", "current_year"}
)

#: The fund source a whole table is restricted to (tables 5–9).
RESOURCE_FUND: dict[str, str] = {
    "general_budget_expenditure": "general_budget",
    "basic_expenditure_by_economic": "general_budget",
    "fund_income": "fund_budget",
    "fund_expenditure": "fund_budget",
    "state_capital": "state_capital",
}

#: Expenditure type (basic/project) a whole table is restricted to.
RESOURCE_EXPENDITURE_TYPE: dict[str, str] = {
    "basic_expenditure_by_economic": "basic",
    "operating_costs": "basic",
    "projects": "project",
    "project_subtotals": "project",
}

#: FDP direction of a table's amounts; None: given per row by its `side` column.
DIRECTION: dict[str, str | None] = {
    "budget_summary": None,
    "income_by_subject": "revenue",
    "expenditure_by_subject": "expenditure",
    "fiscal_summary": None,
    "general_budget_expenditure": "expenditure",
    "basic_expenditure_by_economic": "expenditure",
    "fund_income": "revenue",
    "fund_expenditure": "expenditure",
    "state_capital": None,
    "three_public_costs": "expenditure",
    "operating_costs": "expenditure",
    "projects": "expenditure",
    "project_subtotals": "expenditure",
    "performance_targets": "expenditure",
}

#: What a row's code or label classifies, per resource (FDP classification family).
CLASSIFICATION: dict[str, str] = {
    "income_by_subject": "functional",
    "expenditure_by_subject": "functional",
    "general_budget_expenditure": "functional",
    "fund_expenditure": "functional",
    "state_capital": "functional",
    "fund_income": "revenue",
    "basic_expenditure_by_economic": "economic",
    "budget_summary": "summary",
    "fiscal_summary": "summary",
    "three_public_costs": "item",
    "operating_costs": "administrative",
    "projects": "project",
    "project_subtotals": "administrative",
}

#: FDP columnType of non-amount columns, by (resource, column); "*" matches any resource.
_COLUMN_TYPES: dict[tuple[str, str], str] = {
    ("*", "doc_id"): "administrative-classification:generic:level1:code",
    ("documents", "department"): "administrative-classification:generic:level1:label",
    ("documents", "year"): "date:fiscal-year",
    ("units", "unit_id"): "administrative-classification:generic:level2:code",
    ("units", "name"): "administrative-classification:generic:level2:label",
    ("subjects", "code"): "functional-classification:generic:code",
    ("subjects", "name"): "functional-classification:generic:label",
    ("subjects", "parent_code"): "functional-classification:generic:parent:code",
    ("budget_summary", "side"): "direction",
    ("fiscal_summary", "side"): "direction",
    ("state_capital", "side"): "direction",
    ("fund_income", "code"): "revenue-classification:generic:code",
    ("fund_income", "name"): "revenue-classification:generic:label",
    ("basic_expenditure_by_economic", "dept_econ_name"): "economic-classification:generic:label",
    ("basic_expenditure_by_economic", "gov_econ_name"): "economic-classification:government:label",
    ("basic_expenditure_by_economic", "group"): "economic-classification:generic:level1:label",
    ("operating_costs", "unit"): "administrative-classification:generic:level2:label",
    ("projects", "project_id"): "activity:generic:project:code",
    ("projects", "name"): "activity:generic:project:label",
    ("projects", "unit_id"): "administrative-classification:generic:level2:code",
    ("projects", "unit"): "administrative-classification:generic:level2:label",
    ("project_subtotals", "unit_id"): "administrative-classification:generic:level2:code",
    ("project_subtotals", "unit"): "administrative-classification:generic:level2:label",
    ("performance_targets", "project_id"): "activity:generic:project:code",
    ("budget_lines", "line_id"): "budget-line-id",
    ("budget_lines", "year"): "date:fiscal-year",
    ("budget_lines", "direction"): "direction",
    ("budget_lines", "unit_id"): "administrative-classification:generic:level2:code",
    ("budget_lines", "project_id"): "activity:generic:project:code",
    ("budget_lines", "expenditure_type"): "expenditure-type:code",
    ("budget_lines", "fund_source"): "fund-source:code",
}
_SUBJECT_RESOURCES = {"income_by_subject", "expenditure_by_subject", "general_budget_expenditure",
                      "fund_expenditure", "state_capital"}


def column_type(resource: str, column: schema.Column) -> str | None:
    """The FDP columnType of a column, or None when it has no fiscal meaning."""
    if column.type == "money":
        return "value"
    if resource in _SUBJECT_RESOURCES and column.name in ("code", "name"):
        kind = "code" if column.name == "code" else "label"
        return f"functional-classification:generic:{kind}"
    return _COLUMN_TYPES.get((resource, column.name)) or _COLUMN_TYPES.get(("*", column.name))


def money_meaning(resource: str, column: schema.Column) -> dict[str, Any]:
    """FDP properties of an amount column: currency, factor to 元, phase, direction, measure."""
    meaning: dict[str, Any] = {
        "columnType": "value",
        "currency": "CNY",
        "factor": FACTORS[column.unit or "万元"],
        "phase": "approved",
        "measure": column.name,
    }
    direction = DIRECTION.get(resource)
    if direction:
        meaning["direction"] = direction
    elif "side" in schema.resource(resource).column_names:
        meaning["directionField"] = "side"
    fund = fund_source(resource, column.name)
    if fund:
        meaning["fundSource"] = fund
    kind = expenditure_type(resource, column.name)
    if kind:
        meaning["expenditureType"] = kind
    return meaning


def fund_source(resource: str, measure: str) -> str | None:
    """The fund an amount comes from: its column's fund, else the table's, else None."""
    if measure in FUND_MEASURES:
        return measure
    return RESOURCE_FUND.get(resource)


def expenditure_type(resource: str, measure: str) -> str | None:
    """basic or project when the column or the table says so."""
    if measure in ("basic", "project"):
        return measure
    if measure in ("personnel", "public"):
        return "basic"
    return RESOURCE_EXPENDITURE_TYPE.get(resource)


def _direction(resource: str, row: dict[str, Any]) -> str | None:
    fixed = DIRECTION.get(resource)
    if fixed:
        return fixed
    side = row.get("side")
    return {"income": "revenue", "expenditure": "expenditure"}.get(side or "")


def _item(resource: str, row: dict[str, Any]) -> str | None:
    for name in ("name", "item", "dept_econ_name", "unit"):
        if row.get(name) is not None:
            return row[name]
    if resource == "project_subtotals":
        return "部门合计" if row.get("level") == "department" else None
    return None


def _row_kind(row: dict[str, Any], parents: set[str]) -> str:
    """total, subtotal, group or item: the parser's row_kind, else from the code tree
    (`parents`: the codes that begin a longer code of the table, `_parents`)."""
    if row.get("row_kind"):
        return row["row_kind"]
    if "code" in row:
        code = row["code"]
        if not code:
            return "total"
        return "subtotal" if code in parents else "item"
    level = row.get("level")
    if level == "department":
        return "total"
    return "subtotal" if level == "unit" else "item"


def _parents(codes: set[str]) -> set[str]:
    """Every proper beginning of the codes: a code among them has a longer code under it."""
    return {code[:end] for code in codes for end in range(1, len(code))}


def _row_key(resource: schema.Resource, row: dict[str, Any]) -> str:
    """The row's primary key without doc_id, numbers zero-padded so ids sort in table order."""
    parts = []
    for name in resource.primary_key:
        if name == "doc_id":
            continue
        value = row[name]
        parts.append(f"{value:04d}" if isinstance(value, int) else str(value))
    return ".".join(parts)


def _table_no(resource: schema.Resource, row: dict[str, Any]) -> int:
    if resource.name in ("projects", "project_subtotals") and row.get("kind") == "carryover":
        return 13
    return resource.table_no or 0


class _Measure(NamedTuple):
    """An amount column of a resource, with what each of its budget lines says of it."""

    name: str
    label: str
    fund_source: str | None
    expenditure_type: str | None


def _measures(resource: schema.Resource) -> list[_Measure]:
    return [_Measure(c.name, c.zh, fund_source(resource.name, c.name), expenditure_type(resource.name, c.name))
            for c in resource.columns if c.type == "money"]


#: What a budget line takes from its source row, then from its amount (`_lines_of`).
_ROW_FIELDS = ("doc_id", "year", "table_no", "resource", "row_key", "side", "direction", "classification",
               "code", "item", "row_kind", "unit_id", "project_id", "source_line", "table_title",
               "printed_unit")
_AMOUNT_FIELDS = ("line_id", "measure", "fund_source", "expenditure_type", "amount_wan", "amount_yuan",
                  "column_label", "printed")


def _lines_of(resource: schema.Resource, frame: pl.DataFrame, years: dict[str, int | None],
              printed: dict[tuple[str, int], dict[str, Any]]) -> list[tuple]:
    """The budget lines of one resource, one per printed (non-null) amount, each the values of
    _ROW_FIELDS then _AMOUNT_FIELDS; `printed`: the source_tables rows by (doc_id, table_no)."""
    measures = _measures(resource)
    parents = _parents(set(frame["code"].drop_nulls().to_list())) if "code" in frame.columns else set()
    lines: list[tuple] = []
    names = frame.columns
    for values in zip(*(schema.values_of(series) for series in frame.iter_columns()), strict=True):
        row = dict(zip(names, values, strict=True))  # iter_rows(named=True), column by column: faster
        doc_id, table_no, row_key = row["doc_id"], _table_no(resource, row), _row_key(resource, row)
        source = printed.get((doc_id, table_no), {})
        unit = source.get("printed_unit") or "万元"
        facts = (doc_id, years.get(doc_id), table_no, resource.name, row_key, row.get("side"),
                 _direction(resource.name, row), CLASSIFICATION.get(resource.name), row.get("code"),
                 _item(resource.name, row), _row_kind(row, parents), row.get("unit_id"),
                 row.get("project_id"), row.get("source_line"), source.get("title"), unit)
        prefix = f"{doc_id}:{table_no:02d}:{resource.name}:{row_key}:"
        for measure in measures:
            amount = row[measure.name]
            if amount is not None:
                lines.append((*facts, prefix + measure.name, measure.name, measure.fund_source,
                              measure.expenditure_type, amount, (amount * _WAN).quantize(_CENT),
                              measure.label, _as_printed(amount, unit)))
    return lines


def budget_lines(frames: dict[str, pl.DataFrame], other: list[dict[str, Any]] | None = None) -> pl.DataFrame:
    """The long fact table of tables 1–13 (see the module docstring) and the amounts of tables
    of no template kind (`other`), sorted by line_id."""
    documents = frames["documents"]
    years = dict(zip(documents["doc_id"], documents["year"], strict=True))
    printed = {(r["doc_id"], r["table_no"]): r for r in frames["source_tables"].iter_rows(named=True)}
    lines = [line for name in AMOUNT_RESOURCES for line in _lines_of(schema.resource(name), frames[name], years,
                                                                      printed)]
    resource = schema.resource("budget_lines")
    columns: dict[str, list[Any]] = {name: [None] * len(lines) for name in resource.column_names}
    if lines:
        columns.update(zip(_ROW_FIELDS + _AMOUNT_FIELDS, map(list, zip(*lines, strict=True)), strict=True))
    for row in other or []:
        row = {**row, "year": years.get(row["doc_id"])}
        for name, values in columns.items():
            values.append(row.get(name))
    return resource.frame_of_columns(columns, len(lines) + len(other or [])).sort(
        ["doc_id", "line_id"], maintain_order=True)


def _as_printed(wan: Decimal, unit: str) -> str:
    """An amount in the unit its table printed: 25552.62 (万元), 3196880.00 (元)."""
    factor = FACTORS.get(unit, 10000)
    return money_text(wan if factor == 10000 else wan * _WAN / factor)  # × 10000 / 10000: the same Decimal


__all__ = ["AMOUNT_RESOURCES", "FACTORS", "budget_lines", "column_type", "money_meaning"]
