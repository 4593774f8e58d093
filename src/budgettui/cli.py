"""The command line: browse, tables, show. Data goes to stdout, messages to stderr.

Exit codes: 0 success; 2 bad usage or unreadable input (one line naming the file, no
traceback). Textual is imported only by `browse`.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from budgettui.messages import plural, say
from budgettui.sources import InputError

app = typer.Typer(
    name="budgettui",
    help="Read, audit and publish Chinese department budget disclosures (部门预算公开).",
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


Sources = Annotated[
    list[str] | None,
    typer.Argument(help="Document files or folders, - for standard input "
                        "(default: the bundled sample).", show_default=False),
]
Format = Annotated[
    str | None,
    typer.Option("-f", "--format", help="table, csv, tsv, json or ndjson "
                 "(default: from the -o file's extension, else table).", show_default=False),
]
#: -o file extensions and the format they mean.
EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".ndjson": "ndjson",
              ".jsonl": "ndjson", ".txt": "table"}
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, show_default=False,
                 help="Worker processes parsing the documents (default: the cores)."),
]
NoCache = Annotated[
    bool,
    typer.Option("--no-cache", help="Parse every document, neither reading nor writing the cache."),
]


def fail(message: str) -> typer.Exit:
    """Print `budgettui: message` on stderr (escaped: one line whatever a file is called); the
    caller raises the returned Exit(2)."""
    say(message)
    return typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        from budgettui import __version__

        typer.echo(f"budgettui {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Read, audit and publish Chinese department budget disclosures (部门预算公开)."""


def _load(sources: list[str] | None, label: str | None = "loading", *, jobs: int | None = None,
          no_cache: bool = False):
    """Load the sources; a skipped file is one `budgettui: skipped …` line on stderr (exit 0
    when another loaded), no document at all is exit 2. Several documents show a progress
    bar on a terminal (`label` None: the caller shows its own)."""
    import warnings

    from budgettui.model import load
    from budgettui.sources import max_bytes

    try:
        max_bytes()  # a bad BUDGETTUI_MAX_BYTES is one message, not one per file
    except InputError as exc:
        raise fail(str(exc)) from None
    count = _count(sources) if label and sources else 0
    try:
        with busy(f"{label} {count} documents" if count > 1 else None), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            budget = load(*(sources or []), jobs=jobs, cache=not no_cache)
    except InputError as exc:
        for cause in exc.causes:
            say(f"skipped {cause}")
        raise fail(str(exc)) from None
    for error in budget.skipped:
        say(f"skipped {error}")
    for path, first in budget.duplicates:
        say(f"warning: {path} is the same document as {first} (same sha256); loaded once")
    return budget


def _count(sources: list[str]) -> int:
    """How many documents the sources name (folders listed); 0 when that cannot be told."""
    from budgettui.sources import expand_sources

    try:
        return len(expand_sources(list(sources)))
    except InputError:
        return 0


@contextmanager
def busy(label: str | None) -> Iterator[None]:
    """A Rich progress bar (indeterminate) on stderr while a long step runs, when stderr is a
    terminal and there is a label; nothing otherwise."""
    if label is None or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        bar.add_task(label, total=None)
        yield


def _format(fmt: str | None, output: str | None) -> str:
    """The output format: -f, else the -o file's extension, else table."""
    from budgettui.output import FORMATS

    if fmt is None:
        suffix = Path(output).suffix.lower() if output and output != "-" else ""
        return EXTENSIONS.get(suffix, "table")
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return fmt


def _silence_stdout() -> None:
    """After a failed write, point stdout at /dev/null so the flush at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


@contextmanager
def writing_stdout() -> Iterator[None]:
    """Turn a failed write to stdout (a full disk, /dev/full, an I/O error) into exit 2 with
    `cannot write output: REASON`; a closed pipe is left to the caller (quiet exit)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        _silence_stdout()
        raise fail(f"cannot write output: {exc.strerror or exc}") from None


def _refuse_sources(output: str, budget) -> None:
    """Refuse an -o that is one of the loaded sources (it would be overwritten)."""
    for source in budget["documents"]["source_path"]:
        if source and source != "-" and Path(source).exists() and _same(output, source):
            raise fail(f"{output}: refusing to write over the source document {source}")


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _emit(text: str, output: str | None, budget=None) -> None:
    from budgettui.output import write_output

    if output in (None, "-"):
        with writing_stdout():
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    if not output:
        raise fail("-o: an empty name is not a file; use -o - for stdout")
    if budget is not None:
        _refuse_sources(output, budget)
    try:
        write_output(Path(output), text)
    except OSError as exc:
        raise fail(f"{output}: {_reason(exc)}") from None
    say_done(f"wrote {output}")


