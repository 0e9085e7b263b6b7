"""The three standard tables (sections 二、三、四) read into the fixed keys of docs/record.md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from extract.tables import glued, implied, narrative
from extract.tables.cells import Cell, tokenise
from extract.tables.rows import Number, RowsRead, read_rows
from extract.tables.runs import Run, TooManyReadings, grouped_readings
from extract.tables.standard import (
    ACTIVE_DISCLOSURE,
    APPLICANT_COLUMNS,
    APPLICATIONS,
    FORMAT_MARKERS,
    LONE_OTHER,
    OTHER_2021,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    RowSpec,
)
from extract.textnorm import squeeze


@dataclass
class TableResult:
    table: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)
    # Unusual readings believed right (a row placed by its position): kept apart from errors.
    warnings: list[str] = field(default_factory=list)
    # Run-together rows left with several readings (each also named in ``problems``).
    open: list[glued.OpenCells] = field(default_factory=list)


def detect_format(active_text: str, applications_text: str, year: int | None) -> str | None:
    """Which standard the tables follow: the column headers say it; the year decides last."""
    flat = squeeze(active_text)
    scores = {
        fmt: sum(m.replace("/", "") in flat.replace("/", "") for m in marks)
        for fmt, marks in FORMAT_MARKERS.items()
    }
    if scores["2019"] != scores["2021"]:
        return max(scores, key=lambda k: scores[k])
    apps = squeeze(applications_text)
    if "逾期不补正" in apps or "社会公益组织" in apps:
        return "2021"
    if "其他处理" in apps and "社会组织" in apps:
        return "2019"
    if year is not None:
        return "2019" if year <= 2020 else "2021"
    return None


def _shapes(specs: tuple[RowSpec, ...]) -> tuple[tuple[str, int], ...]:
    return tuple((s.pattern, len(s.columns)) for s in specs)


def _incomplete(result: TableResult) -> bool:
    return result.table is None or bool(result.problems)


_RUN_TOGETHER = "the table's cells are run together; read by splitting its digit runs"


def _from_glued(
    read: glued.GluedRows,
    specs: tuple[RowSpec, ...],
    out: TableResult,
    arithmetic: bool,
    fmt: str | None = None,
) -> dict[str, list[Number]]:
    """Settle every row of a run-together table: agreed cells kept, ambiguous ones null.
    With ``fmt``, the relations the standard's definitions imply narrow the readings first."""
    values: dict[str, list[Number]] = {}
    for spec in specs:
        if spec.key not in read.readings:
            continue
        readings, why = read.readings[spec.key], None
        digits = read.digits[spec.key]
        if fmt is not None:
            narrowed = implied.narrow(fmt, spec.key, spec.columns, readings)
            if narrowed.settled_by is not None:
                out.warnings.append(
                    f"row {spec.key}: the run-together digits {digits} read "
                    f"{len(readings)} ways; only {_shown(narrowed.readings[0])} satisfies "
                    f"{narrowed.settled_by.text} ({narrowed.settled_by.why})"
                )
            elif len(narrowed.readings) < len(readings):
                why = (
                    "that all satisfy "
                    + ", ".join(r.text for r in implied.relations(fmt, spec.key))
                    + ", all the standard's definitions imply for this row"
                )
            elif narrowed.broken:
                why = (
                    "and no reading satisfies "
                    + ", ".join(r.text for r in narrowed.broken)
                    + ", which a correct table does: the report's own numbers break it"
                )
            readings = narrowed.readings
        row, error = glued.settle(
            spec.key, readings, len(spec.columns), digits, spec.columns, arithmetic, why
        )
        values[spec.key] = row
        if error:
            out.problems.append(error)
            where = tuple((spec.key, c) for c in spec.columns)
            out.open.append(glued.OpenCells(spec.key, where, readings, digits, error))
    return values


def _shown(reading: tuple[Number, ...]) -> str:
    return "|".join(map(str, reading))


# Money cells: (row, column, header words) → the key is in 万元, as the standard prints it.
_AMOUNTS = (
    ("administrative_fees", "amount_10k_yuan", r"收费金额"),
    ("centralized_procurement", "amount_10k_yuan", r"采购总?金额"),
)
_UNIT = r"[(（]?(?:单位)?[:：]?\s*(?P<unit>万元|元)"


