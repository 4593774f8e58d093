"""The command palette's "go to": the same search as `/` (names, codes, pinyin initials)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

_KINDS = {"subject": "功能科目", "unit": "单位", "project": "项目", "section": "情况说明",
          "resource": "表", "summary": "表", "document": "文档", "finding": "核对"}
#: Hits listed per query (the palette shows a page of them; the best come first).
LIMIT = 40


class GoToProvider(Provider):
    """Go to any node the `/` search finds; with several documents each hit names its own."""

    def _describe(self, node) -> tuple[Text, str]:
        app = self.app
        label = f"{node.code} {node.name}" if node.code else node.name
        help_text = _KINDS.get(node.kind, node.kind)
        if len(app.outlines) > 1:  # type: ignore[attr-defined]
            help_text = f"{help_text} · {node.crumbs()[0]}"
        return Text(f"go to {label}"), help_text

    async def discover(self) -> Hits:
        shown = 0
        for root in self.app.outlines:  # type: ignore[attr-defined]
            for node in root.walk():
                if node.kind in ("subject", "unit", "project") and shown < 30:
                    text, help_text = self._describe(node)
                    shown += 1
                    yield DiscoveryHit(text, partial(self.app.go_to, node), help=help_text)  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        app = self.app
        # "go to 信息化经费" and "信息化经费" look for the same thing.
        query = query.strip()
        if query.lower().startswith("go to"):
            query = query[5:].strip()
        index = app.search_index()  # type: ignore[attr-defined]
        if index is None or not query:
            return
        ranked = index.ranked(query)[:LIMIT]
        for rank, (_, node) in enumerate(ranked):
            text, help_text = self._describe(node)
            yield Hit(1.0 - rank / (LIMIT + 1), text, partial(app.go_to, node), help=help_text)  # type: ignore[attr-defined]
