"""The Budget: one Polars DataFrame per resource, built from one or more source documents."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import polars as pl

from budgettui import narrative, schema, tables, target_tables
from budgettui import vocabulary as vocab
from budgettui.cache import cache_dir, entry_path, file_sha256, limit_bytes, prune, read_entry, write_entry
from budgettui.cover import Cover, cover_facts
from budgettui.fiscal import budget_lines
from budgettui.linking import link_performance
from budgettui.performance import PerformanceResult, parse_performance
from budgettui.segment import Segments, recognised, segment
from budgettui.sources import (
    DocumentText,
    InputError,
    Line,
    SourceText,
    expand_sources,
    locate,
    read_source,
)
from budgettui.tables import Context, Row, Table, other_lines, split_table

_YEAR = re.compile(r"(\d{4})\s*年度?")
#: Budget years taken as printed; any other is a misprint (and would break date arithmetic).
YEARS = range(1950, 3000)


class Budget:
    """All resources of the loaded documents; `budget["projects"]` is a polars.DataFrame.

    `skipped` lists the sources that could not be loaded (each also a `documents` row without
    lines and a `parse.unreadable` finding). The consistency checks run the first time
    `findings` is asked for, so work that never looks at them does not pay for them.
    """

    def __init__(self, frames: dict[str, pl.DataFrame],
                 texts: Mapping[str, DocumentText | list[Line]] | None = None,
                 skipped: tuple[InputError, ...] = (), checked: bool = True,
                 pages: dict[str, tuple[int, ...]] | None = None) -> None:
        self._frames = frames
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
            self._parts[name] = _split(self.parsed_findings if name == "findings" else self.frame(name))
        return self._parts[name]

    def __contains__(self, name: object) -> bool:
        return name in self._frames

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

    def describe(self, name: str) -> pl.DataFrame:
        """Each column of the resource `name`: its title (Chinese and English), type and unit,
        from schema.py."""
        return describe(name)

    def __repr__(self) -> str:
        # findings are left out: their count grows when the checks first run
        counts = ", ".join(f"{n}={self._frames[n].height}" for n in self.resources if n != "findings")
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


@dataclass(slots=True)
class _Document:
    """Row dicts per resource for one document, before they become frames."""

    rows: dict[str, list[Row]]
    lines: list[Line]
    page_starts: tuple[int, ...] = ()


@dataclass(slots=True)
class ParsedDocument:
    """One document, parsed: each resource's rows of it as a frame (performance tables linked to
    projects; `findings` ends with the `link_findings` findings of that linking), its text and
    page starts. `error` is why it could not be loaded (its frames are then its `documents` row
    and a `parse.unreadable` finding). Picklable: what a worker process sends back."""

    doc_id: str
    frames: dict[str, pl.DataFrame]
    text: DocumentText
    page_starts: tuple[int, ...] = ()
    link_findings: int = 0
    error: InputError | None = None


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
        return merge(_load_all(paths, jobs, cache, duplicates), sources, duplicates)
    finally:
        for path, first in duplicates:
            warnings.warn(f"{path}: the same document as {first} (same sha256); loaded once",
                          stacklevel=2)


def _load_all(paths: Sequence[Path], jobs: int | None, cache: bool,
              duplicates: list[tuple[Path, Path]]) -> Iterator[ParsedDocument]:
    """The documents of `paths`, parsed (parse_all), in order, each loaded once: a source with
    the bytes (sha256) of an earlier one that was loaded is left out and listed in `duplicates`
    with that one, and gets no doc_id.

    A source that is not a regular file (standard input `-`, a pipe …) or that cannot be hashed
    is read here, once, up front; the others are hashed up front."""
    digests = [file_sha256(path) for path in paths]
    read: dict[int, SourceText | InputError] = {}
    for i, path in enumerate(paths):
        if digests[i] is None:
            try:
                read[i] = read_source(path)
            except InputError as error:
                read[i] = error
            digests[i] = read[i].sha256
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}  # a source → the first with the same bytes
    for i, digest in enumerate(digests):
        if digest is not None:
            if digest in first:
                repeats[i] = first[digest]
            else:
                first[digest] = i
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


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


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
            pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
            # left early (an error, Ctrl-C): the documents not started are not parsed
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)
            fresh = pool.map(_work, work, chunksize=max(1, min(8, len(work) // (4 * workers))))
        else:
            fresh = map(_work, work)
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
                fresh = map(_work, work[done:])
                parsed = next(fresh)
            done += 1
            yield parsed


def _parse_read(path: Path, doc_id: str, source: SourceText | InputError) -> ParsedDocument:
    """parse_path of a source already read (or that could not be)."""
    if isinstance(source, InputError):
        return _frames_of(doc_id, _skipped_document(path, doc_id, source), source)
    try:
        document = parse_document(source, doc_id)
    except InputError as error:
        return _frames_of(doc_id, _skipped_document(path, doc_id, error), error)
    return _frames_of(doc_id, document)


def _work(item: tuple[Path, str, Path | None, str | None]) -> ParsedDocument:
    return _parse_and_store(*item)


def _parse_and_store(path: Path, doc_id: str, entry: Path | None, digest: str | None) -> ParsedDocument:
    """parse_path, and the result stored at `entry` (when loaded, and its bytes are still those
    of `digest`)."""
    parsed = parse_path(path, doc_id)
    if entry is not None and parsed.error is None:
        sha256 = parsed.frames["documents"]["sha256"][0]
        if sha256 == digest:
            meta = {"doc_id": doc_id, "page_starts": list(parsed.page_starts),
                    "link_findings": parsed.link_findings}
            write_entry(entry, sha256, meta, parsed.frames, parsed.text)
    return parsed


def _from_cache(entry: Path, digest: str, path: Path, doc_id: str) -> ParsedDocument | None:
    """The cached document (its path as given now), or None when the entry is not to be trusted."""
    found = read_entry(entry, digest)
    if found is None:
        return None
    meta, frames, text = found
    if meta.get("doc_id") != doc_id or set(frames) != {r.name for r in schema.RESOURCES}:
        return None
    frames["documents"] = frames["documents"].with_columns(pl.lit(str(path), pl.String).alias("source_path"))
    return ParsedDocument(doc_id, frames, text, tuple(meta["page_starts"]), meta["link_findings"])


#: Per resource, documents' frames are concatenated in batches of this many as they arrive.
_BATCH = 8


def merge(parsed: Iterable[ParsedDocument], sources: Sequence[str | Path] = (),
          duplicates: Sequence[tuple[Path, Path]] = ()) -> Budget:
    """One Budget of parsed documents, in the order given (a corpus parsed anywhere, e.g. by
    `parse_path` mapped over its files, with `document_ids` numbering them); `duplicates`, the
    sources left out as repeats of a loaded one (read once `parsed` is consumed), become
    `Budget.duplicates`. InputError when none could be loaded."""
    names = [r.name for r in schema.RESOURCES]
    batches: dict[str, list[pl.DataFrame]] = {name: [] for name in names}
    pending: dict[str, list[pl.DataFrame]] = {name: [] for name in names}
    # the linking's findings come after every parser finding: those of documents with
    # performance tables first (as when the linking ran over the whole corpus)
    linked: tuple[list[pl.DataFrame], list[pl.DataFrame]] = ([], [])
    texts: dict[str, DocumentText] = {}
    pages: dict[str, tuple[int, ...]] = {}
    skipped: list[InputError] = []
    count = 0
    for doc in parsed:
        count += 1
        frames = dict(doc.frames)
        if doc.link_findings:
            findings = frames["findings"]
            cut = findings.height - doc.link_findings
            frames["findings"] = findings.head(cut)
            linked[0 if frames["performance_targets"].height else 1].append(findings.slice(cut))
        for name in names:
            pending[name].append(frames[name])
            if len(pending[name]) >= _BATCH:
                batches[name].append(pl.concat(pending[name], rechunk=True))
                pending[name] = []
        texts[doc.doc_id] = doc.text
        pages[doc.doc_id] = doc.page_starts
        if doc.error is not None:
            skipped.append(doc.error)
    if count == 0 or len(skipped) == count:
        raise _nothing_loaded(tuple(sources), skipped)
    merged = {}
    for name in names:
        parts = batches[name] + pending[name]
        if name == "findings":
            parts += linked[0] + linked[1]
        merged[name] = pl.concat(parts, rechunk=True) if len(parts) > 1 else parts[0]
    merged["budget_lines"] = merged["budget_lines"].sort(["doc_id", "line_id"], maintain_order=True)
    budget = Budget(merged, texts, tuple(skipped), checked=False, pages=pages)
    budget.duplicates = tuple(duplicates)
    return budget


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


def _skipped_document(path: Path, doc_id: str, error: InputError) -> _Document:
    """A source that could not be loaded: its documents row and a finding saying why."""
    document = {"doc_id": doc_id, "title": path.name, "source_path": str(path), "sha256": error.sha256}
    finding = {
        "doc_id": doc_id, "rule": "parse.unreadable", "severity": "error",
        "message": f"「{path.name}」未能读入：{error.zh or f'「{error.reason}」'}", "resource": "documents",
        "key": doc_id,
        "source_line": error.line,
    }
    return _Document({"documents": [document], "findings": [finding]}, [])


def _frames_of(doc_id: str, document: _Document, error: InputError | None = None) -> ParsedDocument:
    """A parsed document's frames: its rows, performance tables linked, budget_lines built."""
    frames = {r.name: r.frame(document.rows.get(r.name, [])) for r in schema.RESOURCES}
    before = frames["findings"].height
    frames = _link(frames)
    frames["budget_lines"] = budget_lines(frames, document.rows.get("other_lines", []))
    text = DocumentText.of(line.text for line in document.lines)
    return ParsedDocument(doc_id, frames, text, document.page_starts,
                          frames["findings"].height - before, error)


