"""Segmenting by titles: year-agnostic, never by labels or positions."""

from __future__ import annotations

from conftest import SAMPLE

from budgettui.segment import segment, table_title
from budgettui.sources import read_source, split_lines


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
