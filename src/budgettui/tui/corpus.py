"""The browser on a corpus: documents read in a thread join the tree as they arrive, grouped
by place › year; views across documents (`a`, `c`). A mixin of BudgetApp (app.py), kept apart
from it; like app.py it imports nothing of Polars before the first paint.
"""

from __future__ import annotations

import gc
import time
from concurrent.futures import CancelledError
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from budgettui.model import Budget
    from budgettui.parsed import ParsedDocument
    from budgettui.tui.ahead import Ahead
    from budgettui.tui.loading import Arrival
    from budgettui.tui.outline import Node
    from budgettui.tui.sketch import Sketch

#: While a corpus is read, documents join the tree at most this often (seconds).
PUBLISH = 0.25
#: The garbage collector rests at most this long while the first document is read (seconds):
#: a source that never ends (a FIFO nobody writes to) must not keep it off.
GC_REST = 1.0


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker now, while stderr is the terminal's: the worker
    processes that parse a corpus need it, and once the app runs, Textual's stand-in for
    stderr has no file descriptor to hand it (a ValueError, and nothing would be read)."""
    import contextlib
    from multiprocessing import resource_tracker

    with contextlib.suppress(Exception):  # without one, the documents parse here, one by one
        resource_tracker.ensure_running()


class CorpusBrowsing:
    """BudgetApp's reading of its sources, its grouping and its views across documents."""

    ahead: Ahead | None  # the document read ahead in a second process (tui/ahead.py), if any

    def _group(self, budget: Budget) -> None:
        """Group the documents of a loaded Budget by place and year."""
        from budgettui.tui.groups import COVER_LINES, Grouping, placed

        self.grouping = Grouping()
        documents = budget["documents"]
        for root, doc in zip(self.outlines, documents.iter_rows(named=True), strict=True):
            cover = [line.text for line in budget.source_lines(root.doc_id, 1, COVER_LINES)]
            self._place(placed(root, doc, cover))
        self.tops = self.grouping.places

    def _place(self, placed) -> list[Node]:
        """Put a document under its place and year; the documents whose label changed."""
        assert self.grouping is not None
        _, renamed = self.grouping.add(placed)
        self.by_id.update((node.id, node) for node in placed.root.path)
        return renamed

    def _load(self) -> None:
        """Parse the sources (in a thread), handing each document to the app as it is read;
        then the Budget of them all, and its checks.

        The garbage collector rests until the first document is on screen: importing Polars
        and building the tree make objects by the hundred thousand and hardly any garbage,
        and the passes it would run meanwhile cost a fifth of the imports. At most GC_REST."""
        gc.disable()  # (on_mount set a timer to enable it again after GC_REST)
        try:
            self._read()
        finally:
            gc.enable()

    def _read(self) -> None:
        from budgettui.tui import sketch

        try:
            # A document shown before: its tree at once, from its stored outline. One shown for
            # the first time: from the outline the second process stores (tui/ahead.py), or
            # without one, read here the same way: its tree drawn before Polars is imported.
            drawn = self.ahead.outline() if self.ahead is not None else sketch.find(self.sources)
            first: ParsedDocument | None = None
            if drawn is not None and drawn.root is None:
                if self.ahead is not None:
                    self.ahead.finish()  # (it ended without storing the outline)
                drawn, first = self._read_first(drawn)
            elif drawn is not None:
                self.call_from_thread(self._sketched, drawn.title, drawn.root)
            from budgettui.model import merge
            from budgettui.sources import InputError
            from budgettui.tui.loading import arrivals, arrive

            duplicates: list[tuple[Path, Path]] = []
            if self.ahead is not None:  # Polars imported meanwhile: now the document is in the cache
                self.ahead.finish()
            try:
                total, stream = (1, iter([arrive(first)])) if first is not None else arrivals(self.sources, duplicates)
                if total > 1:
                    self.call_from_thread(self._reading, total)
                batch: list[Arrival] = []
                parsed = []
                shown = 0.0
                for arrival in stream:
                    if drawn is not None and total == 1:
                        self._join_sketch(drawn, arrival)
                    batch.append(arrival)
                    parsed.append(arrival.parsed)
                    if time.monotonic() - shown >= PUBLISH:
                        self.call_from_thread(self._arrived, batch, len(parsed), total)
                        batch, shown = [], time.monotonic()
                        gc.enable()
                if batch:
                    self.call_from_thread(self._arrived, batch, len(parsed), total)
                gc.enable()
                budget = merge(parsed, self.sources, duplicates)
            except InputError as exc:
                self.error = str(exc)
                self.call_from_thread(self.exit, None, 2)
                return
            # The tree first; the checks behind 核对 (a fifth of the parse) after it.
            self.call_from_thread(self._all_read, budget)
            budget["findings"]  # runs the checks here, off the main thread
            self.call_from_thread(self._findings_ready)
        except (RuntimeError, CancelledError):  # the app quit while the thread was reading: nobody to tell
            return

    def _read_first(self, drawn: Sketch) -> tuple[Sketch, ParsedDocument | None]:
        """(In the reading thread.) A document opened for the first time, that no second
        process read: read here as that process would (tui/ahead.py), its tree drawn as soon as
        its outline is stored. The sketch drawn, and the parsed document (None when it cannot
        be loaded: then nothing is drawn, and the reading that follows says why)."""
        from budgettui.tui import ahead

        shown: list[Sketch] = []

        def show(stored: Sketch) -> None:
            shown.append(stored)
            self.call_from_thread(self._sketched, stored.title, stored.root)

        parsed = ahead.read(self.sources[0], show)
        return (shown[0] if shown else drawn), parsed

    def _reading(self, total: int) -> None:
        self.title = f"budgettui · {total} 份文档"
        self.sub_title = f"已读 0/{total}"
        self.query_one("#loading", Static).update(f"正在读取 {total} 份文档…  q 退出")

    def _join_sketch(self, drawn: Sketch, arrival: Arrival) -> None:
        """(In the reading thread.) The one document just parsed, against the tree drawn from
        its stored outline: the same, and the nodes on screen stand for it; else the tree is
        built anew from it, and the outline stored for next time."""
        from budgettui.tui import sketch

        if sketch.keep(drawn, arrival.title, arrival.placed.root) and drawn.root is not None:
            arrival.placed.root = drawn.root

    async def _arrived(self, batch: list[Arrival], count: int, total: int) -> None:
        """Documents parsed: into the tree (under their place and year), the header counts them."""
        from budgettui.tui.groups import Grouping
        from budgettui.tui.loading import Growing

        first = self.growing is None
        if self.growing is None:
            self.growing = Growing()
            self.budget = self.growing  # type: ignore[assignment]
            self.grouping = Grouping() if total > 1 else None
            self.outlines, self.by_id = [], {}  # (a tree drawn from a stored outline is rebuilt or joined)
        renamed: list[Node] = []
        for arrival in batch:
            root = arrival.placed.root
            self.growing.add(root.doc_id, arrival.budget)
            self.outlines.append(root)
            self.by_id.update((node.id, node) for node in root.walk())
            if self.grouping is not None:
                renamed += self._place(arrival.placed)
        self.tops = self.grouping.places if self.grouping is not None else self.outlines
        if total == 1:
            self.title = arrival.title
        else:
            self.title = f"budgettui · {total} 份文档"
            self.sub_title = f"已读 {count}/{total}"
        with self._index_lock:
            self.index = None  # built again with the new documents when searched
        if first:
            if self._sketch is not None and self._sketch is root:  # the tree on screen stands
                await self._detail_mounted()
            else:
                await self._loaded()
            return
        tree = self._tree()
        for arrival in batch:
            tree.insert(arrival.placed.root)
        for node in renamed:
            if node.id in tree.nodes:
                tree.nodes[node.id].set_label(Text(node.name))
        detail = self._detail()
        detail.views.forget()  # a place or a year on display lists its documents so far
        if detail.node is not None and detail.node.kind == "group":
            detail.show(detail.node)

    def _all_read(self, budget: Budget) -> None:
        """Every document is read: the views read the corpus's Budget from now on."""
        self.budget = budget
        self.growing = None
        detail = self._detail()
        detail.views.budget = budget
        detail.views.forget()
        if len(self.outlines) > 1:
            self.sub_title = f"已读 {len(self.outlines)}/{len(self.outlines)} · 核对中…"


    def where(self) -> dict:
        """Each document's place, year and department (crossviews.Where), by doc_id."""
        from budgettui.tui.crossviews import Where
        from budgettui.tui.groups import place_of

        if self.grouping is not None:
            return {doc_id: Where(p.place, p.year, p.department) for doc_id, p in self.grouping.documents.items()}
        return {row["doc_id"]: Where(place_of(row["department"], row["title"]), row["year"],
                                     row["department"] or row["title"] or row["doc_id"])
                for row in self.budget["documents"].iter_rows(named=True)}

    def _cursor_data(self) -> Node | None:
        node = self._tree().cursor_node
        return node.data if node is not None else None

    def action_across(self) -> None:
        """`a` on a subject: that subject in every document."""
        node = self._cursor_data()
        if node is None or node.kind != "subject" or not node.code:
            self.notify("a: on a 功能科目 subject, shows it in every document", severity="warning", timeout=3)
            return
        self.show_across(node.code)

    def show_across(self, code: str) -> None:
        from budgettui.tui.crossscreens import AcrossScreen
        from budgettui.tui.crossviews import subject_across

        self.push_screen(AcrossScreen(code, subject_across(self.budget, code, self.where())))

    def action_compare(self) -> None:
        """`c` in a document: the same department in its nearest other year, side by side."""
        from budgettui.tui.crossscreens import YearsScreen
        from budgettui.tui.crossviews import compare_years

        node = self._cursor_data()
        document = next((n for n in node.path if n.kind == "document"), None) if node else None
        if document is None:
            self.notify("c: in a document, compares it with the same department's other year",
                        severity="warning", timeout=3)
            return
        others = self.grouping.other_years(document.doc_id) if self.grouping is not None else []
        if not others:
            self.notify(f"没有「{document.name}」其他年度的文档", severity="warning", timeout=3)
            return
        assert self.grouping is not None
        pair = sorted((self.grouping.documents[document.doc_id], others[0]), key=lambda p: p.year or 0)
        old, new = (p.root.doc_id for p in pair)
        title = f"{pair[1].department} · {pair[0].year}年 → {pair[1].year}年"
        self.push_screen(YearsScreen(title, compare_years(self.budget, old, new, self.where())))
