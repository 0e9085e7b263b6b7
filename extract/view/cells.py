"""Which table cells and narrative fields a check compares, so a page can mark them.

Cells are named as the scorer names them (``applications.rows.granted[6]``,
``active_disclosure.regulations.issued``, ``review_litigation.reconsideration.total``), so a
gold mismatch and a failed check land on the same cell of the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.record import Check, Record
from extract.tables.standard import APPLICANT_COLUMNS, RESULT_ROWS, REVIEW_COLUMNS

TOTAL = APPLICANT_COLUMNS.index("total")


def application_cell(row: str, column: int) -> str:
    return f"applications.rows.{row}[{column}]"


def review_cell(group: str, column: str) -> str:
    return f"review_litigation.{group}.{column}"


def active_cell(row: str, column: str) -> str:
    return f"active_disclosure.{row}.{column}"


@dataclass(frozen=True)
class Involved:
    cells: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()  # narrative facts (catalogue field ids)


def _applications(name: str, record: Record) -> Involved:
    kind, _, what = name.removeprefix("applications.").partition(".")
    if kind == "row_total":
        return Involved(frozenset(application_cell(what, c) for c in range(len(APPLICANT_COLUMNS))))
    if what not in APPLICANT_COLUMNS:
        return Involved()
    column = APPLICANT_COLUMNS.index(what)
    if kind == "balance":
        rows: tuple[str, ...] = ("new_received", "carried_over", "total_processed")
        rows += ("carried_forward",)
    elif kind == "results_sum":
        apps = record.tables.applications
        fmt = "2019" if apps is not None and "other.total" in apps.rows else "2021"
        rows = ("total_processed", *RESULT_ROWS[fmt])
    else:
        return Involved()
    return Involved(frozenset(application_cell(r, column) for r in rows))


_CROSS = {
    "applications_received": (
        application_cell("new_received", TOTAL),
        application_cell("carried_over", TOTAL),
    ),
    "reconsideration_cases": (review_cell("reconsideration", "total"),),
    "litigation_cases": (
        review_cell("litigation_direct", "total"),
        review_cell("litigation_after_reconsideration", "total"),
    ),
}


def involved(check: Check, record: Record) -> Involved:
    """The cells and fields a check compares (nothing for a check this module does not know:
    it is still listed on the page, just not marked on a cell)."""
    name = check.name
    if name.startswith("applications."):
        return _applications(name, record)
    if name.startswith("review_litigation.") and name.endswith(".total"):
        group = name.split(".")[1]
        return Involved(frozenset(review_cell(group, c) for c in REVIEW_COLUMNS))
    if name.startswith("cross."):
        field = name.removeprefix("cross.")
        return Involved(frozenset(_CROSS.get(field, ())), frozenset({field}))
    if name.startswith("hybrid."):
        return Involved(fields=frozenset({name.removeprefix("hybrid.")}))
    return Involved()
