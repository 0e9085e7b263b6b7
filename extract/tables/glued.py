"""Tables whose cells were run together with no separators at all.

A crawler's ``get_text()`` of a web page's table gives ``规章116行政规范性文件7853356…``:
labels and numbers alternate, but the numbers of one row form one digit run. Each run is
cut under the standard's arithmetic (``runs``); the cuts of the applications table are then
narrowed by its column arithmetic (本年新收+上年结转 = 总计+结转下年度, 总计 = the sum of
the result rows), so that a row read two ways by itself is usually read one way in the
table. A cell that still has several readings is left null and named in an error; nothing
is guessed.

This reader only runs when the ordinary one fails and the text shows labels glued to
numbers, so separated tables never pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from extract.tables.rows import _pick
from extract.tables.runs import (
    Number,
    Reading,
    Run,
    TooManyReadings,
    free_readings,
    total_readings,
)
from extract.tables.standard import RESULT_ROWS, RowSpec
from extract.textnorm import squeeze

# Page furniture that survives inside a run-together table: a running header naming the
# report (its year would read as cells) and page marks.
_FURNITURE = re.compile(
    r"\d{4}年度?[^\d]{0,12}?政府信息公开(?:工作)?年度报告|第\d{1,4}页(?:共\d{1,4}页)?|[-—]\d{1,4}[-—]"
)
# Tokens of a run-together table: an item number of a label (``1.``, ``(2)``), a sign word
# before a number, a number with an optional unit after it (the unit ends the cell), or text.
_TOKEN = re.compile(
    r"(?P<item>[(（]\d{1,2}[)）]|\d{1,2}(?=[.、．][^\d]))"
    r"|(?P<sign>增加|减少|新增|增|减)?"
    r"(?P<num>\d+(?=\d[.、．](?!\d))|\d+(?:\.\d+)?)(?P<unit>万元|元|项|件|个|条|次)?"
    r"|(?P<text>[^\d]+?)(?=[(（]\d|\d|$)"
)
_NEGATIVE = ("减少", "减")


@dataclass
class Segment:
    """Label text and the number pieces that follow it, up to the next label."""

    label: str
    pieces: list[str] = field(default_factory=list)
    negative: list[bool] = field(default_factory=list)
    signed: list[bool] = field(default_factory=list)  # after 增加/减少
    counted: list[bool] = field(default_factory=list)  # before 项

    def run(self) -> Run:
        return Run.of(self.pieces, self.negative, self.signed, self.counted)


def segments(text: str) -> list[Segment]:
    flat = _FURNITURE.sub("", squeeze(text).replace("|", ""))
    out: list[Segment] = [Segment("")]
    for m in _TOKEN.finditer(flat):
        if m["num"] is not None:
            out[-1].pieces.append(m["num"])
            out[-1].negative.append(m["sign"] in _NEGATIVE)
            out[-1].signed.append(m["sign"] is not None)
            out[-1].counted.append(m["unit"] == "项")
            continue
        token = m["item"] or m["text"] or ""
        if out[-1].pieces:
            out.append(Segment(token))
        else:
            out[-1].label += token
    return [s for s in out if s.pieces]


def looks_run_together(text: str, rows: tuple[tuple[str, int], ...]) -> bool:
    """True when at least two row labels are directly followed by a digit run long enough
    to hold the row's cells. In a separated table a space, a tab, a ``|`` or a line end
    always stands there; in narrative a count is short and followed by its measure word
    (``予以公开3件``), so neither is taken for a run-together table."""
    glued = 0
    for pattern, width in rows:
        glued += len(
            re.findall(
                rf"(?:{pattern})[^\d\s|]{{0,40}}?(?<![.、(（])\d[\d.]{{{max(width - 1, 0)},}}"
                r"(?![\d件项个条次人名万亿余多])",
                text,
            )
        )
        if glued >= 2:
            return True
    return False


def cells_read(table: dict[str, object] | None) -> int:
    """How many non-null cells a table result holds (to compare two readings)."""
    if table is None:
        return 0
    rows = table.get("rows", table)
    assert isinstance(rows, dict)
    count = 0
    for row in rows.values():
        values = row.values() if isinstance(row, dict) else row
        count += sum(v is not None for v in values)
    return count


@dataclass
class GluedRows:
    """Readings per row before the table's own arithmetic narrows them."""

    readings: dict[str, list[Reading]] = field(default_factory=dict)
    digits: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_glued_rows(text: str, specs: tuple[RowSpec, ...], row_total: bool) -> GluedRows:
    out = GluedRows()
    for segment in segments(text):
        spec = _pick(squeeze(segment.label), specs, set(out.readings))
        if spec is None:
            out.problems.append(f"numbers {segment.pieces[:4]} follow no known row")
            continue
        run = segment.run()
        width = len(spec.columns)
        try:
            signed = spec.columns.index("change") if "change" in spec.columns else None
            found = total_readings(run, width) if row_total else free_readings(run, width, signed)
        except TooManyReadings:
            found = []
            out.problems.append(
                f"row {spec.key}: the digits {run.digits} can be cut in too many ways; left null"
            )
        else:
            if not found:
                out.problems.append(
                    f"row {spec.key}: the digits {run.digits} cannot be cut into {width} cells"
                    + (" whose total is the sum of the others" if row_total else "")
                    + "; left null"
                )
        out.readings[spec.key] = found
        out.digits[spec.key] = run.digits
    return out


