"""Reading a corpus for the browser, document by document, while it is already on screen.

`arrivals` parses the sources as `budgettui.load` does (worker processes, the cache, in
order) and hands over each document as soon as it is parsed, with its own one-document
Budget and outline; `Growing` lets the detail pane read the documents read so far as one
Budget. Once all are read, the app swaps in the Budget `merge` makes of them (the one
`load` would give) and runs the checks on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from budgettui.model import Budget, ParsedDocument, parse_documents
from budgettui.sources import Line, expand_sources
from budgettui.tui import outline
from budgettui.tui.groups import COVER_LINES, Placed, placed


@dataclass(slots=True)
class Arrival:
    """One document, parsed: its Budget, its outline and where it goes in the tree."""

    parsed: ParsedDocument
    budget: Budget
    placed: Placed

    @property
    def title(self) -> str:
        """The document's title, as the header shows it (its outline's name if it prints none)."""
        return self.placed.title


def single(doc: ParsedDocument) -> Budget:
    """A Budget of one parsed document; its findings are the parsers' (the checks run later,
    on the whole corpus)."""
    return Budget(dict(doc.frames), {doc.doc_id: doc.text}, (doc.error,) if doc.error else (),
                  checked=True, pages={doc.doc_id: doc.page_starts})


def arrive(doc: ParsedDocument) -> Arrival:
    budget = single(doc)
    root = outline.build(budget, findings=False)[0]
    row = budget["documents"].row(0, named=True)
    cover = [line.text for line in budget.source_lines(doc.doc_id, 1, COVER_LINES)]
    return Arrival(doc, budget, placed(root, row, cover))


def arrivals(sources: list[Path], duplicates: list[tuple[Path, Path]]) -> tuple[int, Iterator[Arrival]]:
    """How many documents the sources hold, and each one as it is parsed (in their order).
    InputError up front when a source does not exist or a folder holds no document."""
    paths = expand_sources(list(sources))
    return len(paths), (arrive(doc) for doc in parse_documents(paths, None, True, duplicates))


class Growing:
    """The documents read so far, read as one Budget by the browser's views."""

    def __init__(self) -> None:
        self.parts: dict[str, Budget] = {}
        self._joined: dict[str, pl.DataFrame] = {}

    def add(self, doc_id: str, budget: Budget) -> None:
        self.parts[doc_id] = budget
        self._joined.clear()

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in self._joined:
            frames = [part[name] for part in self.parts.values()]
            self._joined[name] = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
        return self._joined[name]

    frame = __getitem__

    @property
    def skipped(self) -> tuple:
        return tuple(error for part in self.parts.values() for error in part.skipped)

    def pages(self, doc_id: str) -> tuple[int, ...]:
        return self.parts[doc_id].pages(doc_id)

    def document_line(self, doc_id: str, line: int, page: int | None = None) -> int:
        return self.parts[doc_id].document_line(doc_id, line, page)

    def source_lines(self, doc_id: str, first: int, last: int | None = None,
                     page: int | None = None) -> list[Line]:
        return self.parts[doc_id].source_lines(doc_id, first, last, page)

    def page_lines(self, doc_id: str, page: int) -> list[Line]:
        return self.parts[doc_id].page_lines(doc_id, page)