def _with_checks(budget: Budget) -> pl.DataFrame:
    """The parsers' findings followed by those of the consistency rules (checks.py)."""
    from budgettui.audit import run_checks

    parsed = budget.parsed_findings
    found = run_checks(budget)
    return pl.concat([parsed, schema.resource("findings").frame(found)]) if found else parsed


def _unique_id(stem: str, used: set[str]) -> str:
    doc_id, n = stem, 1
    while doc_id in used:
        n += 1
        doc_id = f"{stem}-{n}"
    used.add(doc_id)
    return doc_id


def parse_document(source: SourceText, doc_id: str) -> _Document:
    """Segment one document and run every parser over its sections.

    InputError when the document is not recognisably a budget disclosure."""
    seg = segment(source.lines, source.page_starts)
    if not recognised(seg):
        error = InputError(source.path, "not a budget disclosure: no budget table title "
                                        "(e.g. 2026年预算收支总表) and no budget title on its cover",
                           zh="不是部门预算公开文件：没有预算表标题（如「2026年预算收支总表」），封面也没有预算标题")
        error.sha256 = source.sha256
        raise error
    facts = cover_facts(source.lines, [t.lines for t in seg.tables.values()], source.page_starts)
    department = facts.department
    ctx = Context(doc_id, department)
    _report_damage(ctx, source)
    unit_rows = narrative.units_from_overview(seg.overview, doc_id)
    ctx.unit_names = [u["name"] for u in unit_rows]
    rows: dict[str, list[Row]] = {name: [] for name in schema.BY_NAME}
    rows["other_lines"] = []

    printed: list[Row] = []
    project_tables: list[tuple[Table, list[Row]]] = []
    for no, section in sorted(seg.tables.items()):
        table = split_table(section)
        printed.append(_source_table(doc_id, table, "parsed"))
        ctx.factor = table.factor
        if no in tables.PARSERS:
            name, parser = tables.PARSERS[no]
            if no == 7 and 8 not in seg.tables and tables.is_fund_summary(table):
                rows["fund_income"], rows["fund_expenditure"] = tables.parse_fund_summary(ctx, table)  # 西安
                continue
            rows[name] = parser(ctx, table)
            if no == 10 and 11 not in seg.tables and vocab.OPERATING_WORD in section.title:
                rows["operating_costs"] = tables.parse_operating_costs(ctx, table)  # 上海: one table
            if no == 11:
                ctx.unit_names += [r["unit"] for r in rows[name] if r["row_kind"] == "item"]
        else:
            kind = "current" if no == 12 else "carryover"
            result = tables.parse_projects(ctx, table, kind)
            rows["projects"] += result.projects
            rows["project_subtotals"] += result.subtotals
            project_tables.append((table, result.projects))
    _report_structure(ctx, seg)
    for section in seg.others:
        table = split_table(section)
        printed.append(_source_table(doc_id, table, "unmapped"))
        rows["other_lines"] += other_lines(ctx, table)
    rows["source_tables"] = _in_print_order(printed)

    rows["units"] = _units(doc_id, unit_rows, rows)
    rows["subjects"] = _subjects(rows)
    rows["narrative"] = narrative.parse_narrative(seg.overview, "概况", doc_id)
    rows["narrative"] += narrative.parse_narrative(
        seg.narrative, "情况说明", doc_id, start=len(rows["narrative"])
    )
    rows["glossary"] = narrative.parse_glossary(seg.glossary, doc_id)
    performance = parse_performance(seg.performance, doc_id)
    _text_targets(performance, project_tables, seg.narrative, doc_id)
    rows["performance_targets"] = performance.targets
    rows["indicators"] = performance.indicators
    rows["documents"] = [_document_row(source, doc_id, seg, facts, printed)]
    _check_year(ctx, rows["documents"][0])
    rows["findings"] = ctx.findings + performance.findings
    return _Document(rows, source.lines, source.page_starts)


