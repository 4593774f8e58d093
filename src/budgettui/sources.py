"""Reading sources: files and folders → decoded, normalised text lines that keep their numbers.

Any input gets a clear answer: a file that cannot be a budget disclosure (missing, empty,
binary, PDF, too big, in an unknown encoding) raises `InputError` naming it; a few damaged
bytes in an otherwise readable document become U+FFFD and are listed in `SourceText.damaged`
so the parsers can report them, never a silent guess.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import select
import stat
import sys
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import BinaryIO

#: File name suffixes taken from a folder source.
DOCUMENT_SUFFIXES = (".txt", ".pdf")
#: Largest source read, in bytes (checked before reading); BUDGETTUI_MAX_BYTES overrides it.
MAX_BYTES = 200 * 1024 * 1024
MAX_BYTES_ENV = "BUDGETTUI_MAX_BYTES"
#: `-` as a source reads standard input.
STDIN = "-"
#: Seconds a FIFO may stay silent before it is refused (a FIFO nobody writes to would hang).
FIFO_WAIT = 5.0

_NEWLINE = re.compile(r"\r\n|\r|\n")
#: Odd spaces become a plain space, zero-width ones, form feeds and stray BOMs go, full-width
#: digits become ASCII; none of them is a newline, so line numbers never move.
_REPLACE = {
    "\u00a0": " ",  # no-break space
    "\u3000": " ",  # ideographic (full-width) space
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": "",  # zero-width space
    "\ufeff": "",  # stray BOM inside the text
    "\x0c": "",  # form feed: a page break of the PDF extraction
    **{chr(0xFF10 + d): str(d) for d in range(10)},  # ０…９
}
_ODD = re.compile("[" + "".join(_REPLACE) + "]")
# A full-width comma or full stop between two digits belongs to the number.
# (the punctuation first, then the digit before it: the regex looks only where one is printed)
_NUMBER_PUNCT = re.compile(r"([，．])(?<=\d[，．])(?=\d)")

#: Characters no text document holds: control characters (TAB, newlines and form feed
#: excepted) and the stand-ins of undecodable bytes (see `_escape`).
_DAMAGED = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\udc00-\udcff]")
REPLACEMENT = "\ufffd"
#: Words every budget disclosure prints many times (simplified and traditional); a decoding
#: other than a BOM or strict UTF-8 must show some, or it is a wrong guess (mojibake).
VOCABULARY = ("预算", "預算", "部门", "部門", "支出", "收入")
#: At most this share of damaged characters (1 in 200) is repaired with U+FFFD and reported.
_DAMAGE_SHARE = 200

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_FORMATS = (
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX, ODT?) is not supported; save the document as text first",
     "ZIP 压缩包（DOCX、XLSX、ODT？）不受支持；请先另存为文本"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word or Excel 97–2003 file is not supported; "
                                          "save the document as text first",
     "Word 或 Excel 97–2003 文件不受支持；请先另存为文本"),
    (b"{\\rtf", "RTF input is not supported; save the document as plain text first",
     "RTF 文件不受支持；请先另存为纯文本"),
)


class InputError(Exception):
    """Unreadable or unusable input: one line naming the file (and line).

    `causes` holds the per-file errors when no document of several could be loaded;
    `sha256` the digest of the file's bytes when they could be read; `zh` the reason in
    Chinese, for the `parse.unreadable` finding of a document skipped in a folder.
    """

    def __init__(self, path: str | Path, message: str, line: int | None = None, zh: str | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line
        self.reason = message
        self.zh = zh
        self.causes: list[InputError] = []
        self.sha256: str | None = None

    def __reduce__(self) -> tuple:
        """Pickled with its fields, so a worker process's error arrives whole (see model.load)."""
        return _rebuild_error, (self.path, self.reason, self.line, self.causes, self.sha256, self.zh)


