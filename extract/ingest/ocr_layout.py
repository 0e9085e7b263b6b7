"""From recognised text boxes on a page image to the text the other readers produce.

Pure functions on plain data: boxes in pixel coordinates, and the ink of the page as a boolean
array. Running text becomes lines (boxes grouped by vertical overlap) and then paragraphs;
a ruled table becomes one line per table row with its cells joined by `` | `` (a merged cell
once, in its first row and column), exactly what the HTML and Word readers give the table
parser. Tables are found from their ruling lines, which the standard tables of these reports
always have; a table drawn without rules still reads as lines whose wide gaps become cell
separators.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from extract.ingest import SEPARATOR

if TYPE_CHECKING:  # numpy comes with the `ocr` extra; this module imports without it
    import numpy as np
    from numpy.typing import NDArray

    Ink = NDArray[np.bool_]

# Recognition scores below this are not trusted for numbers: they are reported, never used
# silently. PP-OCRv6 scores clean digits at 0.95 and above; a smudged or half-detected one
# drops well below.
LOW_CONFIDENCE = 0.9
_DIGIT = re.compile(r"\d")
# A line that starts a heading or a numbered point starts a paragraph, wherever the one
# before it ended: 二、… （三）… 一是… 1. …
_HEADING = re.compile(
    r"\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．])"
)
_ASCII_WORD = re.compile(r"[0-9A-Za-z%.,]$")


@dataclass(frozen=True)
class Box:
    """One recognised piece of text: its bounding box in pixels, its text and score."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Rule:
    """A ruling line: horizontal (at ``pos`` = y, from ``start`` to ``end`` in x) or vertical."""

    pos: float
    start: float
    end: float


