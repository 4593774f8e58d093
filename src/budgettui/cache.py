"""The parse cache: each parsed document stored once, found again by the sha256 of its bytes.

An entry holds one document's frames (Arrow IPC streams, LZ4), the findings of its consistency
checks (run where it was parsed) and its text (see `DocumentText`) in one file,
`<cache dir>/v<PARSER_VERSION>-<code fingerprint>/<sha[:2]>/<sha256>-<name key>.budget`:

    MAGIC, the header's length (8 bytes, little-endian), the header (JSON), the payload

The header names the parser version, the fingerprint of the parser's code, the source's sha256,
and each blob of the payload (name, length); the payload's own sha256 is in it too, so a
truncated or damaged entry is detected and re-parsed, never trusted. So is an entry of another
parser version or other parser code: editing any module of the package, or raising
PARSER_VERSION, makes new entries (`budgettui cache clear` removes the old ones). The file name
also holds the document's id and file name (rows cite the id), so a renamed copy is parsed anew
rather than relabelled. Entries are written to a temporary file in their folder and renamed into
place, so a reader sees a whole entry or none.

The cache folder is the user's cache dir (platformdirs), or $BUDGETTUI_CACHE_DIR. It is kept
under a size limit ($BUDGETTUI_CACHE_MAX_MB, default 2048 MB; 0 turns the limit off): after a
load that wrote entries, the entries of other parser versions go first, then the least recently
used ones (a read refreshes an entry's time), until the cache is back under 90% of the limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import stat
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from budgettui.sources import DocumentText, InputError, max_bytes

if TYPE_CHECKING:  # Polars is imported where frames are read or written: the browser finds
    import polars as pl  # its stored outline (tui/sketch.py) before Polars is imported

#: Raise when a parser's output changes in a way the code fingerprint would not show.
PARSER_VERSION = 2
CACHE_ENV = "BUDGETTUI_CACHE_DIR"
LIMIT_ENV = "BUDGETTUI_CACHE_MAX_MB"
DEFAULT_LIMIT_MB = 2048
MAGIC = b"budgettui-cache\x00"
SUFFIX = ".budget"
#: A whole corpus loaded before (budgettui.snapshot), kept beside the documents' entries.
CORPUS_SUFFIX = ".corpus"
#: Kept beside a document's entry by the browser (its tree, tui/sketch.py), removed with it.
BESIDE_SUFFIXES = (".outline",)
_TAG = re.compile(r"v\d+-[0-9a-f]{16}")
_FRAME = "frame:"


def cache_dir() -> Path:
    """$BUDGETTUI_CACHE_DIR, else the user's cache folder for budgettui."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("budgettui", appauthor=False))


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """sha256 of the package's modules and data files (not the browser's): the parser's code."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.iterdir()):
        if path.is_file() and path.suffix in (".py", ".tsv"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def tag() -> str:
    """The folder of this parser version and code: `v<PARSER_VERSION>-<16 hex digits>`."""
    return f"v{PARSER_VERSION}-{fingerprint()[:16]}"


def entry_path(root: Path, sha256: str, doc_id: str, name: str) -> Path:
    """Where the entry of a document (its bytes' sha256, its id, its file name) is kept."""
    names = hashlib.sha256(f"{doc_id}\0{name}".encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return root / tag() / sha256[:2] / f"{sha256}-{names}{SUFFIX}"


def file_sha256(path: Path) -> str | None:
    """sha256 of a regular file's bytes; None for a pipe or device (read once, by the parser),
    a file over the size limit, or one that cannot be read (the parser will say why)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes():
            return None
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except (OSError, ValueError, InputError):
        return None


def offsets_bytes(offsets: array) -> bytes:
    """Line offsets (DocumentText.offsets) as little-endian bytes."""
    if sys.byteorder == "little":
        return offsets.tobytes()
    swapped = array(offsets.typecode, offsets)
    swapped.byteswap()
    return swapped.tobytes()


def offsets_of(data: bytes) -> array:
    """The line offsets of `offsets_bytes`."""
    offsets = array("Q")
    offsets.frombytes(data)
    if sys.byteorder != "little":
        offsets.byteswap()
    return offsets


def write_entry(path: Path, sha256: str, meta: dict, frames: dict[str, pl.DataFrame],
                text: DocumentText) -> bool:
    """Store one document atomically; False when the cache folder cannot be written (the load
    goes on without it)."""
    from budgettui.atomic import atomic_path

    blobs: list[tuple[str, bytes]] = []
    for name, frame in frames.items():
        buffer = io.BytesIO()
        frame.write_ipc_stream(buffer, compression="lz4")
        blobs.append((_FRAME + name, buffer.getvalue()))
    blobs += [("text", text.packed), ("offsets", offsets_bytes(text.offsets))]
    payload = b"".join(blob for _, blob in blobs)
    header = json.dumps({
        "parser_version": PARSER_VERSION, "fingerprint": fingerprint(), "sha256": sha256,
        "meta": meta, "blobs": [[name, len(blob)] for name, blob in blobs],
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }, ensure_ascii=False).encode()
    try:
        with atomic_path(path) as temporary:
            temporary.write_bytes(MAGIC + len(header).to_bytes(8, "little") + header + payload)
    except OSError:
        return False
    return True


def read_entry(path: Path, sha256: str) -> tuple[dict, dict[str, pl.DataFrame], DocumentText] | None:
    """(meta, frames, text) of a whole, current entry for these bytes; None when there is none,
    or it is of another parser version or code, truncated or damaged."""
    import polars as pl

    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        if not data.startswith(MAGIC):
            return None
        start = len(MAGIC) + 8
        end = start + int.from_bytes(data[len(MAGIC):start], "little")
        header = json.loads(data[start:end])
        if (header["parser_version"] != PARSER_VERSION or header["fingerprint"] != fingerprint()
                or header["sha256"] != sha256):
            return None
        payload = memoryview(data)[end:]
        if hashlib.sha256(payload).hexdigest() != header["payload_sha256"]:
            return None
        frames: dict[str, pl.DataFrame] = {}
        blobs: dict[str, bytes] = {}
        at = 0
        for name, size in header["blobs"]:
            blob = payload[at:at + size]
            at += size
            if name.startswith(_FRAME):
                frames[name[len(_FRAME):]] = pl.read_ipc_stream(io.BytesIO(blob))
            else:
                blobs[name] = bytes(blob)
        if at != len(payload):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: the last to be pruned
        return header["meta"], frames, DocumentText(blobs["text"], offsets_of(blobs["offsets"]))
    except (ValueError, KeyError, TypeError, OSError, pl.exceptions.PolarsError):
        return None


def clear(root: Path | None = None) -> tuple[int, int]:
    """Remove every entry (of any parser version) and the folders that held them: the count of
    documents' entries and of corpora's removed. Only budgettui's own folders and files are
    touched."""
    removed = [0, 0]
    for version, folder in _folders(cache_dir() if root is None else root):
        for entry in folder.iterdir():
            if (entry.suffix in (SUFFIX, CORPUS_SUFFIX, *BESIDE_SUFFIXES)
                    or (entry.name.startswith(".") and entry.suffix == ".tmp")):
                entry.unlink(missing_ok=True)
                if entry.suffix in (SUFFIX, CORPUS_SUFFIX):
                    removed[entry.suffix == CORPUS_SUFFIX] += 1
        _rmdir(folder)
        _rmdir(version)
    return removed[0], removed[1]


def _folders(root: Path) -> Iterator[tuple[Path, Path]]:
    """(version folder, entry folder) of every folder of entries budgettui keeps under `root`."""
    if not root.is_dir():
        return
    for version in list(root.iterdir()):
        if version.is_dir() and _TAG.fullmatch(version.name):
            for folder in list(version.iterdir()):
                if folder.is_dir():
                    yield version, folder


def limit_bytes() -> int | None:
    """The cache's size limit in bytes ($BUDGETTUI_CACHE_MAX_MB), None when there is none (0)."""
    configured = os.environ.get(LIMIT_ENV, "").strip()
    try:
        megabytes = float(configured) if configured else DEFAULT_LIMIT_MB
    except ValueError:
        raise InputError(LIMIT_ENV, f"not a number of megabytes: {configured!r}") from None
    return int(megabytes * 2**20) if megabytes > 0 else None


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored document: its file, size (with what is kept beside it), last use, and
    whether this parser can read it."""

    path: Path
    size: int
    used: float
    current: bool

    @property
    def corpus(self) -> bool:
        """A whole corpus (budgettui.snapshot), not one document."""
        return self.path.suffix == CORPUS_SUFFIX


def entries(root: Path | None = None) -> list[Entry]:
    """Every entry under the cache folder (of any parser version): documents and corpora."""
    found: list[Entry] = []
    current = tag()
    for version, folder in _folders(cache_dir() if root is None else root):
        for path in folder.iterdir():
            if path.suffix in (SUFFIX, CORPUS_SUFFIX):
                with contextlib.suppress(OSError):
                    info = path.stat()
                    size = info.st_size + (sum(_size(path.with_suffix(s)) for s in BESIDE_SUFFIXES)
                                           if path.suffix == SUFFIX else 0)
                    found.append(Entry(path, size, info.st_mtime, version.name == current))
    return found


def _size(path: Path) -> int:
    """The size of a file, 0 when there is none."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def prune(root: Path, limit: int | None) -> int:
    """Bring the cache under 90% of `limit` bytes (None: no limit) when it is over it: other
    parser versions' entries first, then the least recently used. The count removed."""
    if limit is None:
        return 0
    found = entries(root)
    size = sum(entry.size for entry in found)
    if size <= limit:
        return 0
    removed = 0
    for entry in sorted(found, key=lambda e: (e.current, e.used)):
        if size <= limit * 0.9:
            break
        with contextlib.suppress(OSError):
            entry.path.unlink()
            size -= entry.size
            removed += 1
            for suffix in BESIDE_SUFFIXES:
                entry.path.with_suffix(suffix).unlink(missing_ok=True)
            if not any(entry.path.parent.iterdir()):
                _rmdir(entry.path.parent)
                _rmdir(entry.path.parent.parent)
    return removed


def _rmdir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: something else lives there
        folder.rmdir()


__all__ = ["BESIDE_SUFFIXES", "CACHE_ENV", "CORPUS_SUFFIX", "LIMIT_ENV", "PARSER_VERSION", "Entry", "cache_dir",
           "clear", "entries",
           "entry_path", "file_sha256", "fingerprint", "limit_bytes", "offsets_bytes", "offsets_of",
           "prune", "read_entry", "tag", "write_entry"]
