"""A corpus loaded before, read back whole: the merged Budget of several documents, stored in the
parse cache under a key of every source's bytes and name, so that loading the same corpus again
reads one file instead of one entry per document, and merges nothing.

    <cache dir>/v<PARSER_VERSION>-<code fingerprint>/corpora/<key>.corpus

The file is MAGIC, the blobs, then the header (JSON) and its length (8 bytes, little-endian).
It is written blob by blob as each is made (the corpus is never in memory twice), to a temporary
file renamed into place. The header holds the payload's sha256: a damaged, truncated or stale
file is not trusted, and the load reads the documents' own entries instead. The documents'
entries stay the unit of reuse (a corpus with one more document parses that one alone); this
file only saves reading and merging them. It is pruned, cleared and counted with them.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import polars as pl

from budgettui import schema
from budgettui.atomic import atomic_path
from budgettui.cache import CORPUS_SUFFIX, PARSER_VERSION, fingerprint, offsets_bytes, offsets_of, tag
from budgettui.model import Budget, Packed, stored_checks
from budgettui.sources import DocumentText

MAGIC = b"budgettui-corpus\x00"
FOLDER = "corpora"
#: Rows of a resource per blob: what is held compressed at a time, writing or reading.
SLICE_ROWS = 50_000


def corpus_path(root: Path, digests: Sequence[str], names: Sequence[str]) -> Path:
    """Where the corpus of these sources (each file's sha256 and name, in order) is kept."""
    key = hashlib.sha256("\n".join(f"{d}\0{n}" for d, n in zip(digests, names, strict=True))
                         .encode("utf-8", "surrogatepass")).hexdigest()
    return root / tag() / FOLDER / f"{key}{CORPUS_SUFFIX}"


class _Writer:
    """Blobs written one after another to a stream, hashed and measured as they go."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.blobs: list[list[str | int]] = []
        self._size = 0

    def write(self, data: bytes | memoryview) -> int:  # what Polars writes through
        self.stream.write(data)
        self.digest.update(data)
        self._size += len(data)
        return len(data)

    def blob(self, name: str, data: bytes | None = None, frame: pl.DataFrame | None = None) -> None:
        start = self._size
        if frame is not None:
            frame.write_ipc_stream(self, compression="lz4")  # type: ignore[arg-type]
        else:
            self.write(data or b"")
        self.blobs.append([name, self._size - start])


def store(path: Path, budget: Budget) -> bool:
    """Write the budget (as `merge` left it: no check run in this process, nothing skipped) to
    `path`, atomically; False when it cannot be written (the load goes on without it)."""
    doc_ids = budget["documents"]["doc_id"].to_list()
    try:
        with atomic_path(path) as temporary, temporary.open("wb") as stream:
            stream.write(MAGIC)
            writer = _Writer(stream)
            packed: dict[str, int] = {}
            for resource in schema.RESOURCES:
                name = resource.name
                if name in budget._packed:
                    rows = budget._packed[name]
                    packed[name] = rows.height
                    for blob in rows.blobs:
                        writer.blob(f"packed:{name}", blob)
                else:
                    frame = budget.parsed_findings if name == "findings" else budget.frame(name)
                    for part in list(frame.iter_slices(SLICE_ROWS)) or [frame]:  # a slice at a time
                        writer.blob(f"frame:{name}", frame=part)
            checks = [budget.stored_checks[d].findings for d in doc_ids if d in budget.stored_checks]
            writer.blob("checks", frame=pl.concat(checks) if checks else schema.resource("findings").frame([]))
            for n, doc_id in enumerate(doc_ids):
                text = budget._texts[doc_id]
                writer.blob(f"text:{n}", text.packed)
                writer.blob(f"offsets:{n}", offsets_bytes(text.offsets))
            header = json.dumps({
                "parser_version": PARSER_VERSION, "fingerprint": fingerprint(), "doc_ids": doc_ids,
                "pages": [list(budget.pages(d)) for d in doc_ids], "packed": packed,
                "sort": {n: list(p.sort) for n, p in budget._packed.items()},
                "checks": {d: [c.checked, c.broken] for d, c in budget.stored_checks.items()},
                "blobs": writer.blobs, "payload_sha256": writer.digest.hexdigest(),
            }, ensure_ascii=False).encode()
            stream.write(header + len(header).to_bytes(8, "little"))
    except OSError:
        return False
    return True


def restore(path: Path, doc_ids: Sequence[str], paths: Sequence[Path]) -> Budget | None:
    """The budget stored at `path`, its documents' `source_path` the `paths` given now; None when
    there is none, or it is not whole, of another parser, or of other documents. The file is
    read a blob at a time, and nothing of it is used before its payload's sha256 is found right."""
    try:
        with path.open("rb") as stream:
            if stream.read(len(MAGIC)) != MAGIC:
                return None
            stream.seek(-8, os.SEEK_END)
            size = int.from_bytes(stream.read(8), "little")
            end = stream.seek(-8 - size, os.SEEK_END)
            header = json.loads(stream.read(size))
            if (header["parser_version"] != PARSER_VERSION or header["fingerprint"] != fingerprint()
                    or header["doc_ids"] != list(doc_ids)
                    or sum(blob[1] for blob in header["blobs"]) != end - len(MAGIC)):
                return None
            stream.seek(len(MAGIC))
            digest = hashlib.sha256()
            budget = _budget(header, _blobs(stream, header["blobs"], digest), paths)
            if digest.hexdigest() != header["payload_sha256"]:
                return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: the last to be pruned
        return budget
    except (ValueError, KeyError, TypeError, IndexError, OSError, pl.exceptions.PolarsError):
        return None


def _blobs(stream: BinaryIO, sizes: list[list], digest: hashlib._Hash) -> Iterator[tuple[str, bytes]]:
    """Each blob of the payload in turn, hashed into `digest`."""
    for name, size in sizes:
        blob = stream.read(size)
        if len(blob) != size:
            raise ValueError("truncated")
        digest.update(blob)
        yield name, blob


def _budget(header: dict, blobs: Iterator[tuple[str, bytes]], paths: Sequence[Path]) -> Budget:
    parts: dict[str, list[pl.DataFrame]] = {}
    packed: dict[str, list[bytes]] = {}
    texts: dict[int, bytes] = {}
    offsets: dict[int, array] = {}
    checks = None
    for name, blob in blobs:
        kind, _, rest = name.partition(":")
        if kind == "frame":
            parts.setdefault(rest, []).append(pl.read_ipc_stream(io.BytesIO(blob)))
        elif kind == "packed":
            packed.setdefault(rest, []).append(blob)
        elif kind == "checks":
            checks = pl.read_ipc_stream(io.BytesIO(blob))
        elif kind == "text":
            texts[int(rest)] = blob
        elif kind == "offsets":
            offsets[int(rest)] = offsets_of(blob)
    frames = {name: pl.concat(chunks, rechunk=False) if len(chunks) > 1 else chunks[0]
              for name, chunks in parts.items()}
    doc_ids = header["doc_ids"]
    if set(frames) | set(packed) != set(schema.BY_NAME) or checks is None or len(paths) != len(doc_ids):
        raise ValueError("not a whole budget")
    frames["documents"] = frames["documents"].with_columns(
        pl.Series("source_path", [str(p) for p in paths], pl.String))
    stored = stored_checks(checks, header["checks"])
    return Budget(
        frames, {d: DocumentText(texts[n], offsets[n]) for n, d in enumerate(doc_ids)}, checked=False,
        pages={d: tuple(p) for d, p in zip(doc_ids, header["pages"], strict=True)}, checks=stored,
        packed={n: Packed(blobs, header["packed"][n], tuple(header["sort"].get(n, ())))
                for n, blobs in packed.items()},
    )


__all__ = ["corpus_path", "restore", "store"]
