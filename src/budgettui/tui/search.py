"""Search across every node: by name, by code, and by pinyin initials (`jyzx` → 就业和人才服务中心).

The initials come from pypinyin's table of single characters, read as data (its JSON file)
and kept only for the characters the outline uses: importing pypinyin itself loads its
phrase dictionary (~60 MB resident, ~200 ms). A character with several readings gives every
initial it can have, so a polyphone matches by each of its readings (重庆 is `cq`, 银行 `yh`).
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import islice, product
from pathlib import Path

from budgettui.tui.outline import Node

#: At most this many spellings of one name (a name with many polyphones gets the first ones).
MAX_SPELLINGS = 16


@cache
def _table() -> dict[int, str]:
    """Code point → its readings (`zhòng,chóng,tóng`), from pypinyin's data file."""
    spec = importlib.util.find_spec("pypinyin")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    return {int(point): readings for point, readings in json.loads(path.read_text(encoding="utf-8")).items()}


def _letter(reading: str) -> str:
    return unicodedata.normalize("NFKD", reading)[:1].lower()


def letters(char: str, table: dict[int, str] | None = None) -> str:
    """Every pinyin initial a character can have, most common first (重 → `zct`); a letter or
    digit is itself; anything else nothing."""
    readings = (table if table is not None else _table()).get(ord(char))
    if readings:
        return "".join(dict.fromkeys(_letter(r) for r in readings.split(",")))
    return char.lower() if char.isalnum() else ""


def spellings(text: str, table: dict[int, str] | None = None) -> list[str]:
    """The initials of `text`, one string per combination of its polyphones' readings,
    the most common readings first."""
    options = [found for char in text if (found := letters(char, table))]
    return ["".join(combo) for combo in islice(product(*options), MAX_SPELLINGS)]


def initials(text: str) -> str:
    """Pinyin first letters of the Chinese characters (their most common reading); letters
    and digits kept, the rest dropped."""
    found = spellings(text)
    return found[0] if found else ""


@dataclass(frozen=True, slots=True)
class Entry:
    node: Node
    order: int
    name: str
    code: str
    initials: tuple[str, ...]


#: Among equally good matches: budget nodes, then projects, sections, findings last.
_KIND_RANK = {"unit": 0, "subject": 0, "document": 0, "summary": 0, "resource": 0, "project": 1,
              "section": 2, "finding": 3}


def _span(query: str, text: str) -> int | None:
    """Length of the shortest stretch of `text` holding the letters of `query` in order
    (`jyzx` in j-y-h-r-c-f-w-z-x: 9); None when it does not hold them."""
    best = None
    for start, ch in enumerate(text):
        if ch != query[0]:
            continue
        position = start
        for letter in query[1:]:
            position = text.find(letter, position + 1)
            if position < 0:
                return best
        if best is None or position - start + 1 < best:
            best = position - start + 1
    return best


#: A match's rank: (how it matches, 1 if only by a rarer reading of a polyphone, span).
Score = tuple[int, int, int]


class SearchIndex:
    """Every node of the outlines, with its pinyin initials, ranked by how well it matches.

    Both `/` and the command palette (ctrl+p) search with it."""

    def __init__(self, roots: list[Node]) -> None:
        nodes = [node for root in roots for node in root.walk()]
        wanted = {ord(ch) for node in nodes for ch in node.name if ord(ch) > 0x2E7F}
        table = {point: readings for point, readings in _table().items() if point in wanted}
        _table.cache_clear()  # the whole table is 42 000 characters; keep the ones used
        self.entries = [
            Entry(node, order, node.name.lower(), (node.code or "").lower(),
                  tuple(spellings(node.name, table)))
            for order, node in enumerate(nodes)
        ]
        self.table = table

    @staticmethod
    def score(query: str, entry: Entry) -> Score | None:
        """How well `entry` matches (lower is better), None when it does not:
        0 the name or code is the query, 1 the code starts with it, 2 the name does,
        3 the initials are the query, 4 they start with it, 5 the name contains it,
        6 the initials contain it, 7 they hold it in order (`jyzx` in j-y-h-r-c-f-w-z-x),
        the shortest such stretch first. A match by the most common readings comes before
        one that needs a rarer reading of a polyphone.

        A finding's text is a message, not a name: it matches only by its words."""
        name, code = entry.name, entry.code
        if query == name or (code and query == code):
            return 0, 0, 0
        if code and code.startswith(query):
            return 1, 0, 0
        if name.startswith(query):
            return 2, 0, 0
        if query in name:
            return 5, 0, 0
        if entry.node.kind == "finding" or not query.isascii() or not entry.initials:
            return None
        best: Score | None = None
        for rare, spelled in enumerate(entry.initials):
            rare = min(rare, 1)
            if spelled == query:
                found: Score | None = (3, rare, 0)
            elif spelled.startswith(query):
                found = (4, rare, 0)
            elif query in spelled:
                found = (6, rare, 0)
            elif len(query) >= 3 and (span := _span(query, spelled)) is not None:
                found = (7, rare, span)
            else:
                found = None
            if found is not None and (best is None or found < best):
                best = found
        return best

    def find(self, query: str) -> list[Node]:
        """The matching nodes, best first (budget nodes before findings among equals)."""
        return [node for _, node in self.ranked(query)]

    def ranked(self, query: str) -> list[tuple[Score, Node]]:
        """(score, node) of every match, best first."""
        query = "".join(query.lower().split())
        if not query:
            return []
        # Findings after the budget's own nodes; then how it matches, the kind of node (a
        # unit before a project), the span of a match in order, and tree order.
        scored = sorted(
            ((score, e.node) for e in self.entries if (score := self.score(query, e)) is not None),
            key=lambda t: (t[1].kind == "finding", t[0][:2], _KIND_RANK.get(t[1].kind, 1), t[0][2]))
        return scored
