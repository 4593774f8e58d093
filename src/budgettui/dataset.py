"""Export a corpus as a Hive-partitioned Parquet dataset, document after document.

    DIR/datapackage.json                      the resources, their files, Table Schemas, sources
    DIR/README.md                             what each resource and column is
    DIR/<resource>/year=<year>/part-<n>.parquet

One folder per resource, one folder per budget year (`year=__HIVE_DEFAULT_PARTITION__` for a
document whose year is unknown), and in it as few files as the rows allow: a part holds up to
FILE_ROWS rows, in row groups of up to ROW_GROUP_ROWS. The `year` column is the folder's, not
the files' (as Hive and Spark write it): DuckDB `read_parquet(..., hive_partitioning=true)`,
Polars `scan_parquet(..., hive_partitioning=True)` and Spark read it back as a column.

Documents are parsed in worker processes (`model.parse_all`, with the parse cache), checked one
at a time (the consistency rules look at one document), and their rows appended to the open
part of each resource and year as they come: memory holds one document and the rows waiting
for their row group, never the corpus. Rows keep the order of the documents, so the same
sources give the same bytes whatever the number of jobs. The folder is written beside DIR and
swapped in at the end, as a bundle is (`export.staged`).

Validation costs what the data costs, not what the files do (see `validate_dataset`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from budgettui import export, package, schema

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from budgettui.model import ParsedDocument

#: The partition column, and the folder name of a partition whose value is null.
PARTITION = "year"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
#: Rows per row group, and per file before the next part is begun.
ROW_GROUP_ROWS = 65_536
FILE_ROWS = 1_048_576
#: Rows waiting for their row group, over every resource and year, before the largest waiting
#: part is written (what bounds the memory: some 30 MB of rows).
BUFFERED_ROWS = 32_768
#: Whole documents whose rows frictionless validates (the first and the last).
SAMPLE_DOCUMENTS = 2

#: The documents' rows kept for datapackage.json are gathered into one frame every this many.
_COMPACT = 64

YEAR_FIELD: dict[str, Any] = {
    "name": PARTITION, "type": "integer", "title": "预算年度", "titleEn": "budget year",
    "description": "The document's budget year: the partition folder (year=…), not a column "
                   "of the files; Hive-partitioned readers add it",
    "columnType": "date:fiscal-year",
}


@dataclass(frozen=True, slots=True)
class DatasetSummary:
    """What a dataset export wrote."""

    path: Path
    documents: int
    resources: int
    files: int
    bytes: int
    replaced: str | None = None
    skipped: tuple[Any, ...] = ()
    duplicates: tuple[tuple[Path, Path], ...] = ()


# -- writing --------------------------------------------------------------------------------


def partition_value(year: int | None) -> str:
    """The folder name's value for a budget year (Hive's default partition for none)."""
    return NULL_PARTITION if year is None else str(year)


def arrow_schema(resource: schema.Resource) -> pa.Schema:
    """The files' schema: the resource's columns but the partition, Decimal128 amounts, titles
    and units in field metadata, the resource's descriptor in the schema's."""
    import pyarrow as pa

    fields = [pa.field(c.name, export._arrow_type(c), metadata=export._field_metadata(c))
              for c in resource.columns if c.name != PARTITION]
    item = package.resource_descriptor(resource, {resource.name})
    return pa.schema(fields, metadata={"datapackage.resource": json.dumps(item, ensure_ascii=False)})


@dataclass(slots=True)
class _Part:
    """The open file of one resource and year, and the rows waiting for its next row group."""

    folder: str
    number: int = 0
    writer: pq.ParquetWriter | None = None
    rows_in_file: int = 0
    waiting: list[pl.DataFrame] = field(default_factory=list)
    waiting_rows: int = 0


class Writer:
    """Appends each document's rows to the parts of a dataset folder, resource by resource."""

    def __init__(self, root: Path, names: Sequence[str]) -> None:
        self.root = root
        self.schemas = {name: arrow_schema(schema.resource(name)) for name in names}
        self.parts: dict[tuple[str, str], _Part] = {}
        #: Per resource, its files (relative to root) with their rows, in the order begun.
        self.files: dict[str, list[list[Any]]] = {name: [] for name in names}
        self.rows = dict.fromkeys(names, 0)
        self.waiting = 0
        self.first_partition: str | None = None

    def add(self, name: str, year: int | None, frame: pl.DataFrame) -> None:
        """One document's rows of a resource (all of one budget year)."""
        value = partition_value(year)
        self.first_partition = self.first_partition or value
        if frame.is_empty():
            return
        if PARTITION in frame.columns:
            frame = frame.drop(PARTITION)  # the folder's (the document's year, as this one)
        part = self.parts.setdefault((name, value), _Part(f"{name}/{PARTITION}={value}"))
        part.waiting.append(frame)
        part.waiting_rows += frame.height
        self.rows[name] += frame.height
        self.waiting += frame.height
        if part.waiting_rows >= ROW_GROUP_ROWS:
            self._flush(name, part)
        while self.waiting >= BUFFERED_ROWS:  # the largest first: small resources keep large row groups
            (resource, _), largest = max(self.parts.items(), key=lambda item: item[1].waiting_rows)
            self._flush(resource, largest)

    def _flush(self, name: str, part: _Part) -> None:
        """Write the waiting rows as row groups of the open file (a new one past FILE_ROWS)."""
        import pyarrow.parquet as pq

        if not part.waiting:
            return
        # one conversion for the documents waiting, not one per document
        table = pl.concat(part.waiting).to_arrow().cast(self.schemas[name])
        self.waiting -= part.waiting_rows
        part.waiting, part.waiting_rows = [], 0
        while table.num_rows:
            if part.writer is not None and part.rows_in_file >= FILE_ROWS:
                part.writer.close()
                part.writer, part.rows_in_file = None, 0
                part.number += 1
            if part.writer is None:
                path = f"{part.folder}/part-{part.number}.parquet"
                (self.root / part.folder).mkdir(parents=True, exist_ok=True)
                part.writer = pq.ParquetWriter(self.root / path, self.schemas[name], compression="zstd")
                self.files[name].append([path, 0])
            room = FILE_ROWS - part.rows_in_file
            piece, table = table.slice(0, room), table.slice(room)
            part.writer.write_table(piece, row_group_size=ROW_GROUP_ROWS)
            part.rows_in_file += piece.num_rows
            self.files[name][-1][1] += piece.num_rows

    def abort(self) -> None:
        """Close every open file without writing what waits (the export failed)."""
        for part in self.parts.values():
            if part.writer is not None:
                part.writer.close()
                part.writer = None

    def close(self) -> dict[str, list[tuple[str, int]]]:
        """Write what waits, close every file; a resource without rows gets one empty part (so
        that a reader finds its columns). Per resource: its files and their rows."""
        import pyarrow.parquet as pq

        for (name, _), part in self.parts.items():
            self._flush(name, part)
            if part.writer is not None:
                part.writer.close()
        for name, files in self.files.items():
            if not files:
                folder = f"{name}/{PARTITION}={self.first_partition or NULL_PARTITION}"
                (self.root / folder).mkdir(parents=True, exist_ok=True)
                pq.write_table(self.schemas[name].empty_table(), self.root / folder / "part-0.parquet",
                               compression="zstd")
                files.append([f"{folder}/part-0.parquet", 0])
        return {name: [(path, rows) for path, rows in files] for name, files in self.files.items()}


