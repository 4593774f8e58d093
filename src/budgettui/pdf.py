"""Reading a PDF's text layer into pages of lines of TAB-separated cells.

The reader gives the same representation as a text extraction (`data/000_….txt`): a table
row is one line whose cells are separated by TAB, in the columns of the printed grid (a cell
spanning several columns sits in the first; an empty cell stays an empty field); text outside
tables is one line per printed line, wide gaps becoming TABs. Text wrapped inside a cell is
one cell (`1234.5` over `6` reads `1234.56`); a paragraph wrapped at the right margin is one
line. Page numbers in the margins are layout, not content, and are left out.

Characters and their boxes come from pdfium (pypdfium2), the table grid from the page's ruling
lines, which pdfplumber's table finder turns into cells: the same cells as pdfplumber's own
`extract_tables()`, in a fraction of its time (pdfminer's layout analysis is not needed).
"""

from __future__ import annotations

import ctypes
import re
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

#: Ruling lines: thinner than this (points) is a line, not a filled box.
_RULE = 3.0
#: Edges closer than this (points) are snapped into one; shorter ones are noise.
_SNAP, _JOIN, _MIN_EDGE = 3.0, 3.0, 3.0
#: A gap wider than this many character widths separates two cells of a line of text.
_CELL_GAP = 2.0
#: A page number alone in the top or bottom margin: `3`, `- 3 -`, `第3页`, `第 3 页 共 9 页`.
_PAGE_NUMBER = re.compile(r"^[-－—\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/共]\s*\d{1,4}\s*页?)?[-－—\s]*$")
#: A line that starts a paragraph or heading of its own, never the continuation of another.
_STARTS_BLOCK = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|"
    r"\d+[.、．](?!\d)|[①-⑳]|注[：:]|附件|表\d)"
)


class PdfError(Exception):
    """The PDF cannot be read: damaged, encrypted, or without a text layer. `zh` says so in
    Chinese (for the finding of a document skipped in a folder)."""

    def __init__(self, message: str, zh: str) -> None:
        super().__init__(message)
        self.zh = zh


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class _Block:
    """A line of text or a table row, placed on the page (for ordering and joining)."""

    top: float
    cells: list[str]
    x0: float = 0.0
    x1: float = 0.0
    width: float = 0.0  # a typical character width of the line
    in_table: bool = False


def read_pdf(data: bytes, name: str = "document") -> list[list[str]]:
    """The pages of a PDF as lists of lines (cells joined by TAB). PdfError when it cannot be
    read or has no text layer."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise PdfError("encrypted PDF (password protected): cannot be read",
                           "PDF 已加密（有密码），无法读取") from None
        raise PdfError(f"damaged PDF, cannot be read ({message})", "PDF 已损坏，无法读取") from None
    try:
        pages = [_read_page(pdf[index]) for index in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise PdfError(f"damaged PDF, cannot be read ({exc})", "PDF 已损坏，无法读取") from None
    finally:
        pdf.close()
    if not pages:
        raise PdfError("PDF without pages", "PDF 没有页面")
    if sum(len(p) for p in pages) < max(2, len(pages) // 4):
        raise PdfError("scanned PDF: no text layer, it needs OCR first",
                       "扫描版 PDF：没有文字层，需先做文字识别（OCR）")
    return pages


@dataclass(frozen=True, slots=True)
class _View:
    """The page as displayed: PDF user space (origin bottom left) turned by the page's
    rotation into top-down display coordinates."""

    rotation: int
    width: float  # of the unrotated page (user space)
    height: float

    @classmethod
    def of(cls, page) -> _View:
        rotation = page.get_rotation() % 360
        shown_w, shown_h = page.get_size()
        w, h = (shown_h, shown_w) if rotation in (90, 270) else (shown_w, shown_h)
        return cls(rotation, w, h)

    @property
    def shown_height(self) -> float:
        return self.width if self.rotation in (90, 270) else self.height

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """A user-space box (left, bottom, right, top) as (x0, top, x1, bottom) on display."""
        if self.rotation == 90:
            return y0, x0, y1, x1
        if self.rotation == 180:
            return self.width - x1, y0, self.width - x0, y1
        if self.rotation == 270:
            return self.height - y1, self.width - x1, self.height - y0, self.width - x0
        return x0, self.height - y1, x1, self.height - y0

    def point(self, x: float, y: float) -> tuple[float, float]:
        x0, top, _, _ = self.box(x, y, x, y)
        return x0, top


def _read_page(page) -> list[str]:
    view = _View.of(page)
    chars = _chars(page, view)
    if not chars:
        return []
    grids = _grids(page, view)
    blocks: list[_Block] = []
    loose = chars
    for grid in grids:
        inside = [c for c in loose if _in_box(c, grid.box)]
        if inside:
            loose = [c for c in loose if not _in_box(c, grid.box)]
            blocks.extend(grid.rows(inside))
    blocks.extend(_text_lines(loose))
    blocks.sort(key=lambda b: b.top)
    blocks = _drop_page_numbers(blocks, view.shown_height)
    return [line for line in _join_paragraphs(blocks) if line.strip()]


# ---------------------------------------------------------------- characters


def _chars(page, view: _View) -> list[_Char]:
    """Every character with its loose box, in top-down coordinates; generated spaces and
    line breaks dropped."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        chars: list[_Char] = []
        left, right = ctypes.c_double(), ctypes.c_double()
        bottom, top = ctypes.c_double(), ctypes.c_double()
        rect = raw.FS_RECTF()
        per_char = len(text) != count
        handle = textpage.raw
        for index in range(count):
            char = chr(raw.FPDFText_GetUnicode(handle, index)) if per_char else text[index]
            if char in "\r\n\x00" or (char.isspace() and raw.FPDFText_IsGenerated(handle, index)):
                continue
            if raw.FPDFText_GetLooseCharBox(handle, index, rect):
                x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
            else:
                raw.FPDFText_GetCharBox(handle, index, left, right, bottom, top)
                x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
            if y0 > y1:
                y0, y1 = y1, y0
            left_x, top_y, right_x, bottom_y = view.box(x0, y0, x1, y1)
            chars.append(_Char(char, left_x, right_x, top_y, bottom_y))
        return chars
    finally:
        textpage.close()


