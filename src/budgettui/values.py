"""Amounts and indicator values: exact parsing of the numbers the document prints."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
#: Cells that print "nothing" rather than a number.
_EMPTY = {"", "-", "—", "－", "/", "--", "——"}


class AmountError(ValueError):
    """A cell that should hold an amount holds something else."""


def parse_amount(text: str | None) -> Decimal | None:
    """`"27,761.28"` → Decimal("27761.28"); an empty cell → None; a printed 0 → Decimal("0").

    Raises AmountError for text that is not an amount.
    """
    if text is None:
        return None
    cell = text.strip().replace(" ", "")
    if cell in _EMPTY:
        return None
    if not _AMOUNT.fullmatch(cell):
        raise AmountError(f"not an amount: {text!r}")
    try:
        return Decimal(cell.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise AmountError(f"not an amount: {text!r}") from None


def is_amount(text: str | None) -> bool:
    """True when the cell holds a number (not when it is empty)."""
    if text is None:
        return False
    cell = text.strip().replace(" ", "")
    return bool(cell) and bool(_AMOUNT.fullmatch(cell))


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
    text = re.sub(r"\s+", "", value).replace("％", "%")
    operator, rest = _split_operator(text)
    if operator is None:
        operator, rest = _split_suffix(rest)
    match = _TARGET.fullmatch(rest)
    if match is None:
        return None, None, None
    unit = match.group("unit")
    if _TIME_WORDS.search(unit) or (operator is None and _DATE_UNIT.match(unit)):
        return None, None, None
    number = Decimal(match.group("number").replace(",", ""))
    return operator or "=", number, unit or None
