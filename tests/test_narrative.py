"""The prose parts: duties, 机构设置, the 情况说明 sections with headings, the glossary."""

from __future__ import annotations

import polars as pl


def test_narrative_sections_in_order(budget):
    frame = budget["narrative"]
    explanation = frame.filter(pl.col("part") == "情况说明")
    sections = explanation["section"].unique(maintain_order=True).to_list()
    assert sections == [
        "一、部门预算收支数据变动情况及原因", "二、收入预算情况说明", "三、支出预算情况说明",
        "四、财政拨款收支预算总体情况说明", "五、一般公共预算支出情况说明",
        "六、一般公共预算基本支出情况说明", "七、“三公”经费增减变动原因说明",
        "八、机关运行经费增减变动原因说明", "九、政府采购情况", "十、绩效管理情况",
        "十一、国有资产占有使用情况", "十二、其他说明",
    ]
    overview = frame.filter(pl.col("part") == "概况")
    assert overview["section"].unique(maintain_order=True).to_list() == [
        "一、本部门职责", "二、机构设置情况"]
    assert overview.filter(pl.col("section") == "一、本部门职责").height == 16


def test_narrative_paragraphs_keep_lines_and_headings(budget):
    frame = budget["narrative"]
    income = frame.filter(pl.col("section") == "二、收入预算情况说明").row(0, named=True)
    assert income["source_line"] == 556
    assert "一般公共预算拨款收入25,552.62万元，占92.04%" in income["text"]
    structure = frame.filter(pl.col("heading") == "（二）一般公共预算当年支出结构情况")
    assert structure["source_line"].to_list() == [577, 579]
    purchase = frame.filter(pl.col("section") == "九、政府采购情况").row(0, named=True)
    assert purchase["text"].endswith("政府采购服务预算6.60万元。")
    # No line of the performance tables leaks into the narrative.
    assert not frame["text"].str.contains("绩效指标").any()


def test_paragraph_cut_by_a_page_break_is_joined(budget):
    duty = budget["narrative"].filter(pl.col("text").str.starts_with("（十六）")).row(0, named=True)
    assert duty["source_line"] == 78
    assert "医疗服务行为和医疗费用，依法查处医疗保障领域违法违规行为" in duty["text"]


def test_glossary(budget):
    glossary = budget["glossary"]
    assert glossary.height == 12
    assert glossary["term"].to_list()[:3] == ["基本支出", "项目支出", "“三公”经费"]
    special = glossary.filter(pl.col("term") == "财政专户管理资金").row(0, named=True)
    assert special["source_line"] == 2534
    assert special["definition"].startswith("专指教育收费")