def _rebuild_error(path: str, reason: str, line: int | None, causes: list[InputError],
                   sha256: str | None, zh: str | None = None) -> InputError:
    error = InputError(path, reason, line, zh)
    error.causes, error.sha256 = causes, sha256
    return error


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a source document: its 1-based number and normalised text."""

    no: int
    text: str
    _cells: tuple[str, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def cells(self) -> list[str]:
        """The TAB-separated cells, each stripped of surrounding spaces (split once)."""
        if self._cells is None:
            object.__setattr__(self, "_cells", tuple(map(str.strip, self.text.split("\t"))))
        return list(self._cells)  # type: ignore[arg-type]

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded document: where it came from, its lines, and the lines whose damaged bytes
    (undecodable or control characters) were replaced by U+FFFD."""

    path: Path
    sha256: str
    encoding: str
    lines: list[Line] = field(repr=False)
    damaged: tuple[int, ...] = ()
    #: The number of the first line of each page (a PDF's pages, or the form feeds of a
    #: text extraction); empty when the source has no pages.
    page_starts: tuple[int, ...] = ()

    def locate(self, no: int) -> tuple[int | None, int]:
        """(page, line within the page) of line `no`; (None, no) without pages."""
        return locate(self.page_starts, no)


class DocumentText:
    """A document's lines kept compactly: their UTF-8 bytes zlib-compressed in one block and the
    offset of each line in an array; `Line` objects are made only for the lines asked for.

    A corpus of a thousand documents holds a thousand of these (a few tens of kB each) rather
    than millions of `Line` objects."""

    __slots__ = ("offsets", "packed")
    #: zlib level: 1 compresses a document's text ~4× in about a millisecond (6 takes 40× longer).
    LEVEL = 1

    def __init__(self, packed: bytes, offsets: array) -> None:
        self.packed = packed
        #: offsets[i] is where line i + 1 starts in the uncompressed bytes; one more at the end.
        self.offsets = offsets

    @classmethod
    def of(cls, texts: Iterable[str]) -> DocumentText:
        """The lines' texts, in order (line 1 first)."""
        encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
        offsets = array("Q", [0])
        at = 0
        for chunk in encoded:
            at += len(chunk)
            offsets.append(at)
        return cls(zlib.compress(b"".join(encoded), cls.LEVEL), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def lines(self, indices: range) -> list[Line]:
        """The lines at these 0-based indices (a slice of `range(len(self))`)."""
        if not indices:
            return []
        data = zlib.decompress(self.packed)
        off = self.offsets
        return [Line(i + 1, data[off[i]:off[i + 1]].decode("utf-8", "surrogatepass")) for i in indices]

    def texts(self) -> list[str]:
        """Every line's text."""
        return [line.text for line in self.lines(range(len(self)))]


def locate(page_starts: tuple[int, ...] | list[int], no: int) -> tuple[int | None, int]:
    """(page, line within the page) of the document's line `no`, given its page starts."""
    if not page_starts or no < page_starts[0]:
        return None, no
    page = bisect_right(page_starts, no)
    return page, no - page_starts[page - 1] + 1


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded with one encoding: `invalid` counts the undecodable bytes, `damage` those
    and the control characters."""

    text: str
    encoding: str
    invalid: int
    damage: int


def normalise(text: str) -> str:
    """Normalise text: odd spaces, full-width digits, and punctuation inside numbers."""
    if _ODD.search(text):
        text = _ODD.sub(lambda m: _REPLACE[m.group()], text)
    return _NUMBER_PUNCT.sub(lambda m: "," if m.group(1) == "，" else ".", text)


def has_vocabulary(text: str) -> bool:
    """Whether the text reads as a budget document: its core words occur at least twice."""
    return sum(text.count(word) for word in VOCABULARY) >= 2


def _escape(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each undecodable byte becomes a lone surrogate U+DC00 + byte (like
    surrogateescape, but for any byte), which no successful decoding produces."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error("budgettui.escape", _escape)


def _attempt(data: bytes, encoding: str) -> Decoded:
    """Decode, keeping undecodable bytes as surrogates; count them and control characters."""
    text = data.decode(encoding, errors="budgettui.escape")
    if not _DAMAGED.search(text):
        return Decoded(text, encoding, 0, 0)
    damaged = _DAMAGED.findall(text)
    return Decoded(text, encoding, sum(c >= "\udc00" for c in damaged), len(damaged))


def _tolerable(decoded: Decoded) -> bool:
    return decoded.damage * _DAMAGE_SHARE <= max(len(decoded.text), 1)


def _detect(data: bytes) -> Decoded | None:
    """The decoding charset-normalizer guesses from the first megabyte, or None."""
    from charset_normalizer import from_bytes

    try:
        best = from_bytes(data[: 1 << 20]).best()
        return _attempt(data, best.encoding) if best else None
    except (LookupError, ValueError, RuntimeError):  # a heuristic: no guess is an answer too
        return None


def _refuse_binary(data: bytes, path: str | Path) -> None:
    """Known binary formats get a message of their own."""
    head = data[:1024]
    for signature, message, zh in _FORMATS:
        if head.startswith(signature) or (signature == b"%PDF-" and signature in head):
            raise InputError(path, message, zh=zh)


def _utf16_guess(data: bytes) -> tuple[str, ...]:
    """UTF-16 without a BOM: most high bytes of CJK and ASCII text sit on one side."""
    sample = data[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) * 4 < len(sample) // 2:
        return ()
    return ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")


def decode(data: bytes, path: str | Path) -> Decoded:
    """Decode a document's bytes: a BOM, else strict UTF-8, else GB18030 (GBK), else UTF-16
    without BOM, else a few damaged bytes in UTF-8 or GB18030, else a detector's guess.
    Guesses beyond a BOM and UTF-8 must read as a budget (`has_vocabulary`)."""
    _refuse_binary(data, path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded = _attempt(data[len(bom):], encoding)
            if not _tolerable(decoded):
                raise InputError(path, f"binary file, not {encoding} text", zh=f"二进制文件，不是 {encoding} 文本")
            return decoded
    utf8 = _attempt(data, "utf-8")
    if utf8.invalid == 0 and _tolerable(utf8):
        return utf8
    tried = [utf8]
    for encoding in ("gb18030", *_utf16_guess(data)):
        decoded = _attempt(data, encoding)
        if decoded.invalid == 0 and _tolerable(decoded) and has_vocabulary(decoded.text):
            return decoded
        tried.append(decoded)
    for decoded in [*tried[:2], _detect(data)]:  # a few bad bytes in UTF-8 or GB18030, a guess
        if decoded and _tolerable(decoded) and has_vocabulary(decoded.text):
            return decoded
    raise _undecodable(data, tried, path)


def _undecodable(data: bytes, tried: list[Decoded], path: str | Path) -> InputError:
    """Why no decoding fits: binary, or text in an unknown encoding (or not a budget)."""
    if b"\x00" not in data and (mixed := _mixed_encodings(data)):
        return InputError(path, "mixes UTF-8 and GB18030 (GBK) text; convert it to one encoding "
                                "(UTF-8) first", mixed, "混有 UTF-8 与 GB18030（GBK）文本；请先统一转为 UTF-8")
    if b"\x00" in data or not any(_tolerable(d) for d in tried):
        return InputError(path, "binary file, not text (not a budget disclosure)",
                          zh="二进制文件，不是文本（不是部门预算公开文件）")
    utf8 = tried[0].text
    first = _DAMAGED.search(utf8)
    line = len(_NEWLINE.findall(utf8, 0, first.start())) + 1 if first else None
    return InputError(path, "not UTF-8 text, and read as GB18030 it holds no budget words "
                            f"({', '.join(VOCABULARY[::2])}): an unsupported encoding, "
                            "or not a budget disclosure", line,
                      "不是 UTF-8 文本，按 GB18030 读也没有预算用语：编码不受支持，或不是部门预算公开文件")


def _mixed_encodings(data: bytes) -> int | None:
    """The first GB18030 line of a text whose lines are each strict UTF-8 or GB18030, with
    both kinds present (lines pasted together from two files); None for anything else."""
    first_gbk, utf8_text = None, False
    for no, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
            utf8_text = utf8_text or not line.isascii()
        except UnicodeDecodeError:
            try:
                line.decode("gb18030")
            except UnicodeDecodeError:
                return None
            first_gbk = first_gbk or no
    return first_gbk if first_gbk and utf8_text else None


def split_lines(text: str) -> list[Line]:
    """Split on any newline convention and number the lines from 1."""
    text = normalise(text)
    parts = _NEWLINE.split(text) if "\r" in text else text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [Line(no, part) for no, part in enumerate(parts, start=1)]


def _repair(lines: list[Line]) -> tuple[list[Line], tuple[int, ...]]:
    """Replace damaged characters by U+FFFD; return the lines and the numbers of those changed."""
    damaged: list[int] = []
    for i, line in enumerate(lines):
        if _DAMAGED.search(line.text):
            lines[i] = Line(line.no, _DAMAGED.sub(REPLACEMENT, line.text))
            damaged.append(line.no)
    return lines, tuple(damaged)


def max_bytes() -> int:
    """The size limit of a source: $BUDGETTUI_MAX_BYTES, else MAX_BYTES."""
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not value:
        return MAX_BYTES
    if not (value.isascii() and value.isdigit()) or int(value) <= 0:
        raise InputError(MAX_BYTES_ENV, f"must be a positive number of bytes, not {value!r}")
    return int(value)


def _read_bounded(stream: BinaryIO, limit: int) -> bytes:
    """At most limit + 1 bytes of a pipe or device, read in chunks (its size is not known)."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit and (chunk := stream.read(min(1 << 20, limit + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _missing(path: Path) -> InputError:
    """What a path that cannot be followed is: a symlink loop, a broken link, or nothing."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return InputError(path, "symbolic link loop", zh="符号链接循环")
    if path.is_symlink():
        return InputError(path, f"broken symbolic link (to {os.readlink(path)})",
                          zh=f"符号链接已断开（指向「{os.readlink(path)}」）")
    return InputError(path, "no such file or folder", zh="找不到此文件或文件夹")


def _read_stdin(limit: int) -> bytes:
    """Standard input (the source `-`), refused when it is a terminal (nobody would type a
    budget; waiting for it would look like a hang)."""
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(STDIN, "standard input is a terminal; pipe a document in "
                                "(budgettui show documents - < budget.txt)")
    return _read_bounded(sys.stdin.buffer, limit)


def _read_special(path: Path, mode: int, limit: int) -> bytes:
    """A FIFO or device, read up to the limit; a FIFO nothing is written to within FIFO_WAIT
    seconds is refused instead of waited for forever, a socket is refused."""
    if stat.S_ISSOCK(mode):
        raise InputError(path, "a socket, not a document", zh="是套接字，不是文件")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a FIFO blocks until a writer comes
    with os.fdopen(fd, "rb", buffering=0) as stream:
        if os.isatty(fd):  # /dev/tty, /dev/stdin on a terminal: nobody types a budget
            raise InputError(path, "a terminal, not a document", zh="是终端，不是文件")
        if stat.S_ISFIFO(mode):
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            if not poller.poll(FIFO_WAIT * 1000):
                raise InputError(path, f"a FIFO nothing was written to within {FIFO_WAIT:g} s",
                                 zh=f"FIFO 在 {FIFO_WAIT:g} 秒内没有写入任何内容")
        os.set_blocking(fd, True)
        return _read_bounded(stream, limit)  # type: ignore[arg-type]


def _over_limit(limit: int) -> str:
    """The size limit's reason in Chinese."""
    return f"超过 {limit} 字节的上限（可设 {MAX_BYTES_ENV} 调高）"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing it before reading when it is over the size limit."""
    limit = max_bytes()
    if str(path) == STDIN:
        data = _read_stdin(limit)
        if len(data) > limit:
            raise InputError(path, f"over the limit of {limit} bytes (set {MAX_BYTES_ENV} to raise it)")
        return data
    try:
        info = path.stat()
        if info.st_size > limit:
            raise InputError(path, f"{info.st_size} bytes is over the limit of {limit} bytes "
                                   f"(set {MAX_BYTES_ENV} to raise it)", zh=_over_limit(limit))
        if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
            with path.open("rb") as stream:
                data = stream.read()
        else:
            data = _read_special(path, info.st_mode, limit)
    except FileNotFoundError:
        raise _missing(path) from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a document", zh="是文件夹，不是文件") from None
    except PermissionError:
        raise InputError(path, "permission denied", zh="无权读取") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "symbolic link loop", zh="符号链接循环") from None
        raise InputError(path, exc.strerror or "cannot be read", zh="无法读取") from None
    if len(data) > limit:  # a pipe or device that does not tell its size, or a growing file
        raise InputError(path, f"over the limit of {limit} bytes (set {MAX_BYTES_ENV} to raise it)",
                         zh=_over_limit(limit))
    return data


def read_source(path: str | Path) -> SourceText:
    """Read and decode one document file, a PDF's text layer or a text extraction
    (InputError when it cannot be one)."""
    path = Path(path)
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    try:
        if not data.strip():
            raise InputError(path, "empty file", zh="空文件")
        _refuse_html(data, path)
        if is_pdf(data):
            return _read_pdf(path, data, digest)
        decoded = decode(data, path)
        lines = split_lines(decoded.text)
        if not any(not line.blank for line in lines):
            raise InputError(path, "empty file", zh="空文件")
    except InputError as error:
        error.sha256 = digest
        raise
    damaged: tuple[int, ...] = ()
    if decoded.damage:
        lines, damaged = _repair(lines)
    starts = _form_feeds(decoded.text)
    return SourceText(path, digest, decoded.encoding, lines, damaged, starts)


def is_pdf(data: bytes) -> bool:
    """PDF files start with `%PDF-` (some put a few bytes of junk before it)."""
    return b"%PDF-" in data[:1024]


def _read_pdf(path: Path, data: bytes, digest: str) -> SourceText:
    """A PDF's text layer as lines, page after page; InputError when it has none."""
    from budgettui.pdf import PdfError, read_pdf

    try:
        pages = read_pdf(data)
    except PdfError as exc:
        raise InputError(path, str(exc), zh=exc.zh) from None
    lines: list[Line] = []
    starts: list[int] = []
    for page in pages:
        starts.append(len(lines) + 1)
        for text in page or [""]:  # an empty page keeps its place: one blank line
            lines.append(Line(len(lines) + 1, normalise(text)))
    return SourceText(path, digest, "pdf", lines, (), tuple(starts))


def _form_feeds(text: str) -> tuple[int, ...]:
    """Page starts of a text extraction whose pages begin with a form feed (`budgettui text`)."""
    if "\f" not in text:
        return ()
    parts = _NEWLINE.split(text) if "\r" in text else text.split("\n")
    starts = [no for no, part in enumerate(parts, start=1) if part.startswith("\f")]
    return tuple(starts) if starts and starts[0] == 1 else ()


_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<meta|<!--)", re.IGNORECASE)
_LINK = re.compile(r"""href\s*=\s*["']([^"'#]+\.(?:pdf|docx?|xlsx?|zip|rar|wps|et)(?:\?[^"']*)?)["']""",
                   re.IGNORECASE)


