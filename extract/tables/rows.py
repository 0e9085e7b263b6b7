"""Aligning a cell stream against the known rows of a standard table.

Label cells since the last number form a buffer (labels split over lines or cells join up
again there); the row whose pattern matches latest in that buffer owns the numbers that
follow. Header cells therefore never claim a row, and a missing row leaves its values null
instead of shifting its neighbours.

Numbers whose label is misprinted (``2.其他法律行政止公开``) or missing (a row printed only
as numbers) are not thrown away: the standard fixes the order of the rows, so numbers that
stand between two known rows, where exactly as many rows are missing as there are such
runs, each of a row's width, are those rows. That placement is reported as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cache

from extract.tables.cells import Cell
from extract.tables.standard import RowSpec
from extract.textnorm import squeeze

Number = int | float | None


@dataclass
class RowsRead:
    values: dict[str, list[Number]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Rows with fewer values than columns and no layout saying where the gaps are: the
    # values as printed, for a reader that knows the table's arithmetic to place them.
    short: dict[str, list[Number]] = field(default_factory=dict)
    short_text: dict[str, list[str]] = field(default_factory=dict)  # the same cells as printed


@dataclass
class _Orphan:
    """Numbers no label claimed, with what stood before them and where."""

    label: str
    values: list[Number]
    after: str | None  # the known row read just before, in the stream
    line: int = 0  # line of the first number within the table's text


def _place_orphans(
    orphans: list[_Orphan], order: list[str], specs: tuple[RowSpec, ...], out: RowsRead
) -> None:
    keys = [s.key for s in specs]
    widths = {s.key: len(s.columns) for s in specs}
    groups: dict[str | None, list[_Orphan]] = {}
    for orphan in orphans:
        groups.setdefault(orphan.after, []).append(orphan)
    for after, group in groups.items():
        nxt = order[order.index(after) + 1] if after in order[:-1] else None
        if after is None:
            nxt = order[0] if order else None
        lo = keys.index(after) + 1 if after is not None else 0
        hi = keys.index(nxt) if nxt is not None else len(keys)
        gap = [k for k in keys[lo:hi] if k not in out.values] if lo <= hi else []
        if (
            gap
            and len(gap) == len(group)
            and all(len(o.values) == widths[k] for o, k in zip(group, gap, strict=True))
        ):
            for orphan, key in zip(group, gap, strict=True):
                out.values[key] = orphan.values
                # the buffer may hold header cells too: its end is the row's own label
                label = f"label {orphan.label[-24:]!r}" if orphan.label else "no label"
                out.warnings.append(
                    f"row {key}: numbers with {label} placed by their position"
                    + (f" after row {after}" if after else " at the start")
                    + (f" and before row {nxt}" if nxt else "")
                )
            continue
        for orphan in group:
            printed = ", ".join("" if v is None else f"{v:g}" for v in orphan.values[:8])
            out.problems.append(
                f"numbers {printed}{' …' if len(orphan.values) > 8 else ''} on line "
                f"{orphan.line + 1} of the table follow no known row"
                + (
                    f" (the label before them reads {orphan.label[-30:]!r})"
                    if orphan.label
                    else " (no label before them)"
                )
                + (f", after row {orphan.after}" if orphan.after else "")
                + "; they were left out"
            )


@cache
def _label_pattern(pattern: str) -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    """The compiled pattern, and the words it is an alternation of when it is nothing more
    (most labels are): then it occurs exactly where one of them does, tested by ``in``."""
    words = tuple(pattern.split("|"))
    plain = all(w and re.escape(w) == w for w in words)
    return re.compile(pattern), words if plain else None


_Prepared = list[tuple[RowSpec, re.Pattern[str], tuple[str, ...] | None]]
_PREPARED: dict[int, tuple[tuple[RowSpec, ...], _Prepared]] = {}


def _prepared(specs: tuple[RowSpec, ...]) -> _Prepared:
    """Each row of a table with its label's pattern, prepared once per tuple of rows (found
    by identity: hashing every row cost more than the lookup saves)."""
    hit = _PREPARED.get(id(specs))
    if hit is None or hit[0] is not specs:
        if len(_PREPARED) > 64:
            _PREPARED.clear()
        hit = (specs, [(spec, *_label_pattern(spec.pattern)) for spec in specs])
        _PREPARED[id(specs)] = hit  # holds the tuple: its id is not reused meanwhile
    return hit[1]


def _pick(buffer: str, specs: tuple[RowSpec, ...], taken: Container[str]) -> RowSpec | None:
    best, best_end, best_len = None, -1, 0
    for spec, regex, words in _prepared(specs):
        if spec.key in taken:
            continue
        if words is not None:
            for word in words:
                if word in buffer:
                    break
            else:
                continue  # none of its words: the pattern cannot match
        for m in regex.finditer(buffer):
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
    order: list[str] = []  # known rows in the order the stream gives them
    orphans: list[_Orphan] = []
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
        label = "".join(buffer)
        spec = _pick(label, specs, out.values)
        buffer = []
        if spec is None:
            orphans.append(
                _Orphan(
                    label,
                    [c.value for c in run],
                    order[-1] if order else None,
                    run[0].line if run else 0,
                )
            )
            continue
        width = len(spec.columns)
        run = _drop_page_numbers(run, width, out)
        if len(run) > width and len(run) % width == 0:
            # Rows printed with no label of their own ran on after this one.
            for k in range(width, len(run), width):
                orphans.append(_Orphan("", [c.value for c in run[k : k + width]], spec.key))
            run = run[:width]
        order.append(spec.key)
        values: list[Number] = [c.value for c in run[:width]]
        if len(run) < width and last_label >= 0:
            values = _positional(cells, last_label, width) or values
        if len(values) < width:
            out.short[spec.key] = list(values)
            out.short_text[spec.key] = [c.text for c in run]
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
    _place_orphans(orphans, order, specs, out)
    return out


def _drop_page_numbers(run: list[Cell], width: int, out: RowsRead) -> list[Cell]:
    """A PDF page break inside a table leaves the page number as a line of its own among
    the values of a row laid out on one line: it is furniture, not a cell."""
    if len(run) <= width:
        return run
    lines = [c.line for c in run]
    alone = [k for k, c in enumerate(run) if lines.count(c.line) == 1]
    if lines.count(run[0].line) >= width and len(run) - len(alone) == width:
        out.warnings.append(
            f"number(s) {[run[k].text for k in alone]} on a line of their own inside the "
            "table taken for page numbers and ignored"
        )
        return [c for k, c in enumerate(run) if k not in alone]
    return run
