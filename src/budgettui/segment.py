"""Segmenting a document by its titles: the parts, the tables, performance tables, glossary.

Tables are recognised by what their titles say (`vocabulary.TABLE_KINDS`: any year, any of
the family's wordings), never by line numbers or by the `预算公开表N` labels above them,
which are unreliable. A table whose title is printed again at the top of the next page is
continued there; printed again elsewhere, it is a duplicate (the first copy counts). A title
in the table of contents opens an empty table that the real one replaces. A table-like title
that names no template table still keeps its lines (`Segments.others`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from budgettui import vocabulary as vocab
from budgettui.sources import Line

#: A table-of-contents entry ends in dot leaders (`....`, `……`) or a TAB and a page number.
_TOC_LEADERS = ("....", "……")
_TOC_PAGE = re.compile(r"\t\s*\d+$")
#: Dot leaders and what follows them (a contents entry's page number).
_LEADERS_ON = re.compile(r"[.…·]{2,}.*$")
PERFORMANCE_TITLE = vocab.PERFORMANCE_TITLE
#: A numbered section heading of the narrative: 一、… to 二十、…
SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})、\s*(\S.*)$")
_SPACES = re.compile(r"\s+")
#: A title this near the top of a page continues the table of the page before.
_PAGE_TOP = 4


@dataclass(slots=True)
class TableSection:
    """One budget table: its number (0 for a table of no template kind), title as printed,
    and the lines after the title (those of every page it continues on)."""

    no: int
    title: str
    year: int | None
    title_line: int
    lines: list[Line] = field(default_factory=list)
    #: Lines where the table goes on after a page break (its title printed again).
    continued: list[int] = field(default_factory=list)

    @property
    def has_rows(self) -> bool:
        return any(not line.blank and not vocab.META.match(line.text.strip()) for line in self.lines)


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
    #: Tables whose titles name no table of the template (their lines are kept).
    others: list[TableSection] = field(default_factory=list)
    #: Template tables the document names anywhere, its table of contents included.
    listed: set[int] = field(default_factory=set)


def single_text(line: Line) -> str | None:
    """The text of a line that holds one non-empty cell (titles, headings), else None."""
    if "\t" not in line.text:  # one cell
        return line.text.strip() or None
    filled = filter(None, line.cells)
    first = next(filled, None)
    return first if next(filled, None) is None else None


def is_toc(line: Line) -> bool:
    """Table-of-contents entries end in dot leaders or a page number (after a TAB, spaces
    around it allowed: looked for from the last TAB of the text without trailing spaces)."""
    text = line.text
    if _TOC_LEADERS[0] in text or _TOC_LEADERS[1] in text:
        return True
    text = text.rstrip()
    if not text[-1:].isdecimal():  # `\d` is a decimal digit
        return False
    tab = text.rfind("\t")
    return tab >= 0 and _TOC_PAGE.match(text, tab) is not None


def table_title(text: str) -> tuple[int, int] | None:
    """(table number, year) when `text` is the title of a table of the template (the year is
    None when the title prints none)."""
    kind, year, _ = vocab.table_kind(text)
    return (kind.no, year) if kind else None  # type: ignore[return-value]


def part_heading(line: Line) -> int | None:
    """The number of a part heading (第二部分 …, 二、表格部分), not its table-of-contents entry."""
    found = _part(line)
    return found[0] if found else None


def _part(line: Line) -> tuple[int, str] | None:
    if "部分" not in line.text or is_toc(line):
        return None
    text = single_text(line)
    match = vocab.PART.match(text or "")
    if not match:
        return None
    numeral = match.group(1) or match.group(2)
    number = "一二三四五六七八九十".index(numeral[-1]) + 1 + (10 if len(numeral) > 1 else 0)
    return number, vocab.part_kind(match.group(3) or text or "")


def _bare_part(line: Line, text: str | None, following: Line | None, rest: str | None) -> Line | None:
    """A part heading printed without its words (`第一部分` / `部门概况` on the next line) joined
    into one line numbered as its first, so the part is known by what it holds (`text`,
    `rest`: the single texts of the line and the next, `single_text`)."""
    match = vocab.PART.match(text or "") if text and "部分" in text and not is_toc(line) else None
    if match is None or match.group(3) or following is None:
        return None
    if not rest or len(rest) > 24 or is_toc(following) or SECTION.match(rest) or vocab.PART.match(rest):
        return None
    return Line(line.no, f"{text} {rest}")


def _wrapped_title(line: Line, text: str | None, rest: str | None) -> Line | None:
    """A title cut inside its brackets (`…明细表（按支出功能分类科` / `目-不含上年结转）`) joined
    into one line numbered as its first, when the joined text is a table's title (`text`,
    `rest`: the single texts of the line and the next, `single_text`)."""
    if not text or text.rfind("（") <= text.rfind("）"):
        return None
    if not rest or "（" in rest or "）" not in rest or len(rest) > 20:
        return None
    kind, _, table_like = vocab.table_kind(text + rest)
    return Line(line.no, text + rest) if kind or table_like else None


class _Segmenter:
    """One pass over the lines, routing each to the part or table it belongs to."""

    def __init__(self, lines: list[Line], page_starts: tuple[int, ...]) -> None:
        self.seg = Segments(lines)
        self.page_starts = page_starts
        self.part = ""
        self.target: list[Line] | None = None
        self.table: TableSection | None = None
        self.in_performance = False

    def page_top(self, no: int) -> bool:
        """Whether line `no` is among the first lines of its page."""
        if not self.page_starts:
            return False
        page = bisect_right(self.page_starts, no)
        return page > 0 and no - self.page_starts[page - 1] < _PAGE_TOP

    def run(self) -> Segments:
        lines = self.seg.lines
        singles = [single_text(line) for line in lines]  # each line's, once
        singles.append(None)  # after the last line
        skip = False
        for index, line in enumerate(lines):
            if skip:
                skip = False
                continue
            following = lines[index + 1] if index + 1 < len(lines) else None
            text, rest = singles[index], singles[index + 1]
            joined = _wrapped_title(line, text, rest) or _bare_part(line, text, following, rest)
            if joined is not None:  # a title wrapped inside its brackets onto the next line
                self.route(joined, single_text(joined))
                skip = True
                continue
            self.route(line, text)
        return self.seg

    def route(self, line: Line, text: str | None) -> None:
        """Send a line (`text`: its single text) to the part or table it belongs to, or open
        the part or table it heads."""
        toc = is_toc(line)
        if toc:
            entry = _LEADERS_ON.sub("", line.cells[0]).strip()
            kind = vocab.table_kind(entry)[0] if entry else None
            if kind:
                self.seg.listed.add(kind.no)
        found = _part(line)
        if found:
            self.open_part(found[1], line)
            return
        if text and not toc:
            if vocab.LABEL.match(_SPACES.sub("", text)):
                return  # a label above a title: never part of a table
            if vocab.PERFORMANCE_TITLES.search(text) and "\t" not in line.text.strip():
                self.open_performance(line)
                return
            kind, year, table_like = vocab.table_kind(text)
            if kind or (table_like and self.part in ("", "tables")):
                self.open_table(kind.no if kind else 0, text, year, line)
                return
            if self.in_performance and self.part != "tables" and SECTION.match(text) \
                    and "\t" not in line.text.strip():
                self.in_performance = False
                self.target = self.seg.narrative
            elif vocab.GLOSSARY_HEADING.match(text) and self.part != "tables":
                self.in_performance = False
                self.target = self.seg.glossary
        if self.target is not None:
            self.target.append(line)

    def open_part(self, kind: str, line: Line) -> None:
        self.part = kind
        self.in_performance = False
        self.table = None
        self.target = {"overview": self.seg.overview, "narrative": self.seg.narrative,
                       "glossary": self.seg.glossary}.get(kind)
        if self.target is not None:
            self.target.append(line)

    def open_performance(self, line: Line) -> None:
        self.in_performance = True
        self.table = None
        self.target = self.seg.performance
        self.target.append(line)

    def open_table(self, no: int, title: str, year: int | None, line: Line) -> None:
        self.in_performance = False
        if self.part in ("", "overview", "narrative") and no:
            self.part = "tables" if self.part == "" else self.part
        section = TableSection(no, title, year, line.no)
        if no:
            self.seg.listed.add(no)
        previous = self.table
        if previous is not None and previous.no == no and previous.title == title \
                and previous.has_rows and self.page_top(line.no):
            previous.continued.append(line.no)  # the same table, on the next page
            self.target = previous.lines
            return
        if no == 0:
            self.seg.others.append(section)
        elif no in self.seg.tables and self.seg.tables[no].has_rows \
                and any("\t" in ln.text.strip() for ln in self.seg.tables[no].lines):
            self.seg.duplicates.append((no, line.no))  # parsed nowhere: the first copy counts
        else:
            self.seg.tables[no] = section  # new, or replacing a title of the contents
        self.table = section
        self.target = section.lines


def segment(lines: list[Line], page_starts: tuple[int, ...] = ()) -> Segments:
    """Cut the document into parts and tables in one pass over its lines."""
    seg = _Segmenter(lines, page_starts).run()
    seg.tables = {no: t for no, t in seg.tables.items() if t.has_rows}
    seg.others = [t for t in seg.others if t.has_rows]
    return seg


#: A budget title on the cover: `2026年度部门预算公开`, `部门预算（2026年）`.
_BUDGET_TITLE = re.compile(r"\d{4}\s*年.*[预預]算|[预預]算.*\d{4}\s*年")


def recognised(seg: Segments) -> bool:
    """Whether the lines are (part of) a budget disclosure: a template table or a performance
    table found by its title, or a budget title among the first lines of text."""
    if seg.tables or seg.performance:
        return True
    head = [line for line in seg.lines[:400] if not line.blank][:30]
    return any(_BUDGET_TITLE.search(line.text) for line in head)
