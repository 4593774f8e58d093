"""Rules over tables 1–13: row and column sums, cross-table identities, subject codes.

Keys: `code` for the subject tables (`合计` for the total row), `item` for tables 1, 4
and 10, the economic item for table 6, the unit for table 11, `project_id` for projects and
the `unit_id` (or `部门合计`) for the subtotal rows of tables 12/13.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal

from budgettui import schema
from budgettui import vocabulary as vocab
from budgettui.checks import ZERO, Ctx, Row, fmt, rule, text, total
from budgettui.schema import cited
from budgettui.tables import unit_key

_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、")


@functools.lru_cache(maxsize=4096)
def clean(name: str | None) -> str:
    """A name compared without numbering (八、), spaces and bracket differences."""
    return _NUMBERING.sub("", unit_key(name or ""))


@functools.lru_cache(maxsize=1024)
def label(resource: str, column: str) -> str:
    """The Chinese title of a column (from the schema)."""
    return schema.resource(resource).column(column).zh


def code_key(row: Row) -> str:
    return row["code"] or "合计"


def subject(row: Row) -> str:
    return f"{row['code']} {row['name']}" if row["code"] else "合计"


def total_row(rows: list[Row]) -> Row | None:
    """The 合计 row (code empty) of a subject table."""
    return next((r for r in rows if r["code"] is None), None)


def by_code(rows: list[Row]) -> dict[str, Row]:
    return {r["code"]: r for r in rows if r["code"]}


def value(row: Row | None, column: str) -> Decimal | None:
    return None if row is None else row[column]


def present(ctx: Ctx, *resources: str) -> bool:
    """Every resource has rows (an empty or missing table is reported elsewhere)."""
    return all(ctx.doc[r] for r in resources)


# ---------------------------------------------------------------- subject tables 2, 3, 5, 7, 8, 9

#: Resource, the parts its 合计 column is the sum of, per table number.
SUBJECT_TABLES: dict[int, tuple[str, tuple[str, ...]]] = {
    2: ("income_by_subject", ("general_budget", "fund_budget", "state_capital", "special_account",
                              "unit_funds")),
    3: ("expenditure_by_subject", ("basic", "project")),
    5: ("general_budget_expenditure", ("basic", "project")),
    7: ("fund_income", ()),
    8: ("fund_expenditure", ("basic", "project")),
    9: ("state_capital", ("basic", "project")),
}


def _sides(rows: list[Row]) -> list[list[Row]]:
    """Table 9 holds an income and an expenditure side; the others one list."""
    if rows and "side" in rows[0]:
        return [[r for r in rows if r["side"] == side] for side in ("income", "expenditure")]
    return [rows]


def _parts(no: int, rows: list[Row]) -> tuple[str, ...]:
    """Table 2's 合计 excludes 上年结转 unless its 合计 row shows it included."""
    parts = SUBJECT_TABLES[no][1]
    if no != 2:
        return parts
    row = total_row(rows)
    if row is not None and row["carryover"] is not None:
        without = total(row[c] for c in parts)
        if (row["total"] or ZERO) != without and (row["total"] or ZERO) == without + row["carryover"]:
            return (*parts, "carryover")
    return parts


def _money_columns(no: int) -> tuple[str, ...]:
    parts = SUBJECT_TABLES[no][1]
    return ("total", *parts, "carryover") if no == 2 else ("total", *parts)


def split_on_total_only(rows: list[Row], parts: tuple[str, ...]) -> bool:
    """The table prints its split (基本支出, 项目支出) on its 合计 row alone (西安's 政府性基金收支表
    gives the classes one amount each): the class rows have no split to add up."""
    return (any(r[c] is not None for r in rows if r["code"] is None for c in parts)
            and not any(r[c] is not None for r in rows if r["code"] for c in parts))


def _row_sum(no: int) -> Callable[[Ctx], None]:
    resource = SUBJECT_TABLES[no][0]

    def check(ctx: Ctx) -> None:
        rows = ctx.doc[resource]
        parts = _parts(no, rows)
        if not any(row[c] is not None for row in rows for c in parts):
            return  # the table prints no split of its totals (西安's table 3 by fund): nothing to add up
        if split_on_total_only(rows, parts):
            rows = [r for r in rows if r["code"] is None]
        for row in rows:
            if no == 9 and row["side"] == "income":
                continue
            ctx.compare(resource, code_key(row), row["source_line"], subject(row),
                        (label(resource, "total"), row["total"]),
                        [(label(resource, c), row[c]) for c in parts])
    return check


def _child_sum(no: int) -> Callable[[Ctx], None]:
    resource = SUBJECT_TABLES[no][0]

    def check(ctx: Ctx) -> None:
        for rows in _sides(ctx.doc[resource]):
            children: dict[str, list[Row]] = {}
            for row in rows:
                if row["parent_code"]:
                    children.setdefault(row["parent_code"], []).append(row)
            for row in rows:
                kids = children.get(row["code"] or "")
                if not kids:
                    continue
                codes = "+".join(k["code"] for k in kids)
                for column in _money_columns(no):
                    ctx.compare(resource, code_key(row), row["source_line"], subject(row),
                                (label(resource, column), row[column]),
                                [(f"Σ {codes}", total(k[column] for k in kids))])
    return check


def _total_sum(no: int) -> Callable[[Ctx], None]:
    resource = SUBJECT_TABLES[no][0]

    def check(ctx: Ctx) -> None:
        for rows in _sides(ctx.doc[resource]):
            row = total_row(rows)
            classes = [r for r in rows if r["level"] == 1]
            if row is None or not classes:
                continue
            codes = "+".join(r["code"] for r in classes)
            columns = _money_columns(no)
            if split_on_total_only(rows, SUBJECT_TABLES[no][1]):
                columns = ("total",)
            for column in columns:
                ctx.compare(resource, "合计", row["source_line"], "合计",
                            (label(resource, column), row[column]),
                            [(f"Σ 类 {codes}", total(r[column] for r in classes))])
    return check


for _no in SUBJECT_TABLES:
    _name = f"表{_no}"
    if SUBJECT_TABLES[_no][1]:
        rule(f"t{_no}.row_sum", "error", f"{_name}每行合计 = 各列之和",
             f"table {_no}: each row's total = sum of its columns")(_row_sum(_no))
    rule(f"t{_no}.child_sum", "error", f"{_name}类/款 = 下级科目之和",
         f"table {_no}: each 类/款 = sum of its children")(_child_sum(_no))
    rule(f"t{_no}.total_sum", "error", f"{_name}合计行 = 各类之和",
         f"table {_no}: the 合计 row = sum of the 类 rows")(_total_sum(_no))


