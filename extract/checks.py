"""Arithmetic checks (勾稽关系) on the tables and narrative-against-table cross checks.

A check never changes a number: it states what it compared and whether it held. A check
whose operands are missing (a null cell, an absent table) is not emitted at all, so that
``ok: false`` always means the report's own numbers disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from extract.record import Check, Fact, Tables
from extract.tables.standard import APPLICANT_COLUMNS, RESULT_ROWS, REVIEW_GROUPS

Value = int | float | None


def _fmt(x: int | float) -> str:
    if type(x) is int and -_EXACT < x < _EXACT:
        return str(x)  # what the line below gives for it, faster (most cells are such)
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


_EXACT = 2**53  # ints a float holds exactly


def _sum_check(name: str, left: Sequence[Value], right: Sequence[Value]) -> Check | None:
    if None in left or None in right:
        return None
    numbers_left = cast(Sequence[int | float], left)
    numbers_right = cast(Sequence[int | float], right)
    a, b = sum(numbers_left), sum(numbers_right)
    ok = abs(a - b) < 1e-6
    lhs, rhs = _joined(numbers_left), _joined(numbers_right)
    return Check(name=name, ok=ok, detail=f"{lhs} {'=' if ok else '≠'} {rhs}")


# _fmt of every number equal to one of these (a float equal to an int finds its entry).
_SMALL: dict[int | float, str] = {n: str(n) for n in range(10_000)}


def _joined(values: Sequence[int | float]) -> str:
    try:
        return "+".join([_SMALL[v] for v in values])
    except KeyError:
        return "+".join(map(_fmt, values))


def application_checks(rows: dict[str, list[Value]]) -> list[Check]:
    fmt = "2019" if "other.total" in rows else "2021"
    out: list[Check | None] = []
    absent: list[Value] = [None] * 7
    new, carried, total, forward = (
        rows.get(key, absent)
        for key in ("new_received", "carried_over", "total_processed", "carried_forward")
    )
    results = [rows.get(key, absent) for key in RESULT_ROWS[fmt]]
    for c, column in enumerate(APPLICANT_COLUMNS):
        out.append(
            _sum_check(
                f"applications.balance.{column}",
                [new[c], carried[c]],
                [total[c], forward[c]],
            )
        )
        out.append(
            _sum_check(
                f"applications.results_sum.{column}",
                [total[c]],
                [row[c] for row in results],
            )
        )
    for key, values in rows.items():
        out.append(_sum_check(f"applications.row_total.{key}", [values[6]], values[:6]))
    return [c for c in out if c is not None]


def review_checks(tables: Tables) -> list[Check]:
    if tables.review_litigation is None:
        return []
    out = []
    for group in REVIEW_GROUPS:
        row = getattr(tables.review_litigation, group)
        out.append(
            _sum_check(
                f"review_litigation.{group}.total",
                [row.total],
                [row.upheld, row.corrected, row.other, row.pending],
            )
        )
    return [c for c in out if c is not None]


def _narrative_values(facts: Iterable[Fact], field: str) -> list[int | float]:
    return sorted({f.value for f in facts if f.field == field})


def cross_checks(tables: Tables, facts: Sequence[Fact]) -> list[Check]:
    """Narrative figures against the tables. The narrative may count new applications only or
    new plus carried over; either agreeing passes, and the detail says which."""
    out: list[Check] = []
    apps = tables.applications.rows if tables.applications else {}
    new = apps.get("new_received", [None] * 7)[6]
    carried = apps.get("carried_over", [None] * 7)[6]
    stated = _narrative_values(facts, "applications_received")
    if stated and new is not None:
        both = new + carried if carried is not None else None
        ok = any(v in (new, both) for v in stated)
        said = ", ".join(map(_fmt, stated))
        detail = f"narrative {said} {'=' if ok else '≠'} table new_received {_fmt(new)}"
        if both is not None and both != new:
            detail += f" (new_received+carried_over {_fmt(both)})"
        out.append(Check(name="cross.applications_received", ok=ok, detail=detail))
    review = tables.review_litigation
    if review is not None:
        pairs = {
            "reconsideration_cases": [review.reconsideration.total],
            "litigation_cases": [
                review.litigation_direct.total,
                review.litigation_after_reconsideration.total,
            ],
        }
        for field, maybe_parts in pairs.items():
            stated = _narrative_values(facts, field)
            parts = [p for p in maybe_parts if p is not None]
            if not stated or len(parts) != len(maybe_parts):
                continue
            total = sum(p for p in parts if p is not None)
            ok = total in stated
            out.append(
                Check(
                    name=f"cross.{field}",
                    ok=ok,
                    detail=f"narrative {', '.join(map(_fmt, stated))} "
                    f"{'=' if ok else '≠'} table {'+'.join(map(_fmt, parts))}"
                    + (f" = {_fmt(total)}" if len(parts) > 1 else ""),
                )
            )
    return out


def table_checks(tables: Tables) -> list[Check]:
    out = []
    if tables.applications is not None:
        out.extend(application_checks(tables.applications.rows))
    out.extend(review_checks(tables))
    return out
