"""Search across every node: by name, by code, and by pinyin initials (`jyzx` → 就业和人才服务中心)."""

from __future__ import annotations

from dataclasses import dataclass

from budgettui.tui.outline import Node


def initials(text: str) -> str:
    """Pinyin first letters of the Chinese characters; letters and digits kept, the rest dropped."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(ch for part in letters for ch in part.lower() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class Entry:
    node: Node
    order: int
    name: str
    code: str
    initials: str


#: Units and subjects before projects, findings last, among equally good matches.
_KIND_RANK = {"unit": 0, "subject": 0, "document": 0, "summary": 0, "resource": 0, "project": 1,
              "section": 2, "finding": 3}


def _subsequence(query: str, text: str) -> bool:
    letters = iter(text)
    return all(ch in letters for ch in query)


class SearchIndex:
    """Every node of the outlines, with its pinyin initials, ranked by how well it matches."""

    def __init__(self, roots: list[Node]) -> None:
        nodes = [node for root in roots for node in root.walk()]
        self.entries = [
            Entry(node, order, node.name.lower(), (node.code or "").lower(), initials(node.name))
            for order, node in enumerate(nodes)
        ]

    @staticmethod
    def score(query: str, entry: Entry) -> int | None:
        """0 name or code contains the query, 1 initials start with it, 2 contain it,
        3 hold it in order (`jyzx` in j-y-h-r-c-f-w-z-x); None: no match."""
        if query in entry.name or (entry.code and entry.code.startswith(query)):
            return 0
        if entry.initials.startswith(query):
            return 1
        if query in entry.initials:
            return 2
        if len(query) >= 2 and query.isascii() and _subsequence(query, entry.initials):
            return 3
        return None

    def find(self, query: str) -> list[Node]:
        """The matching nodes: best match first, then budget nodes before findings, then tree order."""
        query = "".join(query.lower().split())
        if not query:
            return []
        scored = [
            (score, _KIND_RANK.get(e.node.kind, 1), e.order, e.node)
            for e in self.entries
            if (score := self.score(query, e)) is not None
        ]
        return [item[-1] for item in sorted(scored, key=lambda t: t[:3])]
