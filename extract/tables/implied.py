"""What the standard's column definitions imply beyond its sums, for run-together rows.

Table 二 has no arithmetic in the standard, so a run-together row of it (``规范性文件7713``)
often reads several ways. Some of its columns still bound each other by what they count:
a total of documents disclosed to date includes those disclosed this year. Such a relation
discards the readings that break it; it is listed here only when every correctly filled
table satisfies it, never because a reading "looks likely" (docs/tables.md lists them,
docs/decisions.md the ones considered and rejected, with the reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extract.tables.runs import Number, Reading


@dataclass(frozen=True)
class Implied:
    """``sum(low) ≤ sum(high)`` in each row of ``rows`` (an empty ``low`` is 0)."""

    rows: tuple[str, ...]
    low: tuple[str, ...]
    high: tuple[str, ...]
    why: str

    @property
    def text(self) -> str:
        return f"{' + '.join(self.low) or '0'} ≤ {' + '.join(self.high)}"

    def holds(self, cells: dict[str, Number | None]) -> bool:
        values = [cells.get(c) for c in (*self.low, *self.high)]
        if any(v is None for v in values):
            return True  # a blank cell bounds nothing
        return sum(cells[c] or 0 for c in self.low) <= sum(cells[c] or 0 for c in self.high)


_DOCUMENTS = ("regulations", "normative_documents")
_ITEMS = (
    "administrative_licensing",
    "other_management_services",
    "administrative_punishment",
    "administrative_coercion",
    "administrative_fees",
)

IMPLIED: dict[str, tuple[Implied, ...]] = {
    "2019": (
        Implied(
            _DOCUMENTS,
            ("new_published",),
            ("total_published",),
            "对外公开总数量 counts every document of the row disclosed to date, so the ones "
            "disclosed this year (本年新公开数量) are among them",
        ),
        Implied(
            _ITEMS,
            (),
            ("items_last_year", "change"),
            "上一年项目数量 plus 本年增/减 is this year's number of items, which cannot be "
            "negative",
        ),
    ),
    # 本年制发 / 本年废止 / 现行有效 bound nothing for certain: a document issued this year
    # may be repealed, or lapse, the same year (docs/decisions.md).
    "2021": (),
}


@dataclass
class Narrowed:
    readings: list[Reading]
    settled_by: Implied | None = None  # the relation that left exactly one reading
    broken: list[Implied] | None = None  # relations no reading satisfies


def relations(fmt: str, row: str) -> list[Implied]:
    return [r for r in IMPLIED.get(fmt, ()) if row in r.rows]


def narrow(fmt: str, row: str, columns: Sequence[str], readings: list[Reading]) -> Narrowed:
    """Keep the readings of a row that satisfy every relation implied for it. When none
    does, the report itself breaks a relation: nothing is learnt and all readings stay."""
    relations = [r for r in IMPLIED.get(fmt, ()) if row in r.rows]
    if len(readings) < 2 or not relations:
        return Narrowed(readings)
    cells = [dict(zip(columns, reading, strict=True)) for reading in readings]
    kept = [
        reading
        for reading, c in zip(readings, cells, strict=True)
        if all(r.holds(c) for r in relations)
    ]
    if not kept:
        broken = [r for r in relations if not any(r.holds(c) for c in cells)]
        return Narrowed(readings, broken=broken or relations)
    settled_by = None
    if len(kept) == 1 and len(readings) > 1:
        # Name the relation that did it (one that alone discards every other reading).
        alone = [r for r in relations if sum(r.holds(c) for c in cells) == 1]
        settled_by = alone[0] if alone else relations[0]
    return Narrowed(kept, settled_by)
