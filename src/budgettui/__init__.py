"""budgettui: read, audit and publish Chinese department budget disclosures (部门预算公开).

    import budgettui
    budget = budgettui.load("data/")      # files or folders → one Budget
    budget["projects"]                    # a polars.DataFrame per resource
    budget.describe("projects")           # each column's title, type and unit

A source that cannot be read raises `budgettui.InputError` (one line naming the file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Budget", "InputError", "describe", "load"]

if TYPE_CHECKING:
    from budgettui.model import Budget, describe, load
    from budgettui.sources import InputError


def __getattr__(name: str) -> Any:
    """Import the model on first use, so `import budgettui.schema` stays light."""
    if name in ("Budget", "describe", "load"):
        from budgettui import model

        return getattr(model, name)
    if name == "InputError":
        from budgettui.sources import InputError

        return InputError
    raise AttributeError(f"module 'budgettui' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, lazily imported ones included (`dir(budgettui)` shows `load`)."""
    return sorted({*__all__, "__version__", *(n for n in globals() if n.startswith("__"))})
