"""What parsing one document gives: its frames, text and pages (what a worker process or the
cache hands over). Kept apart from the parsers, so a cached load imports none of them."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from budgettui.sources import DocumentText, InputError


@dataclass(frozen=True, slots=True)
class Checks:
    """What the consistency rules found in one document at the default tolerance: their
    findings (a `findings` frame, lines counted from the start of the document), the figures
    they checked, and how many of those do not hold beyond rounding."""

    findings: pl.DataFrame
    checked: int
    broken: int


@dataclass(slots=True)
class ParsedDocument:
    """One document, parsed: each resource's rows of it as a frame (performance tables linked to
    projects; `findings` ends with the `link_findings` findings of that linking), its text and
    page starts. `error` is why it could not be loaded (its frames are then its `documents` row
    and a `parse.unreadable` finding). `checks`: the consistency rules' results, when they were
    run where the document was parsed (a worker process) or stored with it in the cache.
    Picklable: what a worker process sends back."""

    doc_id: str
    frames: dict[str, pl.DataFrame]
    text: DocumentText
    page_starts: tuple[int, ...] = ()
    link_findings: int = 0
    error: InputError | None = None
    checks: Checks | None = None


__all__ = ["Checks", "ParsedDocument"]
