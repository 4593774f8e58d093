"""The national expenditure functional classification list and its resolver."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import pytest

from budgettui.classification import (
    format_years,
    level_of,
    name_of,
    normalise_name,
    parent_of,
    parse_years,
    resolve,
    subjects,
)


def _rows() -> list[dict[str, str]]:
    text = resources.files("budgettui").joinpath("classification.tsv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def test_tsv_shape() -> None:
    rows = _rows()
    assert list(rows[0]) == ["code", "name", "level", "parent_code", "years"]
    codes = {r["code"] for r in rows}
    for row in rows:
        code = row["code"]
        assert code.isdigit() and len(code) in (3, 5, 7), row
        assert int(row["level"]) == {3: 1, 5: 2, 7: 3}[len(code)]
        assert row["parent_code"] == (code[:-2] if len(code) > 3 else "")
        assert not row["parent_code"] or row["parent_code"] in codes, f"{code} has no parent row"
        assert 201 <= int(code[:3]) <= 234
        assert parse_years(row["years"]) <= set(range(2021, 2027)) and row["years"]
        assert row["name"] == row["name"].strip() and "\t" not in row["name"]
        assert "(" not in row["name"], "official names use full-width brackets"
    pairs = Counter((r["code"], r["name"]) for r in rows)
    assert max(pairs.values()) == 1


def test_counts_per_level() -> None:
    levels = Counter(s.level for s in subjects())
    lei = sorted(s.code for s in subjects() if s.level == 1)
    assert len(lei) == 29
    assert lei[0] == "201" and lei[-1] == "234"
    assert {"227", "229", "230", "231", "232", "233"} <= set(lei)
    assert not {"209", "218", "225", "226", "228"} & set(lei)
    assert levels[2] >= 200
    assert levels[3] >= 350
    # every 类 in use has at least one 款, except 预备费 and 转移性支出 (款 not shipped) and 234
    with_kuan = {s.code[:3] for s in subjects() if s.level == 2}
    assert set(lei) - with_kuan == {"227", "230", "234"}


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("201", "一般公共服务支出"),
        ("208", "社会保障和就业支出"),
        ("20805", "行政事业单位养老支出"),
        ("2080505", "机关事业单位基本养老保险缴费支出"),
        ("2080506", "机关事业单位职业年金缴费支出"),
        ("2010101", "行政运行"),
        ("20103", "政府办公厅（室）及相关机构事务"),
        ("2101101", "行政单位医疗"),
        ("2210201", "住房公积金"),
        ("224", "灾害防治及应急管理支出"),
        ("2296002", "用于社会福利的彩票公益金支出"),
        ("20609", "科技重大项目"),
    ],
)
def test_name_of(code: str, name: str) -> None:
    assert name_of(code) == name


def test_name_of_code_forms_and_unknown() -> None:
    assert name_of("208 05 05") == "机关事业单位基本养老保险缴费支出"
    assert name_of("[201]") == "一般公共服务支出"
    assert name_of("2089998") is None
    assert name_of("301") is None  # economic classification, not functional
    assert name_of("") is None


def test_name_of_by_year() -> None:
    assert name_of("20140", 2026) == "信访事务"
    assert name_of("20140", 2023) is None  # the 款 came in 2025; before that 信访 was a 项 of 20103
    assert name_of("2010308", 2022) == "信访事务"
    assert name_of("2010308", 2026) is None
    assert name_of("2080505", 2030) == name_of("2080505", 2026)  # clamped to the covered years


def test_resolve_unique_names() -> None:
    assert resolve("社会保障和就业支出") == "208"
    assert resolve("机关事业单位基本养老保险缴费支出") == "2080505"
    assert resolve("住房公积金") == "2210201"
    assert resolve("教育支出") == "205"
    assert resolve("教育") == "21902"  # 援助其他地区支出 / 教育: exact names win over the 支出 suffix rule


def test_resolve_normalises() -> None:
    assert resolve("  社会保障和 就业支出 ") == "208"
    assert resolve("[201]一般公共服务支出") == "201"
    assert resolve("【201】一般公共服务支出") == "201"
    assert resolve("201 一般公共服务支出") == "201"
    assert resolve("一般公共服务支出[201]") == "201"
    assert resolve("2080505机关事业单位基本养老保险缴费支出") == "2080505"
    assert resolve("政府办公厅(室)及相关机构事务") == "20103"
    assert resolve("政府办公厅（室）及相关机构事务") == "20103"
    assert resolve("社会保障和就业") == "208"  # the 支出 suffix is optional
    assert resolve("机关事业单位基本养老保险缴费") == "2080505"
    assert resolve("社会保障和就业支出（类）") == "208"
    assert resolve("ＸＸ") is None
    assert normalise_name(" [201] 一般公共服务支出 ") == "一般公共服务支出"


def test_resolve_with_parent() -> None:
    assert resolve("行政运行", parent="20101") == "2010101"
    assert resolve("行政运行", parent="20402") == "2040201"
    assert resolve("行政运行", parent="22401") == "2240101"
    assert resolve("事业运行", parent="20105") == "2010550"
    assert resolve("一般行政管理事务", parent="201 05") == "2010502"
    # a 款 row right after another 款's items: the enclosing 类 decides
    assert resolve("政协事务", parent="20101") == "20102"
    # the same name as 款 and as its 项
    assert resolve("其他社会保障和就业支出", parent="208") == "20899"
    assert resolve("其他社会保障和就业支出", parent="20899") == "2089999"
    assert resolve("其他支出", parent="229") == "22999"
    assert resolve("其他支出", parent="22406") == "229"  # not in 224: the next 类
    assert resolve("其他支出", parent="224") == "229"
    assert resolve("一般公共服务", parent="219") == "21901"


def test_resolve_ambiguous_or_unknown() -> None:
    assert resolve("行政运行") is None
    assert resolve("行政运行", parent="201") is None  # several 款 of 201 have one
    assert resolve("其他社会保障和就业支出") is None
    assert resolve("其他支出") is None
    assert resolve("信访事务") is None  # 2010308 until 2024, 20140 from 2025
    assert resolve("信访事务", year=2023) == "2010308"
    assert resolve("信访事务", year=2026) == "20140"
    assert resolve("不存在的科目名称") is None
    assert resolve("") is None
    assert resolve("行政运行", parent="99999") is None


def test_levels_and_parents() -> None:
    assert level_of("208") == 1
    assert level_of("20805") == 2
    assert level_of("208 05 05") == 3
    assert level_of("2080") is None
    assert parent_of("2080505") == "20805"
    assert parent_of("20805") == "208"
    assert parent_of("208") is None


def test_years_round_trip() -> None:
    assert parse_years("2021-2023,2025") == {2021, 2022, 2023, 2025}
    assert format_years({2021, 2022, 2023, 2025}) == "2021-2023,2025"
    assert format_years(parse_years("2021-2026")) == "2021-2026"
    assert format_years({2024}) == "2024"