# ---------------------------------------------------------------- tables 1 and 4 (two-sided summaries)


def side(rows: list[Row], name: str) -> list[Row]:
    return [r for r in rows if r["side"] == name]


def find_item(rows: list[Row], pattern: str) -> Row | None:
    """The first row whose item (numbering stripped) matches `pattern`."""
    regex = re.compile(pattern)
    return next((r for r in rows if regex.search(clean(r["item"]))), None)


def _sum_block(ctx: Ctx, resource: str, rows: list[Row], columns: tuple[str, ...]) -> None:
    """本年…合计 = the items above it or, when it heads them (一、本年支出 over （一）…), the
    items after it up to the next row numbered like it; …总计 = 本年…合计 + the items after
    those. Headings (group) and their parts (detail) are not added: their items are."""
    subtotal = next((i for i, r in enumerate(rows) if r["row_kind"] == "subtotal"), None)
    grand = next((i for i, r in enumerate(rows) if r["row_kind"] == "total"), None)
    items: list[Row] = []
    block_end = subtotal
    if subtotal is not None:
        items = [r for r in rows[:subtotal] if r["row_kind"] == "item"]
        if not items and _NUMBERING.match(rows[subtotal]["item"]):
            stop = grand if grand is not None else len(rows)
            end = next((i for i in range(subtotal + 1, stop)
                        if _NUMBERING.match(rows[i]["item"]) or rows[i]["row_kind"] in ("subtotal", "total")),
                       stop)
            items = [r for r in rows[subtotal + 1:end] if r["row_kind"] == "item"]
            block_end = end - 1
    for column in columns:
        if subtotal is not None:
            row = rows[subtotal]
            ctx.compare(resource, row["item"], row["source_line"], row["item"],
                        (label(resource, column), row[column]),
                        [(f"Σ {len(items)} 行", total(r[column] for r in items))])
        if grand is not None:
            start = block_end if block_end is not None else -1
            between = [r for r in rows[start + 1:grand] if r["row_kind"] == "item"]
            terms = [(rows[subtotal]["item"], rows[subtotal][column])] if subtotal is not None else []
            terms += [(r["item"], r[column]) for r in between]
            row = rows[grand]
            ctx.compare(resource, row["item"], row["source_line"], row["item"],
                        (label(resource, column), row[column]), terms)


def _balance(ctx: Ctx, resource: str, column_in: str, column_out: str) -> None:
    rows = ctx.doc[resource]
    income = next((r for r in side(rows, "income") if r["row_kind"] == "total"), None)
    spending = next((r for r in side(rows, "expenditure") if r["row_kind"] == "total"), None)
    if income and spending:
        ctx.compare(resource, income["item"], income["source_line"], "收入总计 = 支出总计",
                    (income["item"], income[column_in]), [(spending["item"], spending[column_out])])


@rule("t1.balance", "error", "表1收入总计 = 支出总计", "table 1: total income = total expenditure")
def t1_balance(ctx: Ctx) -> None:
    _balance(ctx, "budget_summary", "amount", "amount")


@rule("t1.income_sum", "error", "表1本年收入合计 = 各收入之和；收入总计 = 本年收入合计 + 上年结转",
      "table 1: income subtotal = sum of income lines; total = subtotal + carry-over")
def t1_income_sum(ctx: Ctx) -> None:
    _sum_block(ctx, "budget_summary", side(ctx.doc["budget_summary"], "income"), ("amount",))


@rule("t1.expenditure_sum", "error", "表1本年支出合计 = 各类支出之和",
      "table 1: expenditure subtotal = sum of expenditure lines")
def t1_expenditure_sum(ctx: Ctx) -> None:
    _sum_block(ctx, "budget_summary", side(ctx.doc["budget_summary"], "expenditure"),
               ("amount", "current_year", "carryover"))


@rule("t1.row_split", "error", "表1每行合计 = 当年预算安排 + 上年结转安排",
      "table 1: each expenditure line = current-year + carried-over")
def t1_row_split(ctx: Ctx) -> None:
    rows = side(ctx.doc["budget_summary"], "expenditure")
    if not any(r["current_year"] is not None or r["carryover"] is not None for r in rows):
        return  # the table prints no split columns
    for row in rows:
        ctx.compare("budget_summary", row["item"], row["source_line"], row["item"],
                    ("合计", row["amount"]),
                    [("当年预算安排", row["current_year"]), ("上年结转安排", row["carryover"])])


FUND_COLUMNS = ("general_budget", "fund_budget", "state_capital")


@rule("t4.balance", "error", "表4收入总计 = 支出总计", "table 4: total income = total expenditure")
def t4_balance(ctx: Ctx) -> None:
    _balance(ctx, "fiscal_summary", "total", "total")


@rule("t4.income_sum", "error", "表4本年收入合计、上年结转 = 各项之和；收入总计 = 两者之和",
      "table 4: income subtotals = their lines; total = the subtotals")
def t4_income_sum(ctx: Ctx) -> None:
    rows = side(ctx.doc["fiscal_summary"], "income")
    subtotals = [r for r in rows if r["row_kind"] == "subtotal"]
    for row in subtotals:
        group = row["group"] or "本年收入"
        items = [r for r in rows if r["row_kind"] == "item" and r["group"] == group]
        ctx.compare("fiscal_summary", row["item"], row["source_line"], row["item"],
                    ("金额", row["total"]), [(f"Σ {len(items)} 行", total(r["total"] for r in items))])
    grand = next((r for r in rows if r["row_kind"] == "total"), None)
    if grand and subtotals:
        ctx.compare("fiscal_summary", grand["item"], grand["source_line"], grand["item"],
                    ("金额", grand["total"]), [(r["item"], r["total"]) for r in subtotals])


@rule("t4.expenditure_sum", "error", "表4本年支出合计 = 各类支出之和",
      "table 4: expenditure subtotal = sum of expenditure lines")
def t4_expenditure_sum(ctx: Ctx) -> None:
    _sum_block(ctx, "fiscal_summary", side(ctx.doc["fiscal_summary"], "expenditure"),
               ("total", *FUND_COLUMNS))


@rule("t4.row_sum", "error", "表4每行小计 = 一般公共预算 + 政府性基金 + 国有资本经营",
      "table 4: each expenditure line = sum of its funds")