def _text_targets(performance: PerformanceResult, project_tables: list[tuple[Table, list[Row]]],
                  narrative_lines: list[Line], doc_id: str) -> None:
    """Add the targets printed as text (target_tables): a project table's 绩效目标 column, then
    the 情况说明's tables of targets, without the ones repeating the former."""
    for table, projects in project_tables:
        found = target_tables.project_goals(table.labels, table.rows, projects, doc_id, table.unit,
                                            len(performance.targets))
        performance.targets += found.targets
        performance.findings += found.findings
    found = target_tables.drop_repeats(performance, target_tables.parse_text_targets(
        narrative_lines, doc_id, len(performance.targets)))
    performance.targets += found.targets
    performance.findings += found.findings


def _document_row(source: SourceText, doc_id: str, seg: Segments, facts: Cover,
                  printed: list[Row]) -> Row:
    years = [t.year for t in seg.tables.values() if t.year is not None]
    cover = [line.text.strip() for line in seg.lines[:12] if not line.blank]
    title_line = next((t for t in cover if "预算" in t and _YEAR.search(t)), None)
    if not years and facts.year:
        years = [facts.year]
    title = " ".join(t for t in (facts.department, title_line) if t) or source.path.name
    units = [t["printed_unit"] or "万元" for t in printed if t["status"] == "parsed"]
    return {
        "doc_id": doc_id,
        "title": title,
        "department": facts.department,
        "year": max(set(years), key=years.count) if years else None,
        "source_path": str(source.path),
        "sha256": source.sha256,
        "encoding": source.encoding,
        "line_count": len(source.lines),
        "kind": facts.kind,
        "scope": facts.scope,
        "pages": len(source.page_starts) or None,
        "amount_unit": max(set(units), key=units.count) if units else None,
    }


