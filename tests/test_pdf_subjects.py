"""Table 3 (预算支出总表) of every test PDF that prints one, row by row, as read off the page.

Amounts are in 万元; a table printed in 元 (上海, 西安) is pinned as the printed 元 / 10000,
exactly. A cell the page leaves empty is None; a printed 0.00 is 0. Each template family is
here: 类/款/项 code columns (烟台, 长沙, 上海 `208 05 02`), a 预算单位 column with its unit row
as the 合计 (深圳), the 合计 row at the bottom (上海), a table continued over pages with its
header printed again (深圳, 烟台, 上海), columns that fit no resource column (广州, 深圳, 无锡),
and a table printed by unit rather than by subject (西安 2021: only its 合计 row is a row).
"""

from __future__ import annotations

from decimal import Decimal as D
from functools import cache
from pathlib import Path

import pytest

import budgettui

PDFS = Path(__file__).parent / "pdfs"

#: file → (source_page of the first row, [(code, name, total, basic, project), …]).
EXPECTED: dict[str, tuple[int, list[tuple[str | None, str, D | None, D | None, D | None]]]] = {
    "changsha-zhijiao-2026.pdf": (14, [
        (None, "合计", D("656.73"), D("386.73"), D("270")),
        ("205", "教育支出", D("656.73"), D("386.73"), D("270")),
        ("20503", "职业教育", D("656.73"), D("386.73"), D("270")),
        ("2050399", "其他职业教育支出", D("656.73"), D("386.73"), D("270")),
    ]),
    "fuzhou-zhian-2026.pdf": (10, [
        (None, "合计", D("2796.14"), D("2507.88"), D("288.26")),
        ("204", "公共安全支出", D("1994.64"), D("1706.38"), D("288.26")),
        ("20402", "公安", D("1994.64"), D("1706.38"), D("288.26")),
        ("2040201", "行政运行", D("1706.38"), D("1706.38"), None),
        ("2040202", "一般行政管理事务", D("56.23"), None, D("56.23")),
        ("2040220", "执法办案", D("90"), None, D("90")),
        ("2040299", "其他公安支出", D("142.03"), None, D("142.03")),
        ("208", "社会保障和就业支出", D("510.8"), D("510.8"), None),
        ("20805", "行政事业单位养老支出", D("510.8"), D("510.8"), None),
        ("2080501", "行政单位离退休", D("227.72"), D("227.72"), None),
        ("2080505", "机关事业单位基本养老保险缴费支出", D("188.72"), D("188.72"), None),
        ("2080506", "机关事业单位职业年金缴费支出", D("94.36"), D("94.36"), None),
        ("221", "住房保障支出", D("290.7"), D("290.7"), None),
        ("22102", "住房改革支出", D("290.7"), D("290.7"), None),
        ("2210201", "住房公积金", D("172.56"), D("172.56"), None),
        ("2210202", "提租补贴", D("33.14"), D("33.14"), None),
        ("2210203", "购房补贴", D("85"), D("85"), None),
    ]),
    "guangzhou-xinfang-2026.pdf": (8, [
        (None, "合计", D("3944.08"), D("3204.78"), D("739.3")),
        ("201", "一般公共服务支出", D("2570.71"), D("1831.41"), D("739.3")),
        ("20140", "信访事务", D("2570.71"), D("1831.41"), D("739.3")),
        ("2014001", "行政运行", D("1859.41"), D("1831.41"), D("28")),
        ("2014004", "信访业务", D("397.28"), D("0"), D("397.28")),
        ("2014099", "其他信访事务支出", D("314.02"), D("0"), D("314.02")),
        ("208", "社会保障和就业支出", D("419.35"), D("419.35"), D("0")),
        ("20805", "行政事业单位养老支出", D("419.35"), D("419.35"), D("0")),
        ("2080501", "行政单位离退休", D("123.54"), D("123.54"), D("0")),
        ("2080505", "机关事业单位基本养老保险缴费支出", D("199.06"), D("199.06"), D("0")),
        ("2080506", "机关事业单位职业年金缴费支出", D("96.76"), D("96.76"), D("0")),
        ("210", "卫生健康支出", D("3.97"), D("3.97"), D("0")),
        ("21007", "计划生育事务", D("3.97"), D("3.97"), D("0")),
        ("2100799", "其他计划生育事务支出", D("3.97"), D("3.97"), D("0")),
        ("221", "住房保障支出", D("950.05"), D("950.05"), D("0")),
        ("22102", "住房改革支出", D("950.05"), D("950.05"), D("0")),
        ("2210201", "住房公积金", D("210.99"), D("210.99"), D("0")),
        ("2210203", "购房补贴", D("739.06"), D("739.06"), D("0")),
    ]),
    "shanghai-haiyang-2026.pdf": (10, [
        ("208", "社会保障和就业支出", D("319.688"), D("319.688"), None),
        ("20805", "行政事业单位养老支出", D("319.688"), D("319.688"), None),
        ("2080502", "事业单位离退休", D("36.048"), D("36.048"), None),
        ("2080505", "机关事业单位基本养老保险缴费支出", D("188.7467"), D("188.7467"), None),
        ("2080506", "机关事业单位职业年金缴费支出", D("94.3733"), D("94.3733"), None),
        ("2080599", "其他行政事业单位养老支出", D("0.52"), D("0.52"), None),
        ("210", "卫生健康支出", D("106.17"), D("106.17"), None),
        ("21011", "行政事业单位医疗", D("106.17"), D("106.17"), None),
        ("2101102", "事业单位医疗", D("106.17"), D("106.17"), None),
        ("220", "自然资源海洋气象等支出", D("17528.1837"), D("1959.2362"), D("15568.9475")),
        ("22001", "自然资源事务", D("17528.1837"), D("1959.2362"), D("15568.9475")),
        ("2200128", "海洋战略规划与预警监测", D("15300.3229"), None, D("15300.3229")),
        ("2200150", "事业运行", D("2227.8608"), D("1959.2362"), D("268.6246")),
        ("221", "住房保障支出", D("82.5766"), D("82.5766"), None),
        ("22102", "住房改革支出", D("82.5766"), D("82.5766"), None),
        ("2210201", "住房公积金", D("82.5766"), D("82.5766"), None),
        (None, "合计", D("18036.6183"), D("2467.6708"), D("15568.9475")),
    ]),
    "shanghai-shuichan-2026.pdf": (9, [
        ("208", "社会保障和就业支出", D("4.034"), D("4.034"), None),
        ("20805", "行政事业单位养老支出", D("4.034"), D("4.034"), None),
        ("2080502", "事业单位离退休", D("3.954"), D("3.954"), None),
        ("2080599", "其他行政事业单位养老支出", D("0.08"), D("0.08"), None),
        ("213", "农林水支出", D("82.5956"), D("75.989"), D("6.6066")),
        ("21301", "农业农村", D("82.5956"), D("75.989"), D("6.6066")),
        ("2130199", "其他农业农村支出", D("82.5956"), D("75.989"), D("6.6066")),
        (None, "合计", D("86.6296"), D("80.023"), D("6.6066")),
    ]),
    "shenzhen-xinfang-2026.pdf": (18, [
        (None, "合计", D("4684.3"), D("3072.01"), D("1612.29")),
        ("201", "一般公共服务支出", D("3459.13"), D("1866.84"), D("1592.29")),
        ("20140", "信访事务", D("3459.13"), D("1866.84"), D("1592.29")),
        ("2014001", "行政运行", D("1866.84"), D("1866.84"), D("0")),
        ("2014004", "信访业务", D("1592.29"), D("0"), D("1592.29")),
        ("205", "教育支出", D("20"), D("0"), D("20")),
        ("20508", "进修及培训", D("20"), D("0"), D("20")),
        ("2050803", "培训支出", D("20"), D("0"), D("20")),
        ("208", "社会保障和就业支出", D("367.54"), D("367.54"), D("0")),
        ("20805", "行政事业单位养老支出", D("367.54"), D("367.54"), D("0")),
        ("2080501", "行政单位离退休", D("78.73"), D("78.73"), D("0")),
        ("2080505", "机关事业单位基本养老保险缴费支出", D("201.65"), D("201.65"), D("0")),
        ("2080506", "机关事业单位职业年金缴费支出", D("87.16"), D("87.16"), D("0")),
        ("210", "卫生健康支出", D("84.39"), D("84.39"), D("0")),
        ("21011", "行政事业单位医疗", D("84.39"), D("84.39"), D("0")),
        ("2101101", "行政单位医疗", D("84.39"), D("84.39"), D("0")),
        ("221", "住房保障支出", D("753.24"), D("753.24"), D("0")),
        ("22102", "住房改革支出", D("753.24"), D("753.24"), D("0")),
        ("2210201", "住房公积金", D("199.91"), D("199.91"), D("0")),
        ("2210203", "购房补贴", D("553.33"), D("553.33"), D("0")),
    ]),
    "wuxi-yingji-zhifa-2026.pdf": (8, [
        (None, "合计", D("1136.23"), D("1136.23"), None),
        ("208", "社会保障和就业支出", D("135.06"), D("135.06"), None),
        ("20805", "行政事业单位养老支出", D("135.06"), D("135.06"), None),
        ("2080505", "机关事业单位基本养老保险缴费支出", D("90.04"), D("90.04"), None),
        ("2080506", "机关事业单位职业年金缴费支出", D("45.02"), D("45.02"), None),
        ("210", "卫生健康支出", D("39.39"), D("39.39"), None),
        ("21011", "行政事业单位医疗", D("39.39"), D("39.39"), None),
        ("2101101", "行政单位医疗", D("39.39"), D("39.39"), None),
        ("221", "住房保障支出", D("252.82"), D("252.82"), None),
        ("22102", "住房改革支出", D("252.82"), D("252.82"), None),
        ("2210201", "住房公积金", D("80.42"), D("80.42"), None),
        ("2210202", "提租补贴", D("68.96"), D("68.96"), None),
        ("2210203", "购房补贴", D("103.44"), D("103.44"), None),
        ("224", "灾害防治及应急管理支出", D("708.96"), D("708.96"), None),
        ("22401", "应急管理事务", D("708.96"), D("708.96"), None),
        ("2240101", "行政运行", D("708.96"), D("708.96"), None),
    ]),
    "xian-xuanchuan-2021.pdf": (20, [
        (None, "合计", D("25859.600179"), None, None),
    ]),
    "yantai-shenji-2026.pdf": (11, [
        (None, "合计", D("3558.35"), D("2776.85"), D("781.5")),
        ("201", "一般公共服务支出", D("2731.79"), D("1950.29"), D("781.5")),
        ("20108", "审计事务", D("2731.79"), D("1950.29"), D("781.5")),
        ("2010801", "行政运行", D("1535.85"), D("1535.85"), None),
        ("2010804", "审计业务", D("592.5"), None, D("592.5")),
        ("2010850", "事业运行", D("414.44"), D("414.44"), None),
        ("2010899", "其他审计事务支出", D("189"), None, D("189")),
        ("208", "社会保障和就业支出", D("469.9"), D("469.9"), None),
        ("20805", "行政事业单位养老支出", D("469.9"), D("469.9"), None),
        ("2080501", "行政单位离退休", D("199.48"), D("199.48"), None),
        ("2080502", "事业单位离退休", D("4.69"), D("4.69"), None),
        ("2080505", "机关事业单位基本养老保险缴费支出", D("221.01"), D("221.01"), None),
        ("2080506", "机关事业单位职业年金缴费支出", D("43.5"), D("43.5"), None),
        ("2080599", "其他行政事业单位养老支出", D("1.22"), D("1.22"), None),
        ("210", "卫生健康支出", D("151.8"), D("151.8"), None),
        ("21011", "行政事业单位医疗", D("151.8"), D("151.8"), None),
        ("2101101", "行政单位医疗", D("78.51"), D("78.51"), None),
        ("2101102", "事业单位医疗", D("22.75"), D("22.75"), None),
        ("2101103", "公务员医疗补助", D("42.86"), D("42.86"), None),
        ("2101199", "其他行政事业单位医疗支出", D("7.67"), D("7.67"), None),
        ("221", "住房保障支出", D("204.86"), D("204.86"), None),
        ("22102", "住房改革支出", D("204.86"), D("204.86"), None),
        ("2210201", "住房公积金", D("204.86"), D("204.86"), None),
    ]),
}