def t4_row_sum(ctx: Ctx) -> None:
    rows = side(ctx.doc["fiscal_summary"], "expenditure")
    if not any(r[c] is not None for r in rows for c in FUND_COLUMNS):
        return  # the table prints no column per fund
    for row in rows:
        ctx.compare("fiscal_summary", row["item"], row["source_line"], row["item"],
                    ("小计", row["total"]), [(label("fiscal_summary", c), row[c]) for c in FUND_COLUMNS])


# ---------------------------------------------------------------- table 6


@rule("t6.row_sum", "error", "表6每行合计 = 人员经费 + 公用经费",
      "table 6: each row's total = personnel + public costs")
def t6_row_sum(ctx: Ctx) -> None:
    rows = ctx.doc["basic_expenditure_by_economic"]
    if not splits_printed(rows, ("personnel", "public")):
        return
    for row in rows:
        ctx.compare("basic_expenditure_by_economic", econ_key(row), row["source_line"], econ_key(row),
                    ("合计", row["total"]), [("人员经费", row["personnel"]), ("公用经费", row["public"])])


def splits_printed(rows: list[Row], parts: tuple[str, ...]) -> bool:
    """Whether a table prints both its 合计 column and some of the columns that split it: a
    table with one amount column (福州's table 6) or without a 合计 (深圳's 三公) has no row
    sum to check."""
    return any(r["total"] is not None for r in rows) and any(r[c] is not None for r in rows for c in parts)


def econ_key(row: Row) -> str:
    """Table 6 key: the departmental item, with the government item for item rows."""
    if row["row_kind"] == "item" and row["gov_econ_name"]:
        return f"{row['dept_econ_name']}/{row['gov_econ_name']}"
    return row["dept_econ_name"]


@rule("t6.group_sum", "error", "表6经济分类 = 所属科目之和", "table 6: each group row = sum of its items")
def t6_group_sum(ctx: Ctx) -> None:
    rows = ctx.doc["basic_expenditure_by_economic"]
    for group in (r for r in rows if r["row_kind"] == "group"):
        items = [r for r in rows if r["row_kind"] == "item" and r["group"] == group["dept_econ_name"]]
        if not items:
            continue
        for column, name in (("total", "合计"), ("personnel", "人员经费"), ("public", "公用经费")):
            ctx.compare("basic_expenditure_by_economic", group["dept_econ_name"], group["source_line"],
                        group["dept_econ_name"], (name, group[column]),
                        [(f"Σ {len(items)} 项", total(r[column] for r in items))])


@rule("t6.total_sum", "error", "表6合计 = 各经济分类之和", "table 6: the 合计 row = sum of the group rows")
def t6_total_sum(ctx: Ctx) -> None:
    rows = ctx.doc["basic_expenditure_by_economic"]
    row = next((r for r in rows if r["row_kind"] == "total"), None)
    groups = [r for r in rows if r["row_kind"] == "group"]
    if row is None or not groups:
        return
    for column, name in (("total", "合计"), ("personnel", "人员经费"), ("public", "公用经费")):
        ctx.compare("basic_expenditure_by_economic", "合计", row["source_line"], "合计", (name, row[column]),
                    [(g["dept_econ_name"], g[column]) for g in groups])


# ---------------------------------------------------------------- tables 10 and 11

BY_FUND = ("total", *FUND_COLUMNS)


@rule("t10.row_sum", "error", "表10每行合计 = 各资金来源之和", "table 10: each row's total = sum of its funds")
def t10_row_sum(ctx: Ctx) -> None:
    rows = ctx.doc["three_public_costs"]
    if not splits_printed(rows, FUND_COLUMNS):
        return
    for row in rows:
        ctx.compare("three_public_costs", row["item"], row["source_line"], row["item"],
                    ("合计", row["total"]), [(label("three_public_costs", c), row[c]) for c in FUND_COLUMNS])


@rule("t10.group_sum", "error", "表10公务用车购置及运行费 = 购置费 + 运行维护费",
      "table 10: vehicles = purchase + operation")
def t10_group_sum(ctx: Ctx) -> None:
    rows = ctx.doc["three_public_costs"]
    for group in (r for r in rows if r["row_kind"] == "group"):
        items = [r for r in rows if r["parent_item"] == group["item"]]
        for column in BY_FUND:
            ctx.compare("three_public_costs", group["item"], group["source_line"], group["item"],
                        (label("three_public_costs", column), group[column]),
                        [(r["item"], r[column]) for r in items])


@rule("t10.total_sum", "error", "表10合计 = 出国 + 接待 + 车辆", "table 10: total = travel + reception + vehicles")
def t10_total_sum(ctx: Ctx) -> None:
    rows = ctx.doc["three_public_costs"]
    row = next((r for r in rows if r["row_kind"] == "total"), None)
    top = [r for r in rows if r["row_kind"] != "total" and r["parent_item"] is None]
    if row is None or not top:
        return
    for column in BY_FUND:
        ctx.compare("three_public_costs", row["item"], row["source_line"], row["item"],
                    (label("three_public_costs", column), row[column]), [(r["item"], r[column]) for r in top])


@rule("t11.row_sum", "error", "表11每行合计 = 各资金来源之和", "table 11: each row's total = sum of its funds")
def t11_row_sum(ctx: Ctx) -> None:
    rows = ctx.doc["operating_costs"]
    if not splits_printed(rows, FUND_COLUMNS):
        return
    for row in rows:
        ctx.compare("operating_costs", row["unit"], row["source_line"], row["unit"],
                    ("合计", row["total"]), [(label("operating_costs", c), row[c]) for c in FUND_COLUMNS])


@rule("t11.total_sum", "error", "表11部门合计 = 各单位之和", "table 11: department total = sum of its units")
def t11_total_sum(ctx: Ctx) -> None:
    rows = ctx.doc["operating_costs"]
    row = next((r for r in rows if r["row_kind"] == "total"), None)
    units = [r for r in rows if r["row_kind"] == "item"]
    if row is None or not units:
        return
    for column in BY_FUND:
        ctx.compare("operating_costs", row["unit"], row["source_line"], row["unit"],
                    (label("operating_costs", column), row[column]), [(r["unit"], r[column]) for r in units])


# ---------------------------------------------------------------- tables 12 and 13

PROJECT_MONEY = ("total", "general_budget", "fund_budget", "state_capital", "special_account", "unit_funds")
KINDS = {12: "current", 13: "carryover"}


def subtotal_key(row: Row) -> str:
    """A subtotal row's key: its unit_id, or 部门合计 for the department row."""
    return (row["unit_id"] or row["unit"] or "") if row["level"] == "unit" else "部门合计"