def _source_table(doc_id: str, table: Table, status: str) -> Row:
    """A `source_tables` row: what the document printed, and what became of it."""
    section = table.section
    kind = vocab.BY_NUMBER.get(section.no)
    return {
        "doc_id": doc_id, "table_no": section.no, "resource": kind.resource if kind else None,
        "title": section.title, "printed_unit": table.unit, "rows": len(table.rows),
        "pages": 1 + len(section.continued), "status": status, "source_line": section.title_line,
    }


def _in_print_order(printed: list[Row]) -> list[Row]:
    ordered = sorted(printed, key=lambda r: r["source_line"])
    for seq, row in enumerate(ordered, start=1):
        row["seq"] = seq
    return ordered


def _report_damage(ctx: Context, source: SourceText) -> None:
    """One finding for the bytes that were undecodable or control characters (now U+FFFD)."""
    if not source.damaged:
        return
    shown = "、".join(str(n) for n in source.damaged[:10])
    more = f" 等{len(source.damaged)}行" if len(source.damaged) > 10 else ""
    ctx.finding("parse.damaged_bytes", "warning",
                f"第{shown}{more}行有不是 {source.encoding} 文本的字节（或控制字符），"
                "已替换为 U+FFFD", source.damaged[0])


def _check_year(ctx: Context, document: Row) -> None:
    """A budget year outside YEARS is a misprint: the document's year becomes null, with a finding."""
    year = document["year"]
    if year is not None and year not in YEARS:
        document["year"] = None
        ctx.finding("parse.implausible_year", "error",
                    f"预算年度 {year} 不在 {YEARS.start}–{YEARS.stop - 1} 之间，留空",
                    None, "documents", ctx.doc_id, None, str(year))


