"""Turning a flattened table, however it was flattened, into one stream of cells.

Reports reach us with one cell a line, cells split by `` | `` or tabs, blank lines between
cells, empty merged cells, or (from PDFs) a label followed by space-separated numbers. All
become the same stream; the row reader never sees the layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.numbers import parse_cell

_SPLIT = re.compile(r"\s*[|\t]\s*")
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
    if not numbers or not parts:
        return [line]
    return [" ".join(parts), *numbers]


def tokenise(text: str) -> list[Cell]:
    cells: list[Cell] = []
    for index, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        if "|" in line or "\t" in line:
            pieces = _SPLIT.split(line.strip(" "))
        else:
            pieces = _split_trailing_numbers(line.strip())
        cells.extend(_classify(piece, index) for piece in pieces)
    return cells
