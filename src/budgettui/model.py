"""The Budget: one Polars DataFrame per resource, built from one or more source documents."""

from __future__ import annotations

import gc
import io
import pickle
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from budgettui import schema
from budgettui.cache import cache_dir, entry_path, file_sha256, limit_bytes, prune, read_entry, write_entry
from budgettui.jobs import default_jobs
from budgettui.parsed import Checks, ParsedDocument
from budgettui.sources import (
    DocumentText,
    InputError,
    Line,
    SourceText,
    expand_sources,
    locate,
    read_source,
)

if TYPE_CHECKING:
    from budgettui.document import Document
    from budgettui.tables import Row



class Budget:
    """All resources of the loaded documents; `budget["projects"]` is a polars.DataFrame.

    `skipped` lists the sources that could not be loaded (each also a `documents` row without
    lines and a `parse.unreadable` finding). The consistency checks run the first time
    `findings` is asked for, so work that never looks at them does not pay for them.
    """

    def __init__(self, frames: dict[str, pl.DataFrame],
                 texts: Mapping[str, DocumentText | list[Line]] | None = None,
                 skipped: tuple[InputError, ...] = (), checked: bool = True,
                 pages: dict[str, tuple[int, ...]] | None = None,
                 checks: Mapping[str, Checks] | None = None,
                 packed: Mapping[str, Packed] | None = None) -> None:
        self._frames = frames
        #: Resources kept compressed until first asked for (see PACKED).
        self._packed = dict(packed or {})
        #: Per document its lines, kept compactly (Line objects are made when asked for).
        self._texts = {doc: text if isinstance(text, DocumentText) else DocumentText.of(t.text for t in text)
                       for doc, text in (texts or {}).items()}
        self.skipped = skipped
        #: Sources not loaded because they repeat an earlier one byte for byte: (path, first).
        self.duplicates: tuple[tuple[Path, Path], ...] = ()
        self._checked = checked
        #: Per document with pages, the line number of each page's first line.
        self._pages = {doc: starts for doc, starts in (pages or {}).items() if starts}
        self._public: dict[str, pl.DataFrame] = {}
        self._parts: dict[str, dict[str, pl.DataFrame]] = {}
        #: The parsers' findings alone (what the consistency rules start from), lines counted
        #: from the start of the document.
        self.parsed_findings = frames["findings"]
        #: Per document, the checks run where it was parsed (a worker, or the cache): the rules
        #: do not run on it again (checks.check_budget).
        self.stored_checks: dict[str, Checks] = dict(checks or {})

    def __getitem__(self, name: str) -> pl.DataFrame:
        """A resource; for paged sources each row cites `source_page` and its line there."""
        frame = self.frame(name)
        if not self._pages or "source_line" not in frame.columns:
            return frame
        if name not in self._public:
            self._public[name] = paginate(frame, self._pages)
        return self._public[name]

    def frame(self, name: str) -> pl.DataFrame:
        """A resource with `source_line` counted from the start of its document (what the
        consistency rules and `source_lines` use)."""
        schema.resource(name)  # a clear KeyError for unknown names
        if name == "findings" and not self._checked:
            self._checked = True
            self._frames["findings"] = _with_checks(self)
        if name in self._packed:
            self._frames[name] = self._packed.pop(name).frame()
        return self._frames[name]

    def cite(self, rows: list[Row]) -> list[Row]:
        """Rows (e.g. findings) with `source_page` set and `source_line` counted in its page."""
        for row in rows:
            starts = self._pages.get(row.get("doc_id") or "")
            if starts and row.get("source_line") is not None and row.get("source_page") is None:
                row["source_page"], row["source_line"] = locate(starts, row["source_line"])
            row.setdefault("source_page", None)
        return rows

    def pages(self, doc_id: str) -> tuple[int, ...]:
        """The first line of each page of a document (empty when it has no pages)."""
        return self._pages.get(doc_id, ())

    def document_line(self, doc_id: str, line: int, page: int | None = None) -> int:
        """The line counted from the start of the document, from a page and its line there."""
        starts = self._pages.get(doc_id, ())
        if page is None or not starts or not 1 <= page <= len(starts):
            return line
        return starts[page - 1] + line - 1

    def by_document(self, name: str) -> dict[str, pl.DataFrame]:
        """A resource (as `frame` gives it; "findings": the parsers' findings) split by document,
        once: what the consistency rules read, document after document."""
        if name not in self._parts:
            frame = self.parsed_findings if name == "findings" else self.frame(name)
            documents = self._frames["documents"]
            if documents.height == 1:  # one document (as a worker checks it): no split
                self._parts[name] = {documents["doc_id"][0]: frame} if frame.height else {}
            else:
                self._parts[name] = _split(frame)
        return self._parts[name]

    def __contains__(self, name: object) -> bool:
        return name in self._frames or name in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self.resources)

    @property
    def resources(self) -> list[str]:
        """Resource names in schema order."""
        return [r.name for r in schema.RESOURCES]

    def source_lines(self, doc_id: str, first: int, last: int | None = None,
                     page: int | None = None) -> list[Line]:
        """The document's lines `first`…`last` (1-based, inclusive), to show next to a row;
        with `page`, the lines are counted within that page (as rows of paged sources cite them)."""
        text = self._texts.get(doc_id)
        if text is None:
            return []
        start = self.document_line(doc_id, first, page)
        end = self.document_line(doc_id, last or first, page)
        return text.lines(range(len(text))[max(start, 1) - 1 : end])

    def page_lines(self, doc_id: str, page: int) -> list[Line]:
        """Every line of one page of a document, as extracted."""
        starts = self._pages.get(doc_id, ())
        if not 1 <= page <= len(starts):
            return []
        text = self._texts.get(doc_id)
        if text is None:
            return []
        end = starts[page] - 1 if page < len(starts) else len(text)
        return text.lines(range(len(text))[starts[page - 1] - 1 : end])

    def height(self, name: str) -> int:
        """The rows of a resource, without unpacking it (findings: the parsers' alone until the
        checks have run)."""
        packed = self._packed.get(name)
        return packed.height if packed is not None else self._frames[name].height

    def describe(self, name: str) -> pl.DataFrame:
        """Each column of the resource `name`: its title (Chinese and English), type and unit,
        from schema.py."""
        return describe(name)

    def __repr__(self) -> str:
        # findings are left out: their count grows when the checks first run
        counts = ", ".join(f"{n}={self.height(n)}" for n in self.resources if n != "findings")
        return f"Budget({counts})"