@cache
def _load(name: str) -> budgettui.Budget:
    return budgettui.load(PDFS / name)


def _rows(name: str) -> list[tuple]:
    frame = _load(name)["expenditure_by_subject"]
    return [(r["code"], r["name"], r["total"], r["basic"], r["project"]) for r in frame.iter_rows(named=True)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_table3_every_row_as_printed(name: str) -> None:
    page, expected = EXPECTED[name]
    rows = _rows(name)
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert got == want
        # exact: 0 and None differ, and so do 319.688 and 319.69
        assert [v is None for v in got[2:]] == [v is None for v in want[2:]]
    assert _load(name)["expenditure_by_subject"]["source_page"][0] == page


def test_every_test_pdf_that_prints_table_3_is_pinned() -> None:
    printed = {p.name for p in PDFS.glob("*.pdf") if _load(p.name)["expenditure_by_subject"].height}
    assert printed == set(EXPECTED)
    assert _load("beijing-xinfang-2026.pdf")["expenditure_by_subject"].height == 0  # 情况说明 only


def test_total_row_of_a_continued_table_counted_once() -> None:
    """深圳 prints table 3 over three pages (header again on each); one 合计 row, the unit row."""
    frame = _load("shenzhen-xinfang-2026.pdf")["expenditure_by_subject"]
    assert frame.filter(frame["code"].is_null()).height == 1


def test_columns_that_fit_no_resource_column_are_findings() -> None:
    findings = _load("shenzhen-xinfang-2026.pdf").parsed_findings
    unmapped = findings.filter((findings["rule"] == "parse.unmapped_column")
                               & (findings["resource"] == "expenditure_by_subject"))
    assert {"事业单位经营支出", "对附属单位补助支出", "上缴上级支出"} <= set(unmapped["key"].to_list())


def test_a_table_by_unit_keeps_its_total_and_reports_its_unit_rows() -> None:
    budget = _load("xian-xuanchuan-2021.pdf")
    findings = budget.parsed_findings
    units = findings.filter((findings["rule"] == "parse.unit_row")
                            & (findings["resource"] == "expenditure_by_subject"))
    assert units.height == 3  # 201, 201001, 201002: unit codes, not subject codes
    income = budget["income_by_subject"].row(0, named=True)
    assert (income["total"], income["general_budget"], income["fund_budget"]) == (
        D("25859.600179"), D("25859.600179"), D("0"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_subject_identities_of_table_3_hold_on_every_test_pdf(name: str) -> None:
    """Row sums, 类/款 = children and 合计 = 类 hold wherever the page prints the parts."""
    from budgettui.audit import check_budget

    report = check_budget(_load(name), only=["t3.row_sum", "t3.child_sum", "t3.total_sum"])
    broken = [f for f in report.findings if f["severity"] == "error"]
    # (西安's table 3 is printed by fund source, without 基本/项目 columns: it has no row sums)
    assert broken == []


def _first(name: str, resource: str) -> dict:
    return _load(name)[resource].row(0, named=True)


def test_income_columns_mapped_by_header_words() -> None:
    """深圳 table 2: one unit row (its 合计), 上年结余、结转 as carry-over; 烟台: 其他收入 is unit
    funds and the 财政拨款收入 小计 fits no column (a subtotal of the columns beside it)."""
    shenzhen = _first("shenzhen-xinfang-2026.pdf", "income_by_subject")
    assert (shenzhen["code"], shenzhen["total"], shenzhen["general_budget"], shenzhen["carryover"]) == (
        None, D("4684.30"), D("4676.96"), D("7.34"))
    yantai = _first("yantai-shenji-2026.pdf", "income_by_subject")
    assert (yantai["total"], yantai["general_budget"], yantai["unit_funds"], yantai["fund_budget"]) == (
        D("3558.35"), D("2776.75"), D("781.60"), None)
    findings = _load("yantai-shenji-2026.pdf").parsed_findings
    assert "财政拨款收入/小计" in findings.filter(findings["rule"] == "parse.unmapped_column")["key"].to_list()


def test_basic_is_the_subtotal_of_its_group() -> None:
    """无锡 table 5 prints 基本支出 over 小计 | 人员经费 | 公用经费: 基本支出 is the 小计."""
    row = _first("wuxi-yingji-zhifa-2026.pdf", "general_budget_expenditure")
    assert (row["code"], row["total"], row["basic"], row["project"]) == (None, D("1136.23"), D("1136.23"), None)


def test_one_sided_state_capital_table_is_expenditure() -> None:
    """广州 prints 国有资本经营预算支出情况表 (expenditure only, 小计 | 基本支出 | 项目支出)."""
    frame = _load("guangzhou-xinfang-2026.pdf")["state_capital"]
    assert frame.select("side", "code", "total", "basic", "project").rows() == [
        ("expenditure", None, D("0"), D("0"), D("0"))]


def test_rows_end_at_the_note_under_the_table() -> None:
    """福州 prints the economic table right after table 9's note: none of its rows are table 9's."""
    budget = _load("fuzhou-zhian-2026.pdf")
    assert budget["state_capital"]["code"].to_list() == [None]
    findings = budget.parsed_findings
    assert findings.filter(findings["rule"] == "parse.lines_after_table").is_empty()
    # its part heading (`第二部分` over `2026年度单位预算表`) says tables follow: the economic table
    # is a table of its own, kept in budget_lines, not lines after table 9
    tables = budget["source_tables"]
    assert tables.filter(tables["status"] == "unmapped").select("title", "rows").rows() == [
        ("2026年度一般公共预算支出经济分类情况表", 11)]


def _parse(no: int, *lines: str) -> tuple[list[dict], list[dict]]:
    from budgettui.segment import TableSection
    from budgettui.sources import Line
    from budgettui.tables import PARSERS, Context, split_table

    section = TableSection(no, "支出总表", 2026, 1, [Line(i + 2, t) for i, t in enumerate(lines)])
    ctx = Context("t")
    return PARSERS[no][1](ctx, split_table(section)), ctx.findings


def test_names_without_codes_resolve_under_their_enclosing_class() -> None:
    rows, findings = _parse(
        3,
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "合计\t\t10.00\t10.00\t",
        "201\t一般公共服务支出\t10.00\t10.00\t",
        "20140\t信访事务\t10.00\t10.00\t",
        "\t行政运行\t7.00\t7.00\t",
        "\t不存在的科目\t3.00\t3.00\t",
    )
    assert [(r["code"], r["name"], r["total"]) for r in rows] == [
        (None, "合计", D("10.00")), ("201", "一般公共服务支出", D("10.00")), ("20140", "信访事务", D("10.00")),
        ("2014001", "行政运行", D("7.00"))]
    unresolved = [f for f in findings if f["rule"] == "parse.unresolved_subject"]
    assert [(f["key"], f["severity"], f["source_line"]) for f in unresolved] == [("不存在的科目", "warning", 7)]


def test_a_total_printed_on_every_page_counts_once_and_codes_may_be_glued_or_spaced() -> None:
    rows, findings = _parse(
        5,
        "功能科目名称\t小计\t基本支出\t项目支出",
        "合计\t5.00\t5.00\t0.00",
        "[208]社会保障和就业支出\t5.00\t5.00\t0.00",
        "合计\t5.00\t5.00\t0.00",
        "208 05 行政事业单位养老支出\t5.00\t5.00\t0.00",
    )
    assert [(r["code"], r["total"], r["basic"], r["project"]) for r in rows] == [
        (None, D("5.00"), D("5.00"), D("0.00")), ("208", D("5.00"), D("5.00"), D("0.00")),
        ("20805", D("5.00"), D("5.00"), D("0.00"))]
    assert [f["rule"] for f in findings if f["rule"] == "parse.repeated_total"] == ["parse.repeated_total"]
