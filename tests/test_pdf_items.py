"""The itemised tables (6, 10, 11, 12, 13) of the test PDFs, pinned to values read off the
printed pages (万元; a table printed in 元 as the printed 元 / 10000, exactly)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import polars as pl
import pytest

import budgettui
from budgettui.audit import RULES, check_budget

PDFS = Path(__file__).parent / "pdfs"


@pytest.fixture(scope="module")
def loaded():
    cache: dict[str, budgettui.Budget] = {}

    def get(name: str) -> budgettui.Budget:
        if name not in cache:
            cache[name] = budgettui.load(PDFS / name)
        return cache[name]

    return get


def _total_6(budget) -> tuple:
    rows = budget["basic_expenditure_by_economic"].filter(pl.col("row_kind") == "total")
    assert rows.height == 1
    return rows.select("total", "personnel", "public").row(0)


# ---------------------------------------------------------------- table 6: the 合计 row


@pytest.mark.parametrize(("name", "expected"), [
    ("shanghai-haiyang-2026.pdf", (D("2432.8708"), D("1747.8393"), D("685.0315"))),  # 元
    ("shanghai-shuichan-2026.pdf", (D("80.0230"), D("21.2340"), D("58.7890"))),  # 元
    ("wuxi-yingji-zhifa-2026.pdf", (D("1136.23"), D("1077.79"), D("58.44"))),
    ("guangzhou-xinfang-2026.pdf", (D("3204.78"), None, None)),  # one 预算 column
    ("fuzhou-zhian-2026.pdf", (D("2507.88"), None, None)),  # one 预算数 column
    ("changsha-zhijiao-2026.pdf", (D("386.73"), D("356.76"), D("29.97"))),  # 总计 / 人员类
    ("yantai-shenji-2026.pdf", (D("2772.24"), D("2536.91"), D("235.33"))),  # 小计 / 人员支出
])
def test_table_6_total_row(loaded, name, expected):
    assert _total_6(loaded(name)) == expected


def test_table_6_groups_by_code(loaded):
    frame = loaded("shanghai-haiyang-2026.pdf")["basic_expenditure_by_economic"]
    groups = frame.filter(pl.col("row_kind") == "group")
    assert groups["dept_econ_name"].to_list() == ["工资福利支出", "商品和服务支出", "对个人和家庭的补助",
                                                  "资本性支出"]
    office = frame.filter(pl.col("dept_econ_name") == "办公设备购置").row(0, named=True)
    assert (office["group"], office["total"], office["public"]) == ("资本性支出", D("6"), D("6"))


def test_table_6_group_printed_under_two_government_items(loaded):
    # 烟台 prints 301 工资福利支出 once under 501 and once under 505: two groups, each its items
    frame = loaded("yantai-shenji-2026.pdf")["basic_expenditure_by_economic"]
    groups = frame.filter(pl.col("row_kind") == "group").select("dept_econ_name", "total").rows()
    assert groups[:2] == [("工资福利支出", D("1812.81")), ("工资福利支出/对事业单位经常性补助", D("509.37"))]


# ---------------------------------------------------------------- table 10: 三公


def _three(budget, column: str = "total") -> dict[str, D | None]:
    frame = budget["three_public_costs"]
    return {r["item"]: r[column] for r in frame.iter_rows(named=True)}


def test_table_10_rows_layout(loaded):
    got = loaded("fuzhou-zhian-2026.pdf")["three_public_costs"].select(
        "item", "parent_item", "row_kind", "total").rows()
    assert got == [
        ("合计", None, "total", D("27.31")),
        ("因公出国（境）费用", None, "item", D("0.00")),
        ("公务接待费", None, "item", D("2.00")),
        ("公务用车购置及运行费", None, "group", D("25.31")),
        ("公务用车购置费", "公务用车购置及运行费", "item", D("0.00")),
        ("公务用车运行费", "公务用车购置及运行费", "item", D("25.31")),
    ]


def test_table_10_guangzhou_total_is_the_三公_row_not_行政经费(loaded):
    three = _three(loaded("guangzhou-xinfang-2026.pdf"), "general_budget")
    assert "行政经费" not in three
    assert three["“三公”经费"] == D("4.80")
    assert (three["因公出国（境）支出"], three["公务接待费支出"], three["公务用车购置及运行维护支出"]) == (
        D("0.00"), D("2.30"), D("2.50"))


@pytest.mark.parametrize(("name", "column", "expected"), [
    # 上海: 单位“三公”经费和机关运行经费预算表, one row of columns
    ("shanghai-haiyang-2026.pdf", "total",
     {"合计": D("16.80"), "因公出国(境)费": D("10.00"), "公务接待费": D("0.50"),
      "公务用车购置及运行费": D("6.30"), "购置费": None, "运行费": D("6.30")}),
    # 深圳: by fund for 2025, 2026 and the change; 2026 is read (no 合计 column printed)
    ("shenzhen-xinfang-2026.pdf", "general_budget",
     {"合计": D("5.58"), "因公出国(境)费": D("0.00"), "公务接待费": D("2.98"),
      "公务用车购置及运行维护费": D("2.60"), "公务用车购置费": D("0.00"), "公务用车运行维护费": D("2.60")}),
    # 长沙: per unit, with 合计 row
    ("changsha-zhijiao-2026.pdf", "total",
     {"合计": D("0.50"), "因公出国（境）费": None, "公务接待费": D("0.50"), "公务用车购置及运行费": None,
      "公务用车购置": None, "公务用车运行费": None}),
    # 烟台: 2025 and 2026 side by side; 2026
    ("yantai-shenji-2026.pdf", "total",
     {"合计": D("3.40"), "因公出国（境）经费": None, "公务接待费": D("3.40"),
      "公务用车购置及运行维护费": None, "公务用车购置经费": None, "公务用车运行维护费": None}),
    # 西安 (元): 上年 / 当年 / 增减, 三公 小计 beside 会议费 and 培训费; 2021 (当年)
    ("xian-xuanchuan-2021.pdf", "total",
     {"合计": D("6.51"), "因公出国（境）费用": D("0.00"), "公务接待费": D("6.51"),
      "公务用车购置及运行费": D("0.00"), "公务用车购置费": D("0.00"), "公务用车运行费": D("0.00")}),
    # 无锡: one row, 会议费 and 培训费 beside the 三公 items
    ("wuxi-yingji-zhifa-2026.pdf", "total",
     {"合计": D("0.00"), "因公出国（境）费": D("0.00"), "公务接待费": D("0.00"),
      "公务用车购置及运行维护费": D("0.00"), "公务用车购置费": D("0.00"), "公务用车运行维护费": D("0.00")}),
])
def test_table_10_wide_layouts(loaded, name, column, expected):
    assert _three(loaded(name), column) == expected


def test_table_10_vehicles_hold_their_two_parts(loaded):
    frame = loaded("shanghai-haiyang-2026.pdf")["three_public_costs"]
    parts = frame.filter(pl.col("parent_item") == "公务用车购置及运行费")["item"].to_list()
    assert parts == ["购置费", "运行费"]


# ---------------------------------------------------------------- table 11


def test_table_11_wuxi_by_economic_item(loaded):
    frame = loaded("wuxi-yingji-zhifa-2026.pdf")["operating_costs"]
    total = frame.filter(pl.col("row_kind") == "total").row(0, named=True)
    assert total["total"] == D("58.44")
    # economic items are never units
    assert "item" not in frame["row_kind"].to_list()


def test_table_11_shanghai_column_of_the_三公_table(loaded):
    budget = loaded("shanghai-haiyang-2026.pdf")
    rows = budget["operating_costs"].select("unit", "row_kind", "total").rows()
    assert rows == [("合计", "total", None)]  # 本单位无机关运行经费: the cell is empty
    missing = budget.parsed_findings.filter(pl.col("rule") == "parse.missing_table")["key"].to_list()
    assert "表11" not in missing and "表10" not in missing


# ---------------------------------------------------------------- tables 12 / 13


def _project(budget, name: str) -> tuple:
    rows = budget["projects"].filter(pl.col("name") == name)
    assert rows.height == 1, name
    return rows.select("unit", "total").row(0)


def _department(budget) -> D:
    frame = budget["project_subtotals"].filter(pl.col("level") == "department")
    return frame["total"][0]


def test_projects_guangzhou(loaded):
    budget = loaded("guangzhou-xinfang-2026.pdf")
    assert budget["projects"].height == 9
    assert _department(budget) == D("739.30")
    assert _project(budget, "物业管理费") == ("广州市信访局", D("99.00"))
    assert _project(budget, "市人民来访接待厅专项经费") == ("广州市信访局", D("145.00"))


def test_projects_xian_units_by_code_and_categories(loaded):
    budget = loaded("xian-xuanchuan-2021.pdf")
    assert budget["projects"].height == 22
    assert _department(budget) == D("23542.16")  # 235,421,600.00 元
    assert _project(budget, "城市宣传经费") == ("中共西安市委宣传部", D("1700"))
    assert _project(budget, "讲师团综合工作经费") == ("中共西安市委理论讲师团", D("60"))
    levels = budget["project_subtotals"]["level"].to_list()
    assert "category" in levels  # 专用项目 › 其他履职尽责专项业务费
    assert "专用项目" not in budget["projects"]["name"].to_list()


def test_projects_yantai_without_unit_rows_belong_to_the_department(loaded):
    budget = loaded("yantai-shenji-2026.pdf")
    assert budget["projects"].height == 6
    assert _department(budget) == D("781.50")
    assert _project(budget, "烟台市智慧审计平台等保测评服务") == ("烟台市审计局", D("4.50"))
    assert _project(budget, "原审计署烟台基地退休人员补助经费") == ("烟台市审计局", D("170.00"))
    # the 政府采购预算表 printed into the table is not read as projects
    assert "一般公共服务支出" not in budget["projects"]["name"].to_list()
    # no unit rows: the projects are compared with the 合计 row by the parser (they add up)
    assert "parse.projects_sum" not in budget.parsed_findings["rule"].to_list()


# ---------------------------------------------------------------- the identities


def _broken(budget, prefixes: tuple[str, ...]) -> list[dict]:
    only = [r for r in RULES if r.split(".")[0] in prefixes]
    report = check_budget(budget, only=only)
    return [f for f in report.findings if f["severity"] == "error"]


@pytest.mark.parametrize("name", [
    "shanghai-haiyang-2026.pdf", "shanghai-shuichan-2026.pdf", "wuxi-yingji-zhifa-2026.pdf",
    "yantai-shenji-2026.pdf", "changsha-zhijiao-2026.pdf",
])
def test_table_6_identities_hold(loaded, name):
    assert _broken(loaded(name), ("t6",)) == []


@pytest.mark.parametrize("name", ["guangzhou-xinfang-2026.pdf", "xian-xuanchuan-2021.pdf"])
def test_project_sums_hold(loaded, name):
    broken = _broken(loaded(name), ("t12", "t13"))
    assert [f for f in broken if not f["rule"].endswith("row_sum")] == []


@pytest.mark.parametrize("name", [
    "shanghai-haiyang-2026.pdf", "fuzhou-zhian-2026.pdf", "guangzhou-xinfang-2026.pdf",
    "xian-xuanchuan-2021.pdf", "yantai-shenji-2026.pdf",
])
def test_three_public_sums_hold(loaded, name):
    broken = _broken(loaded(name), ("t10",))
    assert [f for f in broken if not f["rule"].endswith("row_sum")] == []


def test_projects_shenzhen_项目支出总表(loaded):
    # 深圳 prints table 12 as 项目支出总表, its header's first line starting with 总计
    budget = loaded("shenzhen-xinfang-2026.pdf")
    assert budget["projects"].height == 6
    units = budget["project_subtotals"].select("level", "unit", "total").rows()
    assert units == [("unit", "深圳市信访局", D("1612.29"))]
    assert _project(budget, "社工服务项目") == ("深圳市信访局", D("498.82"))
    assert _project(budget, "信访大厅运行") == ("深圳市信访局", D("603.84"))
    # the unit's projects add up, with 上年结余、结转 as a part of 合计 beside the funds
    assert _broken(budget, ("t12",)) == []


def _funds(budget, name: str) -> tuple:
    rows = budget["projects"].filter(pl.col("name") == name)
    assert rows.height == 1, name
    return rows.select("total", "general_budget", "carryover").row(0)


def test_projects_shenzhen_上年结余结转_column(loaded):
    # 深圳's 项目支出总表 prints 上年结余、结转 after 单位资金: 信访大厅运行 603.84 = 596.94 + 6.90
    budget = loaded("shenzhen-xinfang-2026.pdf")
    assert _funds(budget, "信访大厅运行") == (D("603.84"), D("596.94"), D("6.90"))
    assert _funds(budget, "政务信息化项目（系统业务运营服务）") == (D("0.44"), D("0.00"), D("0.44"))
    assert _funds(budget, "社工服务项目") == (D("498.82"), D("498.82"), D("0.00"))
    unit = budget["project_subtotals"].select("total", "general_budget", "carryover").rows()
    assert unit == [(D("1612.29"), D("1604.95"), D("7.34"))]
    assert budget["projects"]["carryover"].sum() == D("7.34")
    # read, so no longer reported as a column without a place
    unmapped = budget.parsed_findings.filter(pl.col("rule") == "parse.unmapped_column")["key"].to_list()
    assert "上年结余、结转" not in unmapped
    # no table 13: table 12's 上年结转 is the carry-over of tables 1 and 2 (表2 上年结转 7.34)
    report = check_budget(budget, only=["x.t13_carryover"])
    assert (report.findings, report.checked) == ([], 1)
    assert budget["income_by_subject"].filter(pl.col("level") == 0)["carryover"].to_list() == [D("7.34")]
