"""Rules over the 项目支出绩效目标表 (performance_targets, indicators) against their projects.

Funds are in 元, table 12/13 amounts in 万元. A table's funds agree with its project when the
元 figure rounds to the printed 万元 figure (|difference| ≤ 50 元, half of 0.01 万元); a larger
difference is `rounding` up to the tolerance × 10000 and an error beyond. Projects without a
table and tables without a project are the linker's `link.*` findings and are not repeated.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

from budgettui.checks import TEN_THOUSAND, Ctx, Row, fmt, rule
from budgettui.tables import unit_key

#: 元 difference that is only the rounding of the 万元 figure (half of 0.01 万元).
HALF_CENT = Decimal(50)
SPLITS = {
    "total_funds": ("total_central", "total_provincial", "total_local", "total_self", "total_other"),
    "annual_funds": ("annual_central", "annual_provincial", "annual_local", "annual_self", "annual_other"),
}
SPLIT_NAMES = ("中央", "省级", "市县", "自筹", "其他")
#: Layouts that split the funds into 财政拨款 and 其他资金 instead.
FISCAL_SPLITS = {
    "total_funds": ("total_fiscal", "total_other"),
    "annual_funds": ("annual_fiscal", "annual_other"),
}
FISCAL_SPLIT_NAMES = ("财政拨款", "其他")
#: Units of a cost target that is an amount of money, and their value in 元.
MONEY_UNITS = {"元": Decimal(1), "万元": TEN_THOUSAND, "万": TEN_THOUSAND}
_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")


#: The columns of `indicators` these rules read (the others, `raw` above all, are not turned
#: into Python values).
INDICATOR_COLUMNS = ("perf_id", "period", "level1", "level2", "name", "value", "number", "value_unit",
                     "source_line")


def _indicators(ctx: Ctx) -> list[Row]:
    return ctx.doc.columns("indicators", INDICATOR_COLUMNS)


def _projects(ctx: Ctx) -> dict[str, Row]:
    return {p["project_id"]: p for p in ctx.doc["projects"]}


def _key(row: Row) -> str:
    return row["perf_id"]


@rule("target.annual_funds", "error", "年度资金总额 = 项目在表12/13的金额 × 10000",
      "annual funds (元) = the project's table 12/13 amount × 10000")
def target_annual_funds(ctx: Ctx) -> None:
    projects = _projects(ctx)
    for row in ctx.doc["performance_targets"]:
        project = projects.get(row["project_id"] or "")
        if project is None or row["annual_funds"] is None or project["total"] is None:
            continue  # unlinked (link.*) or no funds printed (perf.missing_funds)
        ctx.checked += 1
        expected = project["total"] * TEN_THOUSAND
        difference = row["annual_funds"] - expected
        if abs(difference) <= HALF_CENT:
            continue
        severity = ctx.severity_of(difference, TEN_THOUSAND)
        formula = (f"年度资金总额 {fmt(row['annual_funds'])} 元 ≠ {project['project_id']} 合计 "
                   f"{fmt(project['total'])} 万元 = {fmt(expected)} 元")
        ctx.add(severity or "error", ctx.describe(row["name"], formula), "performance_targets", _key(row),
                fmt(expected), fmt(row["annual_funds"]), row["source_line"])


@rule("target.funds_split", "error", "资金总额 = 各资金来源之和", "funds = sum of their sources")
def target_funds_split(ctx: Ctx) -> None:
    for row in ctx.doc["performance_targets"]:
        for column, parts in SPLITS.items():
            names = SPLIT_NAMES
            if row.get(FISCAL_SPLITS[column][0]) is not None:
                parts, names = FISCAL_SPLITS[column], FISCAL_SPLIT_NAMES
            if all(row[p] is None for p in parts):
                continue  # no split printed (the department tables, text targets): no sum
            name = "年度资金总额" if column == "annual_funds" else "实施期资金总额"
            ctx.compare("performance_targets", _key(row), row["source_line"], row["name"], (name, row[column]),
                        [(n, row[p]) for n, p in zip(names, parts, strict=True)], TEN_THOUSAND)


@rule("target.dept_code", "warning", "主管部门代码全文一致", "the department code is the same in every table")
def target_dept_code(ctx: Ctx) -> None:
    rows = [r for r in ctx.doc["performance_targets"] if r["dept_code"]]
    if not rows:
        return
    common, _ = Counter(r["dept_code"] for r in rows).most_common(1)[0]
    for row in rows:
        ctx.checked += 1
        if row["dept_code"] != common:
            ctx.add("warning", ctx.describe(row["name"], f"主管部门代码 {row['dept_code']} ≠ 其他表的 {common}"),
                    "performance_targets", _key(row), common, row["dept_code"], row["source_line"])


def publication_date(ctx: Ctx) -> tuple[date | None, int | None]:
    """The document's date: the last 情况说明 paragraph that is only a date (the signature
    of the closing 证明 or of the narrative), e.g. `2026 年 1 月 28 日`."""
    found: tuple[date | None, int | None] = (None, None)
    for row in ctx.doc["narrative"]:
        match = _DATE.match(row["text"]) if row["part"] == "情况说明" else None
        if match:
            try:
                found = (date(*(int(g) for g in match.groups())), row["source_line"])
            except ValueError:
                continue
    return found


def _year(ctx: Ctx) -> int | None:
    documents = ctx.doc["documents"]
    return documents[0]["year"] if documents else None


@rule("target.fill_date", "warning", "填报日期已填，且不晚于公开日期、不早于上一年",
      "the fill date is printed, not after publication and not before the previous year")
def target_fill_date(ctx: Ctx) -> None:
    """Upper bound: the document's date (the closing signature), else the end of the budget
    year; lower bound: 1 January of the year before the budget year (targets are filed in the
    autumn before)."""
    published, line = publication_date(ctx)
    year = _year(ctx)
    latest = published or (date(year, 12, 31) if year else None)
    bound = f"公开日期 {published.isoformat()}（第{line}行）" if published else f"预算年度末 {latest}"
    earliest = date(year - 1, 1, 1) if year and year > 1 else None
    for row in ctx.doc["performance_targets"]:
        ctx.checked += 1
        when, printed = row["fill_date"], row["fill_time"]
        if when is None and printed:
            continue  # not a real date: the parser's perf.bad_fill_date
        if when is None and row.get("layout") not in (None, "two_period"):
            continue  # the single-period and wide templates have no 填报日期 to print
        if when is None:
            ctx.add("warning", ctx.describe(row["name"], "未印填报日期"),
                    "performance_targets", _key(row), None, None, row["last_line"] or row["source_line"])
        elif latest and when > latest:
            ctx.add("warning", ctx.describe(row["name"], f"填报日期 {when.isoformat()} 晚于{bound}"),
                    "performance_targets", _key(row), text_date(latest), when.isoformat(),
                    row["last_line"] or row["source_line"])
        elif earliest and when < earliest:
            ctx.add("warning", ctx.describe(row["name"], f"填报日期 {when.isoformat()} 早于 {earliest}"),
                    "performance_targets", _key(row), text_date(earliest), when.isoformat(),
                    row["last_line"] or row["source_line"])


def text_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def is_cost(indicator: Row) -> bool:
    """An indicator under 成本指标 (2015: level 2; 2021: level 1, e.g. 经济成本指标)."""
    return "成本" in (indicator["level1"] or "") or "成本" in (indicator["level2"] or "")


def _budget(target: Row, period: str, project: Row | None) -> tuple[Decimal | None, str]:
    """The funds a cost target of `period` is bounded by (元), and what they are."""
    first, second = ("total_funds", "annual_funds") if period == "implementation" else ("annual_funds",
                                                                                      "total_funds")
    for column in (first, second):
        if target[column] is not None:
            return target[column], "实施期资金总额" if column == "total_funds" else "年度资金总额"
    if project is not None and project["total"] is not None:
        return project["total"] * TEN_THOUSAND, f"{project['project_id']} 合计"
    return None, ""


@rule("target.cost_above_budget", "warning", "成本指标金额不超过项目资金",
      "a cost target (万元/元) is not above the project's funds")
def target_cost_above_budget(ctx: Ctx) -> None:
    """A money cost target (`≤22万元`, `144万元`, `≤85000元`; not rates such as `元/人`) above
    the funds of its period. Reported once per table and indicator when both periods agree."""
    targets = {t["perf_id"]: t for t in ctx.doc["performance_targets"]}
    projects = _projects(ctx)
    reported: set[tuple[str, str, Decimal]] = set()
    for indicator in _indicators(ctx):
        factor = MONEY_UNITS.get(indicator["value_unit"] or "")
        target = targets.get(indicator["perf_id"])
        if not is_cost(indicator) or factor is None or indicator["number"] is None or target is None:
            continue
        ctx.checked += 1
        cost = indicator["number"] * factor
        funds, what = _budget(target, indicator["period"], projects.get(target["project_id"] or ""))
        key = (indicator["perf_id"], indicator["name"] or "", cost)
        if funds is None or cost <= funds or key in reported:
            continue
        reported.add(key)
        ctx.add("warning", ctx.describe(
            f"{target['name']} 「{indicator['name']}」",
            f"{indicator['value']} = {fmt(cost.normalize())} 元 > {what} {fmt(funds)} 元"),
            "performance_targets", indicator["perf_id"], fmt(funds), fmt(cost.quantize(Decimal("0.01"))),
            indicator["source_line"])


@rule("target.period_mismatch", "warning", "同一指标的实施期与年度指标值一致（两期资金相同时）",
      "the same indicator has the same value in both periods (when both periods' funds agree)")
def target_period_mismatch(ctx: Ctx) -> None:
    """Compared only for tables whose implementation and annual funds are equal (a one-year
    or a constant project), indicators matched by name; an empty value is perf.missing_value."""
    targets = {t["perf_id"]: t for t in ctx.doc["performance_targets"]}
    halves: dict[tuple[str, str], dict[str, Row]] = {}
    for indicator in _indicators(ctx):
        if indicator["name"] and indicator["value"]:
            halves.setdefault((indicator["perf_id"], indicator["name"]), {}).setdefault(
                indicator["period"], indicator)
    for (perf_id, name), periods in halves.items():
        target = targets.get(perf_id)
        if len(periods) < 2 or target is None or target["total_funds"] != target["annual_funds"]:
            continue
        ctx.checked += 1
        first, second = periods["implementation"], periods["annual"]
        if _norm(first["value"]) != _norm(second["value"]):
            ctx.add("warning", ctx.describe(f"{target['name']} 「{name}」",
                                            f"实施期 {first['value']} ≠ 年度 {second['value']}"),
                    "performance_targets", perf_id, first["value"], second["value"], second["source_line"])


_SPACE = re.compile(r"\s+")


def _norm(value: str) -> str:
    if " " in value or not value.isprintable():  # else no whitespace (as performance.clean_text)
        value = _SPACE.sub("", value)
    return value.replace("％", "%")


@rule("target.unit", "warning", "实施单位与项目所属单位一致", "the implementing unit is the project's unit")
def target_unit(ctx: Ctx) -> None:
    projects = _projects(ctx)
    department = _department(ctx)
    units = [unit_key(u["name"]) for u in ctx.doc["units"]]
    for row in ctx.doc["performance_targets"]:
        project = projects.get(row["project_id"] or "")
        if project is None or not row["unit"] or not project["unit"]:
            continue
        ctx.checked += 1
        unit, owner = unit_key(row["unit"]), unit_key(project["unit"])
        if unit != owner and not (owner == department and _of_department(unit, department, units)):
            ctx.add("warning", ctx.describe(row["name"], f"实施单位 {row['unit']} ≠ 表12/13单位 {project['unit']}"),
                    "performance_targets", _key(row), project["unit"], row["unit"], row["source_line"])


def _of_department(unit: str, department: str, units: list[str]) -> bool:
    """Whether an implementing unit is the department (`…本级`) or one of its units: where table
    12 prints no unit column (烟台), a project is the department's, and 实施单位 may name any
    unit that 机构设置 lists (its cell maybe cut short: `烟台市链长制服务中心（烟台市重点产业发展促`)."""
    if unit.removesuffix("本级") == department:
        return True
    return any(unit == known or (len(unit) >= 8 and known.startswith(unit)) for known in units)


def _department(ctx: Ctx) -> str:
    documents = ctx.doc["documents"]
    return unit_key(documents[0]["department"] or "") if documents else ""