def _amount_unit(flat: str, row_label: str, header: str) -> str | None:
    """The unit a money column is printed in: from its header ``本年收费金额(单位:万元)``,
    else from the value cell ``78681万元``; None when the table never says."""
    m = re.search(header + _UNIT, flat)
    if m is None:
        m = re.search(rf"(?:{row_label})[^\d]{{0,12}}(?:[\d.,]+\D{{0,6}}?)*?[\d.,]+{_UNIT}", flat)
    return m["unit"] if m else None


def _in_key_units(text: str, fmt: str, result: TableResult) -> None:
    """Money goes into each key's unit (万元): a table printed in 元 is converted; one that
    never names its unit is taken to follow the standard, and says so."""
    if result.table is None:
        return
    flat = squeeze(text)
    labels = {spec.key: spec.pattern for spec in ACTIVE_DISCLOSURE[fmt]}
    for row, column, header in _AMOUNTS:
        cells = result.table.get(row)
        if not cells or not cells.get(column):
            continue  # nothing, or zero in any unit
        unit = _amount_unit(flat, labels[row], header)
        if unit == "元":
            value = round(cells[column] / 10_000, 6)
            cells[column] = int(value) if float(value).is_integer() else value
            result.warnings.append(f"{row}.{column}: printed in 元, converted to 万元")
        elif unit is None:
            result.warnings.append(
                f"{row}.{column}: the table does not say its unit; taken as the standard's 万元"
            )


def parse_active_disclosure(text: str, fmt: str) -> TableResult:
    result = _active_disclosure_any_layout(text, fmt)
    _in_key_units(text, fmt, result)
    return result


def _active_disclosure_any_layout(text: str, fmt: str) -> TableResult:
    result = _parse_active_disclosure(text, fmt)
    specs = ACTIVE_DISCLOSURE[fmt]
    if _incomplete(result) and glued.looks_run_together(text, _shapes(specs)):
        read = glued.read_glued_rows(text, specs, row_total=False)
        settled = TableResult(None, list(read.problems))
        values = _from_glued(read, specs, settled, arithmetic=False, fmt=fmt)
        together = _active_table(specs, values, settled.problems)
        if glued.cells_read(together.table) > glued.cells_read(result.table):
            together.warnings = [_RUN_TOGETHER, *settled.warnings]
            together.open = settled.open
            return together
    return result


def _active_table(
    specs: tuple[RowSpec, ...], values: dict[str, list[Number]], problems: list[str]
) -> TableResult:
    table = {
        spec.key: dict(
            zip(spec.columns, values.get(spec.key, [None] * len(spec.columns)), strict=True)
        )
        for spec in specs
    }
    missing = [spec.key for spec in specs if spec.key not in values]
    if missing:
        problems.append(f"rows not found (left null): {', '.join(missing)}")
    return TableResult(table, problems)


def _parse_active_disclosure(text: str, fmt: str) -> TableResult:
    specs = ACTIVE_DISCLOSURE[fmt]
    read = read_rows(tokenise(text), specs)
    if not read.values:
        return TableResult(None, ["no row of the table was recognised", *read.problems])
    placed = TableResult(None, list(read.problems), list(read.warnings))
    if read.short:
        _place_short_active(read, specs, fmt, placed)
    result = _active_table(specs, read.values, placed.problems)
    result.warnings, result.open = placed.warnings, placed.open
    return result


