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
