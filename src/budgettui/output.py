"""Writing one frame as text: an aligned table, CSV, TSV, JSON or NDJSON.

Amounts are written exactly as the document prints them (`25552.62`); JSON carries them as
strings so no reader turns them into floats. Files are written atomically.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from budgettui.atomic import atomic_path
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
    """An aligned text table, as wide as it needs to be so rows never wrap: columns two spaces
    apart, numbers right-aligned, the title centred above (the layout of a borderless Rich
    table, built with Polars expressions: linear in the rows, a few times CSV's cost)."""
    from rich.cells import cell_len

    numeric = {n for n, t in frame.schema.items() if t.is_numeric()}
    frame = money_as_text(frame)  # amounts with the places they need, right-aligned as numbers
    names = frame.columns
    texts = frame.select(_text(name, dtype) for name, dtype in frame.schema.items())
    # each cell's width: its characters, plus one for each wide one (only where there are any)
    lengths = texts.select(
        (pl.col(n).str.len_chars() + pl.col(n).str.count_matches(_WIDE)
         if texts[n].str.contains(r"[^\x00-\x7f]").any() else pl.col(n).str.len_chars())
        .alias(f"\0{i}") for i, n in enumerate(names)
    )
    cells = lengths.max().row(0) if names and frame.height else [0] * len(names)
    widths = [max(cell_len(name), cell or 0) for name, cell in zip(names, cells, strict=True)]
    width = sum(widths) + 2 * max(len(widths) - 1, 0)
    spaces = pl.lit(" " * max(widths, default=0))
    padded = []
    for i, name in enumerate(frame.columns):
        fill = spaces.str.slice(0, widths[i] - pl.col(f"\0{i}"))
        padded.append(pl.concat_str([fill, pl.col(name)] if name in numeric else [pl.col(name), fill]))

    def pad(text: str, size: int, right: bool) -> str:
        room = " " * (size - cell_len(text))
        return room + text if right else text + room

    out = []
    if title:
        room = max(width - cell_len(title), 0)
        out.append(" " * (room // 2) + title + " " * (room - room // 2) + "\n")
    out.append("  ".join(pad(n, w, n in numeric) for n, w in zip(names, widths, strict=True)) + "\n")
    if names and frame.height:
        rows = pl.concat([texts, lengths], how="horizontal").select(
            pl.concat_str(padded, separator="  ").alias("\0row"))["\0row"]
        out.append(rows.str.join("\n").item() + "\n")
    return "".join(out)


#: Characters two cells wide (East Asian Wide and Fullwidth, emoji), as a Polars pattern.
_WIDE = ("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
         "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
         "\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0002fffd\U00030000-\U0003fffd]")
#: Characters that would break a row's line: a TAB, newlines and other control characters.
_BREAKS = "[\x00-\x1f\x7f\x85\u2028\u2029]"


def _text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A column as the table shows it: exact amounts, ISO dates, True/False, nothing for null,
    a TAB or newline inside as a space (each row stays one line)."""
    column = pl.col(name)
    if dtype == pl.Boolean:
        text = pl.when(column).then(pl.lit("True")).otherwise(pl.lit("False"))
    else:
        text = column.cast(pl.String)
        if dtype == pl.String:
            text = text.str.replace_all(_BREAKS, " ")
    return text.fill_null("").alias(name)


#: Paths written through, never replaced: /dev/stdout, /dev/null, /proc/self/fd/1 …
_SPECIAL_FOLDERS = ("/dev/", "/proc/")


def write_output(path: Path, text: str) -> None:
    """Write `text` to the file given with `-o`.

    A regular file (or a new one) is replaced atomically; through a symbolic link, the
    regular file it points to is replaced and the link kept; a FIFO, a device or /dev/stdout
    is written through (like a shell's `>`), never renamed over; a folder is refused."""
    data = text.encode("utf-8", "surrogateescape")
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None  # a new file, or a link to one still to be made
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if (info is not None and not stat.S_ISREG(info.st_mode)) or str(path).startswith(_SPECIAL_FOLDERS):
        with open(path, "wb") as stream:
            stream.write(data)
        return
    with atomic_path(Path(os.path.realpath(path)) if path.is_symlink() else path) as tmp:
        tmp.write_bytes(data)
