"""Performance targets printed as text (target_tables) and their linking, on real documents.

Excerpts are the PDF text dumps' lines as printed, cells separated by `|` (TAB in the dump),
numbered as in the dump. Amounts are read off the page (万元) and expected in 元.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from conftest import ROOT

import budgettui
from budgettui import schema
from budgettui.linking import link_performance
from budgettui.sources import Line
from budgettui.target_tables import parse_text_targets

PDFS = ROOT / "tests" / "pdfs"
CORPUS = ROOT.parent / "shared" / "corpus"
corpus = pytest.mark.skipif(not CORPUS.exists(), reason="the corpus is not beside this checkout")


def lines(excerpt: tuple[int, str]) -> list[Line]:
    first, text = excerpt
    return [Line(first + i, row.replace("|", "\t")) for i, row in enumerate(text.splitlines())]


#: 深圳市发展和改革委员会 第七部分, lines 80–97: a unit column first, the unit's name and the goal
#: wrapped onto the next line (line 93), a note closing the table.
SHENZHEN_FGW = 80, """\
2026年，本单位重点项目绩效目标情况如下：
二级预算单位名称|一级项目名称|预算数（万元）|绩效目标
深圳市发展和改革委员会（本级）|论坛经费|100.00|举办光明科学城论坛。
深圳市发展和改革委员会（本级）|能源与节能减排业务|1,592.27|保障供用电和油气管道安全。推动我市数字能源产业发展。组织实施节能目标责任评价和碳预算目标分解工作。
深圳市发展和改革委员会（本级）|深圳市发展和改革委员会专项资金|1,257,692.64|推动我市半导体与集成电路、新能源、高端医疗器械、生物医药等产业发展。
深圳市发展和改革委员会（本级）|投资管理业务|404.14|完成年度政府投资项目验收工作任务，开展后评价工作。
深圳市发展和改革委|物资储备业务|124.73|对储备粮油进行检查，开展
员会（本级）|||储备费用结算审计，落实粮食安全责任制。
深圳市发展和改革委员会（本级）|项目管理业务|924.27|完成年度扶持项目评审、验收和绩效评价工作。
备注：涉密项目按要求不予公开。
第八部分 其他需要说明情况
深圳市发展和改革委员会（本级）|不是表格|1.00|表格已结束
"""

#: 广州市科学技术局 七、重点项目预算绩效目标情况, lines 412–415 (the header printed again on the
#: next page at line 413; amounts printed without decimals).
GUANGZHOU_KJJ = 411, """\
项目|预算数（单位：万元）|绩效目标
创新环境计划|1,012|聚焦创新生态，实施创新环境计划，激发创新主体的活力。
项目|预算数（单位：万元）|绩效目标
合作共建广东省灵山论坛科学中心|500|通过广东省、广州市、南沙区共同建设广东省灵山论坛科学中心。
注：无。
"""


def test_narrative_rows_with_a_unit_column_and_wrapped_cells() -> None:
    result = parse_text_targets(lines(SHENZHEN_FGW), "x")
    got = [(t["perf_id"], t["name"], t["unit"], t["annual_funds"], t["source_line"], t["last_line"])
           for t in result.targets]
    unit = "深圳市发展和改革委员会（本级）"
    assert got == [
        ("perf-001", "论坛经费", unit, Decimal("1000000.00"), 82, 82),
        ("perf-002", "能源与节能减排业务", unit, Decimal("15922700.00"), 83, 83),
        ("perf-003", "深圳市发展和改革委员会专项资金", unit, Decimal("12576926400.00"), 84, 84),
        ("perf-004", "投资管理业务", unit, Decimal("4041400.00"), 85, 85),
        ("perf-005", "物资储备业务", unit, Decimal("1247300.00"), 86, 87),  # wrapped onto 87
        ("perf-006", "项目管理业务", unit, Decimal("9242700.00"), 88, 88),
    ]
    assert result.targets[4]["goal_annual"] == "对储备粮油进行检查，开展储备费用结算审计，落实粮食安全责任制。"
    assert {(t["layout"], t["kind"], t["funds_unit"]) for t in result.targets} == {
        ("narrative", "project", "万元")}
    assert result.findings == []  # the rows after the note are not read


def test_narrative_header_printed_again_and_numbering_after_other_tables() -> None:
    result = parse_text_targets(lines(GUANGZHOU_KJJ), "x", start=31)
    assert [(t["perf_id"], t["name"], t["annual_funds"]) for t in result.targets] == [
        ("perf-032", "创新环境计划", Decimal("10120000.00")),
        ("perf-033", "合作共建广东省灵山论坛科学中心", Decimal("5000000.00")),
    ]
    assert result.targets[1]["goal_annual"] == "通过广东省、广州市、南沙区共同建设广东省灵山论坛科学中心。"


def test_narrative_total_row_and_missing_unit() -> None:
    result = parse_text_targets(lines((1, "项目|金额|绩效目标\n合计|10.00|\n甲项目|10.00|完成甲。\n")), "x")
    assert [(t["name"], t["annual_funds"], t["funds_unit"]) for t in result.targets] == [
        ("甲项目", Decimal("100000.00"), "万元")]
    assert [(f["rule"], f["message"]) for f in result.findings] == [
        ("perf.funds_unit", "「金额」未印单位，按万元读"), ("perf.subtotal_row", "「合计」行是合计，不是项目")]


# ---------------------------------------------------------------- whole documents


@pytest.fixture(scope="module")
def guangzhou() -> budgettui.Budget:
    return budgettui.load(PDFS / "guangzhou-xinfang-2026.pdf")


def test_guangzhou_table_12_goal_column_is_each_projects_target(guangzhou) -> None:
    targets = guangzhou["performance_targets"]
    assert targets["layout"].to_list() == ["project_column"] * 9
    assert targets["project_id"].to_list() == [f"p{i:03d}" for i in range(1, 10)]
    row = targets.filter(pl.col("name") == "云客服服务外包项目").row(0, named=True)
    assert (row["perf_id"], row["annual_funds"], row["funds_unit"], row["unit"]) == (
        "perf-005", Decimal("2522800.00"), "万元", "广州市信访局")
    assert row["goal_annual"].startswith("组建专业的客服服务团队，利用通信网络、实时沟通工具")
    assert (row["source_page"], row["source_line"]) == (19, 12)
    findings = guangzhou["findings"]
    # 七、重点项目预算绩效目标情况 prints the same project, funds and text again
    repeated = findings.filter(pl.col("rule") == "perf.repeated")
    assert repeated["message"].to_list() == [
        "重点项目「云客服服务外包项目」的绩效目标与项目表所印（perf-005）相同，不重复记录"]
    assert findings.filter(pl.col("rule").str.starts_with("link.")).height == 0  # was 9 warnings
    assert findings.filter(pl.col("rule") == "target.funds_split").height == 0


def test_shenzhen_narrative_targets_link_to_every_project() -> None:
    budget = budgettui.load(PDFS / "shenzhen-xinfang-2026.pdf")
    targets = budget["performance_targets"]
    assert targets.select("name", "annual_funds", "project_id").rows() == [
        ("社工服务项目", Decimal("4988200.00"), "p001"),
        ("信访大厅运行", Decimal("6038400.00"), "p002"),
        ("信访专项", Decimal("4863900.00"), "p003"),
        ("预算准备金", Decimal("49000.00"), "p004"),
        ("政务信息化项目（系统业务运营服务）", Decimal("4400.00"), "p005"),
        ("综合管理", Decimal("179100.00"), "p006"),
    ]
    goal = targets["goal_annual"][1]  # wrapped onto a line of its own, over a page
    assert "推动“普法”与信访无缝衔接，全面构建深圳信访工作新体" in goal
    assert goal.endswith("维护社会和谐稳定。")
    assert budget["findings"].filter(pl.col("rule").str.starts_with("link.")).height == 0  # was 6


# ---------------------------------------------------------------- linking


def _target(perf_id: str, name: str, funds: str, layout: str, line: int) -> dict:
    return {"doc_id": "d", "perf_id": perf_id, "kind": "project", "layout": layout, "name": name,
            "annual_funds": Decimal(funds), "source_line": line}


def _project(pid: str, name: str, total: str, line: int) -> dict:
    return {"doc_id": "d", "project_id": pid, "kind": "current", "name": name,
            "total": Decimal(total), "source_line": line}


def _link(targets: list[dict], projects: list[dict]) -> tuple[list[str | None], list[dict]]:
    frame, findings = link_performance(schema.resource("performance_targets").frame(targets),
                                       schema.resource("projects").frame(projects))
    return frame["project_id"].to_list(), findings


def test_text_layouts_link_apart_from_each_other() -> None:
    # 广州 发改委: 市级重要商品储备财政补助经费 in 表12 and, with a longer text, in 七
    projects = [_project("p002", "市级重要商品储备财政补助经费", "7287.89", 12)]
    targets = [_target("perf-002", "市级重要商品储备财政补助经费", "72878900", "project_column", 12),
               _target("perf-050", "市级重要商品储备财政补助经费", "72878900", "narrative", 470)]
    ids, findings = _link(targets, projects)
    assert ids == ["p002", "p002"]
    assert findings == []


def test_a_target_over_a_run_of_projects_covers_them() -> None:
    # 深圳 发改委: the 一级项目 专项资金 (1,257,692.64 万元) over the four 二级 projects that
    # table 12 prints; 上级转移支付资金 and 政务信息化项目 are no 重点项目
    projects = [
        _project("p009", "上级转移支付资金（中央预算内投资）", "1370.60", 7),
        _project("p010", "深圳市发展改革委专项资金重大科研平台自主攻关领域", "23600.00", 8),
        _project("p011", "深圳市发展和改革委员会专项资金-高新技术重大项目领域", "1040000.00", 9),
        _project("p012", "深圳市发展和改革委员会专项资金-物资储备领域", "110000.00", 10),
        _project("p013", "深圳市发展和改革委员会专项资金-战略性新兴产业领域", "84092.64", 11),
        _project("p014", "投资管理业务", "404.14", 12),
    ]
    targets = [_target("perf-009", "深圳市发展和改革委员会专项资金", "12576926400", "narrative", 90),
               _target("perf-010", "投资管理业务", "4041400", "narrative", 91)]
    ids, findings = _link(targets, projects)
    assert ids == [None, "p014"]
    assert [(f["rule"], f["severity"], f["key"]) for f in findings] == [
        ("link.table_covers_projects", "info", "perf-009"),
        ("link.project_without_table", "info", "p009"),
    ]
    assert findings[0]["message"].startswith(
        "绩效目标「深圳市发展和改革委员会专项资金」的资金是4个项目「深圳市发展改革委专项资金重大科研平台自主攻关领域」")
    assert findings[1]["message"] == "项目「上级转移支付资金（中央预算内投资）」未列入重点项目绩效目标"


def test_projects_mostly_without_a_table_are_one_finding() -> None:
    projects = [_project(f"p{i:03d}", f"高中经费{i}", "1.00", i) for i in range(1, 13)]
    _, findings = _link([], projects)
    assert [(f["rule"], f["severity"], f["key"], f["actual"]) for f in findings] == [
        ("link.projects_without_table", "warning", "p001", "12")]
    assert findings[0]["message"] == ("12个项目（共12个）未印绩效目标表，如「高中经费1」「高中经费2」「高中经费3」"
                                      "；文件未印绩效目标表")


def test_tables_of_a_document_without_a_project_table_are_one_finding() -> None:
    targets = [_target(f"perf-{i:03d}", f"综合工作经费{i}", "10000", "single_period", i)
               for i in range(1, 4)]
    ids, findings = _link(targets, [])
    assert ids == [None] * 3
    assert [(f["rule"], f["severity"], f["message"]) for f in findings] == [
        ("link.no_project_table", "info", "文件未印项目支出表：3张绩效目标表无项目可关联")]


# ---------------------------------------------------------------- the corpus


@corpus
def test_corpus_guangzhou_and_shenzhen_targets() -> None:
    budget = budgettui.load(CORPUS / "广州" / "广州_国有资产监督管理委员会_2026年部门预算.pdf",
                            CORPUS / "深圳" / "2026年深圳市发展和改革委员会部门预算.pdf", jobs=1)
    targets = budget["performance_targets"]
    counts = targets.group_by("doc_id", "layout").len().sort("doc_id").rows()
    assert counts == [("2026年深圳市发展和改革委员会部门预算", "narrative", 14),
                      ("广州_国有资产监督管理委员会_2026年部门预算", "project_column", 37)]
    findings = budget["findings"]
    rules = findings.filter(pl.col("rule").str.starts_with("link.") | (pl.col("rule") == "perf.repeated"))
    assert sorted(rules.group_by("rule").len().rows()) == [
        ("link.project_without_table", 2), ("link.table_covers_projects", 1), ("perf.repeated", 26)]
    row = targets.filter(pl.col("name") == "市属企业科技创新支持资金").row(0, named=True)
    assert (row["annual_funds"], row["project_id"] is not None) == (Decimal("280000000.00"), True)


def test_fuzhou_targets_without_a_project_table_are_one_finding() -> None:
    # 福州 prints its 项目绩效目标表 in 情况说明 七、but no project table (no 表12)
    budget = budgettui.load(PDFS / "fuzhou-zhian-2026.pdf")
    assert budget["projects"].height == 0
    assert budget["performance_targets"]["name"].to_list() == ["警务辅助人员经费", "民警法定工作日之外加班补贴"]
    link = budget["findings"].filter(pl.col("rule").str.starts_with("link."))
    assert link.select("rule", "severity", "message").rows() == [
        ("link.no_project_table", "info", "文件未印项目支出表：2张绩效目标表无项目可关联")]


@corpus
def test_corpus_a_document_printing_no_target_table_is_one_finding() -> None:
    # 烟台 教育局 names （二）部门主管专项资金的绩效目标表 but prints none: was 217 warnings
    budget = budgettui.load(CORPUS / "烟台" / "2026年烟台市教育局部门预算.pdf")
    link = budget["findings"].filter(pl.col("rule").str.starts_with("link."))
    assert link.select("rule", "severity", "actual").rows() == [
        ("link.projects_without_table", "warning", "217")]
    assert link["message"][0].startswith("217个项目（共217个）未印绩效目标表，如「实施公车统管」")
