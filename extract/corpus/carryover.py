"""Carry-over between one body's consecutive reports.

What a body carried forward at the end of year N-1 (结转下年度继续办理) is what it carried
over into year N (上年结转政府信息公开申请数量): the same applications, counted twice. A
difference is an error in one report or a silent change in how the body counts. Review and
litigation tables have no carry-over row; cases a body left pending (尚未审结) must still be
among next year's cases, so a year counting fewer cases in all than were pending is flagged.
"""

from __future__ import annotations

from extract.corpus.findings import CarryOver, DocRef
from extract.corpus.load import Summary
from extract.tables.standard import APPLICANT_COLUMNS, REVIEW_GROUPS


def _applications(
    key: str, prev: Summary, cur: Summary, prev_ref: DocRef, cur_ref: DocRef
) -> list[CarryOver]:
    if prev.carried_forward is None or cur.carried_over is None:
        return []
    pairs = zip(APPLICANT_COLUMNS, prev.carried_forward, cur.carried_over, strict=True)
    columns = [col for col, a, b in pairs if a is not None and b is not None and a != b]
    if not columns:
        return []
    a, b = prev.carried_forward[-1], cur.carried_over[-1]
    return [
        CarryOver(
            issuer_key=key,
            table="applications",
            previous=prev_ref,
            current=cur_ref,
            previous_value=a,
            current_value=b,
            columns=columns,
            detail=f"{prev.year} carried {a} applications forward (结转下年度继续办理); "
            f"{cur.year} carried {b} over (上年结转)"
            + ("" if columns == ["total"] else f"; columns differing: {', '.join(columns)}"),
        )
    ]


def _review(
    key: str, prev: Summary, cur: Summary, prev_ref: DocRef, cur_ref: DocRef
) -> list[CarryOver]:
    out = []
    for group in REVIEW_GROUPS:
        pending, _ = prev.pending.get(group, (None, None))
        _, total = cur.pending.get(group, (None, None))
        if pending is None or total is None or not pending or total >= pending:
            continue
        out.append(
            CarryOver(
                issuer_key=key,
                table=group,  # type: ignore[arg-type]  # one of REVIEW_GROUPS
                previous=prev_ref,
                current=cur_ref,
                previous_value=pending,
                current_value=total,
                columns=[],
                detail=f"{prev.year} left {pending} {group} cases pending (尚未审结); "
                f"{cur.year} counts {total} cases in all",
            )
        )
    return out


def carry_over(
    key: str, prev: Summary, cur: Summary, prev_ref: DocRef, cur_ref: DocRef
) -> list[CarryOver]:
    """Mismatches between year N-1 (``prev``) and year N (``cur``) of one body."""
    return _applications(key, prev, cur, prev_ref, cur_ref) + _review(
        key, prev, cur, prev_ref, cur_ref
    )
