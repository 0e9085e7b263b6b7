"""The three standard tables (sections 二、三、四) read into the fixed keys of docs/record.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extract.tables.cells import Cell, tokenise
from extract.tables.rows import read_rows
from extract.tables.standard import (
    ACTIVE_DISCLOSURE,
    APPLICANT_COLUMNS,
    APPLICATIONS,
    FORMAT_MARKERS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
)
from extract.textnorm import squeeze


@dataclass
class TableResult:
    table: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)


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


def parse_active_disclosure(text: str, fmt: str) -> TableResult:
    specs = ACTIVE_DISCLOSURE[fmt]
    read = read_rows(tokenise(text), specs)
    if not read.values:
        return TableResult(None, ["no row of the table was recognised", *read.problems])
    table = {
        spec.key: dict(
            zip(spec.columns, read.values.get(spec.key, [None] * len(spec.columns)), strict=True)
        )
        for spec in specs
    }
    missing = [spec.key for spec in specs if spec.key not in read.values]
    problems = list(read.problems)
    if missing:
        problems.append(f"rows not found (left null): {', '.join(missing)}")
    return TableResult(table, problems)


def parse_applications(text: str, fmt: str) -> TableResult:
    # The layout of （六） decides, whatever the rest of the report says: some 2020 reports
    # mix the two standards.
    if "逾期不补正" in squeeze(text):
        fmt = "2021"
    specs = APPLICATIONS[fmt]
    read = read_rows(tokenise(text), specs)
    if not read.values:
        return TableResult(None, ["no row of the table was recognised", *read.problems])
    width = len(APPLICANT_COLUMNS)
    rows = {spec.key: read.values.get(spec.key, [None] * width) for spec in specs}
    missing = [spec.key for spec in specs if spec.key not in read.values]
    problems = list(read.problems)
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
