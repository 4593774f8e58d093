"""The narrative rules on real PDFs (issue 10): an identity the document itself breaks is a
finding, a table the document does not print or a sentence we misread is not. Each value
below was read off the printed page (`budgettui text FILE.pdf`)."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import ROOT

import budgettui
from budgettui.audit import check_budget

PDFS = ROOT / "tests" / "pdfs"
CORPUS = ROOT.parent / "shared" / "corpus"
corpus = pytest.mark.skipif(not CORPUS.exists(), reason="the corpus is not beside this checkout")

_CACHE: dict[str, tuple[budgettui.Budget, list[dict]]] = {}


def _checked(path) -> tuple[budgettui.Budget, list[dict]]:
    key = str(path)
    if key not in _CACHE:
        budget = budgettui.load(path)
        _CACHE[key] = budget, check_budget(budget).findings
    return _CACHE[key]


def _narrative(findings: list[dict], rule: str, text: str) -> list[tuple[str, str | None, str]]:
    """(severity, expected, actual) of the rule's findings whose message holds `text`."""
    return [(f["severity"], f["expected"], f["actual"]) for f in findings
            if f["rule"] == rule and text in f["message"]]


def _errors(findings: list[dict], prefix: str) -> list[str]:
    return [f["message"] for f in findings if f["rule"].startswith(prefix) and f["severity"] == "error"]


# ---------------------------------------------------------------- 北京: the tables are an attachment


def test_beijing_tables_said_to_be_attached_make_one_warning_not_errors():
    """北京 prints 第二部分's table list and then `附件：北京市信访办公室部门2026年度部门预算报表`:
    the nine named tables are a separate download, not tables lost by the parser."""
    budget, findings = _checked(PDFS / "beijing-xinfang-2026.pdf")
    missing = budget["findings"].filter(pl.col("rule") == "parse.missing_table")
    assert missing.filter(pl.col("severity") == "error").is_empty()
    warning = missing.filter(pl.col("severity") == "warning").row(0, named=True)
    assert missing.filter(pl.col("severity") == "warning").height == 1
    assert (warning["key"], warning["source_page"], warning["source_line"]) == ("附件", 7, 3)
    assert "表1、表2、表3、表4、表5、表6、表8、表9、表10" in warning["message"]
    assert "「附件：北京市信访办公室部门2026年度部门预算报表」" in warning["message"]
    # the tables stay listed one by one (info), so the rules know which are absent
    assert sorted(missing.filter(pl.col("severity") == "info")["key"].to_list()) == sorted(
        f"表{n}" for n in range(1, 14))
    assert _errors(findings, "narrative.") == []
    # an amount that table 1 would state is unchecked, saying why
    assert _narrative(findings, "narrative.unchecked", "一般公共预算拨款收入9616.34万元") == [
        ("info", None, "9616.34")]
    assert any("本文件未印出表1" in f["message"] for f in findings if f["actual"] == "9616.34")


def test_beijing_share_of_this_years_expenditure_is_of_basic_plus_project():
    """`基本支出预算7485.22万元，占本年支出预算77.75%` is cut by a page break after 占本年;
    本年支出预算 is printed as no amount, and the two shares add to 100%: the base is
    7485.22 + 2141.55 = 9626.77 (77.75% and 22.25%)."""
    budget, findings = _checked(PDFS / "beijing-xinfang-2026.pdf")
    rows = budget["narrative"].filter(pl.col("text").str.contains("7485.22"))["text"].to_list()
    assert rows == ["（一）基本支出。基本支出预算7485.22万元，占本年支出预算77.75%。"]
    wrapped = budget["narrative"].filter(pl.col("text").str.starts_with("2026年支出预算"))["text"].to_list()
    assert wrapped[0].startswith("2026年支出预算9626.78万元，比2025年年初预算数9819.98万元减少193.20万元")
    assert _narrative(findings, "narrative.percent", "（7485.22万元 + 2141.55万元）") == [
        ("info", "77.75", "77.75"), ("info", "22.25", "22.25")]


