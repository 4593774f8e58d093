"""The prose parts: 概况 (duties, 机构设置 and its units), 情况说明 sections, 名词解释."""

from __future__ import annotations

import re

from budgettui.figures import FIGURE
from budgettui.segment import SECTION, part_heading, single_text
from budgettui.sources import Line
from budgettui.tables import Row

_SUBHEADING = re.compile(r"^(（[一二三四五六七八九十]{1,3}）|\(\s*[一二三四五六七八九十]{1,3}\s*\)|\d{1,2}、)")
_SENTENCE_END = ("。", "；", ";", "！", "？", "”")
_UNITS = re.compile(
    r"(?:设|包括|下设|由)?(?P<names>[^，。；]+?)(?P<count>[一二三四五六七八九十\d]+)个"
    r"(?P<kind>行政单位|事业单位|参照公务员法管理事业单位|参公单位)"
)
_TERM = re.compile(r"^[一二三四五六七八九十]{1,3}、\s*(?P<term>[^：:]{1,30})[：:]\s*(?P<definition>.*)$")


#: Marks inside a line that make it a sentence (a heading has none).
_CLAUSE = re.compile(r"[，。；;]")
#: How a line that continues the one before can start: an amount's unit or the rest of a
#: figure (`万元，其中：`), or a mark that closes a clause.
_CONTINUES = re.compile(r"^(?:万元|元|[%％，、。；）)”])")


def _is_heading(text: str) -> bool:
    """A short numbered line without a closing full stop or a mark inside is a heading, not a
    paragraph (`（一）基本支出。基本支出预算7485.22万元，占本年` is a sentence cut by a page)."""
    return len(text) <= 40 and not text.endswith("。") and not _CLAUSE.search(text[:-1])


def _continues(previous: str, length: int, text: str) -> bool:
    """Whether `text` goes on with a paragraph that does not end in a closing mark: the paragraph
    fills a line (60 characters), or the line starts with a figure or its unit (`1240.07万元，
    其中：` after `…政府采购预算总额`), or the paragraph stopped inside a clause (it holds a
    comma and does not end in a colon that opens a list)."""
    if previous.endswith(_SENTENCE_END) or _SUBHEADING.match(text) or _ITEM.match(text):
        return False
    return (length >= 60 or bool(FIGURE.match(text)) or bool(_CONTINUES.match(text))
            or ("，" in previous and not previous.endswith(("：", ":"))))


_ITEM = re.compile(r"^\d{1,2}[.．、](?!\d)|^[一二三四五六七八九十]{1,3}、|^[（(]\d{1,2}[)）]|^图\s*\d")


def _furniture(lines: list[Line]) -> set[str]:
    """Running headers and footers (`无锡市应急管理局2026年度部门预算公开`): a line of 8 to 40
    characters printed three times or more, without a figure, a mark or a number in front."""
    seen: dict[str, int] = {}
    for line in lines:
        text = line.text.strip()
        if 8 <= len(text) <= 40:
            seen[text] = seen.get(text, 0) + 1
    return {text for text, count in seen.items()
            if count >= 3 and not FIGURE.search(text) and not re.search(r"[，。；：:]", text)
            and not _SUBHEADING.match(text) and not _ITEM.match(text)}


def parse_narrative(lines: list[Line], part: str, doc_id: str, start: int = 0) -> list[Row]:
    """Paragraphs with their section (一、…) and heading ((一)…, 1、…).

    A paragraph cut by a page break (a long line without a closing mark, followed by a line
    that starts no section) is joined back into one row that keeps its first line.
    """
    rows: list[Row] = []
    parts: list[list[str]] = []  # each row's text pieces, joined once at the end (linear time)
    section = heading = None
    furniture = _furniture(lines)
    for line in lines:
        text = line.text.strip()
        if not text or part_heading(line) or text in furniture:
            continue
        single = single_text(line) or text
        section_match = SECTION.match(single)
        if section_match and _is_heading(single):
            section, heading = single, None
            continue
        if _SUBHEADING.match(single) and _is_heading(single):
            heading = single
            continue
        previous = rows[-1] if rows else None
        if (
            previous
            and previous["section"] == section
            and previous["heading"] == heading
            and "\t" not in text and "\t" not in parts[-1][-1]
            and _continues(parts[-1][-1], previous["length"], text)
        ):
            parts[-1].append(text)
            previous["length"] += len(text)
            continue
        rows.append({
            "doc_id": doc_id, "seq": start + len(rows) + 1, "part": part, "section": section,
            "heading": heading, "text": text, "source_line": line.no, "length": len(text),
        })
        parts.append([text])
    for row, pieces in zip(rows, parts, strict=True):
        row["text"] = "".join(pieces)
        del row["length"]
    return rows


#: A list of units after `…包括：`: `1.烟台市商务局`, one a line or several in one
#: (`1.烟台市信访局 2.烟台市信访事务服务中心。`), a `单位预算` after a name left out.
_LISTED_UNIT = re.compile(
    r"(?:^|\s)\d{1,2}[.．、]\s*(?P<name>[^\s。；;，,：:]+?)(?:单位预算)?(?=\s+\d{1,2}[.．、]|[。；;]|$)"
)
#: Where such a list starts: `…预算单位包括：`, `…部门预算包括：1.…`.
_UNIT_LIST = re.compile(r"(?:预算单位|部门预算|单位)(?:包括|有)[：:]")


def units_from_overview(lines: list[Line], doc_id: str) -> list[Row]:
    """Units named in 机构设置: "设A一个行政单位及B、C…五个事业单位", or a numbered list after
    "…预算单位包括：" (kind not stated)."""
    units: list[Row] = []
    in_section = in_list = False
    for line in lines:
        text = line.text.strip()
        match = SECTION.match(text)
        if match and _is_heading(text):
            in_section, in_list = "机构" in text, False
            continue
        if not in_section:
            continue
        listed = _UNIT_LIST.search(text)
        if listed or in_list:
            tail = text[listed.end():] if listed else text
            names = [m.group("name") for m in _LISTED_UNIT.finditer(tail)]
            units += [{"doc_id": doc_id, "name": name, "kind": None, "source_line": line.no} for name in names]
            in_list = bool(listed and not names) or (in_list and bool(names))
            if names:
                continue
        for found in _UNITS.finditer(text):
            names = re.sub(r"^(?:以及|设|及|和|包括|下设)", "", found.group("names").strip())
            kind = "行政单位" if found.group("kind") == "行政单位" else "事业单位"
            for name in re.split(r"[、，,]", names):
                name = name.strip()
                if name:
                    units.append({"doc_id": doc_id, "name": name, "kind": kind,
                                  "source_line": line.no})
    return units


def parse_glossary(lines: list[Line], doc_id: str) -> list[Row]:
    """名词解释: "一、基本支出：指…"; a definition on the following line(s) joins its term."""
    rows: list[Row] = []
    parts: list[list[str]] = []  # each definition's pieces, joined once at the end (linear time)
    for line in lines:
        text = line.text.strip()
        if not text or part_heading(line):
            continue
        match = _TERM.match(text)
        if match:
            rows.append({"doc_id": doc_id, "seq": len(rows) + 1, "term": match.group("term"),
                         "definition": None, "source_line": line.no})
            parts.append([match.group("definition")])
        elif rows:
            parts[-1].append(text)
    for row, pieces in zip(rows, parts, strict=True):
        row["definition"] = "".join(pieces)
    return rows
