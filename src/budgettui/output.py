"""Writing one frame as text: an aligned table, CSV, TSV, JSON or NDJSON.

Amounts are written exactly as the document prints them (`25552.62`); JSON carries them as
strings so no reader turns them into floats. Files are written atomically.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from budgettui.schema import MONEY

FORMATS = ("table", "csv", "tsv", "json", "ndjson")


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with exact amounts as strings and dates in ISO form."""
    frame = money_as_text(frame)
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def money_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Money columns as the document prints them: the zeros of the column's scale that the
    amount does not need are trimmed, two places kept (`25552.620000` → `25552.62`)."""
    money = [name for name, dtype in frame.schema.items() if dtype == MONEY]
    if not money:
        return frame
    return frame.with_columns(
        pl.col(money).cast(pl.String).str.replace(f"0{{1,{MONEY.scale - 2}}}$", "")  # type: ignore[attr-defined]
    )


def render(frame: pl.DataFrame, fmt: str, title: str | None = None) -> str:
    """The frame as text in one of FORMATS."""
    if fmt == "table":
        return _table(frame, title)
    frame = money_as_text(frame)
    if fmt == "csv":
        return frame.write_csv()
    if fmt == "tsv":
        return _tsv(frame)
    if fmt == "json":
        return json.dumps(records(frame), ensure_ascii=False, indent=1) + "\n"
    if fmt == "ndjson":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(frame))
    if fmt == "table":
        return _table(frame, title)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


_TSV_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def _tsv(frame: pl.DataFrame) -> str:
    """Tab-separated values; a TAB, newline or backslash inside a value is escaped (`\\t`)."""
    escaped = pl.col(pl.String)
    for char, escape in _TSV_ESCAPES:
        escaped = escaped.str.replace_all(char, escape, literal=True)
    return frame.with_columns(escaped).write_csv(separator="\t", quote_style="never")


def _table(frame: pl.DataFrame, title: str | None) -> str:
    """An aligned text table (Rich), as wide as it needs to be so rows never wrap."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, box=None, pad_edge=False, header_style="bold")
    numeric = {n for n, t in frame.schema.items() if t.is_numeric()}
    frame = money_as_text(frame)
    widths = []
    for name in frame.columns:
        table.add_column(name, justify="right" if name in numeric else "left", no_wrap=True)
    texts = [["" if v is None else str(_json_value(v)) for v in row] for row in frame.iter_rows()]
    for index, name in enumerate(frame.columns):
        widths.append(max([cell_len(name), *(cell_len(r[index]) for r in texts)]))
    for row in texts:
        table.add_row(*row)
    buffer = io.StringIO()
    width = max(sum(widths) + 2 * len(widths) + 2, cell_len(title or ""), 20)
    Console(file=buffer, width=width, color_system=None, highlight=False).print(table)
    return buffer.getvalue()


def usual_mode(folder: bool = False) -> int:
    """The permissions a new file (or folder) gets from the umask: temporary files are made
    private, and what replaces the target must not stay so."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed over `path` when the block ends
    without error, removed otherwise (so `path` is never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, usual_mode())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write text to `path` through a temporary file in the same folder, then rename."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
