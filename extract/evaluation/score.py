"""Scoring records against gold exactly as docs/facts.md says.

A predicted fact is a true positive when the gold has an unmatched fact with the same field
and value; duplicated predictions of one (field, value) count once. Grounding and the
approximate flag are measured separately; tables are scored cell by cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extract.evaluation.gold import GoldDoc, GoldFact, table_cells
from extract.evaluation.models import (
    CellMismatch,
    CellTotals,
    DocumentScore,
    EvalReport,
    MetadataScore,
    Missed,
    Predicted,
    Scores,
    Summary,
    TableScore,
)
from extract.record import Record
from extract.textnorm import find_verbatim, normalise


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> Scores:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return Scores(
            tp=self.tp,
            fp=self.fp,
            fn=self.fn,
            precision=round(p, 4),
            recall=round(r, 4),
            f1=round(f1, 4),
        )


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@dataclass
class Matched:
    tp: list[Predicted]
    fp: list[Predicted]
    fn: list[Missed]


def match_facts(record: Record, gold: GoldDoc) -> Matched:
    """TP/FP/FN of one document, each with the rule that decided it."""
    out = Matched([], [], [])
    unmatched = list(gold.facts)
    seen: set[tuple[str, float]] = set()
    for fact in record.facts:
        key = (fact.field, float(fact.value))
        if key in seen:
            continue  # duplicates of one (field, value) count once
        seen.add(key)
        hit = next(
            (
                g
                for g in unmatched
                if g.field == fact.field and _same(float(g.value), float(fact.value))
            ),
            None,
        )
        common = {
            "field": fact.field,
            "value": fact.value,
            "evidence": fact.evidence,
            "start": fact.start,
            "end": fact.end,
            "approximate": fact.approximate,
            "method": fact.method,
        }
        if hit is None:
            out.fp.append(
                Predicted(**common, rule="no unmatched gold fact with this field and value")
            )
            continue
        unmatched.remove(hit)
        rule = (
            "same field, stated value of an approximate figure"
            if hit.approximate
            else "same field and value"
        )
        out.tp.append(
            Predicted(
                **common, rule=rule, gold_evidence=hit.evidence, gold_approximate=hit.approximate
            )
        )
    out.fn = [_missed(g, "no predicted fact with this field and value") for g in unmatched]
    return out


def _missed(g: GoldFact, rule: str) -> Missed:
    return Missed(
        field=g.field, value=g.value, evidence=g.evidence, approximate=g.approximate, rule=rule
    )


def compare_tables(record: Record | None, gold: GoldDoc) -> TableScore:
    expected = table_cells(gold.tables)
    got = table_cells(record.tables) if record else {}
    wrong = [
        CellMismatch(cell=k, gold=v, predicted=got.get(k))
        for k, v in expected.items()
        if got.get(k) != v or (k not in got)
    ]
    return TableScore(cells=len(expected), correct=len(expected) - len(wrong), mismatches=wrong)


def compare_metadata(record: Record | None, gold: GoldDoc) -> MetadataScore:
    issuer = record.issuer if record else None
    year = record.year if record else None
    return MetadataScore(
        issuer=issuer,
        gold_issuer=gold.issuer,
        issuer_ok=None if gold.issuer is None else issuer == gold.issuer,
        year=year,
        gold_year=gold.year,
        year_ok=None if gold.year is None else year == gold.year,
    )


def _share(oks: list[bool | None]) -> float | None:
    known = [ok for ok in oks if ok is not None]
    return round(sum(known) / len(known), 4) if known else None


def score(records: Iterable[Record], golds: Sequence[GoldDoc], texts: dict[str, str]) -> EvalReport:
    """The full report of one run: summary and per-document detail."""
    by_id = {r.doc_id: r for r in records}
    micro = Counts()
    per_field: dict[str, Counts] = {}
    grounded = predicted = approx_agree = approx_total = 0
    cells = cells_ok = exact_docs = table_docs = 0
    documents = []
    for gold in golds:
        record = by_id.get(gold.doc_id)
        text = texts.get(gold.doc_id, "")
        if record is None:
            result = Matched(
                [], [], [_missed(g, "document missing from the records") for g in gold.facts]
            )
        else:
            result = match_facts(record, gold)
        for kind, entries in (("tp", result.tp), ("fp", result.fp), ("fn", result.fn)):
            for entry in entries:
                counts = per_field.setdefault(entry.field, Counts())
                setattr(counts, kind, getattr(counts, kind) + 1)
                setattr(micro, kind, getattr(micro, kind) + 1)
        for hit in result.tp + result.fp:
            predicted += 1
            hit.grounded = find_verbatim(text, normalise(hit.evidence)) is not None
            grounded += hit.grounded
        for hit in result.tp:
            approx_total += 1
            approx_agree += hit.approximate == hit.gold_approximate
        tables = compare_tables(record, gold)
        if tables.cells:
            table_docs += 1
            cells += tables.cells
            cells_ok += tables.correct
            exact_docs += tables.correct == tables.cells
        documents.append(
            DocumentScore(
                doc_id=gold.doc_id,
                missing=record is None,
                **Counts(len(result.tp), len(result.fp), len(result.fn)).scores().model_dump(),
                true_positives=result.tp,
                false_positives=result.fp,
                misses=result.fn,
                tables=tables,
                metadata=compare_metadata(record, gold),
            )
        )
    gold_ids = {g.doc_id for g in golds}
    return EvalReport(
        summary=Summary(
            documents=len(golds),
            missing_documents=[d.doc_id for d in documents if d.missing],
            records_without_gold=sorted(set(by_id) - gold_ids),
            micro=micro.scores(),
            per_field={k: per_field[k].scores() for k in sorted(per_field)},
            grounding=round(grounded / predicted, 4) if predicted else None,
            approximate_agreement=round(approx_agree / approx_total, 4) if approx_total else None,
            table_cell_accuracy=round(cells_ok / cells, 4) if cells else None,
            table_cells=CellTotals(correct=cells_ok, total=cells),
            table_exact_documents=round(exact_docs / table_docs, 4) if table_docs else None,
            issuer_accuracy=_share([d.metadata.issuer_ok for d in documents if d.metadata]),
            year_accuracy=_share([d.metadata.year_ok for d in documents if d.metadata]),
        ),
        documents=documents,
    )
