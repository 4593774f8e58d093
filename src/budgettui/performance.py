"""项目支出绩效目标表: header block, realigned indicator grid, continuation pages, targets.

One table per project, each printed as: title, `(2026年度)`, a header block (项目名称 …
项目资金 … 总体目标), the 绩效指标 grid and a footer (负责人 … 填报日期). The grid is printed
twice side by side: left half = 实施期目标 (period "implementation"), right half = 年度目标
(period "annual"), each as 一级指标 / 二级指标 / 三级指标 / 指标值.

The extraction shifts cells, drops repeated level names and mixes the halves, so a grid row
is read from the fixed vocabulary of both indicator frameworks (2015 and 2021), not from
column positions:

- every cell is a level-1 name, a level-2 name, grid-header noise or text; a row is cut into
  halves, each `[level-2] [name] [value]`, in printed order: the first half is the left
  (implementation) one, the second the right (annual) one, any further half is *unplaced*;
- level 1 follows from level 2 (数量/质量/时效/成本 → 产出指标, 经济效益/社会效益/生态效益/
  可持续影响 → 效益指标, 服务对象满意度 → 满意度指标, 经济成本/社会成本/生态环境成本 →
  成本指标); a printed level 1 only matters when no level 2 is known;
- canonical names carry the 指标 suffix at both levels (`数量指标`, `经济效益指标`,
  `服务对象满意度指标`); `效果` is read as `效益`;
- a half without a level 2 inherits its own half's last one, except that it takes the level 2
  the other half prints on the same row when both name the same indicator, or when its own
  last level 2 was a placeholder (a level 2 printed with no indicator: not an indicator, it
  is dropped); a printed 满意度指标 implies 服务对象满意度指标;
- `A name value A` (the right half printed only the same level 2) repeats the indicator in
  both halves; repeated level names and repeated cells are read once; an indicator printed
  over two rows of its half (the value missing on one) is read once.

Rows that needed any of this, or whose cells are not under their header's columns, carry
flag "repaired"; halves beyond the second carry "unplaced" (period "annual") and a finding.
A table printed again from its header with the same project name after a page without a
footer is a continuation: it merges into the previous table and its rows inherit the level
names in force where that page stopped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from budgettui.sources import Line
from budgettui.values import is_amount, parse_amount, parse_target

TITLE = "项目支出绩效目标表"
IMPLEMENTATION, ANNUAL = "implementation", "annual"
PERIODS = (IMPLEMENTATION, ANNUAL)
CENT = Decimal("0.01")

# Text ---------------------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans(
    {**dict.fromkeys("（([〔【《〈<「『［", "("), **dict.fromkeys("）)]〕】》〉>」』］", ")"),
     **dict.fromkeys("“”‘’\"'", "")}
)


def clean_text(text: str | None) -> str | None:
    """HTML tags and entities out, whitespace collapsed; None when nothing is left.

    Only real tags (`<p>`, `</p>`, `<br/>`) go: `<山西省…通知>` used as brackets stays.
    """
    if text is None:
        return None
    text = _SPACES.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()
    return text or None


def name_key(text: str | None) -> str:
    """Comparison key of a name: all bracket forms as `()`, quotes and whitespace dropped."""
    if not text:
        return ""
    text = (clean_text(text) or "").replace("<<", "《").replace(">>", "》")
    return _SPACES.sub("", text.translate(_BRACKETS)).lower()


# Indicator vocabulary -------------------------------------------------------------------------

OUTPUT, BENEFIT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"
#: Level-2 name without 指标 → (level 1, canonical level 2), both frameworks.
LEVEL2: dict[str, tuple[str, str]] = {
    "数量": (OUTPUT, "数量指标"),
    "质量": (OUTPUT, "质量指标"),
    "时效": (OUTPUT, "时效指标"),
    "成本": (OUTPUT, COST),  # 2015; in 2021 成本指标 is level 1 (see _cost_is_level1)
    "经济效益": (BENEFIT, "经济效益指标"),
    "社会效益": (BENEFIT, "社会效益指标"),
    "生态效益": (BENEFIT, "生态效益指标"),
    "可持续影响": (BENEFIT, "可持续影响指标"),
    "服务对象满意度": (SATISFACTION, "服务对象满意度指标"),
    "经济成本": (COST, "经济成本指标"),
    "社会成本": (COST, "社会成本指标"),
    "生态环境成本": (COST, "生态环境成本指标"),
}
LEVEL1 = {"产出": OUTPUT, "效益": BENEFIT, "满意度": SATISFACTION}
_LEVEL1_OF = {canonical: level1 for level1, canonical in LEVEL2.values()}
#: Level 1 → its only level 2, when it has just one.
_ONLY_CHILD = {SATISFACTION: "服务对象满意度指标"}
_HEADER_WORDS = {"一级", "二级", "三级", "指标值"}
_NOISE = {*_HEADER_WORDS, "绩效"}


def _vocab_key(cell: str) -> str:
    key = "".join(cell.split()).rstrip(":：").replace("效果", "效益")
    return key.removesuffix("指标") if key != "指标值" else key


class _Token(NamedTuple):
    kind: str  # l1, l2, cost (成本指标: level 1 or 2), noise, header, text
    text: str  # canonical name for l1/l2/cost, cleaned text otherwise
    col: int


@lru_cache(maxsize=8192)
def _classify(cell: str) -> tuple[str, str] | None:
    """(kind, text) of a non-empty cell; cached, since grids repeat their cells."""
    key = _vocab_key(cell)
    if not key:
        return None
    if key == "成本":
        return "cost", COST
    if key in LEVEL2:
        return "l2", LEVEL2[key][1]
    if key in LEVEL1:
        return "l1", LEVEL1[key]
    if key in _NOISE:
        return ("header" if key in _HEADER_WORDS else "noise"), key
    text = clean_text(cell)
    return ("text", text) if text else None


def _tokens(cells: list[str]) -> list[_Token]:
    return [
        _Token(*kind_text, col)
        for col, cell in enumerate(cells)
        if cell and (kind_text := _classify(cell)) is not None
    ]


# Grid rows ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Half:
    """One half of a grid row: an optional level 2, then name and value."""

    level2: str | None = None
    level2_col: int | None = None
    texts: list[str] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)

    @property
    def placeholder(self) -> bool:
        return not self.texts


@dataclass(slots=True)
class _Row:
    """A grid row cut into halves, with what was printed besides."""

    halves: list[_Half]
    level1: str | None
    level1_col: int | None
    collapsed: bool  # a repeated level name or cell was read once


def _cost_is_level1(tokens: list[_Token], i: int) -> bool:
    """成本指标 is level 1 (2021) when a 2021 cost level 2 follows it."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is not None and nxt.kind == "l2" and _LEVEL1_OF[nxt.text] == COST