@dataclass
class OpenCells:
    """Cells of a run-together row that its readings disagree on, kept with the readings so
    that other evidence in the report (its narrative) can still settle them."""

    key: str  # the row the error names
    where: tuple[tuple[str, str], ...]  # (row or group, column) of each cell of a reading
    readings: list[Reading]
    digits: str
    problem: str  # the error that names the open cells


def settle(
    key: str,
    readings: list[Reading],
    width: int,
    digits: str,
    columns: tuple[str, ...],
    arithmetic: bool = True,
    why: str | None = None,
) -> tuple[list[Number | None], str | None]:
    """The cells all readings agree on; the others null, with the error that names them."""
    if not readings:
        return [None] * width, None
    values: list[Number | None] = list(readings[0])
    for reading in readings[1:]:
        values = [v if v == r else None for v, r in zip(values, reading, strict=True)]
    if len(readings) == 1:
        return values, None
    open_cells = [columns[c] for c, v in enumerate(values) if v is None]
    shown = ", ".join("|".join(map(str, r)) for r in readings[:3])
    more = f" and {len(readings) - 3} more" if len(readings) > 3 else ""
    why = why or (
        "that all satisfy the standard's arithmetic"
        if arithmetic
        else "and the standard gives this row no arithmetic to choose"
    )
    return values, (
        f"row {key}: the run-together digits {digits} read {len(readings)} ways ({shown}{more}) "
        f"{why}; ambiguous cells left null: {', '.join(open_cells)}"
    )


# --- rows printed with values missing -------------------------------------------------------


def placements(
    printed: list[str], values: list[Number | None], columns: tuple[str, ...]
) -> list[Reading]:
    """Where the printed values of a short row of table 二 can stand: in their order, the
    gaps null (blank cells vanish when an HTML table is flattened). A value printed with
    增加/减少 is the row's 本年增/减 cell and one printed with its 万元/元 a money cell;
    nothing else marks a column."""
    width, out = len(columns), []
    for slots in combinations(range(width), len(values)):
        row: list[Number | None] = [None] * width
        fits = True
        for slot, text, value in zip(slots, printed, values, strict=True):
            column = columns[slot]
            if re.match(r"增|减|新增", text) and column != "change":
                fits = False
            if text.endswith("元") and not column.startswith("amount"):
                fits = False
            row[slot] = value
        if fits:
            out.append(tuple(row))
    return out


def grouped_placements(values: list[Number | None], groups: int, size: int) -> list[Reading]:
    """Where the printed values of table 四 can stand when blank cells vanished: in their
    order, the gaps null, each group's 总计 (its last cell) the sum of its parts. A blank
    counts as none of anything, so a group whose 总计 is blank has no parts printed."""
    width, out = groups * size, []
    for slots in combinations(range(width), len(values)):
        row: list[Number | None] = [None] * width
        for slot, value in zip(slots, values, strict=True):
            row[slot] = value
        if all(
            sum(v or 0 for v in row[g * size : g * size + size - 1])
            == (row[g * size + size - 1] or 0)
            for g in range(groups)
        ):
            out.append(tuple(row))
    return out


