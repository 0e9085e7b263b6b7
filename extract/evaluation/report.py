"""A self-contained HTML report of one eval run, for a person to read offline.

It is the viewer's page with gold added. Each document's text is shown with gold and
predicted evidence highlighted: green where they agree, red for a false positive, amber for a
miss; hovering a mark names the fact and the rule that decided it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from extract.evaluation.models import DocumentScore, EvalReport, Summary
from extract.pipeline import failed_record
from extract.record import UNREADABLE, Record
from extract.textnorm import find_verbatim, normalise
from extract.view.document import Gold, Source, render_document
from extract.view.page import Entry, render_page
from extract.view.text import Span


def _spans(doc: DocumentScore, text: str) -> list[Span]:
    """Every highlighted piece of evidence, scored."""
    out: list[Span] = []
    for tp in doc.true_positives:
        out.append(Span(tp.start, tp.end, "tp", f"✓ {tp.field}={tp.value}: {tp.rule}"))
        gold = find_verbatim(text, normalise(tp.gold_evidence or ""))
        if gold and gold != (tp.start, tp.end):
            out.append(Span(*gold, "tp", f"gold {tp.field}={tp.value}"))
    for fp in doc.false_positives:
        out.append(Span(fp.start, fp.end, "fp", f"✗ {fp.field}={fp.value}: {fp.rule}"))
    for miss in doc.misses:
        span = find_verbatim(text, normalise(miss.evidence))
        if span:
            out.append(Span(*span, "miss", f"missed {miss.field}={miss.value}"))
    return [s for s in out if 0 <= s[0] < s[1] <= len(text)]


def _score_table(summary: Summary) -> str:
    rows = [
        "<tr><th>field</th><th>P</th><th>R</th><th>F1</th><th>tp</th><th>fp</th><th>fn</th></tr>"
    ]
    items = [*summary.per_field.items(), ("micro", summary.micro)]
    for name, c in items:
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{c.precision:.3f}</td>"
            f"<td>{c.recall:.3f}</td><td>{c.f1:.3f}</td><td>{c.tp}</td>"
            f"<td>{c.fp}</td><td>{c.fn}</td></tr>"
        )
    return f"<table class='scores'>{''.join(rows)}</table>"


def _overlay(doc: DocumentScore, text: str) -> Gold:
    cells: dict[str, list[tuple[str, str]]] = {}
    for cell in doc.tables.mismatches:
        why = f"gold {cell.gold}, predicted {cell.predicted}"
        cells.setdefault(cell.cell, []).append(("mismatch", why))
    heading = (
        f"F1 {doc.f1:.3f} (tp {doc.tp}, fp {doc.fp}, fn {doc.fn}) · table cells "
        f"{doc.tables.correct}/{doc.tables.cells}"
    )
    if doc.tables.mismatches:
        heading += " · <span class='bad'>cells that differ from gold are outlined</span>"
    return Gold(spans=_spans(doc, text), cells=cells, heading=heading)


def render_report(
    result: EvalReport, records: Sequence[Record], texts: dict[str, str], title: str
) -> str:
    """The viewer's page (:mod:`extract.view`) with gold added: evidence marked as agreeing,
    false positive or missed; table cells that differ from gold outlined; scores per document
    in the index."""
    s = result.summary
    by_id = {r.doc_id: r for r in records}
    entries = []
    for doc in result.documents:
        doc_id = doc.doc_id
        record = by_id.get(doc_id) or failed_record(
            doc_id, "", UNREADABLE, "no record for this document in the run", doc_id=doc_id
        )
        text = texts.get(doc_id)
        page = render_document(record, Source(text), _overlay(doc, text or ""))
        extra: dict[str, str | float | int] = {
            "F1": doc.f1,
            "fp": doc.fp,
            "fn": doc.fn,
            "table cells": f"{doc.tables.correct}/{doc.tables.cells}",
        }
        entries.append(Entry(record, page, "gold" if text is not None else "none", extra))
    intro = [
        f"<p>micro F1 <b>{s.micro.f1:.3f}</b> · grounding {s.grounding} · "
        f"approximate-flag agreement {s.approximate_agreement} · table cells "
        f"{s.table_cells.correct}/{s.table_cells.total} · issuer {s.issuer_accuracy} · "
        f"year {s.year_accuracy}</p>",
        "<p class='legend'><mark class='tp'>gold and predicted agree</mark>"
        "<mark class='fp'>false positive</mark><mark class='miss'>missed gold fact</mark></p>",
        _score_table(s),
    ]
    if s.missing_documents:
        intro.append(
            f"<p class='bad'>missing documents: {html.escape(', '.join(s.missing_documents))}</p>"
        )
    return render_page(title, entries, "".join(intro), ("F1", "fp", "fn", "table cells"))
