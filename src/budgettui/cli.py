"""The command line: browse, tables, show. Data goes to stdout, messages to stderr.

Exit codes: 0 success; 2 bad usage or unreadable input (one line naming the file, no
traceback). Textual is imported only by `browse`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from budgettui import schema
from budgettui.sources import InputError

app = typer.Typer(
    name="budgettui",
    help="Read, audit and publish Chinese department budget disclosures (部门预算公开).",
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

COMMANDS = ("browse", "tables", "show", "check", "export")

Sources = Annotated[
    list[Path] | None,
    typer.Argument(help="Document files or folders (default: the bundled sample).",
                   show_default=False),
]
Format = Annotated[
    str,
    typer.Option("-f", "--format", help="table, csv, tsv, json or ndjson."),
]


def fail(message: str) -> typer.Exit:
    """Print `budgettui: message` on stderr; the caller raises the returned Exit(2)."""
    typer.echo(f"budgettui: {message}", err=True)
    return typer.Exit(2)


def _load(sources: list[Path] | None):
    from budgettui.model import load

    try:
        return load(*(sources or []))
    except InputError as exc:
        raise fail(str(exc)) from None


def _check_format(fmt: str) -> None:
    from budgettui.output import FORMATS

    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


def _emit(text: str, output: str | None) -> None:
    from budgettui.output import write_atomic

    if output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_atomic(Path(output), text)
    except OSError as exc:
        raise fail(f"{output}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {output}", err=True)


@app.command()
def browse(sources: Sources = None) -> None:
    """Open the budget in the terminal browser (the default command)."""
    budget = _load(sources)
    from budgettui.tui.app import BudgetApp

    BudgetApp(budget).run()


@app.command()
def tables(sources: Sources = None, fmt: Format = "table") -> None:
    """List the resources with their titles and row counts."""
    import polars as pl

    from budgettui.output import render

    _check_format(fmt)
    budget = _load(sources)
    listing = pl.DataFrame(
        {
            "resource": [r.name for r in schema.RESOURCES],
            "table": [r.table_no for r in schema.RESOURCES],
            "title": [r.zh for r in schema.RESOURCES],
            "title_en": [r.en for r in schema.RESOURCES],
            "rows": [budget[r.name].height for r in schema.RESOURCES],
        },
        schema={"resource": pl.String, "table": pl.Int64, "title": pl.String,
                "title_en": pl.String, "rows": pl.Int64},
    )
    _emit(render(listing, fmt), None)


@app.command()
def show(
    resource: Annotated[str, typer.Argument(help="A resource name (see `budgettui tables`).")],
    sources: Sources = None,
    fmt: Format = "table",
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="A file, or - for stdout (default).")
    ] = None,
) -> None:
    """Print one resource: every row, exact amounts."""
    from budgettui.output import render

    if resource not in schema.BY_NAME:
        raise fail(f"unknown resource {resource!r}; known: {', '.join(schema.BY_NAME)}")
    _check_format(fmt)
    budget = _load(sources)
    meta = schema.resource(resource)
    title = f"{meta.zh} ({meta.en})" if fmt == "table" else None
    _emit(render(budget[resource], fmt, title), output)


def main(argv: list[str] | None = None) -> None:
    """Entry point: `budgettui [SOURCE...]` means `budgettui browse [SOURCE...]`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and not args[0].startswith("-")):
        args.insert(0, "browse")
    try:
        app(args=args, prog_name="budgettui")
    except BrokenPipeError:
        # The reader went away (`| head`): silence the flush at exit and leave quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