def describe(name: str) -> pl.DataFrame:
    """The columns of a resource: name, title, title_en, type, unit and description."""
    columns = schema.resource(name).columns
    return pl.DataFrame(
        {"column": [c.name for c in columns], "title": [c.zh for c in columns],
         "title_en": [c.en for c in columns], "type": [c.type for c in columns],
         "unit": [c.unit for c in columns], "description": [c.description for c in columns]},
        schema={k: pl.String for k in ("column", "title", "title_en", "type", "unit", "description")},
    )


def _split(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The frame's rows per doc_id: slices (no copy) when each document's rows are together, as
    `merge` leaves them; else partitions."""
    if frame.is_empty():
        return {}
    runs = frame.get_column("doc_id").rle()
    doc_ids = runs.struct.field("value").to_list()
    if len(set(doc_ids)) < len(doc_ids):
        return {key[0]: part for key, part in  # type: ignore[misc]
                frame.partition_by("doc_id", as_dict=True, maintain_order=True).items()}
    parts, at = {}, 0
    for doc_id, length in zip(doc_ids, runs.struct.field("len").to_list(), strict=True):
        parts[doc_id] = frame.slice(at, length)
        at += length
    return parts


#: Fewer documents than this to parse (text ones) are parsed in this process: starting worker
#: processes (each imports Polars and the parsers) costs more than it saves on a few.
PARALLEL_MINIMUM = 4


def load(*sources: str | Path, jobs: int | None = None, cache: bool = True) -> Budget:
    """Load files and folders (none: the bundled sample) into one Budget.

    Documents parse in `jobs` worker processes (default: the cores this process may use; a
    single document, or a few text ones, parse here), each the same whatever `jobs` is. With
    `cache`, a document parsed before (the same bytes, name and parser) is read from the cache
    (see budgettui.cache) instead.

    A source that cannot be loaded (empty, binary, not a budget disclosure …) does not stop
    the others: it is listed in `Budget.skipped`, as a `documents` row and as a
    `parse.unreadable` finding. A source with the bytes of one loaded before is loaded once:
    it is listed in `Budget.duplicates` with a UserWarning. InputError when a path does not
    exist, a folder holds no documents, or no document at all could be loaded.
    """
    paths = expand_sources(list(sources))
    duplicates: list[tuple[Path, Path]] = []
    try:
        return _load(paths, sources, jobs, cache, duplicates)
    finally:
        for path, first in duplicates:
            warnings.warn(f"{path}: the same document as {first} (same sha256); loaded once",
                          stacklevel=2)


def _load(paths: list[Path], sources: Sequence[str | Path], jobs: int | None, cache: bool,
          duplicates: list[tuple[Path, Path]]) -> Budget:
    """load: a corpus (several files) loaded before is read back whole from the cache
    (budgettui.snapshot); else its documents are parsed or read from their own entries, merged,
    and the corpus stored for next time."""
    digests = [file_sha256(path) for path in paths]
    root = cache_dir() if cache else None
    whole = None
    if root is not None and len(paths) > 1 and all(digests):
        from budgettui import snapshot

        repeats = _repeats(digests)
        kept = [path for i, path in enumerate(paths) if i not in repeats]
        whole = snapshot.corpus_path(root, digests, [path.name for path in paths])  # type: ignore[arg-type]
        found = snapshot.restore(whole, document_ids(kept), kept)
        if found is not None:
            duplicates += [(paths[i], paths[first]) for i, first in repeats.items()]
            found.duplicates = tuple(duplicates)
            return found
    budget = merge(parse_documents(paths, jobs, cache, duplicates, digests), sources, duplicates)
    if whole is not None and root is not None and not budget.skipped \
            and len(budget.stored_checks) == budget.height("documents"):
        from budgettui import snapshot

        if snapshot.store(whole, budget):
            prune(root, limit_bytes())
    return budget


def _repeats(digests: Sequence[str | None]) -> dict[int, int]:
    """Each source with the bytes of an earlier one → the first with those bytes."""
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for i, digest in enumerate(digests):
        if digest is not None:
            if digest in first:
                repeats[i] = first[digest]
            else:
                first[digest] = i
    return repeats


def parse_documents(paths: Sequence[Path], jobs: int | None, cache: bool,
                    duplicates: list[tuple[Path, Path]],
                    digests: Sequence[str | None] | None = None) -> Iterator[ParsedDocument]:
    """The documents of `paths`, parsed (parse_all), in order, each loaded once: a source with
    the bytes (sha256) of an earlier one that was loaded is left out and listed in `duplicates`
    with that one, and gets no doc_id.

    A source that is not a regular file (standard input `-`, a pipe …) or that cannot be hashed
    is read here, once, up front; the others are hashed up front."""
    digests = list(digests) if digests is not None else [file_sha256(path) for path in paths]
    read: dict[int, SourceText | InputError] = {}
    for i, path in enumerate(paths):
        if digests[i] is None:
            try:
                read[i] = read_source(path)
            except InputError as error:
                read[i] = error
            digests[i] = read[i].sha256
    repeats = _repeats(digests)
    kept = [i for i in range(len(paths)) if i not in repeats]
    used: set[str] = set()
    ids = {i: _unique_id(paths[i].stem, used) for i in kept}
    at = {i: n for n, i in enumerate(kept)}
    parsed = parse_all([paths[i] for i in kept], [ids[i] for i in kept], jobs, cache,
                       digests=[digests[i] for i in kept],
                       read={at[i]: found for i, found in read.items() if i in at})
    loaded: dict[int, bool] = {}
    for i, path in enumerate(paths):
        if i in at:
            doc = next(parsed)
            loaded[i] = doc.error is None
            yield doc
        elif loaded[repeats[i]]:
            duplicates.append((path, paths[repeats[i]]))
        else:  # the same bytes as a source that could not be loaded: skipped in turn, with its reason
            doc_id = _unique_id(path.stem, used)
            found = read.get(i)
            yield _parse_read(path, doc_id, found) if found is not None else parse_path(path, doc_id)


def document_ids(paths: Sequence[Path]) -> list[str]:
    """Each document's `doc_id`: its file name's stem, numbered `-2`, `-3` … when repeated."""
    used: set[str] = set()
    return [_unique_id(path.stem, used) for path in paths]


def parse_path(path: str | Path, doc_id: str) -> ParsedDocument:
    """Read and parse one document: a pure function of the file's bytes, its name and `doc_id`
    (what a distributed engine maps over the documents before `merge`). A document that cannot
    be loaded gives a ParsedDocument with its `error`, never an exception."""
    path = Path(path)
    try:
        document = parse_document(read_source(path), doc_id)
    except InputError as error:
        document = _skipped_document(path, doc_id, error)
        return _frames_of(doc_id, document, error)
    return _frames_of(doc_id, document)


def parse_all(paths: Sequence[Path], doc_ids: Sequence[str], jobs: int | None = None,
              cache: bool = True, digests: Sequence[str | None] | None = None,
              read: Mapping[int, SourceText | InputError] | None = None) -> Iterator[ParsedDocument]:
    """The documents parsed (or read from the cache), in the order of `paths`, one at a time.

    `digests`: each file's sha256 when known already (else hashed here when `cache`); `read`:
    the sources already read (by their index: standard input, a pipe …), parsed here and never
    cached. The documents not in the cache are parsed in worker processes when there are several
    (or PARALLEL_MINIMUM text ones) and `jobs` > 1; a pool that breaks (e.g. a script without the
    `if __name__ == "__main__":` guard that worker processes need) leaves the rest to this
    process."""
    read = read or {}
    root = cache_dir() if cache else None
    limit = limit_bytes() if root else None
    if digests is None:
        digests = [file_sha256(path) if root and i not in read else None for i, path in enumerate(paths)]
    entries = [entry_path(root, digest, doc_id, path.name) if root and digest and i not in read else None
               for i, (path, digest, doc_id) in enumerate(zip(paths, digests, doc_ids, strict=True))]
    todo = [i for i, entry in enumerate(entries)
            if i not in read and (entry is None or not entry.is_file())]
    workers = min(jobs or default_jobs(), len(todo))
    parallel = workers > 1 and (len(todo) >= PARALLEL_MINIMUM
                                or any(paths[i].suffix.lower() == ".pdf" for i in todo))
    work = [(paths[i], doc_ids[i], entries[i], digests[i]) for i in todo]
    with ExitStack() as stack:
        if root is not None and todo:  # entries are written: at the end, keep the cache under its limit
            stack.callback(prune, root, limit)
        if parallel:
            pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_worker_start)
            # left early (an error, Ctrl-C): the documents not started are not parsed
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)
            fresh = pool.map(_work, work, chunksize=chunk_size([paths[i] for i in todo], workers))
        else:
            fresh = map(_work_here if len(work) > 1 else _work, work)
        done = 0
        pending = set(todo)
        for i, (path, doc_id, entry, digest) in enumerate(zip(paths, doc_ids, entries, digests, strict=True)):
            if i in read:
                yield _parse_read(path, doc_id, read[i])
                continue
            if i not in pending:
                assert entry is not None and digest is not None
                yield _from_cache(entry, digest, path, doc_id) or _parse_and_store(path, doc_id, entry, digest)
                continue
            try:
                parsed = next(fresh)
            except BrokenProcessPool:  # the rest in this process
                fresh = map(_work_here, work[done:])
                parsed = next(fresh)
            done += 1
            yield parsed


def chunk_size(paths: Sequence[Path], workers: int) -> int:
    """Documents handed to a worker at a time: one when any is a PDF (a PDF's parse outweighs
    the hand-over, and the browser shows each document as it comes); else up to 8 small text
    documents, so each worker gets about four batches."""
    if any(path.suffix.lower() == ".pdf" for path in paths):
        return 1
    return max(1, min(8, len(paths) // (4 * workers)))


def _parse_read(path: Path, doc_id: str, source: SourceText | InputError) -> ParsedDocument:
    """parse_path of a source already read (or that could not be)."""
    if isinstance(source, InputError):
        return _frames_of(doc_id, _skipped_document(path, doc_id, source), source)
    try:
        document = parse_document(source, doc_id)
    except InputError as error:
        return _frames_of(doc_id, _skipped_document(path, doc_id, error), error)
    return _frames_of(doc_id, document)


def _worker_start() -> None:
    """A worker process, before its first document: the parsers and the rules imported, then
    everything so far left out of the garbage collector's passes, which run less often (a
    parse makes objects by the hundred thousand and hardly any cycles). Measured on 60
    documents: the collector's time 3.6 → 0.2 ms a document."""
    import budgettui.audit
    import budgettui.document  # noqa: F401

    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def _work(item: tuple[Path, str, Path | None, str | None]) -> ParsedDocument:
    return _parse_and_store(*item)