def _in_box(char: _Char, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return x0 <= char.mid_x <= x1 and top <= char.mid_y <= bottom


# ---------------------------------------------------------------- ruled tables


class _Grid:
    """A ruled table: its cells (x0, top, x1, bottom), placed in the columns and rows that
    their boundaries make (a merged cell covers several, its text goes to the first)."""

    def __init__(self, cells: list[tuple[float, float, float, float]]) -> None:
        self.cells = cells
        self.box = (min(c[0] for c in cells), min(c[1] for c in cells),
                    max(c[2] for c in cells), max(c[3] for c in cells))
        self.xs = sorted({c[0] for c in cells})
        self.tops = sorted({c[1] for c in cells})
        self.owner: dict[tuple[int, int], tuple[int, int]] = {}
        for x0, top, x1, bottom in cells:
            first = (bisect_left(self.tops, top), bisect_left(self.xs, x0))
            for i in range(first[0], bisect_left(self.tops, bottom - 0.01)):
                for j in range(first[1], bisect_left(self.xs, x1 - 0.01)):
                    self.owner[(i, j)] = first

    def rows(self, chars: list[_Char]) -> list[_Block]:
        """One block per grid row: the text of each cell, in its column."""
        texts: list[list[list[_Char]]] = [[[] for _ in self.xs] for _ in self.tops]
        for char in chars:
            place = (bisect_right(self.tops, char.mid_y) - 1, bisect_right(self.xs, char.mid_x) - 1)
            owner = self.owner.get(place)
            if owner is not None:
                texts[owner[0]][owner[1]].append(char)
        x0, _, x1, _ = self.box
        blocks = []
        for index, row in enumerate(texts):
            cells = [_cell_text(chars) for chars in row]
            if any(cells):
                blocks.append(_Block(self.tops[index], cells, x0, x1, in_table=True))
        return blocks


def _cell_text(chars: list[_Char]) -> str:
    """A cell's characters in reading order: its lines top-down, joined without a break
    (Chinese text and numbers wrapped in a narrow column continue on the next line)."""
    if not chars:
        return ""
    lines = _cluster_lines(chars)
    parts = [_words(line, _CELL_GAP * 4, join=" ") for line in lines]
    out = parts[0]
    for part in parts[1:]:
        glue = " " if out[-1:].isascii() and out[-1:].isalpha() and part[:1].isascii() and part[:1].isalpha() else ""
        out += glue + part
    return out.strip()


def _grids(page, view: _View) -> list[_Grid]:
    """The ruled tables of a page, from its path objects' horizontal and vertical edges."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = list(_edges(page, view))
    if len(edges) < 4:
        return []
    edges = merge_edges(edges, _SNAP, _SNAP, _JOIN, _JOIN)
    edges = [e for e in edges if max(e["x1"] - e["x0"], e["bottom"] - e["top"]) >= _MIN_EDGE]
    points = edges_to_intersections(edges, _SNAP, _SNAP)
    cells = intersections_to_cells(points)
    return [_Grid(cells) for cells in cells_to_tables(cells)]


def _edges(page, view: _View) -> Iterator[dict]:
    """Horizontal and vertical edges of the page's paths: a thin filled box is one edge, the
    straight segments of any other path are edges, a rectangle gives its four sides."""
    import pypdfium2.raw as raw

    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=4):
        try:
            x0, top, x1, bottom = view.box(*obj.get_bounds())
        except Exception:  # an object pdfium cannot measure draws no rule we can use
            continue
        w, h = x1 - x0, bottom - top
        if w <= _RULE and h > _RULE:
            yield _edge("v", (x0 + x1) / 2, top, (x0 + x1) / 2, bottom)
        elif h <= _RULE and w > _RULE:
            yield _edge("h", x0, (top + bottom) / 2, x1, (top + bottom) / 2)
        elif w > _RULE and h > _RULE:
            yield from _segments(obj, view)


def _segments(obj, view: _View) -> Iterator[dict]:
    """The axis-parallel straight segments of a path, in page coordinates."""
    import pypdfium2.raw as raw

    a, b, c, d, e, f = obj.get_matrix().get()
    handle = obj.raw
    x, y = ctypes.c_float(), ctypes.c_float()
    start = previous = None
    for index in range(raw.FPDFPath_CountSegments(handle)):
        segment = raw.FPDFPath_GetPathSegment(handle, index)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = view.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = previous = point
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and previous is not None:
            yield from _straight(previous, point)
        previous = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            yield from _straight(point, start)


def _straight(p: tuple[float, float], q: tuple[float, float]) -> Iterator[dict]:
    """An edge for a vertical or horizontal segment between two display points."""
    (px, py), (qx, qy) = p, q
    if abs(px - qx) < 0.5 and abs(py - qy) >= _MIN_EDGE:
        yield _edge("v", px, min(py, qy), px, max(py, qy))
    elif abs(py - qy) < 0.5 and abs(px - qx) >= _MIN_EDGE:
        yield _edge("h", min(px, qx), py, max(px, qx), py)


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top, "object_type": "line"}


# ---------------------------------------------------------------- lines of text


def _cluster_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped into printed lines (by vertical overlap), each sorted left to right."""
    lines: list[list[_Char]] = []
    middles: list[float] = []
    for char in sorted(chars, key=lambda c: (c.mid_y, c.x0)):
        size = max(char.bottom - char.top, 1.0)
        if lines and abs(char.mid_y - middles[-1]) <= size * 0.45:
            lines[-1].append(char)
        else:
            lines.append([char])
            middles.append(char.mid_y)
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _words(line: list[_Char], cell_gap: float, join: str = "\t") -> str:
    """A line's text: a gap wider than `cell_gap` character widths becomes `join` (a cell
    break), a narrower visible gap a space."""
    width = _char_width(line)
    out: list[str] = []
    previous: _Char | None = None
    for char in line:
        if previous is not None:
            gap = char.x0 - previous.x1
            if gap > cell_gap * width:
                out.append(join)
            elif gap > 0.45 * width and not out[-1].endswith(" ") and char.text != " ":
                out.append(" ")
        out.append(char.text)
        previous = char
    return re.sub(r" *\t *", "\t", "".join(out)).strip(" ")


def _char_width(line: list[_Char]) -> float:
    widths = [c.bottom - c.top for c in line if not c.text.isspace()]
    return max(statistics.median(widths) if widths else 10.0, 1.0)


def _text_lines(chars: list[_Char]) -> list[_Block]:
    blocks = []
    for line in _cluster_lines([c for c in chars if not c.text.isspace()] or chars):
        text = _words(line, _CELL_GAP)
        if text:
            blocks.append(_Block(min(c.top for c in line), text.split("\t"), line[0].x0,
                                 line[-1].x1, _char_width(line)))
    return blocks


def _drop_page_numbers(blocks: list[_Block], height: float) -> list[_Block]:
    """Leave out a page number printed alone first or last on the page, or in its top or
    bottom tenth."""
    def is_number(index: int, block: _Block) -> bool:
        edge = index in (0, len(blocks) - 1) or block.top < height * 0.1 or block.top > height * 0.88
        return edge and not block.in_table and bool(_PAGE_NUMBER.match("".join(block.cells)))
    return [b for i, b in enumerate(blocks) if not is_number(i, b)]


def _join_paragraphs(blocks: list[_Block]) -> Iterator[str]:
    """Lines of text; a line that reaches the right margin continues on the next one (a
    wrapped paragraph), unless that one starts a heading or item of its own."""
    text_blocks = [b for b in blocks if not b.in_table and len(b.cells) == 1]
    # the margins of the body text: a running header or footer in a smaller type is left out
    body = statistics.median(b.width for b in text_blocks) * 0.8 if text_blocks else 0.0
    right = max((b.x1 for b in text_blocks if b.width >= body), default=0.0)
    left = min((b.x0 for b in text_blocks if b.width >= body), default=0.0)
    pending: _Block | None = None
    for block in blocks:
        if pending is not None:
            if (not block.in_table and len(block.cells) == 1
                    and right - pending.x1 <= 1.5 * pending.width
                    and pending.x0 - left <= 4.0 * pending.width  # not a label set at the right
                    and not pending.cells[0].endswith(("。", "；"))  # a list item filling the line
                    and block.x0 - left <= 1.0 * block.width
                    and not _STARTS_BLOCK.match(block.cells[0])):
                pending.cells[0] += block.cells[0]
                pending.x1 = block.x1
                continue
            yield pending.cells[0]
            pending = None
        if not block.in_table and len(block.cells) == 1 and len(text_blocks) > 2:
            pending = block
            continue
        yield "\t".join(block.cells)
    if pending is not None:
        yield pending.cells[0]
