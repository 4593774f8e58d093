"""What parsing one document gives: its frames, text and pages (what a worker process or the
cache hands over). Kept apart from the parsers, so a cached load imports none of them."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from budgettui.sources import DocumentText, InputError


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


__all__ = ["ParsedDocument"]
