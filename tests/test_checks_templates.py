"""Cross-table rules on the templates of the corpus (issue 10): an identity that holds on the
printed page holds in the parse, and one the document breaks is still reported.

Each test reads a real PDF of tests/pdfs/ (or of ../shared/corpus, skipped when absent), checks
that the rule holds on it, then changes one printed figure in the document's text extraction
and checks that the rule reports exactly that figure. Values are read off the pages.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

import budgettui
from budgettui.audit import check_budget
from budgettui.model import Budget
from budgettui.sources import read_source

PDFS = ROOT / "tests" / "pdfs"
CORPUS = ROOT.parent / "shared" / "corpus"
corpus = pytest.mark.skipif(not CORPUS.exists(), reason="the corpus is not beside this checkout")


def extraction(pdf: Path) -> str:
    """The PDF's text as `budgettui text` prints it (a form feed starting each page)."""
    source = read_source(str(pdf))
    starts = set(source.page_starts)
    return "".join(("\f" if line.no in starts else "") + line.text + "\n" for line in source.lines)


def changed(tmp_path: Path, text: str, after: str, old: str, new: str) -> Budget:
    """The extraction with the first `old` after the first `after` replaced by `new`."""
    at = text.index(old, text.index(after))
    path = tmp_path / "doc.txt"
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return budgettui.load(path)


def errors(budget: Budget, rule: str) -> set[tuple]:
    return {(f["key"], f["expected"], f["actual"]) for f in check_budget(budget, only=[rule]).findings
            if f["severity"] == "error"}


def checked(budget: Budget, rule: str) -> int:
    return check_budget(budget, only=[rule]).checked


@pytest.fixture(scope="module")
def shanghai() -> str:
    return extraction(PDFS / "shanghai-haiyang-2026.pdf")


def test_shanghai_table3_is_all_funds_so_only_fiscal_codes_meet_tables_5_and_8(tmp_path, shanghai):
    budget = budgettui.load(PDFS / "shanghai-haiyang-2026.pdf")
    # page 8: 220 spends 事业收入 1,187,700 and 其他收入 348,000 beside 财政拨款; page 10 table 3
    # basic 19,592,362 is page 13 table 5's 19,244,362 plus 348,000 of them: no identity there
    t3 = {r["code"]: r for r in budget["expenditure_by_subject"].to_dicts()}
    t5 = {r["code"]: r for r in budget["general_budget_expenditure"].to_dicts()}
    assert str(t3["220"]["basic"]) == "1959.236200" and str(t5["220"]["basic"]) == "1924.436200"
    assert errors(budget, "x.t3_t5_t8") == set()
    # 208, 210, 221 and their children (12 codes, no 项目支出 printed) are still compared
    assert checked(budget, "x.t3_t5_t8") == 12
    broken = changed(tmp_path, shanghai, "2026年预算单位支出预算总表\n编制单位",
                     "机关事业单位基本养老保险缴费支出\t1,887,467\t1,887,467",
                     "机关事业单位基本养老保险缴费支出\t1,887,467\t1,897,467")
    assert errors(broken, "x.t3_t5_t8") == {("2080505", "188.7467", "189.7467")}


def test_shanghai_table1_prints_one_amount_per_class_equal_to_table2(tmp_path, shanghai):
    budget = budgettui.load(PDFS / "shanghai-haiyang-2026.pdf")
    assert errors(budget, "x.t1_t2") == set()
    broken = changed(tmp_path, shanghai, "2026年预算单位收入预算总表",
                     "220\t\t\t自然资源海洋气象等支出\t175,281,837", "220\t\t\t自然资源海洋气象等支出\t175,291,837")
    assert errors(broken, "x.t1_t2") == {("三、自然资源海洋气象等支出", "17529.1837", "17528.1837")}


def test_yantai_table1_grand_total_and_table3_beyond_fiscal_money(tmp_path):
    pdf = PDFS / "yantai-shenji-2026.pdf"
    budget = budgettui.load(pdf)
    # page 8: 收入总计 3558.35 = page 9 table 2 合计 3,558.35 (其他收入 781.60 included)
    assert errors(budget, "x.t1_t2") == set()
    # 2010801 行政运行: table 3 basic 1,535.85 holds 其他收入 4.60 beyond table 5's 1531.26
    assert errors(budget, "x.t3_t5_t8") == set()
    text = extraction(pdf)
    broken = changed(tmp_path, text, "公开表3\n支出总体情况表", "机关事业单位基本养老保险缴费支出\t221.01\t221.01",
                     "机关事业单位基本养老保险缴费支出\t221.01\t222.01")
    assert errors(broken, "x.t3_t5_t8") == {("2080505", "221.01", "222.01")}


