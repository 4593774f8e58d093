"""Performance-target tables: header block, indicator grid, continuation pages, targets.

Layouts (template words — titles, labels, column headers — are module data below):

- the two-period grid (the sample, 项目支出绩效目标表): described below;
- one grid per project, one period (`政策和项目预算绩效目标表`, `部门专项业务经费绩效目标表`,
  `XX项目绩效目标表` …): a header block of labels, then a grid whose header names one
  一级/二级/三级(指标内容)/指标值 set, maybe 度量单位, 指标方向/指标值类型, 分值权重, 备注.
  It is read by column (`_ColumnGrid`): a cell belongs to the header column at or left of it;
  rows shifted by a page break are read in printed order instead. The period comes from the
  title, the year line `（2026年度）`, the goal label or the grid's section label (年度绩效指标),
  else `DEFAULT_PERIOD`. A page printing the rest of the grid without a header continues the
  table before;
- the wide layout (`单位编码 | 单位（项目）名称 | 资金总额 | 绩效目标 | 绩效指标…`): one row
  per project, the rows below it add indicators; unit and 合计 rows are findings;
- the department-wide table (部门整体支出绩效目标表, kind `department`, no project): any of
  the above, plus 年度主要任务 rows (`tasks`) and 金额合计.

Amounts are converted to 元 from the unit the header prints (`（万元）`, `单位：万元`).
A table with neither a name nor an amount is a blank form: a finding, no row.

The two-period grid (the sample):

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

from budgettui import vocabulary
from budgettui.sources import Line
from budgettui.values import amount_of, is_amount, parse_amount, parse_target

TITLE = "项目支出绩效目标表"
IMPLEMENTATION, ANNUAL = "implementation", "annual"
PERIODS = (IMPLEMENTATION, ANNUAL)
_BOTH_PERIODS = frozenset(PERIODS)
#: The periods as findings messages name them.
PERIOD_ZH = {IMPLEMENTATION: "实施期", ANNUAL: "年度"}
PROJECT, DEPARTMENT = "project", "department"
#: performance_targets.layout: the sample's grid (with its 填报日期 footer), a single-period
#: grid, a row of the wide layout.
TWO_PERIOD, SINGLE_PERIOD, WIDE = "two_period", "single_period", "wide"
CENT = Decimal("0.01")

# Template words ---------------------------------------------------------------------------------
# Everything the layouts print as fixed text lives here, not in the code below.

#: A table title: one cell ending in 绩效目标表, maybe followed by the year in brackets
#: (`政策和项目预算绩效目标表`, `部门专项业务经费绩效目标表`, `XX项目绩效目标表`,
#: `2026年项目支出绩效目标表`, `项目支出绩效目标表（2026）`).
TITLE_RE = re.compile(r"^[^\t]*绩效目标表\s*(?:[（(]\s*\d{4}\s*年?度?\s*[)）])?$")
#: Every pattern a title may match: ours, and the one segmenting the document by.
TITLE_PATTERNS = (TITLE_RE, vocabulary.PERFORMANCE_TITLES)
#: Titles of the department-wide table (kind `department`); every other title is a project's.
DEPARTMENT_TITLES = ("部门整体支出绩效目标表",)
#: Words of a title, year line or grid section label that give a single-period table's period.
PERIOD_WORDS = (("实施期", IMPLEMENTATION), ("年度", ANNUAL))
#: The period of a single-period table that prints none.
DEFAULT_PERIOD = ANNUAL
#: The printed unit of the header amounts: a label `项目资金（万元）`, a cell `单位：万元`.
FUNDS_UNIT_RE = re.compile(r"[（(]\s*(万元|元)\s*[)）]|^单位[:：]\s*(万元|元)$")
SCALES = {"元": Decimal(1), "万元": Decimal(10000)}
#: Column headers of a single-period indicator grid (spaces removed) → role. A grid header
#: names level 1, level 2 and exactly one name column; the sample's two-period grid names two.
GRID_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), role) for pattern, role in (
        (r"^一级指标$", "level1"), (r"^二级指标$", "level2"),
        (r"^(?:三级指标|指标内容|指标名称)$", "name"), (r"^指标值$", "value"),
        (r"^(?:度量单位|计量单位)$", "unit"), (r"^(?:指标方向|指标值类型)$", "direction"),
        (r"^指标性质$", "nature"), (r"^分值权重|^分值|^权重", "weight"),
        (r"^(?:指标值内容|指标解释|评[（(]扣[)）]分标准|备注)$", "note"),
    ))
#: Cells of a single-period grid's leading column: section labels, not indicators.
GRID_SECTION_LABELS = ("绩效指标", "年度绩效指标", "实施期绩效指标", "绩效目标指标", "备注")
#: A grid row printing only this label closes the table (as a footer would).
GRID_END_LABELS = ("备注",)
#: The wide layout (one row per project or unit): its header marks the code column with this
#: word, then names the other columns (spaces removed) → role.
WIDE_MARK = "单位编码"
WIDE_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), role) for pattern, role in (
        (r"^单位编码$", "code"), (r"^(?:单位[（(]项目[)）]名称|单位名称|项目名称)$", "name"),
        (r"^(?:资金总额|年度预算申请)$", "funds"), (r"^(?:整体)?绩效目标$", "goal"),
    ))
#: A wide layout's row that totals the rows below it rather than being a project.
WIDE_TOTAL_NAMES = ("合计", "总计")
#: A line above the wide layout's header naming the unit: `单位名称：XX`.
WIDE_UNIT_RE = re.compile(r"^单位名称[:：]\s*(.+)$")
#: Operators a direction column (指标方向 / 指标值类型) may print, as the target's operator.
DIRECTION_OPERATORS = {
    "≥": "≥", "≧": "≥", ">=": "≥", "≤": "≤", "≦": "≤", "<=": "≤", ">": ">", "＞": ">",
    "<": "<", "＜": "<", "=": "=", "＝": "=", "大于等于": "≥", "小于等于": "≤", "等于": "=",
    "大于": ">", "小于": "<",
}

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
    if "<" in text:  # every tag starts so
        text = _TAG.sub(" ", text)
    if "&" in text:  # every entity starts so
        text = html.unescape(text)
    if " " in text or not text.isprintable():  # else no whitespace at all (see clean_text's test)
        text = _SPACES.sub(" ", text).strip()
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


_new_tuple = tuple.__new__


def _tokens(cells: list[str]) -> list[_Token]:
    return [
        _new_tuple(_Token, (*kind_text, col))  # _Token(kind, text, col), without its __new__
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
    for i, (kind, text, col) in enumerate(tokens):
        if kind == "text":
            if half is not None and half.texts and half.texts[-1] == text:
                row.collapsed = True
                continue
            if half is None or len(half.texts) == 2:
                half = _Half(None, None, [], [])
                row.halves.append(half)
            half.texts.append(text)
            half.cols.append(col)
            continue
        if kind == "cost":
            kind = "l1" if _cost_is_level1(tokens, i) else "l2"
        if kind == "l1":
            row.level1, row.level1_col = text, col
        elif kind == "l2":
            if half is not None and half.level2 == text and not half.texts:
                row.collapsed = True
                continue
            half = _Half(text, col, [], [])
            row.halves.append(half)
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
        shared = min(len(half.cols), len(texts))  # the columns both have
        return half.cols[:shared] == texts[:shared]


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
    weight: str | None = None


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
            if half.level2:  # printed: nothing to infer
                level2, inferred = half.level2, False
            else:
                level2, inferred = self._level2(index, half, row, _other_half(placed, index, half))
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
        return found, sum(not h.placeholder for h in extra) if extra else 0

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
        texts = half.texts
        name, value = (texts[0], texts[1]) if len(texts) >= 2 else _name_value(texts)
        return _Indicator(period, level1, level2, name, value,
                          flag or ("repaired" if repaired else None), raw, no)


def _other_half(placed: list[tuple[int, _Half, bool]], index: int, half: _Half) -> _Half | None:
    """The half placed beside `half` (at another index), if any."""
    for i, other, _ in placed:
        if i != index and other is not half:
            return other
    return None


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


# Single-period grids, read by column -------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")
_OPERATOR_START = re.compile(r"^(?:[≥≤><=＞＜＝≧≦]|不低于|不少于|不高于|不超过|大于|小于|等于|至少|至多)")


def _compose(value: str | None, direction: str | None, unit: str | None) -> str | None:
    """A value printed with its operator and unit in columns of their own, as one target."""
    if value is None:
        return None
    operator = DIRECTION_OPERATORS.get("".join((direction or "").split()))
    if operator and not _OPERATOR_START.match(value):
        value = operator + value
    bare = _OPERATOR_START.sub("", value)
    if unit and _NUMBER.match(bare) and not value.endswith(unit):
        value += unit
    return value


#: A unit printed at the end of an indicator's name: `清查户数（万户）`, `满意度（%）`.
_NAME_UNIT = re.compile(r"[（(]([^\d（）()]{1,8})[)）]$")


@lru_cache(maxsize=8192)
def _grid_role(cell: str) -> str | None:
    """The role of a grid header cell (GRID_COLUMNS), else None; cached, as `_classify`."""
    key = "".join(cell.split())
    return next((role for pattern, role in GRID_COLUMNS if key and pattern.search(key)), None)


class _Cells(NamedTuple):
    """A single-period grid row, by role."""

    level1: str | None
    level2: str | None
    name: str | None
    value: str | None
    weight: str | None
    other: bool  # any text in another indicator column (a note, a standard)


@dataclass(slots=True)
class _ColumnGrid:
    """A single-period grid (one 一级/二级/三级/指标值 set, maybe 度量单位, 指标方向, 分值权重):
    a cell belongs to the header column at or left of it, levels are inherited downwards."""

    roles: list[tuple[int, str]]  # (first column, role), by column
    level1: str | None = None
    level2: str | None = None

    @classmethod
    def from_header(cls, cells: list[str]) -> _ColumnGrid | None:
        roles = [(col, role) for col, cell in enumerate(cells) if cell and (role := _grid_role(cell))]
        names = [role for _, role in roles]
        if names.count("name") != 1 or names.count("level2") != 1 or "value" not in names:
            return None
        return cls(roles)

    @property
    def first(self) -> int:
        return self.roles[0][0]

    def cells(self, cells: list[str]) -> _Cells:
        got: dict[str, str] = {}
        for col, cell in enumerate(cells):
            text = clean_text(cell)
            if not text or col < self.first:
                continue
            role = next(r for start, r in reversed(self.roles) if start <= col)
            got[role] = f"{got[role]} {text}" if role in got else text
        unit, direction = got.get("unit"), got.get("direction")
        other = any(r in got for r in ("note", "nature"))
        return _Cells(got.get("level1"), got.get("level2"), got.get("name"),
                      _compose(got.get("value"), direction, unit), got.get("weight"), other)

    def by_content(self, cells: list[str]) -> _Cells | None:
        """A row whose cells left their columns (a page break shifts them), read in printed
        order: level names, then name, value and the weight when the grid has one. None
        when the row does not have exactly that many texts, or the grid has other columns."""
        roles = {role for _, role in self.roles}
        if not roles <= {"level1", "level2", "name", "value", "weight", "note"}:
            return None
        level1: str | None = None
        level2: str | None = None
        texts: list[str] = []
        for cell in cells:
            text = clean_text(cell)
            if not text:
                continue
            kind = (_classify(cell) or ("text", text))[0]
            if texts or kind not in ("l1", "l2", "cost"):
                if texts or "".join(text.split()) not in GRID_SECTION_LABELS:
                    texts.append(text)
            elif kind == "l2" or (kind == "cost" and level1 is not None):
                level2 = text
            else:
                level1 = text
        want = 3 if "weight" in roles else 2
        if len(texts) != want:
            return None
        return _Cells(level1, level2, texts[0], texts[1], texts[2] if want == 3 else None, False)

    @staticmethod
    def misread(row: _Cells) -> bool:
        """Text that is no level name in a level column, or a value outside its column."""
        for text in (row.level1, row.level2):
            if text and (_classify(text) or ("text",))[0] not in ("l1", "l2", "cost"):
                return True
        return row.value is None and row.name is not None and row.other

    def row(self, line: Line, cells: list[str]) -> tuple[_Indicator | None, list[str]]:
        """The indicator of one row (None for a placeholder) and what could not be read."""
        row = self.cells(cells)
        problems: list[str] = []
        repaired = False
        if self.misread(row) and (shifted := self.by_content(cells)) is not None:
            row, repaired = shifted, True
        if row.level1:
            kind, text = _classify(row.level1) or ("text", row.level1)
            if kind in ("l1", "cost"):
                self.level1, self.level2 = text, None
            elif kind == "l2":  # a level 2 printed in the level-1 column
                self.level1, self.level2, repaired = _LEVEL1_OF[text], text, True
            else:
                self.level1, self.level2 = text, None
                problems.append(f"一级指标「{row.level1}」不在绩效指标体系中")
        if row.level2:
            kind, text = _classify(row.level2) or ("text", row.level2)
            if kind == "l2":
                level1 = _LEVEL1_OF[text]
                repaired = repaired or (row.level1 is not None and self.level1 != level1)
                self.level1, self.level2 = level1, text
            elif kind == "cost":  # 成本指标 at level 2: the 2015 framework, under 产出指标
                self.level2 = COST
                if self.level1 not in (OUTPUT, COST):
                    self.level1 = OUTPUT
            elif kind == "l1":  # a level 1 printed in the level-2 column
                self.level1, self.level2, repaired = text, _ONLY_CHILD.get(text), True
            else:
                self.level2 = text
                problems.append(f"二级指标「{row.level2}」不在绩效指标体系中")
        if row.name is None and row.value is None:
            if row.other or row.weight:
                problems.append("此行既无指标名称也无指标值")
            return None, problems
        raw = "\t".join(cells).rstrip("\t")
        flag = "repaired" if repaired else None
        value = row.value
        named = _NAME_UNIT.search(row.name or "")
        if named and "unit" not in {role for _, role in self.roles}:
            value = _compose(value, None, named.group(1))  # `满意度（%）` with value `≥90`
        return _Indicator("", self.level1, self.level2, row.name, value, flag, raw, line.no,
                          row.weight), problems


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
    "实施期限": "period",
    "项目概况": "overview", "立项依据": "basis", "项目设立必要性": "necessity",
    "保证项目实施的制度、措施": "measures", "保证项目实施的制度措施": "measures",
    "项目实施计划": "plan", "总体目标": "goal", "绩效目标": "goal",
    "部门（单位）名称": "name", "部门(单位)名称": "name", "单位名称": "name",
    "年度主要任务": "tasks",
}
#: Goal labels of one period; printed without a value they are a sub-header (ignored).
_PERIOD_GOALS = {
    "年度目标": "goal_annual", "年度总体目标": "goal_annual", "年度总目标": "goal_annual",
    "实施期目标": "goal_implementation", "实施期总体目标": "goal_implementation",
    "实施期总目标": "goal_implementation",
}
_IGNORED_LABELS = {"执行率分值"}
#: The label heading the fund lines (`项目资金（元）`, `资金金额（万元）`): no field of its own.
_FUND_HEADINGS = ("项目资金", "资金金额", "专项资金情况")
#: Text fields whose value may wrap onto the next line, alone in the same column.
_WRAPPABLE = ("name", "unit", "attribute")
#: Fund labels (spaces, a leading 其中 and a trailing colon removed) → total or part.
#: `funds` is the total of a single-period table: 年度 unless the table says 实施期.
_FUNDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), part) for pattern, part in (
        (r"实施期.*资金总额$", "total_funds"), (r"年度.*资金总额$", "annual_funds"),
        (r"^(?:资金总额|金额合计)$", "funds"),
        (r"中央财政资金$", "central"), (r"省级财政资金$", "provincial"), (r"单位自筹$", "self"),
        (r"其他资金$", "other"), (r"^财政拨款$", "fiscal"), (r"^市.*财政资", "local"),
    ))
_FUND_PARTS = ("central", "provincial", "local", "self", "other", "fiscal")
_DEPT = re.compile(r"^(\d+)\s*[-－—–_]\s*(.+)$")
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
    if key in _PERIOD_GOALS:
        return "goal:" + _PERIOD_GOALS[key]
    if key.startswith(_FUND_HEADINGS) or _bare(key) in _IGNORED_LABELS:
        return "ignore"
    for pattern, part in _FUNDS:
        if pattern.search(key):
            return "fund:" + part
    return None


_UNIT_SUFFIX = re.compile(r"^(.*?)\s*(万元|元)$")


_NOTE = re.compile(r"[（(][^)）]*[)）]$")


def _bare(key: str) -> str:
    """A label without its bracketed note: `执行率分值（10分）` → `执行率分值`."""
    return _NOTE.sub("", key)


def _funds_unit(cells: list[str]) -> str | None:
    """The unit a header line states for its amounts (`项目资金（万元）`, `单位：万元`)."""
    return next((unit for cell in cells if cell and (unit := _unit_stated(cell))), None)


@lru_cache(maxsize=4096)
def _unit_stated(cell: str) -> str | None:
    """The unit one cell states (FUNDS_UNIT_RE), else None; cached, as header cells repeat."""
    match = FUNDS_UNIT_RE.search("".join(cell.split()))
    return (match.group(1) or match.group(2)) if match else None


def _period_of(text: str) -> str | None:
    key = "".join(text.split())
    return next((period for word, period in PERIOD_WORDS if word in key), None)


def title_kind(text: str) -> str | None:
    """`project` or `department` when the line is a performance table's title, else None."""
    text = text.strip()
    if "\t" in text or not any(pattern.search(text) for pattern in TITLE_PATTERNS):
        return None
    return DEPARTMENT if any(t in text for t in DEPARTMENT_TITLES) else PROJECT