def _work_here(item: tuple[Path, str, Path | None, str | None]) -> ParsedDocument:
    """`_work` in this process, for a corpus: the result is kept as a worker process's would be,
    pickled and read back. Its frames then own compact buffers, instead of the parse's own,
    which stay scattered among the parse's freed memory: measured on 300 documents with one
    job, peak RSS 367 → 255 MB, for about 6 ms a document."""
    return pickle.loads(pickle.dumps(_work(item), protocol=pickle.HIGHEST_PROTOCOL))


def _parse_and_store(path: Path, doc_id: str, entry: Path | None, digest: str | None) -> ParsedDocument:
    """parse_path and the consistency checks (where the document is parsed: in a worker process,
    in parallel), the result stored at `entry` (when loaded, and its bytes are still those of
    `digest`)."""
    return check_and_store(parse_path(path, doc_id), entry, digest)


def check_and_store(parsed: ParsedDocument, entry: Path | None, digest: str | None) -> ParsedDocument:
    """A document just parsed, with its consistency checks, stored at `entry` (when loaded,
    and its bytes are still those of `digest`)."""
    if parsed.error is not None:
        return parsed
    parsed.checks = _document_checks(parsed)
    if entry is not None:
        sha256 = parsed.frames["documents"]["sha256"][0]
        if sha256 == digest:
            meta = {"doc_id": parsed.doc_id, "page_starts": list(parsed.page_starts),
                    "link_findings": parsed.link_findings,
                    "checked": parsed.checks.checked, "broken": parsed.checks.broken}
            write_entry(entry, sha256, meta, {**parsed.frames, _CHECKS: parsed.checks.findings}, parsed.text)
    return parsed


