"""The corpus tree: documents grouped by place › year › department.

The place is what the document prints, never its file name: the department's name
(中共西安市委宣传部 → 西安市), else the title, else a line of the cover that starts with a place.
A document that names no place is grouped under 地区未印. Grouping is incremental: documents
are added one by one as they are parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from budgettui.tui.outline import Node

#: A place a department's name starts with: a city or province (the party's own prefix
#: 中共 / 中国共产党 is not part of it). Two to five characters before the level word.
_CITY = re.compile(r"(?:中国共产党|中共)?([\u4e00-\u9fff]{2,5}?(?:特别行政区|自治区|自治州|省|市|盟))")
#: A district or county, when no city is named (福州经济技术开发区生态环境局 → 福州经济技术开发区).
_COUNTY = re.compile(r"(?:中国共产党|中共)?([\u4e00-\u9fff]{2,9}?(?:区|县|旗))")
#: A cover line naming its place at its start (after a year): 2026年西安市… or 西安市…
_COVER_LINE = re.compile(r"^\s*(?:\d{4}\s*年度?)?\s*" + _CITY.pattern)
#: Cover lines looked at (the first page is shorter than this in every template).
COVER_LINES = 40

NO_PLACE = "地区未印"
NO_YEAR = "年度未印"


def place_of(department: str | None, title: str | None, cover: Iterable[str] = ()) -> str:
    """The place a document is about, from its department's name, its title or its cover."""
    texts = [t for t in (department, title) if t]
    for text in texts:
        found = _CITY.search(text)
        if found:
            return found.group(1)
    for line in cover:
        found = _COVER_LINE.match(line)
        if found:
            return found.group(1)
    for text in texts:
        found = _COUNTY.search(text)
        if found:
            return found.group(1)
    return NO_PLACE


def department_key(name: str | None) -> str:
    """A department's name compared across documents and years: brackets unified, spaces
    and quotes dropped, 中国共产党 written 中共."""
    from budgettui.performance import name_key

    return name_key((name or "").replace("中国共产党", "中共"))


def year_label(year: int | None) -> str:
    return f"{year}年" if year else NO_YEAR


@dataclass(slots=True)
class Placed:
    """A document's place in the tree."""

    root: Node  # the document's outline
    place: str
    year: int | None
    department: str  # as printed (the label)
    title: str = ""  # the document's title, as the header shows it (its outline's name if it prints none)


@dataclass(slots=True)
class Grouping:
    """Place › year › document nodes, built as documents arrive."""

    places: list[Node] = field(default_factory=list)
    documents: dict[str, Placed] = field(default_factory=dict)

    def add(self, placed: Placed) -> tuple[Node, list[Node]]:
        """Put a document under its place and year (made when new; years newest first).
        Returns the node it was added under and the documents whose label changed (two
        documents of one department in one year are told apart by their ids)."""
        if not _CITY.fullmatch(placed.place):  # a district of a city already here goes under it
            city = next((n.name for n in self.places if _CITY.fullmatch(n.name)
                         and placed.place.startswith(n.name[:-1])), None)
            placed.place = city or placed.place
        place = next((n for n in self.places if n.name == placed.place), None)
        if place is None:
            place = Node("group", "", placed.place, key=f"place|{placed.place}")
            self.places.append(place)
        label = year_label(placed.year)
        year = next((n for n in place.children if n.name == label), None)
        if year is None:
            year = Node("group", "", label, key=f"year|{placed.place}|{label}", parent=place)
            later = [i for i, n in enumerate(place.children) if _year_of(n) < (placed.year or 0)]
            place.children.insert(later[0] if later else len(place.children), year)
        root = placed.root
        root.name = placed.department
        root.parent = year
        year.children.append(root)
        year.amounts = _sum(child.amounts for child in year.children)
        self.documents[root.doc_id] = placed
        same = [n for n in year.children
                if department_key(self.documents[n.doc_id].department) == department_key(placed.department)]
        renamed = []
        if len(same) > 1:
            for node in same:
                name = f"{self.documents[node.doc_id].department} · {node.doc_id}"
                if node.name != name:
                    node.name = name
                    if node is not root:
                        renamed.append(node)
        return year, renamed

    def other_years(self, doc_id: str) -> list[Placed]:
        """The documents of the same department (by its normalised name) in other years,
        nearest year first (an earlier one before a later one as near)."""
        this = self.documents[doc_id]
        key = department_key(this.department)
        others = [p for p in self.documents.values()
                  if p.root.doc_id != doc_id and p.year and p.year != this.year
                  and department_key(p.department) == key]
        year = this.year or 0
        return sorted(others, key=lambda p: (abs((p.year or 0) - year), (p.year or 0) > year))


def _sum(rows: Iterable[tuple]) -> tuple:
    """Column sums of the documents' amounts (a year's total, basic and project spending);
    an empty cell counts as nothing, a column empty everywhere stays empty."""
    rows = [row for row in rows if row]
    if not rows:
        return ()
    width = max(len(row) for row in rows)
    columns = [[row[i] for row in rows if i < len(row) and row[i] is not None] for i in range(width)]
    return tuple(sum(column[1:], column[0]) if column else None for column in columns)


def _year_of(node: Node) -> int:
    digits = node.name.removesuffix("年")
    return int(digits) if digits.isdigit() else -1


def placed(root: Node, doc: dict, cover: Iterable[str] = ()) -> Placed:
    """A document's outline with its place, year and department from its documents row."""
    department = doc.get("department") or doc.get("title") or root.doc_id
    spending = next((child for child in root.children if child.key == "功能科目"), None)
    root.amounts = spending.amounts if spending is not None else ()  # table 3's 合计
    return Placed(root, place_of(doc.get("department"), doc.get("title"), cover), doc.get("year"), department,
                  doc.get("title") or root.name)
