"""The tree of a document opened before, drawn before Polars is imported.

The first time the browser shows a document, it stores the document's outline (the nodes of
its tree, without findings) as JSON beside the document's cache entry: `<entry>.outline`.
Opened again, the reading thread finds it from the file's sha256 alone and the tree is drawn
from it at once; the parsed Budget (Polars, the cache entry) follows a moment later. The
outline built from that Budget is compared with the stored one: the same, and the nodes on
screen stay (the detail pane reads them); different, and the tree is built again and the
file rewritten. So a stored outline is never trusted beyond its first frames, and a stale,
damaged or foreign file at worst costs one redraw. The file names the browser's code (a
fingerprint of budgettui/tui) and is ignored when another version of it wrote the file.

Only one document given as a regular file is sketched: a corpus is drawn as it is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from budgettui import cache
from budgettui.tui.nodes import Node

SUFFIX = cache.BESIDE_SUFFIXES[0]
FORMAT = 1


@lru_cache(maxsize=1)
def code() -> str:
    """sha256 of the browser's modules (an outline is what this code builds)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(slots=True)
class Sketch:
    """Where one document's outline is kept, and what was found there."""

    path: Path
    stored: str | None = None  # the file's text
    title: str = ""
    root: Node | None = None  # the outline it holds, when it is of this code and whole


def find(sources: list[Path]) -> Sketch | None:
    """The sketch of the sources when they are one regular file (with what is stored, if
    anything); None otherwise, or when the file cannot be read."""
    if len(sources) != 1:
        return None
    source = sources[0]
    sha256 = cache.file_sha256(source)
    if sha256 is None:
        return None
    return beside(cache.entry_path(cache.cache_dir(), sha256, source.stem, source.name))


def beside(entry: Path) -> Sketch:
    """The sketch kept beside a cache entry, with what is stored there."""
    return at(entry.with_suffix(SUFFIX))


def at(path: Path) -> Sketch:
    """The sketch kept at `path`, with what is stored there now."""
    sketch = Sketch(path)
    with contextlib.suppress(OSError, UnicodeDecodeError):
        sketch.stored = sketch.path.read_text(encoding="utf-8")
    with contextlib.suppress(ValueError, KeyError, TypeError, IndexError, InvalidOperation):
        if sketch.stored is not None:
            data = json.loads(sketch.stored)
            if data["format"] == FORMAT and data["code"] == code():
                sketch.title, sketch.root = str(data["title"]), _node(data["root"])
    return sketch


def keep(sketch: Sketch, title: str, root: Node) -> bool:
    """Whether the stored outline is the one just built (`title`, `root`); when it is not,
    store the new one (a cache folder that cannot be written is left as it is)."""
    text = dumps(title, root)
    if text == sketch.stored:
        return True
    _write(sketch.path, text)
    return False


def store(sketch: Sketch, title: str, root: Node) -> Sketch:
    """Store an outline at the sketch's path (a cache folder that cannot be written is left
    as it is); the sketch as it is stored now."""
    text = dumps(title, root)
    _write(sketch.path, text)
    return Sketch(sketch.path, text, title, root)


def _write(path: Path, text: str) -> None:
    with contextlib.suppress(OSError):
        from budgettui.atomic import write_atomic

        write_atomic(path, text)


def dumps(title: str, root: Node) -> str:
    """The outline as stored: this code's fingerprint, the title and the nodes."""
    return json.dumps({"format": FORMAT, "code": code(), "title": title, "root": _plain(root)},
                      ensure_ascii=False, separators=(",", ":"))


def _plain(node: Node) -> list:
    amounts = [None if amount is None else str(amount) for amount in node.amounts]
    return [node.kind, node.doc_id, node.name, node.key, node.resource, node.code, amounts, node.mark,
            [_plain(child) for child in node.children]]


def _node(plain: list) -> Node:
    kind, doc_id, name, key, resource, code_, amounts, mark, children = plain
    if not all(isinstance(text, str) for text in (kind, doc_id, name, mark)) or not all(
            text is None or isinstance(text, str) for text in (key, resource, code_)):
        raise TypeError("not an outline node")
    node = Node(kind, doc_id, name, key, resource, code_,
                tuple(None if amount is None else Decimal(amount) for amount in amounts), mark)
    for child in children:
        node.add(_node(child))
    return node
