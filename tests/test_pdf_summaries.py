"""Tables 1 (预算收支总表) and 4 (财政拨款收支总表) read from the real PDFs of tests/pdfs/.

Every value is read off the printed page, in 万元 (a table in 元: the printed value / 10000),
with the page it is printed on. 北京's disclosure prints no tables and is not here.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

import budgettui
from budgettui.audit import check_budget

PDFS = Path(__file__).parent / "pdfs"

#: Per file: (resource, side, item as printed, spaces removed) → (row_kind, amount, page).
PRINTED: dict[str, dict[tuple[str, str, str], tuple[str, Decimal, int]]] = {
    "shanghai-haiyang-2026": {  # 元; no 本年收入合计 / 本年支出合计 rows are printed
        ("budget_summary", "income", "一、财政拨款收入"): ("group", Decimal("17883.0483"), 7),
        ("budget_summary", "income", "1、一般公共预算"): ("item", Decimal("17883.0483"), 7),
        ("budget_summary", "income", "收入总计"): ("total", Decimal("18036.6183"), 7),
        ("budget_summary", "expenditure", "三、自然资源海洋气象等支出"): ("item", Decimal("17528.1837"), 7),
        ("budget_summary", "expenditure", "支出总计"): ("total", Decimal("18036.6183"), 7),
        ("fiscal_summary", "income", "收入总计"): ("total", Decimal("17883.0483"), 12),
        ("fiscal_summary", "expenditure", "支出总计"): ("total", Decimal("17883.0483"), 12),
    },
    "shanghai-shuichan-2026": {  # 元
        ("budget_summary", "income", "收入总计"): ("total", Decimal("86.6296"), 7),
        ("budget_summary", "expenditure", "支出总计"): ("total", Decimal("86.6296"), 7),
        ("fiscal_summary", "income", "收入总计"): ("total", Decimal("86.6296"), 10),
        ("fiscal_summary", "expenditure", "支出总计"): ("total", Decimal("86.6296"), 10),
    },
    "shenzhen-xinfang-2026": {
        ("budget_summary", "income", "本年收入合计"): ("subtotal", Decimal("4676.96"), 16),
        ("budget_summary", "income", "上年结余、结转"): ("group", Decimal("7.34"), 16),
        ("budget_summary", "income", "收入总计"): ("total", Decimal("4684.30"), 16),
        ("budget_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("4684.30"), 16),
        ("budget_summary", "expenditure", "支出总计"): ("total", Decimal("4684.30"), 16),
        ("fiscal_summary", "income", "本年收入合计"): ("subtotal", Decimal("4676.96"), 25),
        ("fiscal_summary", "income", "上年结余、结转"): ("subtotal", Decimal("7.34"), 25),
        ("fiscal_summary", "income", "收入总计"): ("total", Decimal("4684.30"), 25),
        ("fiscal_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("4684.30"), 25),
        ("fiscal_summary", "expenditure", "支出总计"): ("total", Decimal("4684.30"), 25),
    },
    "wuxi-yingji-zhifa-2026": {
        ("budget_summary", "income", "本年收入合计"): ("subtotal", Decimal("1136.23"), 6),
        ("budget_summary", "income", "收入总计"): ("total", Decimal("1136.23"), 6),
        ("budget_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("1136.23"), 6),
        ("budget_summary", "expenditure", "支出总计"): ("total", Decimal("1136.23"), 6),
        ("fiscal_summary", "income", "一、本年收入"): ("subtotal", Decimal("1136.23"), 9),
        ("fiscal_summary", "income", "收入总计"): ("total", Decimal("1136.23"), 10),
        ("fiscal_summary", "expenditure", "一、本年支出"): ("subtotal", Decimal("1136.23"), 9),
        ("fiscal_summary", "expenditure", "（二十三）灾害防治及应急管理支出"): ("item", Decimal("708.96"), 10),
        ("fiscal_summary", "expenditure", "支出总计"): ("total", Decimal("1136.23"), 10),
    },
    "guangzhou-xinfang-2026": {
        ("budget_summary", "income", "本年收入合计"): ("subtotal", Decimal("3944.08"), 6),
        ("budget_summary", "income", "收入总计"): ("total", Decimal("3944.08"), 6),
        ("budget_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("3944.08"), 6),
        ("budget_summary", "expenditure", "支出总计"): ("total", Decimal("3944.08"), 6),
        ("fiscal_summary", "income", "本年收入合计"): ("subtotal", Decimal("3944.08"), 10),
        ("fiscal_summary", "income", "收入总计"): ("total", Decimal("3944.08"), 10),
        ("fiscal_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("3944.08"), 10),
        ("fiscal_summary", "expenditure", "支出总计"): ("total", Decimal("3944.08"), 10),
    },
    "fuzhou-zhian-2026": {  # the grand totals are printed 收入合计 / 支出合计
        ("budget_summary", "income", "本年收入合计"): ("subtotal", Decimal("2796.14"), 8),
        ("budget_summary", "income", "收入合计"): ("total", Decimal("2796.14"), 8),
        ("budget_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("2796.14"), 8),
        ("budget_summary", "expenditure", "支出合计"): ("total", Decimal("2796.14"), 8),
        ("fiscal_summary", "income", "收入合计"): ("total", Decimal("2796.14"), 11),
        ("fiscal_summary", "expenditure", "支出合计"): ("total", Decimal("2796.14"), 11),
    },
    "changsha-zhijiao-2026": {  # labels printed spaced: 本 年 收 入 合 计
        ("budget_summary", "income", "本年收入合计"): ("subtotal", Decimal("656.73"), 12),
        ("budget_summary", "income", "收入总计"): ("total", Decimal("656.73"), 12),
        ("budget_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("656.73"), 12),
        ("budget_summary", "expenditure", "支出总计"): ("total", Decimal("656.73"), 12),
        ("fiscal_summary", "income", "一、本年收入"): ("subtotal", Decimal("656.73"), 15),
        ("fiscal_summary", "income", "收入总计"): ("total", Decimal("656.73"), 16),
        ("fiscal_summary", "expenditure", "一、本年支出"): ("subtotal", Decimal("656.73"), 15),
        ("fiscal_summary", "expenditure", "支出总计"): ("total", Decimal("656.73"), 16),
    },
    "xian-xuanchuan-2021": {  # 元
        ("budget_summary", "income", "本年收入合计"): ("subtotal", Decimal("25859.600179"), 18),
        ("budget_summary", "income", "收入总计"): ("total", Decimal("25859.600179"), 18),
        ("budget_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("25859.600179"), 18),
        ("budget_summary", "expenditure", "7、文化旅游体育与传媒支出"): ("item", Decimal("20338.16"), 16),
        ("budget_summary", "expenditure", "支出总计"): ("total", Decimal("25859.600179"), 18),
        ("fiscal_summary", "income", "本年收入合计"): ("subtotal", Decimal("25859.600179"), 23),
        ("fiscal_summary", "income", "收入总计"): ("total", Decimal("25859.600179"), 23),
        ("fiscal_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("25859.600179"), 23),
        ("fiscal_summary", "expenditure", "支出总计"): ("total", Decimal("25859.600179"), 23),
    },
    "yantai-shenji-2026": {
        ("budget_summary", "income", "一、财政拨款收入"): ("group", Decimal("2776.75"), 8),
        ("budget_summary", "income", "五、其他收入"): ("item", Decimal("781.60"), 8),
        ("budget_summary", "income", "本年收入合计"): ("subtotal", Decimal("3558.35"), 8),
        ("budget_summary", "income", "收入总计"): ("total", Decimal("3558.35"), 8),
        ("budget_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("3558.35"), 8),
        ("budget_summary", "expenditure", "支出总计"): ("total", Decimal("3558.35"), 8),
        ("fiscal_summary", "income", "本年收入合计"): ("subtotal", Decimal("2776.75"), 14),
        ("fiscal_summary", "income", "收入总计"): ("total", Decimal("2776.75"), 14),
        ("fiscal_summary", "expenditure", "本年支出合计"): ("subtotal", Decimal("2776.75"), 14),
        ("fiscal_summary", "expenditure", "支出总计"): ("total", Decimal("2776.75"), 14),
    },
}

#: The rules over tables 1 and 4 (and table 4 against tables 1, 5 and 8).
SUMMARY_RULES = ("t1.balance", "t1.income_sum", "t1.expenditure_sum", "t1.row_split", "t4.balance",
                 "t4.income_sum", "t4.expenditure_sum", "t4.row_sum", "x.t4_t1", "x.t4_t5")


@functools.cache
def loaded(name: str) -> budgettui.Budget:
    return budgettui.load(PDFS / f"{name}.pdf")


def value_column(resource: str) -> str:
    return "amount" if resource == "budget_summary" else "total"


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_totals_and_subtotals_as_printed(name):
    budget = loaded(name)
    for (resource, side, item), (kind, amount, page) in PRINTED[name].items():
        rows = budget[resource].filter((pl.col("side") == side) & (pl.col("item") == item))
        assert rows.height == 1, (resource, side, item, budget[resource]["item"].to_list())
        row = rows.row(0, named=True)
        assert (row["row_kind"], row[value_column(resource)], row["source_page"]) == (kind, amount, page), (
            resource, side, item)


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_one_total_per_side(name):
    budget = loaded(name)
    for resource in ("budget_summary", "fiscal_summary"):
        for side in ("income", "expenditure"):
            frame = budget[resource].filter(pl.col("side") == side)
            assert frame.filter(pl.col("row_kind") == "total").height == 1, (resource, side)


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_summary_identities_hold_as_printed(name):
    """Every identity of tables 1 and 4 holds on these pages: none is an error."""
    report = check_budget(loaded(name), only=SUMMARY_RULES)
    assert report.checked >= 10
    assert [f["message"] for f in report.findings if f["severity"] == "error"] == []


def test_headings_and_their_parts_are_not_summed_twice():
    """深圳 prints 款 and 项 under each 类 (detail) and the income in groups (group over items)."""
    frame = loaded("shenzhen-xinfang-2026")["budget_summary"]
    kinds = dict(zip(frame["item"].to_list(), frame["row_kind"].to_list(), strict=False))
    assert (kinds["一、一般公共服务支出"], kinds["信访事务"], kinds["行政运行"]) == ("item", "detail", "detail")
    assert (kinds["一、财政拨款"], kinds["1.一般公共预算拨款"], kinds["三、单位资金"]) == (
        "group", "item", "group")
    items = frame.filter((pl.col("side") == "expenditure") & (pl.col("row_kind") == "item")
                         & pl.col("item").str.contains("^[一二三四五六七八九十]+、"))
    assert items["amount"].sum() == Decimal("4684.30")


def test_fiscal_income_in_groups():
    """无锡 heads each group with its sum: 一、本年收入 over （一）…, 二、上年结转 over （一）…."""
    frame = loaded("wuxi-yingji-zhifa-2026")["fiscal_summary"].filter(pl.col("side") == "income")
    assert frame.select("group", "item", "row_kind", "total").rows()[:6] == [
        (None, "一、本年收入", "subtotal", Decimal("1136.23")),
        ("本年收入", "（一）一般公共预算拨款", "item", Decimal("1136.23")),
        ("本年收入", "（二）政府性基金预算拨款", "item", None),
        ("本年收入", "（三）国有资本经营预算拨款", "item", None),
        ("上年结转", "二、上年结转", "subtotal", None),
        ("上年结转", "（一）一般公共预算拨款", "item", None),
    ]


def test_fund_columns_of_a_lower_header_line():
    """烟台 prints 总计 / 一般公共预算 … on a second header line of table 4."""
    frame = loaded("yantai-shenji-2026")["fiscal_summary"]
    row = frame.filter(pl.col("item") == "本年支出合计").row(0, named=True)
    assert (row["total"], row["general_budget"], row["fund_budget"]) == (
        Decimal("2776.75"), Decimal("2776.75"), None)


def test_columns_without_a_place_are_findings():
    """上海's 人员经费 / 公用经费 / 项目支出 and 西安's economic breakdowns are reported, with
    every amount they print; lines after the 总计 row are reported, not read as rows."""
    findings = loaded("shanghai-haiyang-2026").parsed_findings
    unread = findings.filter(pl.col("rule") == "parse.unread_column")
    assert sorted(unread["key"].to_list()) == ["人员经费", "公用经费", "项目支出"]
    personnel = unread.filter(pl.col("key") == "人员经费").row(0, named=True)
    assert "支出总计: 17,826,393" in personnel["actual"]
    xian = loaded("xian-xuanchuan-2021").parsed_findings
    # the two economic breakdowns of tables 1, 4 and the 政府性基金收支表 (tables 7 and 8)
    assert sorted(xian.filter(pl.col("rule") == "parse.unread_column")["resource"].to_list()) == [
        "budget_summary", "budget_summary", "fiscal_summary", "fiscal_summary",
        "fund_expenditure", "fund_expenditure"]
    # its tables 5 and 6, titles wrapped inside their brackets, are found: nothing runs on after table 4
    assert xian.filter(pl.col("rule") == "parse.after_total")["resource"].to_list() == []


def _parse(lines: list[str], parser):
    from budgettui.segment import TableSection
    from budgettui.sources import Line
    from budgettui.tables import Context, split_table

    section = TableSection(1, "收支总表", 2026, 1, [Line(i + 2, t) for i, t in enumerate(lines)])
    ctx = Context("doc")
    return parser(ctx, split_table(section)), ctx.findings


def test_a_subtotal_named_like_the_total_and_cells_beyond_the_header():
    """收入合计 above 收入总计 is a subtotal; a cell right of the header's last column and a
    line after the 总计 row are findings, not rows."""
    from budgettui.tables import parse_budget_summary

    rows, findings = _parse([
        "收入\t\t支出\t",
        "项目\t预算数\t项目\t预算数",
        "一、一般公共预算拨款\t10.00\t一、教育支出\t12.00",
        "上年结转\t2.00\t\t\t99.00",
        "收入合计\t12.00\t支出合计\t12.00",
        "收入总计\t12.00\t支出总计\t12.00",
        "注：\t\t",
    ], parse_budget_summary)
    kinds = [(r["side"], r["item"], r["row_kind"]) for r in rows]
    assert ("income", "收入合计", "subtotal") in kinds and ("income", "收入总计", "total") in kinds
    assert ("expenditure", "支出合计", "subtotal") in kinds
    assert {f["rule"] for f in findings} == {"parse.unread_column", "parse.after_total"}
    beyond = next(f for f in findings if f["rule"] == "parse.unread_column")
    assert (beyond["source_line"], beyond["actual"]) == (5, "99.00")
