"""Export a Budget as an open-data bundle, or one table to a stream.

A bundle is a folder::

    datapackage.json      Frictionless Data Package (Table Schemas, keys, hashes, FDP meaning)
    README.md             what each resource and column is (from schema.py)
    csv/<name>.csv        UTF-8, header row, amounts as printed, empty cell for null
    json/<name>.json      array of records, amounts as strings; json/<name>.schema.json
    ndjson/<name>.ndjson  one record per line (when asked)
    parquet/<name>.parquet  zstd, Decimal128 amounts, descriptions and units in field metadata

It is written to a temporary folder beside the target, validated with frictionless, and
only then renamed into place, so an error, an invalid bundle or Ctrl-C leaves the previous
bundle as it was. The swap is atomic (renameat2 RENAME_EXCHANGE where the platform has it,
else under a lock file beside the target), and temporaries a killed export left behind are
removed by the next export to the same place. Output is deterministic: rows in document order
(as `budgettui show` prints them), no clock anywhere.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, BinaryIO

import polars as pl

from budgettui import fiscal, package, schema
from budgettui.atomic import usual_mode
from budgettui.output import render

if TYPE_CHECKING:
    from budgettui.model import Budget

FORMATS = ("parquet", "csv", "json", "ndjson")
DEFAULT_FORMATS = ("parquet", "csv", "json")
#: Cells a spreadsheet would run as a formula when they start with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@")

Step = Callable[[str], None]


class ExportError(Exception):
    """Bad usage or an unwritable target (exit 2)."""


class ValidationFailed(Exception):
    """The written bundle is not a valid Data Package (exit 1); `errors` lists the first."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0] if errors else "invalid bundle")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Summary:
    """What a bundle export wrote."""

    path: Path
    resources: int
    formats: int
    files: int
    bytes: int
    #: What the target held before (a bundle's sources, or "a folder"), None when it was new.
    replaced: str | None = None


def _nothing(_: str) -> None:
    """A progress step that shows nothing."""


# -- options --------------------------------------------------------------------------------


def parse_formats(text: str) -> tuple[str, ...]:
    """`parquet,csv` → ("parquet", "csv"), in the order given, without repeats."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ExportError(f"unknown format {', '.join(unknown) or repr(text)}; use {', '.join(FORMATS)}")
    return formats


def resource_names(tables: Iterable[str] | None) -> list[str]:
    """The resources to export, in schema order (all of them when `tables` is empty)."""
    wanted = list(dict.fromkeys(tables or []))
    unknown = [t for t in wanted if t not in schema.BY_NAME]
    if unknown:
        raise ExportError(f"unknown table {unknown[0]!r}; known: {', '.join(schema.BY_NAME)}")
    return [r.name for r in schema.RESOURCES if not wanted or r.name in wanted]


# -- frames ---------------------------------------------------------------------------------


def export_frame(budget: Budget, name: str) -> pl.DataFrame:
    """A resource as exported: source paths reduced to file names, rows in document order
    (as `budgettui show` prints them; the order is as deterministic as the documents)."""
    frame = budget[name]
    if name == "documents":
        frame = frame.with_columns(
            pl.col("source_path").map_elements(lambda p: PurePath(p).name, return_dtype=pl.String)
        )
    return frame


# -- one file -------------------------------------------------------------------------------


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix `'` to text cells a spreadsheet would run as formulas (numbers are untouched)."""
    pattern = r"^[\t\r]*[=+\-@]"  # FORMULA_PREFIXES, also behind leading tabs or CRs
    texts = [n for n, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(n).str.contains(pattern)).then(pl.lit("'") + pl.col(n)).otherwise(pl.col(n)).alias(n)
        for n in texts
    )


def csv_bytes(frame: pl.DataFrame, excel: bool = False) -> bytes:
    """CSV as UTF-8; for Excel with a BOM and formulas neutralised."""
    if excel:
        return b"\xef\xbb\xbf" + render(neutralise_formulas(frame), "csv").encode()
    return render(frame, "csv").encode()


_ARROW_TYPES = {"string": "string", "integer": "int64", "date": "date32", "boolean": "bool"}


def _arrow_type(column: schema.Column) -> Any:
    import pyarrow as pa

    if column.type in ("money", "number"):
        dtype = column.dtype
        return pa.decimal128(dtype.precision, dtype.scale)  # type: ignore[attr-defined]
    return pa.type_for_alias(_ARROW_TYPES[column.type])


def _field_metadata(column: schema.Column) -> dict[str, str]:
    meta = {"title": column.zh, "title_en": column.en, "type": column.type}
    if column.description:
        meta["description"] = column.description
    if column.unit:
        meta["unit"] = column.unit
        meta["factor_to_yuan"] = str(fiscal.FACTORS[column.unit])
    return meta