def test_shenzhen_table2_and_table5_count_the_carry_over(tmp_path):
    pdf = PDFS / "shenzhen-xinfang-2026.pdf"
    budget = budgettui.load(pdf)
    # page 17: 收入总计 4,684.30 = 一般公共预算 4,676.96 + 上年结余、结转 7.34; page 26 table 7
    # (一般公共预算支出表) 4,684.30 spends the carry-over too, 项目支出 1,612.29 included
    for rule in ("x.t1_t2", "x.t3_t2", "x.t2_t5", "x.t3_t5_t8"):
        assert errors(budget, rule) == set(), rule
        assert checked(budget, rule) >= 1, rule
    broken = changed(tmp_path, extraction(pdf), "支出总表", "\t4,684.30\t3,072.01\t1,612.29",
                     "\t4,684.30\t3,072.01\t1,613.29")
    assert errors(broken, "x.t3_t5_t8") == {("合计", "1612.29", "1613.29")}


def test_changsha_table1_lines_by_nature_meet_table3_columns(tmp_path):
    pdf = PDFS / "changsha-zhijiao-2026.pdf"
    budget = budgettui.load(pdf)
    # page 12: 一、基本支出 386.73, 二、项目支出 270.00, 本年支出合计 656.73 (table 3's 合计 row)
    assert errors(budget, "x.t1_t3") == set()
    assert checked(budget, "x.t1_t3") == 3
    assert errors(budget, "x.t1_t2") == set()
    broken = changed(tmp_path, extraction(pdf), "收支总体情况表", "一、基本支出\t386.73", "一、基本支出\t396.73")
    assert errors(broken, "x.t1_t3") == {("一、基本支出", "386.73", "396.73")}


def test_xian_table12_one_amount_per_project_meets_table5_projects(tmp_path):
    pdf = PDFS / "xian-xuanchuan-2021.pdf"
    budget = budgettui.load(pdf)
    # page 34: 专项业务经费支出表 合计 235,421,600.00 = table 5's 项目支出; table 3 is by fund
    # (合计, 公共预算拨款, …) and prints no 基本支出/项目支出 to compare
    assert errors(budget, "x.t12_t5_t8") == set()
    assert checked(budget, "x.t12_t5_t8") == 1
    assert checked(budget, "x.t3_t5_t8") == 0 and checked(budget, "x.t12_t3") == 0
    broken = changed(tmp_path, extraction(pdf), "专项业务经费支出表", "\t合计\t235,421,600.00",
                     "\t合计\t235,521,600.00")
    assert errors(broken, "x.t12_t5_t8") == {("部门合计", "23542.16", "23552.16")}


@corpus
def test_shanghai_header_split_over_two_cells_still_names_the_subjects():
    # page 8 prints 功能分类科目编 | 码功能分类科目名称: the name column is the second
    budget = budgettui.load(CORPUS / "上海" / "2026年上海市文化广电旅游体育局_部门预算.pdf")
    t2 = {r["code"]: r["name"] for r in budget["income_by_subject"].to_dicts()}
    assert t2["207"] == "文化旅游体育与传媒支出" and t2["2109999"] == "其他卫生健康支出"
    assert errors(budget, "x.t1_t2") == set() and checked(budget, "x.t1_t2") >= 4


@corpus
def test_yantai_education_income_after_the_subtotal_is_in_table2():
    # table 1: 本年收入合计 315,235.83, 上级补助收入 205.89 after it, 收入总计 315,441.72 =
    # table 2 合计 315,441.72 (its 上级补助收入 column 205.89 included)
    budget = budgettui.load(CORPUS / "烟台" / "2026年烟台市教育局部门预算.pdf")
    assert errors(budget, "x.t1_t2") == set()


