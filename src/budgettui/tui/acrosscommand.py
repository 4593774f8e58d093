"""The command palette's way to a subject across documents (light: imported before the first
paint, it leaves Polars to the screen it opens)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import Hit, Hits, Provider

#: Subjects the palette offers to show across documents, per query.
LIMIT = 8


class AcrossProvider(Provider):
    """The command palette: "所有文档中的 2080505 …" for the subjects the search finds."""

    async def search(self, query: str) -> Hits:
        app = self.app
        index = app.search_index()  # type: ignore[attr-defined]
        query = query.strip()
        if index is None or not query or len(app.outlines) < 2:  # type: ignore[attr-defined]
            return
        seen: set[str] = set()
        for _, node in index.ranked(query):
            if node.kind != "subject" or not node.code or node.code in seen:
                continue
            seen.add(node.code)
            yield Hit(0.99 - len(seen) / 100, Text(f"所有文档中的 {node.code} {node.name}"),
                      partial(app.show_across, node.code), help="功能科目 · 跨文档")  # type: ignore[attr-defined]
            if len(seen) >= LIMIT:
                return