@dataclass(frozen=True)
class Cell:
    """A table cell: slot rows ``r0..r1`` and columns ``c0..c1`` (inclusive), its pixels."""

    r0: int
    c0: int
    r1: int
    c1: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Grid:
    """A ruled table: its row and column rules and its cells, merged cells once."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[Cell, ...]

    @property
    def top(self) -> float:
        return self.ys[0]

    def cell_at(self, x: float, y: float) -> Cell | None:
        for cell in self.cells:
            if cell.x0 <= x <= cell.x1 and cell.y0 <= y <= cell.y1:
                return cell
        return None

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]


@dataclass(frozen=True)
class Line:
    """A line of running text on a page."""

    top: float
    x0: float
    x1: float
    height: float  # of its tallest box: about one character
    text: str


@dataclass(frozen=True)
class Flag:
    """A number recognised with too little confidence to be trusted."""

    text: str
    score: float
    where: str  # "table 1, row 5, column 3" or "line 12"
    x: float
    y: float
    taken_as: str | None = None  # what a garbled table number was read as


@dataclass
class PageLayout:
    """A page read: table blocks (top, text) and lines of running text, and its flags."""

    tables: list[tuple[float, str]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


# --- ruling lines -------------------------------------------------------------------------


def _runs(mask: NDArray[np.bool_], min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every horizontal run of True at least ``min_len`` long."""
    import numpy as np

    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded, axis=1)
    rows_s, starts = np.nonzero(diff == 1)
    _, ends = np.nonzero(diff == -1)
    # Starts and ends come out row by row and in order, so they pair up one to one.
    keep = (ends - starts) >= min_len
    return list(zip(rows_s[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _close_gaps(mask: NDArray[np.bool_], gap: int) -> NDArray[np.bool_]:
    """Bridge gaps of up to ``gap`` pixels along each row (scanned rules are broken)."""
    out = mask.copy()
    for shift in range(1, gap + 1):
        out[:, shift:] |= mask[:, :-shift]
    return out


def _merge_runs(runs: list[tuple[int, int, int]], tolerance: int) -> list[Rule]:
    """Runs on neighbouring pixel rows that overlap are one rule (a rule is 1-3 px thick)."""
    groups: list[list[float]] = []  # [first row, last row, start, end, weighted row sum, n]
    for row, start, end in sorted(runs):
        for g in groups:
            if row - g[1] <= tolerance and start < g[3] and end > g[2]:
                g[1] = row
                g[2], g[3] = min(g[2], start), max(g[3], end)
                g[4] += row
                g[5] += 1
                break
        else:
            groups.append([row, row, start, end, row, 1])
    return [Rule(g[4] / g[5], g[2], g[3]) for g in groups]


def find_rules(ink: Ink, min_len: int) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical ruling lines of a page."""
    horizontal = _merge_runs(_runs(_close_gaps(ink, 2), min_len), 3)
    vertical = _merge_runs(_runs(_close_gaps(ink.T.copy(), 2), min_len), 3)
    return horizontal, vertical


def _cluster(values: list[float], tolerance: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _drawn(ink: Ink, vertical: bool, pos: float, start: float, end: float) -> float:
    """How much of the boundary ``start..end`` at ``pos`` is drawn in the image, 0..1: the
    share of its pixels with ink within two pixels of it."""
    p, a, b = round(pos), int(start) + 3, int(end) - 2
    if b <= a:
        return 1.0
    band = ink[a:b, max(0, p - 2) : p + 3] if vertical else ink[max(0, p - 2) : p + 3, a:b].T
    return float(band.any(axis=1).mean())


def _grid(horizontal: list[Rule], vertical: list[Rule], ink: Ink, tol: float) -> Grid | None:
    ys = _cluster([r.pos for r in horizontal], tol)
    xs = _cluster([r.pos for r in vertical], tol)
    if len(ys) < 2 or len(xs) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            here = r * n_cols + c
            # No rule drawn between two slots: they are one merged cell. Measured in the
            # image, not from the rules found: a rule one row high is shorter than a rule.
            if c + 1 < n_cols and _drawn(ink, True, xs[c + 1], ys[r], ys[r + 1]) < 0.8:
                parent[find(here + 1)] = find(here)
            if r + 1 < n_rows and _drawn(ink, False, ys[r + 1], xs[c], xs[c + 1]) < 0.8:
                parent[find(here + n_cols)] = find(here)
    slots: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            slots.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for members in slots.values():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        cells.append(Cell(r0, c0, r1, c1, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
    cells.sort(key=lambda k: (k.r0, k.c0))
    return Grid(tuple(xs), tuple(ys), tuple(cells))


def find_grids(ink: Ink, min_len: int = 40) -> list[Grid]:
    """Every ruled table on the page: rules that cross each other, grouped into grids."""
    horizontal, vertical = find_rules(ink, min_len)
    tol = 4.0
    # Group rules into tables: a vertical rule belongs with the horizontal rules it crosses.
    groups: list[tuple[list[Rule], list[Rule]]] = []
    for v in vertical:
        crossing = [h for h in horizontal if h.start - tol <= v.pos <= h.end + tol]
        crossing = [h for h in crossing if v.start - tol <= h.pos <= v.end + tol]
        if len(crossing) < 2:
            continue
        for hs, vs in groups:
            if any(h in hs for h in crossing):
                vs.append(v)
                hs.extend(h for h in crossing if h not in hs)
                break
        else:
            groups.append((list(crossing), [v]))
    grids = []
    for hs, vs in groups:
        if len(vs) < 2:
            continue
        grid = _grid(hs, vs, ink, tol)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.top)


# --- boxes to text -------------------------------------------------------------------------


def _join(boxes: list[Box], cell_gap: float | None) -> str:
    """Boxes of one line, left to right. A gap wider than ``cell_gap`` separates cells."""
    out = ""
    previous: Box | None = None
    for box in sorted(boxes, key=lambda b: b.x0):
        if previous is not None:
            gap = box.x0 - previous.x1
            if cell_gap is not None and gap > cell_gap:
                out += SEPARATOR
            elif _ASCII_WORD.search(out) and box.text[:1].isascii() and box.text[:1].isalnum():
                out += " "
        out += box.text
        previous = box
    return out


def group_lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes whose vertical extents overlap by at least half the smaller height: one line."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        for line in lines:
            top = min(b.y0 for b in line)
            bottom = max(b.y1 for b in line)
            height = min(box.height, bottom - top)
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if height > 0 and overlap >= 0.5 * height:
                line.append(box)
                break
        else:
            lines.append([box])
    return sorted(lines, key=lambda ln: min(b.y0 for b in ln))


def _flags(box: Box, where: str) -> list[Flag]:
    if box.score >= LOW_CONFIDENCE or not _DIGIT.search(box.text):
        return []
    return [Flag(box.text, box.score, where, box.cx, box.cy)]


# In a table cell that is otherwise a number, letters that look like digits are those digits
# (a lone ``1`` is often read ``i`` or ``l``), and specks next to it are not decimal points.
_LOOKALIKES = str.maketrans({"i": "1", "l": "1", "I": "1", "|": "1", "O": "0", "o": "0"})
_STRAY = " .,:;'`·、"
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def number_cell(text: str) -> str | None:
    """The number a table cell was meant to hold, when OCR garbled it slightly; None when
    the text is fine as it is or is not a number at all."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    fixed = plain.translate(_LOOKALIKES).strip(_STRAY).replace(" ", "")
    if fixed == text or not _PLAIN_NUMBER.fullmatch(fixed):
        return None
    return fixed


# The row labels of the standard tables (国办公开办函〔2021〕30号, 〔2019〕60号), printed the
# same in every report: a cell that reads almost like one is that label with a character
# misread (逾期 read as 遥期), and the table parser finds rows by these words.
STANDARD_LABELS = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "四、结转下年度继续办理",
    "行政规范性文件",
    "行政事业性收费",
    "其他对外管理服务事项",
    "政府集中采购",
)


def _squeeze(text: str) -> str:
    return re.sub(r"[\s()（）、.,，．“”\"]", "", text)


_SQUEEZED = {_squeeze(label): label for label in STANDARD_LABELS}


def standard_label(text: str) -> str | None:
    """The standard label a cell's text was meant to be, when it differs by a misread
    character or two; None when it is one already, or is not close to any."""
    flat = _squeeze(text)
    if len(flat) < 6 or flat in _SQUEEZED:
        return None
    for key, label in _SQUEEZED.items():
        if abs(len(key) - len(flat)) <= 2 and SequenceMatcher(None, flat, key).ratio() >= 0.9:
            return label
    return None


def _table_text(grid: Grid, boxes: list[Box], number: int, flags: list[Flag]) -> str:
    by_cell: dict[Cell, list[Box]] = {}
    for box in boxes:
        cell = grid.cell_at(box.cx, box.cy)
        if cell is not None:
            by_cell.setdefault(cell, []).append(box)
    rows = []
    for r in range(len(grid.ys) - 1):
        texts = []
        for cell in (c for c in grid.cells if c.r0 == r):
            inside = by_cell.get(cell, [])
            where = f"table {number}, row {r + 1}, column {cell.c0 + 1}"
            text = "".join(_join(line, None) for line in group_lines(inside))
            fixed = number_cell(text)
            label = standard_label(text) if fixed is None else None
            if label is not None:
                text = label
            elif fixed is not None:
                score = min(b.score for b in inside)
                x, y = (cell.x0 + cell.x1) / 2, (cell.y0 + cell.y1) / 2
                flags.append(Flag(text, score, where, x, y, taken_as=fixed))
                text = fixed
            else:
                for box in inside:
                    flags.extend(_flags(box, where))
            texts.append(text)
        rows.append(SEPARATOR.join(texts))
    return "\n".join(rows)


def page_layout(boxes: list[Box], grids: list[Grid]) -> PageLayout:
    """The page's tables and its lines of running text, in reading order, with flags."""
    out = PageLayout()
    free = [b for b in boxes if not any(g.contains(b.cx, b.cy) for g in grids)]
    for number, grid in enumerate(grids, start=1):
        inside = [b for b in boxes if grid.contains(b.cx, b.cy)]
        out.tables.append((grid.top, _table_text(grid, inside, number, out.flags)))
    heights = sorted(b.height for b in free)
    char = heights[len(heights) // 2] if heights else 0.0
    for index, line in enumerate(group_lines(free), start=1):
        # Beyond two characters of blank space, the line is a row of an unruled table.
        text = _join(line, 2.0 * char)
        top, x0, x1 = min(b.y0 for b in line), min(b.x0 for b in line), max(b.x1 for b in line)
        out.lines.append(Line(top, x0, x1, max(b.height for b in line), text))
        for box in line:
            out.flags.extend(_flags(box, f"line {index}"))
    return out


def right_margin(lines: list[Line], char: float) -> float:
    """Where most full lines of running text end, across the document; infinity (join
    nothing) when too few lines agree to tell."""
    ends: dict[int, int] = {}
    step = max(1.0, char / 2)
    for line in lines:
        if len(line.text) >= 10:
            key = round(line.x1 / step)
            ends[key] = ends.get(key, 0) + 1
    best = max(ends, key=lambda k: ends[k], default=None)
    if best is None or ends[best] < 3:
        return float("inf")
    return best * step


def paragraphs(
    lines: list[Line], right: float, slack: float, breaks: tuple[float, ...] = ()
) -> list[tuple[float, str]]:
    """Join lines that run to the right margin with the next: the page wrapped them, not the
    author, and a number must not be cut from its unit. A table (its top in ``breaks``)
    between two lines ends the paragraph."""
    blocks: list[tuple[float, str]] = []
    paragraph: list[str] = []
    top = 0.0
    following: list[Line | None] = [*lines[1:], None]
    for line, after in zip(lines, following[: len(lines)], strict=True):
        if not paragraph:
            top = line.top
        paragraph.append(line.text)
        ends = (
            after is None
            or any(line.top < b < after.top for b in breaks)  # a table comes in between
            or _HEADING.match(after.text) is not None
        )
        if SEPARATOR in line.text or line.x1 < right - slack or ends:
            blocks.append((top, "".join(paragraph)))
            paragraph = []
    if paragraph:
        blocks.append((top, "".join(paragraph)))
    return blocks


def empty_cells_with_ink(grid: Grid, boxes: list[Box], ink: Ink) -> list[Cell]:
    """Cells that hold ink but no recognised text: a digit the detector missed, most often
    a lone ``0`` in a wide cell. The caller reads these again, cell by cell."""
    taken = {grid.cell_at(b.cx, b.cy) for b in boxes}
    out = []
    for cell in grid.cells:
        if cell in taken:
            continue
        inner = ink[int(cell.y0) + 4 : int(cell.y1) - 3, int(cell.x0) + 4 : int(cell.x1) - 3]
        if inner.size and int(inner.sum()) >= 12:
            out.append(cell)
    return out


def straddling(grid: Grid, boxes: list[Box]) -> list[Box]:
    """Boxes that run across a column rule: two cells read as one (``0 0`` → ``00``)."""
    out = []
    for box in boxes:
        if not grid.contains(box.cx, box.cy):
            continue
        inner = [x for x in grid.xs[1:-1] if box.x0 + 3 < x < box.x1 - 3]
        cell = grid.cell_at(box.cx, box.cy)
        if inner and cell is not None and any(not cell.x0 < x < cell.x1 for x in inner):
            out.append(box)
    return out