def _cut(tokens: list[_Token]) -> _Row:
    """Cut a row's tokens into halves `[level-2] [name] [value]` in printed order."""
    row = _Row([], None, None, False)
    half: _Half | None = None
    for i, tok in enumerate(tokens):
        kind = tok.kind
        if kind == "cost":
            kind = "l1" if _cost_is_level1(tokens, i) else "l2"
        if kind == "l1":
            row.level1, row.level1_col = tok.text, tok.col
        elif kind == "l2":
            if half is not None and half.level2 == tok.text and half.placeholder:
                row.collapsed = True
                continue
            half = _Half(tok.text, tok.col)
            row.halves.append(half)
        elif kind == "text":
            if half is not None and half.texts and half.texts[-1] == tok.text:
                row.collapsed = True
                continue
            if half is None or len(half.texts) == 2:
                half = _Half()
                row.halves.append(half)
            half.texts.append(tok.text)
            half.cols.append(tok.col)
    return row


@dataclass(slots=True)
class _Columns:
    """Where the grid header puts the level-1 column and each half's three columns."""

    level1: int | None
    halves: list[tuple[int, int, int]]  # (level 2, name, value) per half

    @classmethod
    def from_header(cls, tokens: list[_Token]) -> _Columns:
        cols: dict[str, list[int]] = {"一级": [], "二级": [], "三级": [], "指标值": []}
        for tok in tokens:
            if tok.kind == "header":
                cols[tok.text].append(tok.col)
        halves = list(zip(cols["二级"], cols["三级"], cols["指标值"], strict=False))
        return cls(cols["一级"][0] if cols["一级"] else None, halves)

    def fits(self, index: int, half: _Half) -> bool:
        """True when the half's cells sit under its header columns."""
        if index >= len(self.halves):
            return False
        level2, *texts = self.halves[index]
        if half.level2 is not None and half.level2_col != level2:
            return False
        return all(col == want for col, want in zip(half.cols, texts, strict=False))


