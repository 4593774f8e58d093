"""Segmenting by titles: year-agnostic, never by labels or positions."""

from __future__ import annotations

from conftest import SAMPLE

from budgettui.segment import is_toc, segment, table_title
from budgettui.sources import Line, read_source, split_lines


def test_titles_any_year_and_not_labels():
    assert table_title("2026年预算收支总表") == (1, 2026)
    assert table_title("2031年预算收支总表") == (1, 2031)
    assert table_title("2026年财政拨款收支总表") == (4, 2026)
    assert table_title("2026年项目支出预算表（本年预算）") == (12, 2026)
    assert table_title("2026年项目支出预算表(上年结转)") == (13, 2026)
    assert table_title("2026年财政拨款安排“三公”经费支出预算表") == (10, 2026)
    assert table_title("预算公开表1") is None
    assert table_title("2026年度部门预算情况说明") is None


def test_sample_sections():
    seg = segment(read_source(SAMPLE).lines)
    assert sorted(seg.tables) == list(range(1, 14))
    assert {n: t.title_line for n, t in seg.tables.items()} == {
        1: 90, 2: 135, 3: 188, 4: 240, 5: 287, 6: 335, 7: 384, 8: 397, 9: 411, 10: 426,
        11: 441, 12: 452, 13: 528,
    }
    # The table of contents (lines 9–42) is never taken for a title.
    assert all(t.title_line > 42 for t in seg.tables.values())
    # Table 2 has no label line; labels like 预算公开表2 never reach a table's lines.
    assert all("公开表" not in line.text for t in seg.tables.values() for line in t.lines)
    assert (seg.overview[0].no, seg.overview[-1].no) == (44, 85)
    assert (seg.performance[0].no, seg.performance[-1].no) == (622, 2486)
    assert seg.narrative[0].no == 548 and seg.narrative[-1].no == 2521
    assert (seg.glossary[0].no, seg.glossary[-1].no) == (2522, 2548)


def test_duplicated_table_is_reported():
    text = "第二部分 报表\n2026年预算支出总表\n合计\t\t1.00\n2026年预算支出总表\n合计\t\t2.00\n"
    seg = segment(split_lines(text))
    assert seg.tables[3].title_line == 2
    assert seg.duplicates == [(3, 4)]


def test_a_title_again_at_the_top_of_the_next_page_continues_the_table():
    from budgettui.tables import split_table

    text = ("第二部分 报表\n2026年预算支出总表\n科目编码\t科目名称\t合计\n合计\t\t3.00\n201\t一般公共服务支出\t1.00\n"
            "2026年预算支出总表\n科目编码\t科目名称\t合计\n合计\t\t3.00\n202\t外交支出\t2.00\n")
    seg = segment(split_lines(text), page_starts=(1, 6))
    assert seg.duplicates == []
    assert seg.tables[3].continued == [6]
    table = split_table(seg.tables[3])
    # the header and the 合计 row printed again on page 2 count once
    assert [line.cells[:2] for line in table.rows] == [["合计", ""], ["201", "一般公共服务支出"], ["202", "外交支出"]]


# Titles of the template family's cities, as printed, and the table each one is.
FAMILY_TITLES = {
    "2026年预算单位财务收支预算总表": 1, "收支总表": 1, "一、收支预算总表": 1, "收支总体情况表": 1,
    "部门综合预算收支总表": 1, "2026年部门收支总体情况表": 1,
    "2026年预算单位收入预算总表": 2, "收入总体情况表": 2, "部综合预算收入总表": 2,
    "本年支出总体情况表": 3, "支出总表": 3, "2026年度支出预算总表": 3,
    "财政拨款收支总体情况表": 4, "部门综合预算财政拨款收支总表": 4,
    "一般公共预算支出情况表（按功能分类科目）": 5, "一般公共预算拨款支出预算表": 5,
    "2026年预算单位一般公共预算支出功能分类预算表": 5, "一般公共预算支出表（按功能分类）": 5,
    "部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）": 5,
    "一般公共预算基本支出情况表（按经济分类科目）": 6, "一般公共预算基本支出经济分类情况表": 6,
    "2026年预算单位一般公共预算基本支出部门预算经济分类预算表": 6, "一般公共预算基本支出表": 6,
    "政府性基金预算支出情况表": 8, "政府性基金预算拨款支出预算表": 8,
    "国有资本经营预算支出预算表": 9, "国有资本经营预算拨款支出预算表": 9,
    "2026年单位“三公”经费和机关运行经费预算表": 10, "财政拨款安排的行政经费及“三公”经费预算表": 10,
    "一般公共预算“三公”经费、会议费、培训费支出表": 10, "一般公共预算机关运行经费支出预算表": 11,
    "部门预算项目支出及其他支出预算表": 12, "项目支出预算情况表": 12, "部门综合预算专项业务经费支出表": 12,
}


def test_the_family_titles_name_their_tables():
    assert {title: (table_title(title) or (None,))[0] for title in FAMILY_TITLES} == FAMILY_TITLES


def test_titles_of_no_template_table_and_non_titles():
    from budgettui.vocabulary import table_kind

    assert table_kind("一般公共预算支出表（按经济分类）")[::2] == (None, True)  # a table, of no template kind
    assert table_kind("部门预算基本支出预算表")[::2] == (None, True)
    assert table_kind("（项目绩效目标表公开情况见附件）")[::2] == (None, False)
    assert table_kind("2026年部门综合预算公开报表")[::2] == (None, False)


def test_a_title_wrapped_inside_its_brackets_is_one_title():
    text = ("第二部分 报表\n2021年部门综合预算一般公共预算支出明细表（按支出功能分类科\n目-不含上年结转）\n"
            "科目编码\t科目名称\t合计\n201\t一般公共服务支出\t1.00\n"
            "2021年部门综合预算一般公共预算支出明细表（按支出经济分类科\n目-不含上年结转）\n"
            "科目编码\t科目名称\t合计\n301\t工资福利支出\t1.00\n")
    seg = segment(split_lines(text))
    assert (seg.tables[5].title_line, seg.tables[5].title) == (
        2, "2021年部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）")
    assert [line.text.split("\t")[0] for line in seg.tables[5].lines] == ["科目编码", "201"]
    assert [t.title_line for t in seg.others] == [6]  # by economic item: a table of no template kind


def test_contents_entries_end_in_dot_leaders_or_a_page_number_after_a_tab():
    entries = ["一、部门预算收支总表........3", "第一部分 部门概况……", "目录\t12", "部门预算收支总表\t 7 ",
               "部门预算收支总表\t12\t", "部门预算收支总表 \t\u3000٣"]
    others = ["2026年部门预算", "合计\t25552.62", "表1\t", "第3页 ...", "部门预算收支总表 12", "合计\t12a",
              "目录\t²"]
    assert [is_toc(Line(1, t)) for t in entries] == [True] * len(entries)
    assert [is_toc(Line(1, t)) for t in others] == [False] * len(others)