#: The name under which a cache entry keeps the checks' findings, beside the resources' frames.
_CHECKS = "checks"


def _document_checks(parsed: ParsedDocument) -> Checks:
    """The consistency rules over one parsed document (budgettui.audit, imported here)."""
    from budgettui.audit import document_checks

    return document_checks(merge([parsed]))


def _from_cache(entry: Path, digest: str, path: Path, doc_id: str) -> ParsedDocument | None:
    """The cached document (its path as given now), or None when the entry is not to be trusted."""
    found = read_entry(entry, digest)
    if found is None:
        return None
    meta, frames, text = found
    checks = frames.pop(_CHECKS, None)
    if (meta.get("doc_id") != doc_id or set(frames) != {r.name for r in schema.RESOURCES}
            or checks is None or checks.columns != schema.resource("findings").column_names):
        return None
    frames["documents"] = frames["documents"].with_columns(pl.lit(str(path), pl.String).alias("source_path"))
    return ParsedDocument(doc_id, frames, text, tuple(meta["page_starts"]), meta["link_findings"],
                          checks=Checks(checks, meta["checked"], meta["broken"]))


#: Per resource, documents' frames are concatenated in batches of this many as they arrive.
_BATCH = 8
#: Resources a Budget of several documents keeps packed (LZ4 Arrow IPC, a tenth of the memory)
#: until first asked for: the two bulkiest, two thirds of a corpus's memory between them.
#: budget_lines restates every amount of tables 1–13 in long form; indicators holds every
#: performance indicator with its printed line.
PACKED = ("budget_lines", "indicators")