@dataclass(slots=True)
class _Indicator:
    period: str
    level1: str | None
    level2: str | None
    name: str | None
    value: str | None
    flag: str | None
    raw: str
    line: int


@dataclass(slots=True)
class _Side:
    """What a half inherits: its last level 2, and whether that was a placeholder."""

    level2: str | None = None
    placeholder: bool = False


@dataclass(slots=True)
class _Grid:
    """Grid state; a continuation page shares it with the page before."""

    columns: _Columns | None = None
    level1: str | None = None
    sides: tuple[_Side, _Side] = field(default_factory=lambda: (_Side(), _Side()))

    def header(self, tokens: list[_Token]) -> None:
        self.columns = _Columns.from_header(tokens)
        level1 = [t.text for t in tokens if t.kind in ("l1", "cost")]
        if level1:
            self.level1 = level1[-1]

    def row(self, line: Line, cells: list[str], tokens: list[_Token]) -> tuple[list[_Indicator], int]:
        """The indicators of one grid row, and how many halves could not be placed."""
        row = _cut(tokens)
        if row.level1:
            self.level1 = row.level1
        if self.columns is None:
            self._learn_columns(row)
        placed = self._place(row)
        raw = "\t".join(cells).rstrip("\t")
        found: list[_Indicator] = []
        for index, half, mirrored in placed:
            other = next((h for i, h, _ in placed if i != index and h is not half), None)
            level2, inferred = self._level2(index, half, row, other)
            side = self.sides[index]
            side.level2, side.placeholder = level2, half.placeholder
            if half.placeholder:
                continue
            repaired = inferred or mirrored or self._damaged(index, half, row, level2)
            found.append(self._indicator(PERIODS[index], level2, half, repaired, raw, line.no))
        extra = row.halves[2:]
        for half in extra:
            if not half.placeholder:
                level2 = half.level2 or self.sides[1].level2
                found.append(self._indicator(ANNUAL, level2, half, True, raw, line.no, "unplaced"))
        return found, sum(not h.placeholder for h in extra)

    def _learn_columns(self, row: _Row) -> None:
        """No grid header: take the columns of the first complete two-half row."""
        halves = row.halves[:2]
        if len(halves) == 2 and all(h.level2 and len(h.texts) == 2 for h in halves):
            cols = [(h.level2_col or 0, h.cols[0], h.cols[1]) for h in halves]
            self.columns = _Columns(row.level1_col, cols)

    def _place(self, row: _Row) -> list[tuple[int, _Half, bool]]:
        """(half index, half, mirrored) for the row's first two halves."""
        halves = row.halves
        if not halves:
            return []
        if len(halves) == 1:
            only = halves[0]
            if only.placeholder:  # a placeholder level 2, printed for both halves
                return [(0, only, False), (1, only, False)]
            return [(self._half_of(only), only, False)]
        left, right = halves[0], halves[1]
        if left.level2 and left.level2 == right.level2 and right.placeholder and left.texts:
            return [(0, left, False), (1, left, True)]  # `A name value A`: one copy for both
        return [(0, left, False), (1, right, False)]

    def _half_of(self, half: _Half) -> int:
        """A lone half is the right one when it starts at or beyond the right half's columns."""
        if self.columns is None or len(self.columns.halves) < 2 or not half.cols:
            return 0
        return 1 if half.cols[0] >= self.columns.halves[1][0] else 0

    def _level2(self, index: int, half: _Half, row: _Row, other: _Half | None) -> tuple[str | None, bool]:
        """A half's level 2 and whether it had to be inferred beyond plain inheritance."""
        if half.level2:
            return half.level2, False
        side = self.sides[index]
        if other is not None and other.level2 and not other.placeholder:  # printed on this row
            same = bool(half.texts) and half.texts[0] == other.texts[0]
            if same or side.level2 is None or side.placeholder:
                return other.level2, True
        if row.level1 and (side.level2 is None or _LEVEL1_OF[side.level2] != row.level1):
            child = _ONLY_CHILD.get(row.level1)
            if child:
                return child, True
        return side.level2, side.level2 is None or side.placeholder

    def _damaged(self, index: int, half: _Half, row: _Row, level2: str | None) -> bool:
        """Cells off their header columns, repeats, a missing value or conflicting levels."""
        if row.collapsed or len(half.texts) < 2 or level2 is None:
            return True
        if self.columns is None or not self.columns.fits(index, half):
            return True
        if row.level1 and row.level1 != _LEVEL1_OF[level2]:
            return True
        return row.level1_col is not None and row.level1_col != self.columns.level1

    def _indicator(
        self, period: str, level2: str | None, half: _Half, repaired: bool, raw: str, no: int,
        flag: str | None = None,
    ) -> _Indicator:
        level1 = _LEVEL1_OF[level2] if level2 else self.level1
        name, value = _name_value(half.texts)
        return _Indicator(period, level1, level2, name, value,
                          flag or ("repaired" if repaired else None), raw, no)


