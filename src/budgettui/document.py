"""One source document parsed: segmented, every table and the narrative read, the performance
tables linked to the projects, and the rows made into frames (`parse_document`, `frames_of`).
model.py imports this module only when a document is to be parsed (not read from the cache).
The parse itself does not import Polars (the browser draws a first opening's tree from the
rows, tui/ahead.py); `frames_of` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from budgettui import narrative, schema, tables, target_tables
from budgettui import vocabulary as vocab
from budgettui.cover import Cover, cover_facts
from budgettui.performance import PerformanceResult, parse_performance
from budgettui.segment import Segments, recognised, segment
from budgettui.sources import DocumentText, InputError, Line, SourceText
from budgettui.tables import Context, Row, Table, other_lines, split_table

if TYPE_CHECKING:
    import polars as pl

    from budgettui.parsed import ParsedDocument

_YEAR = re.compile(r"(\d{4})\s*年度?")
#: Budget years taken as printed; any other is a misprint (and would break date arithmetic).
YEARS = range(1950, 3000)


@dataclass(slots=True)
class Document:
    """Row dicts per resource for one document, before they become frames."""

    rows: dict[str, list[Row]]
    lines: list[Line]
    page_starts: tuple[int, ...] = ()


def parse_document(source: SourceText, doc_id: str) -> Document:
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
    return Document(rows, source.lines, source.page_starts)


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
    attached = next((line for line in seg.lines if vocab.tables_attached(line.text)), None)
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
    import polars as pl

    from budgettui.linking import link_performance

    targets, findings = link_performance(frames["performance_targets"], frames["projects"])
    frames["performance_targets"] = targets
    # each indicator takes its table's project (when linked), as a left join on doc_id and
    # perf_id would give it (a table's perf_id is unique in its document)
    linked = dict(zip(zip(targets["doc_id"].to_list(), targets["perf_id"].to_list(), strict=True),
                      targets["project_id"].to_list(), strict=True))
    indicators = frames["indicators"]
    keys = zip(indicators["doc_id"].to_list(), indicators["perf_id"].to_list(), strict=True)
    projects = [own if (project := linked.get(key)) is None else project
                for key, own in zip(keys, indicators["project_id"].to_list(), strict=True)]
    frames["indicators"] = indicators.with_columns(pl.Series("project_id", projects, dtype=pl.String))
    if findings:
        extra = schema.resource("findings").frame(findings)
        frames["findings"] = pl.concat([frames["findings"], extra])
    return frames


def skipped_document(path: Path, doc_id: str, error: InputError) -> Document:
    """A source that could not be loaded: its documents row and a finding saying why."""
    document = {"doc_id": doc_id, "title": path.name, "source_path": str(path), "sha256": error.sha256}
    finding = {
        "doc_id": doc_id, "rule": "parse.unreadable", "severity": "error",
        "message": f"「{path.name}」未能读入：{error.zh or f'「{error.reason}」'}", "resource": "documents",
        "key": doc_id,
        "source_line": error.line,
    }
    return Document({"documents": [document], "findings": [finding]}, [])


def frames_of(doc_id: str, document: Document, error: InputError | None = None) -> ParsedDocument:
    """A parsed document's frames: its rows, performance tables linked, budget_lines built."""
    import polars as pl

    from budgettui.fiscal import budget_lines
    from budgettui.parsed import ParsedDocument

    # budget_lines is made from the other frames below (its key keeps its place, schema order)
    empty = pl.DataFrame()
    frames = {r.name: empty if r.name == "budget_lines" else r.frame(document.rows.get(r.name, []))
              for r in schema.RESOURCES}
    before = frames["findings"].height
    frames = _link(frames)
    frames["budget_lines"] = budget_lines(frames, document.rows.get("other_lines", []))
    text = DocumentText.of(line.text for line in document.lines)
    return ParsedDocument(doc_id, frames, text, document.page_starts,
                          frames["findings"].height - before, error)