@dataclass(slots=True)
class Packed:
    """A resource's rows kept as LZ4-compressed Arrow IPC streams (see PACKED), unpacked into
    one frame the first time it is asked for."""

    blobs: list[bytes]
    height: int
    #: Sort the rows by these columns once unpacked (documents not given in doc_id order).
    sort: tuple[str, ...] = ()

    def frame(self) -> pl.DataFrame:
        frames = [pl.read_ipc_stream(io.BytesIO(blob)) for blob in self.blobs]
        frame = pl.concat(frames, rechunk=False) if len(frames) > 1 else frames[0]
        return frame.sort(list(self.sort), maintain_order=True) if self.sort else frame


class _Stack:
    """One resource's frames, document after document, concatenated in batches of _BATCH (a
    frame per document costs more memory than its rows), the batches packed when `packed`."""

    def __init__(self, packed: bool = False) -> None:
        self.packed = packed
        self.batches: list[pl.DataFrame | bytes] = []
        self.pending: list[pl.DataFrame] = []
        self.height = 0

    def add(self, frame: pl.DataFrame) -> None:
        self.pending.append(frame)
        self.height += frame.height
        if len(self.pending) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        batch = pl.concat(self.pending, rechunk=True) if len(self.pending) > 1 else self.pending[0]
        self.pending = []
        if self.packed:
            buffer = io.BytesIO()
            batch.write_ipc_stream(buffer, compression="lz4")
            self.batches.append(buffer.getvalue())
        else:
            self.batches.append(batch)

    def frame(self, extra: Sequence[pl.DataFrame] = ()) -> pl.DataFrame:
        """The rows as one frame (then `extra`'s), its batches as chunks: not copied again."""
        parts = [*self.batches, *self.pending, *extra]
        return pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]  # type: ignore[arg-type]

    def packed_rows(self, sort: tuple[str, ...] = ()) -> Packed:
        self._flush()
        return Packed(self.batches, self.height, sort)  # type: ignore[arg-type]