def _join_fragments(items: list[_Indicator]) -> list[_Indicator]:
    """One indicator printed over two rows of its half (name, then the name again or the
    value, the value missing on one of them) becomes one indicator."""
    joined: list[_Indicator] = []
    last: dict[str, int] = {}
    for item in items:
        index = last.get(item.period)
        prev = joined[index] if index is not None else None
        if prev is not None and item.flag != "unplaced" and (None in (prev.value, item.value)) and (
                item.name in (None, prev.name) if prev.value is None else item.name == prev.name):
            prev.value, prev.flag = prev.value or item.value, "repaired"
            prev.raw = f"{prev.raw}\n{item.raw}"
            continue
        last[item.period] = len(joined)
        joined.append(item)
    return joined


def _name_value(texts: list[str]) -> tuple[str | None, str | None]:
    """Name and value of a half; a lone text is the value when it reads as a target."""
    if len(texts) >= 2:
        return texts[0], texts[1]
    if texts and parse_target(texts[0])[0] is not None:
        return None, texts[0]
    return (texts[0] if texts else None), None


# Header block -----------------------------------------------------------------------------------

_TEXT_LABELS = {
    "项目名称": "name", "主管部门及代码": "dept", "主管部门": "dept", "实施单位": "unit",
    "项目属性": "attribute", "项目期": "period", "项目日期": "period", "项目周期": "period",
    "项目概况": "overview", "立项依据": "basis", "项目设立必要性": "necessity",
    "保证项目实施的制度、措施": "measures", "保证项目实施的制度措施": "measures",
    "项目实施计划": "plan", "总体目标": "goal",
}
_IGNORED_LABELS = {"实施期目标", "年度目标"}
_FUNDS = (
    ("实施期资金总额", "total_funds"), ("年度资金总额", "annual_funds"),
    ("中央财政资金", "central"), ("省级财政资金", "provincial"), ("单位自筹", "self"),
    ("其他资金", "other"),
)
_LOCAL_FUNDS = re.compile(r"^市.*财政资")
_FUND_PARTS = ("central", "provincial", "local", "self", "other")
_DEPT = re.compile(r"^(\d+)\s*[-－—–]\s*(.+)$")
_YEAR_LINE = re.compile(r"^[（(]\s*\d{4}\s*年度?\s*[)）]$")
_SECTION = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_FILL = re.compile(r"^填报日期[:：]?\s*(.*)$")
_FILL_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{6})?$")


