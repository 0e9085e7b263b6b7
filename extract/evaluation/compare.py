"""Comparing two eval runs: per-field deltas, changed documents, and a regression verdict."""

from __future__ import annotations

from extract.evaluation.models import (
    Change,
    Comparison,
    DocumentChange,
    EvalReport,
    FieldChange,
    Summary,
)

# The figures a run must not lose, and how each is read from a summary.
HEADLINE = {
    "micro_f1": lambda s: s.micro.f1,
    "grounding": lambda s: s.grounding,
    "table_cell_accuracy": lambda s: s.table_cell_accuracy,
    "issuer_accuracy": lambda s: s.issuer_accuracy,
    "year_accuracy": lambda s: s.year_accuracy,
}


def _headline(summary: Summary, name: str) -> float | None:
    value = HEADLINE[name](summary)
    return None if value is None else float(value)


def compare(a: EvalReport, b: EvalReport, threshold: float = 0.0) -> Comparison:
    """What changed from run A to run B. ``regressed`` names B's micro F1, grounding, table
    cell, issuer or year accuracy where it is lower than A's by more than ``threshold``
    (a figure A does not have, from a report written before it was scored, is not compared)."""
    sa, sb = a.summary, b.summary
    deltas = {}
    for field in sorted(set(sa.per_field) | set(sb.per_field)):
        fa = sa.per_field[field].f1 if field in sa.per_field else 0.0
        fb = sb.per_field[field].f1 if field in sb.per_field else 0.0
        if fa != fb:
            deltas[field] = FieldChange(a=fa, b=fb, delta=round(fb - fa, 4))
    docs_a = {d.doc_id: d for d in a.documents}
    changed = []
    for doc in b.documents:
        old = docs_a.get(doc.doc_id)
        if old is None:
            changed.append(DocumentChange(doc_id=doc.doc_id, change="new in B"))
            continue
        before = {(f.field, f.value) for f in old.true_positives + old.false_positives}
        after = {(f.field, f.value) for f in doc.true_positives + doc.false_positives}
        if before != after or old.tables.correct != doc.tables.correct:
            changed.append(
                DocumentChange(
                    doc_id=doc.doc_id,
                    f1=Change(a=old.f1, b=doc.f1),
                    facts_gained=sorted(map(list, after - before)),
                    facts_lost=sorted(map(list, before - after)),
                    table_cells=Change(a=old.tables.correct, b=doc.tables.correct),
                )
            )
    headline = {}
    regressed = []
    for name in HEADLINE:
        va, vb = _headline(sa, name), _headline(sb, name)
        headline[name] = Change(a=va, b=vb)
        if va is not None and (vb is None or va - vb > threshold):
            regressed.append(name)
    return Comparison(
        headline=headline,
        per_field=deltas,
        documents=changed,
        regressed=regressed,
        threshold=threshold,
    )