def document_frames(doc: ParsedDocument, names: Iterable[str]) -> dict[str, pl.DataFrame]:
    """One parsed document's resources as exported (`export.export_frame`): checked by the
    consistency rules, rows of paged sources citing their page, source paths as file names."""
    from budgettui.model import Budget, merge

    budget = merge([doc]) if doc.error is None else Budget(dict(doc.frames), checked=True)
    return {name: export.export_frame(budget, name) for name in names}


def write_dataset(root: Path, parsed: Iterable[ParsedDocument], names: Sequence[str],
                  step: export.Step = export._nothing) -> dict[str, Any]:
    """Write the parts of every document into `root`, then datapackage.json and README.md;
    return the descriptor. InputError when no document could be loaded."""
    from budgettui.model import _nothing_loaded

    writer = Writer(root, names)
    documents: list[pl.DataFrame] = []
    stamps: list[pl.DataFrame] = []  # what `package.created` reads of performance_targets
    skipped: list[Any] = []
    try:
        for doc in parsed:
            frames = document_frames(doc, {*names, "documents", "performance_targets"})
            year = frames["documents"]["year"][0]
            for name in names:
                writer.add(name, year, frames[name])
            documents.append(frames["documents"])
            stamps.append(frames["performance_targets"].select("doc_id", "fill_date", "fill_time").unique(
                maintain_order=True))
            if doc.error is not None:
                skipped.append(doc.error)
            if len(documents) >= _COMPACT:  # a frame per document costs more than its row
                documents, stamps = [pl.concat(documents)], [pl.concat(stamps)]
            step(doc.doc_id)
    except BaseException:
        writer.abort()
        raise
    if not documents or len(skipped) == len(documents):
        raise _nothing_loaded((), skipped)
    files = writer.close()
    descriptor = dataset_descriptor(root, pl.concat(documents), pl.concat(stamps), files)
    _write_json(root / "datapackage.json", descriptor)
    readable = {**descriptor, "resources": [{**item, "path": f"{item['name']}/**/*.parquet"}
                                            for item in descriptor["resources"]]}
    (root / "README.md").write_text(package.readme(readable, writer.rows), encoding="utf-8")
    return descriptor


