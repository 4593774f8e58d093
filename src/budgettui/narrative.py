"""The prose parts: 概况 (duties, 机构设置 and its units), 情况说明 sections, 名词解释."""

from __future__ import annotations

import re

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


def _is_heading(text: str) -> bool:
    """A short numbered line without a closing full stop is a heading, not a paragraph."""
    return len(text) <= 40 and not text.endswith("。")


def parse_narrative(lines: list[Line], part: str, doc_id: str, start: int = 0) -> list[Row]:
    """Paragraphs with their section (一、…) and heading ((一)…, 1、…).

    A paragraph cut by a page break (a long line without a closing mark, followed by a line
    that starts no section) is joined back into one row that keeps its first line.
    """
    rows: list[Row] = []
    parts: list[list[str]] = []  # each row's text pieces, joined once at the end (linear time)
    section = heading = None
    for line in lines:
        text = line.text.strip()
        if not text or part_heading(line):
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
            and previous["length"] >= 60
            and not parts[-1][-1].endswith(_SENTENCE_END)
            and not _SUBHEADING.match(text)
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


def units_from_overview(lines: list[Line], doc_id: str) -> list[Row]:
    """Units named in 机构设置: "设A一个行政单位及B、C…五个事业单位"."""
    units: list[Row] = []
    in_section = False
    for line in lines:
        text = line.text.strip()
        match = SECTION.match(text)
        if match and _is_heading(text):
            in_section = "机构" in text
            continue
        if not in_section:
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