def parquet_bytes(frame: pl.DataFrame, resource: schema.Resource, metadata: dict[str, str]) -> bytes:
    """Parquet (zstd) with Decimal128 amounts, column metadata and the package metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = [pa.field(c.name, _arrow_type(c), metadata=_field_metadata(c)) for c in resource.columns]
    table = frame.to_arrow().cast(pa.schema(fields, metadata=metadata))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def file_bytes(frame: pl.DataFrame, resource: schema.Resource, fmt: str, excel: bool,
               metadata: dict[str, str]) -> bytes:
    """One resource in one format."""
    if fmt == "parquet":
        return parquet_bytes(frame, resource, metadata)
    if fmt == "csv":
        return csv_bytes(frame, excel)
    return render(frame, fmt).encode()


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()


# -- the bundle -----------------------------------------------------------------------------


def _file_entry(fmt: str, path: str, data: bytes, excel: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": path, "format": fmt, "mediatype": package.MEDIATYPES[fmt]}
    if fmt != "parquet":
        entry["encoding"] = "utf-8-sig" if excel and fmt == "csv" else "utf-8"
    entry["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    entry["bytes"] = len(data)
    return entry


def _canonical(formats: tuple[str, ...]) -> str:
    return next(f for f in package.CANONICAL_ORDER if f in formats)


def _metadata(meta: dict[str, Any], item: dict[str, Any]) -> dict[str, str]:
    return {"datapackage": json.dumps(meta, ensure_ascii=False),
            "datapackage.resource": json.dumps(item, ensure_ascii=False)}


def write_files(root: Path, budget: Budget, names: list[str], formats: tuple[str, ...],
                excel: bool = False, step: Step = _nothing) -> dict[str, Any]:
    """Write every file of a bundle into `root`; return the datapackage descriptor."""
    frames = {name: export_frame(budget, name) for name in names}
    meta = package.package_descriptor(budget["documents"], budget["performance_targets"],
                                      package.bundle_name(budget["documents"]), formats)
    if excel:
        meta[package.MARKER]["excel"] = True
    canonical, included, resources = _canonical(formats), set(names), []
    for name in names:
        resource = schema.resource(name)
        item = package.resource_descriptor(resource, included)
        entries = {}
        for fmt in formats:
            path = f"{fmt}/{name}.{fmt}"
            data = file_bytes(frames[name], resource, fmt, excel, _metadata(meta, item))
            _write(root / path, data)
            entries[fmt] = _file_entry(fmt, path, data, excel)
            step(path)
        if "json" in formats or "ndjson" in formats:
            _write(root / f"json/{name}.schema.json", _json_bytes(package.json_schema(resource)))
        resources.append(_with_files(item, entries, canonical))
    descriptor = {**meta, "resources": resources}
    _write(root / "datapackage.json", _json_bytes(descriptor))
    rows = {name: frame.height for name, frame in frames.items()}
    _write(root / "README.md", package.readme(descriptor, rows).encode())
    return descriptor


def _with_files(item: dict[str, Any], entries: dict[str, dict[str, Any]], canonical: str) -> dict:
    """The resource descriptor with its canonical file, the others as `alternates`."""
    schema_part = item.pop("schema")
    item.update(entries[canonical])
    alternates = [entry for fmt, entry in entries.items() if fmt != canonical]
    for entry in alternates:
        if entry["format"] in ("json", "ndjson"):
            entry["jsonSchema"] = f"json/{item['name']}.schema.json"
    if alternates:
        item["alternates"] = alternates
    item["schema"] = schema_part
    return item


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def is_bundle(path: Path) -> bool:
    """Whether `path` is a folder holding a datapackage.json that budgettui wrote."""
    descriptor = path / "datapackage.json"
    try:
        data = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and package.MARKER in data


def check_target(target: Path, force: bool, sources: Iterable[str]) -> None:
    """Refuse a target that is not ours (without --force) or that holds what we read or run in."""
    resolved = target.resolve()
    cwd, home = Path.cwd().resolve(), Path.home().resolve()
    if resolved in (cwd, home, Path(resolved.anchor)) or resolved in cwd.parents:
        raise ExportError(f"{target}: refusing to replace the current, home or root folder")
    for source in sources:
        if Path(source).resolve().is_relative_to(resolved):
            raise ExportError(f"{target}: refusing to replace a folder holding the source {source}")
    try:  # one stat: another export may be swapping the folder in or out at this moment
        mode: int | None = target.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    if mode is not None and not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise ExportError(f"{target}: a FIFO, device or socket, not a folder; a bundle is a folder")
    if force:
        return
    for _ in range(3):  # looked at again: another export may have been swapping it just then
        if not (target.exists() or target.is_symlink()) or is_bundle(target):
            return
        try:
            if target.is_dir() and not any(target.iterdir()):
                return
        except FileNotFoundError:
            continue
    raise ExportError(f"{target} exists and is not a budgettui bundle; use --force to replace it")


_AT_FDCWD = -100
_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """renameat2(2) through ctypes: True when done, False when the platform or file system
    does not have it; OSError (EEXIST …) otherwise."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if call(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(target))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _replace(tmp: Path, target: Path) -> None:
    """Move the finished bundle into place, atomically: the target never goes missing, and a
    second export racing for it cannot strand either bundle. The old one is removed after."""
    try:
        if _renameat2(tmp, target, _RENAME_NOREPLACE):
            return
    except FileExistsError:
        if _renameat2(tmp, target, _RENAME_EXCHANGE):  # tmp now holds the previous bundle
            _remove(tmp)
            return
    with _locked(target):
        _replace_locked(tmp, target)


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """An exclusive lock on `.NAME.lock` beside the target (where renameat2 is missing)."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): renames are all there is
        yield
        return
    lock = target.parent / f".{target.name}.lock"
    while True:
        with open(lock, "a") as stream:
            fcntl.flock(stream, fcntl.LOCK_EX)
            try:
                if os.fstat(stream.fileno()).st_ino != os.stat(lock).st_ino:
                    continue  # the holder before us removed it: lock the new one
            except FileNotFoundError:
                continue
            try:
                yield
            finally:
                lock.unlink(missing_ok=True)
            return


def _replace_locked(tmp: Path, target: Path) -> None:
    if not (target.exists() or target.is_symlink()):
        os.rename(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    with suppress(FileNotFoundError):  # a concurrent export's remove_stale took it: the name is free
        os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        os.rename(old, target)
        raise
    _remove(old)


def _temporaries(target: Path) -> re.Pattern[str]:
    """The names of the temporary folders an export to `target` makes (mkdtemp's)."""
    return re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.(tmp|old)")


def _hold(folder: Path) -> Any:
    """Lock a temporary folder as in use (flock on its descriptor, released when the process
    ends however it ends); the returned descriptor is closed when the export is done."""
    try:
        import fcntl
    except ImportError:
        return None
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _new_temporary(target: Path) -> tuple[Path, Any]:
    """A new temporary folder next to `target`, held (see `_hold`). A concurrent export's
    `remove_stale` may take it for stale between its creation and its lock: then another."""
    while True:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        try:
            held = _hold(tmp)
        except FileNotFoundError:  # removed before it was opened
            continue
        if held is None:
            return tmp, held
        try:
            if os.path.samestat(os.fstat(held), os.stat(tmp)):
                return tmp, held
        except OSError:  # removed before it was held
            pass
        os.close(held)


def remove_stale(target: Path) -> list[Path]:
    """Remove the temporary folders of earlier exports to `target` that no running export
    holds (a SIGKILL leaves them behind); return those removed."""
    try:
        import fcntl
    except ImportError:
        return []
    pattern, removed = _temporaries(target), []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        if not pattern.fullmatch(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        try:
            fd = os.open(entry, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: an export is writing it now
            os.close(fd)
            continue
        shutil.rmtree(entry, ignore_errors=True)
        os.close(fd)
        removed.append(entry)
    return removed


def _previous(target: Path) -> str | None:
    """What the target holds before it is replaced, in words (None when there is nothing)."""
    if not (target.exists() or target.is_symlink()):
        return None
    try:
        descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
        names = [s.get("path") or s.get("title") for s in descriptor.get("sources", [])]
        return "a bundle of " + ", ".join(str(n) for n in names) if names else "a bundle"
    except (OSError, ValueError, AttributeError, TypeError):
        return "a folder" if target.is_dir() else "a file"


@dataclass(slots=True)
class Stage:
    """The temporary folder an export writes into; `replaced` is what the target held before
    (set once the folder has been moved into place)."""

    folder: Path
    replaced: str | None = None


@contextmanager
def staged(target: Path, force: bool, sources: Iterable[str]) -> Iterator[Stage]:
    """A temporary folder beside `target` (a resolved path: no symbolic link) to write an export
    into, moved into place atomically when the block ends without an error, removed otherwise.
    Refuses a target that is not ours (see `check_target`) and removes stale temporaries."""
    check_target(target, force, sources)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target)
        tmp, held = _new_temporary(target)
    except OSError as exc:
        raise ExportError(f"{target}: {exc.strerror or exc}") from None
    os.chmod(tmp, usual_mode(folder=True))  # the bundle is published: not private like mkdtemp's
    stage = Stage(tmp)
    try:
        yield stage
        stage.replaced = _previous(target)
        _replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if held is not None:
            os.close(held)


def resolved_target(target: Path) -> Path:
    """A target that is a symbolic link is followed: what it points to is replaced, the link kept."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def export_bundle(budget: Budget, target: Path, formats: tuple[str, ...] = DEFAULT_FORMATS,
                  tables: Iterable[str] | None = None, excel: bool = False, force: bool = False,
                  step: Step = _nothing, validate: bool = True) -> Summary:
    """Write, validate and move a bundle into `target` (see the module docstring). A target
    that is a symbolic link is followed: the bundle it points to is replaced, the link kept."""
    names = resource_names(tables)
    target = resolved_target(target)
    with staged(target, force, budget["documents"]["source_path"]) as stage:
        tmp = stage.folder
        write_files(tmp, budget, names, formats, excel, step)
        if validate:
            step("validating")
            errors = validate_bundle(tmp)
            if errors:
                raise ValidationFailed(errors)
        size = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
        files = sum(1 for f in tmp.rglob("*") if f.is_file())
    return Summary(target, len(names), len(formats), files, size, stage.replaced)


# -- validation -----------------------------------------------------------------------------


def validate_bundle(root: Path, limit: int = 10) -> list[str]:
    """Validate a bundle with frictionless (in-process) and check every alternate file's hash
    and size; return the first `limit` errors as one-line messages (empty when valid)."""
    from frictionless import Package

    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    errors = _file_errors(root, descriptor)
    descriptor = _inline_rows(root, descriptor)
    report = Package(descriptor, basepath=str(root)).validate()
    errors += [f"datapackage.json: {e.message}" for e in report.errors]
    for task in report.tasks:
        errors += [f"{task.name}: {e.message}" for e in task.errors]
    return errors[:limit]


def _file_errors(root: Path, descriptor: dict[str, Any]) -> list[str]:
    """Every file (canonical and alternates) against the hash and size it is listed with."""
    errors = []
    for resource in descriptor["resources"]:
        for entry in [resource, *resource.get("alternates", [])]:
            try:
                data = (root / entry["path"]).read_bytes()
            except OSError as exc:
                errors.append(f"{entry['path']}: {exc.strerror or exc}")
                continue
            if entry["hash"] != "sha256:" + hashlib.sha256(data).hexdigest() or entry["bytes"] != len(data):
                errors.append(f"{entry['path']}: hash or size differs from datapackage.json")
    return errors


def _inline_rows(root: Path, descriptor: dict[str, Any]) -> dict[str, Any]:
    """Resources whose canonical file frictionless cannot read without extra plugins
    (frictionless[json], frictionless[parquet]) are validated through their rows, inline."""
    resources = []
    for resource in descriptor["resources"]:
        if resource.get("format") != "csv":
            names = [field["name"] for field in resource["schema"]["fields"]]
            header, rows = _read_rows(root / resource["path"], resource["format"], names)
            resource = {k: v for k, v in resource.items()
                        if k not in ("path", "format", "mediatype", "encoding", "hash", "bytes")}
            resource["data"] = [header, *rows]
        resources.append(resource)
    return {**descriptor, "resources": resources}


def _read_rows(path: Path, fmt: str, names: list[str]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of a json, ndjson or parquet file of a bundle (`names` if empty)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        return table.column_names, [list(row.values()) for row in table.to_pylist()]
    text = path.read_text(encoding="utf-8")
    # ndjson: records end at "\n" only (U+2028, U+0085 … inside a value are not line ends)
    records = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.split("\n") if line]
    header = list(records[0]) if records else names
    return header, [list(record.values()) for record in records]


# -- streaming ------------------------------------------------------------------------------


def stream_table(budget: Budget, name: str, fmt: str, out: BinaryIO, excel: bool = False) -> None:
    """Write one resource in one format to a binary stream (stdout)."""
    resource = schema.resource(name)
    frame = export_frame(budget, name)
    meta = package.package_descriptor(budget["documents"], budget["performance_targets"],
                                      package.bundle_name(budget["documents"]), (fmt,))
    item = package.resource_descriptor(resource, {name})
    out.write(file_bytes(frame, resource, fmt, excel, _metadata(meta, item)))
    out.flush()


# -- progress -------------------------------------------------------------------------------


@contextmanager
def progress(enabled: bool, total: int) -> Iterator[Step]:
    """A Rich progress bar on stderr advanced once per step, or a no-op when not enabled."""
    if not enabled:
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("exporting", total=total)

        def step(label: str) -> None:
            bar.update(task, advance=1, description=label)

        yield step


__all__ = ["DEFAULT_FORMATS", "FORMATS", "ExportError", "Summary", "ValidationFailed",
           "export_bundle", "export_frame", "is_bundle", "parse_formats", "resource_names",
           "stream_table", "validate_bundle"]