def project_money(ctx: Ctx, kind: str) -> tuple[str, ...]:
    """The money columns of a project table: the funds, and 上年结转 where the table prints it
    beside them as a part of 合计 (深圳 上年结余、结转)."""
    rows = [r for r in (*ctx.doc["projects"], *ctx.doc["project_subtotals"]) if r["kind"] == kind]
    printed = any(r["carryover"] is not None for r in rows)
    return (*PROJECT_MONEY, "carryover") if printed else PROJECT_MONEY


def _project_row_sum(no: int) -> Callable[[Ctx], None]:
    def check(ctx: Ctx) -> None:
        parts = project_money(ctx, KINDS[no])[1:]
        if not splits_printed([*ctx.doc["projects"], *ctx.doc["project_subtotals"]], parts):
            return
        for row in ctx.doc["projects"]:
            if row["kind"] == KINDS[no]:
                ctx.compare("projects", row["project_id"], row["source_line"], row["name"],
                            ("合计", row["total"]), [(label("projects", c), row[c]) for c in parts])
        for row in ctx.doc["project_subtotals"]:
            if row["kind"] == KINDS[no]:
                ctx.compare("project_subtotals", subtotal_key(row), row["source_line"],
                            row["unit"] or "部门合计", ("合计", row["total"]),
                            [(label("projects", c), row[c]) for c in parts])
    return check


def _unit_sum(no: int) -> Callable[[Ctx], None]:
    def check(ctx: Ctx) -> None:
        projects = [p for p in ctx.doc["projects"] if p["kind"] == KINDS[no]]
        for row in ctx.doc["project_subtotals"]:
            if row["kind"] != KINDS[no] or row["level"] != "unit":
                continue
            own = [p for p in projects if p["unit_id"] == row["unit_id"]]
            for column in project_money(ctx, KINDS[no]):
                ctx.compare("project_subtotals", subtotal_key(row), row["source_line"], row["unit"],
                            (label("projects", column), row[column]),
                            [(f"Σ {len(own)} 个项目", total(p[column] for p in own))])
    return check


def _department_sum(no: int) -> Callable[[Ctx], None]:
    def check(ctx: Ctx) -> None:
        rows = [r for r in ctx.doc["project_subtotals"] if r["kind"] == KINDS[no]]
        head = next((r for r in rows if r["level"] == "department"), None)
        units = [r for r in rows if r["level"] == "unit"]
        if head is None or not units:
            return
        for column in project_money(ctx, KINDS[no]):
            ctx.compare("project_subtotals", "部门合计", head["source_line"], "部门合计",
                        (label("projects", column), head[column]), [(u["unit"], u[column]) for u in units])
    return check


for _no in KINDS:
    rule(f"t{_no}.row_sum", "error", f"表{_no}每行合计 = 各资金来源之和",
         f"table {_no}: each row's total = sum of its funds")(_project_row_sum(_no))
    rule(f"t{_no}.unit_sum", "error", f"表{_no}单位小计 = 所属项目之和",
         f"table {_no}: each unit subtotal = sum of its projects")(_unit_sum(_no))
    rule(f"t{_no}.total_sum", "error", f"表{_no}部门合计 = 各单位小计之和",
         f"table {_no}: department total = sum of the unit subtotals")(_department_sum(_no))


def department_total(ctx: Ctx, kind: str) -> Row | None:
    return next((r for r in ctx.doc["project_subtotals"] if r["kind"] == kind and r["level"] == "department"),
                None)


def t12_carryover(ctx: Ctx) -> tuple[Decimal, int | None] | None:
    """Table 12's 上年结转 column in all (深圳 上年结余、结转), with its line: the department
    row's, else the sum of the unit rows', else of the projects'; None when not printed."""
    if "carryover" not in project_money(ctx, "current"):
        return None
    head = department_total(ctx, "current")
    if head is not None and head["carryover"] is not None:
        return head["carryover"], head["source_line"]
    units = [r for r in ctx.doc["project_subtotals"] if r["kind"] == "current" and r["level"] == "unit"]
    rows = units or [p for p in ctx.doc["projects"] if p["kind"] == "current"]
    return total(r["carryover"] for r in rows), rows[0]["source_line"] if rows else None


# ---------------------------------------------------------------- cross-table identities

#: Table 1/4 income lines and the table 2 column each equals.
INCOME_COLUMNS = (
    ("一般公共预算", "general_budget"), ("政府性基金", "fund_budget"), ("国有资本", "state_capital"),
    ("财政专户", "special_account"), ("单位资金", "unit_funds"), ("^上年结转", "carryover"),
)


def classes(rows: list[Row]) -> dict[str, Row]:
    """Level-1 rows (类) of a subject table by cleaned name."""
    return {clean(r["name"]): r for r in rows if r["level"] == 1}


def expenditure_lines(rows: list[Row]) -> list[Row]:
    """Expenditure 类 lines of table 1/4 (numbered items, not subtotals or 年终结转)."""
    return [r for r in side(rows, "expenditure") if r["row_kind"] == "item" and _NUMBERING.match(r["item"])]


def _t2_includes_carryover(t2: list[Row]) -> bool:
    """Table 2's 合计 column already counts 上年结转 (深圳's 收入总计): its 合计 row shows it."""
    return "carryover" in _parts(2, t2)


def _t2_income(row: Row | None, t2: list[Row], title: str = "表2合计") -> list[tuple[str, Decimal | None]]:
    """Terms of table 2's income of this year (its 合计 less 上年结转 when that counts it)."""
    terms = [(title, value(row, "total"))]
    if row is not None and row["carryover"] and _t2_includes_carryover(t2):
        terms.append(("减表2上年结转", -row["carryover"]))
    return terms


def _t2_all(row: Row | None, t2: list[Row]) -> list[tuple[str, Decimal | None]]:
    """Terms of table 2's money of this year and carried over (its 合计, with 上年结转 added
    unless the 合计 counts it)."""
    terms = [("表2合计", value(row, "total"))]
    if not _t2_includes_carryover(t2):
        terms.append(("表2上年结转", value(row, "carryover")))
    return terms