def _labels(cells: list[str]) -> list[tuple[int, str]]:
    """(column, label) of every label cell of a line."""
    return [(i, label) for i, c in enumerate(cells) if c and (label := _label(c))]


def _key(cell: str) -> str:
    """A cell without any whitespace (how labels and column headers are compared)."""
    return "".join(cell.split())


def _names(line: Line, cells: list[str], word: str) -> bool:
    """Whether a cell of the line is `word` once its whitespace is removed (the line's text
    must hold the word's last character: most lines are ruled out without a join)."""
    return word[-1] in line.text and any(_key(c) == word for c in cells)


def _is_title(text: str) -> bool:
    return title_kind(text) is not None


_FOOTER_LABELS = ("负责人", "经办人", "联系电话", "填报日期")


_FOOTER_WORD = re.compile("|".join(map(re.escape, _FOOTER_LABELS)))


def _is_footer(text: str, cells: list[str]) -> bool:
    if not _FOOTER_WORD.search(text):
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
    """One printed table (one page of a project's table when it continues); in the wide
    layout, one printed page of rows, whose projects are its `children`."""

    first_line: int
    last_line: int
    kind: str = PROJECT
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
    # single-period and wide layouts
    cgrid: _ColumnGrid | None = None
    period_hint: str | None = None
    funds_unit: str | None = None
    totals_seen: list[str] = field(default_factory=list)
    generic_goal: bool = False
    in_tasks: bool = False
    tasks: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    wide: dict[str, int] | None = None
    wide_child: bool = False
    unit_name: str | None = None
    children: list[_Table] = field(default_factory=list)
    subtotals: list[tuple[int, str]] = field(default_factory=list)
    prev_grid: _ColumnGrid | None = None
    headed: bool = False  # a header-block line was read
    goal_labels: set[str] = field(default_factory=set)
    goal_columns: dict[int, str] = field(default_factory=dict)
    wrap: tuple[str, int] | None = None  # the last text field and the column of its value
    both_periods: bool = False  # `two_period`, once it is True

    @property
    def empty(self) -> bool:
        """Nothing read: no name, no amount, no indicator, no wide rows."""
        return (self.wide is None and not self.indicators
                and not any(v is not None for v in self.fields.values()))

    @property
    def two_period(self) -> bool:
        """The header block prints both periods (实施期 and 年度 totals or goals): the grid is
        the two-period one, even when it prints one half only."""
        if not self.both_periods:  # once both are printed, they stay so
            totals = {IMPLEMENTATION if name.startswith("total") else ANNUAL for name in self.totals_seen}
            self.both_periods = _BOTH_PERIODS in (totals, self.goal_labels)
        return self.both_periods

    @property
    def blank_form(self) -> bool:
        """No name and no amount: an empty template (its indicator rows are placeholders)."""
        return self.wide is None and not self.fields.get("name") and not any(
            self.fields.get(name) is not None for name in self.funds_labelled)

    @property
    def single(self) -> bool:
        """One period (a single-period grid): its period is `single_period`."""
        return self.cgrid is not None

    @property
    def single_period(self) -> str:
        return self.period_hint or DEFAULT_PERIOD

    def set(self, name: str, value: Any) -> None:
        """Set a field unless it already has a value (a continuation fills only gaps)."""
        if self.fields.get(name) is None:
            self.fields[name] = value

    def hint(self, text: str | None) -> None:
        period = _period_of(text) if text else None
        if period:
            self.period_hint = period

    def feed(self, line: Line) -> bool:
        """Take one non-blank line; False when the line is no longer part of the table."""
        cells = line.cells
        filled = list(filter(None, cells))
        alone = len(filled) == 1 and cells[0] != ""  # text in the first column only
        head = self.phase == "head"  # (the phase changes below only where the line is taken)
        if self.wide is not None or (head and _names(line, cells, WIDE_MARK)):
            return self._wide_line(line, cells, [_key(c) for c in cells], alone)
        if head and cells[0] and (unit_line := WIDE_UNIT_RE.match(_key(cells[0]))):
            self.last_line, self.unit_name = line.no, unit_line.group(1)
            self.funds_unit = _funds_unit(cells) or self.funds_unit
            return True
        # a grid header names at least three columns (level 2, name, value)
        header = None if len(filled) < 3 or self.two_period else _ColumnGrid.from_header(cells)
        if header is not None:
            if "\t" not in line.text.strip():  # one cell
                return False
            self.last_line, self.phase = line.no, "grid"
            if self.cgrid is not None:  # printed again on the next page: levels go on
                header.level1, header.level2 = self.cgrid.level1, self.cgrid.level2
            self.cgrid = header
            self.hint(" ".join(cells[:header.first]))
            return True
        if self.cgrid is not None and self.phase == "grid":
            return self._column_row(line, cells, filled, alone)
        if (self.prev_grid is not None and head and not self.headed and not alone
                and any(t.kind in ("l1", "l2", "cost") for t in _tokens(cells))):
            # a page printing the rest of the previous table's grid, without its header
            prev = self.prev_grid
            self.cgrid = _ColumnGrid(prev.roles, prev.level1, prev.level2)
            self.phase, self.continues = "grid", True
            return self._column_row(line, cells, filled, alone)
        labels = _labels(cells) if head else []
        if labels:
            self.last_line, self.headed = line.no, True
            self.funds_unit = self.funds_unit or _funds_unit(cells)
            self._head(cells, labels)
            return True
        tokens = _tokens(cells)
        kinds = [t[0] for t in tokens]
        is_grid = kinds.count("text") != len(kinds)
        plain = "\t" not in line.text.strip()  # one cell
        if plain and (_SECTION.match(filled[0]) or (not head and not is_grid)):
            return False
        self.last_line = line.no
        if _is_footer(line.text, cells):
            self._footer(cells)
        elif head and not is_grid:
            if plain and _YEAR_LINE.match(filled[0]):
                self.hint(filled[0])
            elif self.in_tasks:
                self._task(filled)
            else:
                self._unlabelled(line.no, cells)
        elif "header" in kinds:
            self.phase = "grid"
            self.grid.header(tokens)
        else:
            self.phase = "grid"
            found, unplaced = self.grid.row(line, cells, tokens)
            self.indicators += found
            if unplaced:
                self.unplaced.append((line.no, unplaced))
        return True

    def _column_row(self, line: Line, cells: list[str], filled: list[str], alone: bool) -> bool:
        """A row of a single-period grid; text alone in the first column ends the table."""
        assert self.cgrid is not None
        if alone:
            return self._plain_in_grid(line, filled[0])
        self.last_line = line.no
        if _is_footer(line.text, cells):
            self._footer(cells)
            return True
        lead = [c for c in cells[:self.cgrid.first] if c]
        self.hint(" ".join(lead))
        if lead and len(lead) == len(filled) and all(
                "".join(c.split()) in GRID_SECTION_LABELS for c in lead):
            if "".join(lead[0].split()) in GRID_END_LABELS:
                self.footer, self.phase = True, "done"
            return True  # a section label alone (`备注`, `年度绩效指标`)
        found, problems = self.cgrid.row(line, cells)
        if found is not None:
            self.indicators.append(found)
        self.problems += [(line.no, p) for p in problems]
        return True

    def _plain_in_grid(self, line: Line, text: str) -> bool:
        """A one-cell line inside a single-period grid: a level name or a piece of the
        section label printed on its own (a page break splits merged cells), else the end."""
        assert self.cgrid is not None
        kind, name = _classify(text) or ("text", text)
        key = "".join(text.split())
        if kind == "text" and not (key and any(key in label for label in GRID_SECTION_LABELS)):
            return False
        self.last_line = line.no
        self.hint(text)
        if kind in ("l1", "cost"):
            self.cgrid.level1, self.cgrid.level2 = name, None
        elif kind == "l2":
            self.cgrid.level1, self.cgrid.level2 = _LEVEL1_OF[name], name
        return True

    def _wide_line(self, line: Line, cells: list[str], keys: list[str], alone: bool) -> bool:
        """A line of the wide layout: its header rows, then one row per project or unit
        (its first row prints the name, funds and goal; the rows below add indicators)."""
        if alone:
            return False
        self.last_line = line.no
        self.funds_unit = _funds_unit(cells) or self.funds_unit
        if self.wide is None:
            self.wide = {}
        if self.cgrid is None:
            for col, key in enumerate(keys):
                role = next((r for pattern, r in WIDE_COLUMNS if key and pattern.search(key)), None)
                if role and role not in self.wide:
                    self.wide[role] = col
            header = _ColumnGrid.from_header(cells)
            if header is not None:
                self.cgrid, self.phase = header, "grid"
            return True
        if _ColumnGrid.from_header(cells) is not None:
            return True

        def cell(role: str) -> str | None:
            col = self.wide.get(role) if self.wide else None
            return clean_text(cells[col]) if col is not None and col < len(cells) else None

        name = cell("name")
        indicator_cells = any(c for c in cells[self.cgrid.first:])
        total = next((t for c in cells[:self.cgrid.first] if (t := clean_text(c)) in WIDE_TOTAL_NAMES),
                     None)
        if total and not name:
            self.subtotals.append((line.no, total))
            return True
        if name:
            goal = cell("goal")
            if name in WIDE_TOTAL_NAMES or not (goal or indicator_cells):
                self.subtotals.append((line.no, name))
                if name not in WIDE_TOTAL_NAMES:
                    self.unit_name = name
                return True
            self._wide_child(line, name, cell("code"), cell("funds"), goal)
        if not self.children:
            self.problems.append((line.no, "指标行出现在所有项目行之前"))
            return True
        child = self.children[-1]
        child.last_line = line.no
        assert child.cgrid is not None
        found, problems = child.cgrid.row(line, cells)
        if found is not None:
            child.indicators.append(found)
        child.problems += [(line.no, p) for p in problems]
        return True

    def _wide_child(self, line: Line, name: str, code: str | None, funds: str | None,
                    goal: str | None) -> None:
        assert self.cgrid is not None
        child = _Table(line.no, line.no, self.kind, wide_child=True, funds_unit=self.funds_unit,
                       period_hint=self.period_hint, cgrid=_ColumnGrid(self.cgrid.roles))
        child.set("name", name)
        if self.kind == DEPARTMENT:
            child.set("dept_code", code)
            child.set("dept_name", name)
        else:
            child.set("unit", self.unit_name)
        period = child.single_period
        child.set("total_funds" if period == IMPLEMENTATION else "annual_funds",
                  _money(funds) if funds and is_amount(funds) else None)
        child.funds_labelled.add("total_funds" if period == IMPLEMENTATION else "annual_funds")
        child.set(f"goal_{period}", goal)
        self.children.append(child)

    def _task(self, filled: list[str]) -> None:
        """A row of 年度主要任务 (department tables): name, content, amounts."""
        texts = [clean_text(c) or "" for c in filled]
        if not any(is_amount(t) for t in texts):
            return  # the task block's own sub-header (总额 / 财政拨款 / 其他资金)
        self.tasks.append(" | ".join(texts))

    def _head(self, cells: list[str], labels: list[tuple[int, str]]) -> None:
        """A header-block line: each label takes the non-empty cells up to the next label."""
        self.pending, self.wrap = None, None
        self.goal_columns = {}
        if self.in_tasks and all(lb[5:] in _FUND_PARTS for _, lb in labels):
            self._task([c for c in cells if c])  # the task block's sub-header or a task row
            return
        self.in_tasks = False
        bounds = [i for i, _ in labels] + [len(cells)]
        seen: dict[str, int] = {}
        totals = [lb[5:] for _, lb in labels if lb in ("fund:total_funds", "fund:annual_funds")]
        self.totals_seen += totals
        for (i, label), end in zip(labels, bounds[1:], strict=False):
            values = list(filter(None, cells[i + 1:end]))
            if label.startswith("fund:"):
                part = label[5:]
                seen[part] = seen.get(part, 0) + 1
                self._fund(part, seen[part], values)
            elif label == "tasks":
                self.in_tasks = True
            elif label.startswith("goal:"):
                self.goal_labels.add(label.removeprefix("goal:goal_"))
                self.period_hint = label.removeprefix("goal:goal_")
                if values:
                    self.set(label[5:], clean_text(values[0]))
                else:
                    self.goal_columns[i] = label[5:]
            elif label != "ignore":
                self._text_field(label, values)
                if values and label in _WRAPPABLE:  # the column of its first value
                    self.wrap = (label, next(c for c in range(i + 1, end) if cells[c]))

    def _unlabelled(self, no: int, cells: list[str]) -> None:
        """A header-block line without labels: the value of a label printed just above, or
        the goals under a line of period goal labels (`总体目标|实施期总目标||年度目标`)."""
        filled = [c for c in cells if c]
        wrap, self.wrap = self.wrap, None
        if self.goal_columns:
            starts = sorted(self.goal_columns)
            for col, cell in enumerate(cells):
                before = [c for c in starts if c <= col]
                if cell and before:
                    self.set(self.goal_columns[before[-1]], clean_text(cell))
            self.goal_columns = {}
        elif wrap and len(filled) == 1 and cells.index(filled[0]) == wrap[1]:
            # the rest of the value above, wrapped onto the next line (or page)
            label = wrap[0]
            self.fields[label] = (self.fields.get(label) or "") + (clean_text(filled[0]) or "")
        elif self.pending and len(filled) == 1:
            self._text_field(self.pending, filled)
        else:
            self.unrecognised.append(no)
        self.pending = None

    def _text_field(self, label: str, values: list[str]) -> None:
        if not values:
            self.pending = label
            return
        if label.startswith("goal_"):
            self.set(label, clean_text(values[0]))
        elif label == "goal":
            self.set("goal_implementation", clean_text(values[0]))
            if len(values) > 1:
                self.set("goal_annual", clean_text(values[1]))
            else:
                self.generic_goal = True
        elif label == "dept":
            text = clean_text(values[0]) or ""
            match = _DEPT.match(text)
            self.set("dept_code", match.group(1) if match else None)
            self.set("dept_name", match.group(2) if match else text)
        else:
            self.set(label, clean_text(values[0]))

    def _fund(self, part: str, ordinal: int, values: list[str]) -> None:
        """A fund label's value: the next cell when it is an amount. A part (中央财政资金 …)
        belongs to the only total printed so far, else 1st = 实施期, 2nd = 年度."""
        if part == "funds":
            name = "total_funds" if self.period_hint == IMPLEMENTATION else "annual_funds"
            self.totals_seen.append(name)
        elif part in ("total_funds", "annual_funds"):
            name = part
        elif len(set(self.totals_seen)) == 1:
            name = self.totals_seen[0].removesuffix("funds") + part
        elif ordinal <= 2:
            name = ("total_" if ordinal == 1 else "annual_") + part
        else:
            return
        self.funds_labelled.add(name)
        value = values[0] if values else None
        amount = amount_of(value)
        if amount is None and (suffixed := _UNIT_SUFFIX.match(value or "")):
            amount = amount_of(suffixed.group(1))
            if amount is not None:  # `337770.89万元`: the unit printed in the cell
                self.funds_unit = self.funds_unit or suffixed.group(2)
        self.set(name, amount.quantize(CENT) if amount is not None else None)

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


