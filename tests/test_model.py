"""The Python API, several documents, and documents that differ from the sample."""

from __future__ import annotations

import shutil
from decimal import Decimal

import polars as pl
import pytest
from conftest import SAMPLE

import budgettui
from budgettui import schema
from budgettui.audit import RULES, check_budget


def write(tmp_path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_default_is_the_bundled_sample():
    budget = budgettui.load()
    assert budget.resources == [r.name for r in schema.RESOURCES]
    assert isinstance(budget["projects"], pl.DataFrame)
    assert budget["projects"].height == 64
    with pytest.raises(KeyError, match="unknown resource"):
        budget["nope"]


def test_folder_loads_every_document_with_distinct_ids(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(SAMPLE.read_bytes() + b"\n")  # not byte-identical
    budget = budgettui.load(tmp_path)
    assert budget["documents"]["doc_id"].to_list() == ["a", "b"]
    assert budget["projects"].height == 128
    keys = budget["projects"].select("doc_id", "project_id")
    assert keys.n_unique() == keys.height


def test_same_name_twice_gets_two_ids(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / SAMPLE.name).write_bytes(SAMPLE.read_bytes() + b"\n")
    budget = budgettui.load(SAMPLE, tmp_path / "x" / SAMPLE.name)
    assert budget["documents"]["doc_id"].to_list() == [SAMPLE.stem, f"{SAMPLE.stem}-2"]


def test_the_same_file_twice_loads_once():
    with pytest.warns(UserWarning, match=f"^{SAMPLE}: the same document as {SAMPLE} "):
        budget = budgettui.load(SAMPLE, SAMPLE)
    assert budget["documents"]["doc_id"].to_list() == [SAMPLE.stem]
    assert budget.duplicates == ((SAMPLE, SAMPLE),)


def test_another_year_parses_the_same(tmp_path, sample_text):
    budget = budgettui.load(write(tmp_path, sample_text.replace("2026", "2031")))
    assert budget["documents"]["year"].item() == 2031
    assert budget["expenditure_by_subject"].height == 42
    assert budget["projects"].height == 64


def test_printed_zero_differs_from_empty(tmp_path, sample_text):
    text = sample_text.replace("2080101\t行政运行\t235.74\t235.74\t", "2080101\t行政运行\t235.74\t235.74\t0.00")
    frame = budgettui.load(write(tmp_path, text))["expenditure_by_subject"]
    row = frame.filter(pl.col("code") == "2080101").row(0, named=True)
    assert row["project"] == Decimal("0.00")
    other = frame.filter(pl.col("code") == "2080505").row(0, named=True)
    assert other["project"] is None


def test_bad_amount_becomes_a_finding_and_keeps_the_text(tmp_path, sample_text):
    row = "2080109\t社会保险经办机构\t1621.98\t"
    text = sample_text.replace(row + "391.12", row + "39l.12")
    budget = budgettui.load(write(tmp_path, text))
    row = budget["expenditure_by_subject"].filter(pl.col("code") == "2080109").row(0, named=True)
    assert row["total"] == Decimal("1621.98") and row["basic"] is None
    finding = budget["findings"].filter(pl.col("rule") == "parse.bad_amount").row(0, named=True)
    assert (finding["source_line"], finding["actual"], finding["resource"], finding["key"]) == (
        203, "39l.12", "expenditure_by_subject", "2080109")


def test_wrapped_name_is_joined(tmp_path, sample_text):
    text = sample_text.replace(
        "2080111\t公共就业服务和职业技能鉴定机构\t420.40\t274.80\t145.60",
        "2080111\t公共就业服务和职业技能\t420.40\t274.80\t145.60\n\t鉴定机构\t\t\t",
    )
    budget = budgettui.load(write(tmp_path, text))
    row = budget["expenditure_by_subject"].filter(pl.col("code") == "2080111").row(0, named=True)
    assert row["name"] == "公共就业服务和职业技能鉴定机构" and row["source_line"] == 204
    assert budget["expenditure_by_subject"].height == 42
    assert "parse.wrapped_row" in budget["findings"]["rule"].to_list()


def test_missing_table_is_a_finding(tmp_path, sample_text):
    lines = sample_text.split("\n")
    kept = lines[:396] + lines[408:]  # drop table 8 (lines 397–408)
    budget = budgettui.load(write(tmp_path, "\n".join(kept)))
    assert budget["fund_expenditure"].height == 0
    finding = budget["findings"].filter(pl.col("rule") == "parse.missing_table").row(0, named=True)
    assert finding["key"] == "表8" and finding["severity"] == "error"
    assert budget["fund_income"].height == 4  # its neighbour still parses


def test_unit_rows_found_by_sum_when_not_named_elsewhere(tmp_path, sample_text):
    # Without 机构设置 and table 11 the unit rows of table 12 are still recognised.
    text = sample_text.replace("五个事业单位", "五家").replace("一个行政单位", "一家")
    text = text.replace("部门合计\t39.10", "合计\t39.10")
    budget = budgettui.load(write(tmp_path, text))
    units = budget["project_subtotals"].filter(pl.col("level") == "unit")["unit"].to_list()
    assert "高平市医疗保险服务中心" in units and "高平市技工学校" in units
    assert budget["projects"].height == 64


def test_performance_tables_are_linked_in_the_budget(budget):
    targets = budget["performance_targets"]
    assert targets.height == 55 and targets["project_id"].null_count() == 0
    projects = budget["projects"]
    info = projects.filter(pl.col("name") == "信息化经费").row(0, named=True)
    table = targets.filter(pl.col("project_id") == info["project_id"]).row(0, named=True)
    assert (table["perf_id"], table["annual_funds"], table["source_line"]) == (
        "perf-016", Decimal("304200.00"), 1136)
    annual = budget["indicators"].filter(
        (pl.col("project_id") == info["project_id"]) & (pl.col("period") == "annual"))
    assert annual.select("level2", "name", "value").rows() == [
        ("数量指标", "医疗保险网络使用条数", "401条"),
        ("质量指标", "支付足额率", "100%"),
        ("时效指标", "医疗保险网络使用费支付时间", "当年9月前"),
        ("成本指标", "该项目总金额", "30.42万元"),
        ("社会效益指标", "提高城乡居民医保信息化管理水平和工作效率", "提高"),
        ("服务对象满意度指标", "相关人员满意度", "≥90%"),
    ]
    assert budget["indicators"]["project_id"].null_count() == 0
    without = budget["findings"].filter(pl.col("rule") == "link.project_without_table")
    assert without["key"].to_list() == ["p001", "p019", "p027", "c001", "c002", "c003", "c004",
                                        "c005", "c006"]


def test_table_12_上年结转_column_is_read_as_a_part_of_合计(tmp_path, sample_text):
    # 深圳 prints 上年结余、结转 after 单位资金; here the sample's table 12 gets a 上年结转 column,
    # 就业金专项 20.00 = 一般公共预算 18.00 + 上年结转 2.00 (its unit and department rows alike)
    lines = sample_text.splitlines()
    start = lines.index("2026年项目支出预算表（本年预算）")
    stop = lines.index("2026年项目支出预算表（上年结转）")
    changed = {"就业金专项": ("20.00", "18.00", "2.00"), "高平市人力资源和社会保障局（高平市医疗保障局）": None}
    seen = 0
    for index in range(start, stop):
        cells = lines[index].split("\t")
        if len(cells) < 6:
            continue
        cells += [""] * (7 - len(cells))
        extra = {"项目名称": "上年结转", "": "", "1": "8"}.get(cells[0], "0.00")
        if cells[0] == "就业金专项":
            cells[1:3], extra = list(changed["就业金专项"][:2]), changed["就业金专项"][2]
        elif cells[0] in changed:  # the department row, then the unit's subtotal row
            seen += 1
            cells[2] = {1: "23142.21", 2: "3118.39"}[seen]
            extra = "2.00"
        lines[index] = "\t".join([*cells, extra])
    budget = budgettui.load(write(tmp_path, "\n".join(lines)))
    projects = budget["projects"]
    row = projects.filter(pl.col("name") == "就业金专项").row(0, named=True)
    assert (row["total"], row["general_budget"], row["carryover"]) == (
        Decimal("20.00"), Decimal("18.00"), Decimal("2.00"))
    current = projects.filter(pl.col("kind") == "current")
    assert current.height == 58 and current["carryover"].sum() == Decimal("2.00")
    assert current["carryover"].null_count() == 0
    assert projects.filter(pl.col("kind") == "carryover")["carryover"].null_count() == 6
    subtotals = budget["project_subtotals"].filter(pl.col("kind") == "current")
    assert subtotals.select("level", "general_budget", "carryover").rows()[:2] == [
        ("department", Decimal("23142.21"), Decimal("2.00")), ("unit", Decimal("3118.39"), Decimal("2.00"))]
    assert "parse.unmapped_column" not in budget.parsed_findings["rule"].to_list()
    only = [r for r in RULES if r.startswith("t12.")]
    assert [f for f in check_budget(budget, only=only).findings if f["severity"] == "error"] == []