@rule("x.t1_t2", "error", "表1收入与各类支出 = 表2", "table 1 income lines and expenditure splits = table 2")
def x_t1_t2(ctx: Ctx) -> None:
    if not present(ctx, "budget_summary", "income_by_subject"):
        return
    t1, t2 = ctx.doc["budget_summary"], ctx.doc["income_by_subject"]
    head = total_row(t2)
    income = side(t1, "income")
    for pattern, column in INCOME_COLUMNS:
        row = find_item([r for r in income if r["row_kind"] == "item"], pattern)
        if row is not None and head is not None:
            ctx.compare("budget_summary", row["item"], row["source_line"], row["item"], ("表1", row["amount"]),
                        [(f"表2合计行 {label('income_by_subject', column)}", head[column])])
    # 收入总计 (table 1 may print lines such as 上级补助收入 after its 本年收入合计 that table 2
    # counts in its 合计: 烟台), or 本年收入合计 when table 1 prints no 收入总计
    grand = next((r for r in income if r["row_kind"] == "total"), None)
    subtotal = next((r for r in income if r["row_kind"] == "subtotal"), None)
    if grand is not None and head is not None:
        ctx.compare("budget_summary", grand["item"], grand["source_line"], grand["item"],
                    ("表1", grand["amount"]), _t2_all(head, t2))
    elif subtotal is not None and head is not None:
        ctx.compare("budget_summary", subtotal["item"], subtotal["source_line"], subtotal["item"],
                    ("表1", subtotal["amount"]), _t2_income(head, t2))
    by_name = classes(t2)
    lines = [r for r in expenditure_lines(t1) if by_nature(r) is None]  # 基本支出 has no class
    if not by_name:
        return  # table 2 printed by unit (深圳): no classes to compare
    if not any(r["current_year"] is not None or r["carryover"] is not None for r in lines):
        # table 1 prints one amount per class (上海, 烟台): it is table 2's whole row
        for row in lines:
            other = by_name.get(clean(row["item"]))
            ctx.compare("budget_summary", row["item"], row["source_line"], row["item"],
                        ("表1", row["amount"]), _t2_all(other, t2))
        return
    for row in lines:
        other = by_name.get(clean(row["item"]))
        ctx.compare("budget_summary", row["item"], row["source_line"], f"{row['item']} 当年预算安排",
                    ("表1", row["current_year"]), _t2_income(other, t2))
        ctx.compare("budget_summary", row["item"], row["source_line"], f"{row['item']} 上年结转安排",
                    ("表1", row["carryover"]), [("表2上年结转", value(other, "carryover"))])


def by_nature(row: Row) -> str | None:
    """The table 3 column (basic, project) a table 1 line by nature stands for, if it is one."""
    key = clean(row["item"])
    return next((column for column, pattern in vocab.SUMMARY_BY_NATURE if re.search(pattern, key)), None)


@rule("x.t1_t3", "error", "表1各类支出 = 表3", "table 1 expenditure lines = table 3")
def x_t1_t3(ctx: Ctx) -> None:
    """Class by class, or, where table 1 splits its spending by nature (基本支出, 项目支出),
    against table 3's 合计 row in those columns."""
    if not present(ctx, "budget_summary", "expenditure_by_subject"):
        return
    t1, t3 = ctx.doc["budget_summary"], ctx.doc["expenditure_by_subject"]
    by_name = classes(t3)
    head = total_row(t3)
    seen = set()
    natures = 0
    for row in expenditure_lines(t1):
        column = by_nature(row)
        if column is not None:
            natures += 1
            ctx.compare("budget_summary", row["item"], row["source_line"], row["item"], ("表1", row["amount"]),
                        [(f"表3合计 {label('expenditure_by_subject', column)}", value(head, column))])
            continue
        key = clean(row["item"])
        seen.add(key)
        other = by_name.get(key)
        ctx.compare("budget_summary", row["item"], row["source_line"], row["item"], ("表1", row["amount"]),
                    [(f"表3 {other['code']}" if other else "表3（无此类）", value(other, "total"))])
    if natures and not seen & set(by_name):
        by_name = {}  # table 1 prints no class: table 3's classes have no line there
    for key, other in by_name.items():
        if key not in seen:
            ctx.compare("expenditure_by_subject", other["code"], other["source_line"], subject(other),
                        ("表3", other["total"]), [("表1（无此类）", None)])
    grand = next((r for r in side(t1, "expenditure") if r["row_kind"] == "subtotal"), None)
    if grand and head:
        ctx.compare("budget_summary", grand["item"], grand["source_line"], grand["item"], ("表1", grand["amount"]),
                    [("表3合计", head["total"])])


def _per_code(ctx: Ctx, resource: str, rows: list[Row], others: dict[str, list[Row]],
              column: str, terms: list[tuple[str, str, str]], *, skip: frozenset[str] = frozenset(),
              less: tuple[str, str] | None = None) -> None:
    """rows[column] = Σ others[resource][term column] per code (合计 row included), less the
    row's own `less` column (title, column) when given. Codes in `skip` (合计 for the 合计
    row) are not compared."""
    maps = {name: by_code(rs) for name, rs in others.items()}
    heads = {name: total_row(rs) for name, rs in others.items()}
    codes = {r["code"] for r in rows if r["code"]} | {c for m in maps.values() for c in m}
    own = by_code(rows)

    def minus(row: Row | None) -> list[tuple[str, Decimal | None]]:
        if less is None or row is None or not row[less[1]]:
            return []
        return [(f"减{less[0]}", -row[less[1]])]

    # a table printed by unit (only its 合计 row keyed by no code) is compared by its 合计 alone
    by_unit = not own or any(rs and not maps[name] for name, rs in others.items())
    for code in [] if by_unit else sorted(codes - skip):
        row = own.get(code)
        parts = [(f"{title} {label(name, col)}", value(maps[name].get(code), col)) for title, name, col in terms]
        if row is None:
            line = next((m[code]["source_line"] for m in maps.values() if code in m), None)
            ctx.compare(resource, code, line, f"{code}（表中无此科目）", (label(resource, column), None), parts)
            continue
        ctx.compare(resource, code, row["source_line"], subject(row), (label(resource, column), row[column]),
                    parts + minus(row))
    head = total_row(rows)
    if head is not None and "合计" not in skip:
        parts = [(f"{title}合计 {label(name, col)}", value(heads[name], col)) for title, name, col in terms]
        ctx.compare(resource, "合计", head["source_line"], "合计", (label(resource, column), head[column]),
                    parts + minus(head))


#: Table 2 columns of money that is no fiscal appropriation of tables 5 and 8.
NON_FISCAL_COLUMNS = ("state_capital", "special_account", "unit_funds")


def non_fiscal_codes(t2: list[Row]) -> frozenset[str]:
    """Codes (合计 for the 合计 row) whose table 2 row holds money beyond tables 5 and 8 (国有资本,
    财政专户, 单位资金, 事业收入 …): table 3 spends it too, so there its basic and project
    columns exceed tables 5 + 8 by a split no table prints."""
    return frozenset(code_key(r) for r in t2 if any(r[c] for c in NON_FISCAL_COLUMNS))


