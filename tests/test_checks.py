"""The consistency rules (issue 6): each fires on a broken input and stays silent on a
correct one; the sample's findings are pinned, each verified against the document."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import polars as pl
import pytest
from conftest import ROOT, SAMPLE

import budgettui
from budgettui import schema
from budgettui.audit import RULES, check_budget, is_check_finding
from budgettui.checks import Doc
from budgettui.model import Budget
from budgettui.target_rules import INDICATOR_COLUMNS

# ---------------------------------------------------------------- the sample, pinned

#: Every non-info finding of the rules on the sample: (rule, key, expected, actual, severity).
#: Each was checked by reading the source lines named in the comment.
SAMPLE_FINDINGS = {
    # L618 claims 公开项目绩效目标58个 / 24,615.35万元; 55 tables are printed (L622…L2485); the
    # 3 projects without one (L463 1.00, L482 60.00, L490 20.00) leave 24615.35 − 81.00.
    ("narrative.count", "34", "55", "58", "error"),
    ("narrative.amount", "34", "24534.35", "24615.35", "error"),
    # L129 table 1: the 30 lines (L98–L128) add to 27761.29 / 27023.77 / 737.51.
    ("t1.expenditure_sum", "本年支出合计", "27761.29", "27761.28", "rounding"),
    ("t1.expenditure_sum", "本年支出合计", "27023.77", "27023.76", "rounding"),
    ("t1.expenditure_sum", "本年支出合计", "737.51", "737.52", "rounding"),
    # L107: 6015.74 + 11.31 = 6027.05, printed 6027.06.
    ("t1.row_split", "十、卫生健康支出", "6027.05", "6027.06", "rounding"),
    # L143 vs L144–L186: classes 425.57+18949.93+6015.74+1471.14+161.39 = 27023.77; general
    # without 212: 25552.63; carry-over 726.20 + 11.31 = 737.51.
    ("t2.total_sum", "合计", "27023.77", "27023.76", "rounding"),
    ("t2.total_sum", "合计", "25552.63", "25552.62", "rounding"),
    ("t2.total_sum", "合计", "737.51", "737.52", "rounding"),
    # L148 20801 2747.90; L149–L153 add to 2747.91 (total and 一般公共预算 column).
    ("t2.child_sum", "20801", "2747.91", "2747.90", "rounding"),
    ("t2.child_sum", "20801", "2747.91", "2747.90", "rounding"),
    # Table 3: L196 2408.41 + 25352.86 = 27761.27; classes L197…L235 add to 27761.29, basic 2408.42.
    ("t3.row_sum", "合计", "27761.27", "27761.28", "rounding"),
    ("t3.total_sum", "合计", "27761.29", "27761.28", "rounding"),
    ("t3.total_sum", "合计", "2408.42", "2408.41", "rounding"),
    # L201 20801 2747.90 / 1171.04; L202–L206 add to 2747.91 / 1171.05.
    ("t3.child_sum", "20801", "2747.91", "2747.90", "rounding"),
    ("t3.child_sum", "20801", "1171.05", "1171.04", "rounding"),
    # L218 210: 390.65 + 5636.40 = 6027.05; L227 21015: 272.61 + 5206.66 = 5479.27, and its
    # children L228–L231 29.00+217.31+272.61+4960.35 = 5479.27.
    ("t3.row_sum", "210", "6027.05", "6027.06", "rounding"),
    ("t3.row_sum", "21015", "5479.27", "5479.28", "rounding"),
    ("t3.child_sum", "21015", "5479.27", "5479.28", "rounding"),
    # Table 3 = table 2 + carry-over: L218 vs L166 6015.74 + 11.31; L227 vs L175 5467.96 + 11.31.
    ("x.t3_t2", "210", "6027.05", "6027.06", "rounding"),
    ("x.t3_t2", "21015", "5479.27", "5479.28", "rounding"),
    # L196 项目支出 25352.86 vs L295 23144.21 + L404 1471.14 + L143 737.52 = 25352.87.
    ("x.t3_t5_t8", "合计", "25352.87", "25352.86", "rounding"),
    # L279 table 4: the 30 lines (L249–L278) add to 27761.29, 一般公共预算 26290.15.
    ("t4.expenditure_sum", "本年支出合计", "27761.29", "27761.28", "rounding"),
    ("t4.expenditure_sum", "本年支出合计", "26290.15", "26290.14", "rounding"),
    # L258 6027.06 vs table 5 L317 6015.74 + carry-over L166 11.31.
    ("x.t4_t5", "十、卫生健康支出", "6027.05", "6027.06", "rounding"),
    # Table 5 L295 vs classes L296…L331 (25552.63, basic 2408.42); L300 20801 vs L301–L305.
    ("t5.total_sum", "合计", "25552.63", "25552.62", "rounding"),
    ("t5.total_sum", "合计", "2408.42", "2408.41", "rounding"),
    ("t5.child_sum", "20801", "2747.91", "2747.90", "rounding"),
    ("t5.child_sum", "20801", "1171.05", "1171.04", "rounding"),
    # Table 6: L363 商品和服务支出 143.83, its items L364–L379 add to 143.84 (total and 公用经费);
    # L343 合计 2408.41 vs groups 2262.68 + 143.83 + 1.91; 人员经费 2264.20 vs 2262.68 + 1.53.
    ("t6.group_sum", "商品和服务支出", "143.84", "143.83", "rounding"),
    ("t6.group_sum", "商品和服务支出", "143.84", "143.83", "rounding"),
    ("t6.total_sum", "合计", "2408.42", "2408.41", "rounding"),
    ("t6.total_sum", "合计", "2264.21", "2264.20", "rounding"),
    # L461 table 12 24615.35 vs table 3 项目支出 L196 25352.86 − table 13 L537 737.52.
    ("x.t12_t3", "部门合计", "24615.34", "24615.35", "rounding"),
    # Table 13: L538 78.57 vs L539–L542 11.31+24.25+41.00+2.00 = 78.56; L543 658.95 vs
    # L544–L545 440.35 + 218.61 = 658.96 (合计 and 一般公共预算 columns).
    ("t13.unit_sum", "u01", "78.56", "78.57", "rounding"),
    ("t13.unit_sum", "u01", "78.56", "78.57", "rounding"),
    ("t13.unit_sum", "u02", "658.96", "658.95", "rounding"),
    ("t13.unit_sum", "u02", "658.96", "658.95", "rounding"),
    # Cost targets above the funds: L860 ≤3.6万元 vs L839 35,000; L1062 ≤36万元 vs 300,000;
    # L1512 ≤15万 vs L1493 85,000; L1546 ≤85000元 vs 64,000.
    ("target.cost_above_budget", "perf-007", "35000.00", "36000.00", "warning"),
    ("target.cost_above_budget", "perf-013", "300000.00", "360000.00", "warning"),
    ("target.cost_above_budget", "perf-026", "85000.00", "150000.00", "warning"),
    ("target.cost_above_budget", "perf-027", "64000.00", "85000.00", "warning"),
    # L860: the same indicator ≤3.6万元 (实施期) and ≤3.5万元 (年度).
    ("target.period_mismatch", "perf-007", "≤3.6万元", "≤3.5万元", "warning"),
    # L1333 108-… where every other table prints 103-.
    ("target.dept_code", "perf-021", "103", "108", "warning"),
    # L1519 填报日期 20261027172028, after the document's date L2520 2026 年 1 月 28 日.
    ("target.fill_date", "perf-026", "2026-01-28", "2026-10-27", "warning"),
    # The twelve tables L1070–L1484 end without the 负责人/填报日期 footer.
    *(("target.fill_date", f"perf-{n:03d}", None, None, "warning") for n in range(14, 26)),
}


def own_findings(budget: Budget) -> list[dict]:
    return [f for f in budget["findings"].to_dicts() if is_check_finding(f["rule"])]


def test_sample_findings_are_exactly_the_pinned_ones(budget):
    findings = [f for f in own_findings(budget) if f["severity"] != "info"]
    assert {(f["rule"], f["key"], f["expected"], f["actual"], f["severity"]) for f in findings} == SAMPLE_FINDINGS
    assert len(findings) == 57  # 2 errors, 19 warnings, 36 rounding: a few rows differ in two columns


def test_sample_counts_and_lines(budget):
    findings = own_findings(budget)
    by_severity = Counter(f["severity"] for f in findings)
    assert (by_severity["error"], by_severity["warning"], by_severity["rounding"]) == (2, 19, 36)
    assert all(f["source_line"] for f in findings if f["severity"] != "info" and f["rule"] != "damaged.empty_table")
    row = next(f for f in findings if f["rule"] == "t1.row_split")
    assert row["resource"] == "budget_summary" and row["source_line"] == 107
    assert "6027.06 ≠ 当年预算安排 6015.74 + 上年结转安排 11.31 = 6027.05" in row["message"]


def test_a_document_gives_the_rules_only_the_columns_they_read(budget):
    """Doc.columns: the indicators' rows with the target rules' columns alone (not `raw` …),
    the values those of all the columns, converted once."""
    doc = Doc(budget["documents"]["doc_id"][0], {}, budget=budget)
    rows = doc.columns("indicators", INDICATOR_COLUMNS)
    assert len(rows) == 846 and list(rows[0]) == list(INDICATOR_COLUMNS)
    # L653: perf-001's cost target 资金总额 ≤22万元, in both periods
    cost = [r for r in rows if r["value_unit"] == "万元"][:2]
    assert [(r["period"], r["level2"], r["name"], r["value"], r["number"], r["source_line"]) for r in cost] == [
        (period, "成本指标", "资金总额", "≤22万元", Decimal("22.0000"), 653) for period in ("implementation", "annual")]
    assert doc.columns("indicators", INDICATOR_COLUMNS) is rows
    assert rows == [{name: row[name] for name in INDICATOR_COLUMNS} for row in doc["indicators"]]


def test_findings_resource_holds_the_rules_and_the_parsers(budget):
    rules = set(budget["findings"]["rule"].to_list())
    assert {"t1.row_split", "narrative.amount", "perf.missing_funds", "link.project_without_table"} <= rules
    assert set(budget["findings"]["severity"].to_list()) <= {"error", "warning", "rounding", "info"}


def test_every_rule_has_an_id_severity_and_two_languages():
    check_budget(budgettui.load(SAMPLE), only=[])
    assert len(RULES) >= 50
    for rule in RULES.values():
        assert re.match(r"^[a-z0-9_]+\.[a-z0-9_]+$", rule.id)
        assert rule.severity in ("error", "warning", "rounding", "info")
        assert re.search(r"[\u4e00-\u9fff]", rule.zh) and re.search(r"[a-z]", rule.en)


# ---------------------------------------------------------------- narrative coverage

#: An independent reading of the figures: a number with a unit, not part of a code.
FIGURE = re.compile(r"(?<![0-9A-Za-z.,，])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|%|个|家|辆|平方米|台)")


def test_every_narrative_figure_is_checked_or_listed_with_a_reason(budget):
    text = budget["narrative"].filter(pl.col("part") == "情况说明")
    printed = Counter((row["source_line"], str(Decimal(m.group(1).replace(",", ""))))
                      for row in text.iter_rows(named=True) for m in FIGURE.finditer(row["text"]))
    assert sum(printed.values()) == 98
    reported = [f for f in own_findings(budget) if f["rule"].startswith("narrative.")]
    assert Counter((f["source_line"], f["actual"]) for f in reported) == printed
    for f in reported:
        if f["rule"] == "narrative.unchecked":
            assert re.search(r"未核对：.+ — ", f["message"]), f["message"]
    unchecked = sorted(f["actual"] for f in reported if f["rule"] == "narrative.unchecked")
    # 编制2辆, 7224.41平方米, the 50/100万元 thresholds and the two 0台（套） (L2491–L2499).
    assert unchecked == ["0", "0", "100", "2", "50", "7224.41"]


def test_narrative_checks_what_the_sentences_say(budget):
    findings = {(f["rule"], f["source_line"], f["actual"]): f for f in own_findings(budget)}
    share = findings[("narrative.percent", 556, "92.04")]
    assert share["expected"] == "92.04" and share["severity"] == "info"
    change = findings[("narrative.change", 604, "6.92")]  # 2.53 / (39.10 − 2.53)
    assert change["expected"] == "6.92" and "36.57" in change["message"]
    total = findings[("narrative.sum", 608, "31.66")]  # 25.06 + 0 + 6.60
    assert total["expected"] == "31.66"
    three = findings[("narrative.change", 594, "3.32")]  # 0 + (−3.32) + 0
    assert three["severity"] == "info" and "-3.32" in three["message"]


# ---------------------------------------------------------------- each rule fires and stays silent


def load_changed(tmp_path, text: str, old: str, new: str, nth: int = 1) -> Budget:
    """The sample with the nth occurrence of `old` replaced by `new`."""
    at = -1
    for _ in range(nth):
        at = text.index(old, at + 1)
    path = tmp_path / "doc.txt"
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return budgettui.load(path)


def found(budget: Budget, rule: str) -> set[tuple]:
    return {(f["key"], f["expected"], f["actual"], f["severity"])
            for f in budget["findings"].to_dicts() if f["rule"] == rule}


CASES = [
    # rule, old text, new text, nth occurrence, expected finding (key, expected, actual, severity)
    ("t1.balance", "收入总计\t27761.28\t支出总计", "收入总计\t27761.38\t支出总计", 1,
     ("收入总计", "27761.28", "27761.38", "error")),
    ("t1.income_sum", "本年收入合计\t27023.76", "本年收入合计\t27123.76", 1,
     ("本年收入合计", "27023.76", "27123.76", "error")),
    ("t1.expenditure_sum", "本年支出合计\t27761.28\t27023.76", "本年支出合计\t27761.28\t27123.76", 1,
     ("本年支出合计", "27023.77", "27123.76", "error")),
    ("t1.row_split", "19676.13\t18949.93\t726.20", "19676.13\t18949.93\t826.20", 1,
     ("八、社会保障和就业支出", "19776.13", "19676.13", "error")),
    ("t2.row_sum", "2101101\t行政单位医疗\t12.21\t12.21", "2101101\t行政单位医疗\t12.21\t12.31", 1,
     ("2101101", "12.31", "12.21", "error")),
    ("t2.child_sum", "2101101\t行政单位医疗\t12.21\t12.21", "2101101\t行政单位医疗\t12.31\t12.31", 1,
     ("21011", "118.13", "118.03", "error")),
    ("t2.total_sum", "合计\t\t27023.76\t25552.62", "合计\t\t27123.76\t25552.62", 1,
     ("合计", "27023.77", "27123.76", "error")),
    ("t3.row_sum", "420.40\t274.80\t145.60", "420.40\t274.80\t145.70", 1,
     ("2080111", "420.50", "420.40", "error")),
    ("t3.child_sum", "420.40\t274.80\t145.60", "420.50\t274.80\t145.70", 1,
     ("20801", "2748.01", "2747.90", "error")),
    ("t3.total_sum", "合计\t\t27761.28\t2408.41\t25352.86", "合计\t\t27761.28\t2408.41\t25352.96", 1,
     ("合计", "25352.86", "25352.96", "error")),
    ("t5.row_sum", "合计\t\t25552.62\t2408.41\t23144.21", "合计\t\t25552.62\t2408.41\t23144.31", 1,
     ("合计", "25552.72", "25552.62", "error")),
    ("t5.child_sum", "420.40\t274.80\t145.60", "420.50\t274.80\t145.70", 2,
     ("20801", "2748.01", "2747.90", "error")),
    ("t5.total_sum", "合计\t\t25552.62\t2408.41\t23144.21", "合计\t\t25552.62\t2408.41\t23144.31", 1,
     ("合计", "23144.21", "23144.31", "error")),
    ("t7.child_sum", "1030148\t国有土地使用权出让收入\t1471.14", "1030148\t国有土地使用权出让收入\t1471.24", 1,
     ("10301", "1471.24", "1471.14", "error")),
    ("t7.total_sum", "\n合计\t\t1471.14\n", "\n合计\t\t1471.24\n", 1, ("合计", "1471.14", "1471.24", "error")),
    ("t8.row_sum", "\t合计\t1471.14\t\t1471.14", "\t合计\t1471.14\t\t1471.24", 1,
     ("合计", "1471.24", "1471.14", "error")),
    ("t8.total_sum", "\t合计\t1471.14\t\t1471.14", "\t合计\t1471.14\t\t1471.24", 1,
     ("合计", "1471.14", "1471.24", "error")),
    ("t8.child_sum", "2120805\t补助被征地农民支出\t1471.14\t\t1471.14",
     "2120805\t补助被征地农民支出\t1471.24\t\t1471.24", 3,
     ("21208", "1471.24", "1471.14", "error")),
    ("t4.balance", "收入总计\t27761.28\t支出总计", "收入总计\t27761.38\t支出总计", 2,
     ("收入总计", "27761.28", "27761.38", "error")),
    ("t4.income_sum", "一、一般公共预算\t737.52", "一、一般公共预算\t737.62", 1,
     ("上年财政拨款结转", "737.62", "737.52", "error")),
    ("t4.expenditure_sum", "本年支出合计\t27761.28\t26290.14\t1471.14", "本年支出合计\t27761.28\t26290.14\t1471.24", 1,
     ("本年支出合计", "1471.14", "1471.24", "error")),
    ("t4.row_sum", "\t\t五、教育支出\t425.57\t425.57\t", "\t\t五、教育支出\t425.57\t425.67\t", 2,
     ("五、教育支出", "425.67", "425.57", "error")),
    ("t6.row_sum", "生活补助\t社会福利和救助\t1.90\t1.52\t0.38", "生活补助\t社会福利和救助\t1.90\t1.52\t0.48", 1,
     ("生活补助/社会福利和救助", "2.00", "1.90", "error")),
    ("t6.group_sum", "基本工资\t工资奖金津补贴\t101.49\t101.49", "基本工资\t工资奖金津补贴\t111.49\t111.49", 1,
     ("工资福利支出", "2272.68", "2262.68", "error")),
    ("t6.total_sum", "工资福利支出\t\t2262.68\t2262.68", "工资福利支出\t\t2272.68\t2272.68", 1,
     ("合计", "2418.42", "2408.41", "error")),
    ("t10.row_sum", "公务接待费\t1.50\t1.50", "公务接待费\t1.50\t1.60", 1, ("公务接待费", "1.60", "1.50", "error")),
    ("t10.group_sum", "②公务用车运行维护费\t7.40\t7.40", "②公务用车运行维护费\t7.50\t7.50", 1,
     ("公务用车购置及运行费", "7.50", "7.40", "error")),
    ("t10.total_sum", "\n合计\t8.90\t8.90", "\n合计\t9.90\t9.90", 1, ("合计", "8.90", "9.90", "error")),
    ("t11.row_sum", "部门合计\t39.10\t39.10", "部门合计\t39.10\t39.20", 1, ("部门合计", "39.20", "39.10", "error")),
    ("t11.total_sum", "部门合计\t39.10\t39.10", "部门合计\t49.10\t49.10", 1, ("部门合计", "39.10", "49.10", "error")),
    ("t12.row_sum", "就业金专项\t20.00\t20.00", "就业金专项\t20.00\t21.00", 1, ("p002", "21.00", "20.00", "error")),
    ("t12.unit_sum", "就业金专项\t20.00\t20.00", "就业金专项\t21.00\t21.00", 1, ("u01", "3121.39", "3120.39", "error")),
    ("t12.total_sum", "\t24615.35\t23144.21", "\t24715.35\t23244.21", 1, ("部门合计", "24615.35", "24715.35", "error")),
    ("t13.row_sum", "稳就业扩大社会保险补贴范围补助资金\t2.00\t2.00",
     "稳就业扩大社会保险补贴范围补助资金\t2.00\t3.00", 1,
     ("c004", "3.00", "2.00", "error")),
    ("t13.unit_sum", "稳就业扩大社会保险补贴范围补助资金\t2.00\t2.00",
     "稳就业扩大社会保险补贴范围补助资金\t3.00\t3.00", 1,
     ("u01", "79.56", "78.57", "error")),
    ("t13.total_sum", "）\t737.52\t737.52", "）\t747.52\t747.52", 1, ("部门合计", "737.52", "747.52", "error")),
    ("x.t1_t2", "一、一般公共预算\t25552.62", "一、一般公共预算\t25552.72", 1,
     ("一、一般公共预算", "25552.62", "25552.72", "error")),
    ("x.t1_t3", "二十、住房保障支出\t161.39\t161.39", "二十、住房保障支出\t161.49\t161.49", 1,
     ("二十、住房保障支出", "161.39", "161.49", "error")),
    ("x.t3_t2", "221\t住房保障支出\t161.39\t161.39", "221\t住房保障支出\t161.49\t161.49", 2,
     ("221", "161.39", "161.49", "error")),
    ("x.t2_t5", "2101101\t行政单位医疗\t12.21\t12.21", "2101101\t行政单位医疗\t12.31\t12.31", 1,
     ("2101101", "12.21", "12.31", "error")),
    ("x.t2_t8", "2120805\t补助被征地农民支出\t1471.14\t\t1471.14", "2120805\t补助被征地农民支出\t1471.24\t\t1471.24", 1,
     ("2120805", "1471.14", "1471.24", "error")),
    ("x.t3_t5_t8", "420.40\t274.80\t145.60", "420.40\t274.70\t145.70", 1, ("2080111", "274.80", "274.70", "error")),
    ("x.t4_t1", "一、一般公共预算\t25552.62", "一、一般公共预算\t25552.72", 2,
     ("一、一般公共预算", "25552.62", "25552.72", "error")),
    ("x.t4_t5", "八、社会保障和就业支出\t19676.13\t19676.13", "八、社会保障和就业支出\t19676.23\t19676.23", 1,
     ("八、社会保障和就业支出", "19676.13", "19676.23", "error")),
    ("x.t6_t5", "合计\t\t2408.41\t2264.20", "合计\t\t2408.51\t2264.30", 1, ("合计", "2408.41", "2408.51", "error")),
    ("x.t11_t6", "部门合计\t39.10\t39.10", "部门合计\t239.10\t239.10", 1, ("部门合计", "144.21", "239.10", "warning")),
    ("x.t12_t3", "\t24615.35\t23144.21", "\t24715.35\t23144.21", 1, ("部门合计", "24615.34", "24715.35", "error")),
    ("x.t12_t5_t8", "\t24615.35\t23144.21", "\t24615.35\t23244.21", 1, ("部门合计", "23144.21", "23244.21", "error")),
    ("x.t13_carryover", "）\t737.52\t737.52", "）\t747.52\t747.52", 1, ("部门合计", "737.52", "747.52", "error")),
    ("code.name", "2080101\t行政运行\t235.74", "2080101\t行政运行费\t235.74", 3,
     ("2080101", "行政运行", "行政运行费", "warning")),
    ("code.parent", "20503\t职业教育\t425.57\t387.15\t38.42\n", "", 1, ("2050303", "20503", None, "warning")),
    ("target.annual_funds", "年度资金总额:\t\t200,000", "年度资金总额:\t\t210,000", 1,
     ("perf-008", "200000.00", "210000.00", "error")),
    ("target.funds_split", "年度资金总额:\t\t200,000", "年度资金总额:\t\t210,000", 1,
     ("perf-008", "200000.00", "210000.00", "error")),
    ("target.unit", "实施单位\t高平市技工学校", "实施单位\t高平市社会保险中心", 1,
     ("perf-028", "高平市技工学校", "高平市社会保险中心", "warning")),
    ("narrative.amount", "基本支出2408.41万元", "基本支出2408.51万元", 1, ("20", "2408.41", "2408.51", "error")),
    ("narrative.percent", "占92.04%", "占92.14%", 1, ("19", "92.04", "92.14", "error")),
    ("narrative.percent", "占92.04%", "占92.05%", 1, ("19", "92.04", "92.05", "rounding")),
    ("narrative.change", "下降5.89%", "下降5.99%", 1, ("18", "5.89", "5.99", "error")),
    ("narrative.change", "与上年相比预算数减少3.32万元", "与上年相比预算数减少3.22万元", 1,
     ("28", "3.22", "3.32", "error")),
    ("narrative.count", "等1家行政单位", "等2家行政单位", 1, ("31", "1", "2", "error")),
    ("narrative.sum", "政府采购服务预算6.60万元", "政府采购服务预算6.70万元", 1, ("32", "31.76", "31.66", "error")),
    ("narrative.sum", "特定目标类项目37个，涉及金额", "特定目标类项目36个，涉及金额", 1, ("34", "37", "36", "error")),
]


@pytest.mark.parametrize(("rule", "old", "new", "nth", "expected"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_a_broken_row_and_not_on_the_sample(tmp_path, sample_text, budget, rule, old, new,
                                                           nth, expected):
    assert rule in RULES
    assert expected not in found(budget, rule)
    assert expected in found(load_changed(tmp_path, sample_text, old, new, nth), rule)


@pytest.mark.parametrize(("rule", "old", "new", "key"), [
    ("t1.row_split", "6027.06\t6015.74\t11.31", "6027.05\t6015.74\t11.31", "十、卫生健康支出"),
    ("target.dept_code", "108-高平市", "103-高平市", "perf-021"),
    ("target.fill_date", "20261027172028", "20251027172028", "perf-026"),
    ("target.cost_above_budget", "医疗救助代办服务费\t≤36万元\t成本指标\t医疗救助代办服务费\t≤36万元",
     "医疗救助代办服务费\t≤30万元\t成本指标\t医疗救助代办服务费\t≤30万元", "perf-013"),
    ("target.period_mismatch", "支付工伤认定调查核实费\t≤3.6万元", "支付工伤认定调查核实费\t≤3.5万元", "perf-007"),
])
def test_sample_warning_goes_away_when_the_document_is_fixed(tmp_path, sample_text, budget, rule, old, new, key):
    assert key in {f[0] for f in found(budget, rule)}
    assert key not in {f[0] for f in found(load_changed(tmp_path, sample_text, old, new), rule)}


def test_invalid_fill_date_is_left_to_the_parser(tmp_path, sample_text):
    changed = load_changed(tmp_path, sample_text, "20260110165105", "20261310165105")
    assert "perf-001" not in {f[0] for f in found(changed, "target.fill_date")}
    assert any(f["rule"] == "perf.bad_fill_date" for f in changed["findings"].to_dicts())


# ---------------------------------------------------------------- rules needing built frames


def with_frame(budget: Budget, name: str, frame: pl.DataFrame) -> Budget:
    frames = {n: budget[n] for n in budget.resources}
    frames[name] = frame
    return Budget(frames)


def rule_findings(budget: Budget, rule: str) -> set[tuple]:
    return {(f["key"], f["expected"], f["actual"], f["severity"])
            for f in check_budget(budget, only=[rule]).findings}


def test_code_shape(budget):
    assert rule_findings(budget, "code.shape") == set()
    broken = budget["expenditure_by_subject"].with_columns(
        pl.when(pl.col("code") == "20503").then(pl.lit("2050")).otherwise(pl.col("code")).alias("code"))
    assert rule_findings(with_frame(budget, "expenditure_by_subject", broken), "code.shape") == {
        ("2050", None, "2050", "error")}


def test_empty_table_without_its_amount_is_damaged(budget):
    assert rule_findings(budget, "damaged.empty_table") == set()  # table 9: 本表无数据, and no 国有资本 income
    empty = schema.resource("fund_expenditure").frame([])
    assert rule_findings(with_frame(budget, "fund_expenditure", empty), "damaged.empty_table") == {
        ("表8", "1471.14", None, "error")}


def test_table_9_sums():
    rows = [
        {"doc_id": "d", "seq": 1, "side": "expenditure", "code": None, "name": "合计", "level": 0,
         "total": Decimal("5.00"), "basic": None, "project": Decimal("5.00"), "source_line": 10},
        {"doc_id": "d", "seq": 2, "side": "expenditure", "code": "223", "name": "国有资本经营预算支出",
         "level": 1, "total": Decimal("5.00"), "basic": None, "project": Decimal("4.00"), "source_line": 11},
        {"doc_id": "d", "seq": 3, "side": "expenditure", "code": "22301", "name": "解决历史遗留问题",
         "level": 2, "parent_code": "223", "total": Decimal("6.00"), "basic": None,
         "project": Decimal("4.00"), "source_line": 12},
    ]
    frames = {r.name: r.frame([]) for r in schema.RESOURCES}
    frames["documents"] = schema.resource("documents").frame([{"doc_id": "d", "year": 2026}])
    frames["state_capital"] = schema.resource("state_capital").frame(rows)
    small = Budget(frames)
    assert rule_findings(small, "t9.row_sum") == {("223", "4.00", "5.00", "error"), ("22301", "4.00", "6.00", "error")}
    assert rule_findings(small, "t9.child_sum") == {("223", "6.00", "5.00", "error")}
    assert rule_findings(small, "t9.total_sum") == {("合计", "4.00", "5.00", "error")}


def test_tolerance_decides_rounding_or_error(budget):
    loose = [(f["rule"], f["key"]) for f in check_budget(budget).findings if f["severity"] == "error"]
    strict = [(f["rule"], f["key"]) for f in check_budget(budget, Decimal("0")).findings
              if f["severity"] == "error"]
    assert ("t1.row_split", "十、卫生健康支出") in set(strict) - set(loose)
    assert len(strict) == 2 + 36  # every rounding becomes an error
    wide = check_budget(budget, Decimal("0.10")).findings
    assert sum(f["severity"] == "rounding" for f in wide) == 36  # no sample difference exceeds 0.01


def test_amounts_are_exact_decimal_strings(budget):
    numeric = [f for f in own_findings(budget) if f["rule"][:2] in ("t1", "t3", "x.") and f["expected"]]
    assert numeric
    for f in numeric:
        assert re.fullmatch(r"-?\d+\.\d{2}", f["expected"]) and re.fullmatch(r"-?\d+\.\d{2}", f["actual"])


# ---------------------------------------------------------------- the command


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "budgettui", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_check_text_summary_and_exit_codes():
    result = run("check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "2 errors, 41 warnings, 36 rounding, 103 info (1953 figures checked)"
    assert lines[0].startswith("error    narrative.")
    assert not any(line.startswith("info") for line in lines)
    assert any(line.startswith("rounding t1.row_split") and line.endswith("(line 107)") for line in lines)
    assert run("check", "--strict").returncode == 1
    verbose = run("check", "--verbose").stdout.splitlines()
    assert len(verbose) == len(lines) + 103


def test_check_tolerance_and_json():
    zero = run("check", "--tolerance", "0")
    assert zero.stdout.splitlines()[-1].startswith("38 errors, 41 warnings, 0 rounding")
    result = run("check", "-f", "json")
    assert result.returncode == 0
    records = json.loads(result.stdout)
    assert len(records) == 2 + 41 + 36 + 103
    assert {"doc_id", "rule", "severity", "message", "resource", "key", "expected", "actual",
            "source_page", "source_line"} == set(records[0])
    assert result.stderr.startswith("2 errors")


@pytest.mark.parametrize("args", [["check", "--tolerance", "x"], ["check", "--tolerance", "-1"],
                                  ["check", "-f", "csv"]])
def test_check_bad_usage(args):
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("budgettui: ") and "Traceback" not in result.stderr


def test_period_values_compare_without_any_whitespace():
    """target.period_mismatch compares `≥ 90 ％` and `≥90%` as one value, whatever the space."""
    from budgettui.target_rules import _norm

    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    assert len(spaces) > 20
    assert {_norm(f"{space}≥ 90{space}{space}％") for space in spaces} == {"≥90%"}
    assert _norm("≥90%") == "≥90%" and _norm("提高") == "提高"