@corpus
def test_beijing_shares_add_up_where_the_total_holds_the_carry_forward():
    """卫健委: 2026年支出预算935,446.79 includes 年终结转结余73,163.93; 基本 295,485.11 and
    项目 566,797.75 are 34.27% and 65.73% of their sum 862,282.86, as printed."""
    _, findings = _checked(CORPUS / "北京" / "2026年北京市卫生健康委员会部门预算.pdf")
    assert _narrative(findings, "narrative.percent", "占本年支出预算") == [
        ("info", "34.27", "34.27"), ("info", "65.73", "65.73")]


# ---------------------------------------------------------------- 无锡: shares of a listed total


def test_wuxi_income_lines_are_the_funds_of_table_1_and_4():
    """`本年一般公共预算收入1,136.23万元，占100%；` and `上年结转结余的一般公共预算收入0万元`:
    the fund's row of table 1, the carried-over row of table 4 (not 收入总计)."""
    _, findings = _checked(PDFS / "wuxi-yingji-zhifa-2026.pdf")
    assert _errors(findings, "narrative.") == []
    assert _narrative(findings, "narrative.amount", "本年一般公共预算收入1,136.23万元") == [
        ("info", "1136.23", "1136.23")]
    assert any("= 表1 一、一般公共预算拨款收入" in f["message"] for f in findings
               if f["rule"] == "narrative.amount" and f["actual"] == "1136.23")
    assert _narrative(findings, "narrative.amount", "上年结转结余的一般公共预算收入0万元") == [
        ("info", "0", "0")]
    assert any("表4 上年结转 （一）一般公共预算拨款" in f["message"] for f in findings)
    # each item's share is of 收入预算合计1,136.23 (the paragraph before the list)
    shares = [f for f in findings if f["rule"] == "narrative.percent" and "收入预算情况说明" in f["message"]]
    assert len(shares) == 14 and all(f["severity"] == "info" and "/ 1,136.23万元" in f["message"]
                                     for f in shares)
    assert [f["expected"] for f in shares][:2] == ["100", "0"]


@corpus
def test_wuxi_three_public_shares_are_of_the_three_public_total():
    """应急管理局 p.35: `“三公”经费支出预算14.93万元 … 公务用车购置及运行维护费支出9.03万元，
    占“三公”经费的60.48%；公务接待费支出5.9万元，占“三公”经费的39.52%`."""
    _, findings = _checked(CORPUS / "无锡" / "无锡_应急管理局_2026年部门预算.pdf")
    assert _narrative(findings, "narrative.percent", "占“三公”经费的") == [
        ("info", "0", "0"), ("info", "60.48", "60.48"), ("info", "39.52", "39.52")]
    assert _errors(findings, "narrative.") == []


# ---------------------------------------------------------------- tables in other words


def test_guangzhou_three_public_total_is_the_row_that_heads_the_items():
    """广州 prints table 10 with `“三公”经费 4.80` as its total row (no 合计), and no table 11:
    `机关运行经费安排444.39万元` cannot be checked."""
    _, findings = _checked(PDFS / "guangzhou-xinfang-2026.pdf")
    assert _narrative(findings, "narrative.amount", "财政拨款安排“三公”经费4.8万元") == [
        ("info", "4.80", "4.80")]
    assert _narrative(findings, "narrative.unchecked", "机关运行经费安排444.39万元") == [
        ("info", None, "444.39")]
    assert _errors(findings, "narrative.") == []


def test_xian_and_yantai_vehicle_rows_by_role():
    """西安 prints `公务用车运行费`, 烟台 `公务用车购置经费`: the narrative's 运行维护费 and
    购置费 are those rows."""
    _, xian = _checked(PDFS / "xian-xuanchuan-2021.pdf")
    assert any("公务用车运行维护费0万元 = 表10 公务用车运行费" in f["message"] for f in xian)
    _, yantai = _checked(PDFS / "yantai-shenji-2026.pdf")
    assert any("公务用车购置费0万元 = 表10 公务用车购置经费" in f["message"] for f in yantai)
    assert _errors(xian, "narrative.") == [] and _errors(yantai, "narrative.") == []