def t5_includes_carryover(ctx: Ctx) -> bool:
    """Table 5's 合计 is table 2's 一般公共预算 plus its 上年结转 (深圳's 一般公共预算支出表
    spends the carry-over too), not the year's 一般公共预算 alone."""
    t2, t5 = total_row(ctx.doc["income_by_subject"]), total_row(ctx.doc["general_budget_expenditure"])
    if t2 is None or t5 is None or not t2["carryover"] or t5["total"] is None:
        return False
    general = t2["general_budget"] or ZERO
    return t5["total"] != general and t5["total"] == general + t2["carryover"]


@rule("x.t3_t2", "error", "表3合计 = 表2本年收入 + 上年结转（逐科目）",
      "table 3 total = table 2 income + carry-over, per code")
def x_t3_t2(ctx: Ctx) -> None:
    if present(ctx, "expenditure_by_subject", "income_by_subject"):
        t2 = {"income_by_subject": ctx.doc["income_by_subject"]}
        terms = [("表2", "income_by_subject", "total")]
        if not _t2_includes_carryover(ctx.doc["income_by_subject"]):
            terms.append(("表2", "income_by_subject", "carryover"))
        _per_code(ctx, "expenditure_by_subject", ctx.doc["expenditure_by_subject"], t2, "total", terms)


@rule("x.t2_t5", "error", "表2一般公共预算 = 表5合计（逐科目）", "table 2 general budget = table 5 total, per code")
def x_t2_t5(ctx: Ctx) -> None:
    if present(ctx, "income_by_subject", "general_budget_expenditure"):
        less = ("表2上年结转", "carryover") if t5_includes_carryover(ctx) else None
        _per_code(ctx, "income_by_subject", ctx.doc["income_by_subject"],
                  {"general_budget_expenditure": ctx.doc["general_budget_expenditure"]}, "general_budget",
                  [("表5", "general_budget_expenditure", "total")], less=less)


@rule("x.t2_t8", "error", "表2政府性基金 = 表8合计（逐科目）", "table 2 fund budget = table 8 total, per code")
def x_t2_t8(ctx: Ctx) -> None:
    if present(ctx, "income_by_subject"):
        _per_code(ctx, "income_by_subject", ctx.doc["income_by_subject"],
                  {"fund_expenditure": ctx.doc["fund_expenditure"]}, "fund_budget",
                  [("表8", "fund_expenditure", "total")])


@rule("x.t3_t5_t8", "error", "表3基本/项目支出 = 表5 + 表8（项目支出另加上年结转）",
      "table 3 basic/project = tables 5 + 8 (project plus carry-over), per code")
def x_t3_t5_t8(ctx: Ctx) -> None:
    """Only for the codes table 2 funds by 一般公共预算 and 政府性基金 alone (and 上年结转):
    a code with other money (单位资金, 财政专户, 国有资本) is spent in table 3 beyond them."""
    if not present(ctx, "expenditure_by_subject", "general_budget_expenditure", "income_by_subject"):
        return
    t3 = ctx.doc["expenditure_by_subject"]
    if not any(r["basic"] is not None or r["project"] is not None for r in t3):
        return  # table 3 prints no 基本支出/项目支出 (西安's by fund)
    skip = non_fiscal_codes(ctx.doc["income_by_subject"])
    others = {"general_budget_expenditure": ctx.doc["general_budget_expenditure"],
              "fund_expenditure": ctx.doc["fund_expenditure"]}
    _per_code(ctx, "expenditure_by_subject", t3, others, "basic",
              [("表5", "general_budget_expenditure", "basic"), ("表8", "fund_expenditure", "basic")], skip=skip)
    terms = [("表5", "general_budget_expenditure", "project"), ("表8", "fund_expenditure", "project")]
    if not t5_includes_carryover(ctx):
        others["income_by_subject"] = ctx.doc["income_by_subject"]
        terms.append(("表2", "income_by_subject", "carryover"))
    _per_code(ctx, "expenditure_by_subject", t3, others, "project", terms, skip=skip)


#: Table 1 income lines that are no fiscal appropriation, in every template's words.
NON_FISCAL_INCOME = re.compile(vocab.SUMMARY_NON_FISCAL_INCOME)


def _non_fiscal(t1: list[Row]) -> Decimal:
    """Table 1 income that is not a fiscal appropriation (财政专户, 单位资金, 事业收入 …)."""
    income = [r for r in side(t1, "income") if r["row_kind"] == "item"]
    return total(r["amount"] for r in income if NON_FISCAL_INCOME.search(clean(r["item"])))


@rule("x.t4_t1", "error", "表4财政拨款收支 = 表1（无财政专户、单位资金时）",
      "table 4 = table 1 when there is no non-fiscal income")
def x_t4_t1(ctx: Ctx) -> None:
    if not present(ctx, "fiscal_summary", "budget_summary"):
        return
    t1, t4 = ctx.doc["budget_summary"], ctx.doc["fiscal_summary"]
    t1_income = [r for r in side(t1, "income") if r["row_kind"] == "item"]
    current = [r for r in side(t4, "income") if r["group"] == "本年收入" and r["row_kind"] == "item"]
    for pattern in ("一般公共预算", "政府性基金", "国有资本"):
        row, other = find_item(current, pattern), find_item(t1_income, pattern)
        if row is not None and other is not None:  # table 1 may print 财政拨款 as one line
            ctx.compare("fiscal_summary", row["item"], row["source_line"], row["item"], ("表4", row["total"]),
                        [("表1", value(other, "amount"))])
    if _non_fiscal(t1) != 0:
        return
    pairs = [(next((r for r in side(t4, s) if r["row_kind"] == k), None),
              next((r for r in side(t1, s) if r["row_kind"] == k), None))
             for s in ("income", "expenditure") for k in ("subtotal", "total")]
    t1_lines = {clean(r["item"]): r for r in expenditure_lines(t1)}
    pairs += [(r, t1_lines.get(clean(r["item"]))) for r in expenditure_lines(t4)]
    for row, other in pairs:
        if row is not None:
            ctx.compare("fiscal_summary", row["item"], row["source_line"], row["item"], ("表4", row["total"]),
                        [("表1", value(other, "amount"))])


@rule("x.t4_t5", "error", "表4一般公共预算 = 表5 + 上年结转；政府性基金 = 表8",
      "table 4 general budget = table 5 + carry-over; fund budget = table 8")