def short_row_readings(printed: list[Number | None], width: int) -> list[Reading]:
    """Where the printed values of a short row of table 三 can stand.

    Blank cells vanish when an HTML table is flattened, so the values keep their order but
    not their columns: every placement whose total (when printed) is the sum of the others
    is a reading, the gaps null; the 总计 column is never blank, so it holds the last value.
    When exactly one value is missing, a dropped figure is
    also possible: each position it could take, its value following from the row total.
    """
    values = [v for v in printed if v is not None]
    out: list[Reading] = []
    k = len(values)
    if k == 0 or k > width:
        return out

    def fits(row: Reading) -> bool:
        parts = [v for v in row[:-1] if v is not None]
        return row[-1] is None or sum(parts) == row[-1]

    for first in combinations(range(width - 1), k - 1):
        slots = (*first, width - 1)
        row: list[Number | None] = [None] * width
        for slot, value in zip(slots, values, strict=True):
            row[slot] = value
        if fits(tuple(row)):
            out.append(tuple(row))
    if k == width - 1:
        for gap in range(width):
            others = values[:gap] + values[gap:]
            total = others[-1] if gap < width - 1 else sum(others)
            missing = total - sum(others[:-1]) if gap < width - 1 else total
            if missing >= 0:
                full: Reading = (*values[:gap], missing, *values[gap:])
                if fits(full) and full not in out:
                    out.append(full)
    return out


# --- the applications table: narrowing the rows by the column arithmetic ------------------

_State = tuple[Number, ...]
MAX_STATES = 50_000


def _contributions(fmt: str, width: int) -> dict[str, tuple[int, int]]:
    """Each row's sign in (total = results) and in (new + carried = total + forward)."""
    out = {key: (1, 0) for key in RESULT_ROWS[fmt]}
    out["total_processed"] = (-1, -1)
    out["new_received"] = (0, 1)
    out["carried_over"] = (0, 1)
    out["carried_forward"] = (0, -1)
    return out


def narrow_by_columns(
    readings: dict[str, list[Reading]], fmt: str, width: int
) -> tuple[dict[str, list[Reading]], str | None]:
    """Keep only the readings of each row that take part in some reading of the whole table
    satisfying both column relations. A forward pass collects the reachable partial sums,
    a backward pass the ones that can still end at zero; rows read one way cost nothing."""
    if all(len(r) <= 1 for r in readings.values()):
        return readings, None
    signs = _contributions(fmt, width)
    families = [
        (0, [k for k, s in signs.items() if s[0]]),
        (1, [k for k, s in signs.items() if s[1]]),
    ]
    # A relation is only usable when every row it involves has at least one reading.
    usable = [f for f, keys in families if all(readings.get(k) for k in keys)]
    if not usable:
        return readings, None
    order = [k for k in readings if any(signs.get(k, (0, 0))[f] for f in usable)]

    def step(state: _State, key: str, reading: Reading) -> _State:
        sign = signs[key]
        out = list(state)
        for n, f in enumerate(usable):
            if sign[f]:
                for c in range(width):
                    out[n * width + c] += sign[f] * (reading[c] or 0)  # a blank adds nothing
        return tuple(out)

    zero: _State = (0,) * (width * len(usable))
    layers: list[set[_State]] = [{zero}]
    for key in order:
        nxt = {step(s, key, r) for s in layers[-1] for r in readings[key]}
        if len(nxt) > MAX_STATES:
            return readings, "the table has too many readings to narrow by its column arithmetic"
        layers.append(nxt)
    if zero not in layers[-1]:
        return readings, (
            "no reading of the run-together digits satisfies the table's column arithmetic "
            "(本年新收+上年结转 = 总计+结转下年度, 总计 = the sum of the results); rows read "
            "several ways were left null"
        )
    alive: set[_State] = {zero}
    kept = dict(readings)
    for n in range(len(order) - 1, -1, -1):
        key = order[n]
        good = [r for r in readings[key] if any(step(s, key, r) in alive for s in layers[n])]
        kept[key] = good
        alive = {s for s in layers[n] if any(step(s, key, r) in alive for r in good)}
    return kept, None