def _conflict(first: _Table, page: _Table) -> str | None:
    """A header field both print differently: the page is not the first table continued."""
    for name in ("unit", "dept_name", "total_funds", "annual_funds"):
        a, b = first.fields.get(name), page.fields.get(name)
        if a is not None and b is not None and (name_key(a) if isinstance(a, str) else a) != (
                name_key(b) if isinstance(b, str) else b):
            return name
    return None


#: The header fields of a performance_targets row, in order: text, then funds.
_TEXT_FIELDS = ("name", "dept_code", "dept_name", "unit", "attribute", "period", "overview", "basis",
                "necessity", "measures", "plan", "goal_implementation", "goal_annual", "fill_time")
_FUND_FIELDS = ("total_funds", "annual_funds",
                *(f"{period}_{part}" for part in _FUND_PARTS for period in ("total", "annual")))


class _Builder:
    """Collects the tables of one document and turns them into rows."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.tables: list[_Table] = []
        self.result = PerformanceResult()

    def start(self, line: Line) -> _Table:
        kind = title_kind(line.text) or PROJECT
        table = _Table(line.no, line.no, kind)
        previous = self.tables[-1] if self.tables else None
        if previous is not None and previous.empty:
            # a title printed twice, or a heading naming the tables: the new title counts
            table.period_hint = previous.period_hint
            self.tables.pop()
            previous = self.tables[-1] if self.tables else None
        table.hint(line.text)
        self.tables.append(table)
        if previous is not None and not previous.footer:
            table.grid = previous.grid  # shared until the name shows it is another project
            table.prev_grid = previous.cgrid
        return table

    def check_continuation(self, table: _Table) -> None:
        """Once the latest table's name is known: is it the previous page continued?"""
        previous = self.tables[-2] if len(self.tables) > 1 else None
        table.continues = previous is not None and not previous.footer and name_key(
            previous.fields.get("name")) == name_key(table.fields.get("name"))
        if not table.continues and previous is not None and table.grid is previous.grid:
            table.grid = _Grid()
        if table.continues and previous is not None and previous.cgrid is not None:
            table.cgrid = _ColumnGrid(previous.cgrid.roles, previous.cgrid.level1,
                                      previous.cgrid.level2)

    def finish(self) -> PerformanceResult:
        merged: list[_Table] = []
        for table in self._expand():
            if table.continues and merged and _conflict(merged[-1], table):
                table.continues = False  # same name, another unit or amount: another project
            if table.continues and merged:
                self._merge(merged[-1], table)
            elif table.blank_form:
                if table.last_line > table.first_line:
                    self.finding("perf.empty_table", "info",
                                 f"表中既无项目名称也无金额（空白表样）；"
                                 f"表样的{len(table.indicators)}个指标行未读入",
                                 "performance_targets", None, table.first_line)
            else:
                merged.append(table)
        for number, table in enumerate(merged, start=1):
            self._emit(f"perf-{number:03d}", table)
        return self.result

    def _expand(self) -> list[_Table]:
        """Wide tables give way to their rows' projects; a page's first project continues the
        previous page's last one when it prints the same name."""
        out: list[_Table] = []
        last: _Table | None = None
        for table in self.tables:
            if table.wide is None:
                out.append(table)
                continue
            for no, name in table.subtotals:
                self.finding("perf.subtotal_row", "info",
                             f"「{name}」行是其下各项目的合计，不是项目",
                             "performance_targets", None, no)
            for no, problem in table.problems:
                self.finding("perf.unplaced_row", "warning", problem, "indicators", None, no)
            if table.cgrid is None:
                self.finding("perf.no_grid_header", "warning",
                             "横排表没有指标表头，各行未读入",
                             "performance_targets", None, table.first_line)
            for i, child in enumerate(table.children):
                child.continues = (i == 0 and last is not None and last.kind == child.kind
                                   and name_key(last.fields.get("name"))
                                   == name_key(child.fields.get("name")))
                out.append(child)
                last = child
        return out

    def _merge(self, first: _Table, page: _Table) -> None:
        for name, value in page.fields.items():
            first.set(name, value)
        first.funds_labelled |= page.funds_labelled
        first.indicators += page.indicators
        first.unplaced += page.unplaced
        first.unrecognised += page.unrecognised
        first.problems += page.problems
        first.tasks += page.tasks
        first.last_line, first.footer = page.last_line, page.footer
        first.pages += 1
        self.finding("perf.continuation", "info",
                     f"表格在下一页续印，已并入第{first.first_line}行起的表", "performance_targets", None,
                     page.first_line)

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
            self.finding("perf.bad_fill_date", "warning", f"填报日期「{printed}」不是有效日期",
                         "performance_targets", perf_id, table.last_line, "YYYYMMDDhhmmss", printed)
        row: dict[str, Any] = {"doc_id": self.doc_id, "perf_id": perf_id, "project_id": None,
                               "match_score": None, "source_line": table.first_line,
                               "last_line": table.last_line, "pages": table.pages,
                               "fill_date": filled, "kind": table.kind,
                               "layout": self._layout(table),
                               "funds_unit": table.funds_unit,
                               "tasks": "\n".join(table.tasks) or None}
        for name in _TEXT_FIELDS:
            row[name] = fields.get(name)
        scale = SCALES.get(table.funds_unit or "元", Decimal(1))
        for name in _FUND_FIELDS:  # in 元
            value = fields.get(name)
            row[name] = None if value is None else (value * scale).quantize(CENT)
        self.result.targets.append(row)
        self._check_funds(perf_id, table)
        self._indicators(perf_id, table)

    @staticmethod
    def _layout(table: _Table) -> str:
        if table.wide_child:
            return WIDE
        return SINGLE_PERIOD if table.single else TWO_PERIOD

    def _goals(self, perf_id: str, table: _Table) -> None:
        """Only one 总体目标 printed: it is the goal of both periods (the halves coincide)."""
        fields = table.fields
        if table.single:
            if table.generic_goal and table.single_period == ANNUAL and not fields.get(
                    "goal_annual"):
                fields["goal_annual"] = fields.pop("goal_implementation", None)
            return
        if fields.get("goal_implementation") and fields.get("goal_annual") is None:
            fields["goal_annual"] = fields["goal_implementation"]
            self.finding("perf.single_goal", "info",
                         "只印有一个总体目标，两期共用",
                         "performance_targets", perf_id, table.first_line)

    def _check_funds(self, perf_id: str, table: _Table) -> None:
        if table.single:  # one period: one total is enough, whichever label it has
            if table.fields.get("total_funds") is None and table.fields.get("annual_funds") is None:
                state = "有标签但未填" if table.funds_labelled else "未印出"
                self.finding("perf.missing_funds", "warning", f"资金总额 {state}",
                             "performance_targets", perf_id, table.first_line)
            return
        for name, label in (("total_funds", "实施期资金总额"), ("annual_funds", "年度资金总额")):
            if table.fields.get(name) is None:
                state = "有标签但未填" if name in table.funds_labelled else "未印出"
                self.finding("perf.missing_funds", "warning", f"{label} {state}",
                             "performance_targets", perf_id, table.first_line)

    def _indicators(self, perf_id: str, table: _Table) -> None:
        seq = dict.fromkeys(PERIODS, 0)
        single = table.single_period if table.single else None
        append = self.result.indicators.append
        for item in _join_fragments(table.indicators):
            if single is not None:
                item.period = single
            seq[item.period] += 1
            target = parse_target(item.value)
            append({
                "doc_id": self.doc_id, "perf_id": perf_id, "project_id": None,
                "period": item.period, "seq": seq[item.period], "level1": item.level1,
                "level2": item.level2, "name": item.name, "value": item.value,
                "operator": target[0], "number": target[1], "value_unit": target[2],
                "flag": item.flag, "raw": item.raw, "source_line": item.line,
                "weight": item.weight,
            })
            if item.value is None:
                self.finding("perf.missing_value", "warning",
                             f"指标「{item.name}」（{PERIOD_ZH.get(item.period, item.period)}）未印指标值",
                             "indicators", perf_id, item.line)
        for no, count in table.unplaced:
            self.finding("perf.unplaced_row", "warning",
                         f"两期之外另有{count}个半行，作为未归位行保留",
                         "indicators", perf_id, no)
        for no, problem in table.problems:
            rule = "perf.unknown_level" if "指标体系" in problem else "perf.unplaced_row"
            self.finding(rule, "warning", problem, "indicators", perf_id, no)
        for no in table.unrecognised:
            self.finding("perf.unrecognised_line", "info", "无法识别的表头行",
                         "performance_targets", perf_id, no)
        if not table.indicators:
            self.finding("perf.no_indicators", "warning", "表中没有指标",
                         "performance_targets", perf_id, table.first_line)
        elif seq[ANNUAL] == 0 and not table.single:
            self.finding("perf.single_half", "warning",
                         "表格只印出一期，按实施期读入",
                         "indicators", perf_id, table.first_line)


def parse_performance(lines: Sequence[Line], doc_id: str) -> PerformanceResult:
    """Every 项目支出绩效目标表 in `lines` → targets, indicators and findings.

    Lines before the first title are skipped, and so are the lines from one that is no longer
    part of a table (a narrative heading, or plain text after a grid) up to the next title, so
    the lines may run past the performance section or hold narrative between tables.
    """
    builder = _Builder(doc_id)
    table: _Table | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if "\t" not in text and _is_title(text):  # a title is one cell
            table = builder.start(line)
            continue
        if table is None:
            continue
        had_name = table.fields.get("name") is not None
        if not table.feed(line):
            table = None  # the rest, up to the next title, is not a table
            continue
        if not had_name and table.fields.get("name") is not None:
            builder.check_continuation(table)
    return builder.finish()