def x_t4_t5(ctx: Ctx) -> None:
    if not present(ctx, "fiscal_summary", "general_budget_expenditure"):
        return
    t4 = ctx.doc["fiscal_summary"]
    if not any(r[c] is not None for r in side(t4, "expenditure") for c in FUND_COLUMNS):
        return  # table 4 prints no column per fund
    carry = [r for r in side(t4, "income") if r["group"] == "上年结转" and r["row_kind"] == "item"]
    carry_general = value(find_item(carry, "一般公共预算"), "total")
    carry_other = total(value(find_item(carry, p), "total") for p in ("政府性基金", "国有资本"))
    t5, t8 = total_row(ctx.doc["general_budget_expenditure"]), total_row(ctx.doc["fund_expenditure"])
    row = next((r for r in side(t4, "expenditure") if r["row_kind"] == "subtotal"), None)
    if row is not None:
        ctx.compare("fiscal_summary", row["item"], row["source_line"], f"{row['item']} 一般公共预算",
                    ("表4", row["general_budget"]), [("表5合计", value(t5, "total")), ("上年结转", carry_general)])
        ctx.compare("fiscal_summary", row["item"], row["source_line"], f"{row['item']} 政府性基金预算",
                    ("表4", row["fund_budget"]),
                    [("表8合计", value(t8, "total")), ("上年结转", value(find_item(carry, "政府性基金"), "total"))])
    if carry_other != 0 or not present(ctx, "income_by_subject"):
        return  # carry-over of other funds: the per-class split is not known
    t2, t5s, t8s = (classes(ctx.doc[r]) for r in ("income_by_subject", "general_budget_expenditure",
                                                  "fund_expenditure"))
    for line in expenditure_lines(t4):
        key = clean(line["item"])
        ctx.compare("fiscal_summary", line["item"], line["source_line"], f"{line['item']} 一般公共预算",
                    ("表4", line["general_budget"]),
                    [("表5", value(t5s.get(key), "total")), ("表2上年结转", value(t2.get(key), "carryover"))])
        ctx.compare("fiscal_summary", line["item"], line["source_line"], f"{line['item']} 政府性基金预算",
                    ("表4", line["fund_budget"]), [("表8", value(t8s.get(key), "total"))])


@rule("x.t6_t5", "error", "表6合计 = 表5基本支出", "table 6 total = table 5 basic expenditure")
def x_t6_t5(ctx: Ctx) -> None:
    if not present(ctx, "basic_expenditure_by_economic", "general_budget_expenditure"):
        return
    row = next((r for r in ctx.doc["basic_expenditure_by_economic"] if r["row_kind"] == "total"), None)
    head = total_row(ctx.doc["general_budget_expenditure"])
    if row is not None and head is not None:
        ctx.compare("basic_expenditure_by_economic", "合计", row["source_line"], "合计", ("表6", row["total"]),
                    [("表5基本支出", head["basic"])])


@rule("x.t11_t6", "warning", "表11机关运行经费不超过表6公用经费",
      "table 11 operating costs ≤ table 6 public costs")
def x_t11_t6(ctx: Ctx) -> None:
    if not present(ctx, "operating_costs", "basic_expenditure_by_economic"):
        return
    row = next((r for r in ctx.doc["operating_costs"] if r["row_kind"] == "total"), None)
    head = next((r for r in ctx.doc["basic_expenditure_by_economic"] if r["row_kind"] == "total"), None)
    if row is None or head is None or row["total"] is None:
        return
    ctx.checked += 1
    if row["total"] > (head["public"] or ZERO):
        ctx.add("warning", ctx.describe(row["unit"], f"表11 {fmt(row['total'])} > 表6公用经费 {fmt(head['public'])}"),
                "operating_costs", row["unit"], text(head["public"]), text(row["total"]), row["source_line"])


@rule("x.t12_t3", "error", "表12合计 = 表3项目支出 − 上年结转（表13）",
      "table 12 total = table 3 project expenditure − carry-over (table 13)")
def x_t12_t3(ctx: Ctx) -> None:
    """Table 3's 项目支出 covers this year's projects and the carried-over ones; table 12
    holds the first, table 13 the second (table 2's 上年结转 when table 13 is missing)."""
    head = department_total(ctx, "current")
    t3 = total_row(ctx.doc["expenditure_by_subject"])
    if head is None or t3 is None or t3["project"] is None:
        return  # 西安's table 3 prints no 项目支出 (x.t12_t5_t8 compares table 12 with table 5)
    if t12_carryover(ctx) is not None:  # table 12's 合计 holds the carry-over (深圳 上年结余、结转)
        ctx.compare("project_subtotals", "部门合计", head["source_line"], "表12部门合计", ("表12", head["total"]),
                    [("表3项目支出", t3["project"])])
        return
    carried = department_total(ctx, "carryover")
    carry = value(carried, "total") if carried else value(total_row(ctx.doc["income_by_subject"]), "carryover")
    source = "表13部门合计" if carried else "表2上年结转"
    ctx.compare("project_subtotals", "部门合计", head["source_line"], "表12部门合计", ("表12", head["total"]),
                [("表3项目支出", t3["project"]), (f"减{source}", -(carry or ZERO))])


@rule("x.t12_t5_t8", "error", "表12一般公共预算 = 表5项目支出；政府性基金 = 表8项目支出",
      "table 12 general budget = table 5 project; fund budget = table 8 project")
def x_t12_t5_t8(ctx: Ctx) -> None:
    head = department_total(ctx, "current")
    if head is None:
        return
    t5, t8 = total_row(ctx.doc["general_budget_expenditure"]), total_row(ctx.doc["fund_expenditure"])
    if not splits_printed([*ctx.doc["projects"], *ctx.doc["project_subtotals"]], PROJECT_MONEY[1:]):
        # table 12 prints one amount per project (西安 项目金额): all its funds together
        if t5 is not None or t8 is not None:
            ctx.compare("project_subtotals", "部门合计", head["source_line"], "表12部门合计",
                        ("表12", head["total"]),
                        [("表5项目支出", value(t5, "project")), ("表8项目支出", value(t8, "project"))])
        return
    if t5 is not None:
        ctx.compare("project_subtotals", "部门合计", head["source_line"], "表12部门合计 一般公共预算",
                    ("表12", head["general_budget"]), [("表5项目支出", t5["project"])])
    if t8 is not None or head["fund_budget"]:
        ctx.compare("project_subtotals", "部门合计", head["source_line"], "表12部门合计 政府性基金预算",
                    ("表12", head["fund_budget"]), [("表8项目支出", value(t8, "project"))])