def _place_short_active(
    read: RowsRead, specs: tuple[RowSpec, ...], fmt: str, out: TableResult
) -> None:
    """Rows of table 二 printed with fewer values than columns (blank cells that vanished):
    every placement of the values in their order is a reading, unless a mark says otherwise
    (增加/减少: the 本年增/减 column; 万元: the amount), and the relations the definitions
    imply narrow them. Cells the placements disagree on stay null and are named; nothing is
    put in the first columns because it came first."""
    for spec in specs:
        if spec.key not in read.short:
            continue
        printed, width = read.short_text[spec.key], len(spec.columns)
        shown = " ".join(printed)
        options = glued.placements(printed, read.short[spec.key], spec.columns)
        out.problems[:] = [p for p in out.problems if not p.startswith(f"row {spec.key}: ")]
        if not options:
            read.values[spec.key] = [None] * width
            out.problems.append(
                f"row {spec.key}: the printed values {shown} fit none of its {width} columns; "
                "left null"
            )
            continue
        narrowed = implied.narrow(fmt, spec.key, spec.columns, options)
        row, error = glued.settle(
            spec.key, narrowed.readings, width, shown, spec.columns, arithmetic=False
        )
        read.values[spec.key] = row
        if error:
            error = error.replace("the run-together digits", "the printed values")
            error = error.replace("this row no arithmetic", "a row with blank cells nothing")
            out.problems.append(error)
            where = tuple((spec.key, c) for c in spec.columns)
            out.open.append(glued.OpenCells(spec.key, where, narrowed.readings, shown, error))
        else:
            how = (
                f"only this placement satisfies {narrowed.settled_by.text}"
                if narrowed.settled_by is not None
                else "增加/减少 and 万元 mark their columns"
            )
            out.warnings.append(
                f"row {spec.key}: {len(printed)} of {width} values printed ({shown}), blank "
                f"cells null: {how}"
            )


def parse_applications(text: str, fmt: str) -> TableResult:
    # The layout of （六） decides, whatever the rest of the report says: some 2020 reports
    # mix the two standards.
    if "逾期不补正" in squeeze(text):
        fmt = "2021"
    specs = APPLICATIONS[fmt]
    read = read_rows(tokenise(text), _rows_read(fmt))
    warnings = list(read.warnings)
    problems = list(read.problems)
    if fmt == "2021":
        _resolve_lone_other(read.values, problems, warnings)
    if read.short:
        _place_short_rows(read.values, read.short, fmt, problems, warnings)
    result = (
        _applications_table(specs, read.values, problems)
        if read.values
        else TableResult(None, ["no row of the table was recognised", *problems])
    )
    result.warnings = warnings
    if _incomplete(result) and glued.looks_run_together(text, _shapes(specs)):
        width = len(APPLICANT_COLUMNS)
        together = glued.read_glued_rows(text, specs, row_total=True)
        settled = TableResult(None, list(together.problems))
        together.readings, note = glued.narrow_by_columns(together.readings, fmt, width)
        if note:
            settled.problems.append(note)
        values = _from_glued(together, specs, settled, arithmetic=True)
        table = _applications_table(specs, values, settled.problems)
        if glued.cells_read(table.table) > glued.cells_read(result.table):
            table.warnings.append(_RUN_TOGETHER)
            table.open = settled.open
            return table
    return result


@cache
def _rows_read(fmt: str) -> tuple[RowSpec, ...]:
    """The rows table 三 is read with: a 2021 table may print (六) as one row."""
    specs = APPLICATIONS[fmt]
    return _with_lone_other(specs) if fmt == "2021" else specs


def _with_lone_other(specs: tuple[RowSpec, ...]) -> tuple[RowSpec, ...]:
    at = [s.key for s in specs].index(OTHER_2021[0])
    return (*specs[:at], LONE_OTHER, *specs[at:])


def _resolve_lone_other(
    values: dict[str, list[Number]], problems: list[str], warnings: list[str]
) -> None:
    """A 2021 table that prints (六)其他处理 as one row: its three sub-rows are counts that
    add up to it, so a row of zeros makes each of them zero; otherwise how it divides is
    unknown, and they stay null with an error that keeps the printed row."""
    lone = values.pop(LONE_OTHER.key, None)
    if lone is None or any(key in values for key in OTHER_2021):
        return
    # Counts are never negative: a column that is 0 in the printed row is 0 in each sub-row.
    split: list[Number] = [0 if v == 0 else None for v in lone]
    for key in OTHER_2021:
        values[key] = list(split)
    if all(v == 0 for v in lone):
        warnings.append(
            "(六)其他处理 is printed as one row of zeros, without its three sub-rows: each "
            "sub-row is therefore zero"
        )
        return
    problems.append(
        f"(六)其他处理 is printed as one row {lone} without its three sub-rows (逾期不补正, "
        "未按收费通知缴费, 其他): how its non-zero cells divide among them is unknown, so "
        "those are left null (its zero cells are zero in every sub-row)"
    )