def test_yantai_units_listed_in_the_overview_implement_the_departments_projects():
    """烟台审计局 lists its units under 机构设置 (`二级预算单位包括：` then `1.烟台市审计局` …);
    its table 12 prints no unit column, so 实施单位 `烟台市审计局长岛海洋生态文明综合试验区分局`
    is one of the department's units, not a mismatch."""
    budget, findings = _checked(PDFS / "yantai-shenji-2026.pdf")
    assert budget["units"]["name"].to_list() == [
        "烟台市审计局", "烟台市审计服务中心", "烟台市审计局长岛海洋生态文明综合试验区分局",
        "长岛海洋生态文明综合试验区经济责任审计服务中心"]
    assert [f for f in findings if f["rule"] == "target.unit" and f["severity"] != "info"] == []


@corpus
def test_yantai_an_amount_in_a_reason_is_not_a_table_amount():
    """工信局: `…该车辆运行维护经费12.5万元由省工信厅拨付` explains the rise of 公务用车运行
    维护费15万元; it is not that row's amount."""
    _, findings = _checked(CORPUS / "烟台" / "2026年烟台市工业和信息化局部门预算.pdf")
    assert _narrative(findings, "narrative.unchecked", "该车辆运行维护经费12.5万元") == [
        ("info", None, "12.50"), ("info", None, "12.50")]
    assert _narrative(findings, "narrative.amount", "公务用车运行维护费15万元") == [("info", "15.00", "15")]


def test_fuzhou_personnel_and_public_from_the_economic_classes():
    """福州 table 6 prints one 预算数 column by class: 人员经费 = 工资福利支出 + 对个人和家庭的
    补助, 公用经费 = 合计 less those."""
    _, findings = _checked(PDFS / "fuzhou-zhian-2026.pdf")
    assert _errors(findings, "narrative.") == []
    personnel = [f for f in findings if f["rule"] == "narrative.amount" and "人员经费" in f["message"]]
    assert personnel and all("工资福利支出 + 对个人和家庭的补助" in f["message"] and f["severity"] == "info"
                             for f in personnel)


@corpus
def test_fuzhou_a_split_the_classes_do_not_give_is_left_unchecked():
    """医保局: 人员经费7263.35 / 公用经费577.91, while 工资福利支出 7070.34 + 对个人和家庭的
    补助 239.21 = 7309.55: table 6 does not say how the document split them."""
    _, findings = _checked(CORPUS / "福州" / "2026年福州市医疗保障局部门预算.pdf")
    assert _narrative(findings, "narrative.unchecked", "人员经费7263.35万元") == [("info", None, "7263.35")]
    assert any("= 7309.55" in f["message"] for f in findings if f["actual"] == "7263.35")


@corpus
def test_xian_fund_income_against_table_4s_income_row():
    """西安信访局 table 4 has one amount column, the funds as income rows: `一般公共预算拨款收入
    2,838.42万元` is row `1、一般公共预算拨款` 2838.423471 (元 printed, rounded in the text)."""
    _, findings = _checked(CORPUS / "西安" / "2026年西安市信访局部门预算.pdf")
    assert _narrative(findings, "narrative.amount", "一般公共预算拨款收入2,838.42万元") == [
        ("rounding", "2838.423471", "2838.42")]
    assert _narrative(findings, "narrative.unchecked", "一般公共预算拨款支出2,838.42万元") == [
        ("info", None, "2838.42")]


@corpus
def test_corpus_narrative_and_structure_errors_are_the_documents():
    """Over the corpus, no narrative figure and no attached table is reported as an error."""
    budget = budgettui.load(CORPUS)
    findings = check_budget(budget).findings
    assert _errors(findings, "narrative.") == []
    parsed = budget.parsed_findings
    assert parsed.filter((pl.col("rule") == "parse.missing_table") & (pl.col("severity") == "error")).is_empty()
    assert [f for f in findings if f["rule"] == "target.unit" and f["severity"] != "info"] == []