@rule("x.t13_carryover", "error", "表13合计 = 表1、表2上年结转", "table 13 total = carry-over in tables 1 and 2")
def x_t13_carryover(ctx: Ctx) -> None:
    """Where table 13 is missing and table 12 prints a 上年结转 column (深圳 上年结余、结转),
    that column's total is the carry-over."""
    head = department_total(ctx, "carryover")
    t1 = find_item([r for r in side(ctx.doc["budget_summary"], "income") if r["row_kind"] == "item"], "^上年结转")
    t2 = total_row(ctx.doc["income_by_subject"])
    in_t12 = t12_carryover(ctx) if head is None else None
    if head is None and in_t12 is None and not (value(t1, "amount") or value(t2, "carryover")):
        return
    subject, actual = "表13部门合计", ("表13", value(head, "total"))
    line = head["source_line"] if head else None
    if in_t12 is not None:
        subject, actual, line = "表12上年结转", ("表12上年结转", in_t12[0]), in_t12[1]
    if t1 is not None:
        ctx.compare("project_subtotals", "部门合计", line, subject, actual, [("表1上年结转", t1["amount"])])
    if t2 is not None:
        ctx.compare("project_subtotals", "部门合计", line, subject, actual, [("表2上年结转", t2["carryover"])])


# ---------------------------------------------------------------- codes

CODED = ("income_by_subject", "expenditure_by_subject", "general_budget_expenditure", "fund_expenditure")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


@rule("code.shape", "error", "科目编码为3/5/7位，级次与位数一致", "codes have 3/5/7 digits matching their level")
def code_shape(ctx: Ctx) -> None:
    for resource in (*CODED, "fund_income", "state_capital"):
        for row in ctx.doc[resource]:
            if row["code"] is None:
                continue
            ctx.checked += 1
            level = {3: 1, 5: 2, 7: 3}.get(len(row["code"]))
            if not _CODE.match(row["code"]) or level != row["level"]:
                ctx.add("error", ctx.describe(subject(row), f"编码 {row['code']} 级次 {row['level']}"),
                        resource, row["code"], None, row["code"], row["source_line"])


@rule("code.parent", "warning", "每个款/项都有其上级科目", "every 款/项 has its parent in the same table")
def code_parent(ctx: Ctx) -> None:
    for resource in (*CODED, "fund_income", "state_capital"):
        for rows in _sides(ctx.doc[resource]):
            codes = {r["code"] for r in rows}
            for row in rows:
                parent = row["parent_code"]
                if not row["code"] or not parent:
                    continue
                ctx.checked += 1
                if parent not in codes or not row["code"].startswith(parent):
                    ctx.add("warning", ctx.describe(subject(row), f"上级科目 {parent} 不在表中"),
                            resource, row["code"], parent, None, row["source_line"])


@rule("code.name", "warning", "同一科目编码在表2、3、5、8中名称一致",
      "a code has the same name in tables 2, 3, 5 and 8")
def code_name(ctx: Ctx) -> None:
    first: dict[str, tuple[str, Row]] = {}
    for resource in ("expenditure_by_subject", "income_by_subject", "general_budget_expenditure",
                     "fund_expenditure"):
        for row in ctx.doc[resource]:
            if not row["code"]:
                continue
            if row["code"] not in first:
                first[row["code"]] = (resource, row)
                continue
            ctx.checked += 1
            origin, seen = first[row["code"]]
            if clean(seen["name"]) != clean(row["name"]):
                ctx.add("warning", ctx.describe(
                    row["code"], f"{row['name']}（{cited(resource)}第{row['source_line']}行）≠ {seen['name']}"
                    f"（{cited(origin)}第{seen['source_line']}行）"),
                    resource, row["code"], seen["name"], row["name"], row["source_line"])


# ---------------------------------------------------------------- tables the parser read as empty

def _t1_income(ctx: Ctx, pattern: str) -> Decimal | None:
    rows = [r for r in side(ctx.doc["budget_summary"], "income") if r["row_kind"] == "item"]
    return value(find_item(rows, pattern), "amount")


def _t1_total(ctx: Ctx) -> Decimal | None:
    return value(next((r for r in side(ctx.doc["budget_summary"], "income") if r["row_kind"] == "total"), None),
                 "amount")


def _t1_carryover_beyond_t12(ctx: Ctx) -> Decimal | None:
    """Table 1's 上年结转 less what table 12 prints in its own 上年结转 column (深圳): the part
    table 13 should hold."""
    amount = _t1_income(ctx, "^上年结转")
    in_t12 = t12_carryover(ctx)
    return amount if amount is None or in_t12 is None else amount - in_t12[0]


#: Per table: its resource (and kind), and what another table says it should hold.
EMPTY_EVIDENCE: dict[int, tuple[str, str | None, str, Callable[[Ctx], Decimal | None]]] = {
    2: ("income_by_subject", None, "表1收入总计", _t1_total),
    3: ("expenditure_by_subject", None, "表1收入总计", _t1_total),
    4: ("fiscal_summary", None, "表1一般公共预算", lambda c: _t1_income(c, "一般公共预算")),
    5: ("general_budget_expenditure", None, "表1一般公共预算", lambda c: _t1_income(c, "一般公共预算")),
    6: ("basic_expenditure_by_economic", None, "表5基本支出",
        lambda c: value(total_row(c.doc["general_budget_expenditure"]), "basic")),
    7: ("fund_income", None, "表1政府性基金预算", lambda c: _t1_income(c, "政府性基金")),
    8: ("fund_expenditure", None, "表1政府性基金预算", lambda c: _t1_income(c, "政府性基金")),
    9: ("state_capital", None, "表1国有资本经营预算", lambda c: _t1_income(c, "国有资本")),
    12: ("projects", "current", "表3项目支出",
         lambda c: value(total_row(c.doc["expenditure_by_subject"]), "project")),
    13: ("projects", "carryover", "表1上年结转", _t1_carryover_beyond_t12),
}


@rule("damaged.empty_table", "error", "表无数据行，但其他表列有其金额",
      "a table has no rows although another table states its amount")
def damaged_empty_table(ctx: Ctx) -> None:
    """A table read with no rows is fine when it prints 本表无数据 and the other tables agree
    (table 9 of the sample); when another table states an amount for it, rows were lost."""
    missing = ctx.doc.missing_tables()
    for no, (resource, kind, source, evidence) in EMPTY_EVIDENCE.items():
        if no in missing:
            continue
        rows = [r for r in ctx.doc[resource] if kind is None or r["kind"] == kind]
        if rows:
            continue
        amount = evidence(ctx)
        ctx.checked += 1
        if amount:
            ctx.add("error", ctx.describe(f"表{no}", f"无数据行，但{source}为 {fmt(amount)}"),
                    resource, f"表{no}", fmt(amount), None, None)