def dataset_descriptor(root: Path, documents: pl.DataFrame, targets: pl.DataFrame,
                       files: dict[str, list[tuple[str, int]]]) -> dict[str, Any]:
    """datapackage.json of a dataset: each resource's `path` lists its files (a multipart
    resource), `parts` gives each file's rows, bytes and sha256."""
    meta = package.package_descriptor(documents, targets, package.bundle_name(documents), ("parquet",))
    meta[package.MARKER]["dataset"] = {"partitioning": "hive", "partitionBy": [PARTITION],
                                       "nullPartition": NULL_PARTITION}
    included, resources = set(files), []
    for name, parts in files.items():
        item = package.resource_descriptor(schema.resource(name), included)
        table_schema = item.pop("schema")
        if PARTITION not in (f["name"] for f in table_schema["fields"]):
            table_schema["fields"].append(dict(YEAR_FIELD))
        item["path"] = [path for path, _ in parts]
        item["format"] = "parquet"
        item["mediatype"] = package.MEDIATYPES["parquet"]
        item["rows"] = sum(rows for _, rows in parts)
        item["parts"] = [{"path": path, "rows": rows, **_file_facts(root / path)} for path, rows in parts]
        item["schema"] = table_schema
        resources.append(item)
    return {**meta, "resources": resources}


def _file_facts(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"bytes": size, "hash": "sha256:" + digest.hexdigest()}


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# -- the export -----------------------------------------------------------------------------


def parsed_documents(sources: Sequence[str | Path], jobs: int | None, cache: bool,
                     duplicates: list[tuple[Path, Path]]) -> Generator[ParsedDocument, None, None]:
    """The sources' documents parsed (in worker processes, through the cache), in order, each
    loaded once (a repeat is listed in `duplicates`), as `budgettui.load` reads them."""
    from budgettui.model import parse_documents
    from budgettui.sources import expand_sources

    return parse_documents(expand_sources(list(sources)), jobs, cache, duplicates)


def export_dataset(sources: Sequence[str | Path], target: Path, tables: Iterable[str] | None = None,
                   force: bool = False, jobs: int | None = None, cache: bool = True,
                   step: export.Step = export._nothing, validate: bool = True) -> DatasetSummary:
    """Parse the sources and write them as a dataset into `target` (see the module docstring),
    validated, atomically. ExportError for a target that is not ours or a bad --table,
    InputError when no document could be loaded, ValidationFailed when the dataset is not valid
    (the previous one is kept)."""
    from budgettui.sources import expand_sources

    names = export.resource_names(tables)
    paths = expand_sources(list(sources))
    target = export.resolved_target(target)
    duplicates: list[tuple[Path, Path]] = []
    skipped: list[Any] = []
    with export.staged(target, force, [str(p) for p in paths]) as stage:
        root = stage.folder
        with closing(parsed_documents(paths, jobs, cache, duplicates)) as parsed:  # stops the workers
            descriptor = write_dataset(root, _keep_skipped(parsed, skipped), names, step)
        if validate:
            step("validating")
            errors = validate_dataset(root)
            if errors:
                raise export.ValidationFailed(errors)
        count = sum(len(item["parts"]) for item in descriptor["resources"])
        size = sum(p["bytes"] for item in descriptor["resources"] for p in item["parts"])
    return DatasetSummary(target, len(descriptor["sources"]), len(names), count, size, stage.replaced,
                          tuple(skipped), tuple(duplicates))


def _keep_skipped(parsed: Iterable[ParsedDocument], skipped: list[Any]) -> Iterator[ParsedDocument]:
    for doc in parsed:
        if doc.error is not None:
            skipped.append(doc.error)
        yield doc


# -- reading and validation -----------------------------------------------------------------


def scan(root: Path, name: str) -> pl.LazyFrame:
    """One resource of a dataset as Polars reads it (the partition column added)."""
    return pl.scan_parquet(root / name / "**" / "*.parquet", hive_partitioning=True)


