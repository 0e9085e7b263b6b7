"""Turning a flattened table, however it was flattened, into one stream of cells.

Reports reach us with one cell a line, cells split by `` | `` or tabs, blank lines between
cells, empty merged cells, or (from PDFs) a label followed by space-separated numbers. All
become the same stream; the row reader never sees the layout.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from extract.numbers import parse_cell

_SPLIT = re.compile(r"[ ]*[|\t][ ]*")
_SIGN_WORDS = ("增加", "减少")


class Cell(NamedTuple):
    # A tuple: a table has hundreds of cells, and a frozen dataclass took three times as long
    # to build; cells are only ever read.
    text: str
    line: int  # index of the source line, to tell one-row-a-line layouts from streams
    value: int | float | None  # None for labels and empty cells
    kind: str  # "num", "label" or "empty"


Reading = tuple[str, int | float | None, str]  # text stripped, value, kind


# Tables repeat the same cells (0, 1, 总计, the standard's labels): each text is read once.
@lru_cache(maxsize=8192)
def _reading(text: str) -> Reading:
    text = text.strip()
    if not text:
        return text, None, "empty"
    try:
        value = parse_cell(text)
    except ValueError:
        return text, None, "label"
    return text, value, "num" if value is not None else "empty"


def _split_trailing_numbers(line: str) -> list[str]:
    """``(七)总计 85 9 0`` → ``["(七)总计", "85", "9", "0"]``; anything else stays whole."""
    parts = line.split()
    numbers: list[str] = []
    while parts:
        token = parts[-1]
        if parts[-1] in ("项", "万元") and len(parts) > 1:
            token = parts[-2] + parts[-1]
            parts = parts[:-1]
        if _reading(token)[2] != "num":
            break
        parts.pop()
        if parts and parts[-1] in _SIGN_WORDS:
            token = parts.pop() + token
        numbers.insert(0, token)
    if not numbers:
        return [line]
    if not parts:  # a row printed as numbers only
        return numbers
    return [" ".join(parts), *numbers]


# A running header repeated on every page of a PDF, naming the report.
_RUNNING_HEADER = re.compile(r"\d{4}年度?\S{0,12}?政府信息公开(?:工作)?年度报告$")


def _furniture(lines: list[str]) -> set[int]:
    """Lines that are page furniture inside a table: running headers, and a lone number
    just before or after one (the page number at the page break)."""
    out: set[int] = set()
    for k, line in enumerate(lines):
        if _RUNNING_HEADER.search(line.strip()) and len(line.strip()) <= 40:
            out.add(k)
            for step in (-1, 1):
                j = k + step
                while 0 <= j < len(lines) and not lines[j].strip():
                    j += step
                if 0 <= j < len(lines) and re.fullmatch(r"\s*\d{1,3}\s*", lines[j]):
                    out.add(j)
    return out


# The cells of one line, read once per distinct line: tables repeat their lines (0, the
# standard's labels, the same rows in report after report).
@lru_cache(maxsize=8192)
def _line_readings(line: str) -> tuple[Reading, ...]:
    if not line.strip():
        return ()
    if "|" in line or "\t" in line:
        pieces = _SPLIT.split(line.strip(" "))
    else:
        pieces = _split_trailing_numbers(line.strip())
    return tuple(_reading(piece) for piece in pieces)


def tokenise(text: str) -> list[Cell]:
    cells: list[Cell] = []
    lines = text.split("\n")
    furniture = _furniture(lines) if "年度报告" in text else set()
    new = tuple.__new__  # Cell's own constructor, without its Python-level wrapper
    for index, line in enumerate(lines):
        if index in furniture:
            continue
        for piece, value, kind in _line_readings(line):
            cells.append(new(Cell, (piece, index, value, kind)))
    return cells
