"""Document facts from what the document prints: department, year, kind and scope.

File names lie (collectors guess them); the cover and the tables' own `部门名称：…` lines say
which department or unit a document is, which year, whether it is a 部门预算, a 单位预算 or a
决算, and whether it covers the department alone (本级) or with its units (汇总).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from budgettui.sources import Line

#: Table meta lines that name whose table it is.
_WHOSE = re.compile(
    r"^(?:部门名称|单位名称|编制单位|预算单位|填报单位|部门[（(]单位[)）]|单位)[：:]\s*([^\t]+?)\s*(?:\t|$)"
)
#: The kinds of disclosure, as covers name them (first match).
KINDS: tuple[tuple[str, str], ...] = (
    ("部门决算", r"部门决算"), ("单位决算", r"单位决算"), ("单位预算", r"单位预算|市级单位预算|预算单位"),
    ("部门预算", r"部门(?:综合)?预算|预算"),
)
SCOPES = {"本级": "本级", "汇总": "汇总", "部门汇总": "汇总", "合并": "汇总"}
_SCOPE = re.compile(r"[（(](本级|汇总|部门汇总|合并)[)）]")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*(?:年|部门|单位|预算)")
#: Words around a department's name on a cover that are not its name.
_COVER_NOISE = re.compile(
    r"\d{4}\s*年度?|部门综合预算|部门预算|单位预算|预算信息公开|信息公开|预算公开|公开|综合预算|"
    r"决算|预算|市级|目\s*录|[（(](?:本级|汇总)[)）]"
)
_NAME_END = re.compile(r"(局|委员会|委|办公室|办|院|中心|部|会|室|厅|所|站|队|馆|处|校|社|台|团|署|司|行)$")


@dataclass(frozen=True, slots=True)
class Cover:
    department: str | None
    year: int | None
    kind: str | None
    scope: str | None


def cover_facts(lines: list[Line], table_lines: list[list[Line]], page_starts: tuple[int, ...]) -> Cover:
    """The document's facts: the tables' meta lines first, then the cover page."""
    cover = _cover_text(lines, page_starts)
    named = Counter(_whose(section) for section in table_lines)
    named.pop(None, None)
    department = named.most_common(1)[0][0] if named else _from_cover(cover)
    scope = None
    if department:
        found = _SCOPE.search(department)
        if found:
            scope = SCOPES[found.group(1)]
            department = _SCOPE.sub("", department).strip() or None
    scope = scope or next((SCOPES[m.group(1)] for m in [_SCOPE.search(cover)] if m), None)
    year = next((int(m.group(1)) for m in [_YEAR.search(cover)] if m), None)
    kind = next((k for k, pattern in KINDS if re.search(pattern, cover)), None)
    return Cover(department, year, kind, scope)


def _cover_text(lines: list[Line], page_starts: tuple[int, ...]) -> str:
    """The first page's text (or the first lines), up to the table of contents."""
    end = page_starts[1] - 1 if len(page_starts) > 1 else 12
    texts = []
    for line in lines[: max(end, 1)][:12]:
        text = re.sub(r"\s+", "", line.text)
        if text.startswith("目录") or text.startswith("第一部分"):
            break
        if text:
            texts.append(text)
    return "".join(texts)


def _whose(section: list[Line]) -> str | None:
    for line in section[:8]:
        match = _WHOSE.match(line.text.strip())
        if match and not re.match(r"^(万元|元|千元)$", match.group(1)):
            return match.group(1).strip()
    return None


def _from_cover(cover: str) -> str | None:
    """The department's name on the cover: what remains without years and kind words."""
    explicit = re.search(r"(?:预算单位|部门名称|单位名称)[：:](.+)$", cover)
    if explicit:
        return explicit.group(1) or None
    parts = [p for p in _COVER_NOISE.split(cover) if p]
    named = [p.removesuffix("部门") for p in parts if _NAME_END.search(p.removesuffix("部门"))]
    return max(named, key=len) if named else (max(parts, key=len) if parts else None)