@corpus
def test_yantai_xinfang_breaks_its_own_identities_and_is_told_so():
    budget = budgettui.load(CORPUS / "烟台" / "2026年烟台市信访局部门预算.pdf")
    # page 9: 20140 信访事务 1,378.84 (项目支出 524.00) over 2014001 507.97 + 2014050 346.87;
    # no 项 row carries the 524.00
    assert ("20140", "854.84", "1378.84") in errors(budget, "t3.child_sum")
    # pages 11–12: table 4 prints no amount (注：2026年没有使用财政拨款收入和支出) while table 1
    # has 一般公共预算收入 1,717.85
    assert ("一、一般公共预算收入", "1717.85", "0") in errors(budget, "x.t4_t1")


# ---------------------------------------------------------------- 西安's 政府性基金收支表 (tables 7 and 8 in one)


def test_xian_fund_summary_is_tables_7_and_8(tmp_path):
    pdf = PDFS / "xian-xuanchuan-2021.pdf"
    budget = budgettui.load(pdf)
    printed = {r["title"]: r for r in budget["source_tables"].to_dicts()}
    fund = printed["2021年部门综合预算政府性基金收支表（不含上年结转）"]
    assert (fund["table_no"], fund["resource"], fund["status"]) == (7, "fund_income", "parsed")
    # pages 32–33 print 0.00 everywhere: one 合计 row each side, no class row
    [income] = budget["fund_income"].to_dicts()
    assert (income["name"], income["total"], income["source_page"]) == ("合计", 0, 33)
    [spending] = budget["fund_expenditure"].to_dicts()
    assert (spending["total"], spending["basic"], spending["project"]) == (0, 0, 0)
    missing = {f["key"] for f in budget["findings"].to_dicts() if f["rule"] == "parse.missing_table"}
    assert "表7" not in missing and "表8" not in missing
    # the 合计 row's 项目支出 is the 二、专项业务经费支出 line of the economic classes beside it
    broken = changed(tmp_path, extraction(pdf), "政府性基金收支表（不含上年结转）\n单位",
                     "二、专项业务经费支出\t0.00", "二、专项业务经费支出\t50000.00")
    assert errors(broken, "t8.row_sum") == {("合计", "5.00", "0")}


@corpus
def test_xian_fund_summary_values_meet_tables_2_and_12():
    budget = budgettui.load(CORPUS / "西安" / "西安_规划和自然资源局_2026年部门预算.pdf")
    # page 64: 一、政府性基金拨款 3031779608.00; 五、城乡社区支出 3031779608.00 (the other classes
    # 0.00); 一、人员经费和公用经费支出 0.00, 二、专项业务经费支出 3031779608.00
    assert [(r["name"], str(r["total"])) for r in budget["fund_income"].to_dicts()] == [("合计", "303177.960800")]
    assert [(r["code"], r["name"], str(r["total"]), r["basic"], r["project"])
            for r in budget["fund_expenditure"].to_dicts()] == [
        (None, "合计", "303177.960800", 0, Decimal("303177.960800")),
        ("212", "城乡社区支出", "303177.960800", None, None)]
    # table 2 政府性基金拨款 3031779608.00 = table 8; table 12 (专项业务经费支出表) 合计
    # 3505206923.00 = table 5 项目支出 473427315.00 + table 8 项目支出 3031779608.00
    for rule in ("x.t2_t8", "x.t12_t5_t8", "t8.row_sum", "t8.total_sum"):
        assert errors(budget, rule) == set(), rule
        assert checked(budget, rule) >= 1, rule


def test_shenzhen_project_carry_over_column_is_read():
    budget = budgettui.load(PDFS / "shenzhen-xinfang-2026.pdf")
    # page 23 (表5 项目支出总表): 信访大厅运行 603.84 = 一般公共预算拨款 596.94 + 上年结余、结转 6.90;
    # the column is read into projects.carryover, so the row sums hold; 单位资金's parts
    # (事业收入 …, all 0.00) are still told
    unmapped = {(f["key"], f["severity"]) for f in budget["findings"].to_dicts()
                if f["rule"] == "parse.unmapped_column" and f["resource"] == "projects"}
    assert ("事业收入", "info") in unmapped and not any(key == "上年结余、结转" for key, _ in unmapped)
    # 6 projects and the unit row; no table 13: table 12's 上年结转 7.34 = 表2 上年结转
    for rule, count in (("t12.row_sum", 7), ("t12.unit_sum", 7), ("x.t13_carryover", 1)):
        assert errors(budget, rule) == set(), rule
        assert checked(budget, rule) == count, rule
