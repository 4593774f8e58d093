"""Consistency rules over a Budget → findings (issue 6 fills this in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from budgettui.model import Budget


def run_checks(budget: Budget) -> list[dict[str, Any]]:
    """Every rule over the budget; rows of the `findings` resource."""
    return []
