"""budgettui: read, audit and publish Chinese department budget disclosures (部门预算公开).

    import budgettui
    budget = budgettui.load("data/")      # files or folders → one Budget
    budget["projects"]                    # a polars.DataFrame per resource
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Budget", "InputError", "load"]

if TYPE_CHECKING:
    from budgettui.model import Budget, load
    from budgettui.sources import InputError


def __getattr__(name: str) -> Any:
    """Import the model on first use, so `import budgettui.schema` stays light."""
    if name in ("Budget", "load"):
        from budgettui import model

        return getattr(model, name)
    if name == "InputError":
        from budgettui.sources import InputError

        return InputError
    raise AttributeError(f"module 'budgettui' has no attribute {name!r}")
