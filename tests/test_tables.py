"""Tables 1–13 of the sample hold the document's figures exactly."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from conftest import dec
from expected import PROJECTS, T2, T3, T5

from budgettui import schema

DOC = "000_6fa2890cbbd11825"


def rows(budget, name: str) -> list[dict]:
    return budget[name].to_dicts()


def test_every_frame_matches_its_schema(budget):
    for resource in schema.RESOURCES:
        frame = budget[resource.name]
        assert frame.columns == resource.column_names, resource.name
        assert dict(frame.schema) == resource.polars_schema, resource.name


def test_money_is_decimal_never_float(budget):
    for resource in schema.RESOURCES:
        for name, dtype in budget[resource.name].schema.items():
            assert not dtype.is_float(), f"{resource.name}.{name} is float"
    assert budget["expenditure_by_subject"].schema["total"] == pl.Decimal(24, 6)


@pytest.mark.parametrize(
    ("resource", "expected", "columns"),
    [
        ("income_by_subject", T2, ["total", "general_budget", "fund_budget", "state_capital",
                                   "special_account", "unit_funds", "carryover"]),
        ("expenditure_by_subject", T3, ["total", "basic", "project"]),
        ("general_budget_expenditure", T5, ["total", "basic", "project"]),
    ],
)
def test_subject_tables_every_row(budget, resource, expected, columns):
    got = rows(budget, resource)
    assert len(got) == len(expected)
    for seq, (row, (line, code, name, *amounts)) in enumerate(zip(got, expected, strict=True), 1):
        assert row["source_line"] == line
        assert row["seq"] == seq
        assert (row["code"], row["name"]) == (code, name)
        assert [row[c] for c in columns] == [dec(a) for a in amounts], f"line {line}"
        assert row["level"] == (0 if code is None else {3: 1, 5: 2, 7: 3}[len(code)])
        assert row["parent_code"] == (code[:-2] if code and len(code) > 3 else None)


def test_empty_cell_is_null_not_zero(budget):
    t3 = budget["expenditure_by_subject"].filter(pl.col("code") == "2080101").row(0, named=True)
    assert t3["basic"] == Decimal("235.74") and t3["project"] is None


def test_budget_summary_table_1(budget):
    frame = budget["budget_summary"]
    income = frame.filter(pl.col("side") == "income")
    assert income["item"].to_list() == [
        "一、一般公共预算", "二、政府性基金预算", "三、国有资本经营预算", "四、财政专户管理资金",
        "五、单位资金", "本年收入合计", "上年结转", "收入总计",
    ]
    assert income["amount"].to_list() == [
        Decimal("25552.62"), Decimal("1471.14"), None, None, None,
        Decimal("27023.76"), Decimal("737.52"), Decimal("27761.28"),
    ]
    expenditure = frame.filter(pl.col("side") == "expenditure")
    assert expenditure.height == 33  # thirty 类, 本年支出合计, 年终结转, 支出总计
    social = expenditure.filter(pl.col("item") == "八、社会保障和就业支出").row(0, named=True)
    assert (social["amount"], social["current_year"], social["carryover"]) == (
        Decimal("19676.13"), Decimal("18949.93"), Decimal("726.20"))
    assert social["source_line"] == 105
    # A name the extraction split with a space is joined again.
    assert "二十二、国有资本经营预算支出" in expenditure["item"].to_list()
    total = expenditure.filter(pl.col("row_kind") == "total").row(0, named=True)
    assert (total["item"], total["amount"], total["current_year"], total["carryover"]) == (
        "支出总计", Decimal("27761.28"), Decimal("27023.76"), Decimal("737.52"))


def test_fiscal_summary_table_4(budget):
    frame = budget["fiscal_summary"]
    income = frame.filter(pl.col("side") == "income").select("group", "item", "row_kind", "total")
    assert income.rows() == [
        ("本年收入", "一、一般公共预算", "item", Decimal("25552.62")),
        ("本年收入", "二、政府性基金预算", "item", Decimal("1471.14")),
        ("本年收入", "三、国有资本经营预算", "item", None),
        (None, "本年收入合计", "subtotal", Decimal("27023.76")),
        ("上年结转", "上年财政拨款结转", "subtotal", Decimal("737.52")),
        ("上年结转", "一、一般公共预算", "item", Decimal("737.52")),
        ("上年结转", "二、政府性基金预算", "item", None),
        ("上年结转", "三、国有资本经营预算", "item", None),
        (None, "收入总计", "total", Decimal("27761.28")),
    ]
    spend = frame.filter(pl.col("side") == "expenditure")
    subtotal = spend.filter(pl.col("item") == "本年支出合计").row(0, named=True)
    assert [subtotal[c] for c in ("total", "general_budget", "fund_budget", "state_capital")] == [
        Decimal("27761.28"), Decimal("26290.14"), Decimal("1471.14"), None]
    city = spend.filter(pl.col("item") == "十二、城乡社区支出").row(0, named=True)
    assert (city["total"], city["general_budget"], city["fund_budget"]) == (
        Decimal("1471.14"), None, Decimal("1471.14"))


def test_basic_expenditure_by_economic_table_6(budget):
    frame = budget["basic_expenditure_by_economic"]
    assert frame.height == 40
    total = frame.row(0, named=True)
    assert (total["row_kind"], total["total"], total["personnel"], total["public"]) == (
        "total", Decimal("2408.41"), Decimal("2264.20"), Decimal("144.21"))
    groups = frame.filter(pl.col("row_kind") == "group")
    assert groups.select("dept_econ_name", "total", "personnel", "public").rows() == [
        ("工资福利支出", Decimal("2262.68"), Decimal("2262.68"), None),
        ("商品和服务支出", Decimal("143.83"), None, Decimal("143.83")),
        ("对个人和家庭的补助", Decimal("1.91"), Decimal("1.53"), Decimal("0.38")),
    ]
    # The same pair printed twice with two amounts: both rows are kept.
    reception = frame.filter(pl.col("dept_econ_name") == "公务接待费")
    assert reception.select("gov_econ_name", "total", "source_line").rows() == [
        ("公务接待费", Decimal("0.60"), 370), ("公务接待费", Decimal("0.90"), 371)]
    last = frame.row(-1, named=True)
    assert (last["dept_econ_name"], last["gov_econ_name"], last["group"], last["total"]) == (
        "奖励金", "社会福利和救助", "对个人和家庭的补助", Decimal("0.01"))
    items = frame.filter(pl.col("row_kind") == "item")
    assert items["total"].sum() == Decimal("2408.43")  # the printed items; 合计 says 2408.41


def test_fund_tables_7_and_8(budget):
    assert budget["fund_income"].select("code", "name", "level", "total").rows() == [
        (None, "合计", 0, Decimal("1471.14")),
        ("103", "非税收入", 1, Decimal("1471.14")),
        ("10301", "政府性基金收入", 2, Decimal("1471.14")),
        ("1030148", "国有土地使用权出让收入", 3, Decimal("1471.14")),
    ]
    assert budget["fund_expenditure"].select("code", "name", "total", "basic", "project").rows() == [
        (None, "合计", Decimal("1471.14"), None, Decimal("1471.14")),
        ("212", "城乡社区支出", Decimal("1471.14"), None, Decimal("1471.14")),
        ("21208", "国有土地使用权出让收入安排的支出", Decimal("1471.14"), None, Decimal("1471.14")),
        ("2120805", "补助被征地农民支出", Decimal("1471.14"), None, Decimal("1471.14")),
    ]
    assert budget["fund_expenditure"]["source_line"].to_list() == [404, 405, 406, 407]


def test_table_9_without_data_is_an_empty_frame(budget):
    frame = budget["state_capital"]
    assert frame.height == 0
    assert frame.columns == schema.resource("state_capital").column_names


def test_three_public_costs_table_10(budget):
    got = budget["three_public_costs"].select(
        "item", "parent_item", "row_kind", "total", "general_budget", "source_line").rows()
    assert got == [
        ("因公出国（境）费", None, "item", None, None, 434),
        ("公务接待费", None, "item", Decimal("1.50"), Decimal("1.50"), 435),
        ("公务用车购置及运行费", None, "group", Decimal("7.40"), Decimal("7.40"), 436),
        ("公务用车购置费", "公务用车购置及运行费", "item", None, None, 437),
        ("公务用车运行维护费", "公务用车购置及运行费", "item", Decimal("7.40"), Decimal("7.40"), 438),
        ("合计", None, "total", Decimal("8.90"), Decimal("8.90"), 439),
    ]


def test_operating_costs_table_11(budget):
    assert budget["operating_costs"].select("unit", "row_kind", "total", "general_budget").rows() == [
        ("部门合计", "total", Decimal("39.10"), Decimal("39.10")),
        ("高平市人力资源和社会保障局（高平市医疗保障局）", "item", Decimal("39.10"), Decimal("39.10")),
    ]


def test_projects_tables_12_and_13_every_row(budget):
    got = budget["projects"].to_dicts()
    assert len(got) == 64
    assert sum(1 for r in got if r["kind"] == "current") == 58
    for row, (line, kind, unit_id, name, total, general, fund) in zip(got, PROJECTS, strict=True):
        assert (row["source_line"], row["kind"], row["unit_id"], row["name"]) == (
            line, kind, unit_id, name)
        assert (row["total"], row["general_budget"], row["fund_budget"]) == (
            dec(total), dec(general), dec(fund))
    ids = [r["project_id"] for r in got]
    assert ids[0] == "p001" and ids[57] == "p058" and ids[58] == "c001" and ids[-1] == "c006"
    info = next(r for r in got if r["name"] == "信息化经费")
    assert (info["unit"], info["total"]) == ("高平市医疗保险服务中心", Decimal("30.42"))


def test_project_subtotal_rows_are_not_projects(budget):
    subtotals = budget["project_subtotals"].select("kind", "level", "unit_id", "total").rows()
    assert subtotals == [
        ("current", "department", None, Decimal("24615.35")),
        ("current", "unit", "u01", Decimal("3120.39")),
        ("current", "unit", "u02", Decimal("4141.55")),
        ("current", "unit", "u03", Decimal("38.42")),
        ("current", "unit", "u04", Decimal("11627.00")),
        ("current", "unit", "u05", Decimal("14.90")),
        ("current", "unit", "u06", Decimal("5673.09")),
        ("carryover", "department", None, Decimal("737.52")),
        ("carryover", "unit", "u01", Decimal("78.57")),
        ("carryover", "unit", "u02", Decimal("658.95")),
    ]
    projects = budget["projects"]
    assert "高平市就业和人才服务中心" not in projects["name"].to_list()
    # Each unit's projects add up to its subtotal row in this document.
    sums = projects.group_by("kind", "unit_id").agg(pl.col("total").sum())
    social = sums.filter((pl.col("kind") == "current") & (pl.col("unit_id") == "u04"))
    assert social["total"].item() == Decimal("11627.00")


def test_units(budget):
    assert budget["units"].select("unit_id", "name", "kind", "source_line").rows() == [
        ("u01", "高平市人力资源和社会保障局（高平市医疗保障局）", "行政单位", 84),
        ("u02", "高平市就业和人才服务中心", "事业单位", 84),
        ("u03", "高平市技工学校", "事业单位", 84),
        ("u04", "高平市社会保险中心", "事业单位", 84),
        ("u05", "高平市劳动人事争议仲裁院", "事业单位", 84),
        ("u06", "高平市医疗保险服务中心", "事业单位", 84),
    ]


def test_subjects_hierarchy(budget):
    subjects = budget["subjects"]
    assert subjects.height == 41
    codes = {r["code"]: r for r in subjects.to_dicts()}
    assert {c for c, r in codes.items() if r["level"] == 1} == {"205", "208", "210", "212", "221"}
    assert sum(r["level"] == 2 for r in codes.values()) == 11
    assert sum(r["level"] == 3 for r in codes.values()) == 25
    for code, row in codes.items():
        if row["level"] > 1:
            assert row["parent_code"] == code[:-2] and row["parent_code"] in codes
        else:
            assert row["parent_code"] is None
    assert codes["2120805"]["name"] == "补助被征地农民支出"
    assert codes["2120805"]["is_leaf"] and not codes["21208"]["is_leaf"]
    assert codes["2080704"]["source_line"] == 213


def test_documents_row(budget):
    doc = budget["documents"].row(0, named=True)
    assert doc["doc_id"] == DOC
    assert doc["department"] == "高平市人力资源和社会保障局（高平市医疗保障局）"
    assert doc["year"] == 2026
    assert doc["title"] == "高平市人力资源和社会保障局（高平市医疗保障局） 2026年度部门预算公开"
    assert doc["line_count"] == 2548
    assert len(doc["sha256"]) == 64


def test_no_parse_findings_on_the_sample(budget):
    parse = budget["findings"].filter(pl.col("rule").str.starts_with("parse."))
    assert parse.height == 0, parse.to_dicts()
