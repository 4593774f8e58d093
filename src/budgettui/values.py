"""Amounts and indicator values: exact parsing of the numbers the document prints."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

_AMOUNT = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
#: Cells that print "nothing" rather than a number.
_EMPTY = {"", "-", "—", "－", "/", "--", "——"}
#: What the money columns (Decimal(18, 2)) and target numbers (Decimal(24, 4)) hold exactly;
#: amounts stay below 10^12 so that 万元 × 10000 (budget_lines' 元) still fits.
_MONEY_LIMIT, _CENT = Decimal("1e12"), Decimal("0.01")
_NUMBER_LIMIT, _NUMBER_STEP = Decimal("1e20"), Decimal("0.0001")


def _exact(number: str, limit: Decimal, step: Decimal) -> Decimal | None:
    """The decimal of a printed number when it fits below `limit` in steps of `step`, else None
    (a longer or finer number would overflow its column or be rounded silently)."""
    if len(number) > 40:
        return None
    value = Decimal(number.replace(",", ""))
    return value if abs(value) < limit and value == value.quantize(step) else None


def money_text(value: Decimal) -> str:
    """An amount with the places it needs, at least two: `25552.62`, `319.688`, `0.00`; a
    whole number printed without places stays so (`55`)."""
    text = format(value, "f")
    head, point, tail = text.partition(".")
    if not point:  # no places: the exponent is 0 or more
        return text
    return f"{head}.{tail.rstrip('0').ljust(2, '0')}"


class AmountError(ValueError):
    """A cell that should hold an amount holds something else."""


def parse_amount(text: str | None) -> Decimal | None:
    """`"27,761.28"` → Decimal("27761.28"); an empty cell → None; a printed 0 → Decimal("0").

    Raises AmountError for text that is not an amount.
    """
    if text is None:
        return None
    value = _amount_of(text)
    if value is not None:
        return value
    if text.strip().replace(" ", "") in _EMPTY:
        return None
    raise AmountError(f"not an amount: {text!r}")


def is_amount(text: str | None) -> bool:
    """True when the cell holds a number (not when it is empty)."""
    return text is not None and _amount_of(text) is not None


def amount_of(text: str | None) -> Decimal | None:
    """The amount a cell holds (as parse_amount gives it), None when it holds no number: what
    `parse_amount(text) if is_amount(text) else None` gives, in one look-up."""
    return None if text is None else _amount_of(text)


@lru_cache(maxsize=8192)  # a cell is often tested (is_amount), then parsed
def _amount_of(text: str) -> Decimal | None:
    """The exact amount a cell prints (spaces ignored), else None."""
    cell = text.strip().replace(" ", "")
    return _exact(cell, _MONEY_LIMIT, _CENT) if _AMOUNT.fullmatch(cell) else None


# Indicator targets (指标值) ------------------------------------------------------------------

#: Operator spellings, longest first, mapped to one of ≥ ≤ > < =.
_OPERATORS: tuple[tuple[str, str], ...] = (
    (">=", "≥"), ("<=", "≤"), ("≧", "≥"), ("≦", "≤"), ("＞＝", "≥"), ("＜＝", "≤"),
    ("大于等于", "≥"), ("大于或等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"),
    ("至少", "≥"), ("小于等于", "≤"), ("小于或等于", "≤"), ("不高于", "≤"), ("不超过", "≤"),
    ("不多于", "≤"), ("不大于", "≤"), ("至多", "≤"), ("大于", ">"), ("超过", ">"), ("多于", ">"),
    ("高于", ">"), ("小于", "<"), ("低于", "<"), ("少于", "<"), ("等于", "="),
    ("≥", "≥"), ("≤", "≤"), (">", ">"), ("<", "<"), ("=", "="), ("＞", ">"), ("＜", "<"),
    ("＝", "="),
)
#: Trailing words that state the operator after the number (`90%以上`).
_SUFFIX_OPERATORS: tuple[tuple[str, str], ...] = (
    ("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"),
)
_TARGET = re.compile(
    r"(?P<number>[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)(?P<unit>[^0-9\s]{0,12})"
)
#: A unit starting with one of these makes a bare number a date (`9月`, `2026年全年`).
_DATE_UNIT = re.compile(r"^(?:年|月|日|号|周|季度)")
#: Words that make the text a deadline or a period, never a quantity (`12月底前`).
_TIME_WORDS = re.compile(r"前|后|底|末|初|至|全年|当年|以来")


_SPACES = re.compile(r"\s+")
_OPERATOR = re.compile("|".join(re.escape(spelling) for spelling, _ in _OPERATORS))
_OPERATOR_OF = dict(_OPERATORS)


def _split_operator(text: str) -> tuple[str | None, str]:
    """A leading operator (symbol or word) and the rest of the text."""
    match = _OPERATOR.match(text)
    if match is None:
        return None, text
    return _OPERATOR_OF[match.group()], text[match.end():].lstrip()


def _split_suffix(text: str) -> tuple[str | None, str]:
    """A trailing `以上`/`以下`/`以内` and the text without it."""
    for spelling, operator in _SUFFIX_OPERATORS:
        if text.endswith(spelling) and len(text) > len(spelling):
            return operator, text[: -len(spelling)]
    return None, text


@lru_cache(maxsize=8192)  # indicator values repeat (`≥90%`, `100%`); the result is immutable
def parse_target(value: str | None) -> tuple[str | None, Decimal | None, str | None]:
    """A printed target → (operator, number, unit); qualitative text → (None, None, None).

    Accepted: an optional operator (≥ ≤ > < = ＞ ＜ ＝ ≧ ≦ >= <=, or 不低于/不少于/至少 → ≥,
    不高于/不超过/至多 → ≤, 大于/超过/高于 → >, 小于/低于/少于 → <, 等于 → =), a number
    (thousands separators allowed), then an optional unit of up to 12 characters without digits
    (`人`, `万元`, `%`, `元/人/月`, `户(次)`). A trailing 以上/以下/以内 states the operator instead.
    No operator means `=`. Dates and deadlines stay qualitative: a bare number whose unit
    starts with 年/月/日/号/周/季度 (`9月`, `2026年全年`), and any unit with a time word
    (前, 后, 底, 末, 至, 全年 …). Anything else (`提高`, `每月`, `综合保障达90%`, `60-200件`)
    is qualitative. Never float: the number is a Decimal as printed.
    """
    if value is None:
        return None, None, None
    text = _SPACES.sub("", value).replace("％", "%")
    operator, rest = _split_operator(text)
    if operator is None:
        operator, rest = _split_suffix(rest)
    match = _TARGET.fullmatch(rest)
    if match is None:
        return None, None, None
    unit = match.group("unit")
    if _TIME_WORDS.search(unit) or (operator is None and _DATE_UNIT.match(unit)):
        return None, None, None
    number = _exact(match.group("number"), _NUMBER_LIMIT, _NUMBER_STEP)
    if number is None:  # too long or too fine to hold exactly: keep it as text
        return None, None, None
    return operator or "=", number, unit or None
