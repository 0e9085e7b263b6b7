"""Scoring records against gold exactly as docs/facts.md says.

A predicted fact is a true positive when the gold has an unmatched fact with the same field
and value; duplicated predictions of one (field, value) count once. Grounding and the
approximate flag are measured separately; tables are scored cell by cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from extract.evaluation.gold import GoldDoc, table_cells
from extract.record import Record
from extract.textnorm import find_verbatim, normalise


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1, 4),
        }


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def match_facts(record: Record, gold: GoldDoc) -> dict[str, list[dict[str, Any]]]:
    """TP/FP/FN of one document, each with the rule that decided it."""
    tp: list[dict[str, Any]] = []
    fp: list[dict[str, Any]] = []
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
        entry: dict[str, Any] = {
            "field": fact.field,
            "value": fact.value,
            "evidence": fact.evidence,
            "start": fact.start,
            "end": fact.end,
            "approximate": fact.approximate,
            "method": fact.method,
        }
        if hit is None:
            entry["rule"] = "no unmatched gold fact with this field and value"
            fp.append(entry)
            continue
        unmatched.remove(hit)
        entry["rule"] = (
            "same field, stated value of an approximate figure"
            if hit.approximate
            else "same field and value"
        )
        entry["gold_evidence"] = hit.evidence
        entry["gold_approximate"] = hit.approximate
        tp.append(entry)
    fn = [
        {
            "field": g.field,
            "value": g.value,
            "evidence": g.evidence,
            "approximate": g.approximate,
            "rule": "no predicted fact with this field and value",
        }
        for g in unmatched
    ]
    return {"tp": tp, "fp": fp, "fn": fn}


def compare_tables(record: Record | None, gold: GoldDoc) -> dict[str, Any]:
    expected = table_cells(gold.tables)
    got = table_cells(record.tables) if record else {}
    wrong = [
        {"cell": k, "gold": v, "predicted": got.get(k)}
        for k, v in expected.items()
        if got.get(k) != v or (k not in got)
    ]
    return {"cells": len(expected), "correct": len(expected) - len(wrong), "mismatches": wrong}


def score(
    records: Iterable[Record], golds: Sequence[GoldDoc], texts: dict[str, str]
) -> dict[str, Any]:
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
        result: dict[str, list[dict[str, Any]]]
        if record is None:
            result = {
                "tp": [],
                "fp": [],
                "fn": [
                    {
                        "field": g.field,
                        "value": g.value,
                        "evidence": g.evidence,
                        "approximate": g.approximate,
                        "rule": "document missing from the records",
                    }
                    for g in gold.facts
                ],
            }
        else:
            result = match_facts(record, gold)
        for kind in ("tp", "fp", "fn"):
            for entry in result[kind]:
                counts = per_field.setdefault(entry["field"], Counts())
                setattr(counts, kind, getattr(counts, kind) + 1)
                setattr(micro, kind, getattr(micro, kind) + 1)
        for entry in result["tp"] + result["fp"]:
            predicted += 1
            is_grounded = find_verbatim(text, normalise(entry["evidence"])) is not None
            entry["grounded"] = is_grounded
            grounded += is_grounded
        for entry in result["tp"]:
            approx_total += 1
            approx_agree += bool(entry["approximate"] == entry["gold_approximate"])
        tables = compare_tables(record, gold)
        if tables["cells"]:
            table_docs += 1
            cells += tables["cells"]
            cells_ok += tables["correct"]
            exact_docs += tables["correct"] == tables["cells"]
        documents.append(
            {
                "doc_id": gold.doc_id,
                "missing": record is None,
                **{
                    k: v
                    for k, v in Counts(len(result["tp"]), len(result["fp"]), len(result["fn"]))
                    .as_dict()
                    .items()
                },
                "true_positives": result["tp"],
                "false_positives": result["fp"],
                "misses": result["fn"],
                "tables": tables,
            }
        )
    gold_ids = {g.doc_id for g in golds}
    return {
        "summary": {
            "documents": len(golds),
            "missing_documents": [d["doc_id"] for d in documents if d["missing"]],
            "records_without_gold": sorted(set(by_id) - gold_ids),
            "micro": micro.as_dict(),
            "per_field": {k: per_field[k].as_dict() for k in sorted(per_field)},
            "grounding": round(grounded / predicted, 4) if predicted else None,
            "approximate_agreement": round(approx_agree / approx_total, 4)
            if approx_total
            else None,
            "table_cell_accuracy": round(cells_ok / cells, 4) if cells else None,
            "table_cells": {"correct": cells_ok, "total": cells},
            "table_exact_documents": round(exact_docs / table_docs, 4) if table_docs else None,
        },
        "documents": documents,
    }
