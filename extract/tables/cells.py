"""Turning a flattened table, however it was flattened, into one stream of cells.

Reports reach us with one cell a line, cells split by `` | `` or tabs, blank lines between
cells, empty merged cells, or (from PDFs) a label followed by space-separated numbers. All
become the same stream; the row reader never sees the layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.numbers import parse_cell

_SPLIT = re.compile(r"[ ]*[|\t][ ]*")
_SIGN_WORDS = ("增加", "减少")


@dataclass(frozen=True)
class Cell:
    text: str
    line: int  # index of the source line, to tell one-row-a-line layouts from streams
    value: int | float | None  # None for labels and empty cells
    kind: str  # "num", "label" or "empty"


def _classify(text: str, line: int) -> Cell:
    text = text.strip()
    if not text:
        return Cell(text, line, None, "empty")
    try:
        value = parse_cell(text)
    except ValueError:
        return Cell(text, line, None, "label")
    return Cell(text, line, value, "num" if value is not None else "empty")


def _split_trailing_numbers(line: str) -> list[str]:
    """``(七)总计 85 9 0`` → ``["(七)总计", "85", "9", "0"]``; anything else stays whole."""
    parts = line.split()
    numbers: list[str] = []
    while parts:
        token = parts[-1]
        if parts[-1] in ("项", "万元") and len(parts) > 1:
            token = parts[-2] + parts[-1]
            parts = parts[:-1]
        if _classify(token, 0).kind != "num":
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


def tokenise(text: str) -> list[Cell]:
    cells: list[Cell] = []
    lines = text.split("\n")
    furniture = _furniture(lines) if "年度报告" in text else set()
    for index, line in enumerate(lines):
        if not line.strip() or index in furniture:
            continue
        if "|" in line or "\t" in line:
            pieces = _SPLIT.split(line.strip(" "))
        else:
            pieces = _split_trailing_numbers(line.strip())
        cells.extend(_classify(piece, index) for piece in pieces)
    return cells
