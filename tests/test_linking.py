"""Linking performance tables to the projects of tables 12 and 13."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from budgettui import schema
from budgettui.linking import THRESHOLD, link_performance
from budgettui.performance import parse_performance
from budgettui.sources import Line, read_source

SAMPLE = "data/000_6fa2890cbbd11825.txt"
#: Department and unit subtotal rows of tables 12/13 (not projects).
UNITS = {
    "高平市人力资源和社会保障局（高平市医疗保障局）", "高平市就业和人才服务中心",
    "高平市技工学校", "高平市社会保险中心", "高平市劳动人事争议仲裁院",
    "高平市医疗保险服务中心",
}
CARRYOVER_TITLE = 528  # 2026年项目支出预算表（上年结转）


def sample_projects(lines: list[Line], doc_id: str = "000") -> pl.DataFrame:
    """The projects of tables 12 and 13 (lines 461–545), read by hand for these tests."""
    rows, counts = [], {"current": 0, "carryover": 0}
    for line in lines[460:545]:
        cells = line.cells
        if len(cells) < 2 or cells[0] in UNITS or not cells[1].replace(".", "").isdigit():
            continue
        if cells[0] == "1":  # the column-number row
            continue
        kind = "current" if line.no < CARRYOVER_TITLE else "carryover"
        counts[kind] += 1
        rows.append({
            "doc_id": doc_id, "project_id": f"{'p' if kind == 'current' else 'c'}{counts[kind]:03d}", "kind": kind,
            "seq": counts[kind], "name": cells[0], "total": Decimal(cells[1]),
            "source_line": line.no,
        })
    return schema.resource("projects").frame(rows)


@pytest.fixture(scope="module")
def lines() -> list[Line]:
    return read_source(SAMPLE).lines


@pytest.fixture(scope="module")
def projects(lines: list[Line]) -> pl.DataFrame:
    return sample_projects(lines)


@pytest.fixture(scope="module")
def targets(lines: list[Line]) -> pl.DataFrame:
    rows = parse_performance(lines, "000").targets
    return schema.resource("performance_targets").frame(rows)


@pytest.fixture(scope="module")
def linked(targets: pl.DataFrame, projects: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    return link_performance(targets, projects)


def project_of(linked: tuple[pl.DataFrame, list[dict]], projects: pl.DataFrame,
               source_line: int) -> tuple[str, Decimal]:
    row = linked[0].filter(pl.col("source_line") == source_line).row(0, named=True)
    name = projects.filter(pl.col("project_id") == row["project_id"])["name"].item()
    return name, row["match_score"]


def test_sample_projects(projects: pl.DataFrame) -> None:
    kinds = projects["kind"].to_list()
    assert (kinds.count("current"), kinds.count("carryover")) == (58, 6)


def test_every_table_is_linked_once(linked: tuple[pl.DataFrame, list[dict]]) -> None:
    frame, findings = linked
    assert frame.height == 55
    assert frame["project_id"].null_count() == 0
    assert frame["project_id"].n_unique() == 55
    assert frame.schema["match_score"] == schema.NUMBER
    assert not [f for f in findings if f["rule"] == "link.table_without_project"]


@pytest.mark.parametrize(
    ("source_line", "project", "score"),
    [
        (734, "创建省级就业型城市经费", Decimal("90.9091")),  # 创业型 in the table
        (1070, "城乡居民基本医疗保险工作经费", Decimal("92.3077")),  # 基本 missing
        (1104, "全国医疗保障服务示范工作经费", Decimal("96.5517")),  # 示范点
        (622, "（晋财社〔2025〕171号）2026年中央财政医疗服务与保障能力提升补助资金"
              "（医疗保障服务能力建设部分）", Decimal(100)),  # () and 【】
        (661, "（晋财社〔2025〕174号）提前下达2026年省级财政就业补助资金", Decimal(100)),  # 《》
        (698, "（晋财社〔2025〕174号）提前下达2026年中央财政就业补助资金", Decimal(100)),
        (1230, "（晋市财社〔2025〕112号）2026年中央财政医疗救助补助资金", Decimal(100)),
        (1262, "（晋市财社〔2025〕108号）2026年省级财政医疗救助补助资金", Decimal(100)),
        (1295, "（晋市财社〔2025〕108号）2026年市级财政医疗救助补助资金", Decimal(100)),
        (2423, "被征地农民社会保障费（高财社〔2025〕154号原2025年项目）", Decimal(100)),
        (1167, "“城乡居民基本医疗保险个人缴费补贴”和“困难人群慢性病门诊兜底保障”资金",
         Decimal(100)),
        (1328, "城乡医疗救助本级补助（三保）", Decimal(100)),
    ],
)
def test_links(linked: tuple[pl.DataFrame, list[dict]], projects: pl.DataFrame,
               source_line: int, project: str, score: Decimal) -> None:
    assert project_of(linked, projects, source_line) == (project, score)


def test_projects_without_table(linked: tuple[pl.DataFrame, list[dict]]) -> None:
    missing = [(f["key"], f["severity"], f["source_line"]) for f in linked[1]
               if f["rule"] == "link.project_without_table"]
    assert missing == [
        ("p001", "warning", 463), ("p019", "warning", 482), ("p027", "warning", 490),
        ("c001", "info", 539), ("c002", "info", 540), ("c003", "info", 541),
        ("c004", "info", 542), ("c005", "info", 544), ("c006", "info", 545),
    ]
    assert "医保局违法违规使用医疗保障基金举报奖励经费" in linked[1][0]["message"]


def _table(name: str, annual: str | None, line: int, doc_id: str = "d") -> dict:
    return {"doc_id": doc_id, "perf_id": f"perf-{line:03d}", "name": name,
            "annual_funds": Decimal(annual) if annual else None, "source_line": line}


def _project(pid: str, name: str, total: str, kind: str = "current",
             doc_id: str = "d") -> dict:
    return {"doc_id": doc_id, "project_id": pid, "kind": kind, "name": name,
            "total": Decimal(total), "source_line": int(pid[1:])}


def _link(tables: list[dict], projects: list[dict]) -> tuple[list[str | None], list[dict]]:
    frame, findings = link_performance(schema.resource("performance_targets").frame(tables),
                                       schema.resource("projects").frame(projects))
    return frame["project_id"].to_list(), findings


def test_amount_breaks_ties_between_equal_names() -> None:
    projects = [_project("c041", "稳就业扩大社会保险补贴范围补助资金", "41.00", "carryover"),
                _project("c042", "稳就业扩大社会保险补贴范围补助资金", "2.00", "carryover")]
    ids, _ = _link([_table("稳就业扩大社会保险补贴范围补助资金", "20000", 1)], projects)
    assert ids == ["c042"]


def test_amount_within_rounding() -> None:
    projects = [_project("p001", "甲项目经费", "471.14"), _project("p002", "甲项目经费", "471.00")]
    ids, _ = _link([_table("甲项目经费", "4711353.08", 1)], projects)
    assert ids == ["p001"]  # 471.14 万元 printed for 4,711,353.08 元


def test_below_threshold_stays_unlinked() -> None:
    ids, findings = _link([_table("劳动保障维权业务费", "85000", 7)],
                          [_project("p001", "劳动人事争议调解仲裁业务费", "8.50")])
    assert ids == [None]
    rules = sorted((f["rule"], f["key"], f["source_line"]) for f in findings)
    assert rules == [("link.project_without_table", "p001", 1),
                     ("link.table_without_project", "perf-007", 7)]
    assert THRESHOLD == 90.0


def test_one_project_per_table_unless_split() -> None:
    projects = [_project("p001", "公益性岗位补贴", "30.00")]
    tables = [_table("公益性岗位补贴", "200000", 1), _table("公益性岗位补贴", "100000", 2)]
    assert _link(tables, projects)[0] == ["p001", "p001"]  # a split project: 20 + 10 万元
    tables = [_table("公益性岗位补贴", "300000", 1), _table("公益性岗位补贴", "200000", 2)]
    ids, findings = _link(tables, projects)
    assert ids == ["p001", None]  # 30 + 20 万元 > 30 万元: neither a split nor the same table
    assert [f["key"] for f in findings] == ["perf-002"]


def test_a_table_printed_twice_links_both_copies() -> None:
    # 烟台 宣传部 prints the 专项资金 tables under （二） and again under （三）
    projects = [_project("p006", "文化产业发展专项资金", "430.00")]
    tables = [_table("文化产业发展专项资金", "4300000", 460), _table("文化产业发展专项资金", "4300000", 618)]
    ids, findings = _link(tables, projects)
    assert ids == ["p006", "p006"]
    assert [(f["rule"], f["severity"], f["key"], f["message"]) for f in findings] == [
        ("link.table_repeated", "info", "perf-618",
         "绩效目标表「文化产业发展专项资金」与perf-460同名、同金额，是同一项目的表印了两次")]


def test_a_lower_score_links_when_the_funds_agree() -> None:
    # 西安 统计局: the table's 第四次全国农业普查 (87.5) for the project 第四次农业普查, 1,607.39 万元
    projects = [_project("p008", "第四次农业普查", "1607.39"), _project("p009", "农业普查设备购置", "600.00")]
    assert _link([_table("第四次全国农业普查", "16073900", 1)], projects)[0] == ["p008"]
    assert _link([_table("第四次全国农业普查", "16000000", 1)], projects)[0] == [None]


def test_documents_are_linked_separately() -> None:
    projects = [_project("p001", "甲项目经费", "1.00", doc_id="a"),
                _project("p001", "甲项目经费", "1.00", doc_id="b")]
    tables = [_table("甲项目经费", "10000", 1, doc_id="b")]
    ids, findings = _link(tables, projects)
    assert ids == ["p001"]
    assert [(f["doc_id"], f["rule"]) for f in findings] == [("a", "link.project_without_table")]
