"""Comparing two eval runs: per-field deltas, changed documents, and a regression verdict."""

from __future__ import annotations

from typing import Any


def _get(summary: dict[str, Any], path: tuple[str, ...]) -> float | None:
    node: Any = summary
    for key in path:
        node = node[key]
    return None if node is None else float(node)


def compare(a: dict[str, Any], b: dict[str, Any], threshold: float = 0.0) -> dict[str, Any]:
    """What changed from run A to run B. ``regressed`` is true when B's micro F1, grounding or
    table cell accuracy is lower than A's by more than ``threshold``."""
    sa, sb = a["summary"], b["summary"]
    fields = sorted(set(sa["per_field"]) | set(sb["per_field"]))
    deltas = {}
    for field in fields:
        fa = sa["per_field"].get(field, {}).get("f1", 0.0)
        fb = sb["per_field"].get(field, {}).get("f1", 0.0)
        if fa != fb:
            deltas[field] = {"a": fa, "b": fb, "delta": round(fb - fa, 4)}
    docs_a = {d["doc_id"]: d for d in a["documents"]}
    changed = []
    for doc in b["documents"]:
        old = docs_a.get(doc["doc_id"])
        if old is None:
            changed.append({"doc_id": doc["doc_id"], "change": "new in B"})
            continue
        before = {(f["field"], f["value"]) for f in old["true_positives"] + old["false_positives"]}
        after = {(f["field"], f["value"]) for f in doc["true_positives"] + doc["false_positives"]}
        if before != after or old["tables"]["correct"] != doc["tables"]["correct"]:
            changed.append(
                {
                    "doc_id": doc["doc_id"],
                    "f1": {"a": old["f1"], "b": doc["f1"]},
                    "facts_gained": sorted(map(list, after - before)),
                    "facts_lost": sorted(map(list, before - after)),
                    "table_cells": {"a": old["tables"]["correct"], "b": doc["tables"]["correct"]},
                }
            )
    headline = {}
    regressed = []
    for name, path in (
        ("micro_f1", ("micro", "f1")),
        ("grounding", ("grounding",)),
        ("table_cell_accuracy", ("table_cell_accuracy",)),
    ):
        va, vb = _get(sa, path), _get(sb, path)
        headline[name] = {"a": va, "b": vb}
        if va is not None and (vb is None or va - vb > threshold):
            regressed.append(name)
    return {
        "headline": headline,
        "per_field": deltas,
        "documents": changed,
        "regressed": regressed,
        "threshold": threshold,
    }
