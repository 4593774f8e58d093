"""`budgettui survey`: one line per document — what it is and how much of it was understood."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from budgettui.model import Budget

COLUMNS: dict[str, pl.DataType] = {
    "file": pl.String(), "doc_id": pl.String(), "department": pl.String(), "year": pl.Int64(),
    "kind": pl.String(), "scope": pl.String(), "pages": pl.Int64(), "unit": pl.String(),
    "tables": pl.String(), "unmapped": pl.Int64(), "performance_tables": pl.Int64(),
    "indicators": pl.Int64(), "identities": pl.Int64(), "holding": pl.Int64(),
    "errors": pl.Int64(), "status": pl.String(),
}


def survey(budget: Budget) -> pl.DataFrame:
    """Per document: file, department, year, kind, scope, pages, unit, the template tables
    recognised (their numbers), tables of no template kind, performance tables, indicators,
    identities checked and holding, and errors (findings of severity error)."""
    from pathlib import Path

    from budgettui.audit import check_budget, merged_findings

    report = check_budget(budget)
    findings = pl.DataFrame(merged_findings(budget, report), infer_schema_length=None)
    errors = (findings.filter(pl.col("severity") == "error").group_by("doc_id").len()
              if findings.height else pl.DataFrame({"doc_id": [], "len": []}))
    error_count = dict(zip(errors["doc_id"].to_list(), errors["len"].to_list(), strict=True))
    tables = budget["source_tables"]
    # per document, counted once (not one filter per document: a corpus is large)
    numbers = {doc: sorted(set(part["table_no"].to_list())) for (doc,), part in
               tables.filter(pl.col("status") == "parsed").group_by("doc_id", maintain_order=True)}
    unmapped = _counts(tables.filter(pl.col("status") == "unmapped"))
    targets = _counts(budget["performance_targets"])
    indicators = _counts(budget["indicators"])
    skipped = {str(error.path) for error in budget.skipped}
    rows = []
    for doc in budget["documents"].iter_rows(named=True):
        doc_id = doc["doc_id"]
        checked, broken = report.per_document.get(doc_id, (0, 0))
        rows.append({
            "file": Path(doc["source_path"]).name, "doc_id": doc_id, "department": doc["department"],
            "year": doc["year"], "kind": doc["kind"], "scope": doc["scope"], "pages": doc["pages"],
            "unit": doc["amount_unit"], "tables": ",".join(str(n) for n in numbers.get(doc_id, [])),
            "unmapped": unmapped.get(doc_id, 0),
            "performance_tables": targets.get(doc_id, 0),
            "indicators": indicators.get(doc_id, 0),
            "identities": checked, "holding": checked - broken,
            "errors": error_count.get(doc_id, 0),
            "status": "skipped" if doc["source_path"] in skipped else "loaded",
        })
    return pl.DataFrame(rows, schema=COLUMNS)


def _counts(frame: pl.DataFrame) -> dict[str, int]:
    """Rows per doc_id."""
    counted = frame.group_by("doc_id").len()
    return dict(zip(counted["doc_id"].to_list(), counted["len"].to_list(), strict=True))


def recognised_share(budget: Budget) -> tuple[int, int]:
    """(tables recognised as template tables, tables printed) over the loaded documents."""
    tables = budget["source_tables"]
    return tables.filter(pl.col("status") == "parsed").height, tables.height


__all__ = ["recognised_share", "survey"]