def merge(parsed: Iterable[ParsedDocument], sources: Sequence[str | Path] = (),
          duplicates: Sequence[tuple[Path, Path]] = ()) -> Budget:
    """One Budget of parsed documents, in the order given (a corpus parsed anywhere, e.g. by
    `parse_path` mapped over its files, with `document_ids` numbering them); `duplicates`, the
    sources left out as repeats of a loaded one (read once `parsed` is consumed), become
    `Budget.duplicates`. InputError when none could be loaded.

    Memory holds the frames' rows, in batches of a few documents, and the PACKED resources
    compressed; the checks stored with each document (`ParsedDocument.checks`) are kept as
    slices of one frame."""
    names = [r.name for r in schema.RESOURCES]
    several = _Several(parsed)
    stacks = {name: _Stack(packed=name in PACKED and several.more) for name in names}
    stored = _Stack()
    # the linking's findings come after every parser finding: those of documents with
    # performance tables first (as when the linking ran over the whole corpus)
    linked: tuple[list[pl.DataFrame], list[pl.DataFrame]] = ([], [])
    texts: dict[str, DocumentText] = {}
    pages: dict[str, tuple[int, ...]] = {}
    counts: dict[str, tuple[int, int]] = {}
    order: list[str] = []
    skipped: list[InputError] = []
    for doc in several:
        frames = dict(doc.frames)
        if doc.link_findings:
            findings = frames["findings"]
            cut = findings.height - doc.link_findings
            frames["findings"] = findings.head(cut)
            linked[0 if frames["performance_targets"].height else 1].append(findings.slice(cut))
        order.append(doc.doc_id)
        for name in names:
            stacks[name].add(frames[name])
        texts[doc.doc_id] = doc.text
        pages[doc.doc_id] = doc.page_starts
        if doc.checks is not None:
            counts[doc.doc_id] = (doc.checks.checked, doc.checks.broken)
            stored.add(doc.checks.findings)
        if doc.error is not None:
            skipped.append(doc.error)
    if not order or len(skipped) == len(order):
        raise _nothing_loaded(tuple(sources), skipped)
    # each document's budget_lines are in line_id order: documents in doc_id order need no sort
    sort = ("doc_id", "line_id") if order != sorted(order) else ()
    merged: dict[str, pl.DataFrame] = {}
    packed: dict[str, Packed] = {}
    for name in names:
        if stacks[name].packed:
            packed[name] = stacks[name].packed_rows(sort if name == "budget_lines" else ())
        else:
            merged[name] = stacks[name].frame(linked[0] + linked[1] if name == "findings" else ())
    if sort and "budget_lines" in merged:
        merged["budget_lines"] = merged["budget_lines"].sort(list(sort), maintain_order=True)
    checks = stored_checks(stored.frame(), counts) if counts else {}
    budget = Budget(merged, texts, tuple(skipped), checked=False, pages=pages, checks=checks,
                    packed=packed)
    budget.duplicates = tuple(duplicates)
    return budget


