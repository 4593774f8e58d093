"""The `budgettui` command's entry point.

`budgettui [SOURCE...]` browses. That default path starts the browser without loading Typer
(or Polars: the browser parses in a thread after its first paint); every other command goes
through the Typer app in cli.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

COMMANDS = ("browse", "tables", "show", "check", "export", "text", "survey", "cache")


def browse(sources: list[Path]) -> int:
    """Run the browser on the sources; the exit code (2 with a one-line message on stderr
    when a source cannot be read)."""
    from budgettui.sources import InputError, expand_sources

    try:
        paths = expand_sources(sources)
    except InputError as exc:
        print(f"budgettui: {exc}", file=sys.stderr)
        return 2
    from budgettui.tui.app import BudgetApp

    browser = BudgetApp(sources=paths)
    browser.run()
    if browser.error:
        print(f"budgettui: {browser.error}", file=sys.stderr)
        return 2
    for error in browser.budget.skipped if browser.budget is not None else ():
        print(f"budgettui: skipped {error}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> None:
    """`budgettui [SOURCE...]` means `budgettui browse [SOURCE...]`; the rest is cli.py's."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and not args[0].startswith("-")):
        sys.exit(browse([Path(a) for a in args]))
    from budgettui.cli import app

    try:
        app(args=args, prog_name="budgettui")
    except BrokenPipeError:
        # The reader went away (`| head`): silence the flush at exit and leave quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
