"""Running the browser on sources: the exit code and the one-line messages around it.

Both entry points use it: launch.py (`budgettui [SOURCE...]`, without Typer) and cli.py
(`budgettui browse`). Textual is imported only when the browser starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from budgettui.messages import say

if TYPE_CHECKING:
    from budgettui.tui.app import BudgetApp


def browse(sources: list[Path]) -> int:
    """Run the browser on the sources; the exit code (2 with a one-line message on stderr
    when a source cannot be read)."""
    from budgettui.sources import STDIN, InputError, expand_sources, max_bytes, read_source

    if any(str(s) == STDIN for s in sources):
        say(f"{STDIN}: the browser cannot read standard input (it reads the keyboard); "
            "save the document to a file, or use budgettui show RESOURCE -")
        return 2
    try:
        max_bytes()
        paths = expand_sources(sources)
        if not any(os.path.exists(p) for p in paths):  # nothing to browse: say so before painting
            read_source(paths[0])
    except InputError as exc:
        say(str(exc))
        return 2
    browser = app(paths)
    browser.run()
    if browser.error:
        say(str(browser.error))
        return 2
    for error in browser.budget.skipped if browser.budget is not None else ():
        say(f"skipped {error}")
    return 0


def app(paths: list[Path]) -> BudgetApp:
    """The browser on the paths, as `budgettui` starts it: a document opened for the first
    time is read ahead in a second process (tui/ahead.py) while Textual is imported."""
    from budgettui.tui.ahead import start

    ahead = start(paths)
    from budgettui.tui.app import BudgetApp

    return BudgetApp(sources=paths, ahead=ahead)