@lru_cache(maxsize=4096)
def _label(cell: str) -> str | None:
    """The header field a label cell names (`fund:central` for fund lines), else None."""
    key = "".join(cell.split()).rstrip(":：").removeprefix("其中").lstrip(":：")
    if not key:
        return None
    if key in _TEXT_LABELS:
        return _TEXT_LABELS[key]
    if key in _IGNORED_LABELS or key.startswith("项目资金"):
        return "ignore"
    for label, part in _FUNDS:
        if key.endswith(label):
            return "fund:" + part
    return "fund:local" if _LOCAL_FUNDS.match(key) else None


def _labels(cells: list[str]) -> list[tuple[int, str]]:
    """(column, label) of every label cell of a line."""
    return [(i, label) for i, c in enumerate(cells) if c and (label := _label(c))]


def _is_title(text: str) -> bool:
    return TITLE in text and "\t" not in text.strip()


_FOOTER_LABELS = ("负责人", "经办人", "联系电话", "填报日期")


def _is_footer(text: str, cells: list[str]) -> bool:
    if not any(label in text for label in _FOOTER_LABELS):
        return False
    return any(c.startswith(_FOOTER_LABELS) for c in cells)


def _fill_time(cells: list[str]) -> str | None:
    """The 填报日期 value: after the label in the same cell, else the next non-empty cell."""
    for i, cell in enumerate(cells):
        match = _FILL.match(cell)
        if match:
            rest = match.group(1).strip() or next((c for c in cells[i + 1:] if c), "")
            return rest or None
    return None


def _money(text: str | None) -> Decimal | None:
    amount = parse_amount(text)
    return amount.quantize(CENT) if amount is not None else None


# Tables ---------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Table:
    """One printed table (one page of a project's table when it continues)."""

    first_line: int
    last_line: int
    fields: dict[str, Any] = field(default_factory=dict)
    funds_labelled: set[str] = field(default_factory=set)
    indicators: list[_Indicator] = field(default_factory=list)
    grid: _Grid = field(default_factory=_Grid)
    phase: str = "head"  # head → grid → done
    footer: bool = False
    pending: str | None = None
    continues: bool = False
    pages: int = 1
    unplaced: list[tuple[int, int]] = field(default_factory=list)
    unrecognised: list[int] = field(default_factory=list)

    def set(self, name: str, value: Any) -> None:
        """Set a field unless it already has a value (a continuation fills only gaps)."""
        if self.fields.get(name) is None:
            self.fields[name] = value

    def feed(self, line: Line) -> bool:
        """Take one non-blank line; False when the line is no longer part of the table."""
        cells = line.cells
        labels = _labels(cells) if self.phase == "head" else []
        if labels:
            self.last_line = line.no
            self._head(cells, labels)
            return True
        filled = [c for c in cells if c]
        tokens = _tokens(cells)
        is_grid = any(t.kind != "text" for t in tokens)
        plain = "\t" not in line.text.strip()
        if plain and (_SECTION.match(filled[0]) or (self.phase != "head" and not is_grid)):
            return False
        self.last_line = line.no
        if _is_footer(line.text, cells):
            self._footer(cells)
        elif self.phase == "head" and not is_grid:
            if not (plain and _YEAR_LINE.match(filled[0])):
                self._unlabelled(line.no, filled)
        elif any(t.kind == "header" for t in tokens):
            self.phase = "grid"
            self.grid.header(tokens)
        else:
            self.phase = "grid"
            found, unplaced = self.grid.row(line, cells, tokens)
            self.indicators += found
            if unplaced:
                self.unplaced.append((line.no, unplaced))
        return True

    def _head(self, cells: list[str], labels: list[tuple[int, str]]) -> None:
        """A header-block line: each label takes the non-empty cells up to the next label."""
        self.pending = None
        bounds = [i for i, _ in labels] + [len(cells)]
        seen: dict[str, int] = {}
        for (i, label), end in zip(labels, bounds[1:], strict=False):
            values = [c for c in cells[i + 1:end] if c]
            if label.startswith("fund:"):
                part = label[5:]
                seen[part] = seen.get(part, 0) + 1
                self._fund(part, seen[part], values)
            elif label != "ignore":
                self._text_field(label, values)

    def _unlabelled(self, no: int, filled: list[str]) -> None:
        """A header-block line without labels: the value of a label printed just above."""
        if self.pending and len(filled) == 1:
            self._text_field(self.pending, filled)
        else:
            self.unrecognised.append(no)
        self.pending = None

    def _text_field(self, label: str, values: list[str]) -> None:
        if not values:
            self.pending = label
            return
        if label == "goal":
            self.set("goal_implementation", clean_text(values[0]))
            if len(values) > 1:
                self.set("goal_annual", clean_text(values[1]))
        elif label == "dept":
            text = clean_text(values[0]) or ""
            match = _DEPT.match(text)
            self.set("dept_code", match.group(1) if match else None)
            self.set("dept_name", match.group(2) if match else text)
        else:
            self.set(label, clean_text(values[0]))

    def _fund(self, part: str, ordinal: int, values: list[str]) -> None:
        """A fund label's value: the next cell when it is an amount; 1st = 实施期, 2nd = 年度."""
        if part in ("total_funds", "annual_funds"):
            name = part
        elif ordinal <= 2:
            name = ("total_" if ordinal == 1 else "annual_") + part
        else:
            return
        self.funds_labelled.add(name)
        value = values[0] if values and is_amount(values[0]) else None
        self.set(name, _money(value))

    def _footer(self, cells: list[str]) -> None:
        self.footer, self.phase = True, "done"
        printed = _fill_time(cells)
        if printed is not None:
            self.set("fill_time", printed)