def _report_structure(ctx: Context, seg: Segments) -> None:
    combined = 10 in seg.tables and vocab.OPERATING_WORD in seg.tables[10].title  # 上海: 11 is in 10
    funds = 7 in seg.tables and bool(vocab.FUND_SUMMARY_TITLE.search(seg.tables[7].title))  # 西安: 8 in 7
    attached = next((line for line in seg.lines if vocab.TABLES_ATTACHED.search(line.text.strip())), None)
    elsewhere: list[int] = []
    for no in sorted(tables.PARSERS.keys() | {12, 13}):
        if no in seg.tables or (no == 11 and combined) or (no == 8 and funds):
            continue
        if no in seg.listed and attached is not None:  # named, and said to be attached
            elsewhere.append(no)
            ctx.finding("parse.missing_table", "info",
                        f"表{no}未印在本文件中：文件称报表为附件（「{attached.text.strip()}」）",
                        attached.no, None, f"表{no}")
        elif no in seg.listed:  # its title is printed (contents or a page) but no table follows
            ctx.finding("parse.missing_table", "error",
                        f"找不到表{no}（文件列有其标题）", None, None, f"表{no}")
        elif attached is not None and not seg.tables:  # no table printed: all are in the attachment
            ctx.finding("parse.missing_table", "info",
                        f"表{no}未印在本文件中，文件也未列出（报表为附件：「{attached.text.strip()}」）",
                        attached.no, None, f"表{no}")
        else:  # a table this document's template does not print
            ctx.finding("parse.missing_table", "warning",
                        f"找不到表{no}（文件未列其标题）", None, None, f"表{no}")
    if elsewhere and attached is not None:
        ctx.finding("parse.missing_table", "warning",
                    f"文件所列的{len(elsewhere)}张报表（{'、'.join(f'表{no}' for no in elsewhere)}）未印在本文件中，"
                    f"文件称其为附件（「{attached.text.strip()}」）；情况说明中的数字无法与报表核对",
                    attached.no, None, "附件")
    for no, line in seg.duplicates:
        ctx.finding("parse.duplicate_table", "warning",
                    f"表{no}重复印出，采用第一份", line, None, f"表{no}")


def _units(doc_id: str, overview_units: list[Row], rows: dict[str, list[Row]]) -> list[Row]:
    """Units from 机构设置, then any further unit named in tables 12/13 and 11; ids u01…"""
    units: list[Row] = []
    seen: dict[str, Row] = {}

    def add(name: str, kind: str | None, line: int | None) -> None:
        key = tables.unit_key(name)
        if key not in seen:
            seen[key] = {"doc_id": doc_id, "unit_id": f"u{len(units) + 1:02d}", "name": name,
                         "kind": kind, "source_line": line}
            units.append(seen[key])

    for unit in overview_units:
        add(unit["name"], unit["kind"], unit["source_line"])
    for row in rows["project_subtotals"]:
        if row["unit"]:
            add(row["unit"], None, row["source_line"])
    for row in rows["operating_costs"]:
        if row["row_kind"] == "item":
            add(row["unit"], None, row["source_line"])
    for row in [*rows["projects"], *rows["project_subtotals"]]:
        if row["unit"]:
            add(row["unit"], None, row["source_line"])  # projects of a department without unit rows
            row["unit_id"] = seen[tables.unit_key(row["unit"])]["unit_id"]
    return units


#: Tables keyed by functional (支出功能分类) codes; table 7's income codes are another scheme.
_SUBJECT_SOURCES = (
    "expenditure_by_subject",
    "income_by_subject",
    "general_budget_expenditure",
    "fund_expenditure",
    "state_capital",
)


def _subjects(rows: dict[str, list[Row]]) -> list[Row]:
    """Every functional code the tables use (first occurrence wins), in code order."""
    found: dict[str, Row] = {}
    for resource in _SUBJECT_SOURCES:
        for row in rows[resource]:
            code = row["code"]
            if not code or code in found or row.get("side") == "income":
                continue
            found[code] = {
                "doc_id": row["doc_id"], "code": code, "name": row["name"],
                "level": row["level"], "parent_code": row["parent_code"],
                "source_line": row["source_line"],
            }
    codes = set(found)
    for code, subject in found.items():
        subject["is_leaf"] = not any(c != code and c.startswith(code) for c in codes)
    return [found[c] for c in sorted(found)]


def _link(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Link performance tables to projects, and their indicators through them."""
    targets, findings = link_performance(frames["performance_targets"], frames["projects"])
    frames["performance_targets"] = targets
    ids = targets.select("doc_id", "perf_id", pl.col("project_id").alias("_pid"))
    indicators = frames["indicators"].join(ids, on=["doc_id", "perf_id"], how="left")
    frames["indicators"] = indicators.with_columns(
        pl.coalesce("_pid", "project_id").alias("project_id")
    ).drop("_pid")
    if findings:
        extra = schema.resource("findings").frame(findings)
        frames["findings"] = pl.concat([frames["findings"], extra])
    return frames
