"""What each family of realistic model errors costs the LLM path, and what it sends.

The oracle server answers every chunk of the five seed reports with their gold facts; the
perturbing server (``extract/evaluation/perturb.py``) then damages them the way real models
do, one family at a time. For each family: micro F1, recall, ``approximate`` agreement and
model requests, against the clean oracle run in the same process (the baseline: requests
as a ratio of it). Then the characters sent per report (message text of every request,
re-asks and repairs included) as a ratio of the whole reports, per family; and per report
for the clean run, also against its narrative sections.

    python bench/bench_llm.py [--family NAME ...] [--chunk-chars N] [--context-tokens N]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "eval" / "fixtures"


def run(family: str | None, overrides: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Score one run; also the characters each document sent."""
    from extract.evaluation.openai_server import oracle, serve
    from extract.evaluation.perturb import perturbed
    from extract.evaluation.runner import load_golds
    from extract.evaluation.score import score
    from extract.llm.settings import LLMSettings
    from extract.methods import options_for
    from extract.pipeline import extract_file

    golds, texts = load_golds(FIXTURES)
    facts = [(texts[g.doc_id], [f.model_dump() for f in g.facts]) for g in golds]
    behaviour = oracle(facts) if family is None else perturbed(facts, family)
    sent: dict[str, int] = {}
    records = []
    with serve([behaviour]) as server:
        settings = LLMSettings(
            model="oracle", base_url=server.url, api_key="not-needed", **overrides
        )
        options = options_for("llm", settings)
        for gold in golds:
            before = len(server.requests)
            records.append(extract_file(FIXTURES / gold.text_file, options, doc_id=gold.doc_id)[0])
            sent[gold.doc_id] = sum(
                len(m["content"]) if isinstance(m.get("content"), str) else 0
                for r in server.requests[before:]
                for m in r["messages"]
            )
    summary: dict[str, object] = score(records, golds, texts).summary.model_dump(mode="json")
    summary["requests"] = sum(r.provenance.usage.requests for r in records if r.provenance.usage)
    summary["errors"] = sum(
        len([e for e in r.errors if e.where.startswith("facts")]) for r in records
    )
    return summary, sent


def sizes() -> dict[str, tuple[int, int]]:
    """Characters of each seed report (the file as read) and of its narrative sections."""
    from extract.pipeline import Options, draft, load_file

    out = {}
    for path in sorted(FIXTURES.glob("*.txt")):
        loaded = load_file(path, Options())
        d = draft(loaded.text, source=str(path), sha256=loaded.sha256)
        out[path.stem] = (len(loaded.text), sum(hi - lo for lo, hi in d.spans))
    return out


def main() -> None:
    from extract.evaluation.perturb import FAMILIES

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES))
    parser.add_argument("--chunk-chars", type=int)
    parser.add_argument("--context-tokens", type=int)
    parser.add_argument("--json", action="store_true", help="Print the table as JSON too.")
    args = parser.parse_args()
    overrides: dict[str, Any] = {}
    if args.chunk_chars:
        overrides["chunk_chars"] = args.chunk_chars
    if args.context_tokens:
        overrides["context_tokens"] = args.context_tokens
    whole_reports = sum(whole for whole, _ in sizes().values())
    clean, sent = run(None, overrides)
    rows = [("clean (oracle)", "—", clean, sent)]
    for name in args.family or list(FAMILIES):
        fam = FAMILIES[name]
        rows.append((name, "accept" if fam.accept else "reject/correct", *run(name, overrides)))
    print(
        "| family | should | F1 | recall | approx. agreement | requests | vs clean "
        "| characters sent / whole reports | fact errors |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    table = []
    for name, should, s, chars in rows:
        m = s["micro"]
        ratio = s["requests"] / clean["requests"]
        agreement = s["approximate_agreement"]
        print(
            f"| {name} | {should} | {m['f1']:.3f} | {m['recall']:.3f} | "
            f"{'—' if agreement is None else f'{agreement:.3f}'} | {s['requests']} | "
            f"{ratio:.2f} | {sum(chars.values()) / whole_reports:.2f} | {s['errors']} |"
        )
        table.append(
            {
                "family": name,
                "f1": m["f1"],
                "recall": m["recall"],
                "approximate_agreement": agreement,
                "requests": s["requests"],
            }
        )
    print()
    print("| report | characters sent | / whole report | / narrative |")
    print("| --- | --- | --- | --- |")
    total_sent = total_report = total_narrative = 0
    for doc_id, (whole, narrative) in sizes().items():
        n = sent.get(doc_id, 0)
        total_sent, total_report, total_narrative = (
            total_sent + n,
            total_report + whole,
            total_narrative + narrative,
        )
        print(f"| {doc_id} | {n:,} | {n / whole:.2f} | {n / narrative:.2f} |")
    print(
        f"| all five | {total_sent:,} | {total_sent / total_report:.2f} | "
        f"{total_sent / total_narrative:.2f} |"
    )
    if args.json:
        json.dump(table, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
