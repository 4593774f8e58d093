"""The national expenditure functional classification (支出功能分类科目), budget years 2021–2026.

Codes are 类 (3 digits), 款 (5) and 项 (7); a child code starts with its parent's code. The list
ships as ``classification.tsv`` beside this module and is read once, on first use.

    >>> name_of("2080505")
    '机关事业单位基本养老保险缴费支出'
    >>> resolve("行政运行", parent="20101")
    '2010101'
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

FIRST_YEAR = 2021
LAST_YEAR = 2026
_LEVELS = {3: 1, 5: 2, 7: 3}


@dataclass(frozen=True, slots=True)
class Subject:
    """One row of the list: a code with the name it carries in ``years``."""

    code: str
    name: str
    level: int
    parent_code: str | None
    years: frozenset[int]


@dataclass(frozen=True, slots=True)
class _Index:
    by_code: dict[str, tuple[Subject, ...]]
    by_name: dict[str, tuple[Subject, ...]]
    by_key: dict[str, tuple[Subject, ...]]


def parse_years(text: str) -> frozenset[int]:
    """``"2021-2023,2025"`` → {2021, 2022, 2023, 2025}."""
    years: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        years.update(range(int(first), int(last or first) + 1))
    return frozenset(years)


def format_years(years: set[int] | frozenset[int]) -> str:
    """{2021, 2022, 2023, 2025} → ``"2021-2023,2025"``."""
    ordered = sorted(years)
    parts: list[str] = []
    start = prev = None
    for year in [*ordered, None]:
        if start is None:
            start = prev = year
        elif year is not None and prev is not None and year == prev + 1:
            prev = year
        else:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = prev = year
    return ",".join(parts)


_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]", "［": "[", "］": "]", "（": "(", "）": ")"})
_EDGE_CODE = re.compile(r"^\[?\d{3}(?:\d{2}){0,2}\]?|\[?\d{3}(?:\d{2}){0,2}\]?$")
_LEVEL_MARK = re.compile(r"\((?:类|款|项)\)$")


def normalise_code(code: str) -> str:
    """``" 208 05 05"``, ``"[2080505]"``, ``"２０８"`` → digits only."""
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", code))


def normalise_name(name: str) -> str:
    """Width, spaces, brackets, an edge code such as ``[201]`` and a ``(类)`` mark removed."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", name).translate(_BRACKETS))
    text = _EDGE_CODE.sub("", text)
    text = _LEVEL_MARK.sub("", text)
    return text.strip("-_:：、.·")


def _key(name: str) -> str:
    """The lookup key: the normalised name less a trailing 支出."""
    text = normalise_name(name)
    return text[:-2] if text.endswith("支出") and len(text) > 2 else text


def level_of(code: str) -> int | None:
    """1 for a 类 (3 digits), 2 for a 款 (5), 3 for a 项 (7); None otherwise."""
    return _LEVELS.get(len(normalise_code(code)))


def parent_of(code: str) -> str | None:
    """The enclosing code (two digits less), None for a 类 or a malformed code."""
    digits = normalise_code(code)
    return digits[:-2] if _LEVELS.get(len(digits), 1) > 1 else None


def _read() -> str:
    return resources.files("budgettui").joinpath("classification.tsv").read_text(encoding="utf-8")


@cache
def _index() -> _Index:
    by_code: dict[str, list[Subject]] = {}
    by_name: dict[str, list[Subject]] = {}
    by_key: dict[str, list[Subject]] = {}
    for row in csv.DictReader(io.StringIO(_read()), delimiter="\t"):
        subject = Subject(
            row["code"], row["name"], int(row["level"]), row["parent_code"] or None, parse_years(row["years"])
        )
        by_code.setdefault(subject.code, []).append(subject)
        by_name.setdefault(normalise_name(subject.name), []).append(subject)
        by_key.setdefault(_key(subject.name), []).append(subject)
    return _Index(*({key: tuple(rows) for key, rows in index.items()} for index in (by_code, by_name, by_key)))


def subjects() -> tuple[Subject, ...]:
    """Every row of the list, in code order."""
    return tuple(s for code in sorted(_index().by_code) for s in _index().by_code[code])


def _in_year(rows: tuple[Subject, ...], year: int | None) -> list[Subject]:
    if year is None:
        return list(rows)
    year = min(max(year, FIRST_YEAR), LAST_YEAR)
    return [s for s in rows if year in s.years]


def name_of(code: str, year: int | None = None) -> str | None:
    """The official name of ``code`` (in ``year``, else the latest name); None when unknown."""
    rows = _in_year(_index().by_code.get(normalise_code(code), ()), year)
    return max(rows, key=lambda s: max(s.years)).name if rows else None


def _unique(codes: set[str]) -> str | None:
    return next(iter(codes)) if len(codes) == 1 else None


def resolve_class(name: str, year: int | None = None) -> str | None:
    """The 类 (3-digit code) a printed class name stands for (`其他支出` is 229 among the 类,
    though several 款 share its name); None when no 类 is so named."""
    index = _index()
    rows = _in_year(index.by_name.get(normalise_name(name), ()), year)
    return _unique({s.code for s in rows or _in_year(index.by_key.get(_key(name), ()), year) if len(s.code) == 3})


def resolve(name: str, year: int | None = None, parent: str | None = None) -> str | None:
    """The code for a printed ``name``; None when unknown or ambiguous.

    The name is matched exactly (after normalising), else with or without a trailing 支出.
    ``parent`` is the code of the enclosing 类 or 款 printed just above the row. Candidates are
    narrowed to its direct children, then its descendants, then the codes of its 类, then the
    类 themselves (a row outside the enclosing 类 starts a new one); the first step that leaves
    any code decides: one code wins, several are ambiguous. Without ``parent`` the name must be
    unique.
    """
    index = _index()
    rows = _in_year(index.by_name.get(normalise_name(name), ()), year)
    codes = {s.code for s in rows or _in_year(index.by_key.get(_key(name), ()), year)}
    if not codes:
        return None
    if len(codes) == 1 or not parent:
        return _unique(codes)
    above = normalise_code(parent)
    steps = (
        {c for c in codes if parent_of(c) == above},
        {c for c in codes if c.startswith(above) and c != above},
        {c for c in codes if c.startswith(above[:3])},
        {c for c in codes if len(c) == 3},  # outside the enclosing 类: a new 类 row
    )
    for step in steps:
        if step:
            return _unique(step)
    return None
