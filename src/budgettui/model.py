"""The Budget: one Polars DataFrame per resource, built from one or more source documents."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from budgettui import narrative, schema, tables
from budgettui import vocabulary as vocab
from budgettui.cover import Cover, cover_facts
from budgettui.fiscal import budget_lines
from budgettui.linking import link_performance
from budgettui.performance import parse_performance
from budgettui.segment import Segments, recognised, segment
from budgettui.sources import InputError, Line, SourceText, expand_sources, locate, read_source
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
                 texts: dict[str, list[Line]] | None = None,
                 skipped: tuple[InputError, ...] = (), checked: bool = True,
                 pages: dict[str, tuple[int, ...]] | None = None) -> None:
        self._frames = frames
        self._texts = texts or {}
        self.skipped = skipped
        #: Sources not loaded because they repeat an earlier one byte for byte: (path, first).
        self.duplicates: tuple[tuple[Path, Path], ...] = ()
        self._checked = checked
        #: Per document with pages, the line number of each page's first line.
        self._pages = {doc: starts for doc, starts in (pages or {}).items() if starts}
        self._public: dict[str, pl.DataFrame] = {}
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
        lines = self._texts.get(doc_id, [])
        start = self.document_line(doc_id, first, page)
        end = self.document_line(doc_id, last or first, page)
        return lines[max(start, 1) - 1 : end]

    def page_lines(self, doc_id: str, page: int) -> list[Line]:
        """Every line of one page of a document, as extracted."""
        starts = self._pages.get(doc_id, ())
        if not 1 <= page <= len(starts):
            return []
        lines = self._texts.get(doc_id, [])
        end = starts[page] - 1 if page < len(starts) else len(lines)
        return lines[starts[page - 1] - 1 : end]

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


def _duplicate(source: SourceText, seen: dict[str, Path], duplicates: list[tuple[Path, Path]]) -> bool:
    """Whether the source's bytes were loaded already (same sha256): then a warning, and it is
    loaded once (`Budget.duplicates` lists each such source with the one it repeats)."""
    first = seen.setdefault(source.sha256, source.path)
    if first is source.path:
        return False
    duplicates.append((source.path, first))
    warnings.warn(f"{source.path}: the same document as {first} (same sha256); loaded once",
                  stacklevel=3)
    return True


@dataclass(slots=True)
class _Document:
    """Row dicts per resource for one document, before they become frames."""

    rows: dict[str, list[Row]]
    lines: list[Line]
    page_starts: tuple[int, ...] = ()


def load(*sources: str | Path) -> Budget:
    """Load files and folders (none: the bundled sample) into one Budget.

    A source that cannot be loaded (empty, binary, not a budget disclosure …) does not stop
    the others: it is listed in `Budget.skipped`, as a `documents` row and as a
    `parse.unreadable` finding. InputError when a path does not exist, a folder holds no
    documents, or no document at all could be loaded.
    """
    paths = expand_sources(list(sources))
    documents: list[_Document] = []
    skipped: list[InputError] = []
    used: set[str] = set()
    seen: dict[str, Path] = {}
    duplicates: list[tuple[Path, Path]] = []
    for path in paths:
        doc_id = None
        try:
            source = read_source(path)
            if _duplicate(source, seen, duplicates):
                continue
            doc_id = _unique_id(path.stem, used)
            documents.append(parse_document(source, doc_id))
        except InputError as error:
            doc_id = doc_id or _unique_id(path.stem, used)
            skipped.append(error)
            documents.append(_skipped_document(path, doc_id, error))
    if len(skipped) == len(documents):
        raise _nothing_loaded(sources, skipped)
    frames = {}
    for resource in schema.RESOURCES:
        rows = [row for doc in documents for row in doc.rows.get(resource.name, [])]
        frames[resource.name] = resource.frame(rows)
    frames = _link(frames)
    extra = [row for doc in documents for row in doc.rows.get("other_lines", [])]
    frames["budget_lines"] = budget_lines(frames, extra)
    texts = {doc.rows["documents"][0]["doc_id"]: doc.lines for doc in documents}
    pages = {doc.rows["documents"][0]["doc_id"]: doc.page_starts for doc in documents}
    budget = Budget(frames, texts, tuple(skipped), checked=False, pages=pages)
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
        "message": f"{path.name} not loaded: {error.reason}", "resource": "documents", "key": doc_id,
        "source_line": error.line,
    }
    return _Document({"documents": [document], "findings": [finding]}, [])


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
                                        "(e.g. 2026年预算收支总表) and no budget title on its cover")
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
    for no, section in sorted(seg.tables.items()):
        table = split_table(section)
        printed.append(_source_table(doc_id, table, "parsed"))
        ctx.factor = table.factor
        if no in tables.PARSERS:
            name, parser = tables.PARSERS[no]
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
    rows["performance_targets"] = performance.targets
    rows["indicators"] = performance.indicators
    rows["documents"] = [_document_row(source, doc_id, seg, facts, printed)]
    _check_year(ctx, rows["documents"][0])
    rows["findings"] = ctx.findings + performance.findings
    return _Document(rows, source.lines, source.page_starts)


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
    shown = ", ".join(str(n) for n in source.damaged[:10])
    more = f" and {len(source.damaged) - 10} more" if len(source.damaged) > 10 else ""
    ctx.finding("parse.damaged_bytes", "warning",
                f"bytes that are not {source.encoding} text (or are control characters) were "
                f"replaced by U+FFFD on lines {shown}{more}", source.damaged[0])


def _check_year(ctx: Context, document: Row) -> None:
    """A budget year outside YEARS is a misprint: the document's year becomes null, with a finding."""
    year = document["year"]
    if year is not None and year not in YEARS:
        document["year"] = None
        ctx.finding("parse.implausible_year", "error",
                    f"budget year {year} is not between {YEARS.start} and {YEARS.stop - 1}; left empty",
                    None, "documents", ctx.doc_id, None, str(year))


def _report_structure(ctx: Context, seg: Segments) -> None:
    combined = 10 in seg.tables and vocab.OPERATING_WORD in seg.tables[10].title  # 上海: 11 is in 10
    for no in sorted(tables.PARSERS.keys() | {12, 13}):
        if no in seg.tables or (no == 11 and combined):
            continue
        if no in seg.listed:  # its title is printed (contents or a page) but no table follows
            ctx.finding("parse.missing_table", "error",
                        f"table {no} was not found (the document names it)", None, None, f"表{no}")
        else:  # a table this document's template does not print
            ctx.finding("parse.missing_table", "warning",
                        f"table {no} was not found (the document does not name it)", None, None, f"表{no}")
    for no, line in seg.duplicates:
        ctx.finding("parse.duplicate_table", "warning",
                    f"table {no} is printed again; the first copy is used", line, None, f"表{no}")


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
