"""Aligning a cell stream against the known rows of a standard table.

Label cells since the last number form a buffer (labels split over lines or cells join up
again there); the row whose pattern matches latest in that buffer owns the numbers that
follow. Header cells therefore never claim a row, and a missing row leaves its values null
instead of shifting its neighbours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.tables.cells import Cell
from extract.tables.standard import RowSpec
from extract.textnorm import squeeze

Number = int | float | None


@dataclass
class RowsRead:
    values: dict[str, list[Number]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _pick(buffer: str, specs: tuple[RowSpec, ...], taken: set[str]) -> RowSpec | None:
    best, best_end, best_len = None, -1, 0
    for spec in specs:
        if spec.key in taken:
            continue
        for m in re.finditer(spec.pattern, buffer):
            if m.end() > best_end or (m.end() == best_end and len(m[0]) > best_len):
                best, best_end, best_len = spec, m.end(), len(m[0])
    return best


def _positional(cells: list[Cell], label_index: int, width: int) -> list[Number] | None:
    """Values of a row laid out on one line, empty cells kept in place: the report left them
    empty, so they are null. Leading empties (merged label columns) are dropped first."""
    line = cells[label_index].line
    row = [c for c in cells[label_index + 1 :] if c.line == line]
    if any(c.kind == "label" for c in row):
        return None
    while row and row[-1].kind == "empty":
        row.pop()
    while len(row) > width and row[0].kind == "empty":
        row.pop(0)
    if len(row) != width:
        return None
    return [c.value for c in row]


def read_rows(cells: list[Cell], specs: tuple[RowSpec, ...]) -> RowsRead:
    out = RowsRead()
    buffer: list[str] = []
    last_label = -1
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.kind == "label":
            buffer.append(squeeze(cell.text))
            last_label = i
            i += 1
            continue
        if cell.kind == "empty":
            i += 1
            continue
        # A run of numbers: read it whole, then decide whose it is.
        run: list[Cell] = []
        while i < len(cells) and cells[i].kind != "label":
            if cells[i].kind == "num":
                run.append(cells[i])
            i += 1
        spec = _pick("".join(buffer), specs, set(out.values))
        buffer = []
        if spec is None:
            out.problems.append(f"numbers {[c.text for c in run][:8]} follow no known row")
            continue
        width = len(spec.columns)
        values: list[Number] = [c.value for c in run[:width]]
        if len(run) < width and last_label >= 0:
            values = _positional(cells, last_label, width) or values
        if len(values) < width:
            out.problems.append(
                f"row {spec.key}: {len(run)} of {width} values found, the rest left null"
            )
            values = values + [None] * (width - len(values))
        elif len(run) > width:
            out.problems.append(
                f"row {spec.key}: {len(run)} values where {width} were "
                f"expected; kept the first {width}"
            )
        out.values[spec.key] = values
    return out