def _place_short_rows(
    values: dict[str, list[Number]],
    short: dict[str, list[Number]],
    fmt: str,
    problems: list[str],
    warnings: list[str],
) -> None:
    """Rows printed with fewer values than columns, placed by the table's arithmetic: the
    row total, then the column relations with every other row. Cells the arithmetic leaves
    open stay null and are named."""
    width = len(APPLICANT_COLUMNS)
    readings = {key: [tuple(row)] for key, row in values.items() if key not in short}
    for key, printed in short.items():
        readings[key] = list(glued.short_row_readings(printed, width))
    narrowed, _ = glued.narrow_by_columns(readings, fmt, width)
    for key, printed in short.items():
        options = narrowed.get(key, [])
        if not options:
            continue  # no placement adds up: the first-come reading and its error stand
        row, error = glued.settle(
            key, options, width, " ".join(map(str, printed)), APPLICANT_COLUMNS
        )
        values[key] = row
        problems[:] = [p for p in problems if not p.startswith(f"row {key}: ")]
        if error:
            problems.append(error.replace("the run-together digits", "the printed values"))
        else:
            warnings.append(
                f"row {key}: {len(printed)} of {width} values printed; their columns "
                "(and any missing value) follow from the table's arithmetic"
            )


def _applications_table(
    specs: tuple[RowSpec, ...], values: dict[str, list[Number]], problems: list[str]
) -> TableResult:
    width = len(APPLICANT_COLUMNS)
    rows = {spec.key: values.get(spec.key, [None] * width) for spec in specs}
    missing = [spec.key for spec in specs if spec.key not in values]
    if missing:
        problems.append(f"rows not found (left null): {', '.join(missing)}")
    return TableResult({"columns": list(APPLICANT_COLUMNS), "rows": rows}, problems)


def _number_runs(cells: list[Cell]) -> list[list[int | float | None]]:
    runs: list[list[int | float | None]] = [[]]
    for cell in cells:
        if cell.kind == "num":
            runs[-1].append(cell.value)
        elif cell.kind == "label" and runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def parse_review_litigation(text: str) -> TableResult:
    result = _parse_review_litigation(text)
    if _incomplete(result) and glued.looks_run_together(text, _REVIEW_GLUED):
        together = _glued_review(text)
        if glued.cells_read(together.table) > glued.cells_read(result.table):
            return together
    return result


# Where the numbers of a run-together review table start: right after its last header cell.
_REVIEW_GLUED = ((r"总计", 15), (r"尚未审结", 15))


