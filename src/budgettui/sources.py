"""Reading sources: files and folders → decoded, normalised text lines that keep their numbers."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

#: File name suffixes taken from a folder source.
DOCUMENT_SUFFIXES = (".txt",)

_NEWLINE = re.compile(r"\r\n|\r|\n")
#: Odd spaces become a plain space, zero-width ones and stray BOMs go, full-width digits
#: become ASCII; none of them is a newline, so line numbers never move.
_REPLACE = {
    "\u00a0": " ",  # no-break space
    "\u3000": " ",  # ideographic (full-width) space
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": "",  # zero-width space
    "\ufeff": "",  # stray BOM inside the text
    **{chr(0xFF10 + d): str(d) for d in range(10)},  # ０…９
}
_ODD = re.compile("[" + "".join(_REPLACE) + "]")
# A full-width comma or full stop between two digits belongs to the number.
_NUMBER_PUNCT = re.compile(r"(?<=\d)([，．])(?=\d)")


class InputError(Exception):
    """Unreadable or unusable input: one line naming the file (and line)."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


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
            object.__setattr__(self, "_cells", tuple(c.strip() for c in self.text.split("\t")))
        return list(self._cells)  # type: ignore[arg-type]

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded document: where it came from and its lines."""

    path: Path
    sha256: str
    encoding: str
    lines: list[Line] = field(repr=False)


def normalise(text: str) -> str:
    """Normalise text: odd spaces, full-width digits, and punctuation inside numbers."""
    if _ODD.search(text):
        text = _ODD.sub(lambda m: _REPLACE[m.group()], text)
    return _NUMBER_PUNCT.sub(lambda m: "," if m.group(1) == "，" else ".", text)


def decode(data: bytes, path: str | Path) -> tuple[str, str]:
    """Decode a document's bytes; returns (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return data.decode("utf-8"), encoding
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, "not UTF-8 text (other encodings are not supported yet)", line) from None


def split_lines(text: str) -> list[Line]:
    """Split on any newline convention and number the lines from 1."""
    parts = _NEWLINE.split(normalise(text))
    if parts and parts[-1] == "":
        parts.pop()
    return [Line(no, part) for no, part in enumerate(parts, start=1)]


def read_source(path: str | Path) -> SourceText:
    """Read one document file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a document") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be read") from None
    if not data.strip():
        raise InputError(path, "empty file")
    text, encoding = decode(data, path)
    return SourceText(path, hashlib.sha256(data).hexdigest(), encoding, split_lines(text))


def expand_sources(sources: list[str | Path]) -> list[Path]:
    """Files as given, folders as their documents (sorted); an empty list means the sample."""
    if not sources:
        return [default_source()]
    paths: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
            )
            if not found:
                raise InputError(path, "folder holds no documents (*.txt)")
            paths.extend(found)
        elif path.exists():
            paths.append(path)
        else:
            raise InputError(path, "no such file or folder")
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