def _fill_date(printed: str | None) -> date | None:
    match = _FILL_TIME.match(printed or "")
    if match is None:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


# Result ---------------------------------------------------------------------------------------


@dataclass
class PerformanceResult:
    """Rows of performance_targets, indicators and findings for one document."""

    targets: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)


class _Builder:
    """Collects the tables of one document and turns them into rows."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.tables: list[_Table] = []
        self.result = PerformanceResult()

    def start(self, line: Line) -> _Table:
        table = _Table(line.no, line.no)
        previous = self.tables[-1] if self.tables else None
        self.tables.append(table)
        if previous is not None and not previous.footer:
            table.grid = previous.grid  # shared until the name shows it is another project
        return table

    def check_continuation(self, table: _Table) -> None:
        """Once the latest table's name is known: is it the previous page continued?"""
        previous = self.tables[-2] if len(self.tables) > 1 else None
        table.continues = previous is not None and not previous.footer and name_key(
            previous.fields.get("name")) == name_key(table.fields.get("name"))
        if not table.continues and previous is not None and table.grid is previous.grid:
            table.grid = _Grid()

    def finish(self) -> PerformanceResult:
        merged: list[_Table] = []
        for table in self.tables:
            if table.continues and merged:
                self._merge(merged[-1], table)
            else:
                merged.append(table)
        for number, table in enumerate(merged, start=1):
            self._emit(f"perf-{number:03d}", table)
        return self.result

    def _merge(self, first: _Table, page: _Table) -> None:
        for name, value in page.fields.items():
            first.set(name, value)
        first.funds_labelled |= page.funds_labelled
        first.indicators += page.indicators
        first.unplaced += page.unplaced
        first.unrecognised += page.unrecognised
        first.last_line, first.footer = page.last_line, page.footer
        first.pages += 1
        self.finding("perf.continuation", "info",
                     f"table continued on the next page; merged with the table at line "
                     f"{first.first_line}", "performance_targets", None, page.first_line)

    def finding(self, rule: str, severity: str, message: str, resource: str, key: str | None,
                line: int | None, expected: str | None = None, actual: str | None = None) -> None:
        self.result.findings.append({
            "doc_id": self.doc_id, "rule": rule, "severity": severity, "message": message,
            "resource": resource, "key": key, "expected": expected, "actual": actual,
            "source_line": line,
        })

    def _emit(self, perf_id: str, table: _Table) -> None:
        fields = table.fields
        self._goals(perf_id, table)
        printed = fields.get("fill_time")
        filled = _fill_date(printed)
        if printed is not None and filled is None:
            self.finding("perf.bad_fill_date", "warning", f"填报日期 {printed} is not a real date",
                         "performance_targets", perf_id, table.last_line, "YYYYMMDDhhmmss", printed)
        row: dict[str, Any] = {"doc_id": self.doc_id, "perf_id": perf_id, "project_id": None,
                               "match_score": None, "source_line": table.first_line,
                               "last_line": table.last_line, "pages": table.pages,
                               "fill_date": filled}
        for name in ("name", "dept_code", "dept_name", "unit", "attribute", "period", "overview",
                     "basis", "necessity", "measures", "plan", "goal_implementation",
                     "goal_annual", "fill_time", "total_funds", "annual_funds"):
            row[name] = fields.get(name)
        for part in _FUND_PARTS:
            row[f"total_{part}"] = fields.get(f"total_{part}")
            row[f"annual_{part}"] = fields.get(f"annual_{part}")
        self.result.targets.append(row)
        self._check_funds(perf_id, table)
        self._indicators(perf_id, table)

    def _goals(self, perf_id: str, table: _Table) -> None:
        """Only one 总体目标 printed: it is the goal of both periods (the halves coincide)."""
        fields = table.fields
        if fields.get("goal_implementation") and fields.get("goal_annual") is None:
            fields["goal_annual"] = fields["goal_implementation"]
            self.finding("perf.single_goal", "info",
                         "only one 总体目标 printed; used for both periods",
                         "performance_targets", perf_id, table.first_line)

    def _check_funds(self, perf_id: str, table: _Table) -> None:
        for name, label in (("total_funds", "实施期资金总额"), ("annual_funds", "年度资金总额")):
            if table.fields.get(name) is None:
                state = "labelled but empty" if name in table.funds_labelled else "missing"
                self.finding("perf.missing_funds", "warning", f"{label} {state}",
                             "performance_targets", perf_id, table.first_line)

    def _indicators(self, perf_id: str, table: _Table) -> None:
        seq = dict.fromkeys(PERIODS, 0)
        for item in _join_fragments(table.indicators):
            seq[item.period] += 1
            target = parse_target(item.value)
            self.result.indicators.append({
                "doc_id": self.doc_id, "perf_id": perf_id, "project_id": None,
                "period": item.period, "seq": seq[item.period], "level1": item.level1,
                "level2": item.level2, "name": item.name, "value": item.value,
                "operator": target[0], "number": target[1], "value_unit": target[2],
                "flag": item.flag, "raw": item.raw, "source_line": item.line,
            })
            if item.value is None:
                self.finding("perf.missing_value", "warning",
                             f"indicator {item.name!r} ({item.period}) prints no value",
                             "indicators", perf_id, item.line)
        for no, count in table.unplaced:
            self.finding("perf.unplaced_row", "warning",
                         f"{count} half-row(s) beyond the two halves; kept as unplaced",
                         "indicators", perf_id, no)
        for no in table.unrecognised:
            self.finding("perf.unrecognised_line", "info", "header line not understood",
                         "performance_targets", perf_id, no)
        if not table.indicators:
            self.finding("perf.no_indicators", "warning", "table has no indicators",
                         "performance_targets", perf_id, table.first_line)
        elif seq[ANNUAL] == 0:
            self.finding("perf.single_half", "warning",
                         "grid prints one half only; read as 实施期 (implementation)",
                         "indicators", perf_id, table.first_line)


def parse_performance(lines: Sequence[Line], doc_id: str) -> PerformanceResult:
    """Every 项目支出绩效目标表 in `lines` → targets, indicators and findings.

    Lines before the first title are skipped; parsing stops at the first line that is no
    longer part of a table (a narrative heading, or plain text after a grid), so the lines
    may run past the performance section.
    """
    builder = _Builder(doc_id)
    table: _Table | None = None
    for line in lines:
        if line.blank:
            continue
        if _is_title(line.text):
            table = builder.start(line)
            continue
        if table is None:
            continue
        had_name = table.fields.get("name") is not None
        if not table.feed(line):
            break
        if not had_name and table.fields.get("name") is not None:
            builder.check_continuation(table)
    return builder.finish()