class _Several:
    """The parsed documents, with `more` telling (before the first is handed out) whether there
    are several: a single document's resources are not worth packing."""

    def __init__(self, parsed: Iterable[ParsedDocument]) -> None:
        self._iterator = iter(parsed)
        self._ahead = [doc for doc in (next(self._iterator, None), next(self._iterator, None)) if doc]
        self.more = len(self._ahead) > 1

    def __iter__(self) -> Iterator[ParsedDocument]:
        while self._ahead:
            yield self._ahead.pop(0)
        yield from self._iterator


def stored_checks(findings: pl.DataFrame, counts: Mapping[str, Sequence[int]]) -> dict[str, Checks]:
    """Each document's stored checks (`counts`: its figures checked and broken), its findings a
    slice of `findings`, the checks' findings of every document in one frame."""
    parts = _split(findings)
    empty = schema.resource("findings").frame([])
    return {doc_id: Checks(parts.get(doc_id, empty), checked, broken)
            for doc_id, (checked, broken) in counts.items()}


def paginate(frame: pl.DataFrame, pages: dict[str, tuple[int, ...]]) -> pl.DataFrame:
    """`source_page` and the line within that page, for the rows of documents with pages."""
    parts = []
    for (doc_id,), part in frame.group_by("doc_id", maintain_order=True):
        starts = pages.get(doc_id)  # type: ignore[call-overload]
        if starts and part.height:
            located = [locate(starts, no) if no is not None else (None, None)
                       for no in part["source_line"].to_list()]
            part = part.with_columns(
                pl.Series("source_page", [p for p, _ in located], dtype=pl.Int64),
                pl.Series("source_line", [n for _, n in located], dtype=pl.Int64),
            )
        parts.append(part)
    return pl.concat(parts) if parts else frame


def _nothing_loaded(sources: tuple[str | Path, ...], errors: list[InputError]) -> InputError:
    """The error when no document could be loaded: the only one, or a summary of several."""
    if len(errors) == 1:
        return errors[0]
    where = ", ".join(str(s) for s in sources) or errors[0].path
    summary = InputError(where, f"no document could be loaded ({len(errors)} files skipped)")
    summary.causes = errors
    return summary


def _with_checks(budget: Budget) -> pl.DataFrame:
    """The parsers' findings followed by those of the consistency rules (checks.py)."""
    doc_ids = budget["documents"]["doc_id"].to_list()
    if all(doc_id in budget.stored_checks for doc_id in doc_ids):  # no rule to run: none imported
        found = [budget.stored_checks[doc_id].findings for doc_id in doc_ids]
        return pl.concat([budget.parsed_findings, *found])
    from budgettui.audit import run_checks

    checks = run_checks(budget)
    return pl.concat([budget.parsed_findings, checks]) if checks.height else budget.parsed_findings


def _unique_id(stem: str, used: set[str]) -> str:
    doc_id, n = stem, 1
    while doc_id in used:
        n += 1
        doc_id = f"{stem}-{n}"
    used.add(doc_id)
    return doc_id


def parse_document(source: SourceText, doc_id: str) -> Document:
    """Segment one document and run every parser over its sections (document.py, imported
    here, when a document is parsed rather than read from the cache)."""
    from budgettui.document import parse_document

    return parse_document(source, doc_id)


def _skipped_document(path: Path, doc_id: str, error: InputError) -> Document:
    from budgettui.document import skipped_document

    return skipped_document(path, doc_id, error)


def _frames_of(doc_id: str, document: Document, error: InputError | None = None) -> ParsedDocument:
    from budgettui.document import frames_of

    return frames_of(doc_id, document, error)