def validate_dataset(root: Path, limit: int = 10) -> list[str]:
    """Validate a dataset; return the first `limit` errors as one-line messages (empty: valid).

    Every file is checked against datapackage.json (rows, bytes, sha256 and its Parquet schema,
    from the footer); every row of each resource against its keys, with Polars (primary key
    present and unique, foreign keys found: a join, linear in the rows); the descriptor and the
    rows of SAMPLE_DOCUMENTS whole documents (first and last) by frictionless, inline: types,
    constraints, primary and foreign keys. Frictionless reads rows one by one in Python, so it
    sees a sample; what it would find over all rows is what the Polars checks look at."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    errors = _file_errors(root, descriptor)
    if errors:
        return errors[:limit]
    errors = _key_errors(root, descriptor)  # the sample's rows would repeat what these say
    return (errors or _frictionless_errors(root, descriptor))[:limit]


def _file_errors(root: Path, descriptor: dict[str, Any]) -> list[str]:
    import pyarrow.parquet as pq

    errors = []
    for item in descriptor["resources"]:
        expected = arrow_schema(schema.resource(item["name"]))
        for part in item["parts"]:
            path = root / part["path"]
            try:
                facts = _file_facts(path)
            except OSError as exc:
                errors.append(f"{part['path']}: {exc.strerror or exc}")
                continue
            if facts["hash"] != part["hash"] or facts["bytes"] != part["bytes"]:
                errors.append(f"{part['path']}: hash or size differs from datapackage.json")
                continue
            try:
                footer = pq.read_schema(path)
                rows = pq.read_metadata(path).num_rows
            except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
                errors.append(f"{part['path']}: not a Parquet file ({exc})")
                continue
            if rows != part["rows"]:
                errors.append(f"{part['path']}: {rows} rows, datapackage.json says {part['rows']}")
            if not footer.equals(expected):
                errors.append(f"{part['path']}: its columns differ from the resource's schema")
        if item["path"] != [p["path"] for p in item["parts"]]:
            errors.append(f"{item['name']}: path and parts list different files")
    return errors


def _key_errors(root: Path, descriptor: dict[str, Any]) -> list[str]:
    """Primary keys present and unique, foreign keys found, over every row (Polars)."""
    errors = []
    included = {item["name"] for item in descriptor["resources"]}
    for item in descriptor["resources"]:
        resource = schema.resource(item["name"])
        frame = scan(root, item["name"])
        key = list(resource.primary_key)
        if key:
            nulls, repeated = _key_counts(frame, key)
            if nulls:
                errors.append(f"{item['name']}: {nulls} rows without their key {', '.join(key)}")
            if repeated:
                errors.append(f"{item['name']}: {repeated} rows repeat a key {', '.join(key)}")
        for fk in resource.foreign_keys:
            if fk.resource not in included:
                continue
            fields, reference = list(fk.fields), list(fk.reference)
            rows = frame.select(fields).drop_nulls()
            other = scan(root, fk.resource).select(reference).unique()
            missing = rows.join(other, left_on=fields, right_on=reference, how="anti").select(pl.len())
            count = missing.collect(engine="streaming").item()
            if count:
                errors.append(f"{item['name']}: {count} rows whose {', '.join(fields)} are not in "
                              f"{fk.resource}")
    return errors


def _key_counts(frame: pl.LazyFrame, key: list[str]) -> tuple[int, int]:
    """Rows without their key, and rows repeating one. Read in batches, each row reduced to a
    64-bit hash of its key: memory for the hashes, not the keys; only when hashes repeat (a
    repeated key, or a collision) are the keys themselves compared."""
    hashed = frame.select(
        pl.any_horizontal(pl.col(c).is_null() for c in key).alias("null"),
        pl.struct(key).hash().alias("hash"),
    ).collect(engine="streaming")
    nulls = int(hashed["null"].sum())
    if hashed["hash"].n_unique() == hashed.height:
        return nulls, 0
    exact = frame.select(pl.len() - pl.struct(key).n_unique()).collect(engine="streaming").item()
    return nulls, int(exact)


def _frictionless_errors(root: Path, descriptor: dict[str, Any]) -> list[str]:
    """The descriptor and the rows of the sampled documents, validated by frictionless."""
    from frictionless import Package

    doc_ids = [source["docId"] for source in descriptor["sources"]]
    sample = list(dict.fromkeys(doc_ids[:1] + doc_ids[-(SAMPLE_DOCUMENTS - 1):]))
    resources = []
    for item in descriptor["resources"]:
        names = [f["name"] for f in item["schema"]["fields"]]
        rows = scan(root, item["name"]).filter(pl.col("doc_id").is_in(sample)).select(names).collect()
        inline = {k: v for k, v in item.items() if k not in ("path", "format", "mediatype", "rows", "parts")}
        inline["data"] = [names, *(list(row) for row in rows.iter_rows())]
        resources.append(inline)
    report = Package({**descriptor, "resources": resources}).validate()
    errors = [f"datapackage.json: {e.message}" for e in report.errors]
    for task in report.tasks:
        errors += [f"{task.name}: {e.message}" for e in task.errors]
    described = Package.validate_descriptor(descriptor)
    errors += [f"datapackage.json: {e.message}" for e in described.errors]
    return errors


def read_dataset(root: Path) -> dict[str, pl.DataFrame]:
    """Every resource of a dataset, read back (for tests and small datasets)."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return {item["name"]: scan(root, item["name"]).collect() for item in descriptor["resources"]}


__all__ = ["NULL_PARTITION", "PARTITION", "DatasetSummary", "Writer", "export_dataset", "read_dataset",
           "scan", "validate_dataset", "write_dataset"]