def _glued_review(text: str) -> TableResult:
    segments = glued.segments(text)
    size = len(REVIEW_COLUMNS)
    width = len(REVIEW_GROUPS) * size
    problems: list[str] = []
    # The table is the digits after its header; a note after it may hold numbers of its own,
    # so each segment is tried alone first, then all together.
    tries = [s.run() for s in segments] + [
        Run.of([p for s in segments for p in s.pieces], [n for s in segments for n in s.negative])
    ]
    for run in tries:
        try:
            readings = grouped_readings(run, len(REVIEW_GROUPS), size)
        except TooManyReadings:
            problems.append(f"the digits {run.digits} can be cut in too many ways")
            continue
        if readings:
            break
    else:
        return TableResult(
            None,
            [
                *problems,
                f"no cut of the run-together digits gives {width} cells whose groups add up",
            ],
        )
    columns = tuple(f"{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
    values, error = glued.settle("of the table", readings, width, run.digits, columns)
    open_cells = []
    if error:
        problems.append(error)
        where = tuple((g, c) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
        open_cells.append(glued.OpenCells("of the table", where, readings, run.digits, error))
    table = {
        group: dict(zip(REVIEW_COLUMNS, values[k * size : (k + 1) * size], strict=True))
        for k, group in enumerate(REVIEW_GROUPS)
    }
    return TableResult(table, problems, [_RUN_TOGETHER], open_cells)


def _place_short_review(values: list[Number]) -> TableResult:
    """Table 四 printed with fewer than fifteen values (blank cells that vanished): each
    placement in which every group's 总计 is the sum of its parts is a reading; cells the
    readings disagree on stay null and are named."""
    size, width = len(REVIEW_COLUMNS), len(REVIEW_GROUPS) * len(REVIEW_COLUMNS)
    shown = " ".join(map(str, values))
    readings = glued.grouped_placements(values, len(REVIEW_GROUPS), size)
    if not readings:
        return TableResult(
            None,
            [
                f"found {len(values)} numbers where the standard table has {width}, and no "
                "placement of them lets every group's 总计 be the sum of its results"
            ],
        )
    columns = tuple(f"{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
    row, error = glued.settle("of the table", readings, width, shown, columns)
    if error and all(v is None for v in row):
        return TableResult(
            None,
            [
                f"found {len(values)} numbers where the standard table has {width}; "
                "cannot tell which is which"
            ],
        )
    result = TableResult(
        {
            group: dict(zip(REVIEW_COLUMNS, row[k * size : (k + 1) * size], strict=True))
            for k, group in enumerate(REVIEW_GROUPS)
        }
    )
    if error:
        error = error.replace("the run-together digits", "the printed values")
        result.problems.append(error)
        where = tuple((g, c) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
        result.open.append(glued.OpenCells("of the table", where, readings, shown, error))
    else:
        result.warnings.append(
            f"{len(values)} of {width} values printed; the blank cells are null and the "
            "others stand where every group's 总计 is the sum of its results"
        )
    return result


def _parse_review_litigation(text: str) -> TableResult:
    cells = tokenise(text)
    numbers = [c for c in cells if c.kind == "num"]
    width = len(REVIEW_GROUPS) * len(REVIEW_COLUMNS)
    problems: list[str] = []
    if not numbers:
        return TableResult(None, ["the table holds no numbers"])
    values: list[int | float | None] = [c.value for c in numbers]
    if len(numbers) != width:
        lines = {c.line for c in numbers}
        if len(lines) == 1:  # one row with empty cells: keep them in place as null
            line_cells = [c for c in cells if c.line in lines]
            while line_cells and line_cells[0].kind != "num" and line_cells[0].kind == "empty":
                line_cells.pop(0)
            while line_cells and line_cells[-1].kind == "empty":
                line_cells.pop()
            if len(line_cells) == width and all(c.kind != "label" for c in line_cells):
                values = [c.value for c in line_cells]
        if len(values) != width:
            # Notes around the table carry numbers of their own ("注：…2件…"): the table is
            # the one unbroken run of exactly fifteen numbers, if there is one.
            runs = _number_runs(cells)
            exact = [run for run in runs if len(run) == width]
            if len(exact) == 1:
                values = exact[0]
                problems.append(f"{len(numbers) - width} number(s) outside the table ignored")
        if len(values) != width and len(numbers) < width:
            return _place_short_review([c.value for c in numbers])
        if len(values) != width:
            return TableResult(
                None,
                [
                    f"found {len(numbers)} numbers where the standard table "
                    f"has {width}; cannot tell which is which"
                ],
            )
    n = len(REVIEW_COLUMNS)
    table = {
        group: dict(zip(REVIEW_COLUMNS, values[k * n : (k + 1) * n], strict=True))
        for k, group in enumerate(REVIEW_GROUPS)
    }
    return TableResult(table, problems)


# --- what the narrative says -----------------------------------------------------------------


def settle_by_narrative(result: TableResult, key: str, text: str, year: int | None) -> None:
    """Settle the open run-together cells of a table that the report's narrative states
    (``narrative``); ``text`` is the report without the table itself."""
    if not result.open or result.table is None:
        return
    wanted = {column for cells in result.open for _, column in cells.where}
    stated = narrative.statements(text, key, wanted, year)
    for cells in list(result.open):
        found = narrative.corroborate(cells, stated)
        if found is None:
            continue
        for (row, column), value in zip(cells.where, found.reading, strict=True):
            _set_cell(result.table, row, column, value)
        result.open.remove(cells)
        result.problems.remove(cells.problem)
        said = ", ".join(f"{s.row}.{s.column} {s.value}" for s in found.used)
        quoted = "…".join(dict.fromkeys(s.clause for s in found.used))
        result.warnings.append(
            f"row {cells.key}: the run-together digits {cells.digits} read "
            f"{len(cells.readings)} ways; the narrative states {said} (“{quoted}”), which "
            f"only {_shown(found.reading)} agrees with"
        )


def _set_cell(table: dict[str, Any], row: str, column: str, value: Number) -> None:
    if "rows" in table:  # the applications table: rows of the seven applicant columns
        table["rows"][row][APPLICANT_COLUMNS.index(column)] = value
    else:
        table[row][column] = value