def _refuse_html(data: bytes, path: Path) -> None:
    """A web page saved under a document's name (a downloader took the landing page instead of
    the attachment): say so, with the document links the page holds."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if not _HTML.match(head) and b"<html" not in head.lower():
        return
    text = data[: 4 << 20].decode("utf-8", errors="replace")
    links = list(dict.fromkeys(_LINK.findall(text)))
    listed = f"; document links in it: {', '.join(links[:5])}" + (" …" if len(links) > 5 else "") \
        if links else "; it links to no document file"
    shown = f"；其中的文件链接：{'、'.join(f'「{link}」' for link in links[:5])}" + ("…" if len(links) > 5 else "") \
        if links else "；其中没有文件链接"
    raise InputError(path, f"an HTML page, not a budget document (a web page saved under this name){listed}",
                     zh=f"是网页（以文件名保存的网页），不是预算文件{shown}")


def _folder_documents(path: Path) -> list[Path]:
    """The documents of a folder source and of its subfolders (a city's, a year's), sorted by
    their path in it: every entry with a document suffix but folders (a FIFO, a symlink loop …
    is then skipped with its reason, not silently)."""
    try:
        next(path.iterdir(), None)  # an unlistable folder says so (rglob would just find nothing)
        found = sorted(
            (p for p in path.rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES and not p.is_dir()),
            key=lambda p: p.relative_to(path).parts,
        )
    except PermissionError:
        raise InputError(path, "permission denied", zh="无权读取") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be listed") from None
    if not found:
        raise InputError(path, "folder holds no documents (*.txt, *.pdf)")
    return found


def expand_sources(sources: list[str | Path]) -> list[Path]:
    """Files as given, folders as their documents (sorted); an empty list means the sample.

    A path that does not exist is kept: reading it says why (so one missing file among
    several is skipped like any unreadable one). `-` is standard input; an empty name is
    refused (it is not the current folder)."""
    if not sources:
        return [default_source()]
    paths: list[Path] = []
    for source in sources:
        if isinstance(source, str) and not source.strip():
            raise InputError(repr(source), "an empty name is not a file or folder")
        path = Path(source)
        if str(path) != STDIN and path.is_dir():
            paths.extend(_folder_documents(path))
        else:
            paths.append(path)
    return paths


def default_source() -> Path:
    """The bundled sample document (in the wheel, or in data/ of a checkout)."""
    packaged = resources.files("budgettui") / "data"
    candidates = [Path(str(packaged)), Path(__file__).resolve().parents[2] / "data"]
    for folder in candidates:
        if folder.is_dir():
            documents = sorted(folder.glob("*.txt"))
            if documents:
                return documents[0]
    raise InputError("data/", "the bundled sample document is missing")