def say_done(message: str) -> None:
    """A success message on stderr (without the `budgettui:` prefix), escaped to one line."""
    from budgettui.messages import escape

    typer.echo(escape(message), err=True)


def _reason(exc: OSError) -> str:
    """An OSError in words: the symlink loop and the folder named, else the system's text."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.EISDIR:
        return "is a folder"
    return exc.strerror or str(exc)


@app.command()
def browse(sources: Sources = None) -> None:
    """Open the budget in the terminal browser (the default command).

    The browser paints first and parses in a thread; a document it cannot read ends it
    with the usual one-line message and exit code 2."""
    from budgettui.browsing import browse as run_browser

    raise typer.Exit(run_browser(list(sources or [])))


@app.command()
def text(
    source: Annotated[str, typer.Argument(help="A PDF or text document.", show_default=False)],
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="A file, or - for stdout (default).")
    ] = None,
) -> None:
    """Print what was read from a document: one line per printed line or table row, cells
    separated by TAB, each page starting with a form feed (the form `budgettui` reads back)."""
    from budgettui.sources import read_source

    if not source:
        raise fail("an empty name is not a file")
    try:
        source_text = read_source(source)
    except InputError as exc:
        raise fail(str(exc)) from None
    starts = set(source_text.page_starts)
    _emit("".join(("\f" if line.no in starts else "") + line.text + "\n"
                  for line in source_text.lines), output)


@app.command()
def survey(sources: Sources = None, fmt: Format = None, jobs: Jobs = None,
           no_cache: NoCache = False) -> None:
    """One line per document: department, year, kind, pages, unit, the template tables
    recognised, other tables, performance tables, identities checked and holding, errors."""
    from budgettui.output import render
    from budgettui.survey import recognised_share
    from budgettui.survey import survey as survey_of

    fmt = _format(fmt, None)
    budget = _load(sources, "surveying", jobs=jobs, no_cache=no_cache)
    frame = survey_of(budget)
    _emit(render(frame, fmt), None)
    found, printed = recognised_share(budget)
    holding, checked = frame["holding"].sum(), frame["identities"].sum()
    say_done(f"{frame.height} documents; {found} of {printed} printed tables recognised; "
             f"{holding} of {checked} identities hold")


@app.command()
def tables(sources: Sources = None, fmt: Format = None, jobs: Jobs = None,
           no_cache: NoCache = False) -> None:
    """List the resources with their titles and row counts."""
    import polars as pl

    from budgettui import schema
    from budgettui.output import render

    fmt = _format(fmt, None)
    budget = _load(sources, jobs=jobs, no_cache=no_cache)
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
    fmt: Format = None,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="A file, or - for stdout (default).")
    ] = None,
    jobs: Jobs = None,
    no_cache: NoCache = False,
) -> None:
    """Print one resource: every row, exact amounts."""
    from budgettui import schema
    from budgettui.output import render

    if resource not in schema.BY_NAME:
        raise fail(f"unknown resource {resource!r}; known: {', '.join(schema.BY_NAME)}")
    fmt = _format(fmt, output)
    if output == "":
        raise fail("-o: an empty name is not a file; use -o - for stdout")
    budget = _load(sources, jobs=jobs, no_cache=no_cache)
    meta = schema.resource(resource)
    title = f"{meta.zh} ({meta.en})" if fmt == "table" else None
    _emit(render(budget[resource], fmt, title), output, budget)


#: The largest --tolerance (万元): larger ones say nothing more, and overflow Decimal arithmetic.
MAX_TOLERANCE = 10**12


@app.command()
def check(
    sources: Sources = None,
    fmt: Annotated[str, typer.Option("-f", "--format", help="text or json.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there are errors.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list info findings (every figure checked).")
    ] = False,
    tolerance: Annotated[
        str, typer.Option("--tolerance", help="Largest difference (万元) reported as rounding.")
    ] = "0.02",
    jobs: Jobs = None,
    no_cache: NoCache = False,
) -> None:
    """Verify every figure the document states against the others."""
    import json
    from decimal import Decimal, InvalidOperation

    from budgettui import schema
    from budgettui.audit import check_budget, merged_findings, render_text, summary
    from budgettui.output import records

    if fmt not in ("text", "json"):
        raise fail(f"unknown format {fmt!r}; use one of: text, json")
    try:
        limit = Decimal(tolerance)
    except InvalidOperation:
        limit = Decimal(-1)
    if not limit.is_finite() or limit < 0 or limit > MAX_TOLERANCE:
        raise fail(f"--tolerance must be an amount from 0 to {MAX_TOLERANCE} (万元), not {tolerance!r}")
    budget = _load(sources, "checking", jobs=jobs, no_cache=no_cache)
    with busy("checking"):
        report = check_budget(budget, limit)
    findings = merged_findings(budget, report)
    line = summary(findings, report.checked)
    if fmt == "json":
        frame = schema.resource("findings").frame(findings)
        _emit(json.dumps(records(frame), ensure_ascii=False, indent=1) + "\n", None)
        typer.echo(line, err=True)
    else:
        _emit(render_text(findings, verbose) + line + "\n", None)
    if strict and any(f["severity"] == "error" for f in findings):
        raise typer.Exit(1)


@app.command("export")
def export_command(
    sources: Sources = None,
    formats: Annotated[
        str | None, typer.Option("-f", "--format", help="Comma-separated: parquet, csv, json, ndjson "
                                 "(default: parquet,csv,json).", show_default=False)
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="Bundle folder (default exports/<slug>-<year>/), "
                     "or - to write one table in one format to stdout."),
    ] = None,
    table: Annotated[
        list[str] | None, typer.Option("--table", help="Export only this resource (repeatable).")
    ] = None,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for spreadsheets: BOM, formulas neutralised.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a target folder that is not a bundle.")
    ] = False,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", help="Write a Hive-partitioned Parquet dataset into this folder "
                     "instead (DIR/<resource>/year=<year>/part-<n>.parquet), document by document.",
                     show_default=False),
    ] = None,
    jobs: Jobs = None,
    no_cache: NoCache = False,
) -> None:
    """Write a validated open-data bundle: datapackage.json, Parquet, CSV, JSON; or, with
    --dataset, a validated Parquet dataset of a corpus."""
    from budgettui import export

    try:
        fmts = export.parse_formats(formats or ",".join(export.DEFAULT_FORMATS))
        names = export.resource_names(table)
    except export.ExportError as exc:
        raise fail(str(exc)) from None
    if dataset is not None:
        if output is not None or excel or (fmts != ("parquet",) and formats is not None):
            raise fail("--dataset writes Parquet into its folder: it takes no -o, --excel or other -f")
        if not dataset:
            raise fail("--dataset: an empty name is not a folder")
        _export_dataset(sources, Path(dataset), table, force, jobs, no_cache)
        return
    if output == "":
        raise fail("-o: an empty name is not a folder; use -o - for stdout")
    if output == "-":
        _export_stream(sources, names, fmts, excel, jobs, no_cache)
        return
    _export_bundle(sources, Path(output) if output else None, names, fmts, excel, force, jobs, no_cache)


def _export_stream(sources: list[str] | None, names: list[str], fmts: tuple[str, ...],
                   excel: bool, jobs: int | None, no_cache: bool) -> None:
    """`export -o -`: exactly one table in one format to stdout."""
    from budgettui import export

    if len(names) != 1 or len(fmts) != 1:
        raise fail("-o - writes one table in one format: give one --table NAME and one -f FORMAT")
    if fmts[0] == "parquet" and sys.stdout.isatty():
        raise fail("refusing to write Parquet to a terminal; redirect stdout to a file or pipe")
    budget = _load(sources, jobs=jobs, no_cache=no_cache)
    with writing_stdout():
        export.stream_table(budget, names[0], fmts[0], sys.stdout.buffer, excel)


def _export_bundle(sources: list[str] | None, target: Path | None, names: list[str],
                   fmts: tuple[str, ...], excel: bool, force: bool, jobs: int | None,
                   no_cache: bool) -> None:
    """`export`: write, validate and move the bundle into place; progress on a terminal."""
    from budgettui import export
    from budgettui.package import bundle_name
    from budgettui.sources import expand_sources

    try:
        many = len(expand_sources(list(sources or []))) > 1
    except InputError as exc:
        raise fail(str(exc)) from None
    files = len(names) * len(fmts)
    with export.progress(sys.stderr.isatty() and (many or files > 20), files + 1) as step:
        budget = _load(sources, None, jobs=jobs, no_cache=no_cache)  # one live display at a time: the export's bar
        target = target or Path("exports") / bundle_name(budget["documents"])
        with _export_errors(target, "bundle"):
            summary = export.export_bundle(budget, target, fmts, names, excel, force, step)
    if summary.replaced:
        say(f"replaced {target}/ (it held {summary.replaced})")
    say_done(f"wrote {target}/ ({plural(summary.resources, 'resource')}, "
             f"{plural(summary.formats, 'format')})")


@contextmanager
def _export_errors(target: Path, what: str) -> Iterator[None]:
    """An export's failures as the command reports them: one line and exit 2; an invalid
    `what` (bundle or dataset) with its errors and exit 1; Ctrl-C with exit 130."""
    from budgettui import export

    try:
        yield
    except export.ExportError as exc:
        raise fail(str(exc)) from None
    except export.ValidationFailed as exc:
        say(f"{target}: the {what} is not valid; the previous one is kept")
        for error in exc.errors:
            say_done(f"  {error}")
        raise typer.Exit(1) from None
    except OSError as exc:
        raise fail(f"{target}: {_reason(exc)}") from None
    except KeyboardInterrupt:
        say(f"interrupted; {target} is unchanged")
        raise typer.Exit(130) from None


def _export_dataset(sources: list[str] | None, target: Path, table: list[str] | None, force: bool,
                    jobs: int | None, no_cache: bool) -> None:
    """`export --dataset DIR`: parse, write and validate document by document; progress on a
    terminal (one step per document, then the validation)."""
    import warnings

    from budgettui import dataset, export
    from budgettui.sources import expand_sources, max_bytes

    try:
        max_bytes()
        count = len(expand_sources(list(sources or [])))
    except InputError as exc:
        raise fail(str(exc)) from None
    with export.progress(sys.stderr.isatty() and count > 1, count + 1) as step, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with _export_errors(target, "dataset"):
            try:
                summary = dataset.export_dataset(sources or [], target, table, force, jobs, not no_cache, step)
            except InputError as exc:
                for cause in exc.causes:
                    say(f"skipped {cause}")
                raise fail(str(exc)) from None
    for error in summary.skipped:
        say(f"skipped {error}")
    for path, first in summary.duplicates:
        say(f"warning: {path} is the same document as {first} (same sha256); loaded once")
    if summary.replaced:
        say(f"replaced {target}/ (it held {summary.replaced})")
    say_done(f"wrote {target}/ ({plural(summary.documents, 'document')}, "
             f"{plural(summary.resources, 'resource')}, {plural(summary.files, 'file')})")


cache_app = typer.Typer(help="The parse cache: documents parsed before, found by their bytes.",
                        no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every cached document and corpus (of any parser version)."""
    from budgettui.cache import cache_dir, clear

    folder = cache_dir()
    try:
        documents, corpora = clear(folder)
    except OSError as exc:
        raise fail(f"{exc.filename or folder}: {_reason(exc)}") from None
    also = f" and {plural(corpora, 'corpus', 'corpora')}" if corpora else ""
    say_done(f"removed {plural(documents, 'cached document')}{also} from {folder}")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is, what it holds, and its size limit."""
    from budgettui.cache import cache_dir, entries, limit_bytes

    try:
        limit = limit_bytes()
    except InputError as exc:
        raise fail(str(exc)) from None
    folder = cache_dir()
    found = entries(folder)
    documents = [e for e in found if not e.corpus]
    current = [e for e in documents if e.current]
    megabytes = sum(e.size for e in found) / 2**20
    corpora = len(found) - len(documents)
    also = f" and {plural(corpora, 'corpus', 'corpora')}" if corpora else ""
    print(f"folder   {folder}")
    print(f"entries  {plural(len(documents), 'document')} ({len(current)} of this parser version){also}, "
          f"{megabytes:.1f} MB")
    print(f"limit    {limit / 2**20:.0f} MB (BUDGETTUI_CACHE_MAX_MB)" if limit else
          "limit    none (BUDGETTUI_CACHE_MAX_MB=0)")


def main(argv: list[str] | None = None) -> None:
    """The `budgettui` command (see launch.py, which starts the default command without Typer)."""
    from budgettui.launch import main as launch

    launch(argv)
