"""Year-over-year anomalies of one body, by simple rules that small numbers cannot trip.

Ratios are only judged where the counts are large enough to mean something: a body going
from 1 application to 9 is ordinary, from 40 to 400 is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.corpus.findings import Anomaly, DocRef
from extract.corpus.load import Summary


@dataclass(frozen=True)
class AnomalySettings:
    jump_factor: float = 10.0  # new applications multiplied or divided by at least this
    jump_min: int = 30  # … when the larger of the two years has at least this many
    share_drop: float = 0.30  # 予以公开 share of applications answered falls by this much
    share_min: int = 20  # … when both years answered at least this many
    identical_min: int = 3  # identical tables need this many non-zero cells to mean copying
    identical_largest: int = 10  # … and one at least this large: 0s and 1s coincide by chance


def _jump(prev: Summary, cur: Summary, s: AnomalySettings) -> str | None:
    a, b = prev.new_received, cur.new_received
    if a is None or b is None:
        return None
    low, high = sorted((a, b))
    if high < s.jump_min or high < s.jump_factor * max(low, 1):
        return None
    verb = "rose" if b > a else "fell"
    return (
        f"new applications (本年新收) {verb} from {a} in {prev.year} to {b} in {cur.year} "
        f"(×{b / a:.1f})"
        if a
        else f"new applications (本年新收) {verb} from 0 in {prev.year} to {b} in {cur.year}"
    )


def _share(summary: Summary) -> float | None:
    if summary.granted is None or not summary.processed:
        return None
    return summary.granted / summary.processed


def _share_drop(prev: Summary, cur: Summary, s: AnomalySettings) -> str | None:
    a, b = _share(prev), _share(cur)
    if a is None or b is None or (prev.processed or 0) < s.share_min:
        return None
    if (cur.processed or 0) < s.share_min or a - b < s.share_drop:
        return None
    return (
        f"share granted in full (予以公开) fell from {a:.0%} ({prev.granted}/{prev.processed}) "
        f"in {prev.year} to {b:.0%} ({cur.granted}/{cur.processed}) in {cur.year}"
    )


def _identical(prev: Summary, cur: Summary, s: AnomalySettings) -> str | None:
    if prev.format != cur.format:
        return None
    common = sorted(set(prev.table_hashes) & set(cur.table_hashes))
    if len(common) < 2 or any(prev.table_hashes[t] != cur.table_hashes[t] for t in common):
        return None
    if sum(cur.nonzero[t] for t in common) < s.identical_min:
        return None
    if max(cur.largest[t] for t in common) < s.identical_largest:
        return None
    return (
        f"every cell of {', '.join(common)} in {cur.year} equals {prev.year}'s "
        f"({sum(cur.nonzero[t] for t in common)} non-zero cells)"
    )


RULES = {
    "applications_jump": _jump,
    "granted_share_drop": _share_drop,
    "identical_tables": _identical,
}


def anomalies(
    key: str,
    prev: Summary,
    cur: Summary,
    prev_ref: DocRef,
    cur_ref: DocRef,
    settings: AnomalySettings,
) -> list[Anomaly]:
    """What looks wrong in year N (``cur``) against year N-1 (``prev``) of one body."""
    out = []
    for kind, rule in RULES.items():
        detail = rule(prev, cur, settings)
        if detail:
            out.append(
                Anomaly(
                    kind=kind,  # type: ignore[arg-type]  # the keys of RULES
                    issuer_key=key,
                    previous=prev_ref,
                    current=cur_ref,
                    detail=detail,
                )
            )
    return out
