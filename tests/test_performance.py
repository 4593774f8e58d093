"""项目支出绩效目标表 of the sample: header block, realigned grid, continuation, targets."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from budgettui import schema
from budgettui.performance import (
    PerformanceResult,
    clean_text,
    name_key,
    parse_performance,
)
from budgettui.sources import Line, read_source

SAMPLE = "data/000_6fa2890cbbd11825.txt"
LEVEL1 = {
    "数量": "产出指标", "质量": "产出指标", "时效": "产出指标", "成本": "产出指标",
    "经济效益": "效益指标", "社会效益": "效益指标", "生态效益": "效益指标",
    "可持续影响": "效益指标", "服务对象满意度": "满意度指标",
}


def performance_lines(lines: list[Line]) -> list[Line]:
    """From the first table title to the line before 十一、国有资产占有使用情况."""
    start = next(i for i, line in enumerate(lines) if "项目支出绩效目标表" in line.text)
    end = next(i for i in range(start, len(lines)) if lines[i].text.startswith("十一、国有资产"))
    return lines[start:end]


@pytest.fixture(scope="module")
def sample_lines() -> list[Line]:
    return read_source(SAMPLE).lines


@pytest.fixture(scope="module")
def result(sample_lines: list[Line]) -> PerformanceResult:
    return parse_performance(performance_lines(sample_lines), "000")


def target(result: PerformanceResult, source_line: int) -> dict:
    return next(t for t in result.targets if t["source_line"] == source_line)


def indicators(result: PerformanceResult, source_line: int, period: str) -> list[dict]:
    perf_id = target(result, source_line)["perf_id"]
    return [i for i in result.indicators if i["perf_id"] == perf_id and i["period"] == period]


# Every indicator of ten tables, keyed by (title line, period): (level 2 without 指标, 三级指标,
# 指标值). Between them they show each kind of damage:
# 622  right half shifted left on rows 646, 649–653; placeholders 654, 656, 657
# 698  time indicator in the wrong columns (724): one copy serves both halves
# 769  extra leading 产出指标 (789), repeated level names (790–798), halves differ (791)
# 1167 a table continued on the next page (1201), rows 1222– inherit 成本指标; halves in
#      different order (1187–1194, 1224–1225); level 2 in the level-1 column (1223)
# 1486 halves in different order; extra 满意度 row without level names (1518)
# 970  double-spaced columns, halves with different indicators, a value lost (994)
# 1104 cells of the right half one row down (1126–1127)
# 2223 one half only
# 834  level 2 printed in the other half only (856–860), an indicator over two rows (861–862)
# 2188 a level-2 column holding an indicator name (2219)
EXPECTED = {
    # perf-001, lines 622–659
    (622, 'implementation'): [
        ('数量', '统筹地区实现即时结算数量', '≥80%'),
        ('数量', '基本医保参保年度任务完成率', '≥100%'),
        ('数量', '经药品集中采购和异常药品监测处置量', '≥100%'),
        ('数量', '每年开展药品提网价格联动次数', '≥1次'),
        ('质量', '基金预警和风险控制能力', '有所提高'),
        ('质量', '医保基金综合监管能力', '有所提升'),
        ('质量', '医保经办服务能力', '有所提升'),
        ('时效', '医保标准化水平', '显著提升'),
        ('时效', '医保信息系统重大安全事件响应时间', '≤60分钟'),
        ('成本', '医保信息系统运行维护响应时间', '≤30分钟'),
        ('成本', '资金总额', '≤22万元'),
        ('社会效益', '参保重要政策知晓率', '≥90%'),
        ('服务对象满意度', '参保人员对医保服务的满意度', '≥85%'),
    ],
    (622, 'annual'): [
        ('数量', '统筹地区实现即时结算数量', '≥80%'),
        ('数量', '基本医保参保年度任务完成率', '≥100%'),
        ('数量', '经药品集中采购和异常药品监测处置量', '≥100%'),
        ('数量', '每年开展药品提网价格联动次数', '≥1次'),
        ('质量', '基金预警和风险控制能力', '有所提高'),
        ('质量', '医保基金综合监管能力', '有所提升'),
        ('质量', '医保经办服务能力', '有所提升'),
        ('时效', '医保标准化水平', '显著提升'),
        ('时效', '医保信息系统重大安全事件响应时间', '≤60分钟'),
        ('成本', '医保信息系统运行维护响应时间', '≤30分钟'),
        ('成本', '资金总额', '≤22万元'),
        ('社会效益', '参保重要政策知晓率', '≥90%'),
        ('服务对象满意度', '参保人员对医保服务的满意度', '≥85%'),
    ],
    # perf-003, lines 698–732
    (698, 'implementation'): [
        ('数量', '享受公益性岗位补贴人员数', '≥400人'),
        ('数量', '享受就业见习补贴人员数量', '≥200人'),
        ('数量', '享受人才储备岗位补贴人员数量', '≥100人'),
        ('质量', '工资补贴发放达标率', '≥98%'),
        ('质量', '社会保险补贴发放达标率', '≥98%'),
        ('时效', '公益性岗位工资发放时间', '每月'),
        ('成本', '社会保险补贴人均标准', '原则上不超过社会保险费实际缴纳金额的三分之二'),
        ('成本', '公益性岗位补贴人均标准', '原则上不高于当地最低工资标准'),
        ('社会效益', '提高就业率', '提高'),
        ('服务对象满意度', '公益性岗位人员满意度', '≥95%'),
    ],
    (698, 'annual'): [
        ('数量', '享受公益性岗位补贴人员数量', '≥400人'),
        ('数量', '享受就业见习补贴人员数量', '≥200人'),
        ('数量', '享受人才储备岗位补贴人员数量', '≥100人'),
        ('质量', '工资补贴发放达标率', '≥98%'),
        ('质量', '社会保险补贴发放达标率', '≥98%'),
        ('时效', '公益性岗位工资发放时间', '每月'),
        ('成本', '社会保险补贴人均标准', '原则上不超过社会保险费实际缴纳金额的三分之二'),
        ('成本', '公益性岗位补贴人均标准', '原则上不高于当地最低工资标准'),
        ('社会效益', '提高就业率', '提高'),
        ('服务对象满意度', '公益性岗位人员满意度', '≥95%'),
    ],
    # perf-005, lines 769–800
    (769, 'implementation'): [
        ('数量', '每年开展追诉的逾期贷款案件数量', '≥1件'),
        ('质量', '逾期贷款资料完整率', '100%'),
        ('时效', '支付时间', '2026年全年'),
        ('时效', '开展追诉时间', '2026年全年'),
        ('成本', '年度追诉费用', '≤7万元'),
        ('社会效益', '加强逾期贷款的追诉力度 保障财政资金的安全和政策的可持续性', '加强 保障'),
        ('服务对象满意度', '服务对象对追诉工作的满意度', '≥90%'),
    ],
    (769, 'annual'): [
        ('数量', '每年开展追诉的逾期贷款案件数量', '≥1件'),
        ('质量', '追诉程序合规率', '100%'),
        ('时效', '支付时间', '2026年全年'),
        ('时效', '开展追诉时间', '2026年全年'),
        ('成本', '年度追诉费用', '≤7万元'),
        ('社会效益', '加强逾期贷款的追诉力度 保障财政资金的安全和政策的可持续性', '加强 保障'),
        ('服务对象满意度', '服务对象对追诉工作的满意度', '≥90%'),
    ],
    # perf-017, lines 1167–1228
    (1167, 'implementation'): [
        ('数量', '特困人员人数', '≤1597人'),
        ('数量', '监测对象人数', '≤386人'),
        ('数量', '低保人员人数', '≤3139人'),
        ('数量', '稳定脱贫人口人口数', '≤4742人'),
        ('数量', '符合条件的城乡居民', '≤32.22万人'),
        ('数量', '低保边缘家庭成员人数', '≤1392人'),
        ('质量', '对困难人群医保慢性病、“两病”门诊救助比例', '综合保障达90%'),
        ('质量', '普通群众居民2026年医保个人缴费补贴发放达标率', '≥95%'),
        ('时效', '对普通群众居民2026年医保个人缴费资助时间', '2026年6月底前'),
        ('时效', '对困难人群医保慢性病、“两病”门诊救助报销时间', '每月'),
        ('时效', '对稳定脱贫人口居民2026年医保个人缴费资助时间', '2026年6月底前'),
        ('成本', '对普通群众居民2026年医保个人缴费资助金额', '100元/人'),
        ('成本', '该项目预算总金额', '3500万元'),
        ('成本', '对稳定脱贫人口居民2026年医保个人缴费资助金额', '200元/人'),
        ('社会效益', '保障全民参加城乡居民基本医疗保险', '保障'),
        ('社会效益', '减轻困难人群医疗费用负担', '有效减轻'),
        ('服务对象满意度', '参保群众满意度', '≥90%'),
    ],
    (1167, 'annual'): [
        ('数量', '低保边缘家庭成员人数', '≤1392人'),
        ('数量', '符合条件的城乡居民', '≤32.22万人'),
        ('数量', '稳定脱贫人口人口数', '≤4742人'),
        ('数量', '特困人员人数', '≤1597人'),
        ('数量', '低保人员人数', '≤3139人'),
        ('数量', '监测对象人数', '≤386人'),
        ('质量', '普通群众居民2026年医保个人缴费补贴发放达标率', '≥95%'),
        ('质量', '对困难人群医保慢性病、“两病”门诊救助比例', '综合保障达90%'),
        ('时效', '对普通群众居民2026年医保个人缴费资助时间', '2026年6月底前'),
        ('时效', '对困难人群医保慢性病、“两病”门诊救助报销时间', '每月'),
        ('时效', '对稳定脱贫人口居民2026年医保个人缴费资助时间', '2026年6月底前'),
        ('成本', '对稳定脱贫人口居民2026年医保个人缴费资助金额', '200元/人'),
        ('成本', '该项目预算总金额', '3500万元'),
        ('成本', '对普通城乡居民2026年医保个人缴费资助金额', '100元/人'),
        ('社会效益', '减轻困难人群医疗费用负担', '有效减轻'),
        ('社会效益', '保障全民参加城乡居民基本医疗保险', '保障'),
        ('服务对象满意度', '参保群众满意度', '≥90%'),
    ],
    # perf-026, lines 1486–1519
    (1486, 'implementation'): [
        ('数量', '使用车辆数', '2辆'),
        ('数量', '日常巡查户数', '≥500户(次)'),
        ('质量', '车辆维护合格率', '≥95%'),
        ('质量', '劳动合同签订率', '≥90%'),
        ('时效', '日常巡查时间', '全年'),
        ('成本', '劳动保障维权成本', '≤15万'),
        ('可持续影响', '劳动关系和谐度提高', '提高提高'),
        ('服务对象满意度', '劳动者满意度', '≥90%'),
        ('服务对象满意度', '用人单位满意度', '≥90%'),
    ],
    (1486, 'annual'): [
        ('数量', '日常巡查户数', '≥500户(次)'),
        ('数量', '使用车辆数', '2辆'),
        ('质量', '劳动合同签订率', '≥90%'),
        ('质量', '车辆维护合格率', '≥95%'),
        ('时效', '日常巡查时间', '全年'),
        ('成本', '劳动保障维权成本', '≤15万'),
        ('可持续影响', '劳动关系和谐度', '提高提高'),
        ('服务对象满意度', '用人单位满意度', '≥90%'),
        ('服务对象满意度', '劳动者满意度', '≥90%'),
    ],
    # perf-011, lines 970–1001
    (970, 'implementation'): [
        ('数量', '津贴发放人数', '≥800人'),
        ('质量', '津贴发放达标率', '100%'),
        ('质量', '日常工作完成率', '100%'),
        ('时效', '津贴发放时间', '半年'),
        ('成本', '正高级发放补贴标准', '60元/月'),
        ('成本', '副高级发放补贴标准', '40元/月'),
        ('社会效益', '事业单位高级专业技术人员工作积极性', '提高'),
        ('服务对象满意度', '事业单位高级专业技术人员满意度', '≥90%'),
    ],
    (970, 'annual'): [
        ('数量', '津贴发放人数', '≥800人'),
        ('质量', '津贴发放达标率', '100%'),
        ('时效', '津贴发放时间', '半年'),
        ('成本', '正高级发放补贴标准', None),
        ('成本', '副高级发放补贴标准', '40元/月'),
        ('社会效益', '事业单位高级专业技术人员工作积极性', '提高'),
        ('服务对象满意度', '事业单位高级专业技术人员满意度', '≥90%'),
    ],
    # perf-015, lines 1104–1134
    (1104, 'implementation'): [
        ('数量', '临时人员人数', '≥27人'),
        ('质量', '购置合格率', '100%'),
        ('质量', '工资发放达标率', '100%'),
        ('时效', '临时人员工资发放时间', '每月'),
        ('成本', '该项目总金额', '9万元'),
        ('社会效益', '工作正常运转', '正常'),
        ('服务对象满意度', '相关人员满意度', '≥90%'),
    ],
    (1104, 'annual'): [
        ('数量', '临时人员人数', '≥27人'),
        ('质量', '购置合格率', '100%'),
        ('时效', '临时人员工资发放时间', '每月'),
        ('成本', '该项目总金额', '9万元'),
        ('社会效益', '工作正常运转', '正常'),
        ('服务对象满意度', '相关人员满意度', '≥90%'),
    ],
    # perf-048, lines 2223–2257
    (2223, 'implementation'): [
        ('数量', '采购A4纸数量', '≥400包'),
        ('数量', '本单位编外工作人员', '≤50人'),
        ('质量', '日常工作完成率', '≥95%'),
        ('质量', '工资、保险费用发放完成率', '100%'),
        ('时效', '工资发放时间', '每月月底'),
        ('时效', '日常工作开展时间', '全年'),
        ('成本', '发放标准', '具体以上级通知为准'),
        ('社会效益', '保障单位工作正常运转', '保障'),
        ('社会效益', '保障编外人员基本生活', '保障'),
        ('服务对象满意度', '单位人员满意度', '≥90%'),
    ],
    (2223, 'annual'): [
    ],
    # perf-007, lines 834–867
    (834, 'implementation'): [
        ('数量', '工伤认定调查件数', '≥380件'),
        ('质量', '工伤认定调查完成率', '≥98%'),
        ('质量', '劳务费支付完成率', '≥98%'),
        ('时效', '开展调查时间', '全年不定期'),
        ('成本', '支付资金时间', '全年不定期'),
        ('成本', '支付工伤认定调查核实费', '≤3.6万元'),
        ('社会效益', '工伤保险基金抗风险能力', '提高'),
        ('社会效益', '保障工伤职工合法权益', '保障'),
        ('服务对象满意度', '工伤认定调查对象', '≥90%'),
    ],
    (834, 'annual'): [
        ('数量', '工伤认定调查件数', '≥380件'),
        ('质量', '工伤认定调查完成率', '≥98%'),
        ('数量', '劳务费支付完成率', '≥98%'),
        ('时效', '开展调查时间', '全年不定期'),
        ('成本', '支付资金时间', '全年不定期'),
        ('成本', '支付工伤认定调查核实费', '≤3.5万元'),
        ('社会效益', '工伤保险基金抗风险能力', '提高'),
        ('社会效益', '保障工伤职工合法权益', '保障'),
        ('服务对象满意度', '工伤认定调查对象', '≥90%'),
    ],
    # perf-047, lines 2188–2221
    (2188, 'implementation'): [
        ('数量', '发放人数', '≥320人'),
        ('数量', '发放乡镇', '15个'),
        ('质量', '补贴发放达标率', '100%'),
        ('质量', '补贴发放完成率', '100%'),
        ('时效', '补贴发放时间', '年底一次性发放'),
        ('成本', '发放标准', '具体以上级通知为准'),
        ('社会效益', '发放保障', '保障'),
        ('服务对象满意度', '居民满意度', '≥90%'),
        ('服务对象满意度', '协办员满意度', '≥90%'),
    ],
    (2188, 'annual'): [
        ('数量', '发放乡镇', '15个'),
        ('数量', '发放人数', '≥320人'),
        ('质量', '补贴发放完成率', '100%'),
        ('质量', '补贴发放达标率', '100%'),
        ('时效', '补贴发放时间', '年底一次性发放'),
        ('成本', '发放标准', '具体以上级通知为准'),
        ('社会效益', '发放保障', '保障'),
        ('服务对象满意度', '协办员满意度', '≥90%'),
        ('服务对象满意度', '居民满意度', '≥90%'),
    ],
}


@pytest.mark.parametrize("key", list(EXPECTED), ids=[f"{k[0]}-{k[1]}" for k in EXPECTED])
def test_every_indicator(result: PerformanceResult, key: tuple[int, str]) -> None:
    source_line, period = key
    rows = indicators(result, source_line, period)
    got = [(r["level2"], r["name"], r["value"]) for r in rows]
    assert got == [(f"{l2}指标", name, value) for l2, name, value in EXPECTED[key]]
    assert [r["level1"] for r in rows] == [LEVEL1[l2] for l2, _, _ in EXPECTED[key]]
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))


def test_tables_and_distinct_projects(result: PerformanceResult, sample_lines: list[Line]) -> None:
    titles = [line.no for line in sample_lines if "项目支出绩效目标表" in line.text]
    assert len(titles) == 56
    assert len(result.targets) == 55  # 1201 continues the table of 1167
    assert [t["perf_id"] for t in result.targets] == [f"perf-{n:03d}" for n in range(1, 56)]
    assert len({name_key(t["name"]) for t in result.targets}) == 55
    assert [t["source_line"] for t in result.targets] == [n for n in titles if n != 1201]


def test_continuation_merges_into_one_project(result: PerformanceResult) -> None:
    merged = target(result, 1167)
    assert (merged["source_line"], merged["last_line"], merged["pages"]) == (1167, 1228, 2)
    assert sum(t["pages"] for t in result.targets) == 56  # 56 printed title lines
    assert merged["period"] == "99年"  # blank on the first page, printed on the second
    assert merged["goal_annual"] == merged["goal_implementation"]
    assert merged["fill_date"] is None  # neither page prints a footer
    first_page = [i for i in indicators(result, 1167, "annual") if i["source_line"] < 1201]
    assert len(first_page) == 13
    continued = [i for i in result.indicators if i["source_line"] == 1222]
    assert [(i["period"], i["level1"], i["level2"]) for i in continued] == [
        ("implementation", "产出指标", "成本指标"), ("annual", "产出指标", "成本指标"),
    ]
    notes = [f for f in result.findings if f["rule"] == "perf.continuation"]
    assert [(f["source_line"], f["severity"]) for f in notes] == [(1201, "info")]


def test_indicator_counts(result: PerformanceResult) -> None:
    periods = [i["period"] for i in result.indicators]
    assert periods.count("implementation") == 428
    assert periods.count("annual") == 418
    flags = [i["flag"] for i in result.indicators]
    assert (flags.count(None), flags.count("repaired"), flags.count("unplaced")) == (511, 333, 2)


def test_seq_is_one_based_per_table_and_period(result: PerformanceResult) -> None:
    seqs: dict[tuple[str, str], list[int]] = {}
    for row in result.indicators:
        seqs.setdefault((row["perf_id"], row["period"]), []).append(row["seq"])
    assert all(s == list(range(1, len(s) + 1)) for s in seqs.values())


def test_levels_are_canonical(result: PerformanceResult) -> None:
    for row in result.indicators:
        short = row["level2"].removesuffix("指标")
        assert row["level2"].endswith("指标") and row["level1"] == LEVEL1[short]


def test_placeholders_are_not_indicators(result: PerformanceResult) -> None:
    lines = {i["source_line"] for i in result.indicators}
    assert not lines & {654, 656, 657, 691, 693, 694, 795, 797, 798, 1652, 1654, 1655}
    assert all(i["name"] for i in result.indicators)


def test_flags(result: PerformanceResult) -> None:
    def flags(line: int) -> list[str | None]:
        return [i["flag"] for i in result.indicators if i["source_line"] == line]

    assert flags(643) == [None, None]  # printed in its columns
    assert flags(646) == ["repaired", "repaired"]  # shifted left by one column
    assert flags(724) == ["repaired", "repaired"]  # one copy for both halves
    assert flags(1814) == ["repaired", "repaired", "unplaced"]  # three halves printed
    unplaced = [f["source_line"] for f in result.findings if f["rule"] == "perf.unplaced_row"]
    assert unplaced == [1814, 1816]


def test_raw_keeps_the_source_cells(result: PerformanceResult) -> None:
    row = next(i for i in result.indicators if i["source_line"] == 724)
    assert row["raw"] == "\t\t\t时效指标\t公益性岗位工资发放时间\t\t每月\t时效指标"
    joined = next(i for i in indicators(result, 834, "annual") if i["source_line"] == 861)
    assert joined["raw"].count("\n") == 1  # name on 861, value on 862


def test_parsed_targets(result: PerformanceResult) -> None:
    def parsed(line: int, period: str = "annual") -> tuple:
        row = next(i for i in result.indicators
                   if i["source_line"] == line and i["period"] == period)
        return row["value"], row["operator"], row["number"], row["value_unit"]

    assert parsed(683) == ("≥400人", "≥", Decimal("400"), "人")
    assert parsed(653) == ("≤22万元", "≤", Decimal("22"), "万元")
    assert parsed(757) == ("100%", "=", Decimal("100"), "%")
    assert parsed(1782) == (">2000份", ">", Decimal("2000"), "份")
    assert parsed(1507, "implementation") == ("2辆", "=", Decimal("2"), "辆")
    assert parsed(761) == ("≤42.5万元", "≤", Decimal("42.5"), "万元")
    assert parsed(692) == ("提高", None, None, None)
    assert parsed(1159) == ("当年9月前", None, None, None)
    assert parsed(2348) == ("根据政策文件进行补贴", None, None, None)
    assert parsed(796) == ("加强 保障", None, None, None)


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*[^<>]*>")
TEXT_FIELDS = ("name", "dept_name", "unit", "attribute", "period", "overview", "basis",
               "necessity", "measures", "plan", "goal_implementation", "goal_annual")


def test_no_html_and_clean_whitespace(result: PerformanceResult) -> None:
    texts = [t[f] for t in result.targets for f in TEXT_FIELDS if t[f]]
    texts += [i[f] for i in result.indicators for f in ("name", "value") if i[f]]
    assert texts
    for text in texts:
        assert not _TAG.search(text) and "&nbsp;" not in text
        assert text == text.strip() and "  " not in text and "\t" not in text
    overview = target(result, 1328)["overview"]
    assert overview.startswith("根据《关于进一步完善城乡医疗救助工作的通知》")
    assert target(result, 1328)["necessity"] == (
        "为了加强社会救助，保障公民的基本生活，促进社会公平，维护社会和谐稳定，根据宪法，制定本办法。")
    # angle brackets used as quotation marks are text, not tags
    assert "《关于转发<晋城市财政局关于转发<山西省财政厅" in target(result, 1037)["basis"]


def test_clean_text_and_name_key() -> None:
    assert clean_text("<p>为了  加强</p><br/>&nbsp;社会 救助 ") == "为了 加强 社会 救助"
    assert clean_text("<p> </p>") is None
    # without an ASCII space, only a character that is not printable can be whitespace: every
    # kind of whitespace still collapses to one space and is stripped at the ends
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        assert clean_text(f"{space}社会{space}{space}救助{space}") == "社会 救助", hex(ord(space))
    assert clean_text("社会救助（2026）") == "社会救助（2026）"
    assert name_key("《晋财社【2025】174号》提前下达") == name_key("（晋财社〔2025〕174号）提前下达")
    assert name_key("(晋市财社[2025]112号) 2026年") == name_key("（晋市财社〔2025〕112号）2026年")
    assert name_key("<<通知>>") == name_key("《通知》") == "(通知)"
    assert name_key("“三险统征”数据") == "三险统征数据"


def test_header_fields(result: PerformanceResult) -> None:
    first = target(result, 622)
    assert first["name"] == ("(晋财社【2025】171号)2026年中央财政医疗服务与保障能力提升补助资金"
                             "(医疗保障服务能力建设部分)")
    assert (first["dept_code"], first["dept_name"]) == ("103", "高平市人力资源和社会保障局(高平市医疗保障局)")
    assert first["unit"] == "高平市人力资源和社会保障局(高平市医疗保障局)"
    assert (first["attribute"], first["period"]) == ("经常性项目(长期开展)", "99年")
    assert first["total_funds"] == first["annual_funds"] == Decimal("220000.00")
    assert first["total_local"] == first["annual_local"] == Decimal("220000.00")
    assert first["total_central"] == first["annual_self"] == Decimal("0.00")
    assert first["total_other"] is None and first["annual_other"] is None  # printed empty
    assert (first["fill_time"], first["fill_date"]) == ("20260110165105", date(2026, 1, 10))
    assert first["overview"].startswith("本项目主要用于保障医保信息系统高效、安全运行;")
    assert first["plan"].endswith("提升经办人员的专业素养和业务能。")
    assert first["measures"] == "由办公室负责,专款专用,用于医疗服务与保障能力提升。"
    assert first["project_id"] is None and first["match_score"] is None


def test_header_fields_shifted_and_odd(result: PerformanceResult) -> None:
    assert target(result, 1328)["dept_code"] == "108"  # printed so
    assert target(result, 1328)["period"] == "99年"  # value on the line below its label
    provincial = target(result, 1262)  # the halves disagree on the split
    assert provincial["total_provincial"] == provincial["annual_local"] == Decimal("637100.00")
    assert provincial["annual_provincial"] == provincial["total_local"] == Decimal("0.00")
    assert target(result, 2423)["annual_funds"] == Decimal("4711353.08")
    assert target(result, 2124)["annual_other"] == Decimal("0.00")  # only the right prints 0
    assert target(result, 2089)["fill_date"] == date(2025, 10, 10)  # 填报日期：2025… in one cell
    assert target(result, 1991)["fill_time"] == "20260104171119"
    assert target(result, 1070)["goal_annual"] == "保证城乡居民基本医疗保险日常工作的正常运行。"
    assert target(result, 1627)["attribute"] == "一次性项目（1年结束）"


def test_annual_funds_labelled_but_empty(result: PerformanceResult) -> None:
    last = target(result, 2455)
    assert last["total_funds"] == last["total_local"] == Decimal("60000.00")
    assert [last[f"annual_{p}"] for p in ("funds", "central", "provincial", "local", "self",
                                          "other")] == [None] * 6
    missing = [f for f in result.findings if f["rule"] == "perf.missing_funds"]
    assert [(f["key"], f["source_line"], f["severity"]) for f in missing] == [
        ("perf-055", 2455, "warning")]
    assert missing[0]["message"] == "年度资金总额 有标签但未填"


def test_findings(result: PerformanceResult) -> None:
    rules = [f["rule"] for f in result.findings]
    assert rules.count("perf.missing_value") == 15
    assert [f["key"] for f in result.findings if f["rule"] == "perf.single_half"] == ["perf-048"]
    assert all(f["doc_id"] == "000" for f in result.findings)
    assert all(f["source_line"] for f in result.findings)


def test_rows_fit_the_schema(result: PerformanceResult) -> None:
    for name, rows in (("performance_targets", result.targets),
                       ("indicators", result.indicators), ("findings", result.findings)):
        res = schema.resource(name)
        # source_page is set when the document is loaded, from its page starts
        assert all(set(row) == set(res.column_names) - {"source_page"} for row in rows)
        assert res.frame(rows).height == len(rows)


def test_more_lines_than_the_section(sample_lines: list[Line], result: PerformanceResult) -> None:
    whole = parse_performance(sample_lines, "000")
    assert whole == result


SYNTHETIC = """\
某县预算部门项目支出绩效目标表
(2026年度)
项目名称\t示例项目
主管部门及代码\t201-某某局\t实施单位\t某某中心
项目属性\t一次性项目\t项目期\t1年
项目资金（元）\t实施期资金总额：\t1,000\t年度资金总额：\t1,000
总体目标\t只印一段总体目标
绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值
\t产出\t数量\t人数\t≥5人\t数量\t人数\t≥5人
\t成本指标\t经济成本指标\t费用\t≤1000元\t经济成本指标\t费用\t≤1000元
\t效果指标\t社会效果\t就业\t提高\t社会效果\t就业\t提高
负责人：\t经办人：\t联系电话：\t填报日期：\t20261345101010
十二、其他
"""


def test_synthetic_table() -> None:
    lines = [Line(no, text) for no, text in enumerate(SYNTHETIC.splitlines(), start=1)]
    parsed = parse_performance(lines, "x")
    (row,) = parsed.targets
    assert (row["dept_code"], row["dept_name"], row["unit"]) == ("201", "某某局", "某某中心")
    assert row["goal_implementation"] == row["goal_annual"] == "只印一段总体目标"
    assert row["total_funds"] == Decimal("1000.00") and row["last_line"] == 12
    assert row["fill_time"] == "20261345101010" and row["fill_date"] is None
    got = [(i["period"], i["level1"], i["level2"], i["name"]) for i in parsed.indicators]
    assert got == [
        ("implementation", "产出指标", "数量指标", "人数"), ("annual", "产出指标", "数量指标", "人数"),
        ("implementation", "成本指标", "经济成本指标", "费用"),
        ("annual", "成本指标", "经济成本指标", "费用"),
        ("implementation", "效益指标", "社会效益指标", "就业"),
        ("annual", "效益指标", "社会效益指标", "就业"),
    ]
    assert all(i["flag"] is None for i in parsed.indicators)
    rules = {f["rule"]: f for f in parsed.findings}
    assert set(rules) == {"perf.single_goal", "perf.bad_fill_date"}
    assert rules["perf.bad_fill_date"]["actual"] == "20261345101010"
