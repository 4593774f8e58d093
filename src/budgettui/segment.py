"""Segmenting a document by its titles: the parts, tables 1–13, performance tables, glossary.

Tables are recognised by their titles (any year), never by line numbers or by the
`预算公开表N` labels above them, which are unreliable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgettui.sources import Line

#: Title patterns of tables 1–13, matched against the title with its year removed.
TABLE_TITLES: dict[int, re.Pattern[str]] = {
    no: re.compile(pattern)
    for no, pattern in {
        1: r"^(部门)?预算收支总表",
        2: r"^(部门)?预算收入总表",
        3: r"^(部门)?预算支出总表",
        4: r"^财政拨款收支总表",
        5: r"^一般公共预算支出预算表",
        6: r"^一般公共预算安排?基本支出分?经济科目",
        7: r"^政府性基金预算收入",
        8: r"^政府性基金预算支出",
        9: r"^国有资本经营预算收支",
        10: r"^财政拨款安排.?三公.?经费",
        11: r"^财政拨款安排机关运行经费",
        12: r"^项目支出预算表(?![（(]上年结转)",
        13: r"^项目支出预算表[（(]上年结转",
    }.items()
}

_TITLE = re.compile(r"^(?:表[一二三四五六七八九十]+\s*)?(\d{4})\s*年度?\s*(.+)$")
_LABEL = re.compile(r"^(?:预算|部门)?公开表\s*\d+$")
_PART = re.compile(r"^第([一二三四])部分\s*(.*)$")
_TOC = re.compile(r"\.{4,}|…{2,}|\t\s*\d+\s*$")
PERFORMANCE_TITLE = "项目支出绩效目标表"
#: A numbered section heading of the narrative: 一、… to 二十、…
SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})、\s*(\S.*)$")


@dataclass(slots=True)
class TableSection:
    """One budget table: its number, title as printed, and the lines after the title."""

    no: int
    title: str
    year: int
    title_line: int
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Segments:
    """A document cut into its parts."""

    lines: list[Line]
    tables: dict[int, TableSection] = field(default_factory=dict)
    overview: list[Line] = field(default_factory=list)
    narrative: list[Line] = field(default_factory=list)
    performance: list[Line] = field(default_factory=list)
    glossary: list[Line] = field(default_factory=list)
    #: Tables printed more than once: (table number, title line of the ignored copy).
    duplicates: list[tuple[int, int]] = field(default_factory=list)


def single_text(line: Line) -> str | None:
    """The text of a line that holds one non-empty cell (titles, headings), else None."""
    cells = [c for c in line.cells if c]
    return cells[0] if len(cells) == 1 else None


def is_toc(line: Line) -> bool:
    """Table-of-contents entries end in dot leaders or a page number."""
    return bool(_TOC.search(line.text))


def table_title(text: str) -> tuple[int, int] | None:
    """(table number, year) when `text` is the title of one of tables 1–13."""
    match = _TITLE.match(text)
    if not match:
        return None
    body = re.sub(r"\s+", "", match.group(2))
    for no, pattern in TABLE_TITLES.items():
        if pattern.match(body):
            return no, int(match.group(1))
    return None


def part_heading(line: Line) -> int | None:
    """1–4 for the heading line of 第一部分 … 第四部分 (not its table-of-contents entry)."""
    if "部分" not in line.text or is_toc(line):
        return None
    text = single_text(line)
    match = _PART.match(text or "")
    return "一二三四".index(match.group(1)) + 1 if match else None


def segment(lines: list[Line]) -> Segments:
    """Cut the document into parts and tables in one pass over its lines."""
    seg = Segments(lines)
    part = 0
    target: list[Line] | None = None
    in_performance = False
    for line in lines:
        heading = part_heading(line)
        if heading:
            part = heading
            in_performance = False
            target = {1: seg.overview, 3: seg.narrative, 4: seg.glossary}.get(part)
            if target is not None:
                target.append(line)
            continue
        text = single_text(line)
        if part in (0, 2) or (part == 1 and text):
            found = table_title(text) if text and not is_toc(line) else None
            if found:
                no, year = found
                section = TableSection(no, text or "", year, line.no)
                if no in seg.tables:
                    seg.duplicates.append((no, line.no))
                    target = section.lines  # parsed nowhere: the first copy counts
                else:
                    seg.tables[no] = section
                    target = section.lines
                part = 2
                continue
        if part == 3:
            if text and PERFORMANCE_TITLE in text:
                in_performance = True
            elif in_performance and text and "\t" not in line.text.strip() and SECTION.match(text):
                in_performance = False
            target = seg.performance if in_performance else seg.narrative
        if target is not None and not (text and _LABEL.match(text)):
            target.append(line)
    return seg


#: A budget title on the cover: `2026年度部门预算公开`, `部门预算（2026年）`.
_BUDGET_TITLE = re.compile(r"\d{4}\s*年.*[预預]算|[预預]算.*\d{4}\s*年")


def recognised(seg: Segments) -> bool:
    """Whether the lines are (part of) a budget disclosure: a table 1–13 or a performance table
    found by its title, or a budget title among the first lines of text."""
    if seg.tables or seg.performance:
        return True
    head = [line for line in seg.lines[:400] if not line.blank][:30]
    return any(_BUDGET_TITLE.search(line.text) for line in head)
