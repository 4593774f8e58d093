"""Findings speak one language (issue 11, item 8): Chinese, the document's and the browser's,
with the document's own words quoted in 「」; the rule registry keeps each rule's English
description for where rules are listed. English left on the command line counts right."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

import budgettui
from budgettui.audit import RULES
from budgettui.checks import summary
from budgettui.messages import plural

PDFS = ROOT / "tests" / "pdfs"
#: Documents whose findings cover most kinds of message: a table printed by unit, lines after
#: 总计 and amounts without an item (无锡), a wide 三公 table, category subtotals, unread columns
#: and performance tables without a project (西安 2021), 表外 lines and target rules (烟台).
DOCUMENTS = ("xian-xuanchuan-2021", "wuxi-yingji-zhifa-2026", "yantai-shenji-2026", "guangzhou-xinfang-2026")

#: The document's words (「…」) and rule ids (`link.project_without_table`) are no language.
_QUOTED = re.compile(r"「[^」]*」")
_RULE_ID = re.compile(r"\b[a-z][a-z0-9]*\.[a-z][a-z0-9_]*\b")
#: Two English words in a row (`not checked`, `/ table 1: each row's total`).
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[\s,;:'’()/-]+[A-Za-z]{2,})+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def english_in(message: str) -> str | None:
    """The first run of English words in `message` outside quotes and rule ids, or None."""
    bare = _RULE_ID.sub(" ", _QUOTED.sub("「」", message))
    found = _ENGLISH.search(bare)
    return found.group(0) if found else None


def test_the_detector_finds_the_old_bilingual_messages():
    old = [
        "十、卫生健康支出: 合计 6027.06 ≠ 当年预算安排 6015.74 + 上年结转安排 11.31 = 6027.05 — "
        "表1每行合计 = 当年预算安排 + 上年结转安排 / table 1: each expenditure line = current-year + carried-over",
        "情况说明 部门情况说明: 内设机构12个 未核对 / not checked: 无对应的表 / no table states this figure",
        "column 「人员经费」 has no place in budget_summary: its 5 printed cells are not read",
        "project '新时代文明实践中心建设' has no 项目支出绩效目标表",
        "indicator '正高级发放补贴标准' (annual) prints no value",
    ]
    assert [english_in(m) for m in old] == [
        "each expenditure line", "not checked", "has no place in budget", "has no",
        "annual) prints no value"]
    # the document's words and rule ids are not the program speaking English
    assert english_in("列「Total Amount Column」未读入；缺表的项目见 link.project_without_table") is None


@pytest.fixture(scope="module")
def findings(budget) -> list[dict]:
    rows = budget["findings"].to_dicts()
    for name in DOCUMENTS:
        rows += budgettui.load(PDFS / f"{name}.pdf")["findings"].to_dicts()
    return rows


def test_every_finding_speaks_chinese_only(findings):
    rules = {f["rule"] for f in findings}
    # the documents cover the parsers', the linking's and the rules' findings
    assert {"parse.unit_row", "parse.other_measure", "parse.project_category", "parse.unread_column",
            "parse.after_total", "parse.skipped_line", "parse.unplaced_row", "link.projects_without_table",
            "parse.unmapped_table", "parse.unmapped_column", "parse.missing_table", "parse.table_end",
            "link.project_without_table", "link.table_without_project", "perf.missing_value",
            "perf.unknown_level", "perf.missing_funds", "narrative.unchecked", "narrative.sum",
            "t1.row_split", "x.t6_t5", "target.fill_date"} <= rules
    mixed = [(f["rule"], f["message"]) for f in findings if english_in(f["message"])]
    assert mixed == []
    assert [f["message"] for f in findings if not _HAN.search(_QUOTED.sub("", f["message"]))] == []


def test_messages_quote_the_documents_words(findings):
    messages = {(f["rule"], f["message"]) for f in findings}
    assert ("link.projects_without_table", "21个项目（共22个）未印绩效目标表，如「新时代文明实践中心建设」"
            "「城市宣传经费」「大型文化活动、专项资金管理经费」；文件印了2张绩效目标表") in messages
    assert ("parse.project_category", "「专用项目」是「中共西安市委宣传部」项目的分类小计，不是项目") in messages
    assert ("parse.unread_column", "列「部门预算支出经济科目（按大类） 预算数」在表1（预算收支总表）中没有对应的列："
            "印出的24个单元格未读入") in messages
    assert ("parse.other_measure", "横排“三公”经费表：读取第507行（期间「2021年」），其余3行（其他单位、年度）未保留"
            ) in messages
    sample = {f["rule"]: f["message"] for f in findings if f["doc_id"] == findings[0]["doc_id"]}
    # a rule's finding ends with its Chinese description only
    assert sample["t1.row_split"] == ("十、卫生健康支出: 合计 6027.06 ≠ 当年预算安排 6015.74 + 上年结转安排 11.31 = "
                                      "6027.05 — 表1每行合计 = 当年预算安排 + 上年结转安排")


def test_the_rule_registry_keeps_both_languages():
    assert RULES["t1.row_split"].zh == "表1每行合计 = 当年预算安排 + 上年结转安排"
    assert RULES["t1.row_split"].en == "table 1: each expenditure line = current-year + carried-over"
    assert [r.id for r in RULES.values() if not _HAN.search(r.zh) or not re.search("[A-Za-z]{3,}", r.en)] == []


@pytest.mark.parametrize(("count", "word", "shown"), [
    (0, "error", "0 errors"), (1, "error", "1 error"), (2, "error", "2 errors"),
    (1, "cached document", "1 cached document"), (21, "figure", "21 figures"),
])
def test_plural(count, word, shown):
    assert plural(count, word) == shown


def test_check_summary_counts_in_the_singular_for_one():
    findings = [{"severity": "error"}, {"severity": "warning"}, {"severity": "warning"},
                {"severity": "rounding"}]
    assert summary(findings, 1) == "1 error, 2 warnings, 1 rounding, 0 info (1 figure checked)"
    assert summary([], 2) == "0 errors, 0 warnings, 0 rounding, 0 info (2 figures checked)"
